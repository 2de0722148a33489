//! The contract's endpoints, answering with the seed's exact texts.

use std::io::Cursor;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Map, Value};

use super::app::{BODY_LIMIT, Shared};
use super::state::{Disconnected, ImageRecord, ImageSource, InstanceState};
use super::{Shape, pairing};

pub const NOT_FOUND: &str = "Instancia no encontrada";
/// The seed writes the disconnect endpoint's not-found text in lower case.
pub const NOT_FOUND_LOWER: &str = "instancia no encontrada";
pub const BAD_BODY: &str = "Cuerpo en formato incorrecto";
pub const NO_IMAGE: &str = "No se proporcionó imagen. Por favor, sube un archivo, envía una cadena Base64 o proporciona una URL.";
pub const IMAGE_FORMAT: &str = "Error de formato de imagen";

pub const ACTIVE: &str = "Instancia activa";
pub const INACTIVE: &str = "Instancia inactiva";
pub const QR_SENT: &str = "QR-CODE enviado";
pub const DISCONNECTED: &str = "instancia desconectada";
pub const ALREADY_DISCONNECTED: &str = "la instancia ya estaba desconectada";
pub const NAME_UPDATED: &str = "Nombre Actualizado";
pub const DESCRIPTION_UPDATED: &str = "Descripción Actualizada";
pub const AUTO_READ_UPDATED: &str = "Lectura automática actualizada";
pub const IMAGE_CHANGED: &str = "Imagen cambiada";
/// Assumed: the vendor's webhook page does not show its success text.
pub const WEBHOOK_UPDATED: &str = "Webhook actualizado";

/// One answer in the configured shape; the HTTP status is always the real one.
fn reply(shape: Shape, http: StatusCode, mut body: Map<String, Value>) -> Response {
    let body = match shape {
        Shape::Plain => Value::Object(body),
        Shape::Wrapped => {
            let mut outer = Map::new();
            outer.insert(
                http.as_u16().to_string(),
                Value::Object(std::mem::take(&mut body)),
            );
            Value::Object(outer)
        }
    };
    (http, axum::Json(body)).into_response()
}

fn success(s: &Shared, text: &str) -> Response {
    let mut body = Map::new();
    body.insert("success".into(), text.into());
    reply(s.shape, StatusCode::OK, body)
}

fn failure(s: &Shared, http: StatusCode, text: &str) -> Response {
    let mut body = Map::new();
    body.insert("error".into(), text.into());
    reply(s.shape, http, body)
}

/// Checks the `apiKey` / `id` pair, then counts the request and runs `f` on
/// the instance, all under one lock. The key is compared byte for byte (a
/// key set up with a "Bearer " prefix must arrive with it). None: wrong or
/// missing key, missing or unknown id, which the vendor answers alike.
fn on_instance<T>(
    s: &Shared,
    headers: &HeaderMap,
    endpoint: &'static str,
    f: impl FnOnce(&mut InstanceState) -> T,
) -> Option<T> {
    if !key_matches(s, headers) {
        return None;
    }
    let id = headers.get("id")?.to_str().ok()?;
    s.store.with(id, |inst| {
        inst.count(endpoint);
        f(inst)
    })
}

fn key_matches(s: &Shared, headers: &HeaderMap) -> bool {
    headers
        .get("apikey")
        .is_some_and(|key| key.as_bytes() == s.api_key.as_bytes())
}

/// A setter: `value` is the already-validated body (None: malformed). The
/// instance is checked first, so an unknown id wins over a bad body.
fn set<V>(
    s: &Shared,
    headers: &HeaderMap,
    endpoint: &'static str,
    value: Option<V>,
    apply: impl FnOnce(&mut InstanceState, V),
    done: &str,
) -> Response {
    match on_instance(s, headers, endpoint, |i| value.map(|v| apply(i, v))) {
        None => failure(s, StatusCode::BAD_REQUEST, NOT_FOUND),
        Some(None) => failure(s, StatusCode::INTERNAL_SERVER_ERROR, BAD_BODY),
        Some(Some(())) => success(s, done),
    }
}

pub async fn status(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    match on_instance(&s, &headers, "status", |i| i.active) {
        Some(true) => success(&s, ACTIVE),
        Some(false) => success(&s, INACTIVE),
        None => failure(&s, StatusCode::BAD_REQUEST, NOT_FOUND),
    }
}

