//! Word wrapping and ellipsis by display width (wide characters count
//! two), for text a person must read whole.

use unicode_segmentation::UnicodeSegmentation as _;
use unicode_width::UnicodeWidthStr;

/// `text` in lines at most `width` columns wide, broken at spaces only
/// (`set-clipboard` and paths stay whole); a word longer than a line is
/// broken between graphemes. Continuation lines get `indent` spaces.
pub fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let width = width.max(indent + 4);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    let mut has_words = false;
    for word in text.split_inclusive(' ') {
        let w = word.width();
        // The trailing space may hang past the edge.
        let fit = word.trim_end().width();
        if used + fit > width && has_words {
            lines.push(line.trim_end().to_string());
            line = " ".repeat(indent);
            used = indent;
            has_words = false;
            if word.trim().is_empty() {
                continue;
            }
        }
        has_words = true;
        if fit > width - used {
            for g in word.graphemes(true) {
                let gw = g.width();
                if used + gw > width {
                    lines.push(std::mem::take(&mut line));
                    line = " ".repeat(indent);
                    used = indent;
                }
                line.push_str(g);
                used += gw;
            }
        } else {
            line.push_str(word);
            used += w;
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// `text` cut to `width` columns, ending in `…` when cut.
pub fn ellipsis(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in text.graphemes(true) {
        let gw = g.width();
        if used + gw + 1 > width {
            break;
        }
        out.push_str(g);
        used += gw;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::{ellipsis, wrap};
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn lines_break_between_words_and_fit() {
        let text = "stop polling and restart it when the operator says so";
        let lines = wrap(text, 20, 2);
        assert!(lines.iter().all(|l| l.width() <= 20), "{lines:?}");
        assert_eq!(
            lines.join(" ").split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
        assert!(lines[1].starts_with("  "));
    }

    #[test]
    fn a_long_word_and_wide_characters_still_fit() {
        for line in wrap(
            "ｗｉｄｅｗｉｄｅｗｉｄｅ and aaaaaaaaaaaaaaaaaaaaaaaaa",
            10,
            0,
        ) {
            assert!(line.width() <= 10, "{line}");
        }
        assert_eq!(ellipsis("api key missing", 8), "api key…");
        assert_eq!(ellipsis("short", 8), "short");
        assert!(ellipsis("ｗｉｄｅｗｉｄｅ", 5).width() <= 5);
    }
}
