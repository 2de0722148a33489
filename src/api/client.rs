//! The HTTP client for the seven config endpoints (plus the webhook extra).
//!
//! One `Client` is shared by the whole program (one connection pool); each
//! call names the `Account` (base URL, key, timeout) and the instance id.

use std::net::IpAddr;
use std::sync::Once;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::json;
use url::Url;

use super::error::ApiError;
use super::response::{self, Success};
use super::types::*;
use crate::secret::Secret;

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const DEFAULT_BASE_URL: &str = "https://apiwhatsappweb.com";

/// Where and as whom to call: one configured account, its key resolved.
#[derive(Debug, Clone)]
pub struct Account {
    pub name: String,
    pub base_url: Url,
    pub api_key: Secret,
    pub timeout: Duration,
    pub image_upload: UploadShape,
    /// `rate = "20/s"`: at most this many requests to this server (paced by the worker).
    pub rate: Option<crate::pacer::Rate>,
}

impl Account {
    /// Checks the URL the way every request will: https, or http to loopback,
    /// or http anywhere when the account opted in.
    pub fn new(
        name: impl Into<String>,
        base_url: &str,
        api_key: Secret,
        allow_insecure_http: bool,
    ) -> Result<Account, ApiError> {
        let url = parse_base_url(base_url, allow_insecure_http)?;
        Ok(Account {
            name: name.into(),
            base_url: url,
            api_key,
            timeout: DEFAULT_TIMEOUT,
            image_upload: UploadShape::default(),
            rate: None,
        })
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn with_upload(mut self, shape: UploadShape) -> Self {
        self.image_upload = shape;
        self
    }

    pub fn with_rate(mut self, rate: Option<crate::pacer::Rate>) -> Self {
        self.rate = rate;
        self
    }

    fn endpoint_url(&self, endpoint: Endpoint) -> Url {
        let mut url = self.base_url.clone();
        let base_path = url.path().trim_end_matches('/').to_string();
        url.set_path(&format!("{base_path}{}", endpoint.path()));
        url
    }
}

/// Parse and vet a base URL (scheme, host, https rule).
pub fn parse_base_url(raw: &str, allow_insecure_http: bool) -> Result<Url, ApiError> {
    // A password in the URL is a secret from here on, errors included.
    crate::url_secret::register(raw);
    let url = Url::parse(raw.trim()).map_err(|e| ApiError::BadUrl {
        url: crate::url_secret::masked(raw).into_owned(),
        detail: e.to_string(),
    })?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&url) => {}
        "http" => {
            return Err(ApiError::Insecure {
                url: crate::url_secret::masked(raw).into_owned(),
            });
        }
        other => {
            return Err(ApiError::BadUrl {
                url: crate::url_secret::masked(raw).into_owned(),
                detail: format!("scheme {other:?} is not http or https"),
            });
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ApiError::BadUrl {
            url: crate::url_secret::masked(raw).into_owned(),
            detail: "no host".into(),
        });
    }
    Ok(url)
}

