//! Shares that `watch` opens for its alerts (`--public-url`): when an
//! alert says an instance is down, the executor that delivers it first
//! opens (or reuses) a share of that instance's live QR on the watcher's
//! listener, and the alert carries the link.
//!
//! Bounded: at most `max` links are open at once, so a mass outage opens a
//! few and the rest of the alert says why there are no more. A reminder
//! reuses a link while it is served; once it expired (or the phone linked)
//! the next alert opens a new one. The live loop ends a share when the
//! instance links, as for `wadash share`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::listen;
use super::live::{self, Source};
use super::state::Shares;
use super::token::Token;
use crate::alerts::links::{Link, ShareLinks};
use crate::alerts::runner::AlertRunner;
use crate::api::{Account, Client};
use crate::engine::alerts::event::{AlertEvent, AlertKind};
use crate::engine::msg::CoreMsg;
use crate::i18n::Lang;
use crate::worker::MsgSender;

/// `watch --share-max`'s default.
pub const DEFAULT_SHARE_MAX: usize = 20;

/// How alert links are made.
#[derive(Debug, Clone)]
pub struct LinkSettings {
    /// What people open (`--public-url`, ending in `/`).
    pub base: String,
    /// How long a link works (`--share-for`).
    pub valid: Duration,
    /// Links open at once (`--share-max`).
    pub max: usize,
    /// How often the page's code is fetched, and the status checked.
    pub refresh: Duration,
    pub status_every: Duration,
    pub lang: Lang,
}

struct Open {
    instance: String,
    token: Token,
    url: String,
}

pub struct AlertLinks {
    shares: Arc<Shares>,
    settings: LinkSettings,
    open: Mutex<Vec<Open>>,
}

impl AlertLinks {
    /// Links into `shares`, which the watcher's listener serves.
    pub fn new(shares: Arc<Shares>, settings: LinkSettings) -> AlertLinks {
        AlertLinks {
            shares,
            settings,
            open: Mutex::new(Vec::new()),
        }
    }

    /// The links for the instances `event` is about. Each share opened is
    /// told as `CoreMsg::ShareOpened` (watch logs it with the token masked:
    /// whoever reads the log should not be able to link the number).
    pub fn links_for(
        &self,
        event: &AlertEvent,
        accounts: &[Account],
        client: &Client,
        tx: &MsgSender,
    ) -> ShareLinks {
        let subjects: Vec<(&str, &str, &str)> = match event.kind {
            AlertKind::Group => event
                .members
                .iter()
                .map(|m| (m.id.as_str(), m.label.as_str(), m.account.as_str()))
                .collect(),
            _ => vec![(
                event.id.as_str(),
                event.label.as_str(),
                event.account.as_str(),
            )],
        };
        let now = Instant::now();
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        // Expired, linked or closed shares no longer count against the cap.
        open.retain(|o| self.shares.is_served(&o.token, now));
        let mut found = ShareLinks::default();
        for (id, label, account) in subjects {
            if let Some(o) = open.iter().find(|o| o.instance == id) {
                found.links.push(link(id, label, &o.url));
                continue;
            }
            if open.len() >= self.settings.max {
                let words = &crate::i18n::strings().mail;
                found.missing = Some(crate::i18n::fill(
                    words.relink_cap,
                    &[
                        ("count", &open.len().to_string()),
                        ("max", &self.settings.max.to_string()),
                    ],
                ));
                continue;
            }
            let result = self.open_one(id, label, account, accounts, client, now);
            match &result {
                Ok((token, url)) => {
                    found.links.push(link(id, label, url));
                    open.push(Open {
                        instance: id.to_string(),
                        token: token.clone(),
                        url: url.clone(),
                    });
                }
                Err(why) => found.missing = Some(why.clone()),
            }
            let _ = tx.send(CoreMsg::ShareOpened {
                instance: id.to_string(),
                result: result.map(|(_, url)| url),
            });
        }
        found
    }

