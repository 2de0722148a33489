//! Unit tests of classification, messages, the preview and flattening.

use std::path::Path;

use image::{DynamicImage, RgbImage};
use ratatui::style::Color;

use super::encode::flatten_on_white;
use super::source::INLINE_MIN_LEN;
use super::*;

#[test]
fn classify_recognises_each_kind() {
    assert_eq!(
        classify("https://example.com/a.png"),
        ImageSource::Url("https://example.com/a.png".into())
    );
    assert_eq!(
        classify("  HTTP://example.com/a.png "),
        ImageSource::Url("HTTP://example.com/a.png".into())
    );
    assert!(matches!(
        classify("data:image/png;base64,iVBORw0KGgo="),
        ImageSource::Inline(_)
    ));
    assert!(matches!(
        classify("iVBORw0KGgoAAAANSUhEUg"),
        ImageSource::Inline(_)
    ));
    assert!(matches!(classify(&"A".repeat(100)), ImageSource::Inline(_)));
    assert_eq!(
        classify("pics/avatar.png"),
        ImageSource::File("pics/avatar.png".into())
    );
    // Short alphanumeric names are files, not base64.
    assert_eq!(classify("avatar"), ImageSource::File("avatar".into()));
}

#[test]
fn pasted_base64_with_slashes_is_inline_but_long_paths_are_not() {
    let gif = format!(
        "R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs{}",
        "A".repeat(40)
    );
    assert!(matches!(classify_text(&gif), ImageSource::Inline(_)));
    let jpeg = format!("/9j/4AAQSkZJRgABAQ{}", "/A+".repeat(30));
    assert!(matches!(classify_text(&jpeg), ImageSource::Inline(_)));
    // A deep directory being typed (Tab completes it) is not a paste.
    let dir = "/home/maria/Documentos/Clientes/Tienda-Lima/Fotos_de_perfil/2024/";
    assert!(dir.len() >= INLINE_MIN_LEN);
    assert_eq!(classify_text(dir), ImageSource::File(dir.into()));
}

#[test]
fn only_paths_and_urls_can_be_sent_again() {
    assert!(can_send_again("pics/a.png"));
    assert!(can_send_again("https://x.test/a.png"));
    let pasted = ImageSource::Inline(format!("iVBORw0KGgo{}", "A".repeat(80)));
    assert!(!can_send_again(&pasted.describe()));
    // A payload remembered whole by an older version.
    assert!(!can_send_again(&format!("R0lGODlh/{}", "A".repeat(80))));
    assert!(can_send_again("base64 (notes).png"));
}

#[test]
fn classify_expands_home() {
    let Some(dirs) = directories::BaseDirs::new() else {
        return;
    };
    assert_eq!(
        classify("~/p.png"),
        ImageSource::File(dirs.home_dir().join("p.png"))
    );
}

#[test]
fn describe_never_includes_payload() {
    let s = ImageSource::Inline(format!("iVBOR\n{}", "A".repeat(95)));
    assert_eq!(s.describe(), "base64 (100 chars)");
}

#[test]
fn permission_denied_maps_to_unreadable() {
    let e = io_error(
        Path::new("/x/p.png"),
        std::io::Error::from(std::io::ErrorKind::PermissionDenied),
    );
    assert_eq!(
        e.to_string(),
        "/x/p.png: cannot be read (permission denied)"
    );
    let e = io_error(
        Path::new("/x/p.png"),
        std::io::Error::from(std::io::ErrorKind::NotFound),
    );
    assert_eq!(
        e,
        ImageError::Missing {
            path: "/x/p.png".into()
        }
    );
}

#[test]
fn preview_text_pairs_rows() {
    let mut img = RgbImage::new(3, 3);
    img.put_pixel(0, 0, image::Rgb([255, 0, 0]));
    img.put_pixel(0, 1, image::Rgb([0, 0, 255]));
    let text = preview_text(&img);
    assert_eq!(text.lines.len(), 2);
    assert_eq!(text.lines[0].spans.len(), 3);
    let first = &text.lines[0].spans[0];
    assert_eq!(first.content, "▀");
    assert_eq!(first.style.fg, Some(Color::Rgb(255, 0, 0)));
    assert_eq!(first.style.bg, Some(Color::Rgb(0, 0, 255)));
    assert_eq!(text.lines[1].spans[0].style.bg, None);
}

#[test]
fn transparency_flattens_to_white() {
    let img = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
        4,
        4,
        image::Rgba([0, 0, 0, 0]),
    ));
    assert_eq!(flatten_on_white(&img).get_pixel(1, 1).0, [255, 255, 255]);
}