/// 127.0.0.0/8, ::1 and `localhost`: the only hosts plain http may reach by default.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost") || d.to_ascii_lowercase().ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// The shared HTTP client.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl Client {
    pub fn new() -> Client {
        install_crypto_provider();
        // The key rides in a custom `apiKey` header, which reqwest does not
        // strip on a cross-host redirect (it only strips Authorization and
        // cookies). So a redirect may only stay on the same origin: same
        // scheme, host and port. That also refuses any https → http move.
        // Only 307/308 keep the method and body: a 301/302/303 would resend
        // the POST as a GET (key included) to a URL nobody asked for. And a
        // few hops at most: more is a loop, said as such.
        let redirect = reqwest::redirect::Policy::custom(|attempt| {
            let first = attempt.previous().first().map(|u| u.origin());
            let status = attempt.status().as_u16();
            if first.is_some_and(|origin| origin != attempt.url().origin()) {
                let to = attempt.url().origin().ascii_serialization();
                attempt.error(RedirectRefused(to))
            } else if !matches!(status, 307 | 308) {
                attempt.error(RedirectTroubles::ChangesMethod(status))
            } else if attempt.previous().len() > MAX_REDIRECTS {
                let hops = attempt.previous().len();
                attempt.error(RedirectTroubles::Loop(hops))
            } else {
                attempt.follow()
            }
        });
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_max_idle_per_host(64)
            .tcp_nodelay(true)
            .redirect(redirect)
            .user_agent(concat!("wadash/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("a client with only timeouts and a redirect policy always builds");
        Client { http }
    }

    pub async fn status(&self, account: &Account, id: &str) -> Result<StatusReply, ApiError> {
        let ok = self.call(account, id, Endpoint::Status, Body::None).await?;
        Ok(StatusReply {
            status: response::status_from_text(&ok.text),
            text: ok.text,
        })
    }

    pub async fn qr(&self, account: &Account, id: &str) -> Result<QrReply, ApiError> {
        let ok = self.call(account, id, Endpoint::Qr, Body::None).await?;
        let qr = ok
            .fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("qr"))
            .and_then(|(_, v)| v.as_str())
            .map(str::to_string);
        match qr {
            Some(qr) if !qr.trim().is_empty() => Ok(QrReply { text: ok.text, qr }),
            _ => Err(ApiError::UnexpectedShape {
                http: 200,
                snippet: format!("{:?} without a QR value", ok.text),
            }),
        }
    }

    pub async fn disconnect(
        &self,
        account: &Account,
        id: &str,
    ) -> Result<DisconnectReply, ApiError> {
        let ok = self
            .call(account, id, Endpoint::Disconnect, Body::None)
            .await?;
        Ok(DisconnectReply {
            already: response::disconnect_was_already(&ok.text),
            text: ok.text,
        })
    }

    pub async fn set_name(
        &self,
        account: &Account,
        id: &str,
        name: &str,
    ) -> Result<Confirmation, ApiError> {
        self.confirm(account, id, Endpoint::Name, json!({ "name": name }))
            .await
    }

    pub async fn set_description(
        &self,
        account: &Account,
        id: &str,
        description: &str,
    ) -> Result<Confirmation, ApiError> {
        self.confirm(
            account,
            id,
            Endpoint::Description,
            json!({ "description": description }),
        )
        .await
    }

    pub async fn set_auto_read(
        &self,
        account: &Account,
        id: &str,
        read: bool,
    ) -> Result<Confirmation, ApiError> {
        self.confirm(account, id, Endpoint::Automatic, json!({ "read": read }))
            .await
    }

    /// Not in the vendor's config page: `PUT /api/config/sent {"URL": …}`.
    pub async fn set_webhook(
        &self,
        account: &Account,
        id: &str,
        url: &str,
    ) -> Result<Confirmation, ApiError> {
        let ok = self
            .call(
                account,
                id,
                Endpoint::Webhook,
                Body::Json(json!({ "URL": url })),
            )
            .await?;
        Ok(Confirmation { text: ok.text })
    }

    pub async fn set_image(
        &self,
        account: &Account,
        id: &str,
        image: &ImageBody,
    ) -> Result<Confirmation, ApiError> {
        let body = match image {
            ImageBody::Multipart { .. } => Body::Image(image.clone()),
            ImageBody::Base64(s) | ImageBody::Url(s) => Body::Json(json!({ "image": s })),
        };
        let ok = self.call(account, id, Endpoint::Image, body).await?;
        Ok(Confirmation { text: ok.text })
    }

    async fn confirm(
        &self,
        account: &Account,
        id: &str,
        endpoint: Endpoint,
        body: serde_json::Value,
    ) -> Result<Confirmation, ApiError> {
        let ok = self.call(account, id, endpoint, Body::Json(body)).await?;
        Ok(Confirmation { text: ok.text })
    }

    async fn call(
        &self,
        account: &Account,
        id: &str,
        endpoint: Endpoint,
        body: Body,
    ) -> Result<Success, ApiError> {
        let method = match endpoint {
            Endpoint::Image | Endpoint::Webhook => Method::PUT,
            _ => Method::POST,
        };
        let url = account.endpoint_url(endpoint);
        let mut request = self
            .http
            .request(method, url)
            .headers(auth_headers(account, id)?)
            .timeout(account.timeout);
        request = match body {
            Body::None => request,
            Body::Json(value) => request.json(&value),
            Body::Image(ImageBody::Multipart {
                bytes,
                file_name,
                mime,
            }) => {
                let part = reqwest::multipart::Part::bytes(bytes)
                    .file_name(file_name)
                    .mime_str(&mime)
                    .map_err(|e| ApiError::Transport {
                        detail: format!("bad image type {mime:?}: {e}"),
                    })?;
                request.multipart(reqwest::multipart::Form::new().part("image", part))
            }
            Body::Image(_) => unreachable!("only multipart images travel as Body::Image"),
        };

        let mut response = request
            .send()
            .await
            .map_err(|e| transport_error(e, account.timeout))?;
        let status = response.status();
        let body = read_limited(&mut response, endpoint.body_limit(), account.timeout).await?;
        tracing::debug!(
            endpoint = endpoint.name(),
            instance = id,
            http = status.as_u16(),
            bytes = body.len(),
            "answer"
        );
        response::parse(status.as_u16(), &body)
    }
}