    fn open_one(
        &self,
        id: &str,
        label: &str,
        account: &str,
        accounts: &[Account],
        client: &Client,
        now: Instant,
    ) -> Result<(Token, String), String> {
        let account = accounts
            .iter()
            .find(|a| a.name == account)
            .ok_or_else(|| format!("the account `{account}` is not configured any more"))?;
        let token = Token::generate()?;
        let ends_at = now + self.settings.valid;
        self.shares
            .open(token.clone(), label, self.settings.lang, ends_at, now);
        let source = Source {
            client: client.clone(),
            account: account.clone(),
            instance: id.to_string(),
            label: label.to_string(),
            refresh: self.settings.refresh,
            status_every: self.settings.status_every,
        };
        // The loop's own events are not needed: its end shows in `Shares`,
        // which the next alert consults.
        let (events, _) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(live::run(
            source,
            self.shares.clone(),
            token.clone(),
            ends_at,
            events,
        ));
        let url = listen::link(&self.settings.base, &token);
        Ok((token, url))
    }
}

fn link(id: &str, label: &str, url: &str) -> Link {
    Link {
        id: id.to_string(),
        label: label.to_string(),
        url: url.to_string(),
    }
}

/// The worker's `Effect::Alert` when links are on: open them, then deliver.
/// Synchronous (no request is made to open a share), so alerts keep their order.
pub fn deliver(
    links: &AlertLinks,
    runner: &AlertRunner,
    event: AlertEvent,
    accounts: &[Account],
    client: &Client,
    tx: &MsgSender,
) {
    if !ShareLinks::wanted(&event) {
        runner.deliver(event);
        return;
    }
    let found = links.links_for(&event, accounts, client, tx);
    runner.deliver_linked(event, &found);
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::sandbox::{self, SandboxOptions};
    use crate::secret::Secret;

    fn down(id: &str) -> AlertEvent {
        AlertEvent {
            kind: AlertKind::Down,
            id: id.into(),
            label: format!("Shop {id}"),
            account: "sb".into(),
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

    fn links(valid: Duration, max: usize) -> AlertLinks {
        AlertLinks::new(
            Arc::new(Shares::default()),
            LinkSettings {
                base: "https://relink.example/w/".into(),
                valid,
                max,
                refresh: Duration::from_secs(1),
                status_every: Duration::from_secs(1),
                lang: Lang::En,
            },
        )
    }

    #[tokio::test]
    async fn a_reminder_reuses_a_valid_link_an_expired_one_is_replaced_and_the_cap_holds() {
        let sb = sandbox::start(SandboxOptions::for_tests()).await.unwrap();
        let account =
            Account::new("sb", &sb.base_url(), Secret::new(sb.api_key.clone()), false).unwrap();
        let (accounts, client) = (vec![account], Client::new());
        let (tx, mut told) = tokio::sync::mpsc::unbounded_channel();
        let ids: Vec<String> = sb.instances.iter().map(|i| i.id.clone()).collect();

        let kept = links(Duration::from_secs(600), 1);
        let first = kept.links_for(&down(&ids[0]), &accounts, &client, &tx);
        let url = first.links[0].url.clone();
        assert!(url.starts_with("https://relink.example/w/s/"), "{url}");
        let again = kept.links_for(&down(&ids[0]), &accounts, &client, &tx);
        assert_eq!(again.links[0].url, url, "a reminder reuses the open link");
        let other = kept.links_for(&down(&ids[1]), &accounts, &client, &tx);
        assert!(other.links.is_empty());
        assert!(other.missing.unwrap().contains("--share-max 1"));
        // One share opened, told once: no message for the reuse or the refusal.
        assert!(
            matches!(told.try_recv(), Ok(CoreMsg::ShareOpened { result: Ok(u), .. }) if u == url)
        );
        assert!(told.try_recv().is_err());

        let expiring = links(Duration::ZERO, 1);
        let a = expiring.links_for(&down(&ids[0]), &accounts, &client, &tx);
        let b = expiring.links_for(&down(&ids[0]), &accounts, &client, &tx);
        assert_ne!(
            a.links[0].url, b.links[0].url,
            "an expired link is replaced"
        );

        // An account gone in a reload: no link, and why.
        let mut orphan = down(&ids[2]);
        orphan.account = "removed".into();
        let none = links(Duration::from_secs(600), 5).links_for(&orphan, &accounts, &client, &tx);
        assert!(none.links.is_empty());
        assert!(
            none.missing
                .unwrap()
                .contains("`removed` is not configured")
        );
    }
}
