//! `[[alerts.escalate]]` and `[[alerts.maintenance]]`, and the `name` a
//! channel carries so an escalation step can point at it.
//!
//! ```toml
//! [[alerts.hook]]
//! name = "oncall"
//! command = ["/usr/local/bin/page-oncall", "{id}"]
//!
//! [[alerts.escalate]]
//! after = "30m"            # a down neither acknowledged nor up again after 30 min…
//! channel = "oncall"       # …goes to the channel(s) of this name, and only there
//!
//! [[alerts.maintenance]]
//! every = "sun 02:00-04:00"
//! tz = "America/Lima"      # optional; default: this machine's zone
//! only = "tag:lima"        # optional; default: every instance
//!
//! [[alerts.maintenance]]
//! start = "2026-12-24 22:00"
//! end = "2026-12-25 06:00"
//! ```

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::domain::calendar::Calendar;
use crate::domain::holds::{Escalation, Window};
use crate::domain::matcher::Matcher;

type Located = (Range<usize>, String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEscalate {
    after: Spanned<String>,
    channel: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMaintenance {
    name: Option<String>,
    #[serde(alias = "match")]
    only: Option<Spanned<String>>,
    every: Option<Spanned<String>>,
    tz: Option<Spanned<String>>,
    start: Option<Spanned<String>>,
    end: Option<Spanned<String>>,
}

/// Every step, checked against the channel names the config has.
pub(super) fn escalations(
    raw: Vec<RawEscalate>,
    names: &[&str],
) -> Result<Vec<Escalation>, Located> {
    let mut out = Vec::with_capacity(raw.len());
    for step in raw {
        let text = step.after.get_ref().trim();
        let after = humantime::parse_duration(text).map_err(|e| {
            (
                step.after.span(),
                format!(
                    "alerts.escalate after: invalid duration {text:?} ({e}); write it like \"30m\""
                ),
            )
        })?;
        if after.is_zero() {
            return Err((
                step.after.span(),
                "alerts.escalate after must be greater than zero".into(),
            ));
        }
        let channel = step.channel.get_ref().trim().to_string();
        if !names.contains(&channel.as_str()) {
            return Err((
                step.channel.span(),
                format!(
                    "alerts.escalate channel {channel:?} names no channel: give a hook, webhook, apprise, alertmanager or email channel name = {channel:?}{}",
                    if names.is_empty() {
                        String::new()
                    } else {
                        format!(" (named now: {})", names.join(", "))
                    }
                ),
            ));
        }
        out.push(Escalation { after, channel });
    }
    out.sort_by_key(|e: &Escalation| e.after);
    Ok(out)
}

pub(super) fn windows(raw: Vec<RawMaintenance>) -> Result<Vec<Window>, Located> {
    let mut out = Vec::with_capacity(raw.len());
    for (n, w) in raw.into_iter().enumerate() {
        let tz = w.tz.as_ref().map(|t| t.get_ref().as_str());
        let tz_span = w.tz.as_ref().map(Spanned::span);
        let locate = |e: String, span: Range<usize>| {
            // A bad zone is the zone's fault, wherever it was noticed.
            let span = if e.starts_with("tz ") {
                tz_span.clone().unwrap_or(span)
            } else {
                span
            };
            (span, format!("alerts.maintenance {e}"))
        };
        let calendar = match (&w.every, &w.start, &w.end) {
            (Some(every), None, None) => {
                Calendar::every(every.get_ref(), tz).map_err(|e| locate(e, every.span()))?
            }
            (None, Some(start), Some(end)) => Calendar::once(start.get_ref(), end.get_ref(), tz)
                .map_err(|e| locate(e, start.span()))?,
            (Some(every), _, _) => {
                return Err((
                    every.span(),
                    "alerts.maintenance: give either every, or start and end, not both".into(),
                ));
            }
            (None, Some(s), None) | (None, None, Some(s)) => {
                return Err((
                    s.span(),
                    "alerts.maintenance: a one-off window needs both start and end".into(),
                ));
            }
            (None, None, None) => {
                return Err((
                    0..0,
                    "alerts.maintenance: say when, with every = \"sun 02:00-04:00\" or start and end".into(),
                ));
            }
        };
        let only = match w.only {
            Some(o) => Some(
                Matcher::only(o.get_ref())
                    .map_err(|e| (o.span(), format!("alerts.maintenance only: {e}")))?,
            ),
            None => None,
        };
        out.push(Window {
            name: w.name.unwrap_or_else(|| format!("maintenance {}", n + 1)),
            only,
            calendar,
        });
    }
    Ok(out)
}

/// The escalation steps' channel names: kept for escalations (see `alerts::route`).
pub fn escalation_only(steps: &[Escalation]) -> Vec<String> {
    let mut names: Vec<String> = steps.iter().map(|s| s.channel.clone()).collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests;