enum Body {
    None,
    Json(serde_json::Value),
    Image(ImageBody),
}

fn auth_headers(account: &Account, id: &str) -> Result<HeaderMap, ApiError> {
    let mut headers = HeaderMap::new();
    if account.api_key.is_empty() {
        return Err(ApiError::BadHeader { which: "apiKey" });
    }
    let mut key = HeaderValue::from_str(account.api_key.expose())
        .map_err(|_| ApiError::BadHeader { which: "apiKey" })?;
    key.set_sensitive(true);
    headers.insert("apiKey", key);
    if id.trim().is_empty() {
        return Err(ApiError::BadHeader {
            which: "instance id",
        });
    }
    let id = HeaderValue::from_str(id).map_err(|_| ApiError::BadHeader {
        which: "instance id",
    })?;
    headers.insert("id", id);
    Ok(headers)
}

/// Read the body, refusing to buffer more than `limit` bytes.
async fn read_limited(
    response: &mut reqwest::Response,
    limit: usize,
    timeout: Duration,
) -> Result<Vec<u8>, ApiError> {
    if response
        .content_length()
        .is_some_and(|len| len as usize > limit)
    {
        return Err(ApiError::TooLarge { limit });
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::TooLarge { limit });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => {
                // A body cut short by the server: report what arrived if it
                // says anything, otherwise the transport failure.
                if e.is_timeout() && !body.is_empty() {
                    return Err(ApiError::SlowBody {
                        after: timeout,
                        received: body.len(),
                    });
                }
                if e.is_timeout() {
                    return Err(ApiError::Timeout { after: timeout });
                }
                let http = response.status();
                if !body.is_empty() && http != StatusCode::OK {
                    return Err(ApiError::NotJson {
                        http: http.as_u16(),
                        snippet: response::snippet(&body),
                    });
                }
                return Err(ApiError::Transport {
                    detail: format!(
                        "body cut off after {} bytes: {}",
                        body.len(),
                        error_chain(&e)
                    ),
                });
            }
        }
    }
}

/// Same-origin redirects followed before calling it a loop.
const MAX_REDIRECTS: usize = 3;

/// A same-origin redirect wadash will not follow.
#[derive(Debug)]
enum RedirectTroubles {
    /// 301/302/303: would turn the POST into a GET.
    ChangesMethod(u16),
    /// More hops than [`MAX_REDIRECTS`].
    Loop(usize),
}

impl std::fmt::Display for RedirectTroubles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RedirectTroubles::ChangesMethod(s) => write!(f, "HTTP {s} redirect not followed"),
            RedirectTroubles::Loop(n) => write!(f, "redirect loop after {n} hops"),
        }
    }
}

impl std::error::Error for RedirectTroubles {}