/// Answers even for a linked instance (with its last code): the vendor does
/// not document what it does then, and refusing would hide that case from a
/// client that ought to stop asking once status says active.
pub async fn qr(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let Some((text, generation, cached)) = on_instance(&s, &headers, "qr", |i| {
        (i.qr_text.clone(), i.qr_generation, i.cached_qr())
    }) else {
        return failure(&s, StatusCode::BAD_REQUEST, NOT_FOUND);
    };
    let value = match cached {
        Some(value) => value,
        // Encoded outside the lock (it takes milliseconds), then cached.
        None => match pairing::qr_value(&text, s.qr_format) {
            Ok(value) => {
                let value: Arc<str> = Arc::from(value);
                if let Some(id) = headers.get("id").and_then(|v| v.to_str().ok()) {
                    s.store.with(id, |i| i.store_qr(generation, value.clone()));
                }
                value
            }
            Err(e) => return failure(&s, StatusCode::INTERNAL_SERVER_ERROR, &e),
        },
    };
    let mut body = Map::new();
    body.insert("success".into(), QR_SENT.into());
    body.insert("QR".into(), Value::String(value.to_string()));
    reply(s.shape, StatusCode::OK, body)
}

pub async fn disconnect(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let now = Instant::now();
    match on_instance(&s, &headers, "disconnect", |i| {
        i.disconnect(now, &mut rand::rng())
    }) {
        Some(Disconnected::Now) => success(&s, DISCONNECTED),
        Some(Disconnected::Already) => success(&s, ALREADY_DISCONNECTED),
        None => failure(&s, StatusCode::BAD_REQUEST, NOT_FOUND_LOWER),
    }
}

/// `{"<key>": <value>}` from a JSON body, or None for anything malformed.
fn json_field(body: &[u8], key: &str) -> Option<Value> {
    match serde_json::from_slice::<Value>(body).ok()? {
        Value::Object(mut map) => map.remove(key),
        _ => None,
    }
}

fn string_field(body: &[u8], key: &str) -> Option<String> {
    match json_field(body, key)? {
        Value::String(text) => Some(text),
        _ => None,
    }
}

pub async fn name(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let name = string_field(&body, "name");
    set(&s, &headers, "name", name, |i, v| i.name = v, NAME_UPDATED)
}

pub async fn description(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let text = string_field(&body, "description");
    let apply = |i: &mut InstanceState, v| i.description = v;
    set(
        &s,
        &headers,
        "description",
        text,
        apply,
        DESCRIPTION_UPDATED,
    )
}

pub async fn automatic(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let read = match json_field(&body, "read") {
        Some(Value::Bool(read)) => Some(read),
        _ => None,
    };
    let apply = |i: &mut InstanceState, v| i.auto_read = v;
    set(&s, &headers, "automatic", read, apply, AUTO_READ_UPDATED)
}

/// `PUT /api/config/sent {"URL": "https://…"}`. The vendor only says it
/// refuses non-HTTPS webhooks; the refusal text here is assumed to be the
/// same "Cuerpo en formato incorrecto" its other setters use.
pub async fn webhook(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let url = string_field(&body, "URL").filter(|url| {
        url::Url::parse(url)
            .is_ok_and(|u| u.scheme() == "https" && u.host_str().is_some_and(|h| !h.is_empty()))
    });
    let apply = |i: &mut InstanceState, v| i.webhook = Some(v);
    set(&s, &headers, "webhook", url, apply, WEBHOOK_UPDATED)
}

/// What a PUT image body turned out to hold.
enum Upload {
    Bytes(ImageSource, Vec<u8>),
    Url(String),
    Missing,
    Undecodable,
}

pub async fn image(State(s): State<Arc<Shared>>, req: Request) -> Response {
    // A wrong key is refused before the body is read; the id is checked
    // (and the request counted) with the result, under one lock.
    if !key_matches(&s, req.headers()) {
        return failure(&s, StatusCode::BAD_REQUEST, NOT_FOUND);
    }
    let headers = req.headers().clone();
    let record = match read_upload(req).await {
        Upload::Missing => Err(NO_IMAGE),
        Upload::Undecodable => Err(IMAGE_FORMAT),
        Upload::Url(url) => Ok(ImageRecord {
            source: ImageSource::Url,
            bytes: 0,
            format: None,
            width: None,
            height: None,
            url: Some(url),
        }),
        Upload::Bytes(source, bytes) => {
            // Decoding a large picture is CPU work: keep it off the reactor.
            let size = bytes.len();
            let inspected = tokio::task::spawn_blocking(move || inspect_image(&bytes)).await;
            match inspected {
                Ok(Some((format, width, height))) => Ok(ImageRecord {
                    source,
                    bytes: size,
                    format: Some(format),
                    width: Some(width),
                    height: Some(height),
                    url: None,
                }),
                _ => Err(IMAGE_FORMAT),
            }
        }
    };
    let stored = on_instance(&s, &headers, "image", |i| {
        record.map(|record| i.image = Some(record))
    });
    match stored {
        None => failure(&s, StatusCode::BAD_REQUEST, NOT_FOUND),
        Some(Err(text)) => failure(&s, StatusCode::INTERNAL_SERVER_ERROR, text),
        Some(Ok(())) => success(&s, IMAGE_CHANGED),
    }
}

