//! What the filter line says under the query: its errors, or that it
//! matches nothing (a silent empty list reads as "nothing is wrong").

use super::state::App;

/// The note to show, if any, and whether it is an error.
pub fn filter_note(app: &App) -> Option<(String, bool)> {
    let s = app.strings();
    if !app.filter.is_valid() {
        let text: Vec<String> = app.filter.errors.iter().map(|e| e.describe(s)).collect();
        return Some((text.join("; "), true));
    }
    if app.filter.is_empty() || !app.view.is_empty() {
        return None;
    }
    let mut text = s.filter_matches_nothing.to_string();
    let unknown = app.filter.tags_not_in(|t| {
        app.monitor
            .rows
            .iter()
            .any(|r| r.tags.iter().any(|k| k.eq_ignore_ascii_case(t)))
    });
    if !unknown.is_empty() {
        text.push_str(&format!(
            " ({} {})",
            s.filter_no_such_tag,
            unknown.join(", ")
        ));
    }
    Some((text, false))
}
