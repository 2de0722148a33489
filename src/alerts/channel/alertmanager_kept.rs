//! An Alertmanager channel's firing alerts to and from the history file
//! (`history::am_firing`), so a restarted `watch` re-sends them with their
//! original `startsAt` and can resolve them once the instance is back.
//! The channel is named by its URL without credentials or query: the file
//! never holds a secret.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::alertmanager::{Alert, Firing};
use crate::history::am_firing::{self, FiringRow};

/// `scheme://host:port/path`: no user, password or query.
fn key(url: &url::Url) -> String {
    let mut key = url.clone();
    let _ = key.set_username("");
    let _ = key.set_password(None);
    key.set_query(None);
    key.set_fragment(None);
    key.to_string()
}

/// Fill `firing` with what the store kept for `url`; a store that cannot
/// be read leaves it empty (said in the log).
pub fn restore(path: &Path, url: &url::Url, firing: &Firing) {
    let rows = match am_firing::load(path, &key(url)) {
        Ok(rows) => rows,
        Err(e) => {
            tracing::warn!("alertmanager: firing alerts from before not read: {e}");
            return;
        }
    };
    let mut map = firing.lock().unwrap_or_else(|e| e.into_inner());
    for row in rows {
        let (Ok(labels), Ok(annotations)) = (
            serde_json::from_str::<BTreeMap<String, String>>(&row.labels),
            serde_json::from_str::<BTreeMap<String, String>>(&row.annotations),
        ) else {
            continue;
        };
        let starts_at = from_ms(row.starts_at_ms);
        map.entry(row.instance_id).or_insert(Alert {
            labels,
            annotations,
            starts_at,
        });
    }
}

/// The map as rows, for [`save`].
pub fn rows(firing: &Firing) -> Vec<FiringRow> {
    let map = firing.lock().unwrap_or_else(|e| e.into_inner());
    map.iter()
        .map(|(id, a)| FiringRow {
            instance_id: id.clone(),
            labels: serde_json::to_string(&a.labels).unwrap_or_default(),
            annotations: serde_json::to_string(&a.annotations).unwrap_or_default(),
            starts_at_ms: to_ms(a.starts_at),
        })
        .collect()
}

pub fn save(path: &Path, url: &url::Url, rows: &[FiringRow]) -> Result<(), String> {
    am_firing::save(path, &key(url), rows)
}

fn to_ms(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn from_ms(ms: i64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_holds_no_credentials() {
        let url = url::Url::parse("https://ops:s3cret@am.example.com:9093/base?token=abc").unwrap();
        assert_eq!(key(&url), "https://am.example.com:9093/base");
    }
}
