//! The real binary in a real pseudo-terminal: start the demo, wait for the
//! statuses, filter, open help, quit, and check the terminal was restored.

use std::time::Duration;

use crate::common::pty::PtySession;

const WAIT: Duration = Duration::from_secs(20);

#[test]
fn demo_filter_help_quit_restores_the_terminal() {
    let mut s = PtySession::spawn(&["--demo", "--lang", "en"], &[], 100, 30);
    // Every row answered (no "checking…" left), with both kinds present.
    let screen = s.wait_for("statuses from the demo sandbox", WAIT, |sc| {
        // ◌: a status from the last run (the demo's history), not yet answered.
        sc.contains("● active")
            && sc.contains("○ inactive")
            && !sc.contains("checking")
            && !sc.contains('◌')
    });
    assert!(screen.contains("wadash"), "{screen}");
    let total_rows = screen
        .lines()
        .filter(|l| l.contains("● active") || l.contains("○ inactive"))
        .count();

    s.send("/");
    s.wait_for("the filter prompt", WAIT, |sc| sc.contains("/filter"));
    s.send("status:inactive");
    let narrowed = s.wait_for("the list to narrow", WAIT, |sc| {
        sc.contains("status:inactive") && !sc.contains("● active ")
    });
    let shown = narrowed
        .lines()
        .filter(|l| l.contains("○ inactive"))
        .count();
    assert!(shown >= 1 && shown < total_rows, "{narrowed}");
    s.send("\r");
    s.send("?");
    s.wait_for("the help overlay", WAIT, |sc| {
        sc.contains("Keys") && sc.contains("cycle sort")
    });
    s.send("\x1b");
    s.wait_for("help to close", WAIT, |sc| !sc.contains("cycle sort"));
    s.send("q");
    let status = s.wait_exit(WAIT);
    assert!(status.success(), "exit status {status:?}");

    let raw = s.raw();
    let has = |seq: &[u8]| raw.windows(seq.len()).any(|w| w == seq);
    assert!(has(b"\x1b[?1049h"), "entered the alternate screen");
    assert!(has(b"\x1b[?1049l"), "left the alternate screen");
    assert!(has(b"\x1b[?25h"), "showed the cursor again");
    assert!(
        has(b"\x1b[?1000l") || has(b"\x1b[?1006l"),
        "mouse capture off"
    );
    let termios = s.master.get_termios();
    // Only a pty without termios support may skip the check, and Linux has it.
    assert!(
        termios.is_some() || !cfg!(target_os = "linux"),
        "cannot read the pty's termios: the raw-mode check would be skipped"
    );
    if let Some(termios) = termios {
        use nix::sys::termios::LocalFlags;
        assert!(
            termios
                .local_flags
                .contains(LocalFlags::ICANON | LocalFlags::ECHO),
            "raw mode left on: {:?}",
            termios.local_flags
        );
    }
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut s = PtySession::spawn(&["--demo"], &[], 80, 24);
    s.wait_for("the dashboard", WAIT, |sc| sc.contains("wadash"));
    let pid = s.child.process_id().expect("pid") as i32;
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let status = s.wait_exit(WAIT);
    assert_eq!(status.exit_code(), 143, "128 + SIGTERM: {status:?}");
    assert_restored(&s);
}

/// A server that never answers: rows show "checking…", then a timeout error
/// with wadash's hint, and the keys keep working the whole time.
#[test]
fn a_hung_server_never_freezes_the_ui() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut opts = wadash::sandbox::SandboxOptions::for_tests();
    opts.instances = 3;
    opts.fault = Some(wadash::sandbox::Fault::Hang);
    let sandbox = runtime.block_on(wadash::sandbox::start(opts)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = format!(
        "[[account]]\nname = \"hung\"\nbase_url = \"{}\"\napi_key = \"{}\"\ntimeout = \"1s\"\n",
        sandbox.base_url(),
        sandbox.api_key
    );
    for (n, inst) in sandbox.instances.iter().enumerate() {
        config.push_str(&format!(
            "\n[[instance]]\nid = \"{}\"\nlabel = \"Sucursal {n}\"\n",
            inst.id
        ));
    }
    let path = dir.path().join("config.toml");
    std::fs::write(&path, config).unwrap();

    let mut s = PtySession::spawn(
        &["--config", path.to_str().unwrap(), "--lang", "en"],
        &[],
        100,
        30,
    );
    s.wait_for("rows being checked", WAIT, |sc| sc.contains("checking"));
    // While every request hangs, the help opens and closes at once.
    s.send("?");
    s.wait_for("help while requests hang", Duration::from_secs(3), |sc| {
        sc.contains("cycle sort")
    });
    s.send("\x1b");
    let screen = s.wait_for("timeout errors on the rows", WAIT, |sc| {
        // Every table row in error (the details pane may say it once more).
        let rows = sc
            .lines()
            .filter(|l| l.trim_start().starts_with("! error") && l.contains("Sucursal"))
            .count();
        rows == 3 && sc.contains("no answer within 1s")
    });
    assert!(
        !screen.contains(&sandbox.api_key),
        "the key is never on screen"
    );
    s.send("q");
    assert!(s.wait_exit(WAIT).success());
    runtime.block_on(sandbox.shutdown());
}

