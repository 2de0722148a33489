//! Profile picture preparation: every source kind, both upload shapes, the
//! square crop, and every local error with its message.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use wadash::api::{ImageBody, UploadShape};
use wadash::profile_image::{
    ImageError, ImageSource, PREVIEW_MAX, PrepareOptions, Prepared, classify, prepare, preview_text,
};

const RED: [u8; 3] = [220, 20, 20];
const GREEN: [u8; 3] = [20, 200, 40];
const BLUE: [u8; 3] = [20, 40, 220];

/// Three equal vertical bands, red | green | blue: a centre crop of a wide
/// image is all green, a squash would show red and blue at the edges.
fn three_bands(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, _| {
        Rgb(match x * 3 / width {
            0 => RED,
            1 => GREEN,
            _ => BLUE,
        })
    })
}

/// Three horizontal bands, for tall images.
fn three_rows(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |_, y| {
        Rgb(match y * 3 / height {
            0 => RED,
            1 => GREEN,
            _ => BLUE,
        })
    })
}

fn encode(img: &RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(img.clone())
        .write_to(&mut out, format)
        .expect("encode test image");
    out.into_inner()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn opts(shape: UploadShape, keep_original: bool) -> PrepareOptions {
    PrepareOptions {
        keep_original,
        shape,
        size: 640,
        preview: false,
    }
}

/// The options of the dashboard's preview.
fn with_preview(opts: PrepareOptions) -> PrepareOptions {
    PrepareOptions {
        preview: true,
        ..opts
    }
}

fn close(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 24)
}

fn multipart(p: &Prepared) -> (&[u8], &str, &str) {
    match &p.body {
        ImageBody::Multipart {
            bytes,
            file_name,
            mime,
        } => (bytes, file_name, mime),
        other => panic!("expected multipart, got {other:?}"),
    }
}

fn prepare_err(source: &ImageSource) -> ImageError {
    prepare(source, &PrepareOptions::default()).expect_err("should be refused")
}

/// A BMP header announcing `width`×`height` 24-bit pixels, with no pixel
/// data: a cheap stand-in for a decompression bomb.
fn bmp_header(width: i32, height: i32) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(b"BM");
    b.extend_from_slice(&1000u32.to_le_bytes()); // file size (unchecked)
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(&54u32.to_le_bytes()); // pixel data offset
    b.extend_from_slice(&40u32.to_le_bytes()); // info header size
    b.extend_from_slice(&width.to_le_bytes());
    b.extend_from_slice(&height.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes()); // planes
    b.extend_from_slice(&24u16.to_le_bytes()); // bits per pixel
    b.extend_from_slice(&[0u8; 24]); // compression, sizes, palette: zero
    b
}

#[test]
fn wide_file_is_centre_cropped_to_640_jpeg() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "wide.png",
        &encode(&three_bands(600, 200), ImageFormat::Png),
    );
    let p = prepare(
        &ImageSource::File(path),
        &opts(UploadShape::Multipart, false),
    )
    .unwrap();
    let (bytes, name, mime) = multipart(&p);
    assert_eq!(name, "wide.jpg");
    assert_eq!(mime, "image/jpeg");
    assert_eq!(image::guess_format(bytes).unwrap(), ImageFormat::Jpeg);
    let sent = image::load_from_memory(bytes).unwrap().to_rgb8();
    assert_eq!(sent.dimensions(), (640, 640));
    assert_eq!((p.width, p.height, p.bytes), (640, 640, bytes.len()));
    assert_eq!(p.original, Some((600, 200, "PNG")));
    // Centre and both edges are the source's centre colour: cropped, not squashed.
    for x in [5, 320, 634] {
        let px = sent.get_pixel(x, 320).0;
        assert!(close(px, GREEN), "pixel at x={x} is {px:?}, expected green");
    }
}

#[test]
fn tall_file_is_centre_cropped_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "tall.bmp",
        &encode(&three_rows(90, 270), ImageFormat::Bmp),
    );
    let p = prepare(&ImageSource::File(path), &opts(UploadShape::Base64, false)).unwrap();
    let ImageBody::Base64(b64) = &p.body else {
        panic!("expected base64 body, got {:?}", p.body);
    };
    let bytes = STANDARD.decode(b64).expect("bare base64, no data: prefix");
    let sent = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!(sent.dimensions(), (640, 640));
    for y in [5, 320, 634] {
        assert!(close(sent.get_pixel(320, y).0, GREEN), "row {y}");
    }
    assert_eq!(p.original, Some((90, 270, "BMP")));
}

