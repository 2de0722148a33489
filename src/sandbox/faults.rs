//! Latency, fault injection and the request log: a middleware in front of
//! the `/api/` routes only (the control routes must stay reliable).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::stream;
use rand::Rng;
use serde::{Deserialize, Serialize};

use super::Fault;
use super::app::Shared;

/// Runtime-adjustable injection settings (`POST /_sandbox/faults`).
/// A POST replaces all of it: absent fields reset to "no fault, no delay".
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultSettings {
    /// Probability in [0, 1] that an /api/ request gets `fault`.
    pub rate: f64,
    pub fault: Option<Fault>,
    pub latency_ms: u64,
    pub jitter_ms: u64,
    /// The same instances always get the fault (a `rate` share of them,
    /// chosen by id), as servers that hang do, instead of random requests.
    pub per_instance: bool,
}

impl FaultSettings {
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.rate) {
            return Err(format!("rate must be within 0..=1, got {}", self.rate));
        }
        Ok(())
    }

    fn delay(&self, rng: &mut impl Rng) -> Duration {
        let jitter = if self.jitter_ms > 0 {
            rng.random_range(0..=self.jitter_ms)
        } else {
            0
        };
        Duration::from_millis(self.latency_ms.saturating_add(jitter))
    }

    /// Per instance: whether this id is among the `rate` share that fails.
    fn roll_for(&self, id: Option<&str>, rng: &mut impl Rng) -> Option<Fault> {
        if !self.per_instance {
            return self.roll(rng);
        }
        let fault = self.fault?;
        let hash = id
            .unwrap_or("")
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        let share = (hash % 10_000) as f64 / 10_000.0;
        (share < self.rate.clamp(0.0, 1.0)).then_some(fault)
    }

    fn roll(&self, rng: &mut impl Rng) -> Option<Fault> {
        let fault = self.fault?;
        // `random_bool` panics outside [0, 1]; `validate` guards the setter,
        // the clamp guards against anything that slipped past it.
        let p = if self.rate.is_finite() {
            self.rate.clamp(0.0, 1.0)
        } else {
            0.0
        };
        rng.random_bool(p).then_some(fault)
    }
}

/// What an /api/ request carried, for the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyShape {
    Json,
    Multipart,
    Other,
    None,
}

/// One line of `GET /_sandbox/requests`. Never holds the api key.
#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    pub method: String,
    pub path: String,
    pub instance: Option<String>,
    pub body: BodyShape,
    /// None when the fault was `hang` or `reset` (no status reached the client).
    pub http: Option<u16>,
    pub fault: Option<Fault>,
    /// RFC 3339, milliseconds, UTC.
    pub time: String,
}

/// Bounded so a long benchmark cannot grow the sandbox without limit.
const LOG_CAPACITY: usize = 20_000;

#[derive(Default)]
pub struct RequestLog(Mutex<VecDeque<LogEntry>>);

impl RequestLog {
    fn push(&self, entry: LogEntry) {
        let mut log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if log.len() >= LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(entry);
    }

    pub fn snapshot(&self) -> Vec<LogEntry> {
        let log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        log.iter().cloned().collect()
    }

    pub fn clear(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

fn body_shape(req: &Request) -> BodyShape {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let chunked = req.headers().contains_key(header::TRANSFER_ENCODING);
    if content_type.starts_with("multipart/") {
        BodyShape::Multipart
    } else if content_type.contains("json") {
        BodyShape::Json
    } else if chunked || length.is_some_and(|l| l > 0) {
        BodyShape::Other
    } else {
        BodyShape::None
    }
}

/// The middleware: delay, maybe misbehave, log.
pub async fn gate(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let settings = shared.fault_settings();
    let (delay, fault) = {
        let mut rng = rand::rng();
        let id = req.headers().get("id").and_then(|v| v.to_str().ok());
        (settings.delay(&mut rng), settings.roll_for(id, &mut rng))
    };
    let mut entry = LogEntry {
        method: req.method().to_string(),
        path: req.uri().path().to_string(),
        instance: req
            .headers()
            .get("id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: body_shape(&req),
        http: None,
        fault,
        time: String::new(),
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let log = |http: Option<u16>| {
        entry.http = http;
        entry.time = humantime::format_rfc3339_millis(SystemTime::now()).to_string();
        shared.log.push(entry);
    };
    // No status reaches the client for these two: log `http: None`.
    let response = match fault {
        Some(Fault::Hang) => {
            log(None);
            return hang(&shared).await;
        }
        Some(Fault::Reset) => {
            log(None);
            return reset();
        }
        Some(Fault::Http502Html) => http502_html(),
        Some(Fault::NotJson) => not_json(),
        Some(Fault::Truncated) => truncated(),
        Some(Fault::Huge) => huge(&shared),
        Some(Fault::EchoHeaders) => echo_headers(&req),
        Some(Fault::ControlChars) => control_chars(),
        None => next.run(req).await,
    };
    log(Some(response.status().as_u16()));
    response
}

/// Far beyond any client timeout, but it still ends when the sandbox shuts
/// down, so a graceful shutdown never waits on it.
async fn hang(shared: &Shared) -> Response {
    let mut shutdown = shared.shutdown.clone();
    tokio::select! {
        _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
        _ = shutdown.wait_for(|stop| *stop) => {}
    }
    StatusCode::SERVICE_UNAVAILABLE.into_response()
}

const NGINX_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0 (Ubuntu)</center>\r\n</body>\r\n</html>\r\n";

/// Size of the `huge` answer: beyond the client's 8 MiB QR limit.
const HUGE_BYTES: usize = 12 * 1024 * 1024;

fn http502_html() -> Response {
    (
        StatusCode::BAD_GATEWAY,
        [(header::CONTENT_TYPE, "text/html")],
        NGINX_502,
    )
        .into_response()
}

fn not_json() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "OK: servicio en mantenimiento, intente más tarde",
    )
        .into_response()
}

/// 200 with a Content-Length promising more than is sent: part of a JSON
/// answer goes out (the pause lets hyper flush it), then the body stream
/// fails and hyper closes the connection mid-body.
fn truncated() -> Response {
    const PART: &str = r#"{"200":{"success":"Instan"#;
    let chunks = stream::unfold(0u8, |step| async move {
        match step {
            0 => Some((Ok(Bytes::from_static(PART.as_bytes())), 1)),
            1 => {
                tokio::time::sleep(Duration::from_millis(30)).await;
                Some((Err(std::io::Error::other("truncated on purpose")), 2))
            }
            _ => None,
        }
    });
    let mut response = Response::new(Body::from_stream(chunks));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(PART.len() * 4));
    response
}

/// A ~12 MiB 200 JSON-looking answer, streamed without a Content-Length so
/// the client has to count bytes itself.
fn huge(shared: &Shared) -> Response {
    const HEAD: &str = r#"{"200":{"success":"QR-CODE enviado","QR":""#;
    let filler = shared.huge_filler.clone();
    let rounds = HUGE_BYTES / filler.len();
    let body = stream::iter(
        std::iter::once(Bytes::from_static(HEAD.as_bytes()))
            .chain(std::iter::repeat_n(filler, rounds))
            .chain(std::iter::once(Bytes::from_static(b"\"}}")))
            .map(Ok::<_, Infallible>),
    );
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        Body::from_stream(body),
    )
        .into_response()
}

