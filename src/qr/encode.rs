//! Pairing text -> module grid. Lowest error correction (L) keeps the version,
//! and so the drawing, as small as phone scanners accept.

use qrcode::{Color, EcLevel, QrCode, Version};

use super::error::QrError;

/// A square grid of QR modules, without quiet zone.
#[derive(Clone, PartialEq, Eq)]
pub struct Modules {
    width: usize,
    version: u8,
    dark: Vec<bool>,
}

impl Modules {
    /// Modules per side (17 + 4 × version).
    pub fn width(&self) -> usize {
        self.width
    }

    /// QR version 1–40.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// Whether the module at (x, y) is dark. Anything outside the grid is
    /// light: that is the quiet zone, so drawing code can ask freely.
    pub fn is_dark(&self, x: isize, y: isize) -> bool {
        if x < 0 || y < 0 {
            return false;
        }
        let (x, y) = (x as usize, y as usize);
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }
}

impl std::fmt::Debug for Modules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Modules(version {}, {}×{})",
            self.version, self.width, self.width
        )
    }
}

pub fn encode(text: &str) -> Result<Modules, QrError> {
    if text.is_empty() {
        return Err(QrError::Empty);
    }
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L)
        .map_err(|_| QrError::TooLong { len: text.len() })?;
    let version = match code.version() {
        Version::Normal(v) | Version::Micro(v) => u8::try_from(v).unwrap_or(0),
    };
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Ok(Modules {
        width,
        version,
        dark,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smallest_version_at_level_l() {
        // Byte-mode capacity at level L: v1 = 17 bytes, v2 = 32 bytes.
        assert_eq!(encode(&"a".repeat(17)).unwrap().version(), 1);
        assert_eq!(encode(&"a".repeat(18)).unwrap().version(), 2);
        let m = encode(&"a".repeat(18)).unwrap();
        assert_eq!(m.width(), 25);
    }

    #[test]
    fn outside_the_grid_is_light() {
        let m = encode("hello").unwrap();
        // Top-left finder corner is dark; one step outside is quiet zone.
        assert!(m.is_dark(0, 0));
        assert!(!m.is_dark(-1, 0));
        assert!(!m.is_dark(0, m.width() as isize));
    }

    #[test]
    fn refuses_empty_and_too_long() {
        assert_eq!(encode(""), Err(QrError::Empty));
        assert!(matches!(
            encode(&"x".repeat(3000)),
            Err(QrError::TooLong { len: 3000 })
        ));
    }
}
