//! The code as a terminal image (kitty graphics, sixel, iTerm2), through
//! ratatui-image's encoders.
//!
//! Pixel-exact: each module is a whole number of pixels, and the image is
//! exactly the pixel size of the cells it occupies (light padding around a
//! code that keeps its full 4-module quiet zone), so no protocol scales it
//! and no module is smeared across a cell boundary.

use image::{DynamicImage, Rgba, RgbaImage};
use ratatui::layout::{Rect, Size};
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;
use ratatui_image::{FontSize, Resize};

use super::encode::Modules;
use super::layout::QUIET;
use crate::term::{ImageProtocol, ImageSupport};

/// Fewer pixels per module than this and phones struggle: use glyphs.
pub const MIN_PX_PER_MODULE: u32 = 2;
/// More than this only makes a huge code on a big screen; leave room for text.
pub const MAX_PX_PER_MODULE: u32 = 12;

/// How an image of the code sits in cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageFit {
    pub cols: u16,
    pub rows: u16,
    /// Pixels per module.
    pub scale: u32,
}

/// The largest whole-pixel scale at which the code (quiet zone included)
/// fits `room` (cols, rows) of `cell_px` (w, h) cells; `None` below
/// [`MIN_PX_PER_MODULE`].
pub fn image_fit(module_width: usize, room: (u16, u16), cell_px: (u16, u16)) -> Option<ImageFit> {
    let (fw, fh) = (u32::from(cell_px.0.max(1)), u32::from(cell_px.1.max(1)));
    let side = (module_width + 2 * QUIET) as u32;
    let px = (u32::from(room.0) * fw).min(u32::from(room.1) * fh);
    let scale = (px / side).min(MAX_PX_PER_MODULE);
    if scale < MIN_PX_PER_MODULE {
        return None;
    }
    let cols = (side * scale).div_ceil(fw);
    let rows = (side * scale).div_ceil(fh);
    Some(ImageFit {
        cols: u16::try_from(cols).ok()?,
        rows: u16::try_from(rows).ok()?,
        scale,
    })
}

/// The pixels: `fit.cols × fit.rows` cells' worth, light everywhere but the
/// dark modules, the code centred on whole pixels. `invert` swaps colours.
pub fn code_pixels(
    modules: &Modules,
    fit: ImageFit,
    cell_px: (u16, u16),
    invert: bool,
) -> RgbaImage {
    let (w, h) = (
        u32::from(fit.cols) * u32::from(cell_px.0),
        u32::from(fit.rows) * u32::from(cell_px.1),
    );
    let side = (modules.width() + 2 * QUIET) as u32 * fit.scale;
    let (left, top) = ((w.saturating_sub(side)) / 2, (h.saturating_sub(side)) / 2);
    let (dark, light) = if invert {
        (Rgba([255, 255, 255, 255]), Rgba([0, 0, 0, 255]))
    } else {
        (Rgba([0, 0, 0, 255]), Rgba([255, 255, 255, 255]))
    };
    let quiet = QUIET as isize;
    RgbaImage::from_fn(w, h, |x, y| {
        if x < left || y < top {
            return light;
        }
        let mx = ((x - left) / fit.scale) as isize - quiet;
        let my = ((y - top) / fit.scale) as isize - quiet;
        if modules.is_dark(mx, my) { dark } else { light }
    })
}

/// ratatui-image's picker for what the probe found.
pub fn picker_for(support: &ImageSupport) -> Option<Picker> {
    let protocol = support.protocol?;
    let (w, h) = support.cell_px?;
    #[allow(deprecated)] // The probe already knows the font size; no second query.
    let mut picker = Picker::from_fontsize(FontSize::new(w, h));
    picker.set_protocol_type(match protocol {
        ImageProtocol::Kitty => ProtocolType::Kitty,
        ImageProtocol::Sixel => ProtocolType::Sixel,
        ImageProtocol::Iterm2 => ProtocolType::Iterm2,
    });
    Some(picker)
}

/// The encoded image for `fit`, ready for [`ratatui_image::Image`].
pub fn protocol(
    picker: &Picker,
    modules: &Modules,
    fit: ImageFit,
    invert: bool,
) -> Option<Protocol> {
    let cell = picker.font_size();
    let pixels = code_pixels(modules, fit, (cell.width, cell.height), invert);
    picker
        .new_protocol(
            DynamicImage::ImageRgba8(pixels),
            Size::new(fit.cols, fit.rows),
            Resize::Fit(None),
        )
        .ok()
}

