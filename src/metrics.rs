//! Prometheus metrics for `wadash watch --metrics ADDR`, with the
//! Prometheus project's own client (`prometheus-client`), served as
//! OpenMetrics text on `GET /metrics`.
//!
//! Families (issue 10):
//! - `wadash_instance_up{id,label,account}`: 1 when active, else 0 (like
//!   blackbox's `probe_success`). No series until the instance's first
//!   answer (Prometheus's own `up`): "not checked yet" is not "down", and a
//!   restart of a slow fleet must not page. `wadash_instance_info` exists
//!   from the start, so `info unless up` finds the never-answered.
//! - `wadash_instance_status{id,status}`: 1, one series per instance, for
//!   its current status (active|inactive|unknown|error); the old series goes
//!   when the status changes, so a fleet is `count by (status) (…)`.
//! - `wadash_instance_info{id,label,account,tags}`: 1, for joins (`tags`
//!   comma-joined).
//! - `wadash_instance_last_change_timestamp_seconds{id}`, `wadash_instance_changes_total{id}`.
//! - `wadash_check_duration_seconds{account}` (histogram), `wadash_checks_total{account,result}`.
//! - `wadash_cycle_seconds`: the achieved cycle (see `app::cycle`).
//! - `wadash_alerts_total{event,channel,outcome}`: alerts sent / failed.
//!
//! An instance removed from the config (a reload) loses all its series.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, SystemTime};

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

use crate::domain::Health;

/// Check latencies from 5 ms (a local sandbox) to 15 s (the client's timeout).
const DURATION_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0,
];

pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct UpLabels {
    id: String,
    label: String,
    account: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    id: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct InfoLabels {
    id: String,
    label: String,
    account: String,
    tags: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct IdLabels {
    id: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AccountLabels {
    account: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CheckLabels {
    account: String,
    result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AlertLabels {
    event: String,
    channel: String,
    outcome: String,
}

type FloatGauge = Gauge<f64, AtomicU64>;

/// What one instance is, as its series name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceIdentity {
    pub id: String,
    pub label: String,
    pub account: String,
    pub tags: Vec<String>,
}

/// The handles of one instance's series, so a check updates them without
/// hashing label sets, and a removal knows what to remove.
struct Series {
    identity: InstanceIdentity,
    /// None until the first answer.
    up: Option<Gauge>,
    status: Option<(String, Gauge)>,
    health: Health,
}

pub struct Metrics {
    registry: Registry,
    up: Family<UpLabels, Gauge>,
    status: Family<StatusLabels, Gauge>,
    info: Family<InfoLabels, Gauge>,
    last_change: Family<IdLabels, FloatGauge>,
    changes: Family<IdLabels, Counter>,
    check_duration: Family<AccountLabels, Histogram, fn() -> Histogram>,
    checks: Family<CheckLabels, Counter>,
    cycle: FloatGauge,
    alerts: Family<AlertLabels, Counter>,
    instances: Mutex<HashMap<String, Series>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

fn duration_histogram() -> Histogram {
    Histogram::new(DURATION_BUCKETS)
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

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let up = Family::<UpLabels, Gauge>::default();
        let status = Family::<StatusLabels, Gauge>::default();
        let info = Family::<InfoLabels, Gauge>::default();
        let last_change = Family::<IdLabels, FloatGauge>::default();
        let changes = Family::<IdLabels, Counter>::default();
        let check_duration =
            Family::<AccountLabels, Histogram, fn() -> Histogram>::new_with_constructor(
                duration_histogram,
            );
        let checks = Family::<CheckLabels, Counter>::default();
        let cycle = FloatGauge::default();
        let alerts = Family::<AlertLabels, Counter>::default();
        registry.register(
            "wadash_instance_up",
            "1 when the instance is linked (active), 0 otherwise; absent until its first check answers (not checked yet is not down)",
            up.clone(),
        );
        registry.register(
            "wadash_instance_status",
            "1 for the instance's current status: active, inactive, unknown or error (cannot be checked)",
            status.clone(),
        );
        registry.register(
            "wadash_instance_info",
            "1 per instance, with its label, account and comma-joined tags, for joins",
            info.clone(),
        );
        registry.register_with_unit(
            "wadash_instance_last_change_timestamp",
            "When the instance's status last changed (first check included), Unix time",
            Unit::Seconds,
            last_change.clone(),
        );
        registry.register(
            "wadash_instance_changes",
            "Status changes seen since this watcher started",
            changes.clone(),
        );
        registry.register_with_unit(
            "wadash_check_duration",
            "Latency of status checks, by account",
            Unit::Seconds,
            check_duration.clone(),
        );
        registry.register(
            "wadash_checks",
            "Status checks by account and result (active, inactive, unknown, error)",
            checks.clone(),
        );
        registry.register_with_unit(
            "wadash_cycle",
            "Achieved cycle: mean time between two checks of one instance (at least N×latency÷concurrency)",
            Unit::Seconds,
            cycle.clone(),
        );
        registry.register(
            "wadash_alerts",
            "Alerts by event, channel and outcome (sent, failed)",
            alerts.clone(),
        );
        Metrics {
            registry,
            up,
            status,
            info,
            last_change,
            changes,
            check_duration,
            checks,
            cycle,
            alerts,
            instances: Mutex::new(HashMap::new()),
        }
    }

    fn instances(&self) -> std::sync::MutexGuard<'_, HashMap<String, Series>> {
        self.instances.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Start (or, when its identity changed, restart) an instance's series.
    /// An instance already known under the same identity keeps its values.
    pub fn set_instance(&self, identity: InstanceIdentity) {
        let mut instances = self.instances();
        let health = match instances.remove(&identity.id) {
            Some(old) if old.identity == identity => {
                instances.insert(identity.id.clone(), old);
                return;
            }
            Some(old) => {
                let health = old.health;
                self.remove_series(old);
                health
            }
            None => Health::NotChecked,
        };
        let mut series = self.new_series(identity);
        self.apply_health(&mut series, health);
        instances.insert(series.identity.id.clone(), series);
    }

    fn new_series(&self, identity: InstanceIdentity) -> Series {
        self.info
            .get_or_create(&InfoLabels {
                id: identity.id.clone(),
                label: identity.label.clone(),
                account: identity.account.clone(),
                tags: identity.tags.join(","),
            })
            .set(1);
        Series {
            identity,
            up: None,
            status: None,
            health: Health::NotChecked,
        }
    }

    fn remove_series(&self, series: Series) {
        let identity = &series.identity;
        let id = IdLabels {
            id: identity.id.clone(),
        };
        self.info.remove(&InfoLabels {
            id: identity.id.clone(),
            label: identity.label.clone(),
            account: identity.account.clone(),
            tags: identity.tags.join(","),
        });
        self.up.remove(&UpLabels {
            id: identity.id.clone(),
            label: identity.label.clone(),
            account: identity.account.clone(),
        });
        if let Some((status, _)) = &series.status {
            self.status.remove(&StatusLabels {
                id: identity.id.clone(),
                status: status.clone(),
            });
        }
        self.last_change.remove(&id);
        self.changes.remove(&id);
    }

    /// Forget an instance that left the config: all of its series go.
    pub fn remove_instance(&self, id: &str) {
        if let Some(series) = self.instances().remove(id) {
            self.remove_series(series);
        }
    }

    /// The ids that have series (for a reload to find who left).
    pub fn instance_ids(&self) -> Vec<String> {
        self.instances().keys().cloned().collect()
    }

    fn apply_health(&self, series: &mut Series, health: Health) {
        series.health = health;
        if health != Health::NotChecked {
            let identity = &series.identity;
            let up = series.up.get_or_insert_with(|| {
                self.up.get_or_create_owned(&UpLabels {
                    id: identity.id.clone(),
                    label: identity.label.clone(),
                    account: identity.account.clone(),
                })
            });
            up.set(i64::from(health == Health::Active));
        }
        let name = status_name(health);
        if series.status.as_ref().map(|(s, _)| s.as_str()) == name {
            return;
        }
        let id = &series.identity.id;
        if let Some((old, _)) = series.status.take() {
            self.status.remove(&StatusLabels {
                id: id.clone(),
                status: old,
            });
        }
        if let Some(name) = name {
            let gauge = self.status.get_or_create_owned(&StatusLabels {
                id: id.clone(),
                status: name.to_string(),
            });
            gauge.set(1);
            series.status = Some((name.to_string(), gauge));
        }
    }

    /// One status check: its result, latency and what the instance is now.
    /// `at` is the wall time of the answer, for a change's timestamp.
    pub fn observe_check(
        &self,
        id: &str,
        account: &str,
        result: &str,
        latency: Duration,
        health: Health,
        at: SystemTime,
    ) {
        self.checks
            .get_or_create(&CheckLabels {
                account: account.to_string(),
                result: result.to_string(),
            })
            .inc();
        self.check_duration
            .get_or_create(&AccountLabels {
                account: account.to_string(),
            })
            .observe(latency.as_secs_f64());
        let mut instances = self.instances();
        let Some(series) = instances.get_mut(id) else {
            return;
        };
        let before = series.health;
        if before != health {
            let labels = IdLabels { id: id.to_string() };
            let unix = at
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs_f64();
            self.last_change.get_or_create(&labels).set(unix);
            if before != Health::NotChecked {
                self.changes.get_or_create(&labels).inc();
            } else {
                // The counter exists from the first check, at 0, so that
                // `increase()` sees the first change.
                let _ = self.changes.get_or_create(&labels);
            }
            self.apply_health(series, health);
        }
    }

    pub fn set_cycle(&self, achieved: Duration) {
        self.cycle.set(achieved.as_secs_f64());
    }

    /// One `Msg::Core(CoreMsg::AlertDelivered)`.
    pub fn alert(&self, event: &str, channel: &str, ok: bool) {
        self.alerts
            .get_or_create(&AlertLabels {
                event: event.to_string(),
                channel: channel.to_string(),
                outcome: if ok { "sent" } else { "failed" }.to_string(),
            })
            .inc();
    }

    /// The OpenMetrics text of every family.
    pub fn encode(&self) -> String {
        let mut out = String::with_capacity(64 * 1024);
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// Whether `--metrics ADDR` may listen there without `--metrics-public`.
pub fn check_address(addr: SocketAddr, public: bool) -> Result<(), String> {
    if addr.ip().to_canonical().is_loopback() || public {
        Ok(())
    } else {
        Err(format!(
            "refusing to serve metrics on {addr}: they name every instance (ids, labels, tags) \
             to whoever can reach that address. Use 127.0.0.1:PORT behind a proxy, or pass \
             --metrics-public if the network is trusted"
        ))
    }
}

/// Serve `GET /metrics` on `addr` until `stop` turns true, answering the
/// `Host` names in `hosts` besides the address itself, with at most `cap`
/// connections (see `metrics_http`). Returns the bound address (port 0
/// picks a free one).
pub async fn serve(
    addr: SocketAddr,
    metrics: std::sync::Arc<Metrics>,
    stop: tokio::sync::watch::Receiver<bool>,
    hosts: &[String],
    cap: usize,
) -> std::io::Result<SocketAddr> {
    serve_with(addr, metrics, stop, hosts, cap, None).await
}

/// [`serve`], with more routes on the same bounded listener (`watch`'s
/// share pages), behind the same `Host` check.
pub async fn serve_with(
    addr: SocketAddr,
    metrics: std::sync::Arc<Metrics>,
    stop: tokio::sync::watch::Receiver<bool>,
    hosts: &[String],
    cap: usize,
    extra: Option<axum::Router>,
) -> std::io::Result<SocketAddr> {
    use axum::http::{StatusCode, header};
    use axum::routing::get;

    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let router = axum::Router::new()
        .route(
            "/metrics",
            get(move || {
                let metrics = metrics.clone();
                async move {
                    // Encoding 10,000 instances takes milliseconds of CPU:
                    // off the runtime threads that run the polls.
                    let body = tokio::task::spawn_blocking(move || metrics.encode())
                        .await
                        .unwrap_or_default();
                    ([(header::CONTENT_TYPE, CONTENT_TYPE)], body)
                }
            }),
        )
        .fallback(|| async { (StatusCode::NOT_FOUND, "wadash: only /metrics lives here\n") });
    let router = match extra {
        Some(extra) => router.merge(extra),
        None => router,
    };
    let policy = crate::host_check::HostPolicy::new(bound, hosts);
    tokio::spawn(crate::metrics_http::serve(
        listener, router, policy, cap, stop,
    ));
    Ok(bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ident(id: &str, label: &str) -> InstanceIdentity {
        InstanceIdentity {
            id: id.into(),
            label: label.into(),
            account: "main".into(),
            tags: vec!["peru".into(), "ventas".into()],
        }
    }

    fn lines_for<'a>(text: &'a str, family: &str) -> Vec<&'a str> {
        text.lines()
            .filter(|l| {
                l.starts_with(&format!("{family}{{")) || l.starts_with(&format!("{family} "))
            })
            .collect()
    }

    #[test]
    fn families_follow_checks_changes_and_removals() {
        let m = Metrics::new();
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        m.set_instance(ident("A", "Tienda \"Lima\""));
        m.set_instance(ident("B", "Soporte"));
        let text = m.encode();
        // Not checked yet is not down: no `up` series before the first answer.
        assert!(lines_for(&text, "wadash_instance_up").is_empty(), "{text}");
        assert!(text.contains(
            "wadash_instance_info{id=\"B\",label=\"Soporte\",account=\"main\",tags=\"peru,ventas\"} 1"
        ));
        assert!(lines_for(&text, "wadash_instance_status").is_empty());

        m.observe_check(
            "A",
            "main",
            "active",
            Duration::from_millis(20),
            Health::Active,
            t,
        );
        m.observe_check(
            "B",
            "main",
            "inactive",
            Duration::from_millis(30),
            Health::Inactive,
            t,
        );
        m.observe_check(
            "A",
            "main",
            "inactive",
            Duration::from_millis(20),
            Health::Inactive,
            t + Duration::from_secs(5),
        );
        let text = m.encode();
        assert!(text.contains(
            "wadash_instance_up{id=\"A\",label=\"Tienda \\\"Lima\\\"\",account=\"main\"} 0"
        ));
        assert!(
            text.contains("absent until its first check answers"),
            "{text}"
        );
        assert!(text.contains("wadash_instance_status{id=\"A\",status=\"inactive\"} 1"));
        assert!(text.contains("wadash_instance_status{id=\"B\",status=\"inactive\"} 1"));
        assert_eq!(
            lines_for(&text, "wadash_instance_status").len(),
            2,
            "{text}"
        );
        assert!(
            text.contains("wadash_instance_changes_total{id=\"A\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("wadash_instance_changes_total{id=\"B\"} 0"),
            "{text}"
        );
        assert!(
            text.contains("wadash_instance_last_change_timestamp_seconds{id=\"A\"} 1005.0"),
            "{text}"
        );
        assert!(text.contains("wadash_checks_total{account=\"main\",result=\"active\"} 1"));
        assert!(text.contains("wadash_checks_total{account=\"main\",result=\"inactive\"} 2"));
        assert!(text.contains("wadash_check_duration_seconds_count{account=\"main\"} 3"));
        assert!(text.contains("# TYPE wadash_check_duration_seconds histogram"));

        m.remove_instance("A");
        let text = m.encode();
        assert!(!text.contains("id=\"A\""), "{text}");
        assert!(text.contains("id=\"B\""));
        assert!(text.ends_with("# EOF\n"));
    }

    #[test]
    fn a_relabelled_instance_moves_its_series() {
        let m = Metrics::new();
        m.set_instance(ident("A", "Old"));
        m.observe_check(
            "A",
            "main",
            "active",
            Duration::ZERO,
            Health::Active,
            SystemTime::now(),
        );
        m.set_instance(ident("A", "New"));
        let text = m.encode();
        assert!(!text.contains("Old"), "{text}");
        assert!(text.contains("wadash_instance_up{id=\"A\",label=\"New\",account=\"main\"} 1"));
        assert!(text.contains("wadash_instance_status{id=\"A\",status=\"active\"} 1"));
    }

    #[test]
    fn cycle_and_alerts() {
        let m = Metrics::new();
        m.set_cycle(Duration::from_millis(3125));
        m.alert("down", "webhook", true);
        m.alert("down", "webhook", false);
        m.alert("down", "webhook", false);
        let text = m.encode();
        assert!(text.contains("wadash_cycle_seconds 3.125"), "{text}");
        assert!(text.contains(
            "wadash_alerts_total{event=\"down\",channel=\"webhook\",outcome=\"failed\"} 2"
        ));
        assert!(text.contains(
            "wadash_alerts_total{event=\"down\",channel=\"webhook\",outcome=\"sent\"} 1"
        ));
    }

    #[test]
    fn public_addresses_need_the_flag() {
        let local: SocketAddr = "127.0.0.1:9469".parse().unwrap();
        let v6: SocketAddr = "[::1]:9469".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:9469".parse().unwrap();
        assert!(check_address(local, false).is_ok());
        assert!(check_address(v6, false).is_ok());
        let e = check_address(any, false).unwrap_err();
        assert!(e.contains("--metrics-public"), "{e}");
        assert!(check_address(any, true).is_ok());
    }
}
