//! Paste and mouse input, routed by mode.

use crate::app::modes::Mode;
use crate::app::modes::filter::set_filter;
use crate::app::modes::list::move_selection;
use crate::app::state::App;
use ratatui::crossterm::event::MouseButton;
use ratatui::crossterm::event::MouseEvent;
use ratatui::crossterm::event::MouseEventKind;

pub(super) fn on_paste(app: &mut App, text: &str) {
    match &mut app.mode {
        // A paste must not change what a flying request sent.
        Mode::Form(form) if !form.submitting => {
            form.paste(text);
            form.error = None;
        }
        Mode::Filter(input) => {
            for c in text.chars().filter(|c| !c.is_control()) {
                input.handle(tui_input::InputRequest::InsertChar(c));
            }
            let text = input.value().to_string();
            set_filter(app, text);
        }
        Mode::Command(input) => {
            for c in text.chars().filter(|c| !c.is_control()) {
                input.handle(tui_input::InputRequest::InsertChar(c));
            }
        }
        _ => {}
    }
    app.dirty = true;
}

pub(super) fn on_mouse(app: &mut App, mouse: MouseEvent) {
    if !matches!(app.mode, Mode::List | Mode::Filter(_)) {
        return;
    }
    app.settle();
    let area = app.regions.table_rows;
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            let inside = mouse.column >= area.x
                && mouse.column < area.x + area.width
                && mouse.row >= area.y
                && mouse.row < area.y + area.height;
            if inside {
                let pos = app.offset + (mouse.row - area.y) as usize;
                if pos < app.view.len() {
                    app.selected = pos;
                    app.follow_top = false;
                    app.dirty = true;
                }
            }
        }
        MouseEventKind::ScrollDown => {
            move_selection(app, 3);
            app.dirty = true;
        }
        MouseEventKind::ScrollUp => {
            move_selection(app, -3);
            app.dirty = true;
        }
        _ => {}
    }
    app.clamp_offset();
}
