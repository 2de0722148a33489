//! The relink links an alert carries (`watch --public-url`): for each
//! instance the alert is about, the one-time URL of a page with its live
//! QR, or why there is none. Delivery reads them in three places: the
//! hook's `WADASH_SHARE_URL`, the JSON webhook's `share_url`, and one
//! "scan to relink: URL" line after the runbook, which every text channel
//! (apprise, email, Slack, Discord, ntfy, Alertmanager's annotation) shows.
//!
//! Only token URLs live here: never a key, never the instance's account.

use crate::engine::alerts::event::{AlertEvent, AlertKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub id: String,
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShareLinks {
    pub links: Vec<Link>,
    /// Why some (or all) of the instances alerted about have no link.
    pub missing: Option<String>,
}

impl ShareLinks {
    pub fn is_empty(&self) -> bool {
        self.links.is_empty() && self.missing.is_none()
    }

    /// Whether an alert of this kind should carry links: it says an
    /// instance is (still) down, which scanning fixes.
    pub fn wanted(event: &AlertEvent) -> bool {
        let relinkable = |k: AlertKind| {
            matches!(
                k,
                AlertKind::Down | AlertKind::Reminder | AlertKind::Escalate
            )
        };
        match event.kind {
            AlertKind::Group => event.grouped.is_some_and(relinkable),
            kind => relinkable(kind),
        }
    }

    /// The links of the instances in `event` (a channel's narrowed group
    /// keeps only its own).
    fn of<'a>(&'a self, event: &'a AlertEvent) -> impl Iterator<Item = &'a Link> + 'a {
        let ids = event.ids();
        self.links
            .iter()
            .filter(move |l| ids.contains(&l.id.as_str()))
    }

    /// Every link of `event`'s instances, as (id, link): a group's JSON
    /// webhook gets them as `share_urls`.
    pub fn all(&self, event: &AlertEvent) -> Vec<(String, String)> {
        self.of(event)
            .map(|l| (l.id.clone(), l.url.clone()))
            .collect()
    }

    /// The one link of a single-instance alert (`WADASH_SHARE_URL`,
    /// `share_url`); None for a group or without a link.
    pub fn single(&self, event: &AlertEvent) -> Option<String> {
        if event.kind == AlertKind::Group {
            return None;
        }
        self.of(event).next().map(|l| l.url.clone())
    }

    /// "scan to relink: URL"; for a group one line per instance, "scan to
    /// relink: Label URL"; and why any instance has none. Lines, because
    /// text channels cut each line at 300 characters and a group's links
    /// on one line would lose all but the first few. None when there is
    /// nothing to say.
    pub fn line(&self, event: &AlertEvent) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let words = &crate::i18n::strings().mail;
        // Every link (at most `--share-max` exist): one left out of the
        // text would be a share opened for nobody.
        let links: Vec<&Link> = self.of(event).collect();
        let mut lines: Vec<String> = links
            .iter()
            .map(|l| match event.kind {
                AlertKind::Group => format!("{}: {} {}", words.relink_scan, l.label, l.url),
                _ => format!("{}: {}", words.relink_scan, l.url),
            })
            .collect();
        let wanted = event.ids().len();
        if links.len() < wanted {
            let why = self.missing.as_deref().unwrap_or("-");
            let without = (wanted - links.len()).to_string();
            lines.push(match wanted {
                1 => crate::i18n::fill(words.relink_none, &[("why", why)]),
                _ => {
                    crate::i18n::fill(words.relink_some_none, &[("count", &without), ("why", why)])
                }
            });
        }
        (!lines.is_empty()).then(|| lines.join("\n"))
    }

    /// The runbook with the link lines after it: on the runbook's own line
    /// for one instance, below it for a group.
    pub fn with_runbook(&self, runbook: Option<String>, event: &AlertEvent) -> Option<String> {
        match (runbook, self.line(event)) {
            (Some(r), Some(l)) if event.kind == AlertKind::Group => Some(format!("{r}\n{l}")),
            (Some(r), Some(l)) => Some(format!("{r} · {l}")),
            (r, l) => r.or(l),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::engine::alerts::event::Member;

    fn event(kind: AlertKind, id: &str) -> AlertEvent {
        AlertEvent {
            kind,
            id: id.into(),
            label: format!("Shop {id}"),
            account: "a".into(),
            tags: vec![],
            status: "inactive".into(),
            detail: String::new(),
            since: SystemTime::UNIX_EPOCH,
            at: SystemTime::UNIX_EPOCH,
            down_for: None,
            grouped: None,
            members: vec![],
            to: None,
        }
    }

    fn link(id: &str) -> Link {
        Link {
            id: id.into(),
            label: format!("Shop {id}"),
            url: format!("https://x.example/s/{id}tok/"),
        }
    }

    #[test]
    fn a_down_gets_its_link_and_an_up_none() {
        let links = ShareLinks {
            links: vec![link("A")],
            missing: None,
        };
        let down = event(AlertKind::Down, "A");
        assert!(ShareLinks::wanted(&down));
        assert!(!ShareLinks::wanted(&event(AlertKind::Up, "A")));
        assert!(!ShareLinks::wanted(&event(AlertKind::Error, "A")));
        assert_eq!(
            links.single(&down).as_deref(),
            Some("https://x.example/s/Atok/")
        );
        assert_eq!(
            links
                .with_runbook(Some("relink: wadash qr A --wait".into()), &down)
                .unwrap(),
            "relink: wadash qr A --wait · scan to relink: https://x.example/s/Atok/"
        );
        // Another instance's link never reaches this alert.
        assert_eq!(links.single(&event(AlertKind::Down, "B")), None);
    }

    #[test]
    fn a_group_names_each_link_and_says_why_the_rest_have_none() {
        let mut group = event(AlertKind::Group, "");
        group.grouped = Some(AlertKind::Down);
        group.members = ["A", "B", "C"]
            .iter()
            .map(|id| Member {
                id: id.to_string(),
                label: format!("Shop {id}"),
                account: "a".into(),
                tags: vec![],
                status: "inactive".into(),
            })
            .collect();
        assert!(ShareLinks::wanted(&group));
        let links = ShareLinks {
            links: vec![link("A"), link("B")],
            missing: Some("2 links open already".into()),
        };
        assert_eq!(links.single(&group), None);
        assert_eq!(links.all(&group).len(), 2);
        assert_eq!(
            links.line(&group).unwrap(),
            "scan to relink: Shop A https://x.example/s/Atok/\n\
             scan to relink: Shop B https://x.example/s/Btok/\n\
             1 without a relink link: 2 links open already"
        );
        let none = ShareLinks {
            links: vec![],
            missing: Some("2 links open already".into()),
        };
        assert_eq!(
            none.line(&event(AlertKind::Down, "C")).unwrap(),
            "no relink link: 2 links open already"
        );
    }
}
