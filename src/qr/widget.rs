//! The code as a ratatui widget: centred, explicit colours, never clipped.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::widgets::Widget;

use super::draw::Drawing;

/// Draws a `Drawing` centred in its area.
///
/// With colour (the default, and what the dashboard uses even under
/// NO_COLOR), glyph cells get explicit colours, bright white on black
/// (swapped when the drawing is inverted), so the code keeps its polarity
/// whatever the terminal theme. With `color(false)` the cells keep the
/// terminal's colours and the glyphs alone carry the code.
///
/// The area must hold the whole drawing (callers size it with `choose`): a
/// clipped code does not scan, so a too-small area draws nothing.
pub struct QrWidget<'a> {
    drawing: &'a Drawing,
    color: bool,
}

impl<'a> QrWidget<'a> {
    pub fn new(drawing: &'a Drawing) -> Self {
        QrWidget {
            drawing,
            color: true,
        }
    }

    pub fn color(mut self, color: bool) -> Self {
        self.color = color;
        self
    }

    fn style(&self) -> Style {
        match (self.color, self.drawing.invert) {
            (false, _) => Style::default(),
            (true, false) => Style::default().fg(Color::White).bg(Color::Black),
            (true, true) => Style::default().fg(Color::Black).bg(Color::White),
        }
    }
}

impl Widget for QrWidget<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        let (width, height) = (self.drawing.width, self.drawing.height);
        let fits = width <= area.width && height <= area.height;
        debug_assert!(fits, "QrWidget: {width}×{height} code in a {area:?} area");
        if !fits {
            return;
        }
        let left = area.x + (area.width - width) / 2;
        let top = area.y + (area.height - height) / 2;
        let style = self.style();
        for (dy, line) in (0..height).zip(&self.drawing.lines) {
            for (dx, glyph) in (0..width).zip(line.chars()) {
                if let Some(cell) = buf.cell_mut((left + dx, top + dy)) {
                    cell.set_char(glyph).set_style(style);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qr::{DrawMode, draw, encode};

    fn buffer_text(buf: &Buffer) -> String {
        buf.content().iter().map(|c| c.symbol()).collect()
    }

    #[test]
    fn centred_with_colours() {
        let drawing = draw(&encode("hi").unwrap(), DrawMode::Half, 4, false);
        let area = Rect::new(0, 0, 60, 30);
        let mut buf = Buffer::empty(area);
        QrWidget::new(&drawing).render(area, &mut buf);
        let left = (60 - drawing.width) / 2;
        let top = (30 - drawing.height) / 2;
        let corner = &buf[(left, top)];
        assert_eq!(corner.symbol(), "█");
        assert_eq!((corner.fg, corner.bg), (Color::White, Color::Black));
        assert_eq!(buf[(left - 1, top)].symbol(), " ");
        assert_eq!(buf[(left - 1, top)].fg, Color::Reset);
    }

    #[test]
    fn no_colour_leaves_terminal_colours() {
        let drawing = draw(&encode("hi").unwrap(), DrawMode::Compact, 4, true);
        let area = Rect::new(0, 0, 40, 20);
        let mut buf = Buffer::empty(area);
        QrWidget::new(&drawing).color(false).render(area, &mut buf);
        assert!(
            buf.content()
                .iter()
                .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
        );
        assert!(buffer_text(&buf).contains('█'));
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "QrWidget")]
    fn too_small_an_area_is_a_callers_bug() {
        let drawing = draw(&encode("hi").unwrap(), DrawMode::Half, 4, false);
        let area = Rect::new(0, 0, 20, 10);
        QrWidget::new(&drawing).render(area, &mut Buffer::empty(area));
    }
}