#[test]
fn small_images_are_upscaled_to_the_requested_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "tiny.gif",
        &encode(&three_bands(30, 10), ImageFormat::Gif),
    );
    let mut o = opts(UploadShape::Multipart, false);
    o.size = 200;
    let p = prepare(&ImageSource::File(path), &o).unwrap();
    let sent = image::load_from_memory(multipart(&p).0).unwrap();
    assert_eq!((sent.width(), sent.height()), (200, 200));
    assert_eq!(p.original.map(|o| o.2), Some("GIF"));
}

#[test]
fn webp_files_decode() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "pic.webp",
        &encode(&three_bands(120, 60), ImageFormat::WebP),
    );
    let p = prepare(&ImageSource::File(path), &PrepareOptions::default()).unwrap();
    assert_eq!(p.original, Some((120, 60, "WebP")));
}

#[test]
fn keep_original_passes_bytes_through_in_both_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let original = encode(&three_bands(300, 100), ImageFormat::Png);
    let path = write(dir.path(), "Logo Tienda.png", &original);
    let source = ImageSource::File(path);

    let p = prepare(&source, &opts(UploadShape::Multipart, true)).unwrap();
    let (bytes, name, mime) = multipart(&p);
    assert_eq!(bytes, original.as_slice());
    assert_eq!(name, "Logo Tienda.png");
    assert_eq!(mime, "image/png");
    assert_eq!((p.width, p.height, p.bytes), (300, 100, original.len()));

    let p = prepare(&source, &opts(UploadShape::Base64, true)).unwrap();
    assert_eq!(p.body, ImageBody::Base64(STANDARD.encode(&original)));
}

#[test]
fn keep_original_still_validates() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "notes.png", b"just some notes\n");
    let err = prepare(
        &ImageSource::File(path),
        &opts(UploadShape::Multipart, true),
    )
    .unwrap_err();
    assert!(matches!(err, ImageError::NotAnImage { .. }), "{err:?}");
}

#[test]
fn https_url_is_sent_untouched() {
    let url = "https://cdn.example.com/a%20b/pic.jpg?v=2";
    let source = classify(url);
    let p = prepare(&source, &PrepareOptions::default()).unwrap();
    assert_eq!(p.body, ImageBody::Url(url.to_string()));
    assert!(p.preview.is_none() && p.original.is_none());
}

