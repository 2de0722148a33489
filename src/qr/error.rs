//! One error type for everything the QR module can refuse. Each message says
//! what arrived (with its first characters) so the operator can tell a server
//! fault from a format we do not understand.

use std::fmt;

/// How much of the offending input an error quotes.
const SNIPPET_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrError {
    /// Nothing to decode (empty or whitespace only).
    Empty,
    /// A `data:` URL we cannot use (no comma, or not base64).
    BadDataUrl { start: String },
    /// The value is not base64 (standard or URL-safe alphabet).
    NotBase64 { start: String },
    /// Valid base64, but the bytes are neither a known image nor readable text.
    UnknownBytes { start: String },
    /// The bytes look like an image but the decoder refused them.
    BadImage { format: String, reason: String },
    /// The image decoded but nothing in it looks like a QR code.
    NoQrFound { width: u32, height: u32 },
    /// A QR code was located but its contents could not be read.
    Unreadable { reason: String },
    /// The pairing text does not fit in any QR version.
    TooLong { len: usize },
    /// A terminal buffer region could not be read back (tests, benchmarks).
    Buffer { reason: String },
    /// The code could not be written as a PNG image.
    PngExport { reason: String },
}

impl fmt::Display for QrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QrError::Empty => write!(f, "the QR value is empty"),
            QrError::BadDataUrl { start } => write!(
                f,
                "the QR value is a data URL that is not base64 (starts with \"{start}\")"
            ),
            QrError::NotBase64 { start } => {
                write!(f, "the QR value is not base64 (starts with \"{start}\")")
            }
            QrError::UnknownBytes { start } => write!(
                f,
                "the QR value is base64 but decodes to neither an image nor text (starts with \"{start}\")"
            ),
            QrError::BadImage { format, reason } => {
                write!(
                    f,
                    "the QR value is a {format} image that could not be decoded: {reason}"
                )
            }
            QrError::NoQrFound { width, height } => write!(
                f,
                "image decoded ({width}×{height}) but no QR code found in it"
            ),
            QrError::Unreadable { reason } => write!(f, "QR found but unreadable: {reason}"),
            QrError::TooLong { len } => write!(
                f,
                "the pairing text is too long for a QR code ({len} bytes)"
            ),
            QrError::Buffer { reason } => {
                write!(f, "cannot read a QR code back from the screen: {reason}")
            }
            QrError::PngExport { reason } => {
                write!(f, "could not write the QR code as a PNG: {reason}")
            }
        }
    }
}

impl std::error::Error for QrError {}

/// The first characters of a text, control characters escaped, "…" when cut.
pub(crate) fn snippet(text: &str) -> String {
    let head: String = text.chars().take(SNIPPET_CHARS).collect();
    let mut out = head.escape_debug().to_string();
    if text.chars().nth(SNIPPET_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// The first bytes of binary data, shown as text where they are text.
pub(crate) fn snippet_bytes(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(SNIPPET_CHARS)];
    let mut out = String::from_utf8_lossy(head).escape_debug().to_string();
    if bytes.len() > SNIPPET_CHARS {
        out.push('…');
    }
    out
}
