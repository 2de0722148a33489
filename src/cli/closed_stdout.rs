//! A reader that stops early (`wadash completions bash | head -1`,
//! `wadash status --json | head -c1`) is the Unix habit, not a failure:
//! when stdout is a closed pipe wadash exits 0 without a word.
//!
//! Rust ignores SIGPIPE, so a write to a closed pipe is an `EPIPE` error:
//! `print!` panics on it ("failed printing to stdout: Broken pipe") and an
//! explicit write returns it. SIGPIPE is not restored to its default
//! instead, because the same process writes to sockets and to hook
//! children's pipes, where a peer going away must stay an error.

use std::io::{self, ErrorKind, Write};

/// The message std's print macros panic with; stable since Rust 1.0.
const PRINT_PANIC: &str = "failed printing to stdout";

/// Call once in `main`: a print to a closed stdout ends the process with
/// exit 0 and nothing on stderr; every other panic reports as before.
pub fn install() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // The hook's Display holds the message however it was built.
        if is_closed_stdout_panic(&info.to_string()) {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn is_closed_stdout_panic(text: &str) -> bool {
    text.contains(PRINT_PANIC) && (text.contains("Broken pipe") || text.contains("os error 32"))
}

/// Write `bytes` to stdout and flush; a closed pipe is success (the reader
/// had what it wanted), any other error is returned.
pub fn write_all(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_broken_stdout_is_quiet() {
        let broken = format!("{PRINT_PANIC}: Broken pipe (os error 32)");
        assert!(is_closed_stdout_panic(&broken));
        assert!(!is_closed_stdout_panic(&format!(
            "{PRINT_PANIC}: No space left on device (os error 28)"
        )));
        assert!(!is_closed_stdout_panic("index out of bounds"));
    }
}
