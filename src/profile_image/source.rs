//! What the user typed: a path, a URL or pasted base64, told apart from the
//! text alone (plus whether a file by that name exists).

use std::path::{Path, PathBuf};

/// Text that does not start like a known image is only taken for base64 when
/// at least this long and without a '/': otherwise it is more likely a file
/// name or a directory path being typed (every supported picture's base64
/// starts with one of [`IMAGE_BASE64_PREFIXES`] anyway).
pub(super) const INLINE_MIN_LEN: usize = 64;

/// Where the picture comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    File(PathBuf),
    Url(String),
    /// Bare base64 or a `data:image/…;base64,` URL, as pasted.
    Inline(String),
}

impl ImageSource {
    /// Short description for the memory file and logs: the path, the URL, or
    /// "base64 (N chars)" (never the payload itself).
    pub fn describe(&self) -> String {
        match self {
            ImageSource::File(p) => p.display().to_string(),
            ImageSource::Url(u) => u.clone(),
            ImageSource::Inline(s) => format!(
                "{INLINE_SUMMARY_START}{}{INLINE_SUMMARY_END}",
                strip_whitespace(s).len()
            ),
        }
    }
}

/// How [`ImageSource::describe`] summarises a paste: "base64 (N chars)".
const INLINE_SUMMARY_START: &str = "base64 (";
const INLINE_SUMMARY_END: &str = " chars)";

/// Whether a remembered [`ImageSource::describe`] can be typed again to send
/// the same picture: a path or URL can; the summary of a paste cannot, nor a
/// payload remembered whole (as older versions did).
pub fn can_send_again(described: &str) -> bool {
    let is_summary = described
        .strip_prefix(INLINE_SUMMARY_START)
        .and_then(|rest| rest.strip_suffix(INLINE_SUMMARY_END))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    !is_summary && !matches!(classify_text(described), ImageSource::Inline(_))
}

/// Decide what the user typed from the text alone (no file system): URLs by
/// scheme (http too, so that `prepare` can refuse it with a reason), data
/// URLs and base64-looking text as inline, everything else as a path (a
/// leading `~/` is expanded).
pub fn classify_text(input: &str) -> ImageSource {
    let trimmed = input.trim();
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") || has_url_scheme(&lower) {
        return ImageSource::Url(trimmed.to_string());
    }
    if lower.starts_with("data:") || looks_like_base64(trimmed) {
        return ImageSource::Inline(trimmed.to_string());
    }
    ImageSource::File(expand_home(trimmed))
}

/// [`classify_text`], except that an existing file wins over a base64
/// reading of its name.
pub fn classify(input: &str) -> ImageSource {
    match classify_text(input) {
        ImageSource::Inline(text) if Path::new(&text).exists() => {
            ImageSource::File(PathBuf::from(text))
        }
        other => other,
    }
}

/// `ftp://…`, `file://…`, `s3://…`: a URL, refused with a reason by
/// `prepare`, never looked up as a file called "ftp:".
fn has_url_scheme(lower: &str) -> bool {
    lower.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme.len() <= 16
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

fn expand_home(input: &str) -> PathBuf {
    if let Some(rest) = input.strip_prefix("~/")
        && let Some(dirs) = directories::BaseDirs::new()
    {
        return dirs.home_dir().join(rest);
    }
    if input == "~"
        && let Some(dirs) = directories::BaseDirs::new()
    {
        return dirs.home_dir().to_path_buf();
    }
    PathBuf::from(input)
}

/// Base64 of PNG, JPEG, WebP (RIFF), GIF and BMP starts with these.
const IMAGE_BASE64_PREFIXES: [&str; 5] = ["iVBORw0KGgo", "/9j/", "UklGR", "R0lGOD", "Qk"];

fn looks_like_base64(s: &str) -> bool {
    let compact = strip_whitespace(s);
    if compact.is_empty() {
        return false;
    }
    let body = compact.trim_end_matches('=');
    let alphabet_only = body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_'));
    if !alphabet_only || compact.len() - body.len() > 2 {
        return false;
    }
    let known_start = IMAGE_BASE64_PREFIXES
        .iter()
        .any(|p| compact.starts_with(p) && compact.len() >= 16);
    known_start || (compact.len() >= INLINE_MIN_LEN && !compact.contains('/'))
}

pub(super) fn strip_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
