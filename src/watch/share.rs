//! `watch --public-url`: the watcher hosts relink pages on its `--metrics`
//! listener (`/s/…`, beside `/metrics`, behind the same connection cap,
//! timeouts and `Host` check) and its down alerts carry their links (see
//! `share::alert_links`). Without `--public-url` nothing changes; the log
//! says so once when alerts go somewhere.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use super::log::{Level, Logger};
use crate::config::alerts::AlertsConfig;
use crate::i18n::Lang;
use crate::share::alert_links::{AlertLinks, LinkSettings};
use crate::share::{Shares, listen, server};

/// What `--public-url`, `--share-for` and `--share-max` asked for.
#[derive(Debug, Clone)]
pub struct ShareOptions {
    pub public_url: String,
    pub valid: Duration,
    pub max: usize,
    /// How often a page's code is fetched (`[ui] qr_refresh`) and the
    /// status checked.
    pub refresh: Duration,
    pub status_every: Duration,
    pub lang: Lang,
}

/// The shares the listener serves, before it is bound.
pub struct Hosting {
    shares: Arc<Shares>,
    options: ShareOptions,
}

impl Hosting {
    /// Hosting when `--public-url` was given; its host joins the names the
    /// listener answers (a proxy passes it on as `Host`).
    pub fn new(options: Option<&ShareOptions>, hosts: &mut Vec<String>) -> Option<Hosting> {
        let options = options?.clone();
        if let Some(host) = url::Url::parse(&options.public_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
        {
            hosts.push(host);
        }
        Some(Hosting {
            shares: Arc::new(Shares::default()),
            options,
        })
    }

    /// The `/s/…` routes for the listener.
    pub fn routes(&self) -> axum::Router {
        server::routes(self.shares.clone())
    }

    /// The links alerts carry, once the listener is bound at `bound`.
    pub fn links(self, bound: SocketAddr) -> Result<Arc<AlertLinks>, String> {
        let base = listen::base_url(Some(&self.options.public_url), bound)?;
        let o = self.options;
        Ok(Arc::new(AlertLinks::new(
            self.shares,
            LinkSettings {
                base,
                valid: o.valid,
                max: o.max,
                refresh: o.refresh,
                status_every: o.status_every,
                lang: o.lang,
            },
        )))
    }
}

/// Whether alerts go anywhere but the dashboard.
fn delivers(alerts: &AlertsConfig) -> bool {
    !alerts.hooks.is_empty()
        || !alerts.webhooks.is_empty()
        || !alerts.apprise.is_empty()
        || !alerts.alertmanager.is_empty()
        || !alerts.email.is_empty()
}

/// `config check`: links are a `watch` flag, not a key, so say where.
pub fn config_note(alerts: &AlertsConfig) {
    if delivers(alerts) {
        crate::say!("{}", crate::i18n::strings().mail.check_relink_note);
    }
}

/// Said once at start: down alerts carry no link, and how to have one.
pub fn say_links_off(log: &Logger, alerts: &AlertsConfig) {
    if delivers(alerts) {
        log.log(
            Level::Info,
            "relink_links_off",
            &[(
                "detail",
                "alerts carry no relink link; add --metrics ADDR --public-url URL to put one in each down alert"
                    .into(),
            )],
        );
    }
}

/// `share_opened` (the token masked: a log reader must not be able to
/// link the number) or `share_refused`.
pub fn log_opened(log: &Logger, instance: &str, result: &Result<String, String>, valid: Duration) {
    match result {
        Ok(url) => log.log(
            Level::Info,
            "share_opened",
            &[
                ("id", instance.into()),
                ("link", masked(url).into()),
                ("valid_s", valid.as_secs().into()),
            ],
        ),
        Err(e) => log.log(
            Level::Warn,
            "share_refused",
            &[("id", instance.into()), ("error", e.as_str().into())],
        ),
    }
}

/// `https://host/s/…Ab3x/`: enough to tell links apart, not to open one.
fn masked(url: &str) -> String {
    match url.split_once("/s/") {
        Some((base, token)) => {
            let token = token.trim_end_matches('/');
            let tail = &token[token.len().saturating_sub(4)..];
            format!("{base}/s/…{tail}/")
        }
        None => "…".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logged_link_keeps_only_the_token_tail() {
        let url = "https://example.com/wadash/s/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdef/";
        assert_eq!(masked(url), "https://example.com/wadash/s/…cdef/");
        assert_eq!(masked("nonsense"), "…");
    }

    #[test]
    fn the_public_host_is_answered() {
        let options = ShareOptions {
            public_url: "https://Relink.example.com:8443/wadash/".into(),
            valid: Duration::from_secs(60),
            max: 1,
            refresh: Duration::from_secs(20),
            status_every: Duration::from_secs(3),
            lang: Lang::En,
        };
        let mut hosts = vec!["metrics.internal".to_string()];
        assert!(Hosting::new(Some(&options), &mut hosts).is_some());
        assert_eq!(hosts, ["metrics.internal", "relink.example.com"]);
        let mut none = Vec::new();
        assert!(Hosting::new(None, &mut none).is_none() && none.is_empty());
    }
}
