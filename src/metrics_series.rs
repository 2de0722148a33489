//! The per-instance families of `--metrics` (`wadash_instance_up`,
//! `_status`, `_info`, `_last_change_timestamp_seconds`, `_changes_total`),
//! kept as one small row per instance and written out at scrape time.
//!
//! prometheus-client's `Family` keeps, for every series, its own copy of
//! the label set (strings) in a hash map, plus a shared handle per value:
//! five families for 10,000 instances held about 12 MB, the largest part of
//! `wadash watch`'s heap. A row here is the instance's identity once and a
//! few numbers, and the text is the same.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, NoLabelSet};
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::Unit;

use crate::domain::Health;

/// What one instance's series say.
#[derive(Debug)]
pub struct Row {
    pub label: String,
    pub account: String,
    /// Comma-joined, as the `tags` label shows them.
    pub tags: String,
    pub health: Health,
    /// `wadash_instance_up`: None until the first answer.
    pub up: Option<bool>,
    /// Unix seconds of the last change (None: not checked yet).
    pub last_change: Option<f64>,
    /// Changes since the first check (None: not checked yet).
    pub changes: Option<u64>,
}

/// The rows by instance id, shared by `Metrics` (which updates them) and
/// the registry (which writes them on each scrape).
#[derive(Debug, Clone, Default)]
pub struct InstanceSeries {
    rows: Arc<Mutex<HashMap<String, Row>>>,
}

impl InstanceSeries {
    pub fn rows(&self) -> MutexGuard<'_, HashMap<String, Row>> {
        self.rows.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The `status` label of a health (None: not checked yet, no series).
pub fn status_name(health: Health) -> Option<&'static str> {
    match health {
        Health::Active => Some("active"),
        Health::Inactive => Some("inactive"),
        Health::Unknown => Some("unknown"),
        Health::Error => Some("error"),
        Health::NotChecked => None,
    }
}

impl Collector for InstanceSeries {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let rows = self.rows();
        let mut family = encoder.encode_descriptor(
            "wadash_instance_up",
            "1 when the instance is linked (active), 0 otherwise; absent until its first check answers (not checked yet is not down)",
            None,
            MetricType::Gauge,
        )?;
        for (id, row) in rows.iter() {
            if let Some(up) = row.up {
                let labels = [
                    ("id", id.as_str()),
                    ("label", &row.label),
                    ("account", &row.account),
                ];
                family
                    .encode_family(&labels)?
                    .encode_gauge(&i64::from(up))?;
            }
        }
        let mut family = encoder.encode_descriptor(
            "wadash_instance_status",
            "1 for the instance's current status: active, inactive, unknown or error (cannot be checked)",
            None,
            MetricType::Gauge,
        )?;
        for (id, row) in rows.iter() {
            if let Some(status) = status_name(row.health) {
                let labels = [("id", id.as_str()), ("status", status)];
                family.encode_family(&labels)?.encode_gauge(&1i64)?;
            }
        }
        let mut family = encoder.encode_descriptor(
            "wadash_instance_info",
            "1 per instance, with its label, account and comma-joined tags, for joins",
            None,
            MetricType::Gauge,
        )?;
        for (id, row) in rows.iter() {
            let labels = [
                ("id", id.as_str()),
                ("label", &row.label),
                ("account", &row.account),
                ("tags", &row.tags),
            ];
            family.encode_family(&labels)?.encode_gauge(&1i64)?;
        }
        let mut family = encoder.encode_descriptor(
            "wadash_instance_last_change_timestamp",
            "When the instance's status last changed (first check included), Unix time",
            Some(&Unit::Seconds),
            MetricType::Gauge,
        )?;
        for (id, row) in rows.iter() {
            if let Some(at) = row.last_change {
                let labels = [("id", id.as_str())];
                family.encode_family(&labels)?.encode_gauge(&at)?;
            }
        }
        let mut family = encoder.encode_descriptor(
            "wadash_instance_changes",
            "Status changes seen since this watcher started",
            None,
            MetricType::Counter,
        )?;
        for (id, row) in rows.iter() {
            if let Some(changes) = row.changes {
                let labels = [("id", id.as_str())];
                family
                    .encode_family(&labels)?
                    .encode_counter::<NoLabelSet, _, f64>(&changes, None)?;
            }
        }
        Ok(())
    }
}
