//! Fake WhatsApp pairing codes and the three ways the sandbox hands them out.
//!
//! A real linking QR holds `2@<ref>,<noise key>,<identity key>,<adv secret>`:
//! a server reference then three base64 32-byte keys, ~200–240 characters.
//! Ours has the same shape and size, so decoders and QR versions behave the
//! same as against the real service.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use rand::Rng;

use super::QrFormat;

/// The longest server reference, in bytes: with it a code is ~234 characters.
const LONGEST_REF: usize = 72;

/// A fresh pairing-like text.
pub fn pairing_text(rng: &mut impl Rng) -> String {
    pairing_text_of(rng, false)
}

/// A fresh pairing-like text, at its longest when `longest`.
pub fn pairing_text_of(rng: &mut impl Rng, longest: bool) -> String {
    let ref_len = if longest {
        LONGEST_REF
    } else {
        rng.random_range(50..=LONGEST_REF)
    };
    let reference: Vec<u8> = (0..ref_len).map(|_| rng.random()).collect();
    let mut text = format!("2@{}", B64.encode(reference));
    for _ in 0..3 {
        let key: [u8; 32] = rng.random();
        text.push(',');
        text.push_str(&B64.encode(key));
    }
    text
}

/// The pairing text as the QR PNG the dashboard itself exports.
fn qr_png(text: &str) -> Result<Vec<u8>, String> {
    let modules = crate::qr::encode(text).map_err(|e| format!("cannot encode a QR: {e}"))?;
    crate::qr::to_png(&modules, crate::qr::PNG_SCALE).map_err(|e| e.to_string())
}

/// The `QR` value of the answer, in the form the sandbox was started with.
pub fn qr_value(text: &str, format: QrFormat) -> Result<String, String> {
    Ok(match format {
        QrFormat::Dataurl => format!("data:image/png;base64,{}", B64.encode(qr_png(text)?)),
        QrFormat::Png => B64.encode(qr_png(text)?),
        QrFormat::Text => B64.encode(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::SmallRng;

    #[test]
    fn pairing_text_has_the_real_shape() {
        let mut rng = SmallRng::seed_from_u64(42);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let text = pairing_text(&mut rng);
            assert!((200..=240).contains(&text.len()), "{} chars", text.len());
            assert!(text.starts_with("2@"));
            let parts: Vec<&str> = text.split(',').collect();
            assert_eq!(parts.len(), 4, "{text}");
            assert!(B64.decode(&parts[0][2..]).is_ok());
            for key in &parts[1..] {
                assert_eq!(B64.decode(key).expect("base64 key").len(), 32);
            }
            seen.insert(text);
        }
        assert_eq!(seen.len(), 200, "every code is fresh");
    }

    #[test]
    fn png_reads_back_to_the_text() {
        let text = pairing_text(&mut SmallRng::seed_from_u64(9));
        let png = qr_png(&text).unwrap();
        let img = image::load_from_memory(&png).unwrap().to_luma8();
        assert_eq!(img.width() % crate::qr::PNG_SCALE, 0);
        // The quiet zone is white.
        assert_eq!(img.get_pixel(0, 0).0, [255]);
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
            img.width() as usize,
            img.height() as usize,
            |x, y| img.get_pixel(x as u32, y as u32).0[0],
        );
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, text);
    }

    #[test]
    fn three_forms() {
        let text = "2@abc,def";
        let dataurl = qr_value(text, QrFormat::Dataurl).unwrap();
        assert!(dataurl.starts_with("data:image/png;base64,iVBOR"));
        let png = qr_value(text, QrFormat::Png).unwrap();
        assert!(png.starts_with("iVBOR"), "bare base64 PNG");
        let raw = qr_value(text, QrFormat::Text).unwrap();
        assert_eq!(B64.decode(raw).unwrap(), text.as_bytes());
    }

    #[test]
    fn the_longest_code_is_as_long_as_any_random_one_and_a_version_10_qr() {
        let mut rng = SmallRng::seed_from_u64(4);
        let longest = pairing_text_of(&mut rng, true);
        let random_max = (0..200)
            .map(|_| pairing_text(&mut rng).len())
            .max()
            .unwrap();
        assert_eq!(longest.len(), random_max);
        assert_eq!(crate::qr::encode(&longest).unwrap().width(), 57);
    }
}
