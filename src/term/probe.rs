//! Ask the terminal who it is and what it can show, without hanging and
//! without leaving its answers on screen.
//!
//! One write, four questions, in this order:
//! - XTVERSION `CSI > 0 q`: the name and version (`DCS > | kitty(0.26.5) ST`);
//! - a kitty graphics query (`APC G i=31,a=q… ST`; only kitty-protocol
//!   terminals answer `APC G i=31;OK ST`, the rest ignore APC);
//! - `CSI 16 t`: the cell size in pixels (`CSI 6 ; h ; w t`);
//! - primary device attributes `CSI c` (`CSI ? 64 ; 4 ; … c`; 4 = sixel).
//!
//! Every VT100-compatible terminal answers DA1, and answers in order, so
//! its reply ends the wait: typically a millisecond or two locally, an RTT
//! over SSH. A terminal that answers nothing costs [`PROBE_TIMEOUT`] once.
//!
//! Why not ratatui-image's `Picker::from_query_stdio`: it does not ask
//! XTVERSION, and on a timeout its reader thread stays blocked on stdin
//! and would swallow the user's first key. Its protocol encoders are used
//! (see `qr::image`); only the question is ours.

use std::io::Write;
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

/// The longest the start can be delayed by a terminal that does not answer.
pub const PROBE_TIMEOUT: Duration = Duration::from_millis(120);

/// What the terminal said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProbeReply {
    pub xtversion: Option<String>,
    pub kitty_graphics: bool,
    /// DA1 carried attribute 4.
    pub sixel: bool,
    /// DA1 came back at all (false: timed out).
    pub answered: bool,
    /// (width, height) of a cell in pixels.
    pub cell_px: Option<(u16, u16)>,
    pub elapsed: Duration,
}

/// The bytes written, with the kitty query wrapped for tmux passthrough
/// (`allow-passthrough on`) when inside tmux.
pub fn query(in_tmux: bool) -> String {
    let kitty = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\";
    let kitty = if in_tmux {
        format!("\x1bPtmux;{}\x1b\\", kitty.replace('\x1b', "\x1b\x1b"))
    } else {
        kitty.to_string()
    };
    format!("\x1b[>0q{kitty}\x1b[16t\x1b[c")
}

/// Read the answers out of `bytes` (whatever else is in there, keys typed
/// meanwhile included, is ignored). Pure, so it is tested on real answers.
pub fn parse_replies(bytes: &[u8]) -> ProbeReply {
    let text = String::from_utf8_lossy(bytes);
    let mut reply = ProbeReply::default();
    if let Some(start) = text.find("\x1bP>|") {
        let rest = &text[start + 4..];
        let end = rest.find("\x1b\\").unwrap_or(rest.len());
        let name: String = rest[..end].chars().filter(|c| !c.is_control()).collect();
        if !name.trim().is_empty() {
            reply.xtversion = Some(name.trim().to_string());
        }
    }
    reply.kitty_graphics = text.contains("\x1b_Gi=31;OK");
    for (params, last) in csi_sequences(&text) {
        match last {
            'c' if params.starts_with('?') => {
                reply.answered = true;
                reply.sixel = params[1..].split(';').any(|p| p == "4");
            }
            't' => {
                let parts: Vec<&str> = params.split(';').collect();
                if let ["6", h, w] = parts[..]
                    && let (Ok(h), Ok(w)) = (h.parse::<u16>(), w.parse::<u16>())
                    && h > 0
                    && w > 0
                {
                    reply.cell_px = Some((w, h));
                }
            }
            _ => {}
        }
    }
    reply
}

/// (parameters, final byte) of every `ESC [ … final` in `text`.
fn csi_sequences(text: &str) -> Vec<(&str, char)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("\x1b[") {
        let after = &rest[start + 2..];
        let Some(end) = after.find(|c: char| ('@'..='~').contains(&c)) else {
            break;
        };
        let last = after[end..].chars().next().unwrap_or(' ');
        out.push((&after[..end], last));
        rest = &after[end + last.len_utf8()..];
    }
    out
}