/// The request's headers sent back in the error text, values raw, plus
/// the same key as an `Authorization: Bearer` line.
fn echo_headers(req: &Request) -> Response {
    let mut lines: Vec<String> = req
        .headers()
        .iter()
        .map(|(name, value)| format!("{name}: {}", String::from_utf8_lossy(value.as_bytes())))
        .collect();
    if let Some(key) = req.headers().get("apikey") {
        lines.push(format!(
            "authorization: Bearer {}",
            String::from_utf8_lossy(key.as_bytes())
        ));
    }
    let text = format!("debug: request headers were {}", lines.join("; "));
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        axum::Json(serde_json::json!({ "error": text })),
    )
        .into_response()
}

/// What a hostile server could send to take over the user's terminal.
pub const CONTROL_TEXT: &str =
    "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31mInstancia ca\u{ed}da\u{1b}[0m\u{202e}txt.exe\u{9b}1m";

fn control_chars() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        axum::Json(serde_json::json!({ "error": CONTROL_TEXT })),
    )
        .into_response()
}

/// No answer at all: the body stream fails before its first byte, so hyper
/// drops the connection without flushing the status line.
fn reset() -> Response {
    let chunks = stream::once(async {
        Err::<Bytes, _>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "reset on purpose",
        ))
    });
    Response::new(Body::from_stream(chunks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::SmallRng;

    #[test]
    fn rate_zero_never_and_one_always() {
        let mut rng = SmallRng::seed_from_u64(5);
        let never = FaultSettings {
            rate: 0.0,
            fault: Some(Fault::Hang),
            ..Default::default()
        };
        let always = FaultSettings { rate: 1.0, ..never };
        let none = FaultSettings {
            rate: 1.0,
            fault: None,
            ..never
        };
        for _ in 0..100 {
            assert_eq!(never.roll(&mut rng), None);
            assert_eq!(always.roll(&mut rng), Some(Fault::Hang));
            assert_eq!(none.roll(&mut rng), None);
        }
    }

    #[test]
    fn bad_rates_are_refused_and_never_panic() {
        for rate in [-0.1, 1.5, f64::NAN, f64::INFINITY] {
            let s = FaultSettings {
                rate,
                fault: Some(Fault::Reset),
                ..Default::default()
            };
            assert!(s.validate().is_err(), "{rate}");
            let _ = s.roll(&mut rand::rng());
        }
    }

    #[test]
    fn delay_stays_within_latency_plus_jitter() {
        let s = FaultSettings {
            latency_ms: 20,
            jitter_ms: 5,
            ..Default::default()
        };
        let mut rng = SmallRng::seed_from_u64(1);
        for _ in 0..200 {
            let d = s.delay(&mut rng).as_millis();
            assert!((20..=25).contains(&d), "{d}");
        }
    }

    #[test]
    fn settings_json_names() {
        let s: FaultSettings = serde_json::from_str(
            r#"{"rate":0.5,"fault":"http502-html","latency_ms":20,"jitter_ms":5}"#,
        )
        .unwrap();
        assert_eq!(s.fault, Some(Fault::Http502Html));
        let s: FaultSettings = serde_json::from_str(r#"{"fault":"not-json"}"#).unwrap();
        assert_eq!((s.fault, s.rate), (Some(Fault::NotJson), 0.0));
        assert!(serde_json::from_str::<FaultSettings>(r#"{"fault":"explode"}"#).is_err());
    }

    #[test]
    fn log_is_bounded() {
        let log = RequestLog::default();
        for i in 0..LOG_CAPACITY + 5 {
            log.push(LogEntry {
                method: "POST".into(),
                path: format!("/{i}"),
                instance: None,
                body: BodyShape::None,
                http: Some(200),
                fault: None,
                time: String::new(),
            });
        }
        let snap = log.snapshot();
        assert_eq!(snap.len(), LOG_CAPACITY);
        assert_eq!(snap[0].path, "/5");
    }
}
