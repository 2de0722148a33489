//! Per-instance state and its transitions, as plain data: no I/O, and the
//! clock is always passed in, so unit tests drive QR rotation directly.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rand::Rng;
use serde::Serialize;

use super::pairing;

/// How the last profile image reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageSource {
    Multipart,
    Base64,
    Url,
}

/// What the server recorded about the last accepted profile image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageRecord {
    pub source: ImageSource,
    /// Size of the decoded upload (0 for a URL: nothing was fetched).
    pub bytes: usize,
    pub format: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub url: Option<String>,
}

/// One sandbox instance: what the contract's endpoints read and change, and
/// (serialized) what the control routes show.
#[derive(Debug, Clone, Serialize)]
pub struct InstanceState {
    pub id: String,
    pub label: String,
    pub tags: Vec<String>,
    pub active: bool,
    pub name: String,
    pub description: String,
    pub auto_read: bool,
    pub image: Option<ImageRecord>,
    pub webhook: Option<String>,
    pub qr_text: String,
    pub qr_generation: u64,
    /// `--qr-longest`: every code at its longest length.
    #[serde(skip)]
    qr_longest: bool,
    #[serde(skip)]
    qr_issued_at: Instant,
    /// The encoded `QR` value of the current generation, built on first ask.
    #[serde(skip)]
    qr_cache: Option<(u64, Arc<str>)>,
    /// Authenticated requests per endpoint name.
    pub requests: BTreeMap<&'static str, u64>,
}

/// What `disconnect` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disconnected {
    Now,
    Already,
}

impl InstanceState {
    pub fn new(id: String, label: String, tags: Vec<String>, active: bool, now: Instant) -> Self {
        InstanceState {
            name: label.clone(),
            id,
            label,
            tags,
            active,
            description: String::new(),
            auto_read: false,
            image: None,
            webhook: None,
            qr_text: pairing::pairing_text(&mut rand::rng()),
            qr_generation: 1,
            qr_longest: false,
            qr_issued_at: now,
            qr_cache: None,
            requests: BTreeMap::new(),
        }
    }

    /// While unlinked, WhatsApp shows a new pairing code every `rotate`; a
    /// linked instance keeps its last code (nothing to pair).
    pub fn refresh_qr(&mut self, now: Instant, rotate: Duration, rng: &mut impl Rng) {
        if !self.active && now.saturating_duration_since(self.qr_issued_at) >= rotate {
            self.new_qr_cycle(now, rng);
        }
    }

    /// Pairing codes at their longest from now on (`--qr-longest`).
    pub fn with_longest_qr(mut self) -> Self {
        self.qr_longest = true;
        self.qr_text = pairing::pairing_text_of(&mut rand::rng(), true);
        self
    }

    fn new_qr_cycle(&mut self, now: Instant, rng: &mut impl Rng) {
        self.qr_text = pairing::pairing_text_of(rng, self.qr_longest);
        self.qr_generation += 1;
        self.qr_issued_at = now;
        self.qr_cache = None;
    }

    /// The phone scanned the code: linked.
    pub fn scan(&mut self) {
        self.active = true;
    }

    /// The phone unlinked (or the session dropped): a fresh pairing cycle starts.
    pub fn drop_link(&mut self, now: Instant, rng: &mut impl Rng) {
        self.active = false;
        self.new_qr_cycle(now, rng);
    }

    pub fn disconnect(&mut self, now: Instant, rng: &mut impl Rng) -> Disconnected {
        if self.active {
            self.drop_link(now, rng);
            Disconnected::Now
        } else {
            Disconnected::Already
        }
    }

    pub fn cached_qr(&self) -> Option<Arc<str>> {
        match &self.qr_cache {
            Some((generation, value)) if *generation == self.qr_generation => Some(value.clone()),
            _ => None,
        }
    }

    /// Keep an encoded QR, unless the code rotated while it was being encoded.
    pub fn store_qr(&mut self, generation: u64, value: Arc<str>) {
        if generation == self.qr_generation {
            self.qr_cache = Some((generation, value));
        }
    }

    pub fn count(&mut self, endpoint: &'static str) {
        *self.requests.entry(endpoint).or_insert(0) += 1;
    }
}

/// All instances. One short-held std mutex: every critical section is a
/// lookup and a few field writes, never an await, so 1,000 instances polled
/// 64 at a time do not queue on it noticeably.
pub struct Store {
    instances: Mutex<Vec<InstanceState>>,
    /// Id -> position in `instances`; instances are never added or removed.
    index: HashMap<String, usize>,
    pub qr_rotate: Duration,
}