async fn read_upload(req: Request) -> Upload {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("multipart/form-data"));
    if is_multipart {
        let Ok(mut form) = Multipart::from_request(req, &()).await else {
            return Upload::Missing;
        };
        while let Ok(Some(field)) = form.next_field().await {
            if field.name() == Some("image") {
                return match field.bytes().await {
                    Ok(bytes) if !bytes.is_empty() => {
                        Upload::Bytes(ImageSource::Multipart, bytes.to_vec())
                    }
                    _ => Upload::Missing,
                };
            }
        }
        return Upload::Missing;
    }
    let Ok(body) = axum::body::to_bytes(req.into_body(), BODY_LIMIT).await else {
        return Upload::Missing;
    };
    match json_field(&body, "image") {
        Some(Value::String(text)) => upload_from_text(text.trim()),
        _ => Upload::Missing,
    }
}

/// JSON `image`: a URL (recorded, not fetched: the sandbox has no network),
/// a data URL, or bare base64.
fn upload_from_text(text: &str) -> Upload {
    if text.is_empty() {
        return Upload::Missing;
    }
    if starts_with_ci(text, "https://") || starts_with_ci(text, "http://") {
        return match url::Url::parse(text) {
            Ok(_) => Upload::Url(text.to_string()),
            Err(_) => Upload::Undecodable,
        };
    }
    match decode_base64(text) {
        Some(bytes) if !bytes.is_empty() => Upload::Bytes(ImageSource::Base64, bytes),
        _ => Upload::Undecodable,
    }
}

fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// A data URL or bare base64, read as every other face of wadash reads it.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let payload = crate::base64_lenient::strip_data_url(text).ok()?;
    crate::base64_lenient::decode(payload).ok()
}

/// Decode fully (a truncated file must fail, as on the real server), under
/// limits that stop a decompression bomb from eating the machine.
pub fn inspect_image(bytes: &[u8]) -> Option<(String, u32, u32)> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let format = reader.format()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().ok()?;
    Some((
        format!("{format:?}").to_lowercase(),
        img.width(),
        img.height(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use serde_json::json;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbImage::new(w, h)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn inspects_real_images_and_refuses_others() {
        assert_eq!(inspect_image(&png(3, 2)), Some(("png".into(), 3, 2)));
        assert_eq!(inspect_image(b"not an image at all"), None);
        let full = png(64, 64);
        assert_eq!(inspect_image(&full[..full.len() / 2]), None, "truncated");
        assert_eq!(inspect_image(&[]), None);
    }

    #[test]
    fn text_uploads() {
        let b64 = STANDARD.encode(png(2, 2));
        assert!(matches!(
            upload_from_text(&b64),
            Upload::Bytes(ImageSource::Base64, _)
        ));
        assert!(matches!(
            upload_from_text(&format!("data:image/png;base64,{b64}")),
            Upload::Bytes(ImageSource::Base64, _)
        ));
        // The header's case and the alphabet vary between clients.
        let url_safe = URL_SAFE_NO_PAD.encode(png(40, 40));
        assert!(matches!(
            upload_from_text(&format!("DATA:image/png;BASE64,{url_safe}")),
            Upload::Bytes(ImageSource::Base64, _)
        ));
        assert!(matches!(
            upload_from_text("https://example.com/a.jpg"),
            Upload::Url(_)
        ));
        assert!(matches!(upload_from_text(""), Upload::Missing));
        assert!(matches!(upload_from_text("%%%"), Upload::Undecodable));
        assert!(matches!(
            upload_from_text("data:image/png,raw"),
            Upload::Undecodable
        ));
    }

    #[test]
    fn json_field_refuses_malformed_bodies() {
        assert_eq!(json_field(br#"{"name":"x"}"#, "name"), Some(json!("x")));
        assert_eq!(json_field(br#"{"nombre":"x"}"#, "name"), None);
        assert_eq!(json_field(b"name=x", "name"), None);
        assert_eq!(json_field(br#"["name"]"#, "name"), None);
        assert_eq!(json_field(b"", "name"), None);
    }
}
