//! `o` in the QR pane: the saved PNG in the desktop's image viewer, for a
//! terminal that can show no scannable code (xdg-open on Linux desktops,
//! `open` on macOS).

use std::path::Path;
use std::process::{Command, Stdio};

fn opener() -> Option<&'static str> {
    let candidates: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else {
        &["xdg-open"]
    };
    let path = std::env::var_os("PATH")?;
    candidates
        .iter()
        .copied()
        .find(|name| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
}

/// A viewer can be started: the opener exists and (off macOS) there is a desktop.
pub fn available() -> bool {
    let desktop = cfg!(target_os = "macos")
        || std::env::var_os("DISPLAY").is_some()
        || std::env::var_os("WAYLAND_DISPLAY").is_some();
    desktop && opener().is_some()
}

/// Start the viewer on `path`, detached (its output would garble the TUI).
pub fn open(path: &Path) -> Result<(), String> {
    let Some(opener) = opener().filter(|_| available()) else {
        return Err("no image viewer here (xdg-open not found or no desktop)".into());
    };
    Command::new(opener)
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(|mut child| {
            // Meant to outlive the key press (the viewer stays open), never
            // killed; only reaped when it exits, so no zombie is left per open.
            std::thread::spawn(move || child.wait());
        })
        .map_err(|e| format!("{opener}: {e}"))
}
