//! One error type for everything that can go wrong talking to the service,
//! each variant carrying what the user needs: the server's own text where
//! there is one, and wadash's hint on what to do.
//!
//! No variant ever holds the API key: requests carry it in a header only, and
//! nothing here formats headers.

use std::fmt;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// HTTP 400 "Instancia no encontrada": the apiKey / id pair is wrong.
    NotFound { server_text: String },
    /// "Cuerpo en formato incorrecto": the server refused the body.
    BadBody { http: u16, server_text: String },
    /// "No se proporcionó imagen…": the image was missing from the request.
    ImageMissing { server_text: String },
    /// "Error de formato de imagen": the server could not decode the image.
    ImageFormat { server_text: String },
    /// Any other `error` text, or an error status without one.
    Server { http: u16, server_text: String },
    /// Answer was JSON but had neither `success` nor `error`.
    UnexpectedShape { http: u16, snippet: String },
    /// Answer was not JSON at all (an HTML page from a proxy, a cut body).
    NotJson { http: u16, snippet: String },
    /// Answer larger than the sane limit for the endpoint.
    TooLarge { limit: usize },
    /// No answer within the timeout.
    Timeout { after: Duration },
    /// Could not connect (refused, DNS, unreachable).
    Connect { detail: String },
    /// TLS handshake or certificate failure.
    Tls { detail: String },
    /// Connection broke mid-answer, or another transport failure.
    Transport { detail: String },
    /// The base URL is plain http to a non-loopback host and the account
    /// did not opt in with `allow_insecure_http`.
    Insecure { url: String },
    /// The server redirected to another origin; the key was not sent there.
    Redirect { to: String },
    /// The base URL could not be parsed.
    BadUrl { url: String, detail: String },
    /// The key or id cannot be sent as an HTTP header (control characters,
    /// empty). The value itself is never repeated here.
    BadHeader { which: &'static str },
    /// The answer started but trickled in too slowly to finish in time.
    SlowBody { after: Duration, received: usize },
    /// The same origin kept redirecting.
    RedirectLoop { hops: usize },
    /// A 301/302/303, which would resend the POST as a GET: not followed.
    RedirectMethod { http: u16 },
}

impl ApiError {
    /// A stable machine name, for `--json` output and the event log.
    pub fn kind(&self) -> &'static str {
        match self {
            ApiError::NotFound { .. } => "not_found",
            ApiError::BadBody { .. } => "bad_body",
            ApiError::ImageMissing { .. } => "image_missing",
            ApiError::ImageFormat { .. } => "image_format",
            ApiError::Server { .. } => "server",
            ApiError::UnexpectedShape { .. } => "unexpected_shape",
            ApiError::NotJson { .. } => "not_json",
            ApiError::TooLarge { .. } => "too_large",
            ApiError::Timeout { .. } => "timeout",
            ApiError::Connect { .. } => "connect",
            ApiError::Tls { .. } => "tls",
            ApiError::Transport { .. } => "transport",
            ApiError::Insecure { .. } => "insecure",
            ApiError::Redirect { .. } => "redirect",
            ApiError::BadUrl { .. } => "bad_url",
            ApiError::BadHeader { .. } => "bad_header",
            ApiError::SlowBody { .. } => "slow_body",
            ApiError::RedirectLoop { .. } => "redirect_loop",
            ApiError::RedirectMethod { .. } => "redirect",
        }
    }

    /// The server's own words, when it sent any.
    pub fn server_text(&self) -> Option<&str> {
        match self {
            ApiError::NotFound { server_text }
            | ApiError::BadBody { server_text, .. }
            | ApiError::ImageMissing { server_text }
            | ApiError::ImageFormat { server_text }
            | ApiError::Server { server_text, .. } => Some(server_text),
            _ => None,
        }
    }

    /// wadash's explanation: what the user should check or do, in the
    /// language the command line chose (see `i18n::current`).
    pub fn hint(&self) -> String {
        self.hint_in(crate::i18n::strings())
    }

    /// [`hint`](Self::hint) from one language's table.
    pub fn hint_in(&self, s: &crate::i18n::Strings) -> String {
        use crate::i18n::fill;
        let dur = |d: &Duration| humantime::format_duration(*d).to_string();
        match self {
            ApiError::NotFound { .. } => s.hint_not_found.into(),
            ApiError::BadBody { .. } => s.hint_bad_body.into(),
            ApiError::ImageMissing { .. } => s.hint_image_missing.into(),
            ApiError::ImageFormat { .. } => s.hint_image_format.into(),
            ApiError::Server { http, .. } => fill(s.hint_server, &[("http", &http.to_string())]),
            ApiError::UnexpectedShape { http, snippet } => fill(
                s.hint_unexpected_shape,
                &[("http", &http.to_string()), ("snippet", snippet)],
            ),
            ApiError::NotJson { http, snippet } => fill(
                s.hint_not_json,
                &[("http", &http.to_string()), ("snippet", snippet)],
            ),
            ApiError::TooLarge { limit } => {
                fill(s.hint_too_large, &[("kib", &(limit / 1024).to_string())])
            }
            ApiError::Timeout { after } => fill(s.hint_timeout, &[("after", &dur(after))]),
            ApiError::Connect { detail } => fill(s.hint_connect, &[("detail", detail)]),
            ApiError::Tls { detail } => fill(s.hint_tls, &[("detail", detail)]),
            ApiError::Transport { detail } => fill(s.hint_transport, &[("detail", detail)]),
            ApiError::Insecure { url } => fill(s.hint_insecure, &[("url", url)]),
            ApiError::Redirect { to } => fill(s.hint_redirect, &[("to", to)]),
            ApiError::BadUrl { url, detail } => fill(
                s.hint_bad_url,
                &[("url", &format!("{url:?}")), ("detail", detail)],
            ),
            ApiError::BadHeader { which } => fill(s.hint_bad_header, &[("which", which)]),
            ApiError::RedirectLoop { hops } => {
                fill(s.hint_redirect_loop, &[("hops", &hops.to_string())])
            }
            ApiError::RedirectMethod { http } => {
                fill(s.hint_redirect_method, &[("http", &http.to_string())])
            }
            ApiError::SlowBody { after, received } => fill(
                s.hint_slow_body,
                &[("received", &received.to_string()), ("after", &dur(after))],
            ),
        }
    }

    /// Worth retrying later without changing anything (polling backoff).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::Timeout { .. }
                | ApiError::SlowBody { .. }
                | ApiError::Connect { .. }
                | ApiError::Transport { .. }
                | ApiError::NotJson { .. }
                | ApiError::Server { .. }
                | ApiError::TooLarge { .. }
                | ApiError::UnexpectedShape { .. }
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.server_text() {
            Some(text) => write!(f, "{text} — {}", self.hint()),
            None => f.write_str(&self.hint()),
        }
    }
}

impl std::error::Error for ApiError {}
