//! Tolerant reading of the service's answers, as pure functions.
//!
//! The vendor's page writes every answer as `{"200": {"success": "…"}}`; the
//! wire may carry that or the plain `{"success": "…"}`. We classify by HTTP
//! status first, then by the `success` / `error` keys.

use serde_json::{Map, Value};
use unicode_normalization::UnicodeNormalization;

use super::error::ApiError;
use super::types::InstanceStatus;

/// A successful answer: the `success` text and every other key beside it
/// (the QR endpoint puts `QR` there).
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    pub text: String,
    pub fields: Map<String, Value>,
}

/// First bytes of a body, printable and with every known key cut out (a
/// proxy page may echo the request headers), for error messages.
pub fn snippet(body: &[u8]) -> String {
    const MAX: usize = 80;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX * 4)]);
    let text = crate::redact::redact(&text);
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = flat.chars().take(MAX).collect();
    if flat.chars().count() > MAX || body.len() > MAX * 4 {
        out.push('…');
    }
    if out.is_empty() {
        out.push_str("(empty body)");
    }
    out
}

/// Turn an HTTP status and body into a success or a classified error.
pub fn parse(http: u16, body: &[u8]) -> Result<Success, ApiError> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => {
            return Err(ApiError::NotJson {
                http,
                snippet: snippet(body),
            });
        }
    };
    let object = unwrap_status_key(value);
    let Some(object) = object else {
        return Err(ApiError::UnexpectedShape {
            http,
            snippet: snippet(body),
        });
    };

    let error_text = object.get("error").map(text_of);
    let success_text = object.get("success").map(text_of);
    let is_2xx = (200..300).contains(&http);

    if let Some(text) = error_text {
        return Err(classify_error(http, text));
    }
    match success_text {
        Some(text) if is_2xx => {
            let mut fields = object;
            fields.remove("success");
            Ok(Success { text, fields })
        }
        // A success text under an error status is still an error: trust HTTP first.
        Some(text) => Err(ApiError::Server {
            http,
            server_text: text,
        }),
        None if is_2xx => Err(ApiError::UnexpectedShape {
            http,
            snippet: snippet(body),
        }),
        None => Err(ApiError::Server {
            http,
            server_text: snippet(body),
        }),
    }
}

/// Accept both `{...}` and `{"200": {...}}` (one key that is an HTTP code).
fn unwrap_status_key(value: Value) -> Option<Map<String, Value>> {
    let Value::Object(map) = value else {
        return None;
    };
    if map.len() == 1 {
        let (key, inner) = map.iter().next().expect("one entry");
        let is_code = key.len() == 3 && key.chars().all(|c| c.is_ascii_digit());
        if is_code && let Value::Object(inner) = inner {
            return Some(inner.clone());
        }
    }
    Some(map)
}

/// Server text as it enters wadash: every known key is cut out here, once,
/// so no face can show, log or save a key a server echoed back.
fn text_of(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    crate::redact::redact(&text).into_owned()
}

fn classify_error(http: u16, text: String) -> ApiError {
    let norm = normalize(&text);
    let not_found = [
        "instancia no encontrada",
        "instance not found",
        "instancia nao encontrada",
    ];
    // 400 is documented for one thing only: the apiKey / id pair is wrong.
    if http == 400 || not_found.iter().any(|p| norm.contains(p)) {
        return ApiError::NotFound { server_text: text };
    }
    if norm.contains("no se proporciono imagen")
        || norm.contains("no image provided")
        || norm.contains("nenhuma imagem")
    {
        return ApiError::ImageMissing { server_text: text };
    }
    if norm.contains("formato de imagen")
        || norm.contains("image format")
        || norm.contains("formato de imagem")
    {
        return ApiError::ImageFormat { server_text: text };
    }
    if norm.contains("formato incorrecto")
        || norm.contains("incorrect format")
        || norm.contains("invalid body")
        || norm.contains("formato incorreto")
    {
        return ApiError::BadBody {
            http,
            server_text: text,
        };
    }
    ApiError::Server {
        http,
        server_text: text,
    }
}

/// Lower-case, accents stripped, whitespace folded, trailing punctuation gone:
/// "Instância ATIVA." and "instancia ativa" compare equal.
pub fn normalize(text: &str) -> String {
    let stripped: String = text
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase();
    stripped
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| c.is_ascii_punctuation())
        .trim()
        .to_string()
}

/// Map a `status` success text to Active / Inactive / Unknown (es, en, pt).
pub fn status_from_text(text: &str) -> InstanceStatus {
    const ACTIVE: &[&str] = &[
        "instancia activa",
        "instance active",
        "instance is active",
        "instancia ativa",
        "instancia esta activa",
        "instancia esta ativa",
    ];
    const INACTIVE: &[&str] = &[
        "instancia inactiva",
        "instance inactive",
        "instance is inactive",
        "instancia inativa",
        "instancia esta inactiva",
        "instancia esta inativa",
    ];
    let norm = normalize(text);
    if ACTIVE.contains(&norm.as_str()) {
        InstanceStatus::Active
    } else if INACTIVE.contains(&norm.as_str()) {
        InstanceStatus::Inactive
    } else {
        InstanceStatus::Unknown(text.to_string())
    }
}

