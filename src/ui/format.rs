//! Small text helpers shared by the panes.

use std::time::{Duration, SystemTime};

use crate::domain::{Health, Seen};
use crate::i18n::Strings;

/// "4s", "12m", "3h", "2d": short enough for a table column.
pub fn ago(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86400),
    }
}

pub fn latency(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 10_000 {
        format!("{ms}ms")
    } else {
        format!("{:.0}s", d.as_secs_f64())
    }
}

/// Glyph and word: readable without colour.
pub fn health(h: Health, s: &Strings) -> (&'static str, &'static str) {
    match h {
        Health::Active => ("●", s.active),
        Health::Inactive => ("○", s.inactive),
        Health::Error => ("!", s.error),
        Health::Unknown => ("?", s.unknown),
        Health::NotChecked => ("·", s.never_checked),
    }
}

pub fn mark_glyph(m: Seen) -> char {
    match m {
        Seen::Active => '█',
        Seen::Inactive => '▁',
        Seen::Error => '×',
        Seen::Unknown => '?',
    }
}

/// "14:03:27" in UTC: the log and details want a time, not a date.
pub fn clock(at: SystemTime) -> String {
    let secs = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let day = secs % 86_400;
    format!("{:02}:{:02}:{:02}", day / 3600, day % 3600 / 60, day % 60)
}

/// Cut to `max` characters with an ellipsis.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

pub const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

/// The spinner frame for now: every spinner on screen turns in step.
pub fn spinner(app: &crate::app::App) -> &'static str {
    let elapsed = app.monitor.now.saturating_duration_since(app.clock_base());
    SPINNER[(elapsed.as_millis() / 125) as usize % SPINNER.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ago_units() {
        assert_eq!(ago(Duration::from_secs(4)), "4s");
        assert_eq!(ago(Duration::from_secs(125)), "2m");
        assert_eq!(ago(Duration::from_secs(7200)), "2h");
        assert_eq!(ago(Duration::from_secs(3 * 86400)), "3d");
    }

    #[test]
    fn clip_keeps_short_and_marks_cut() {
        assert_eq!(clip("abc", 5), "abc");
        assert_eq!(clip("abcdef", 4), "abc…");
    }

    #[test]
    fn clock_is_utc_hms() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(86_400 + 3600 * 14 + 63);
        assert_eq!(clock(t), "14:01:03");
    }
}
