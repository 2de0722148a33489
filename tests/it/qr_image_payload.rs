//! The terminal images wadash emits, read back: the sixel and kitty
//! payloads (exactly the bytes the dashboard and `wadash qr` print) are
//! parsed here back to pixels and must read, with rqrr, as the pairing text.

use base64::Engine;
use image::{GrayImage, Luma};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use wadash::qr::ansi_image::image_text;
use wadash::qr::encode;
use wadash::qr::image::{ImageFit, image_fit, picker_for};
use wadash::term::{ImageProtocol, ImageSupport};

const PAIRING: &str = "2@Xk3mQ9vTbN8pLr2sYw5Zc7Hd1Fg4Jq6Ue0Ia9Ob3Pc5Rd7Sf,\
    Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Yz3Ab4Cd5E=,Fg6Hi7Jk8Lm9No0Pq1Rs2Tu3Vw4Xy5Za6Bc7De8F=,Gh9Ij0Kl1Mn2Op3Qr4St5Uv6W=";

fn support(protocol: ImageProtocol, cell: (u16, u16)) -> ImageSupport {
    ImageSupport {
        protocol: Some(protocol),
        cell_px: Some(cell),
        in_tmux: false,
        note: String::new(),
    }
}

fn emitted(protocol: ImageProtocol, cell: (u16, u16), room: (u16, u16)) -> (String, ImageFit) {
    let picker = picker_for(&support(protocol, cell)).expect("a picker");
    let modules = encode(PAIRING).unwrap();
    let fit = image_fit(modules.width(), room, cell).expect("fits");
    let (text, rows) = image_text(&picker, &modules, fit, false).expect("encoded");
    assert_eq!(rows, fit.rows);
    (text, fit)
}

fn read_qr(image: GrayImage) -> String {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        image.get_pixel(x as u32, y as u32).0[0]
    });
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one code in the picture");
    grids[0].decode().expect("the code decodes").1
}

/// A minimal sixel decoder: colour registers (`#n;2;r;g;b` in percent),
/// colour selection, sixel bytes, `!n` repeats, `$` and `-`.
fn decode_sixel(text: &str) -> GrayImage {
    let start = text.find("\x1bP").expect("a DCS");
    let body = &text[start + 2..];
    let q = body.find('q').expect("sixel introducer");
    let end = body.find("\x1b\\").expect("ST");
    let data = &body[q + 1..end];
    let mut palette = std::collections::HashMap::new();
    let (mut x, mut y, mut colour) = (0usize, 0usize, 0usize);
    let mut pixels: Vec<(usize, usize, u8)> = Vec::new();
    let (mut width, mut height) = (0usize, 0usize);
    let bytes: Vec<char> = data.chars().collect();
    let mut i = 0;
    let number = |i: &mut usize| -> usize {
        let mut n = 0;
        while *i < bytes.len() && bytes[*i].is_ascii_digit() {
            n = n * 10 + bytes[*i].to_digit(10).unwrap() as usize;
            *i += 1;
        }
        n
    };
    while i < bytes.len() {
        match bytes[i] {
            '"' => {
                i += 1;
                let mut params = vec![number(&mut i)];
                while i < bytes.len() && bytes[i] == ';' {
                    i += 1;
                    params.push(number(&mut i));
                }
                if params.len() >= 4 {
                    width = width.max(params[2]);
                    height = height.max(params[3]);
                }
            }
            '#' => {
                i += 1;
                let n = number(&mut i);
                let mut params = Vec::new();
                while i < bytes.len() && bytes[i] == ';' {
                    i += 1;
                    params.push(number(&mut i));
                }
                if params.len() == 4 {
                    let lum = (params[1] + params[2] + params[3]) * 255 / 300;
                    palette.insert(n, lum.min(255) as u8);
                }
                colour = n;
            }
            '!' => {
                i += 1;
                let count = number(&mut i);
                let c = bytes[i];
                for _ in 0..count {
                    put(
                        &mut pixels,
                        x,
                        y,
                        c,
                        palette.get(&colour).copied().unwrap_or(0),
                    );
                    x += 1;
                }
                width = width.max(x);
                i += 1;
            }
            '$' => {
                x = 0;
                i += 1;
            }
            '-' => {
                x = 0;
                y += 6;
                i += 1;
            }
            c @ '?'..='~' => {
                put(
                    &mut pixels,
                    x,
                    y,
                    c,
                    palette.get(&colour).copied().unwrap_or(0),
                );
                x += 1;
                width = width.max(x);
                i += 1;
            }
            _ => i += 1,
        }
    }
    height = height.max(y + 6);
    let mut image = GrayImage::from_pixel(width as u32, height as u32, Luma([255]));
    for (px, py, v) in pixels {
        if px < width && py < height {
            image.put_pixel(px as u32, py as u32, Luma([v]));
        }
    }
    image
}