/// Did a `disconnect` success text say the instance was already disconnected?
pub fn disconnect_was_already(text: &str) -> bool {
    let norm = normalize(text);
    norm.contains("ya estaba") || norm.contains("already") || norm.contains("ja estava")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes_parse_the_same() {
        let plain = parse(200, br#"{"success":"Nombre Actualizado"}"#).unwrap();
        let wrapped = parse(200, br#"{"200":{"success":"Nombre Actualizado"}}"#).unwrap();
        assert_eq!(plain, wrapped);
        assert_eq!(plain.text, "Nombre Actualizado");
    }

    #[test]
    fn qr_field_is_kept_beside_success() {
        let ok = parse(200, br#"{"200":{"success":"QR-CODE enviado","QR":"abc"}}"#).unwrap();
        assert_eq!(ok.fields.get("QR").and_then(Value::as_str), Some("abc"));
    }

    #[test]
    fn error_key_under_2xx_is_an_error() {
        let err = parse(200, br#"{"error":"Instancia no encontrada"}"#).unwrap_err();
        assert!(matches!(err, ApiError::NotFound { .. }), "{err:?}");
    }

    #[test]
    fn documented_errors_are_classified() {
        let cases: &[(u16, &str, &str)] = &[
            (
                400,
                r#"{"400":{"error":"Instancia no encontrada"}}"#,
                "not_found",
            ),
            (
                400,
                r#"{"400":{"error":"instancia no encontrada"}}"#,
                "not_found",
            ),
            (
                500,
                r#"{"500":{"error":"Cuerpo en formato incorrecto"}}"#,
                "bad_body",
            ),
            (
                500,
                r#"{"500":{"error":"No se proporcionó imagen. Por favor, sube un archivo, envía una cadena Base64 o proporciona una URL."}}"#,
                "image_missing",
            ),
            (
                500,
                r#"{"500":{"error":"Error de formato de imagen"}}"#,
                "image_format",
            ),
            (503, r#"{"error":"maintenance"}"#, "server"),
        ];
        for (http, body, kind) in cases {
            let err = parse(*http, body.as_bytes()).unwrap_err();
            assert_eq!(err.kind(), *kind, "{body}");
            assert!(err.server_text().is_some());
        }
    }

    #[test]
    fn html_page_is_not_json_and_quoted() {
        let html = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        let err = parse(502, html).unwrap_err();
        match &err {
            ApiError::NotJson { http, snippet } => {
                assert_eq!(*http, 502);
                assert!(snippet.contains("502 Bad Gateway"), "{snippet}");
            }
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().contains("502 Bad Gateway"));
    }

    #[test]
    fn truncated_json_is_not_json() {
        let err = parse(200, br#"{"200":{"success":"Instan"#).unwrap_err();
        assert_eq!(err.kind(), "not_json");
    }

    #[test]
    fn json_without_keys_is_unexpected() {
        assert_eq!(parse(200, b"{}").unwrap_err().kind(), "unexpected_shape");
        assert_eq!(parse(200, b"[1,2]").unwrap_err().kind(), "unexpected_shape");
        assert_eq!(
            parse(200, b"\"hi\"").unwrap_err().kind(),
            "unexpected_shape"
        );
    }

    #[test]
    fn status_texts_in_three_languages() {
        for t in [
            "Instancia activa",
            "INSTANCIA ACTIVA",
            "Instance active",
            "Instância ativa",
            "instancia activa.",
        ] {
            assert_eq!(status_from_text(t), InstanceStatus::Active, "{t}");
        }
        for t in [
            "Instancia inactiva",
            "Instance inactive",
            "Instância inativa",
        ] {
            assert_eq!(status_from_text(t), InstanceStatus::Inactive, "{t}");
        }
        assert_eq!(
            status_from_text("Instancia reiniciando"),
            InstanceStatus::Unknown("Instancia reiniciando".into())
        );
    }

    #[test]
    fn disconnect_already() {
        assert!(disconnect_was_already(
            "la instancia ya estaba desconectada"
        ));
        assert!(disconnect_was_already(
            "The instance was already disconnected"
        ));
        assert!(disconnect_was_already("A instância já estava desconectada"));
        assert!(!disconnect_was_already("instancia desconectada"));
    }

    #[test]
    fn snippet_is_short_and_flat() {
        let long = "x".repeat(1000);
        let s = snippet(long.as_bytes());
        assert!(s.chars().count() <= 81);
        assert_eq!(snippet(b""), "(empty body)");
        assert_eq!(snippet(b"a\n\n b"), "a b");
    }
}
