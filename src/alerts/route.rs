//! Which named channel takes which event. An escalation (`to = Some(NAME)`)
//! goes only to the channels called NAME; a channel named by an
//! `[[alerts.escalate]]` step is kept for escalations, so on-call is paged
//! when a down is left alone, not at every down. Every kind of channel
//! (hook, webhook, and those that carry an optional `name`) asks here.

use crate::engine::alerts::event::AlertEvent;

pub fn takes(channel: Option<&str>, event: &AlertEvent, escalation_only: &[String]) -> bool {
    match (&event.to, channel) {
        (Some(to), Some(name)) => to == name,
        (Some(_), None) => false,
        (None, Some(name)) => !escalation_only.iter().any(|n| n == name),
        (None, None) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::takes;
    use crate::engine::alerts::event::{AlertEvent, AlertKind};

    fn event(to: Option<&str>) -> AlertEvent {
        AlertEvent {
            kind: if to.is_some() {
                AlertKind::Escalate
            } else {
                AlertKind::Down
            },
            id: "x".into(),
            label: "X".into(),
            account: String::new(),
            tags: Vec::new(),
            status: "inactive".into(),
            detail: String::new(),
            since: std::time::SystemTime::UNIX_EPOCH,
            at: std::time::SystemTime::UNIX_EPOCH,
            down_for: None,
            grouped: None,
            members: Vec::new(),
            to: to.map(str::to_string),
        }
    }

    #[test]
    fn escalations_reach_their_channel_only_and_it_nothing_else() {
        let reserved = vec!["oncall".to_string()];
        let up = event(None);
        let esc = event(Some("oncall"));
        assert!(takes(None, &up, &reserved));
        assert!(takes(Some("team"), &up, &reserved));
        assert!(
            !takes(Some("oncall"), &up, &reserved),
            "kept for escalations"
        );
        assert!(takes(Some("oncall"), &esc, &reserved));
        assert!(!takes(Some("team"), &esc, &reserved));
        assert!(!takes(None, &esc, &reserved));
    }
}