fn put(pixels: &mut Vec<(usize, usize, u8)>, x: usize, y: usize, c: char, value: u8) {
    let bits = c as u32 - '?' as u32;
    for row in 0..6 {
        if bits & (1 << row) != 0 {
            pixels.push((x, y + row, value));
        }
    }
}

/// The kitty transmission: `ESC _G keys ; base64 ESC \` chunks (m=1 until
/// the last), RGBA (f=32) of s×v pixels.
fn decode_kitty(text: &str) -> (GrayImage, u32) {
    let mut payload = String::new();
    let (mut w, mut h, mut id) = (0u32, 0u32, 0u32);
    for chunk in text.split("\x1b_G").skip(1) {
        let end = chunk.find("\x1b\\").expect("chunk ends with ST");
        let (keys, data) = chunk[..end].split_once(';').expect("keys;payload");
        for kv in keys.split(',') {
            match kv.split_once('=') {
                Some(("s", v)) => w = v.parse().unwrap(),
                Some(("v", v)) => h = v.parse().unwrap(),
                Some(("i", v)) => id = v.parse().unwrap(),
                Some(("f", v)) => assert_eq!(v, "32", "RGBA"),
                Some(("o", _)) => panic!("compressed: not expected without the capability"),
                _ => {}
            }
        }
        payload.push_str(data);
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(payload)
        .unwrap();
    assert_eq!(raw.len(), (w * h * 4) as usize);
    let image = GrayImage::from_fn(w, h, |x, y| {
        let p = ((y * w + x) * 4) as usize;
        Luma([((u32::from(raw[p]) + u32::from(raw[p + 1]) + u32::from(raw[p + 2])) / 3) as u8])
    });
    (image, id)
}

#[test]
fn sixel_payload_reads_back_as_the_pairing_text() {
    for cell in [(6, 13), (8, 16), (10, 20)] {
        let (text, fit) = emitted(ImageProtocol::Sixel, cell, (50, 21));
        let image = decode_sixel(&text);
        // Pixel-exact: exactly the cells' pixels, no scaling.
        assert_eq!(
            image.width(),
            u32::from(fit.cols) * u32::from(cell.0),
            "{cell:?}"
        );
        assert!(image.height() >= u32::from(fit.rows) * u32::from(cell.1));
        assert_eq!(read_qr(image), PAIRING, "{cell:?}");
    }
}

#[test]
fn kitty_payload_reads_back_and_places_exactly_the_cells() {
    let cell = (10, 20);
    let (text, fit) = emitted(ImageProtocol::Kitty, cell, (50, 21));
    let (image, id) = decode_kitty(&text);
    assert_eq!(
        (image.width(), image.height()),
        (u32::from(fit.cols) * 10, u32::from(fit.rows) * 20)
    );
    assert_eq!(read_qr(image), PAIRING);
    assert_ne!(id, 0);
    // A direct placement over exactly the code's cells (kitty 0.26 has no
    // Unicode placeholders), the cursor moved past it for the next line.
    let first = &text[..text.find("\x1b\\").unwrap()];
    assert!(
        first.contains(&format!("c={},r={},C=0", fit.cols, fit.rows)),
        "{first}"
    );
    assert!(text.ends_with("\x1b\\\n"));
}

#[test]
fn the_pane_widget_puts_the_same_image_in_the_buffer() {
    // What the dashboard renders: QrImages into a frame buffer.
    let cell = (8, 16);
    let modules = encode(PAIRING).unwrap();
    let fit = image_fit(modules.width(), (50, 21), cell).unwrap();
    let mut images =
        wadash::qr::image::QrImages::new(&support(ImageProtocol::Sixel, cell)).unwrap();
    let area = Rect::new(3, 2, fit.cols, fit.rows);
    let mut buf = Buffer::empty(Rect::new(0, 0, 80, 24));
    assert!(images.render(&mut buf, area, PAIRING, &modules, fit, false));
    let first = buf.cell((3, 2)).unwrap().symbol().to_string();
    assert_eq!(read_qr(decode_sixel(&first)), PAIRING);
    // Shown, then gone: the next frame must clear the screen.
    assert!(!images.end_frame(), "first frame: nothing to clear");
    assert!(
        images.end_frame(),
        "no image drawn this frame: the old one must be cleared"
    );
    assert!(!images.end_frame());
}
