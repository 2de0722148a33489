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

/// An encoded image: ratatui-image's protocol (sixel, iTerm2), or kitty's
/// direct placement, written by hand. ratatui-image places kitty images
/// with Unicode placeholders, which kitty reads only from 0.28 on (Debian
/// 12 has 0.26.5: the cells show as boxes); a direct placement works in
/// every kitty, and is deleted explicitly ([`KITTY_DELETE`]).
pub enum Encoded {
    Protocol(Protocol),
    Kitty { seq: String, cols: u16, rows: u16 },
}

/// Delete every image placement (and free the images): the kitty
/// protocol's `a=d,d=A`. Text written over a placement does not remove it.
pub const KITTY_DELETE: &str = "\x1b_Ga=d,d=A,q=2\x1b\\";

/// Kitty graphics, direct placement at the cursor: RGBA chunks of 4096
/// base64 bytes, `c`×`r` cells, `C=1` (the cursor stays: the dashboard
/// moves it) or `C=0` (it moves past the image, for printing).
pub fn kitty_direct(
    pixels: &RgbaImage,
    cols: u16,
    rows: u16,
    id: u32,
    keep_cursor: bool,
) -> String {
    use base64::Engine;
    let data = base64::engine::general_purpose::STANDARD.encode(pixels.as_raw());
    let chunks: Vec<&[u8]> = data.as_bytes().chunks(4096).collect();
    let mut out = String::with_capacity(data.len() + chunks.len() * 16 + 64);
    for (i, chunk) in chunks.iter().enumerate() {
        let more = u8::from(i + 1 < chunks.len());
        if i == 0 {
            out.push_str(&format!(
                "\x1b_Ga=T,q=2,f=32,s={},v={},i={id},p=1,c={cols},r={rows},C={},m={more};",
                pixels.width(),
                pixels.height(),
                u8::from(keep_cursor)
            ));
        } else {
            out.push_str(&format!("\x1b_Gm={more};"));
        }
        out.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        out.push_str("\x1b\\");
    }
    out
}

/// The image for `fit` as the dashboard draws it.
pub fn encoded(picker: &Picker, modules: &Modules, fit: ImageFit, invert: bool) -> Option<Encoded> {
    if picker.protocol_type() == ProtocolType::Kitty {
        let cell = picker.font_size();
        let pixels = code_pixels(modules, fit, (cell.width, cell.height), invert);
        return Some(Encoded::Kitty {
            seq: kitty_direct(&pixels, fit.cols, fit.rows, KITTY_IMAGE_ID, true),
            cols: fit.cols,
            rows: fit.rows,
        });
    }
    protocol(picker, modules, fit, invert).map(Encoded::Protocol)
}

/// The one image id wadash uses: a new code replaces the old image.
pub const KITTY_IMAGE_ID: u32 = 7_370_001;

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
    cached: Option<(Key, Encoded)>,
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
            self.cached = encoded(&self.picker, modules, fit, invert).map(|p| (key.clone(), p));
        }
        let Some((_, encoded)) = &self.cached else {
            return false;
        };
        match encoded {
            Encoded::Protocol(proto) => {
                ratatui::widgets::Widget::render(ratatui_image::Image::new(proto), area, buf);
            }
            Encoded::Kitty { seq, cols, rows } => {
                use ratatui::buffer::CellDiffOption;
                let place = Rect::new(area.x, area.y, *cols, *rows).intersection(buf.area);
                for y in place.top()..place.bottom() {
                    for x in place.left()..place.right() {
                        if let Some(cell) = buf.cell_mut((x, y)) {
                            if (x, y) == (place.x, place.y) {
                                cell.set_symbol(seq)
                                    .set_diff_option(CellDiffOption::ForcedWidth(
                                        std::num::NonZeroU16::MIN,
                                    ));
                            } else {
                                cell.set_symbol(" ").set_diff_option(CellDiffOption::Skip);
                            }
                        }
                    }
                }
            }
        }
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

    /// What to write before clearing the screen so no image outlives it:
    /// kitty's placements survive text drawn over them.
    pub fn clear_sequence(&self) -> &'static str {
        if self.picker.protocol_type() == ProtocolType::Kitty {
            KITTY_DELETE
        } else {
            ""
        }
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
