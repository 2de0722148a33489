//! Drawing: a pure function of the state. Each pane has its own module.

mod confirm;
mod details;
mod doctor;
mod form;
mod format;
mod header;
mod help;
pub mod history;
mod instances;
mod log;
pub mod qr_pane;
mod statusbar;
pub mod wrap;

pub use crate::theme::Theme;
pub use format::{ago, clip};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::modes::Mode;
use crate::app::state::App;
pub use crate::app::state::Regions;

/// Below this the dashboard cannot be drawn usefully and says so.
pub use crate::qr::placement::{MIN_HEIGHT, MIN_WIDTH};
/// From this width the details pane sits beside the table.
const SIDE_DETAILS_WIDTH: u16 = 120;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) -> Regions {
    draw_with_images(frame, app, theme, None)
}

/// [`draw`], with the terminal-image encoder the QR pane may draw with.
pub fn draw_with_images(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    images: Option<&mut crate::qr::image::QrImages>,
) -> Regions {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let s = app.strings();
        let text = format!(
            "{} {MIN_WIDTH}×{MIN_HEIGHT} ({}×{})",
            s.too_small, area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return Regions::default();
    }

    let [header_area, body, status_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(2),
    ])
    .areas(area);

    header::draw(frame, header_area, app, theme);
    let mut regions = Regions::default();

    match &app.mode {
        Mode::Log => log::draw(frame, body, app, theme),
        Mode::Doctor(scroll) => doctor::draw(frame, body, app, theme, *scroll),
        Mode::Qr(pane) => qr_pane::draw(frame, body, app, pane, theme, images),
        Mode::History => history::draw_pane(frame, body, app, theme),
        _ => {
            if app.monitor.rows.is_empty() {
                draw_first_run(frame, body, app, theme);
            } else {
                if app.screen.details {
                    let (table_area, details_area) = split_body(body, app.screen.wide);
                    regions.table_rows = instances::draw(frame, table_area, app, theme);
                    details::draw(frame, details_area, app, theme);
                } else {
                    regions.table_rows = instances::draw(frame, body, app, theme);
                }
            }
        }
    }
    statusbar::draw(frame, status_area, app, theme);

    match &app.mode {
        Mode::Help { scroll } => help::draw(frame, body, app, theme, *scroll),
        Mode::Confirm(confirm) => confirm::draw(frame, body, confirm, app, theme),
        Mode::Form(f) => form::draw(frame, body, f, app, theme),
        _ => {}
    }
    regions
}

/// Table and details: side by side on wide screens (from 100 columns in
/// the wide layout), stacked otherwise.
fn split_body(body: Rect, wide: bool) -> (Rect, Rect) {
    let side_from = if wide { 100 } else { SIDE_DETAILS_WIDTH };
    if body.width >= side_from {
        let [table, details] =
            Layout::horizontal([Constraint::Min(60), Constraint::Length(48)]).areas(body);
        (table, details)
    } else {
        let details_height = if body.height >= 30 { 12 } else { 8 };
        let [table, details] =
            Layout::vertical([Constraint::Min(4), Constraint::Length(details_height)]).areas(body);
        (table, details)
    }
}

fn draw_first_run(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let s = app.strings();
    let path = app
        .config_path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "—".into());
    let mut lines = vec![
        Line::styled(s.first_run_title, theme.title()),
        Line::raw(""),
    ];
    // Without an account, adding an instance cannot work yet: say how to add one.
    let body = if app.monitor.accounts.is_empty() {
        s.first_run_no_account
    } else {
        s.first_run_body
    };
    lines.extend(body.lines().map(|l| Line::raw(l.to_string())));
    lines.push(Line::raw(format!("  {path}")));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// A centred rectangle of at most `width`×`height` inside `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

#[cfg(test)]
mod tests;
