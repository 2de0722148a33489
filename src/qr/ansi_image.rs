//! A terminal image (ratatui-image's encoding) as bytes to print, for
//! `wadash qr` outside the full-screen dashboard: the protocol renders
//! into a scratch buffer exactly as in the pane, and the buffer is
//! written out row by row (kitty's placeholders need their colour, which
//! carries the image id; sixel and iTerm2 are one sequence in the first
//! cell, the rest of the area marked skip).

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::Color;

use super::encode::Modules;
use super::image::{ImageFit, protocol};

/// The printable image, and the rows it covers. Sixel and iTerm2 print as
/// one line (the terminal moves the cursor under the image itself).
pub fn image_text(
    picker: &ratatui_image::picker::Picker,
    modules: &Modules,
    fit: ImageFit,
    invert: bool,
) -> Option<(String, u16)> {
    if picker.protocol_type() == ratatui_image::picker::ProtocolType::Kitty {
        // Direct placement; the cursor moves past the image (C=0) and the
        // newline takes it to the row under it.
        let cell = picker.font_size();
        let pixels = super::image::code_pixels(modules, fit, (cell.width, cell.height), invert);
        let seq = super::image::kitty_direct(
            &pixels,
            fit.cols,
            fit.rows,
            super::image::KITTY_IMAGE_ID,
            false,
        );
        return Some((format!("{seq}\n"), fit.rows));
    }
    let proto = protocol(picker, modules, fit, invert)?;
    let area = Rect::new(0, 0, fit.cols, fit.rows);
    let mut buf = Buffer::empty(area);
    ratatui::widgets::Widget::render(ratatui_image::Image::new(&proto), area, &mut buf);
    Some((buffer_text(&buf), fit.rows))
}

/// Rows of `buf`, colours as SGR, skipped cells left out; each row ends
/// with a reset and a newline.
pub fn buffer_text(buf: &Buffer) -> String {
    let mut out = String::new();
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut row = String::new();
        let mut fg = Color::Reset;
        let mut any = false;
        for x in area.left()..area.right() {
            let Some(cell) = buf.cell((x, y)) else {
                continue;
            };
            if cell.diff_option == CellDiffOption::Skip {
                continue;
            }
            any = true;
            if cell.fg != fg {
                fg = cell.fg;
                row.push_str(&sgr_fg(fg));
            }
            row.push_str(cell.symbol());
        }
        if any {
            out.push_str(&row);
            out.push_str("\x1b[0m\n");
        }
    }
    out
}

fn sgr_fg(color: Color) -> String {
    match color {
        Color::Rgb(r, g, b) => format!("\x1b[38;2;{r};{g};{b}m"),
        Color::Indexed(n) => format!("\x1b[38;5;{n}m"),
        _ => "\x1b[39m".to_string(),
    }
}
