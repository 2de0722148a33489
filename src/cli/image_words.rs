//! Why `wadash set image` refuses a picture, in the user's language. The
//! reasons themselves ([`ImageError`]) are shared with the dashboard, which
//! shows their English; the command line words them here.

use crate::i18n::cli::CliStrings;
use crate::i18n::{fill, strings};
use crate::profile_image::{ImageError, MAX_DECODE_ALLOC, MAX_DIMENSION, MAX_FILE_BYTES};

/// `e` as a sentence in the current language.
pub fn refusal(e: &ImageError) -> String {
    let t = strings().cli;
    let mib = |bytes: u64| (bytes / (1024 * 1024)).to_string();
    match e {
        ImageError::Missing { path } => fill(t.img_missing, &[("what", &shown(path))]),
        ImageError::Unreadable { path, reason } => fill(
            t.img_unreadable,
            &[("what", &shown(path)), ("reason", reason)],
        ),
        ImageError::NotAFile { path, kind } => fill(
            t.img_not_a_file,
            &[("what", &shown(path)), ("kind", kind_word(t, kind))],
        ),
        ImageError::NotASource { shown } => fill(t.img_not_a_source, &[("what", shown)]),
        ImageError::TimedOut { what, after } => fill(
            t.img_timed_out,
            &[("what", what), ("s", &after.as_secs().to_string())],
        ),
        ImageError::Empty { what } => fill(t.img_empty, &[("what", what)]),
        ImageError::TooLarge { what, bytes } => fill(
            t.img_too_large,
            &[
                ("what", what),
                ("size", &format!("{:.1}", *bytes as f64 / (1024.0 * 1024.0))),
                ("limit", &mib(MAX_FILE_BYTES)),
            ],
        ),
        ImageError::NotAnImage {
            what,
            claimed,
            looks_like_text,
        } => {
            let mut text = fill(t.img_not_an_image, &[("what", what)]);
            match claimed {
                Some(c) => text.push_str(&fill(t.img_name_says, &[("claimed", c)])),
                None => text.push_str(t.img_matches_none),
            }
            if *looks_like_text {
                text.push_str(t.img_looks_like_text);
            }
            text.push_str(t.img_use_formats);
            text
        }
        ImageError::UnsupportedFormat { what, detected } => {
            fill(t.img_unsupported, &[("what", what), ("detected", detected)])
        }
        ImageError::Undecodable {
            what,
            format,
            reason,
        } => fill(
            t.img_undecodable,
            &[("what", what), ("format", format), ("reason", reason)],
        ),
        ImageError::ZeroSize {
            what,
            width,
            height,
        } => fill(
            t.img_zero_size,
            &[
                ("what", what),
                ("w", &width.to_string()),
                ("h", &height.to_string()),
            ],
        ),
        ImageError::TooManyPixels {
            what,
            width,
            height,
        } => {
            let (w, h) = (width.to_string(), height.to_string());
            if *width > MAX_DIMENSION || *height > MAX_DIMENSION {
                let max = MAX_DIMENSION.to_string();
                fill(
                    t.img_too_wide,
                    &[("what", what), ("w", &w), ("h", &h), ("max", &max)],
                )
            } else {
                let needed = u64::from(*width) * u64::from(*height) * 4;
                fill(
                    t.img_too_many_pixels,
                    &[
                        ("what", what),
                        ("w", &w),
                        ("h", &h),
                        ("needed", &mib(needed)),
                        ("limit", &mib(MAX_DECODE_ALLOC)),
                    ],
                )
            }
        }
        ImageError::BadBase64 { reason } => fill(t.img_bad_base64, &[("reason", reason)]),
        ImageError::InsecureUrl { url } => fill(t.img_insecure_url, &[("url", url)]),
        ImageError::BadUrl { url, reason } => {
            fill(t.img_bad_url, &[("url", url), ("reason", reason)])
        }
        ImageError::Encode { reason } => fill(t.img_encode, &[("reason", reason)]),
    }
}

/// A path cut to 80 characters, as the shared message cuts it (a pasted
/// blob taken for a path must not fill the screen).
fn shown(path: &std::path::Path) -> String {
    const MAX: usize = 80;
    let text = path.display().to_string();
    let count = text.chars().count();
    if count <= MAX {
        return text;
    }
    let head: String = text.chars().take(MAX - 1).collect();
    let n = fill(strings().cli.img_n_chars, &[("n", &count.to_string())]);
    format!("{head}… ({n})")
}

/// "a directory", "a named pipe"… as `read` names them.
fn kind_word(t: &'static CliStrings, kind: &str) -> &'static str {
    match kind {
        "a directory" => t.img_kind_directory,
        "a named pipe" => t.img_kind_pipe,
        "a device" => t.img_kind_device,
        "a socket" => t.img_kind_socket,
        _ => t.img_kind_device,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// In English the command line says exactly what the dashboard says.
    #[test]
    fn english_matches_the_shared_message() {
        assert_eq!(Lang::En, crate::i18n::current());
        let cases = [
            ImageError::Missing {
                path: "logo.png".into(),
            },
            ImageError::NotAnImage {
                what: "x.png".into(),
                claimed: Some("PNG"),
                looks_like_text: true,
            },
            ImageError::TooManyPixels {
                what: "big.png".into(),
                width: 30_000,
                height: 10,
            },
            ImageError::TooManyPixels {
                what: "big.png".into(),
                width: 15_000,
                height: 15_000,
            },
            ImageError::TooLarge {
                what: "huge.jpg".into(),
                bytes: 25 * 1024 * 1024,
            },
            ImageError::NotAFile {
                path: "/tmp".into(),
                kind: "a directory",
            },
            ImageError::Missing {
                path: "x".repeat(100).into(),
            },
        ];
        for e in cases {
            assert_eq!(refusal(&e), e.to_string());
        }
    }
}
