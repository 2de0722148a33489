//! The QR in real terminal emulators under Xvfb, decoded from a screenshot:
//! runs `scripts/terminal-qr.sh` (which installs what it needs from Debian
//! through `scripts/lib/ensure-debs.sh`) against this build's binary and
//! fails with its matrix when a required case does not scan, or when plain
//! xterm (no sextant font, no images) shows anything but the advice.
//! A terminal that cannot run here makes the case FAILED with the reason,
//! never a silent skip.

use std::process::Command;
use std::time::Instant;

#[test]
fn the_qr_scans_in_real_terminals_at_80x24() {
    let started = Instant::now();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/terminal-qr.sh");
    let output = Command::new("bash")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_wadash"))
        .output()
        .expect("bash runs scripts/terminal-qr.sh");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    eprintln!(
        "terminal-qr.sh took {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        output.status.success(),
        "terminal-qr.sh failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    // The matrix must hold every case, so a script that ran nothing cannot pass.
    for term in ["kitty", "lxterminal", "xterm-vt340", "mlterm", "xterm"] {
        for face in ["dash", "qr"] {
            assert!(
                stdout.lines().any(|l| {
                    let mut w = l.split_whitespace();
                    w.next() == Some(term) && w.next() == Some(face)
                }),
                "no {term} {face} row in the matrix:\n{stdout}"
            );
        }
    }
}