#[test]
fn http_url_is_refused_saying_https() {
    let err = prepare_err(&classify("http://example.com/pic.jpg"));
    assert!(matches!(err, ImageError::InsecureUrl { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("http://example.com/pic.jpg"), "{msg}");
    assert!(msg.contains("https"), "{msg}");
}

#[test]
fn url_without_host_is_refused() {
    let err = prepare_err(&ImageSource::Url("https://".into()));
    assert!(matches!(err, ImageError::BadUrl { .. }), "{err:?}");
    let err = prepare_err(&ImageSource::Url("ftp://example.com/a.png".into()));
    assert!(
        err.to_string().contains("ftp:// links are not supported"),
        "{err}"
    );
}

#[test]
fn inline_data_url_and_bare_base64_are_sent_as_given() {
    let png = encode(&three_bands(90, 30), ImageFormat::Png);
    let bare = STANDARD.encode(&png);
    // Pasted text arrives wrapped over lines.
    let wrapped: String = bare
        .as_bytes()
        .chunks(60)
        .map(|c| format!("{}\n", std::str::from_utf8(c).unwrap()))
        .collect();
    let source = classify(&wrapped);
    assert!(matches!(source, ImageSource::Inline(_)), "{source:?}");
    let p = prepare(&source, &opts(UploadShape::Multipart, false)).unwrap();
    assert_eq!(p.body, ImageBody::Base64(bare.clone()));
    assert_eq!((p.width, p.height, p.bytes), (90, 30, png.len()));
    assert_eq!(p.original, Some((90, 30, "PNG")));

    let data_url = format!("data:image/png;base64,{bare}");
    let p = prepare(
        &classify(&data_url),
        &with_preview(PrepareOptions::default()),
    )
    .unwrap();
    assert_eq!(p.body, ImageBody::Base64(data_url));
    let preview = p.preview.unwrap();
    assert!(close(preview.get_pixel(0, 0).0, RED));
}

#[test]
fn upper_case_data_url_and_url_safe_alphabet_are_read() {
    // Enough pixels that the encoding holds both '+' and '/' (so the
    // URL-safe spelling differs from the standard one).
    let png = encode(&three_bands(90, 30), ImageFormat::Png);
    let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&png);
    assert!(url_safe.contains(['-', '_']), "test needs a URL-safe char");
    for pasted in [
        format!("DATA:image/png;BASE64,{url_safe}"),
        url_safe.clone(),
    ] {
        let source = classify(&pasted);
        assert!(matches!(source, ImageSource::Inline(_)), "{source:?}");
        let p = prepare(&source, &PrepareOptions::default()).unwrap();
        assert_eq!((p.width, p.height, p.bytes), (90, 30, png.len()));
    }
}

#[test]
fn pasted_gif_with_a_slash_is_inline_and_described_short() {
    let gif = encode(&three_bands(30, 30), ImageFormat::Gif);
    let b64 = STANDARD.encode(&gif);
    assert!(b64.starts_with("R0lGOD") && b64.contains('/'), "{b64}");
    let source = classify(&b64);
    assert!(matches!(source, ImageSource::Inline(_)), "{source:?}");
    assert_eq!(source.describe(), format!("base64 ({} chars)", b64.len()));
    assert!(prepare(&source, &PrepareOptions::default()).is_ok());
}

#[test]
fn preview_is_only_built_when_asked() {
    let png = encode(&three_bands(90, 30), ImageFormat::Png);
    let source = ImageSource::Inline(STANDARD.encode(&png));
    let p = prepare(&source, &PrepareOptions::default()).unwrap();
    assert!(p.preview.is_none());
    let p = prepare(&source, &with_preview(PrepareOptions::default())).unwrap();
    assert!(p.preview.is_some());
}

#[test]
fn inline_base64_of_text_is_not_an_image() {
    let b64 = STANDARD.encode("this is plainly some text and not any picture at all, honest");
    let err = prepare_err(&ImageSource::Inline(b64));
    assert!(matches!(err, ImageError::NotAnImage { .. }), "{err:?}");
    assert!(err.to_string().contains("looks like text"), "{err}");
}

#[test]
fn bad_base64_is_refused() {
    let err = prepare_err(&ImageSource::Inline("iVBORw0K*GgoAAAA$$".into()));
    assert!(matches!(err, ImageError::BadBase64 { .. }), "{err:?}");
    assert!(err.to_string().contains("not valid base64"), "{err}");
    let err = prepare_err(&ImageSource::Inline("data:image/png,abc".into()));
    assert!(err.to_string().contains(";base64"), "{err}");
}

#[test]
fn missing_file_names_the_path() {
    let err = prepare_err(&ImageSource::File("/nonexistent/dir/avatar.png".into()));
    assert!(matches!(err, ImageError::Missing { .. }));
    assert!(
        err.to_string()
            .starts_with("/nonexistent/dir/avatar.png: no such file (expected a picture file"),
        "{err}"
    );
}

// An unreadable file (mode 000) cannot be tested here: CI runs as root, who
// reads it anyway. The permission-denied mapping has a unit test in
// src/profile_image.rs instead of a test that could not fail.

#[test]
fn directory_is_not_a_picture() {
    let dir = tempfile::tempdir().unwrap();
    let err = prepare_err(&ImageSource::File(dir.path().to_path_buf()));
    assert!(matches!(err, ImageError::NotAFile { .. }), "{err:?}");
    assert!(err.to_string().contains("is a directory"));
}

#[test]
fn empty_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "empty.jpg", b"");
    let err = prepare_err(&ImageSource::File(path));
    assert!(matches!(err, ImageError::Empty { .. }), "{err:?}");
    assert!(err.to_string().contains("0 bytes"));
}

#[test]
fn file_over_20_mib_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.png");
    // Sparse: costs no disk, but its size on disk is 21 MiB.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(21 * 1024 * 1024)
        .unwrap();
    let err = prepare_err(&ImageSource::File(path));
    assert!(matches!(err, ImageError::TooLarge { .. }), "{err:?}");
    assert!(err.to_string().contains("limit is 20 MiB"), "{err}");
}

#[test]
fn png_named_file_holding_text_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "avatar.png",
        b"<html><body>502 Bad Gateway</body></html>\n",
    );
    let err = prepare_err(&ImageSource::File(path));
    assert_eq!(
        err,
        ImageError::NotAnImage {
            what: dir.path().join("avatar.png").display().to_string(),
            claimed: Some("PNG"),
            looks_like_text: true,
        }
    );
    let msg = err.to_string();
    assert!(
        msg.contains("not an image") && msg.contains("the name says PNG"),
        "{msg}"
    );
}

