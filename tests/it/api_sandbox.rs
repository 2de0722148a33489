//! The real client against the real sandbox, over loopback HTTP: every
//! endpoint, every documented text, both answer shapes, all QR forms, all
//! three image sources.

use std::io::Cursor;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};
use wadash::api::{Account, ApiError, ImageBody, InstanceStatus, response};
use wadash::sandbox::{QrFormat, Shape};
use wadash::secret::Secret;

use crate::common::sandbox::{Env, env, env_with, read_qr_png};

impl Env {
    /// A request the client would never send (malformed body, wrong method
    /// of auth): HTTP status and parsed JSON body.
    async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        id: &str,
        body: Option<&str>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, self.url(path))
            .header("apiKey", &self.sandbox.api_key)
            .header("id", id);
        if let Some(body) = body {
            req = req
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap())
    }
}

/// The body the sandbox sent, with the shape checked: `{"<http>": inner}`
/// when wrapped, `inner` when plain.
fn unwrap_shape(shape: Shape, http: u16, body: &Value) -> Value {
    let obj = body.as_object().expect("an object");
    match shape {
        Shape::Plain => {
            assert!(
                obj.contains_key("success") || obj.contains_key("error"),
                "{body}"
            );
            body.clone()
        }
        Shape::Wrapped => {
            assert_eq!(obj.len(), 1, "{body}");
            obj.get(&http.to_string())
                .unwrap_or_else(|| panic!("wrapped in {http}: {body}"))
                .clone()
        }
    }
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_in_both_shapes() {
    for shape in [Shape::Plain, Shape::Wrapped] {
        let env = env_with(|o| o.shape = shape).await;
        for inst in &env.sandbox.instances {
            let reply = env.client.status(&env.account, &inst.id).await.unwrap();
            if inst.active {
                assert_eq!(reply.text, "Instancia activa");
                assert_eq!(reply.status, InstanceStatus::Active);
            } else {
                assert_eq!(reply.text, "Instancia inactiva");
                assert_eq!(reply.status, InstanceStatus::Inactive);
            }
        }
        let id = env.id(true);
        let (http, body) = env
            .raw(reqwest::Method::POST, "/api/config/status", &id, None)
            .await;
        assert_eq!(http, 200);
        assert_eq!(
            unwrap_shape(shape, 200, &body),
            json!({"success": "Instancia activa"})
        );
        let state = env.state(&id).await;
        assert_eq!(state["requests"]["status"], 2, "{state}");
        env.sandbox.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_key_or_id_is_not_found_in_both_shapes() {
    for shape in [Shape::Plain, Shape::Wrapped] {
        let env = env_with(|o| o.shape = shape).await;
        let id = env.id(true);
        let wrong_key = Account::new(
            "wrong",
            &env.sandbox.base_url(),
            Secret::new("not-the-key-0000"),
            false,
        )
        .unwrap();
        let err = env.client.status(&wrong_key, &id).await.unwrap_err();
        assert_eq!(
            err,
            ApiError::NotFound {
                server_text: "Instancia no encontrada".into()
            }
        );
        let err = env
            .client
            .set_name(&env.account, "NO-SUCH-ID", "x")
            .await
            .unwrap_err();
        assert_eq!(err.kind(), "not_found");
        assert_eq!(err.server_text(), Some("Instancia no encontrada"));
        // Disconnect's not-found text is lower case, as in the seed.
        let err = env.client.disconnect(&wrong_key, &id).await.unwrap_err();
        assert_eq!(err.server_text(), Some("instancia no encontrada"));

        let (http, body) = env
            .raw(reqwest::Method::POST, "/api/config/qr", "NO-SUCH-ID", None)
            .await;
        assert_eq!(http, 400);
        assert_eq!(
            unwrap_shape(shape, 400, &body),
            json!({"error": "Instancia no encontrada"})
        );
        env.sandbox.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setters_in_both_shapes_change_state() {
    for shape in [Shape::Plain, Shape::Wrapped] {
        let env = env_with(|o| o.shape = shape).await;
        let id = env.id(false);
        let c = &env.client;
        let a = &env.account;
        assert_eq!(
            c.set_name(a, &id, "Tienda Ñuñoa").await.unwrap().text,
            "Nombre Actualizado"
        );
        assert_eq!(
            c.set_description(a, &id, "Abierto de 9 a 18 h")
                .await
                .unwrap()
                .text,
            "Descripción Actualizada"
        );
        assert_eq!(
            c.set_auto_read(a, &id, true).await.unwrap().text,
            "Lectura automática actualizada"
        );
        c.set_webhook(a, &id, "https://hooks.example.com/wa")
            .await
            .unwrap();
        let state = env.state(&id).await;
        assert_eq!(state["name"], "Tienda Ñuñoa");
        assert_eq!(state["description"], "Abierto de 9 a 18 h");
        assert_eq!(state["auto_read"], true);
        assert_eq!(state["webhook"], "https://hooks.example.com/wa");

        c.set_auto_read(a, &id, false).await.unwrap();
        assert_eq!(env.state(&id).await["auto_read"], false);

        // A webhook that is not HTTPS is refused and the old one kept.
        let err = c
            .set_webhook(a, &id, "http://hooks.example.com/wa")
            .await
            .unwrap_err();
        assert_eq!(err.kind(), "bad_body", "{err:?}");
        assert_eq!(
            env.state(&id).await["webhook"],
            "https://hooks.example.com/wa"
        );
        env.sandbox.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies_get_the_seed_error_in_both_shapes() {
    for shape in [Shape::Plain, Shape::Wrapped] {
        let env = env_with(|o| o.shape = shape).await;
        let id = env.id(true);
        let cases = [
            ("/api/config/name", "not json"),
            ("/api/config/name", r#"{"nombre":"x"}"#),
            ("/api/config/name", r#"{"name":42}"#),
            ("/api/config/description", r#"{"description":null}"#),
            ("/api/config/description", "[]"),
            ("/api/config/automatic", r#"{"read":"yes"}"#),
            ("/api/config/automatic", r#"{}"#),
        ];
        for (path, body) in cases {
            let (http, answer) = env.raw(reqwest::Method::POST, path, &id, Some(body)).await;
            assert_eq!(http, 500, "{path} {body}");
            assert_eq!(
                unwrap_shape(shape, 500, &answer),
                json!({"error": "Cuerpo en formato incorrecto"}),
                "{path} {body}"
            );
            // And the client's parser classifies the exact bytes as a refused body.
            let err = response::parse(http, answer.to_string().as_bytes()).unwrap_err();
            assert_eq!(err.kind(), "bad_body");
        }
        let state = env.state(&id).await;
        assert_eq!(state["description"], "", "nothing was changed");
        env.sandbox.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disconnect_scan_drop() {
    let env = env().await;
    let id = env.id(true);
    let c = &env.client;
    let a = &env.account;
    let before = env.state(&id).await["qr_generation"].as_u64().unwrap();

    let first = c.disconnect(a, &id).await.unwrap();
    assert_eq!(first.text, "instancia desconectada");
    assert!(!first.already);
    let second = c.disconnect(a, &id).await.unwrap();
    assert_eq!(second.text, "la instancia ya estaba desconectada");
    assert!(second.already);
    let state = env.state(&id).await;
    assert_eq!(state["active"], false);
    assert!(
        state["qr_generation"].as_u64().unwrap() > before,
        "a new QR cycle"
    );
    assert_eq!(
        c.status(a, &id).await.unwrap().status,
        InstanceStatus::Inactive
    );

    let scanned = env.control(&id, "scan").await;
    assert_eq!(scanned["active"], true);
    assert_eq!(
        c.status(a, &id).await.unwrap().status,
        InstanceStatus::Active
    );

    let generation = scanned["qr_generation"].as_u64().unwrap();
    let dropped = env.control(&id, "drop").await;
    assert_eq!(dropped["active"], false);
    assert_eq!(dropped["qr_generation"].as_u64().unwrap(), generation + 1);
    assert_eq!(
        c.status(a, &id).await.unwrap().status,
        InstanceStatus::Inactive
    );

    let missing = env
        .http
        .post(env.url("/_sandbox/instances/NOPE/scan"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn qr_in_all_three_forms() {
    for format in [QrFormat::Dataurl, QrFormat::Png, QrFormat::Text] {
        for shape in [Shape::Plain, Shape::Wrapped] {
            let env = env_with(|o| {
                o.qr = format;
                o.shape = shape;
            })
            .await;
            let id = env.id(false);
            let reply = env.client.qr(&env.account, &id).await.unwrap();
            assert_eq!(reply.text, "QR-CODE enviado");
            let issued = env.state(&id).await["qr_text"]
                .as_str()
                .unwrap()
                .to_string();
            assert!(issued.starts_with("2@") && (200..=240).contains(&issued.len()));
            let decoded = match format {
                QrFormat::Dataurl => {
                    let b64 = reply
                        .qr
                        .strip_prefix("data:image/png;base64,")
                        .expect("a PNG data URL");
                    read_qr_png(&B64.decode(b64).unwrap())
                }
                QrFormat::Png => {
                    assert!(!reply.qr.starts_with("data:"));
                    let bytes = B64.decode(&reply.qr).expect("bare base64");
                    assert_eq!(&bytes[..4], b"\x89PNG");
                    read_qr_png(&bytes)
                }
                QrFormat::Text => String::from_utf8(B64.decode(&reply.qr).unwrap()).unwrap(),
            };
            assert_eq!(decoded, issued, "{format:?}");
            // Asking again within the period gives the same code.
            let again = env.client.qr(&env.account, &id).await.unwrap();
            assert_eq!(again.qr, reply.qr);
            env.sandbox.shutdown().await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn qr_rotates_while_inactive_only() {
    let env = env_with(|o| {
        o.qr = QrFormat::Text;
        o.qr_rotate = Duration::from_millis(300);
    })
    .await;
    let inactive = env.id(false);
    let active = env.id(true);
    let first = env.client.qr(&env.account, &inactive).await.unwrap().qr;
    let linked = env.client.qr(&env.account, &active).await.unwrap().qr;
    let gen_before = env.state(&inactive).await["qr_generation"]
        .as_u64()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(450)).await;
    let second = env.client.qr(&env.account, &inactive).await.unwrap().qr;
    assert_ne!(first, second, "a fresh code after qr_rotate");
    let state = env.state(&inactive).await;
    assert!(state["qr_generation"].as_u64().unwrap() > gen_before);
    assert_eq!(
        B64.decode(&second).unwrap(),
        state["qr_text"].as_str().unwrap().as_bytes()
    );
    // A linked instance still answers, with its last code.
    assert_eq!(
        env.client.qr(&env.account, &active).await.unwrap().qr,
        linked
    );
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn image_from_all_three_sources() {
    for shape in [Shape::Plain, Shape::Wrapped] {
        let env = env_with(|o| o.shape = shape).await;
        let id = env.id(true);
        let c = &env.client;
        let a = &env.account;

        let bytes = png(64, 48);
        let size = bytes.len();
        let multipart = ImageBody::Multipart {
            bytes,
            file_name: "perfil.png".into(),
            mime: "image/png".into(),
        };
        assert_eq!(
            c.set_image(a, &id, &multipart).await.unwrap().text,
            "Imagen cambiada"
        );
        let image = env.state(&id).await["image"].clone();
        assert_eq!(
            image,
            json!({"source":"multipart","bytes":size,"format":"png","width":64,"height":48,"url":null})
        );

        let jpg = jpeg(100, 50);
        let jpg_size = jpg.len();
        c.set_image(a, &id, &ImageBody::Base64(B64.encode(&jpg)))
            .await
            .unwrap();
        let image = env.state(&id).await["image"].clone();
        assert_eq!(
            image,
            json!({"source":"base64","bytes":jpg_size,"format":"jpeg","width":100,"height":50,"url":null})
        );

        let data_url = format!("data:image/png;base64,{}", B64.encode(png(7, 9)));
        c.set_image(a, &id, &ImageBody::Base64(data_url))
            .await
            .unwrap();
        let image = env.state(&id).await["image"].clone();
        assert_eq!(
            (&image["source"], &image["width"], &image["height"]),
            (&json!("base64"), &json!(7), &json!(9))
        );

        let url = "https://cdn.example.com/logo.jpg";
        c.set_image(a, &id, &ImageBody::Url(url.into()))
            .await
            .unwrap();
        let image = env.state(&id).await["image"].clone();
        assert_eq!(image["source"], "url");
        assert_eq!(image["url"], url);

        // The log saw both upload shapes.
        let log = env.requests().await;
        let bodies: Vec<&str> = log
            .iter()
            .filter(|e| e["path"] == "/api/config/image")
            .map(|e| e["body"].as_str().unwrap())
            .collect();
        assert_eq!(bodies, ["multipart", "json", "json", "json"]);
        assert!(log.iter().all(|e| e["method"] == "PUT" && e["http"] == 200));
        env.sandbox.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_and_missing_images() {
    let env = env().await;
    let id = env.id(true);
    let c = &env.client;
    let a = &env.account;
    let text_file = ImageBody::Multipart {
        bytes: b"hola, esto no es una imagen".to_vec(),
        file_name: "notas.png".into(),
        mime: "image/png".into(),
    };
    let err = c.set_image(a, &id, &text_file).await.unwrap_err();
    assert_eq!(
        err,
        ApiError::ImageFormat {
            server_text: "Error de formato de imagen".into()
        }
    );
    let full = png(40, 40);
    let truncated = B64.encode(&full[..full.len() / 2]);
    let err = c
        .set_image(a, &id, &ImageBody::Base64(truncated))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "image_format");
    let err = c
        .set_image(a, &id, &ImageBody::Base64("¿qué?".into()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "image_format");
    assert_eq!(
        env.state(&id).await["image"],
        Value::Null,
        "nothing recorded"
    );

    let missing = "No se proporcionó imagen. Por favor, sube un archivo, envía una cadena Base64 o proporciona una URL.";
    for body in [
        Some("{}"),
        Some(r#"{"image":""}"#),
        Some(r#"{"img":"x"}"#),
        None,
    ] {
        let (http, answer) = env
            .raw(reqwest::Method::PUT, "/api/config/image", &id, body)
            .await;
        assert_eq!(http, 500, "{body:?}");
        assert_eq!(answer, json!({"500": {"error": missing}}), "{body:?}");
        let err = response::parse(http, answer.to_string().as_bytes()).unwrap_err();
        assert_eq!(err.kind(), "image_missing");
    }
    // A multipart form without an `image` field.
    let form = reqwest::multipart::Form::new().text("foto", "x");
    let resp = env
        .http
        .put(env.url("/api/config/image"))
        .header("apiKey", &env.sandbox.api_key)
        .header("id", &id)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 500);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"500": {"error": missing}})
    );
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_upload_beyond_axum_default_limit() {
    let env = env().await;
    let id = env.id(false);
    // Noise does not compress: a ~6 MiB PNG, three times axum's 2 MiB default.
    let mut seed = 0x1234_5678u32;
    let img = image::RgbImage::from_fn(1500, 1400, |_, _| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let [r, g, b, _] = seed.to_le_bytes();
        image::Rgb([r, g, b])
    });
    let mut bytes = Vec::new();
    img.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    assert!(bytes.len() > 5 * 1024 * 1024, "{}", bytes.len());
    let size = bytes.len();
    env.client
        .set_image(
            &env.account,
            &id,
            &ImageBody::Multipart {
                bytes,
                file_name: "grande.png".into(),
                mime: "image/png".into(),
            },
        )
        .await
        .unwrap();
    let image = env.state(&id).await["image"].clone();
    assert_eq!(image["bytes"], size);
    assert_eq!(
        (image["width"].clone(), image["height"].clone()),
        (json!(1500), json!(1400))
    );
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bearer_prefixed_key_must_match_exactly() {
    let key = "Bearer sk_demo_0123456789abcdef";
    let env = env_with(|o| o.api_key = Some(key.into())).await;
    let id = env.id(true);
    assert_eq!(env.sandbox.api_key, key);
    assert_eq!(
        env.client.status(&env.account, &id).await.unwrap().status,
        InstanceStatus::Active
    );
    let bare = Account::new(
        "bare",
        &env.sandbox.base_url(),
        Secret::new("sk_demo_0123456789abcdef"),
        false,
    )
    .unwrap();
    assert_eq!(
        env.client.status(&bare, &id).await.unwrap_err().kind(),
        "not_found"
    );
    env.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_routes_list_log_and_never_leak_the_key() {
    let env = env().await;
    let list: Vec<Value> = env
        .http
        .get(env.url("/_sandbox/instances"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 6);
    assert_eq!(list[0]["label"], "Tienda Lima");
    assert_eq!(list[0]["id"], env.sandbox.instances[0].id.as_str());
    for (view, demo) in list.iter().zip(&env.sandbox.instances) {
        assert_eq!(view["active"], demo.active);
    }

    let id = env.id(true);
    env.client.status(&env.account, &id).await.unwrap();
    env.client
        .set_name(&env.account, &id, "Nuevo")
        .await
        .unwrap();
    let resp = env
        .http
        .get(env.url("/_sandbox/requests"))
        .send()
        .await
        .unwrap();
    let text = resp.text().await.unwrap();
    assert!(!text.contains(&env.sandbox.api_key), "{text}");
    let log: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["path"], "/api/config/status");
    assert_eq!(log[0]["body"], "none");
    assert_eq!(log[0]["instance"], id.as_str());
    assert_eq!(log[1]["body"], "json");
    assert_eq!(log[1]["http"], 200);
    assert!(log[1]["time"].as_str().unwrap().ends_with('Z'));

    env.clear_requests().await;
    let log = env.requests().await;
    assert!(log.is_empty());
    env.sandbox.shutdown().await;
}
