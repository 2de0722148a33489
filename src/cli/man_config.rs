//! The man page's config tables beyond accounts and instances: `[history]`,
//! `[alerts]` with its channels (hooks, webhooks, Apprise, Alertmanager,
//! email), escalation, maintenance windows, and `[views.NAME]`, each key with
//! its default. Kept
//! as data (table, keys, text) so a test can hand every key named here to
//! the real config parser: a key renamed there fails here.

use clap_mangen::roff::{Roff, bold, roman};

/// `(table header as written, keys it names, what they mean)`.
pub const TABLES: &[(&str, &[&str], &str)] = &[
    (
        "[history]",
        &["enabled", "path", "retention", "window", "grace"],
        "The SQLite history of status periods (wadash history, wadash report, the \
         dashboard's Up and Drops columns). enabled (default true); path (default \
         $XDG_DATA_HOME/wadash/history.db); retention, how long periods are kept \
         (default \"90d\"); window, the dashboard's uptime and drops window (default \
         \"24h\", also :uptime 7d); grace, how long after a check its state still counts \
         as observed (default 3 polling intervals, at least 30 s; 150 s for wadash status).",
    ),
    (
        "[alerts]",
        &[
            "after",
            "resolve_after",
            "remind_every",
            "flap_changes",
            "flap_window",
            "group_window",
            "desktop",
            "dashboard_hooks",
            "runbook",
        ],
        "When the dashboard and wadash watch raise an alert. after, consecutive \
         not-active checks before an instance is down (default 3); resolve_after, \
         consecutive active checks before it is up again (default 2); remind_every, \
         repeat while still down (default \"0s\": never); flap_changes, more changes than \
         this within flap_window give one flapping alert (default 4; 0 turns it off); \
         flap_window (default \"15m\"); group_window, events of one kind within it are \
         grouped (default one polling interval); desktop, the dashboard's desktop \
         notification through notify-send (default true); dashboard_hooks, false leaves \
         hooks, webhooks and the other channels to wadash watch (default true); runbook, \
         what each alert tells people to do, {id} and {label} filled in (default \
         \"relink: wadash qr {id} --wait\").",
    ),
    (
        "[[alerts.hook]]",
        &["command", "only"],
        "A program run on each alert, any number of them. command, a list: the program \
         and its arguments, run directly (no shell), where {id}, {label} and {event} are \
         filled in; only, the dashboard's filter syntax (e.g. \"tag:peru\"). The hook's \
         environment holds WADASH_EVENT (down, up, flapping, reminder, error, group), \
         WADASH_ID, WADASH_LABEL, WADASH_ACCOUNT, WADASH_TAGS, WADASH_STATUS, \
         WADASH_DETAIL, WADASH_SINCE (RFC 3339), WADASH_DOWN_S (up only) and WADASH_COUNT \
         (group only); WADASH_API_KEY is removed. A hook still running after 10 s is \
         killed with its process group.",
    ),
    (
        "[[alerts.webhook]]",
        &["url", "format", "only"],
        "A POST on each alert, any number of them. url (http or https); format, \"json\" (the \
         event as an object), \"slack\" (a {\"text\": ...} body), \"discord\" or \"ntfy\"; \
         only, as for hooks. Three tries, 1 s then 3 s apart, 10 s each; redirects are not \
         followed.",
    ),
    (
        "[[alerts.apprise]]",
        &["urls"],
        "Alerts through the apprise program (which must be installed), any number of these. \
         urls, a list of Apprise URLs (e.g. \"tgram://BOTTOKEN/CHATID\"); they hold tokens, \
         so wadash shows them as scheme://... only.",
    ),
    (
        "[[alerts.alertmanager]]",
        &["url", "resend"],
        "Alerts posted to a Prometheus Alertmanager. url, its base URL (/api/v2/alerts is \
         added); resend, how often firing alerts are sent again (default \"1m\").",
    ),
    (
        "[[alerts.email]]",
        &[
            "server",
            "port",
            "tls",
            "ca_file",
            "username",
            "password_env",
            "password_cmd",
            "from",
            "to",
        ],
        "Alerts by email over SMTP. server, a host name; tls, \"starttls\" (the default), \
         \"tls\" or \"none\" (only for a server on this machine); port (default 587 with \
         starttls, 465 with tls, 25 with none); ca_file, an absolute path to a PEM file of CA \
         certificates trusted besides the system's (a private mail server); username; the \
         password from password_env (a variable's name) or password_cmd (a command); from; to, \
         a list of addresses.",
    ),
    (
        "[[alerts.escalate]]",
        &["after", "channel"],
        "A down neither acknowledged (wadash ack, K) nor resolved after this long is sent \
         to one more channel. after, a duration (e.g. \"30m\"); channel, the name of a \
         hook, webhook, apprise, alertmanager or email channel, which then receives only \
         escalations.",
    ),
    (
        "[[alerts.maintenance]]",
        &["name", "only", "every", "tz", "start", "end"],
        "A window in which no alert is sent for the instances it matches; what is still \
         true when it closes is sent then, and history marks the time as planned. name, \
         shown in history; only (or match), the dashboard's filter syntax; every, a \
         recurring window such as \"sun 02:00-04:00\", \"mon-fri 22:00-23:00\" or \
         \"daily 03:00-03:30\", in tz (an IANA zone such as \"America/Lima\"; default the \
         system's); or a one-off window from start to end (\"2026-12-24 22:00\", local to \
         tz, or RFC 3339).",
    ),
    (
        "[views.NAME]",
        &["filter", "sort"],
        "A saved view of the dashboard, opened with :view NAME (Tab completes it). filter, \
         the / filter's terms (e.g. \"tag:peru status:inactive\"); sort, a :sort word, \
         optionally followed by desc (e.g. \"latency desc\"). [ui] columns chooses the \
         table's optional columns, in order, from id, latency, uptime, drops, changed, tags \
         and profile.",
    ),
    (
        "Every channel",
        &["name", "match", "runbook"],
        "Hooks, webhooks, apprise, alertmanager and email entries also take: name, how \
         other rules refer to the channel (each its own); match, the same as only: which \
         instances' alerts it takes, in the dashboard's filter syntax; runbook, replacing \
         [alerts] runbook for the alerts it sends.",
    ),
];

pub fn tables(roff: &mut Roff) {
    for (head, _, text) in TABLES {
        roff.control("TP", []);
        roff.text([bold(*head)]);
        roff.text([roman(*text)]);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::TABLES;
    use crate::config::Config;

    /// Every key the page names is one the parser knows (a wrong value may
    /// be refused; an unknown key is what this catches).
    #[test]
    fn every_key_named_is_accepted_by_the_config_parser() {
        for (head, keys, text) in TABLES {
            for key in *keys {
                assert!(text.contains(key), "{head}: {key} is not described");
                // The keys every channel takes are tried in one of them.
                let table = if head.starts_with('[') {
                    head
                } else {
                    "[[alerts.apprise]]"
                };
                let doc = format!("{table}\n{key} = \"\"\n");
                if let Err(e) = Config::parse_str(&doc, Path::new("man.toml")) {
                    let message = e.to_string();
                    assert!(
                        !message.contains("unknown field"),
                        "{head} {key}: {message}"
                    );
                }
            }
        }
        let bogus = Config::parse_str("[alerts]\nafterr = 3\n", Path::new("man.toml"));
        assert!(bogus.unwrap_err().to_string().contains("unknown field"));
    }
}
