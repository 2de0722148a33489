//! Property-based fuzzing with proptest (cargo-fuzz needs a nightly
//! toolchain; this project builds on stable only): the response parser, the
//! QR payload decoder, the config parser, the picture classifier and the
//! terminal sanitiser get arbitrary and near-valid input. None may panic,
//! and what they say about bad input stays short, key-free and inert.
//!
//! `cargo test` runs 400,000 cases per target: about 15–35 s each in a
//! debug build on the 2-core CI machine, the short run the CI budget has
//! room for. A longer local run:
//! `PROPTEST_CASES=5000000 cargo test --release --test it fuzz::`.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use proptest::prelude::*;

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        // Failures are shrunk and printed; nothing is written to the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Bytes that look like an answer: JSON fragments, the vendor's wrapped
/// shape, escapes, or plain noise.
fn answer_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        (".{0,64}", ".{0,64}").prop_map(|(k, v)| {
            serde_json::json!({ "200": { k: v, "success": "Instancia activa" } })
                .to_string()
                .into_bytes()
        }),
        (".{0,200}").prop_map(|t| serde_json::json!({ "error": t }).to_string().into_bytes()),
        ("[\\{\\}\\[\\]\":,a-z0-9 ]{0,200}").prop_map(String::into_bytes),
    ]
}

fn no_terminal_controls(text: &str) -> bool {
    !text
        .chars()
        .any(|c| c.is_control() || wadash::sanitize::is_bidi_control(c))
}

proptest! {
    #![proptest_config(cases(400_000))]

    #[test]
    fn response_parser_never_panics_and_errors_stay_short(
        http in prop_oneof![Just(200u16), Just(400), Just(500), 100u16..600],
        body in answer_bytes(),
    ) {
        match wadash::api::response::parse(http, &body) {
            Ok(success) => { let _ = success.text.len(); }
            Err(e) => {
                let shown = wadash::sanitize::for_terminal(&e.to_string()).into_owned();
                prop_assert!(no_terminal_controls(&shown), "{shown:?}");
                let _ = e.kind();
            }
        }
    }

    #[test]
    fn qr_payload_decoder_never_panics(
        raw in prop_oneof![
            ".{0,300}",
            proptest::collection::vec(any::<u8>(), 0..400)
                .prop_map(|b| format!("data:image/png;base64,{}", STANDARD.encode(b))),
            proptest::collection::vec(any::<u8>(), 0..400)
                .prop_map(|mut b| { let mut png = b"\x89PNG\r\n\x1a\n".to_vec(); png.append(&mut b); STANDARD.encode(png) }),
            "[A-Za-z0-9+/=_-]{0,400}",
        ],
    ) {
        if let Err(e) = wadash::qr::decode_payload(&raw) {
            prop_assert!(e.to_string().chars().count() < 600, "{e}");
        }
    }

    #[test]
    fn config_parser_never_panics_nor_echoes_the_key(
        key in "[A-Za-z0-9]{16,32}",
        base_url in ".{0,40}",
        field in "[a-z_]{1,12}",
        value in ".{0,40}",
        junk in "[\\[\\]=\"a-z0-9 \\n#.{},]{0,120}",
    ) {
        let key = format!("fuzz-KEY-{key}");
        let text = format!(
            "[[account]]\nname = \"m\"\nbase_url = {base_url:?}\napi_key = \"{key}\"\n{field} = {value:?}\n{junk}\n\n[[instance]]\nid = \"ID1\"\n"
        );
        match wadash::config::Config::parse_str(&text, Path::new("fuzz.toml")) {
            Ok(config) => { let _ = config.resolve(); }
            Err(e) => {
                let shown = e.to_string();
                prop_assert!(!shown.contains(&key), "the key in an error: {shown}");
            }
        }
    }

    #[test]
    fn picture_classifier_never_panics_and_refusals_stay_short(
        input in prop_oneof![
            ".{0,300}",
            "[a-z]{1,8}://.{0,200}",
            "data:.{0,100}",
            "[A-Za-z0-9+/=!#]{0,3000}",
            proptest::collection::vec(any::<u8>(), 0..300)
                .prop_map(|b| format!("data:image/jpeg;base64,{}", STANDARD.encode(b))),
        ],
    ) {
        let source = wadash::profile_image::classify_text(&input);
        let _ = source.describe();
        // Only what needs no file system here: files are covered by the
        // picture tests (a random path could name a real device).
        if !matches!(source, wadash::profile_image::ImageSource::File(_)) {
            let options = wadash::profile_image::PrepareOptions::default();
            if let Err(e) = wadash::profile_image::prepare(&source, &options) {
                let shown = e.to_string();
                prop_assert!(shown.chars().count() < 400, "{} chars: {shown}", shown.chars().count());
            }
        }
    }

    #[test]
    fn sanitised_text_is_inert(text in "(.|\\PC|[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}]){0,200}") {
        let shown = wadash::sanitize::for_terminal(&text);
        prop_assert!(no_terminal_controls(&shown), "{shown:?}");
        let lines = wadash::sanitize::for_terminal_lines(&text);
        prop_assert!(lines.chars().all(|c| c == '\n' || c == '\t' || !wadash::sanitize::needs_escape(c)));
        let json = serde_json::to_string(&text).unwrap();
        let safe = wadash::sanitize::for_json(&json);
        prop_assert!(no_terminal_controls(&safe));
        prop_assert_eq!(serde_json::from_str::<String>(&safe).unwrap(), text);
    }
}
