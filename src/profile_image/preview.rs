//! The form's thumbnail: a small copy of the picture as sent, and its
//! half-block rendering for the terminal.

use image::imageops::FilterType;
use image::{DynamicImage, RgbImage};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span, Text};

use super::PREVIEW_MAX;
use super::encode::flatten_on_white;

/// A small RGB copy fitting in [`PREVIEW_MAX`]² (aspect kept, never upscaled
/// beyond the picture itself).
pub(super) fn make_preview(image: &DynamicImage) -> RgbImage {
    let (w, h) = (image.width(), image.height());
    let small = if w <= PREVIEW_MAX && h <= PREVIEW_MAX {
        image.clone()
    } else {
        image.resize(PREVIEW_MAX, PREVIEW_MAX, FilterType::Triangle)
    };
    flatten_on_white(&small)
}

/// Half-block lines for a terminal: each cell is `▀` with the upper pixel as
/// foreground and the lower one as background, so one text row shows two
/// pixel rows. An odd last row leaves the background unset.
pub fn preview_text(preview: &RgbImage) -> Text<'static> {
    let (w, h) = preview.dimensions();
    let rgb = |x: u32, y: u32| {
        let [r, g, b] = preview.get_pixel(x, y).0;
        Color::Rgb(r, g, b)
    };
    let lines: Vec<Line<'static>> = (0..h.div_ceil(2))
        .map(|row| {
            let top = row * 2;
            let spans: Vec<Span<'static>> = (0..w)
                .map(|x| {
                    let mut style = Style::default().fg(rgb(x, top));
                    if top + 1 < h {
                        style = style.bg(rgb(x, top + 1));
                    }
                    Span::styled("▀", style)
                })
                .collect();
            Line::from(spans)
        })
        .collect();
    Text::from(lines)
}
