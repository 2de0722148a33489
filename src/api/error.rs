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

    /// wadash's explanation: what the user should check or do.
    pub fn hint(&self) -> String {
        match self {
            ApiError::NotFound { .. } => "check the apiKey and id of this instance".into(),
            ApiError::BadBody { .. } => "the server refused the request body".into(),
            ApiError::ImageMissing { .. } => {
                "the server received no image; try another upload shape (image_upload)".into()
            }
            ApiError::ImageFormat { .. } => "use a JPEG or PNG picture".into(),
            ApiError::Server { http, .. } => format!("the server answered HTTP {http}"),
            ApiError::UnexpectedShape { http, snippet } => {
                format!("HTTP {http} with neither success nor error: {snippet}")
            }
            ApiError::NotJson { http, snippet } => {
                format!("HTTP {http}, not a JSON answer (a proxy or outage page?): {snippet}")
            }
            ApiError::TooLarge { limit } => {
                format!("answer cut off: larger than {} KiB", limit / 1024)
            }
            ApiError::Timeout { after } => format!(
                "no answer within {}; the server may be down or slow",
                humantime::format_duration(*after)
            ),
            ApiError::Connect { detail } => {
                format!("could not connect ({detail}); check base_url and the network")
            }
            ApiError::Tls { detail } => format!("TLS failure ({detail})"),
            ApiError::Transport { detail } => format!("connection failed mid-answer ({detail})"),
            ApiError::Insecure { url } => format!(
                "refusing plain http to {url}: use https, or set allow_insecure_http = true for this account"
            ),
            ApiError::Redirect { to } => format!(
                "the server redirected to {to}; wadash does not send the apiKey to another host \
                 (check base_url)"
            ),
            ApiError::BadUrl { url, detail } => format!("bad base_url {url:?}: {detail}"),
            ApiError::BadHeader { which } => {
                format!("the {which} is empty or has characters an HTTP header cannot carry")
            }
            ApiError::RedirectLoop { hops } => {
                format!("redirect loop: the server kept redirecting ({hops} hops); check base_url")
            }
            ApiError::RedirectMethod { http } => format!(
                "the server answered HTTP {http} (a redirect that would resend the request as \
                 GET); wadash does not follow it: check base_url (a trailing path or http/https?)"
            ),
            ApiError::SlowBody { after, received } => format!(
                "the server answered too slowly: only {received} bytes arrived within {}; \
                 it may be overloaded or the network congested",
                humantime::format_duration(*after)
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