#[test]
fn unsupported_format_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "scan.tif", b"II*\0\x08\0\0\0rest-of-a-tiff");
    let err = prepare_err(&ImageSource::File(path));
    assert!(
        matches!(
            err,
            ImageError::UnsupportedFormat {
                detected: "TIFF",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("TIFF pictures are not supported"));
}

#[test]
fn truncated_png_is_undecodable_and_names_png() {
    let dir = tempfile::tempdir().unwrap();
    let png = encode(&three_bands(64, 64), ImageFormat::Png);
    let path = write(dir.path(), "cut.png", &png[..png.len() / 2]);
    let err = prepare_err(&ImageSource::File(path));
    assert!(
        matches!(err, ImageError::Undecodable { format: "PNG", .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("looks like PNG but cannot be decoded")
    );
}

#[test]
fn zero_size_image_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "zero.bmp", &bmp_header(0, 10));
    let err = prepare_err(&ImageSource::File(path));
    assert!(
        matches!(
            err,
            ImageError::ZeroSize {
                width: 0,
                height: 10,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("0×10, it has no pixels"), "{err}");

    // A GIF whose logical screen is 5×0.
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&[5, 0, 0, 0, 0, 0, 0, 0x3b]);
    let path = write(dir.path(), "zero.gif", &gif);
    let err = prepare_err(&ImageSource::File(path));
    assert!(
        matches!(err, ImageError::ZeroSize { height: 0, .. }),
        "{err:?}"
    );
}

#[test]
fn decompression_bombs_are_refused_without_allocating() {
    let dir = tempfile::tempdir().unwrap();
    // Over the dimension limit.
    let path = write(dir.path(), "bomb.bmp", &bmp_header(30_000, 30_000));
    let err = prepare_err(&ImageSource::File(path));
    assert!(matches!(err, ImageError::TooManyPixels { .. }), "{err:?}");
    assert!(err.to_string().contains("30000×30000"), "{err}");
    // Within the dimension limit, over the allocation limit (~1 GiB of RGB).
    let path = write(dir.path(), "bomb2.bmp", &bmp_header(19_000, 19_000));
    let err = prepare_err(&ImageSource::File(path));
    assert!(matches!(err, ImageError::TooManyPixels { .. }), "{err:?}");
}

#[test]
fn preview_is_small_and_shows_what_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "wide.png",
        &encode(&three_bands(600, 200), ImageFormat::Png),
    );
    let source = ImageSource::File(path);

    let p = prepare(&source, &with_preview(PrepareOptions::default())).unwrap();
    let preview = p.preview.unwrap();
    assert_eq!(preview.dimensions(), (PREVIEW_MAX, PREVIEW_MAX));
    // Square crop: the preview's left edge is the centre colour.
    assert!(close(preview.get_pixel(1, 32).0, GREEN));
    let text = preview_text(&preview);
    assert_eq!(text.lines.len(), PREVIEW_MAX as usize / 2);
    assert!(
        text.lines
            .iter()
            .all(|l| l.spans.len() == PREVIEW_MAX as usize)
    );

    // Kept original: the preview keeps the aspect and shows all three bands.
    let p = prepare(&source, &with_preview(opts(UploadShape::Multipart, true))).unwrap();
    let preview = p.preview.unwrap();
    assert_eq!(preview.width(), PREVIEW_MAX);
    assert!(preview.height() < PREVIEW_MAX);
    assert!(close(preview.get_pixel(1, 5).0, RED));
}

#[test]
fn demo_avatar_asset_prepares() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo-avatar.png");
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size < 50 * 1024, "asset should stay small, is {size} bytes");
    let p = prepare(&ImageSource::File(path), &PrepareOptions::default()).unwrap();
    assert_eq!((p.width, p.height), (640, 640));
    assert_eq!(p.original.map(|o| o.2), Some("PNG"));
}

/// assets/demo-avatar.png is what this generator draws (so the asset can be
/// remade, not only kept). `WADASH_REGENERATE=1 cargo test --test
/// profile_image demo_avatar_is_its_generators_output` writes it anew.
#[test]
fn demo_avatar_is_its_generators_output() {
    let (w, h) = (256u32, 192u32);
    let img = RgbImage::from_fn(w, h, |x, y| {
        let (cx, cy) = (x as f32 - w as f32 / 2.0, y as f32 - h as f32 / 2.0);
        let r = (cx * cx + cy * cy).sqrt();
        if r < 60.0 {
            Rgb([37, 211, 102]) // a green disc on a dark background
        } else if r < 66.0 {
            Rgb([255, 255, 255])
        } else {
            Rgb([18, 140 - (y / 4) as u8, 126])
        }
    });
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo-avatar.png");
    if std::env::var_os("WADASH_REGENERATE").is_some() {
        std::fs::write(&path, encode(&img, ImageFormat::Png)).unwrap();
    }
    let committed = image::open(&path).unwrap().to_rgb8();
    assert_eq!(committed.dimensions(), img.dimensions());
    assert!(
        committed.pixels().eq(img.pixels()),
        "assets/demo-avatar.png differs from its generator"
    );
}
