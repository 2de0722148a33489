//! What an alert says to people, in the user's language (`ui.lang`, else
//! the locale, as every face chooses): "caída: Tienda Lima (inactiva)",
//! "sigue caída desde hace 2 h 10 min". The engine's own
//! [`AlertEvent::summary`] stays English for log lines; machine fields
//! (JSON keys, Alertmanager labels, event names) are never translated.

use std::time::Duration;

use crate::engine::alerts::event::{AlertEvent, AlertKind};
use crate::engine::alerts::rules::GROUP_NAMES;
use crate::i18n::{Strings, fill, strings};

pub fn kind(s: &'static Strings, kind: AlertKind) -> &'static str {
    let t = &s.mail;
    match kind {
        AlertKind::Down => t.kind_down,
        AlertKind::Up => t.kind_up,
        AlertKind::Flapping => t.kind_flapping,
        AlertKind::Reminder => t.kind_reminder,
        AlertKind::Error => t.kind_error,
        AlertKind::Escalate => t.kind_escalate,
        AlertKind::Group => t.kind_group,
    }
}

/// "down: Tienda Lima (inactive)" in the current language.
pub fn summary(event: &AlertEvent) -> String {
    summary_in(strings(), event)
}

/// [`summary`] in the language of `s`.
pub fn summary_in(s: &'static Strings, event: &AlertEvent) -> String {
    let t = &s.mail;
    let kind = |k: AlertKind| kind(s, k);
    let status = |word: &str| s.status_word(word).to_string();
    let label = event.label.as_str();
    let line = |kind_word: &str, rest: &str| format!("{kind_word}: {label}{rest}");
    match event.kind {
        AlertKind::Group => group(s, event),
        AlertKind::Up => match event.down_for {
            Some(d) => {
                let lasted = humantime::format_duration(Duration::from_secs(d.as_secs()));
                fill(
                    t.up_after,
                    &[
                        ("kind", kind(AlertKind::Up)),
                        ("label", label),
                        ("for", &lasted.to_string()),
                    ],
                )
            }
            None => line(kind(AlertKind::Up), ""),
        },
        AlertKind::Reminder | AlertKind::Escalate => match event.down_for {
            Some(d) => line(
                kind(event.kind),
                &format!(" {} ({})", still_down_in(s, d), status(&event.status)),
            ),
            None => line(kind(event.kind), &format!(" ({})", status(&event.status))),
        },
        other => line(kind(other), &format!(" ({})", status(&event.status))),
    }
}

/// "still down for 2 h 10 min".
fn still_down_in(strings: &'static Strings, d: Duration) -> String {
    let s = d.as_secs();
    let (days, h, m) = (s / 86_400, s / 3600 % 24, s / 60 % 60);
    let text = match (days, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    };
    fill(strings.mail.still_down, &[("for", &text)])
}

/// "group: 7 instances down: A, B, C, D, E and 2 more".
fn group(s: &'static Strings, event: &AlertEvent) -> String {
    let n = event.members.len();
    let mut names: Vec<String> = event
        .members
        .iter()
        .take(GROUP_NAMES)
        .map(|m| m.label.clone())
        .collect();
    let more = n.saturating_sub(GROUP_NAMES);
    if more > 0 {
        names.push(fill(s.mail.and_more, &[("count", &more.to_string())]));
    }
    fill(
        s.mail.group_summary,
        &[
            ("group", kind(s, AlertKind::Group)),
            ("count", &n.to_string()),
            ("kind", kind(s, event.grouped.unwrap_or(AlertKind::Down))),
            ("names", &names.join(", ")),
        ],
    )
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::engine::alerts::event::Member;
    use crate::i18n::{EN, ES, PT};

    fn event(kind: AlertKind, down_for: Option<u64>) -> AlertEvent {
        AlertEvent {
            kind,
            id: "AB12".into(),
            label: "Tienda Lima".into(),
            account: "main".into(),
            tags: Vec::new(),
            status: "inactive".into(),
            detail: String::new(),
            since: SystemTime::UNIX_EPOCH,
            at: SystemTime::UNIX_EPOCH,
            down_for: down_for.map(Duration::from_secs),
            grouped: None,
            members: Vec::new(),
            to: None,
        }
    }

    /// English is word for word what the engine says (log lines, old tests).
    #[test]
    fn english_matches_the_engine_and_spanish_and_portuguese_follow_the_language() {
        let cases = [
            event(AlertKind::Down, None),
            event(AlertKind::Up, Some(130)),
            event(AlertKind::Reminder, Some(7800)),
            event(AlertKind::Escalate, None),
        ];
        let mut group = event(AlertKind::Group, None);
        group.grouped = Some(AlertKind::Down);
        group.members = (0..7)
            .map(|n| Member {
                id: format!("I{n}"),
                label: format!("Shop {n}"),
                account: "main".into(),
                tags: Vec::new(),
                status: "inactive".into(),
            })
            .collect();
        group.detail =
            "7 instances down: Shop 0, Shop 1, Shop 2, Shop 3, Shop 4, and 2 more".into();
        for e in &cases {
            assert_eq!(summary_in(&EN, e), e.summary());
        }
        assert_eq!(
            summary_in(&EN, &group),
            "group: 7 instances down: Shop 0, Shop 1, Shop 2, Shop 3, Shop 4, and 2 more"
        );
        let es: Vec<String> = cases.iter().map(|e| summary_in(&ES, e)).collect();
        let pt = summary_in(&PT, &cases[2]);
        let pt_group = summary_in(&PT, &group);
        assert_eq!(es[0], "caída: Tienda Lima (inactiva)");
        assert_eq!(es[1], "activa de nuevo: Tienda Lima (caída durante 2m 10s)");
        assert_eq!(
            es[2],
            "recordatorio: Tienda Lima sigue caída desde hace 2 h 10 min (inactiva)"
        );
        assert!(pt.contains("continua fora do ar há 2 h 10 min"), "{pt}");
        assert!(pt_group.ends_with("Shop 4, e mais 2"), "{pt_group}");
    }
}
