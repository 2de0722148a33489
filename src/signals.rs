//! Signals for the dashboard and the headless commands: which terminating
//! signal arrived (so the process exits 128 + its number, the shell
//! convention: 130 SIGINT, 143 SIGTERM, 129 SIGHUP, 131 SIGQUIT), and
//! suspending like other full-screen programs on Ctrl-Z / SIGTSTP.
//!
//! `wadash watch` is a daemon and treats SIGTERM/SIGINT as its normal stop
//! (exit 0): it does not use [`until_signal`].

use std::future::Future;
use std::sync::atomic::{AtomicI32, Ordering};

/// The first terminating signal received, 0 for none.
static RECEIVED: AtomicI32 = AtomicI32::new(0);

/// The signals that end wadash (after giving the terminal back).
#[cfg(unix)]
pub const TERMINATING: [i32; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

/// Remember `signal` as the reason wadash is ending (the first one wins).
pub fn record(signal: i32) {
    let _ = RECEIVED.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
}

/// The signal that ended wadash, if one did.
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        n => Some(n),
    }
}

/// 128 + the signal, as shells report a process a signal ended.
pub fn exit_code(signal: i32) -> u8 {
    u8::try_from(128 + signal.clamp(1, 127)).unwrap_or(255)
}

/// Waits for the next terminating signal and returns its number. Each call
/// registers the handlers anew (tokio keeps them for the process).
#[cfg(unix)]
pub async fn next_terminating() -> i32 {
    use tokio::signal::unix::{SignalKind, signal};
    let kinds = [
        (SignalKind::interrupt(), libc::SIGINT),
        (SignalKind::terminate(), libc::SIGTERM),
        (SignalKind::hangup(), libc::SIGHUP),
        (SignalKind::quit(), libc::SIGQUIT),
    ];
    let mut streams = Vec::new();
    for (kind, number) in kinds {
        if let Ok(stream) = signal(kind) {
            streams.push((stream, number));
        }
    }
    if streams.is_empty() {
        return std::future::pending().await;
    }
    let waits = streams.iter_mut().map(|(stream, number)| {
        let number = *number;
        Box::pin(async move {
            stream.recv().await;
            number
        })
    });
    futures_util::future::select_all(waits).await.0
}

#[cfg(not(unix))]
pub async fn next_terminating() -> i32 {
    let _ = tokio::signal::ctrl_c().await;
    2
}

/// Runs a headless command unless a terminating signal comes first; then the
/// command is dropped (its requests cancelled) and the signal recorded, so
/// `main` exits 128 + signal instead of the default death (SIGQUIT would
/// dump core).
pub async fn until_signal<T>(command: impl Future<Output = T>) -> Option<T> {
    tokio::select! {
        done = command => Some(done),
        signal = next_terminating() => {
            record(signal);
            None
        }
    }
}

/// Stops the process the way the shell's job control expects, after the
/// caller has given the terminal back; returns once continued (`fg`).
/// SIGSTOP rather than re-raising SIGTSTP: wadash handles SIGTSTP itself
/// (to restore the terminal first), and SIGSTOP cannot be caught.
#[cfg(unix)]
pub fn stop_self() {
    // SAFETY: sends a signal to this process; no memory is touched.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGSTOP);
    }
}

#[cfg(not(unix))]
pub fn stop_self() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_shell() {
        assert_eq!(exit_code(libc::SIGINT), 130);
        assert_eq!(exit_code(libc::SIGTERM), 143);
        assert_eq!(exit_code(libc::SIGHUP), 129);
        assert_eq!(exit_code(libc::SIGQUIT), 131);
    }
}
