//! What a channel says: a title and a plain-text body (Apprise, email), and
//! the webhook bodies (`json`, `slack`, `discord`, `ntfy`), each with the
//! runbook line.

use serde_json::{Value, json};

use super::words;
use crate::alerts::deliver::{json_body, one_line, rfc3339, slack_body};
use crate::config::alerts::{WebhookConfig, WebhookFormat};
use crate::engine::alerts::event::{AlertEvent, AlertKind};

/// Discord refuses a message longer than this.
const DISCORD_MAX: usize = 2000;

/// What an event is, for a channel's severity (Apprise's `-n`, ntfy's tags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Failure,
    Warning,
    Success,
}

pub fn severity(event: &AlertEvent) -> Severity {
    match event.grouped.unwrap_or(event.kind) {
        AlertKind::Up => Severity::Success,
        AlertKind::Flapping => Severity::Warning,
        _ => Severity::Failure,
    }
}

/// "wadash down: Tienda Lima (inactive)", in the user's language.
pub fn title(event: &AlertEvent) -> String {
    one_line(&format!("wadash {}", words::summary(event)))
}

/// "what to do: …", in the user's language. Each line of the runbook is
/// cut on its own: a group's relink links come one per line.
fn what_to_do(runbook: &str) -> String {
    let t = &crate::i18n::strings().mail;
    let mut lines = runbook.lines().map(one_line);
    let mut out = format!(
        "{}: {}",
        t.body_what_to_do,
        lines.next().unwrap_or_default()
    );
    for line in lines {
        out.push('\n');
        out.push_str(&line);
    }
    out
}

/// The body for people: what happened, to which instance, since when, and
/// what to do. Server text is cut to one line without control characters.
pub fn plain(event: &AlertEvent, runbook: Option<&str>) -> String {
    let s = crate::i18n::strings();
    let t = &s.mail;
    let mut out = format!("{}\n", one_line(&words::summary(event)));
    if event.kind == AlertKind::Group {
        for m in &event.members {
            out.push_str(&format!(
                "- {} [{}] {}\n",
                one_line(&m.label),
                m.id,
                s.status_word(&m.status)
            ));
        }
    } else {
        out.push_str(&format!("id: {}\n", event.id));
        if !event.tags.is_empty() {
            out.push_str(&format!("{}: {}\n", t.body_tags, event.tags.join(", ")));
        }
    }
    if !event.account.is_empty() {
        out.push_str(&format!("{}: {}\n", t.body_account, event.account));
    }
    out.push_str(&format!("{}: {}\n", t.body_since, rfc3339(event.since)));
    if !event.detail.is_empty() && event.kind != AlertKind::Group {
        out.push_str(&format!("{}: {}\n", t.body_detail, one_line(&event.detail)));
    }
    if let Some(r) = runbook {
        out.push_str(&format!("{}\n", what_to_do(r)));
    }
    out
}

/// Where a webhook posts and what: the ntfy format posts to the server's
/// root with the topic (the URL's last path segment) in the body.
pub fn request(
    hook: &WebhookConfig,
    event: &AlertEvent,
    runbook: Option<&str>,
) -> (url::Url, Value) {
    match hook.format {
        WebhookFormat::Json => {
            let mut body = json_body(event);
            body["runbook"] = json!(runbook);
            (hook.url.clone(), body)
        }
        WebhookFormat::Slack => {
            let mut body = slack_body(event);
            if let (Some(r), Some(text)) = (runbook, body["text"].as_str()) {
                body["text"] = json!(format!("{text}\n{}", what_to_do(r)));
            }
            (hook.url.clone(), body)
        }
        WebhookFormat::Discord => (hook.url.clone(), discord_body(event, runbook)),
        WebhookFormat::Ntfy => {
            let (root, topic) = ntfy_split(&hook.url);
            (root, ntfy_body(event, runbook, &topic))
        }
    }
}

/// Discord's execute-webhook body. Mentions are off: a label or a server's
/// text saying "@everyone" must not ping a whole server.
pub fn discord_body(event: &AlertEvent, runbook: Option<&str>) -> Value {
    let text = one_line(slack_body(event)["text"].as_str().unwrap_or_default());
    let mut content = match runbook {
        Some(r) => format!("{text}\n{}", what_to_do(r)),
        None => text,
    };
    if content.chars().count() > DISCORD_MAX {
        content = content.chars().take(DISCORD_MAX - 1).collect();
        content.push('…');
    }
    json!({
        "username": "wadash",
        "content": content,
        "allowed_mentions": { "parse": [] },
    })
}

/// ntfy's JSON publish body (POSTed to the server root).
pub fn ntfy_body(event: &AlertEvent, runbook: Option<&str>, topic: &str) -> Value {
    let (tag, priority) = match severity(event) {
        Severity::Failure => ("rotating_light", 4),
        Severity::Warning => ("warning", 3),
        Severity::Success => ("white_check_mark", 3),
    };
    let mut message = one_line(&words::summary(event));
    if event.kind != AlertKind::Group && !event.detail.is_empty() {
        message.push_str(&format!("\n{}", one_line(&event.detail)));
    }
    if let Some(r) = runbook {
        message.push_str(&format!("\n{}", what_to_do(r)));
    }
    json!({
        "topic": topic,
        "title": format!("wadash: {}", words::kind(crate::i18n::strings(), event.kind)),
        "message": message,
        "tags": [tag, "wadash"],
        "priority": priority,
    })
}

