//! The list's view keys: copy (OSC 52), the attention toggle, the details
//! pane, wide/compact, saved views, and `c` on a filtered list.

use crate::app::commands::sort_key;
use crate::app::modes::FLASH;
use crate::app::modes::Mode;
use crate::app::modes::confirm::Confirm;
use crate::app::modes::confirm::Pending;
use crate::app::modes::filter::set_filter;
use crate::app::modes::qr::open_qr_pane;
use crate::app::screen::ATTENTION_FILTER;
use crate::app::state::App;
use crate::app::state::FlashKind;
use crate::domain::Health;
use crate::engine::effect::Effect;

/// `y` / `Y`: the selected row's id or label to the terminal's clipboard.
pub fn copy(app: &mut App, label: bool, effects: &mut Vec<Effect>) {
    let Some(row) = app.selected_row() else {
        return;
    };
    let text = if label {
        row.label.clone()
    } else {
        row.id.clone()
    };
    effects.push(Effect::Clipboard(text.clone()));
    let s = app.strings();
    app.flash(format!("{}: {text}", s.copied), FlashKind::Success, FLASH);
}

/// `!`: only the rows that need a look (inactive, error, unknown); pressed
/// again, the filter that was there before.
pub fn toggle_attention(app: &mut App) {
    let s = app.strings();
    if app.filter_text == ATTENTION_FILTER {
        let before = app.screen.before_attention.take().unwrap_or_default();
        set_filter(app, before);
        app.flash(s.attention_off, FlashKind::Info, FLASH);
    } else {
        app.screen.before_attention = Some(app.filter_text.clone());
        set_filter(app, ATTENTION_FILTER.to_string());
        app.flash(s.attention_on, FlashKind::Info, FLASH);
    }
}

pub fn toggle_details(app: &mut App) {
    app.screen.details = !app.screen.details;
}

pub fn toggle_wide(app: &mut App) {
    app.screen.wide = !app.screen.wide;
}

/// `:view NAME`: the saved filter and sort.
pub fn open_view(app: &mut App, name: &str) {
    let s = app.strings();
    let found = app
        .screen
        .views
        .iter()
        .find(|v| v.name.eq_ignore_ascii_case(name.trim()))
        .cloned();
    let Some(view) = found else {
        let names = app.screen.view_names();
        let text = if names.is_empty() {
            s.no_views.to_string()
        } else {
            format!("{}: {}", s.unknown_view, names.join(", "))
        };
        app.flash(text, FlashKind::Error, FLASH);
        return;
    };
    if let Some(sort) = &view.sort {
        let mut words = sort.split_whitespace();
        if let Some(key) = words.next().and_then(sort_key) {
            app.sort = key;
        }
        app.sort_reverse = words
            .next()
            .is_some_and(|w| matches!(w, "desc" | "reverse"));
    }
    set_filter(app, view.filter.clone());
    app.flash(format!(":view {}", view.name), FlashKind::Info, FLASH);
}

/// `c` with nothing marked: on a filtered list with several inactive rows
/// shown, offer to link them one after another; otherwise the selected row.
pub fn connect_unmarked(app: &mut App) {
    let inactive: Vec<String> = if app.filter_text.is_empty() {
        Vec::new()
    } else {
        app.view
            .iter()
            .map(|&i| &app.monitor.rows[i])
            .filter(|r| r.health() == Health::Inactive)
            .map(|r| r.id.clone())
            .collect()
    };
    if inactive.len() < 2 {
        open_qr_pane(app, false);
        return;
    }
    let s = app.strings();
    app.mode = Mode::Confirm(Confirm {
        title: s.queue_shown_title.to_string(),
        lines: vec![format!("{} {}", inactive.len(), s.queue_shown_body)],
        yes_focused: true,
        on_yes: Pending::ReconnectShown(inactive),
        typed: None,
    });
}
