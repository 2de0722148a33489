//! The one gate between text wadash did not write (server answers, files,
//! the user's config) and a terminal or a log: known api keys are redacted
//! (see [`crate::redact`]) and control characters made visible, so a server
//! can neither retitle the window, clear the screen, ring the bell, reorder
//! the line with bidi overrides, nor get a key echoed back onto the screen.
//!
//! C0 controls become their Unicode "control picture" (ESC → `␛`, BEL → `␇`,
//! newline → `␊`); DEL → `␡`; C1 controls and bidi controls become `<U+XXXX>`.
//! The dashboard draws through the same function (ratatui alone would drop
//! them silently, hiding that the server sent something odd). `--json`
//! output is redacted but otherwise exact (JSON escapes controls itself).

use std::borrow::Cow;
use std::fmt::Write;

/// `println!` through [`for_terminal_lines`]: what every headless command
/// prints its lines with (messages mixing wadash's words with server,
/// file or config text).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{}", $crate::sanitize::for_terminal_lines(&format!($($arg)*)))
    };
}

/// `eprintln!` through [`for_terminal_lines`]: warnings and `error:` lines.
#[macro_export]
macro_rules! say_err {
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::sanitize::for_terminal_lines(&format!($($arg)*)))
    };
}

/// `text` redacted and made safe for a terminal, on one line.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    let redacted = crate::redact::redact(text);
    if !redacted.chars().any(needs_escape) {
        return redacted;
    }
    Cow::Owned(escape(&redacted, false))
}

/// Like [`for_terminal`], but keeps line breaks (and tabs) as they are: for
/// multi-line messages whose lines are printed as lines.
pub fn for_terminal_lines(text: &str) -> Cow<'_, str> {
    let redacted = crate::redact::redact(text);
    if !redacted
        .chars()
        .any(|c| needs_escape(c) && c != '\n' && c != '\t')
    {
        return redacted;
    }
    Cow::Owned(escape(&redacted, true))
}

/// `--json` output for a terminal: redacted, and every character a terminal
/// could act on that JSON leaves raw (C1 controls, DEL, bidi controls)
/// written as a `\uXXXX` escape, so the text decodes to exactly what the
/// server sent. `json` must be serde_json output (C0 already escaped; raw
/// newlines only between tokens).
pub fn for_json(json: &str) -> String {
    let redacted = crate::redact::redact(json);
    let mut out = String::with_capacity(redacted.len());
    for c in redacted.chars() {
        if needs_escape(c) && c != '\n' {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `c` must not reach a terminal as itself.
pub fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Characters that reorder text on screen (Trojan Source): embeddings,
/// overrides, isolates and the implicit marks.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn escape(text: &str, keep_lines: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' if keep_lines => out.push(c),
            '\u{0}'..='\u{1F}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            '\u{7F}' => out.push('\u{2421}'),
            c if needs_escape(c) => {
                let _ = write!(out, "<U+{:04X}>", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The log file's writer: each write (one whole line from the formatter,
/// so a key is never split across writes) redacted and with controls made
/// visible, line breaks kept.
pub struct SafeLogWriter<W>(pub W);

impl<W: std::io::Write> std::io::Write for SafeLogWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(for_terminal_lines(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(
            for_terminal("Instancia caída — ok"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escapes_become_visible_and_inert() {
        let hostile = "\u{1b}]0;pwned\u{7}\u{1b}[2Jdown\r\n\u{9b}31m\u{202E}txt";
        let shown = for_terminal(hostile);
        assert!(!shown.chars().any(needs_escape), "{shown:?}");
        assert_eq!(shown, "␛]0;pwned␇␛[2Jdown␍␊<U+009B>31m<U+202E>txt");
    }

    #[test]
    fn json_stays_exact_and_inert() {
        let value = serde_json::json!({"detail": "\u{1b}]0;x\u{7}\u{9b}1m\u{202e}\u{7f}é"});
        let text = for_json(&serde_json::to_string_pretty(&value).unwrap());
        assert!(
            !text.chars().any(|c| needs_escape(c) && c != '\n'),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn lines_keep_newlines_but_not_escapes() {
        assert_eq!(for_terminal_lines("a\n\tb\u{1b}[2J"), "a\n\tb␛[2J");
        assert_eq!(for_terminal("a\nb"), "a␊b");
    }

    #[test]
    fn the_log_writer_redacts_and_escapes() {
        use std::io::Write;
        crate::redact::register("sanitize-test-LOG-5555");
        let mut w = SafeLogWriter(Vec::new());
        w.write_all(b"sent sanitize-test-LOG-5555 \x1b[2J\n")
            .unwrap();
        assert_eq!(String::from_utf8(w.0).unwrap(), "sent ••••5555 ␛[2J\n");
    }
}
