//! Why a picture cannot be sent, and each reason's message for the user.

use std::fmt;
use std::path::{Path, PathBuf};

use super::{MAX_DECODE_ALLOC, MAX_DIMENSION, MAX_FILE_BYTES};

/// Why a picture cannot be sent. Each message says what is wrong and, where
/// it helps, what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageError {
    Missing {
        path: PathBuf,
    },
    Unreadable {
        path: PathBuf,
        reason: String,
    },
    NotAFile {
        path: PathBuf,
        /// "a directory", "a named pipe", "a device", …
        kind: &'static str,
    },
    /// Zero bytes.
    Empty {
        what: String,
    },
    TooLarge {
        what: String,
        bytes: u64,
    },
    /// The bytes match no picture format.
    NotAnImage {
        what: String,
        /// Format the file name claims (by extension), if any.
        claimed: Option<&'static str>,
        looks_like_text: bool,
    },
    /// A picture format wadash does not decode (e.g. TIFF).
    UnsupportedFormat {
        what: String,
        detected: &'static str,
    },
    Undecodable {
        what: String,
        format: &'static str,
        reason: String,
    },
    /// Width or height 0.
    ZeroSize {
        what: String,
        width: u32,
        height: u32,
    },
    /// Decoding would exceed the dimension or memory limits.
    TooManyPixels {
        what: String,
        width: u32,
        height: u32,
    },
    BadBase64 {
        reason: String,
    },
    InsecureUrl {
        url: String,
    },
    BadUrl {
        url: String,
        reason: String,
    },
    Encode {
        reason: String,
    },
    /// Neither a plausible path, nor a URL, nor base64 (a pasted blob, an
    /// `ftp://` link): what was given, cut short.
    NotASource {
        shown: String,
    },
    /// Preparation did not finish in time (a file on a hung network mount).
    TimedOut {
        what: String,
        after: std::time::Duration,
    },
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::Missing { path } => write!(
                f,
                "{}: no such file (expected a picture file, an https:// URL, \
                 or base64 / a data:image/…;base64, URL)",
                shown_path(path)
            ),
            ImageError::Unreadable { path, reason } => {
                write!(f, "{}: cannot be read ({reason})", shown_path(path))
            }
            ImageError::NotAFile { path, kind } => {
                write!(f, "{}: is {kind}, not a picture file", shown_path(path))
            }
            ImageError::NotASource { shown } => write!(
                f,
                "{shown}: not a picture file path, an https:// URL, nor base64 \
                 (expected e.g. ./logo.png, https://example.com/logo.jpg or data:image/png;base64,…)"
            ),
            ImageError::TimedOut { what, after } => write!(
                f,
                "{what}: preparing the picture took longer than {} s; nothing sent",
                after.as_secs()
            ),
            ImageError::Empty { what } => write!(f, "{what}: is empty (0 bytes), not a picture"),
            ImageError::TooLarge { what, bytes } => write!(
                f,
                "{what}: too large ({:.1} MiB; the limit is {} MiB)",
                *bytes as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            ImageError::NotAnImage {
                what,
                claimed,
                looks_like_text,
            } => {
                write!(f, "{what}: not an image")?;
                match claimed {
                    Some(c) => write!(f, " (the name says {c}, but the contents are not")?,
                    None => write!(f, " (the contents match no picture format")?,
                }
                if *looks_like_text {
                    write!(f, "; it looks like text")?;
                }
                write!(f, "); use a PNG, JPEG, WebP, GIF or BMP picture")
            }
            ImageError::UnsupportedFormat { what, detected } => write!(
                f,
                "{what}: {detected} pictures are not supported; use PNG, JPEG, WebP, GIF or BMP"
            ),
            ImageError::Undecodable {
                what,
                format,
                reason,
            } => write!(
                f,
                "{what}: looks like {format} but cannot be decoded ({reason})"
            ),
            ImageError::ZeroSize {
                what,
                width,
                height,
            } => write!(
                f,
                "{what}: the picture is {width}×{height}, it has no pixels"
            ),
            ImageError::TooManyPixels {
                what,
                width,
                height,
            } => {
                let needed = u64::from(*width) * u64::from(*height) * 4 / (1024 * 1024);
                let limit = MAX_DECODE_ALLOC / (1024 * 1024);
                if *width > MAX_DIMENSION || *height > MAX_DIMENSION {
                    write!(
                        f,
                        "{what}: {width}×{height} is larger than {MAX_DIMENSION} pixels a side; \
                         shrink it first (WhatsApp shows 640×640)"
                    )
                } else {
                    write!(
                        f,
                        "{what}: {width}×{height} would need about {needed} MiB to decode, \
                         more than the {limit} MiB wadash allows; shrink it first \
                         (WhatsApp shows 640×640)"
                    )
                }
            }
            ImageError::BadBase64 { reason } => {
                write!(f, "pasted text is not valid base64 ({reason})")
            }
            ImageError::InsecureUrl { url } => write!(
                f,
                "{url}: http:// links are refused; the service wants an https:// URL"
            ),
            ImageError::BadUrl { url, reason } => write!(f, "{url}: not a usable URL ({reason})"),
            ImageError::Encode { reason } => {
                write!(f, "could not re-encode the picture as JPEG ({reason})")
            }
        }
    }
}

impl std::error::Error for ImageError {}

/// A path for a message: at most 80 characters (a pasted blob of text
/// taken for a path must not fill the screen).
pub(super) fn shown_path(path: &Path) -> String {
    let text = path.display().to_string();
    clip_echo(&text)
}

pub(super) fn clip_echo(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let head: String = text.chars().take(MAX - 1).collect();
    format!("{head}… ({} characters)", text.chars().count())
}
