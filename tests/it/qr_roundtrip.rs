//! The QR module end to end: every drawing must scan (rqrr reads it back),
//! every `QR` value form must decode, and bad values must fail clearly.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use wadash::qr::{
    DrawMode, Fit, ModeChoice, QrError, QrWidget, choose, decode_buffer, decode_lines,
    decode_payload, draw, encode, to_png,
};

/// A WhatsApp-like pairing text of exactly `len` characters: `2@` then
/// base64-looking chunks separated by commas (a ref, three keys).
fn pairing_text(len: usize, seed: u64) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    // Four chunks (ref, noise key, identity key, secret) filling the length exactly.
    let body = len.saturating_sub(2 + 3);
    let mut text = String::from("2@");
    for chunk in 0..4 {
        let size = if chunk < 3 {
            body / 4
        } else {
            body - 3 * (body / 4)
        };
        if chunk > 0 {
            text.push(',');
        }
        text.extend((0..size).map(|_| B64[(next() % 64) as usize] as char));
    }
    text
}

fn texts() -> Vec<String> {
    vec![
        "2@short,ref".to_string(),
        pairing_text(180, 1),
        pairing_text(220, 2),
        pairing_text(260, 3),
    ]
}

#[test]
fn pairing_texts_have_the_requested_shape() {
    for len in [180, 220, 260] {
        let text = pairing_text(len, 7);
        assert_eq!(text.len(), len);
        assert!(text.starts_with("2@"));
        assert_eq!(text.matches(',').count(), 3, "{text}");
    }
}

/// The three forms the API's `QR` value comes in, for `text`.
fn qr_values(text: &str) -> [(&'static str, String); 3] {
    let png = STANDARD.encode(to_png(&encode(text).unwrap(), 4).unwrap());
    [
        ("data URL", format!("data:image/png;base64,{png}")),
        ("bare base64 PNG", png),
        ("base64 text", STANDARD.encode(text)),
    ]
}

/// Issue 2 §4: from the value the server sends to what a phone reads off
/// the terminal, for every value form, both modes and both polarities,
/// read back from the drawing's lines and from a rendered buffer.
#[test]
fn qr_value_round_trips_to_the_screen_in_every_form_mode_and_polarity() {
    for text in texts() {
        for (form, value) in qr_values(&text) {
            let decoded = decode_payload(&value).unwrap_or_else(|e| panic!("{form}: {e}"));
            assert_eq!(decoded, text, "{form}");
            let modules = encode(&decoded).unwrap();
            for mode in [DrawMode::Half, DrawMode::Compact] {
                for invert in [false, true] {
                    let case = format!("{form}, {mode}, invert={invert}, len={}", text.len());
                    let drawing = draw(&modules, mode, 4, invert);
                    let read = decode_lines(&drawing.lines, mode, invert);
                    assert_eq!(read.as_deref(), Ok(text.as_str()), "{case}");
                    // The wrong polarity is a photographic negative and must
                    // not scan: proof the polarity really is in the glyphs.
                    assert!(
                        decode_lines(&drawing.lines, mode, !invert).is_err(),
                        "{case}"
                    );
                    let area = Rect::new(0, 0, drawing.width + 2, drawing.height + 2);
                    let mut buffer = ratatui::buffer::Buffer::empty(area);
                    ratatui::widgets::Widget::render(QrWidget::new(&drawing), area, &mut buffer);
                    assert_eq!(
                        decode_buffer(&buffer, area).as_deref(),
                        Ok(text.as_str()),
                        "{case}"
                    );
                }
            }
        }
    }
}

#[test]
fn tight_quiet_zone_still_scans() {
    let text = pairing_text(220, 11);
    let modules = encode(&text).unwrap();
    let drawing = draw(&modules, DrawMode::Compact, 2, false);
    assert_eq!(
        decode_lines(&drawing.lines, DrawMode::Compact, false).unwrap(),
        text
    );
}

#[test]
fn pairing_versions_are_as_expected() {
    // Byte mode at level L: 180 chars -> v8, 220 -> v9, 260 -> v10.
    let versions: Vec<u8> = [180, 220, 260]
        .iter()
        .map(|&n| encode(&pairing_text(n, 5)).unwrap().version())
        .collect();
    assert_eq!(versions, [8, 9, 10]);
}

/// Render with the widget into a `cols`×`rows` TestBackend and read it back.
fn render_and_read(
    text: &str,
    cols: u16,
    rows: u16,
    choice: ModeChoice,
    invert: bool,
    color: bool,
) -> String {
    let modules = encode(text).unwrap();
    let Fit::Draw { mode, quiet } = choose(modules.width(), (cols, rows), choice) else {
        panic!("{choice} must fit {cols}×{rows}");
    };
    let drawing = draw(&modules, mode, quiet, invert);
    let mut terminal = Terminal::new(TestBackend::new(cols, rows)).unwrap();
    terminal
        .draw(|frame| frame.render_widget(QrWidget::new(&drawing).color(color), frame.area()))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    decode_buffer(&buffer, Rect::new(0, 0, cols, rows)).unwrap()
}

#[test]
fn widget_in_test_backend_decodes_in_all_combinations() {
    let text = pairing_text(220, 9);
    for invert in [false, true] {
        for color in [true, false] {
            // 80×24 only takes compact; 120×40 takes half blocks for v9.
            assert_eq!(
                render_and_read(&text, 80, 24, ModeChoice::Auto, invert, color),
                text
            );
            assert_eq!(
                render_and_read(&text, 120, 40, ModeChoice::Half, invert, color),
                text
            );
        }
    }
}

#[test]
fn widget_region_with_surrounding_text_still_decodes() {
    // A pane draws a label above the code; reading the whole pane must work.
    let text = pairing_text(180, 12);
    let modules = encode(&text).unwrap();
    let drawing = draw(&modules, DrawMode::Compact, 4, false);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| {
            frame.render_widget(
                ratatui::text::Line::from("Tienda Lima — refresh in 17 s"),
                Rect::new(0, 0, 80, 1),
            );
            frame.render_widget(QrWidget::new(&drawing), Rect::new(0, 1, 80, 23));
        })
        .unwrap();
    let buffer = terminal.backend().buffer();
    assert_eq!(decode_buffer(buffer, buffer.area).unwrap(), text);
}

