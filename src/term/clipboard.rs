//! Copy through the terminal (OSC 52): the text travels in the output
//! stream, so it reaches the local clipboard over SSH too. tmux passes it
//! on with `set -g set-clipboard on`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// `ESC ] 52 ; c ; BASE64 BEL`: set the clipboard selection to `text`.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", STANDARD.encode(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::osc52;

    #[test]
    fn the_sequence_carries_the_text_in_base64() {
        assert_eq!(osc52("abc"), "\x1b]52;c;YWJj\x07");
    }
}