impl Store {
    pub fn new(instances: Vec<InstanceState>, qr_rotate: Duration) -> Self {
        let index = instances
            .iter()
            .enumerate()
            .map(|(at, i)| (i.id.clone(), at))
            .collect();
        Store {
            instances: Mutex::new(instances),
            index,
            qr_rotate,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<InstanceState>> {
        // A poisoned lock only means a panic elsewhere mid-update; the data
        // is still plain values, so keep serving rather than cascade.
        self.instances.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Run `f` on one instance (QR refreshed first), if it exists.
    pub fn with<T>(&self, id: &str, f: impl FnOnce(&mut InstanceState) -> T) -> Option<T> {
        let at = *self.index.get(id)?;
        let now = Instant::now();
        let mut instances = self.lock();
        let inst = instances.get_mut(at)?;
        inst.refresh_qr(now, self.qr_rotate, &mut rand::rng());
        Some(f(inst))
    }

    /// Run `f` on every instance at once (the flapper).
    pub fn with_all<T>(&self, f: impl FnOnce(&mut [InstanceState]) -> T) -> T {
        let mut instances = self.lock();
        f(&mut instances)
    }

    /// Copies of every instance, in start-up order (QRs refreshed first).
    pub fn snapshot(&self) -> Vec<InstanceState> {
        let now = Instant::now();
        let mut rng = rand::rng();
        let mut instances = self.lock();
        for inst in instances.iter_mut() {
            inst.refresh_qr(now, self.qr_rotate, &mut rng);
        }
        instances.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::SmallRng;

    fn inst(active: bool, t0: Instant) -> InstanceState {
        InstanceState::new("ID1".into(), "Tienda Lima".into(), vec![], active, t0)
    }

    #[test]
    fn qr_rotates_only_while_inactive_and_only_after_the_period() {
        let t0 = Instant::now();
        let rotate = Duration::from_secs(20);
        let mut rng = SmallRng::seed_from_u64(7);
        let mut i = inst(false, t0);
        let first = i.qr_text.clone();

        i.refresh_qr(t0 + Duration::from_secs(19), rotate, &mut rng);
        assert_eq!((i.qr_generation, i.qr_text.as_str()), (1, first.as_str()));

        i.refresh_qr(t0 + Duration::from_secs(20), rotate, &mut rng);
        assert_eq!(i.qr_generation, 2);
        assert_ne!(i.qr_text, first);

        i.scan();
        let linked = i.qr_text.clone();
        i.refresh_qr(t0 + Duration::from_secs(300), rotate, &mut rng);
        assert_eq!((i.qr_generation, i.qr_text.as_str()), (2, linked.as_str()));
    }

    #[test]
    fn disconnect_then_disconnect_again() {
        let t0 = Instant::now();
        let mut rng = SmallRng::seed_from_u64(1);
        let mut i = inst(true, t0);
        assert_eq!(i.disconnect(t0, &mut rng), Disconnected::Now);
        assert!(!i.active);
        assert_eq!(i.qr_generation, 2, "a new pairing cycle starts");
        assert_eq!(i.disconnect(t0, &mut rng), Disconnected::Already);
        assert_eq!(i.qr_generation, 2);
    }

    #[test]
    fn scan_and_drop() {
        let t0 = Instant::now();
        let mut rng = SmallRng::seed_from_u64(2);
        let mut i = inst(false, t0);
        i.scan();
        assert!(i.active);
        let before = i.qr_text.clone();
        i.drop_link(t0, &mut rng);
        assert!(!i.active);
        assert_ne!(i.qr_text, before);
    }

    #[test]
    fn qr_cache_is_per_generation() {
        let t0 = Instant::now();
        let mut rng = SmallRng::seed_from_u64(3);
        let mut i = inst(false, t0);
        i.store_qr(1, Arc::from("v1"));
        assert_eq!(i.cached_qr().as_deref(), Some("v1"));
        i.drop_link(t0, &mut rng);
        assert_eq!(i.cached_qr(), None, "stale after a new cycle");
        i.store_qr(1, Arc::from("late"));
        assert_eq!(
            i.cached_qr(),
            None,
            "a late encode of an old code is ignored"
        );
    }

    #[test]
    fn store_counts_and_lists_in_order() {
        let t0 = Instant::now();
        let store = Store::new(
            vec![
                InstanceState::new("B".into(), "b".into(), vec![], true, t0),
                InstanceState::new("A".into(), "a".into(), vec![], false, t0),
            ],
            Duration::from_secs(20),
        );
        store.with("A", |i| i.count("status"));
        store.with("A", |i| i.count("status"));
        assert!(store.with("nope", |i| i.count("status")).is_none());
        let all = store.snapshot();
        assert_eq!(
            all.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(),
            ["B", "A"]
        );
        assert_eq!(all[1].requests.get("status"), Some(&2));
        // The control routes' JSON: public fields only.
        let json = serde_json::to_value(&all[1]).unwrap();
        assert_eq!(json["requests"]["status"], 2);
        assert!(json.get("qr_cache").is_none() && json.get("qr_issued_at").is_none());
    }
}
