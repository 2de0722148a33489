//! Whether a config read again on SIGHUP may replace the running roster.
//! A config-management tool that writes the file in place (truncate, then
//! write) and a `systemctl reload` in between, or a file moved away, reads
//! as a config with no instances: taken as is, the watcher would watch
//! nothing and `/metrics` would lose every series, so no down alert could
//! fire. Starting with such a file is refused; so is reloading it.

use std::collections::HashSet;

use super::log::{Level, Logger};
use super::{Loaded, Shard, select};
use crate::engine::monitor::Monitor;

/// What to do with a reload, decided from the running and the new roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accept,
    /// Taken, but said loudly: most of the fleet leaves at once.
    Warn {
        removed: usize,
        of: usize,
    },
    /// Kept the old roster; the reason is for the log line.
    Refuse(String),
}

/// `old`: the ids watched now; `new`: the ids this watcher would own after
/// the reload (its shard applied); `fleet`: every instance the new config
/// names, in any shard.
pub fn judge<'a>(
    old: impl IntoIterator<Item = &'a str>,
    new: impl IntoIterator<Item = &'a str>,
    fleet: usize,
) -> Verdict {
    let old: HashSet<&str> = old.into_iter().collect();
    let new: HashSet<&str> = new.into_iter().collect();
    if fleet == 0 {
        return Verdict::Refuse(
            "the config names no instances (emptied, or written in place while being read?)".into(),
        );
    }
    if new.is_empty() && !old.is_empty() {
        return Verdict::Refuse(
            "none of the config's instances belong to this watcher's shard: it would watch nothing"
                .into(),
        );
    }
    let removed = old.difference(&new).count();
    // More than half of the fleet gone in one step is more often a
    // half-written file than a plan; it is taken, and said so.
    if removed * 2 > old.len() {
        Verdict::Warn {
            removed,
            of: old.len(),
        }
    } else {
        Verdict::Accept
    }
}

/// Whether `loaded` may replace what `monitor` watches; a refusal or a
/// warning is logged.
pub fn admit(log: &Logger, monitor: &Monitor, loaded: &Loaded, shard: Option<Shard>) -> bool {
    let mine = select(&loaded.roster, shard);
    let verdict = judge(
        monitor.rows.iter().map(|r| r.id.as_str()),
        mine.iter().map(|i| i.id.as_str()),
        loaded.roster.instances.len(),
    );
    say(log, &verdict)
}

/// Log a verdict that is not a plain accept; true when the reload goes on.
pub fn say(log: &Logger, verdict: &Verdict) -> bool {
    match verdict {
        Verdict::Accept => true,
        Verdict::Warn { removed, of } => {
            log.log(
                Level::Warn,
                "reload_shrinks",
                &[
                    ("removed", (*removed).into()),
                    ("of", (*of).into()),
                    (
                        "detail",
                        "more than half of the watched instances leave in one reload".into(),
                    ),
                ],
            );
            true
        }
        Verdict::Refuse(reason) => {
            log.log(
                Level::Warn,
                "reload_refused",
                &[
                    ("error", reason.as_str().into()),
                    ("detail", "the previous config keeps running".into()),
                ],
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_config_is_refused() {
        assert!(matches!(judge(["a", "b"], [], 0), Verdict::Refuse(_)));
    }

    #[test]
    fn a_shard_left_with_nothing_is_refused() {
        assert!(matches!(judge(["a", "b"], [], 7), Verdict::Refuse(_)));
    }

    #[test]
    fn removing_more_than_half_warns() {
        assert_eq!(
            judge(["a", "b", "c", "d", "e"], ["a", "b"], 2),
            Verdict::Warn { removed: 3, of: 5 }
        );
        assert_eq!(judge(["a", "b", "c", "d"], ["a", "b"], 2), Verdict::Accept);
        assert_eq!(
            judge(["a", "b"], ["x", "y", "z"], 3),
            Verdict::Warn { removed: 2, of: 2 }
        );
    }

    #[test]
    fn growing_or_keeping_is_accepted() {
        assert_eq!(judge(["a"], ["a", "b"], 2), Verdict::Accept);
        assert_eq!(judge([], ["a"], 1), Verdict::Accept);
    }
}