#[test]
fn sighup_quits_and_restores_the_terminal() {
    let mut s = PtySession::spawn(&["--demo"], &[], 80, 24);
    s.wait_for("the dashboard", WAIT, |sc| sc.contains("wadash"));
    let pid = s.child.process_id().expect("pid") as i32;
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGHUP,
    )
    .unwrap();
    let status = s.wait_exit(WAIT);
    assert_eq!(status.exit_code(), 129, "128 + SIGHUP: {status:?}");
    assert_restored(&s);
}

/// Alternate screen left, cursor shown, mouse reporting off, tty cooked.
fn assert_restored(s: &PtySession) {
    let raw = s.raw();
    let has = |seq: &[u8]| raw.windows(seq.len()).any(|w| w == seq);
    assert!(has(b"\x1b[?1049l"), "left the alternate screen");
    assert!(has(b"\x1b[?25h"), "showed the cursor again");
    assert!(
        has(b"\x1b[?1000l") || has(b"\x1b[?1006l"),
        "mouse capture off"
    );
    let termios = s.master.get_termios().expect("the pty's termios");
    use nix::sys::termios::LocalFlags;
    assert!(
        termios
            .local_flags
            .contains(LocalFlags::ICANON | LocalFlags::ECHO),
        "raw mode left on: {:?}",
        termios.local_flags
    );
}

fn signal(s: &PtySession, signal: nix::sys::signal::Signal) {
    let pid = s.child.process_id().expect("pid") as i32;
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal).unwrap();
}

#[test]
fn sigquit_and_sigint_restore_the_terminal_and_exit_128_plus_signal() {
    use nix::sys::signal::Signal;
    for (sig, code) in [(Signal::SIGQUIT, 131), (Signal::SIGINT, 130)] {
        let mut s = PtySession::spawn(&["--demo"], &[], 80, 24);
        s.wait_for("the dashboard", WAIT, |sc| sc.contains("wadash"));
        signal(&s, sig);
        let status = s.wait_exit(WAIT);
        assert_eq!(status.exit_code(), code, "{sig:?}: {status:?}");
        assert_restored(&s);
    }
}

#[test]
fn ctrl_backslash_in_raw_mode_quits_like_sigquit() {
    let mut s = PtySession::spawn(&["--demo"], &[], 80, 24);
    s.wait_for("the dashboard", WAIT, |sc| sc.contains("wadash"));
    s.send("\x1c");
    let status = s.wait_exit(WAIT);
    assert_eq!(status.exit_code(), 131, "{status:?}");
    assert_restored(&s);
}

/// The process state letter from /proc (T = stopped).
fn state(pid: u32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit(')')
        .next()
        .and_then(|rest| rest.trim().chars().next())
        .unwrap_or('?')
}

fn wait_state(pid: u32, want: char) {
    let started = std::time::Instant::now();
    while state(pid) != want {
        assert!(
            started.elapsed() < WAIT,
            "process {pid} never reached state {want}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn ctrl_z_and_sigtstp_suspend_restore_and_redraw_on_sigcont() {
    use nix::sys::signal::Signal;
    let mut s = PtySession::spawn(&["--demo", "--lang", "en"], &[], 80, 24);
    s.wait_for("the dashboard", WAIT, |sc| sc.contains("wadash"));
    let pid = s.child.process_id().expect("pid");
    let count =
        |s: &PtySession, seq: &[u8]| s.raw().windows(seq.len()).filter(|w| *w == seq).count();
    for (n, how) in ["key", "signal"].into_iter().enumerate() {
        if how == "key" {
            s.send("\x1a");
        } else {
            signal(&s, Signal::SIGTSTP);
        }
        wait_state(pid, 'T');
        // Stopped with the terminal given back (the pty's reader may lag
        // behind the stop on a loaded machine: wait for what it wrote).
        let started = std::time::Instant::now();
        while count(&s, b"\x1b[?1049l") < n + 1 {
            assert!(
                started.elapsed() < WAIT,
                "{how}: never left the alternate screen"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(
            count(&s, b"\x1b[?1049l"),
            n + 1,
            "{how}: left the alternate screen once"
        );
        assert_restored(&s);
        signal(&s, Signal::SIGCONT);
        let started = std::time::Instant::now();
        while count(&s, b"\x1b[?1049h") < n + 2 {
            assert!(
                started.elapsed() < WAIT,
                "{how}: never re-entered the screen"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        s.wait_for("the redraw", WAIT, |sc| sc.contains("wadash"));
        // Raw again: keys work.
        s.send("?");
        s.wait_for("help after resuming", WAIT, |sc| sc.contains("cycle sort"));
        s.send("\x1b");
        s.wait_for("help to close", WAIT, |sc| !sc.contains("cycle sort"));
    }
    s.send("q");
    assert!(s.wait_exit(WAIT).success());
    assert_restored(&s);
}