/// A redirect to another origin, refused before the key could follow it.
#[derive(Debug)]
struct RedirectRefused(String);

impl std::fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "redirect to another origin ({}) refused", self.0)
    }
}

impl std::error::Error for RedirectRefused {}

fn transport_error(e: reqwest::Error, timeout: Duration) -> ApiError {
    let chain = error_chain(&e);
    if e.is_timeout() {
        return ApiError::Timeout { after: timeout };
    }
    if let Some(trouble) = find_source::<RedirectTroubles>(&e) {
        return match trouble {
            RedirectTroubles::ChangesMethod(http) => ApiError::RedirectMethod { http: *http },
            RedirectTroubles::Loop(hops) => ApiError::RedirectLoop { hops: *hops },
        };
    }
    if let Some(refused) = find_source::<RedirectRefused>(&e) {
        return ApiError::Redirect {
            to: refused.0.clone(),
        };
    }
    let lower = chain.to_lowercase();
    // rustls reading a plain-HTTP answer as a TLS record.
    if lower.contains("invalidcontenttype") || lower.contains("corrupt message") {
        return ApiError::Tls {
            detail: "the server does not speak TLS on this port (it answered in plain HTTP); \
                     use http:// for a local sandbox on loopback, or check the port"
                .into(),
        };
    }
    if lower.contains("certificate")
        || lower.contains("tls")
        || lower.contains("handshake")
        || lower.contains("invalid peer")
    {
        return ApiError::Tls { detail: chain };
    }
    if e.is_connect() {
        return ApiError::Connect { detail: chain };
    }
    ApiError::Transport { detail: chain }
}

fn find_source<T: std::error::Error + 'static>(e: &reqwest::Error) -> Option<&T> {
    use std::error::Error;
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(found) = s.downcast_ref::<T>() {
            return Some(found);
        }
        source = s.source();
    }
    None
}

/// The error and its sources, without the URL (it never holds the key, but
/// it is noise in a one-line message).
fn error_chain(e: &reqwest::Error) -> String {
    use std::error::Error;
    let mut parts = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    if parts.is_empty() {
        parts.push(e.to_string());
    }
    parts.join(": ")
}

fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Fails only if another provider is already installed: fine either way.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_rule() {
        assert!(parse_base_url("https://apiwhatsappweb.com", false).is_ok());
        assert!(parse_base_url("http://127.0.0.1:8080", false).is_ok());
        assert!(parse_base_url("http://127.3.4.5:8080", false).is_ok());
        assert!(parse_base_url("http://localhost:8080", false).is_ok());
        assert!(parse_base_url("http://[::1]:8080", false).is_ok());
        assert_eq!(
            parse_base_url("http://example.com", false)
                .unwrap_err()
                .kind(),
            "insecure"
        );
        assert!(parse_base_url("http://example.com", true).is_ok());
        assert_eq!(
            parse_base_url("ftp://x", true).unwrap_err().kind(),
            "bad_url"
        );
        assert_eq!(
            parse_base_url("not a url", true).unwrap_err().kind(),
            "bad_url"
        );
    }

    #[test]
    fn endpoint_urls_keep_a_base_path() {
        let a = Account::new("a", "https://h.example/proxy/", Secret::new("k"), false).unwrap();
        assert_eq!(
            a.endpoint_url(Endpoint::Status).as_str(),
            "https://h.example/proxy/api/config/status"
        );
        let b = Account::new("b", "https://h.example", Secret::new("k"), false).unwrap();
        assert_eq!(
            b.endpoint_url(Endpoint::Webhook).as_str(),
            "https://h.example/api/config/sent"
        );
    }

    #[test]
    fn headers_refuse_bad_values_without_echoing_them() {
        let a = Account::new(
            "a",
            "https://h.example",
            Secret::new("bad\nkey-SECRET"),
            false,
        )
        .unwrap();
        let err = auth_headers(&a, "id1").unwrap_err();
        assert!(!format!("{err} {err:?}").contains("SECRET"));
    }
}
