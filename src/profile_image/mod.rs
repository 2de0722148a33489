//! Profile picture preparation: turn what the user typed (a path, a URL, or
//! pasted base64) into the body of `PUT /api/config/image`.
//!
//! Everything local is checked before anything is sent: the file exists, is
//! readable, is at most 20 MiB, and decodes as PNG, JPEG, WebP, GIF or BMP.
//! Decoding is bounded by [`image::Limits`] so a decompression bomb is an
//! error, not an out-of-memory kill.
//!
//! By default a local file is centre-cropped to a square and re-encoded as a
//! JPEG of exactly `size`×`size` (640 by default). Smaller pictures are
//! upscaled too: that is what the common WhatsApp libraries do, WhatsApp stores
//! 640×640 anyway, and a fixed output size makes what is sent predictable.
//! `keep_original` sends the file's bytes untouched (still validated).
//!
//! Split by job: `source` (what the user typed), `prepare` (the request
//! body), `read` (a bounded file read), `decode` (bounded decoding),
//! `encode` (square JPEG), `preview` (the form's thumbnail), `error`.

mod decode;
mod encode;
mod error;
mod prepare;
mod preview;
mod read;
mod source;

pub use decode::format_name;
pub use error::ImageError;
pub use prepare::{PREPARE_TIMEOUT, PrepareOptions, Prepared, prepare, prepare_within};
pub use preview::preview_text;
pub use read::io_error;
pub use source::{ImageSource, can_send_again, classify, classify_text};

#[cfg(test)]
mod tests;

/// Largest file (or decoded inline payload) accepted.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// Largest width or height a decoder may announce.
pub const MAX_DIMENSION: u32 = 20_000;
/// Largest pixel buffer a decode may allocate: 256 MiB is an 8000×8000 RGBA
/// picture, far beyond any real profile photo, yet bounded.
pub const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;
/// Default edge of the square JPEG sent.
pub const DEFAULT_SIZE: u32 = 640;
/// JPEG quality of the re-encoded picture.
pub const JPEG_QUALITY: u8 = 85;
/// The preview fits in this many pixels each way (half-blocks: 64 columns ×
/// 32 terminal rows at most).
pub const PREVIEW_MAX: u32 = 64;