/// The image, cached: encoding costs milliseconds (sixel) to a few hundred
/// kilobytes of base64 (kitty), so it is redone only when the code, its
/// cells or its colours change. The dashboard asks [`QrImages::end_frame`]
/// after each frame whether an image went away or moved, and then clears
/// the screen: sixel pixels are not cells, and ratatui's diff would leave
/// them behind (kitty's placeholders vanish with their cells anyway).
pub struct QrImages {
    picker: Picker,
    cached: Option<(Key, Protocol)>,
    shown: Option<Key>,
    drawn_this_frame: Option<Key>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    payload: String,
    area: Rect,
    invert: bool,
}

impl QrImages {
    pub fn new(support: &ImageSupport) -> Option<QrImages> {
        Some(QrImages {
            picker: picker_for(support)?,
            cached: None,
            shown: None,
            drawn_this_frame: None,
        })
    }

    pub fn cell_px(&self) -> (u16, u16) {
        let f = self.picker.font_size();
        (f.width, f.height)
    }

    /// Draw the code's image into `area` (which must be `fit`'s size).
    pub fn render(
        &mut self,
        buf: &mut ratatui::buffer::Buffer,
        area: Rect,
        payload: &str,
        modules: &Modules,
        fit: ImageFit,
        invert: bool,
    ) -> bool {
        let key = Key {
            payload: payload.to_string(),
            area,
            invert,
        };
        if self.cached.as_ref().map(|(k, _)| k) != Some(&key) {
            self.cached = protocol(&self.picker, modules, fit, invert).map(|p| (key.clone(), p));
        }
        let Some((_, proto)) = &self.cached else {
            return false;
        };
        ratatui::widgets::Widget::render(ratatui_image::Image::new(proto), area, buf);
        self.drawn_this_frame = Some(key);
        true
    }

    /// After a frame: true when an image shown before is gone or moved
    /// (pane closed, code rotated, terminal resized), so the caller clears
    /// the terminal and draws again.
    pub fn end_frame(&mut self) -> bool {
        let now = self.drawn_this_frame.take();
        let changed = self.shown.is_some() && self.shown != now;
        self.shown = now;
        changed
    }

    /// Forget what is on screen (after the caller cleared it).
    pub fn forget_shown(&mut self) {
        self.shown = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qr::encode::encode;

    #[test]
    fn fit_uses_whole_pixels_and_the_largest_scale() {
        // v9 (53 modules) + quiet zone = 61; 10×20 px cells.
        let fit = image_fit(53, (40, 21), (10, 20)).unwrap();
        // min(400, 420) / 61 = 6 px per module = 366 px = 37 cols × 19 rows.
        assert_eq!(
            fit,
            ImageFit {
                cols: 37,
                rows: 19,
                scale: 6
            }
        );
        // xterm's 6×13 font at 80×24 with the text beside (50×21 cells).
        let fit = image_fit(53, (50, 21), (6, 13)).unwrap();
        assert_eq!(
            fit,
            ImageFit {
                cols: 41,
                rows: 19,
                scale: 4
            }
        );
        assert_eq!(image_fit(53, (10, 5), (6, 13)), None);
        // Capped on big screens.
        assert_eq!(
            image_fit(53, (400, 200), (10, 20)).unwrap().scale,
            MAX_PX_PER_MODULE
        );
    }

    #[test]
    fn pixels_read_back_as_the_same_text() {
        let text = "2@abc,def,ghi==,jkl=";
        let modules = encode(text).unwrap();
        let fit = image_fit(modules.width(), (40, 20), (9, 18)).unwrap();
        let img = code_pixels(&modules, fit, (9, 18), false);
        assert_eq!(
            img.dimensions(),
            (u32::from(fit.cols) * 9, u32::from(fit.rows) * 18)
        );
        let gray = DynamicImage::ImageRgba8(img).into_luma8();
        let (w, h) = (gray.width() as usize, gray.height() as usize);
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
            gray.get_pixel(x as u32, y as u32).0[0]
        });
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        assert_eq!(grids[0].decode().unwrap().1, text);
    }
}