#[test]
fn decode_buffer_reports_a_blank_screen() {
    let buffer = ratatui::buffer::Buffer::empty(Rect::new(0, 0, 40, 20));
    assert!(decode_buffer(&buffer, buffer.area).is_err());
    assert!(decode_buffer(&buffer, Rect::new(100, 100, 5, 5)).is_err());
}

// ---- decode_payload: the three forms of the API's `QR` value ----

#[test]
fn payload_as_data_url_png() {
    let text = pairing_text(220, 21);
    let png = to_png(&encode(&text).unwrap(), 4).unwrap();
    let value = format!("data:image/png;base64,{}", STANDARD.encode(&png));
    assert_eq!(decode_payload(&value).unwrap(), text);
}

#[test]
fn payload_as_bare_base64_png() {
    let text = pairing_text(260, 22);
    let png = to_png(&encode(&text).unwrap(), 3).unwrap();
    assert_eq!(decode_payload(&STANDARD.encode(&png)).unwrap(), text);
}

#[test]
fn payload_as_small_png_one_pixel_per_module() {
    let text = pairing_text(180, 25);
    let png = to_png(&encode(&text).unwrap(), 1).unwrap();
    assert_eq!(decode_payload(&STANDARD.encode(&png)).unwrap(), text);
}

#[test]
fn payload_as_base64_jpeg() {
    let text = pairing_text(220, 23);
    let png = to_png(&encode(&text).unwrap(), 6).unwrap();
    let image = image::load_from_memory(&png).unwrap();
    let mut jpeg = Vec::new();
    image
        .to_rgb8()
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    assert_eq!(&jpeg[..2], [0xFF, 0xD8]);
    let value = format!("data:image/jpeg;base64,{}", STANDARD.encode(&jpeg));
    assert_eq!(decode_payload(&value).unwrap(), text);
    assert_eq!(decode_payload(&STANDARD.encode(&jpeg)).unwrap(), text);
}

#[test]
fn payload_as_base64_text() {
    let text = pairing_text(220, 24);
    assert_eq!(decode_payload(&STANDARD.encode(&text)).unwrap(), text);
    // Line-wrapped, as some servers send it.
    let wrapped: String = STANDARD
        .encode(&text)
        .as_bytes()
        .chunks(76)
        .map(|c| format!("{}\n", std::str::from_utf8(c).unwrap()))
        .collect();
    assert_eq!(decode_payload(&wrapped).unwrap(), text);
}

#[test]
fn payload_that_is_not_base64() {
    let err = decode_payload("<html><body>502 Bad Gateway</body></html>").unwrap_err();
    assert!(matches!(err, QrError::NotBase64 { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("not base64") && message.contains("<html><body>502"),
        "{message}"
    );
}

#[test]
fn payload_image_without_a_qr_code() {
    let white = image::GrayImage::from_pixel(200, 200, image::Luma([255]));
    let mut png = Vec::new();
    white
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let err = decode_payload(&STANDARD.encode(&png)).unwrap_err();
    assert_eq!(
        err,
        QrError::NoQrFound {
            width: 200,
            height: 200
        }
    );
    assert!(err.to_string().contains("no QR code found"), "{err}");
}

#[test]
fn payload_of_garbage_bytes() {
    let garbage: Vec<u8> = (0..=255u8).rev().cycle().take(600).collect();
    let err = decode_payload(&STANDARD.encode(&garbage)).unwrap_err();
    assert!(matches!(err, QrError::UnknownBytes { .. }), "{err:?}");
    assert!(
        err.to_string().contains("neither an image nor text"),
        "{err}"
    );
}

#[test]
fn payload_png_that_is_truncated() {
    let png = to_png(&encode("hello").unwrap(), 4).unwrap();
    let err = decode_payload(&STANDARD.encode(&png[..png.len() / 2])).unwrap_err();
    assert!(matches!(err, QrError::BadImage { .. }), "{err:?}");
    assert!(err.to_string().contains("PNG"), "{err}");
}

#[test]
fn payload_empty_or_blank() {
    assert_eq!(decode_payload(""), Err(QrError::Empty));
    assert_eq!(decode_payload("  \n"), Err(QrError::Empty));
    assert_eq!(
        decode_payload("data:image/png;base64,"),
        Err(QrError::Empty)
    );
}

#[test]
fn payload_never_panics_on_odd_inputs() {
    let long = "A".repeat(100_000);
    let huge_header = format!(
        "data:image/png;base64,{}",
        STANDARD
            .encode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xff\xff\xff\xff\xff\xff\xff\x08\0\0\0\0")
    );
    for value in [
        "data:",
        "data:,",
        "====",
        "\u{0}",
        "ñandú",
        long.as_str(),
        huge_header.as_str(),
    ] {
        let result = decode_payload(value);
        assert!(result.is_err(), "{value:.40} -> {result:?}");
        assert!(!result.unwrap_err().to_string().is_empty());
    }
}
