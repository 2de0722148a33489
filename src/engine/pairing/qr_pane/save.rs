//! Where `s` saves the code on screen: the PNG's folder and file name.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::QrPane;

impl QrPane {
    /// Where `s` saves the code: next to the config, else the current dir.
    pub fn png_path(&self, config_path: Option<&Path>, wall: SystemTime) -> PathBuf {
        let dir = config_path
            .and_then(Path::parent)
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        dir.join(png_file_name(&self.instance, wall))
    }
}

/// `qr-<id>-<UTC time>.png`; the id keeps only characters safe in file
/// names everywhere, and the time has no colons (Windows refuses them).
pub fn png_file_name(instance: &str, wall: SystemTime) -> String {
    let id: String = instance
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    let time = humantime::format_rfc3339_seconds(wall)
        .to_string()
        .replace(':', "-");
    format!("qr-{id}-{time}.png")
}
