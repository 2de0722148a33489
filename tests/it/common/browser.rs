//! A real browser for pages wadash serves: headless Chromium takes a
//! screenshot or dumps the DOM after scripts ran, and zbar reads the QR
//! codes in a screenshot.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// Chromium and zbar, installed when missing.
pub fn ensure_browser() {
    crate::common::debs::ensure_debs(&["chromium", "zbar-tools"]);
}

/// Headless Chromium with a throwaway profile (`--no-sandbox`: tests run as root in CI).
fn chromium(profile: &Path) -> Command {
    let mut cmd = Command::new("chromium");
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-extensions",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

/// A `width`×`height` screenshot of `url` into `out` (PNG).
pub fn screenshot(url: &str, size: (u32, u32), out: &Path) {
    screenshot_with(url, size, out, &[]);
}

/// [`screenshot`] with more Chromium flags (`--disable-javascript`).
pub fn screenshot_with(url: &str, (width, height): (u32, u32), out: &Path, flags: &[&str]) {
    let profile = tempfile::tempdir().unwrap();
    let result = chromium(profile.path())
        .args(flags)
        .arg(format!("--screenshot={}", out.display()))
        .arg(format!("--window-size={width},{height}"))
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        result.status.success() && out.exists(),
        "chromium --screenshot failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
}

/// The DOM of `url` after its scripts ran for `budget_ms` of virtual time.
pub fn dump_dom(url: &str, budget_ms: u32) -> String {
    let profile = tempfile::tempdir().unwrap();
    let result = chromium(profile.path())
        .arg("--dump-dom")
        .arg(format!("--virtual-time-budget={budget_ms}"))
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        result.status.success(),
        "chromium --dump-dom failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    String::from_utf8_lossy(&result.stdout).into_owned()
}

/// Every QR code zbar finds in the picture, one text each (none: empty).
pub fn zbar_codes(picture: &Path) -> Vec<String> {
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .arg(picture)
        .output()
        .expect("zbarimg runs");
    // zbarimg exits 4 when it finds no code: that is an answer, not a failure.
    assert!(
        matches!(out.status.code(), Some(0 | 4)),
        "zbarimg failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}
