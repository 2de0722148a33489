//! Debian packages a test needs, installed by the project's own script when
//! missing (root on CI); without them the test fails with the reason.

use std::process::Command;

pub fn ensure_debs(packages: &[&str]) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/lib/ensure-debs.sh");
    let out = Command::new("bash")
        .arg(script)
        .args(packages)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cannot install {packages:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