/// True when both stdin and stdout are terminals (the only case where a
/// question can be asked and its answer read).
pub fn is_tty() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Ask and wait for DA1 or `timeout`. Raw mode must be on (the answers
/// must not echo, nor wait for Enter). Reads fd 0 directly, unbuffered, so
/// nothing beyond the answers is taken from the event reader.
pub fn ask(timeout: Duration, in_tmux: bool) -> Option<ProbeReply> {
    let started = Instant::now();
    let mut out = std::io::stdout();
    out.write_all(query(in_tmux).as_bytes()).ok()?;
    out.flush().ok()?;
    let stdin = std::io::stdin();
    let fd = stdin.as_fd();
    let mut bytes = Vec::with_capacity(256);
    let mut reply = ProbeReply::default();
    loop {
        let left = timeout.saturating_sub(started.elapsed());
        if left.is_zero() {
            break;
        }
        let spec = rustix::event::Timespec {
            tv_sec: left.as_secs() as _,
            tv_nsec: left.subsec_nanos() as _,
        };
        let mut fds = [rustix::event::PollFd::new(
            &fd,
            rustix::event::PollFlags::IN,
        )];
        match rustix::event::poll(&mut fds, Some(&spec)) {
            Ok(0) => break,
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => break,
        }
        let mut chunk = [0u8; 512];
        match rustix::io::read(fd, &mut chunk) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => continue,
            Err(_) => break,
        }
        reply = parse_replies(&bytes);
        if reply.answered {
            break;
        }
        if bytes.len() > 64 * 1024 {
            break;
        }
    }
    reply.elapsed = started.elapsed();
    // A terminal that printed part of a question instead of answering it
    // (none seen, but cheap to be sure of): wipe the line the cursor is on.
    let _ = out.write_all(b"\r\x1b[K");
    let _ = out.flush();
    Some(reply)
}

/// Cell size from the tty's winsize (xterm fills in the pixel fields even
/// when it refuses `CSI 16 t`, its default `allowWindowOps: false`).
pub fn winsize_cell_px() -> Option<(u16, u16)> {
    let ws = rustix::termios::tcgetwinsize(std::io::stdout()).ok()?;
    if ws.ws_col == 0 || ws.ws_row == 0 || ws.ws_xpixel == 0 || ws.ws_ypixel == 0 {
        return None;
    }
    Some((ws.ws_xpixel / ws.ws_col, ws.ws_ypixel / ws.ws_row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kitty_answers_everything() {
        let r =
            parse_replies(b"\x1bP>|kitty(0.26.5)\x1b\\\x1b_Gi=31;OK\x1b\\\x1b[6;20;10t\x1b[?62;c");
        assert_eq!(r.xtversion.as_deref(), Some("kitty(0.26.5)"));
        assert!(r.kitty_graphics && r.answered && !r.sixel);
        assert_eq!(r.cell_px, Some((10, 20)));
    }

    #[test]
    fn xterm_vt340_reports_sixel_but_no_cell_size() {
        let r = parse_replies(b"\x1bP>|XTerm(379)\x1b\\\x1b[?63;1;2;4;6;9;15;16;22;28c");
        assert_eq!(r.xtversion.as_deref(), Some("XTerm(379)"));
        assert!(r.sixel && r.answered && !r.kitty_graphics);
        assert_eq!(r.cell_px, None);
        // Plain xterm: no 4.
        assert!(!parse_replies(b"\x1b[?64;1;2;6;9;15;16;17;18;21;22;28c").sixel);
        // "14" is not "4".
        assert!(!parse_replies(b"\x1b[?62;14c").sixel);
    }

    #[test]
    fn vte_answers_only_da1_and_typed_keys_are_ignored() {
        let r = parse_replies(b"q\x1b[A\x1b[?65;1;9c");
        assert_eq!(r.xtversion, None);
        assert!(r.answered && !r.sixel && !r.kitty_graphics);
        assert_eq!(parse_replies(b""), ProbeReply::default());
        // A kitty error answer is not support.
        assert!(!parse_replies(b"\x1b_Gi=31;EINVAL\x1b\\\x1b[?62c").kitty_graphics);
    }

    #[test]
    fn the_query_ends_with_da1_and_wraps_kitty_for_tmux() {
        assert!(query(false).ends_with("\x1b[c"));
        assert!(query(false).starts_with("\x1b[>0q"));
        let t = query(true);
        assert!(t.contains("\x1bPtmux;\x1b\x1b_Gi=31"));
    }
}