/// `https://ntfy.sh/alerts` → (`https://ntfy.sh/`, `alerts`); a server
/// under a path keeps its path.
pub fn ntfy_split(url: &url::Url) -> (url::Url, String) {
    let mut root = url.clone();
    let path = url.path().trim_end_matches('/').to_string();
    let (dir, topic) = match path.rsplit_once('/') {
        Some((dir, topic)) => (dir.to_string(), topic.to_string()),
        None => (String::new(), path),
    };
    root.set_path(&format!("{dir}/"));
    root.set_query(None);
    (root, topic)
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;

    fn event(kind: AlertKind) -> AlertEvent {
        AlertEvent {
            kind,
            id: "AB12".into(),
            label: "Tienda @everyone".into(),
            account: "main".into(),
            tags: vec!["lima".into()],
            status: "inactive".into(),
            detail: "Instancia\u{1b}[2J inactiva".into(),
            since: SystemTime::UNIX_EPOCH,
            at: SystemTime::UNIX_EPOCH,
            down_for: None,
            grouped: None,
            members: Vec::new(),
            to: None,
        }
    }

    #[test]
    fn discord_says_what_to_do_and_pings_nobody() {
        let body = discord_body(
            &event(AlertKind::Down),
            Some("relink: wadash qr AB12 --wait"),
        );
        let content = body["content"].as_str().unwrap();
        assert!(
            content.contains("down: Tienda @everyone (inactive)"),
            "{content}"
        );
        assert!(content.ends_with("what to do: relink: wadash qr AB12 --wait"));
        assert!(!content.contains('\u{1b}'));
        assert_eq!(body["allowed_mentions"]["parse"], json!([]));
        let mut long = event(AlertKind::Down);
        long.detail = "x".repeat(5000);
        let c = discord_body(&long, None)["content"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(c.chars().count() <= DISCORD_MAX);
    }

    #[test]
    fn ntfy_posts_the_topic_to_the_root() {
        let (root, topic) = ntfy_split(&url::Url::parse("https://ntfy.sh/wadash-lima").unwrap());
        assert_eq!(
            (root.as_str(), topic.as_str()),
            ("https://ntfy.sh/", "wadash-lima")
        );
        let (root, topic) =
            ntfy_split(&url::Url::parse("http://127.0.0.1:8080/ntfy/alerts/").unwrap());
        assert_eq!(
            (root.as_str(), topic.as_str()),
            ("http://127.0.0.1:8080/ntfy/", "alerts")
        );
        let body = ntfy_body(&event(AlertKind::Down), Some("relink"), "alerts");
        assert_eq!(body["topic"], "alerts");
        assert_eq!(body["priority"], 4);
        assert_eq!(body["title"], "wadash: down");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .ends_with("what to do: relink")
        );
        let up = ntfy_body(&event(AlertKind::Up), None, "alerts");
        assert_eq!(up["tags"][0], "white_check_mark");
    }

    #[test]
    fn the_plain_body_carries_the_runbook_and_no_control_characters() {
        let text = plain(
            &event(AlertKind::Down),
            Some("relink: wadash qr AB12 --wait"),
        );
        assert!(text.contains("id: AB12\n"), "{text}");
        assert!(text.contains("what to do: relink: wadash qr AB12 --wait\n"));
        assert!(!text.contains('\u{1b}'));
        assert_eq!(
            title(&event(AlertKind::Down)),
            "wadash down: Tienda @everyone (inactive)"
        );
    }

    #[test]
    fn a_groups_relink_links_each_keep_their_own_line_in_the_body() {
        use crate::alerts::links::{Link, ShareLinks};
        use crate::engine::alerts::event::Member;
        let mut group = event(AlertKind::Group);
        group.grouped = Some(AlertKind::Down);
        let ids: Vec<String> = (0..20).map(|n| format!("ID{n:02}")).collect();
        group.members = ids
            .iter()
            .map(|id| Member {
                id: id.clone(),
                label: format!("Tienda {id}"),
                account: "a".into(),
                tags: vec![],
                status: "inactive".into(),
            })
            .collect();
        let links = ShareLinks {
            links: ids
                .iter()
                .map(|id| Link {
                    id: id.clone(),
                    label: format!("Tienda {id}"),
                    url: format!("https://relink.example/wadash/s/{id}-{}/", "t".repeat(43)),
                })
                .collect(),
            missing: None,
        };
        let runbook = links.with_runbook(Some("relink".into()), &group).unwrap();
        let text = plain(&group, Some(&runbook));
        for link in &links.links {
            assert!(
                text.contains(&link.url),
                "{} missing from\n{text}",
                link.url
            );
        }
        assert!(!text.contains('…'), "{text}");
    }
}
