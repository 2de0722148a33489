//! Which part of an event a channel takes, and what it tells people to do.
//!
//! A channel with a matcher (`match = "tag:lima"`) takes an event about a
//! matching instance; of a group it takes only the matching members, so one
//! shop's channel never hears about another shop's numbers.

use crate::config::channels::{ChannelMeta, DEFAULT_RUNBOOK};
use crate::domain::Health;
use crate::domain::matcher::{Matcher, Subject};
use crate::engine::alerts::event::{AlertEvent, AlertKind, Member};

/// Names a narrowed group's text lists before "and N more".
const NAMES: usize = 5;
/// Instances a group's runbook spells out.
const RUNBOOK_MEMBERS: usize = 10;

/// The event as this channel should see it, or None when it is not for it.
pub fn narrow(event: &AlertEvent, only: Option<&Matcher>) -> Option<AlertEvent> {
    let Some(only) = only else {
        return Some(event.clone());
    };
    if event.kind != AlertKind::Group {
        return matches(only, &event.id, &event.label, &event.tags, &event.status)
            .then(|| event.clone());
    }
    let members: Vec<Member> = event
        .members
        .iter()
        .filter(|m| matches(only, &m.id, &m.label, &m.tags, &m.status))
        .cloned()
        .collect();
    if members.is_empty() {
        return None;
    }
    if members.len() == event.members.len() {
        return Some(event.clone());
    }
    let kind = event.grouped.unwrap_or(AlertKind::Down);
    let n = members.len();
    let mut names: Vec<String> = members
        .iter()
        .take(NAMES)
        .map(|m| m.label.clone())
        .collect();
    if n > NAMES {
        names.push(format!("and {} more", n - NAMES));
    }
    let mut narrowed = event.clone();
    narrowed.label = format!("{n} instances");
    narrowed.detail = format!("{n} instances {}: {}", kind.name(), names.join(", "));
    narrowed.members = members;
    Some(narrowed)
}

fn matches(only: &Matcher, id: &str, label: &str, tags: &[String], status: &str) -> bool {
    let health = match status {
        "active" => Health::Active,
        "inactive" => Health::Inactive,
        "error" => Health::Error,
        _ => Health::Unknown,
    };
    only.matches(&Subject {
        id,
        label,
        tags,
        health,
    })
}

/// The runbook line for this event on this channel; None for an `up`
/// (nothing left to do). `{id}` and `{label}` are filled in.
pub fn runbook(default: &str, meta: &ChannelMeta, event: &AlertEvent) -> Option<String> {
    if event.kind == AlertKind::Up || event.grouped == Some(AlertKind::Up) {
        return None;
    }
    let template = match (&meta.runbook, default.trim()) {
        (Some(own), _) => own.as_str(),
        (None, "") => DEFAULT_RUNBOOK,
        (None, d) => d,
    };
    // The default says what to do in the user's language; a written one is kept.
    let template = if template == DEFAULT_RUNBOOK {
        crate::i18n::strings().mail.default_runbook
    } else {
        template
    };
    let fill = |id: &str, label: &str| {
        template
            .replace("{id}", id)
            .replace("{label}", label)
            .replace('\0', "")
    };
    let per_member = template.contains("{id}") || template.contains("{label}");
    if event.kind != AlertKind::Group || !per_member {
        return Some(fill(&event.id, &event.label));
    }
    // `wadash qr` takes one id: a group gets one line per instance.
    let mut lines: Vec<String> = event
        .members
        .iter()
        .take(RUNBOOK_MEMBERS)
        .map(|m| fill(&m.id, &m.label))
        .collect();
    if event.members.len() > RUNBOOK_MEMBERS {
        lines.push(format!(
            "… and {} more",
            event.members.len() - RUNBOOK_MEMBERS
        ));
    }
    Some(lines.join("; "))
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;

    fn event(id: &str, tags: &[&str]) -> AlertEvent {
        AlertEvent {
            kind: AlertKind::Down,
            id: id.into(),
            label: format!("Tienda {id}"),
            account: "main".into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            status: "inactive".into(),
            detail: "Instancia inactiva".into(),
            since: SystemTime::UNIX_EPOCH,
            at: SystemTime::UNIX_EPOCH,
            down_for: None,
            grouped: None,
            members: Vec::new(),
            to: None,
        }
    }

    fn group(events: &[AlertEvent]) -> AlertEvent {
        let mut g = event("", &[]);
        g.kind = AlertKind::Group;
        g.grouped = Some(AlertKind::Down);
        g.status = "down".into();
        g.label = format!("{} instances", events.len());
        g.members = events
            .iter()
            .map(|e| Member {
                id: e.id.clone(),
                label: e.label.clone(),
                account: e.account.clone(),
                tags: e.tags.clone(),
                status: e.status.clone(),
            })
            .collect();
        g
    }

    #[test]
    fn a_matcher_keeps_only_its_instances_even_out_of_a_group() {
        let lima = Matcher::only("tag:lima").unwrap();
        assert!(narrow(&event("A1", &["lima"]), Some(&lima)).is_some());
        assert!(narrow(&event("C1", &["cusco"]), Some(&lima)).is_none());
        let g = group(&[
            event("A1", &["lima"]),
            event("C1", &["cusco"]),
            event("A2", &["lima"]),
        ]);
        let n = narrow(&g, Some(&lima)).unwrap();
        assert_eq!(n.ids(), vec!["A1", "A2"]);
        assert_eq!(n.detail, "2 instances down: Tienda A1, Tienda A2");
        assert!(!n.detail.contains("C1"));
        let cusco_only = group(&[event("C1", &["cusco"]), event("C2", &["cusco"])]);
        assert!(narrow(&cusco_only, Some(&lima)).is_none());
        assert_eq!(narrow(&g, None).unwrap(), g, "no matcher: all of it");
    }

    #[test]
    fn the_runbook_names_the_instance_and_is_left_out_of_an_up() {
        let e = event("AB12", &[]);
        let none = ChannelMeta::default();
        assert_eq!(
            runbook(DEFAULT_RUNBOOK, &none, &e).unwrap(),
            "relink: wadash qr AB12 --wait"
        );
        let own = ChannelMeta {
            name: None,
            runbook: Some("call {label}".into()),
        };
        assert_eq!(runbook("x", &own, &e).unwrap(), "call Tienda AB12");
        assert_eq!(
            runbook("", &none, &e).unwrap(),
            "relink: wadash qr AB12 --wait"
        );
        let g = group(&[event("A1", &[]), event("A2", &[])]);
        assert_eq!(
            runbook(DEFAULT_RUNBOOK, &none, &g).unwrap(),
            "relink: wadash qr A1 --wait; relink: wadash qr A2 --wait"
        );
        let mut up = e.clone();
        up.kind = AlertKind::Up;
        assert_eq!(runbook(DEFAULT_RUNBOOK, &none, &up), None);
    }
}
