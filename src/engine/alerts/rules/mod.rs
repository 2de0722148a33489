//! The alert engine: status checks in, alert events out. Pure (no I/O, no
//! clock: every input carries its time), so every rule is unit-tested.
//!
//! Per instance it keeps a *condition* (up, down, error) derived from the
//! checks with debouncing, and what the world was *told* (the last event
//! delivered). An event is due whenever the two differ and nothing holds it
//! back (a silence, a flapping spell): this one rule gives late alerts when
//! a silence ends, the right event once flapping settles, and no alert at
//! all for trouble that came and went while silenced.
//!
//! Every event waits in a batch for `group_window` (one polling cycle by
//! default); a batch holding more than [`GROUP_OVER`] events of one kind
//! goes out as one `group` event instead: a vendor outage, not a storm.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, SystemTime};

use crate::domain::Health;
use crate::domain::Seen;
use crate::domain::matcher::{Silence, Subject};
use crate::engine::alerts::event::{AlertEvent, AlertKind};

/// More events of one kind than this in one batch are sent as one group.
pub const GROUP_OVER: usize = 10;
/// How many instances a group's text names before "and N more".
pub const GROUP_NAMES: usize = 5;
/// Flap timestamps kept per instance, at most (enough for any threshold
/// worth setting; bounds memory on a wildly flapping fleet).
const MAX_CHANGES: usize = 256;

mod batch;
mod holds;
mod settings;
mod stored;

pub use settings::Settings;

pub use crate::domain::alert_state::StateRow;
pub use crate::domain::holds::{Ack, Escalation, PlannedMark, Window};

/// What the engine believes about an instance (and what it told).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    Up,
    Down,
    Error,
}

impl Condition {
    pub fn name(self) -> &'static str {
        match self {
            Condition::Up => "up",
            Condition::Down => "down",
            Condition::Error => "error",
        }
    }

    fn kind(self) -> AlertKind {
        match self {
            Condition::Up => AlertKind::Up,
            Condition::Down => AlertKind::Down,
            Condition::Error => AlertKind::Error,
        }
    }
}

/// One status answer, borrowed from the caller's row.
#[derive(Debug, Clone, Copy)]
pub struct Check<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub account: &'a str,
    pub tags: &'a [String],
    pub seen: Seen,
    pub detail: &'a str,
    pub at: SystemTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Info {
    label: String,
    account: String,
    tags: Vec<String>,
}

#[derive(Debug, Clone)]
struct Track {
    /// Unknown for an instance imported from the store and not yet checked:
    /// nothing is sent about it until then.
    info: Option<Info>,
    seen: Option<Seen>,
    detail: String,
    condition: Condition,
    told: Condition,
    /// What the last batch handed out said (`told` runs ahead of it by
    /// the events still waiting in the batch).
    heard: Condition,
    /// Consecutive active / not-active / failed checks. A failed check says
    /// nothing about the instance: it breaks neither of the first two.
    good: u32,
    bad: u32,
    fail: u32,
    /// First not-active or failed check since the last active one.
    trouble_since: Option<SystemTime>,
    /// First active check of the current active streak: when an outage
    /// really ended (an `up` is decided `resolve_after` checks later, but
    /// its `down_for` must agree with the status line's).
    good_since: Option<SystemTime>,
    /// Start of the outage told or being told; kept until both the
    /// condition and what was told are up again.
    outage_since: Option<SystemTime>,
    alerted_at: Option<SystemTime>,
    /// Active ↔ not-active changes within the flap window.
    changes: VecDeque<SystemTime>,
    last_active: Option<bool>,
    flapping: bool,
    /// The flapping alert was sent (not silenced).
    flap_told: bool,
    /// Disconnected on purpose from wadash: its going down is not news,
    /// until it is seen active again.
    expected_down: bool,
    updated_at: SystemTime,
}

impl Track {
    fn new(at: SystemTime) -> Track {
        Track {
            info: None,
            seen: None,
            detail: String::new(),
            condition: Condition::Up,
            told: Condition::Up,
            heard: Condition::Up,
            good: 0,
            bad: 0,
            fail: 0,
            trouble_since: None,
            good_since: None,
            outage_since: None,
            alerted_at: None,
            changes: VecDeque::new(),
            last_active: None,
            flapping: false,
            flap_told: false,
            expected_down: false,
            updated_at: at,
        }
    }

    fn health(&self) -> Health {
        self.seen.map(Seen::health).unwrap_or(Health::NotChecked)
    }

    fn prune(&mut self, now: SystemTime, window: Duration) {
        let horizon = now.checked_sub(window).unwrap_or(SystemTime::UNIX_EPOCH);
        while self.changes.front().is_some_and(|&t| t < horizon) {
            self.changes.pop_front();
        }
    }
}

#[derive(Debug, Clone)]
pub struct Engine {
    settings: Settings,
    /// Boxed: a `Track` is a few hundred bytes, and the map keeps up to
    /// twice as many slots as entries (10,000 instances: 4.2 MB unboxed).
    tracks: HashMap<String, Box<Track>>,
    silences: Vec<Silence>,
    /// Events decided, waiting for the group window to close.
    pending: Vec<AlertEvent>,
    pending_since: Option<SystemTime>,
    /// Instances whose stored state changed since `take_changed`.
    changed: HashSet<String>,
    now: SystemTime,
    /// Acks, maintenance windows, escalation.
    holds: holds::Holds,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(Settings::default())
    }
}

impl Engine {
    pub fn new(settings: Settings) -> Engine {
        let settings = Settings {
            after: settings.after.max(1),
            resolve_after: settings.resolve_after.max(1),
            ..settings
        };
        Engine {
            settings,
            tracks: HashMap::new(),
            silences: Vec::new(),
            pending: Vec::new(),
            pending_since: None,
            changed: HashSet::new(),
            now: SystemTime::UNIX_EPOCH,
            holds: holds::Holds::default(),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// New settings (a config reload); what is known about instances stays.
    pub fn set_settings(&mut self, settings: Settings) {
        let tracks = std::mem::take(&mut self.tracks);
        let silences = std::mem::take(&mut self.silences);
        let pending = std::mem::take(&mut self.pending);
        *self = Engine {
            tracks,
            silences,
            pending,
            pending_since: self.pending_since,
            changed: std::mem::take(&mut self.changed),
            now: self.now,
            holds: std::mem::take(&mut self.holds),
            ..Engine::new(settings)
        };
    }

    /// Feed one status answer. Events are decided here but wait in the
    /// batch; [`Engine::tick`] hands them out.
    pub fn observe(&mut self, check: Check<'_>) {
        let settings = self.settings.clone();
        let track = self
            .tracks
            .entry(check.id.to_string())
            .or_insert_with(|| Box::new(Track::new(check.at)));
        // Compared, not cloned: thousands of checks a second mostly change nothing.
        let same = track.info.as_ref().is_some_and(|i| {
            i.label == check.label && i.account == check.account && i.tags == check.tags
        });
        if !same {
            track.info = Some(Info {
                label: check.label.to_string(),
                account: check.account.to_string(),
                tags: check.tags.to_vec(),
            });
        }
        track.seen = Some(check.seen);
        track.detail.clear();
        track.detail.push_str(check.detail);
        let at = check.at;
        match check.seen {
            Seen::Active => {
                if track.good == 0 {
                    track.good_since = Some(at);
                }
                track.good += 1;
                track.bad = 0;
                track.fail = 0;
                track.trouble_since = None;
            }
            Seen::Inactive | Seen::Unknown => {
                track.bad += 1;
                track.good = 0;
                track.fail = 0;
                track.trouble_since.get_or_insert(at);
            }
            Seen::Error => {
                track.fail += 1;
                track.trouble_since.get_or_insert(at);
            }
        }
        if check.seen != Seen::Error {
            let active = check.seen == Seen::Active;
            if track.last_active.is_some_and(|was| was != active) {
                track.changes.push_back(at);
                if track.changes.len() > MAX_CHANGES {
                    track.changes.pop_front();
                }
            }
            track.last_active = Some(active);
        }
        let before = track.condition;
        // Only this check's own kind can move the condition: the counts of
        // the other kinds survive a failed spell, and must not fire on it.
        match check.seen {
            Seen::Active if track.good >= settings.resolve_after => {
                track.condition = Condition::Up;
            }
            Seen::Inactive | Seen::Unknown if track.bad >= settings.after => {
                track.condition = Condition::Down;
            }
            // Not being able to look does not change a known down: it stays
            // down (one page per outage), and only active checks end it.
            Seen::Error if track.condition == Condition::Up && track.fail >= settings.after => {
                track.condition = Condition::Error;
                // Up again takes `resolve_after` fresh active checks.
                track.good = 0;
            }
            _ => {}
        }
        if before == Condition::Up && track.condition != Condition::Up {
            let start = track.trouble_since.unwrap_or(at);
            track.outage_since.get_or_insert(start);
        }
        track.prune(at, settings.flap_window);
        let id = check.id.to_string();
        if settings.flap_changes > 0
            && !track.flapping
            && track.changes.len() > settings.flap_changes as usize
        {
            track.flapping = true;
            track.updated_at = at;
            self.changed.insert(id.clone());
            let track = &self.tracks[&id];
            if !self.silenced_track(&id, track, at) && !self.acked(&id) {
                let event = self.event_for(&id, AlertKind::Flapping, at);
                let track = self.tracks.get_mut(&id).expect("just seen");
                track.flap_told = true;
                track.alerted_at = Some(at);
                if let Some(event) = event {
                    self.push(event);
                }
            }
        }
        self.reconcile(&id, at);
    }

    /// The clock moved: settle flapping spells, send what silences held back
    /// once they end, remind, and hand out the batch once its window closed.
    pub fn tick(&mut self, now: SystemTime) -> Vec<AlertEvent> {
        self.now = now;
        let settings = self.settings.clone();
        let ids: Vec<String> = self.tracks.keys().cloned().collect();
        for id in ids {
            let track = self.tracks.get_mut(&id).expect("listed");
            if track.flapping {
                track.prune(now, settings.flap_window);
                if track.changes.len() <= settings.flap_changes as usize / 2 {
                    track.flapping = false;
                    track.flap_told = false;
                    track.updated_at = now;
                    self.changed.insert(id.clone());
                }
            }
            self.reconcile(&id, now);
            self.escalate(&id, now);
            self.remind(&id, now);
            self.mark_planned(&id, now);
        }
        self.flush(now)
    }

    /// Replace the silences (read again from the store now and then).
    pub fn set_silences(&mut self, silences: Vec<Silence>) {
        self.silences = silences;
    }

    pub fn silences(&self) -> &[Silence] {
        &self.silences
    }

    /// The silence (active at the last tick) that covers this instance.
    pub fn silence_for(&self, subject: &Subject<'_>) -> Option<&Silence> {
        self.silences
            .iter()
            .find(|s| s.active_at(self.now) && s.matcher.matches(subject))
    }

    /// Whether this instance is flapping (its alerts held back).
    pub fn is_flapping(&self, id: &str) -> bool {
        self.tracks.get(id).is_some_and(|t| t.flapping)
    }

    /// What the engine believes about this instance now.
    pub fn condition(&self, id: &str) -> Option<Condition> {
        self.tracks.get(id).map(|t| t.condition)
    }

    /// The user disconnected this instance from wadash and the server
    /// agreed: no `down` for it (nor an `up` once it is linked again),
    /// since nobody needs telling what they just did. A `down` already
    /// queued for it is dropped.
    pub fn expect_down(&mut self, id: &str, at: SystemTime) {
        let after = self.settings.after;
        let t = self
            .tracks
            .entry(id.to_string())
            .or_insert_with(|| Box::new(Track::new(at)));
        t.expected_down = true;
        // Down now, as the server just agreed: only `resolve_after` active
        // checks end the spell (a poll answered just before is not one).
        if t.condition != Condition::Down {
            t.condition = Condition::Down;
            t.bad = after;
            t.good = 0;
            t.trouble_since.get_or_insert(at);
        }
        t.updated_at = at;
        // Trouble still waiting in its batch was never heard: take it back,
        // and what was told is what was heard.
        if self.take_back_trouble(id) {
            let told = self.will_hear(id);
            let t = self.tracks.get_mut(id).expect("inserted above");
            t.told = told;
            if told == Condition::Up {
                t.alerted_at = None;
            }
        }
        self.changed.insert(id.to_string());
    }

    /// Whether this instance was disconnected on purpose and not linked since.
    pub fn is_expected_down(&self, id: &str) -> bool {
        self.tracks.get(id).is_some_and(|t| t.expected_down)
    }

    /// An instance left the config: forget it (and drop its queued events).
    pub fn forget(&mut self, id: &str) {
        self.tracks.remove(id);
        self.pending.retain(|e| e.id != id);
        self.forget_holds(id);
    }
    fn silenced_track(&self, id: &str, t: &Track, now: SystemTime) -> bool {
        let Some(info) = &t.info else { return false };
        let subject = Subject {
            id,
            label: &info.label,
            tags: &info.tags,
            health: t.health(),
        };
        self.silences
            .iter()
            .any(|s| s.active_at(now) && s.matcher.matches(&subject))
            || self.in_window(id, now)
    }

    /// Announce the condition if it differs from what was told and nothing
    /// holds it back.
    fn reconcile(&mut self, id: &str, at: SystemTime) {
        let Some(t) = self.tracks.get_mut(id) else {
            return;
        };
        if t.expected_down {
            match t.condition {
                // Linked again: the deliberate spell is over, quietly.
                Condition::Up => {
                    t.expected_down = false;
                    t.updated_at = at;
                    self.changed.insert(id.to_string());
                }
                // Nothing new: the user did it (anyone told of trouble
                // before hears the `up` once it is linked again).
                Condition::Down => return,
                Condition::Error => {}
            }
        }
        let Some(t) = self.tracks.get(id) else { return };
        if t.condition == t.told || t.flapping || t.info.is_none() {
            if t.condition == Condition::Up && t.told == Condition::Up && !t.flapping {
                self.tracks.get_mut(id).expect("seen").outage_since = None;
            }
            return;
        }
        if self.silenced_track(id, t, at) || !self.may_tell(t) {
            return;
        }
        // Acknowledged: only the up is news.
        if t.condition != Condition::Up && self.acked(id) {
            return;
        }
        let kind = t.condition.kind();
        let Some(event) = self.event_for(id, kind, at) else {
            return;
        };
        let t = self.tracks.get_mut(id).expect("seen");
        t.told = t.condition;
        t.alerted_at = Some(at);
        t.updated_at = at;
        if t.condition == Condition::Up {
            t.outage_since = None;
        }
        self.changed.insert(id.to_string());
        self.push(event);
    }

    /// Whether announcing the condition now keeps the promises: an `up`
    /// only on the evidence of the latest checks (a silence or a flapping
    /// spell may end after the streak broke, or while checks fail), and
    /// nothing but an `up` after a `down`, so one outage pages once.
    fn may_tell(&self, t: &Track) -> bool {
        match t.condition {
            Condition::Up => t.good >= self.settings.resolve_after && t.seen == Some(Seen::Active),
            Condition::Error => t.told != Condition::Down,
            Condition::Down => true,
        }
    }

    fn remind(&mut self, id: &str, now: SystemTime) {
        let Some(every) = self.settings.remind_every else {
            return;
        };
        let Some(t) = self.tracks.get(id) else { return };
        let due = !t.flapping
            && t.told != Condition::Up
            && t.condition == t.told
            && t.info.is_some()
            && t.alerted_at.is_some_and(|last| last + every <= now);
        if !due || self.silenced_track(id, t, now) || self.acked(id) {
            return;
        }
        if let Some(event) = self.event_for(id, AlertKind::Reminder, now) {
            let t = self.tracks.get_mut(id).expect("seen");
            t.alerted_at = Some(now);
            self.changed.insert(id.to_string());
            self.push(event);
        }
    }

    fn event_for(&self, id: &str, kind: AlertKind, at: SystemTime) -> Option<AlertEvent> {
        let t = self.tracks.get(id)?;
        let info = t.info.as_ref()?;
        let since = match kind {
            AlertKind::Flapping => t.changes.front().copied().unwrap_or(at),
            _ => t.outage_since.or(t.trouble_since).unwrap_or(at),
        };
        let detail = match kind {
            AlertKind::Flapping => format!(
                "{} changes within {}",
                t.changes.len(),
                humantime::format_duration(self.settings.flap_window)
            ),
            _ => t.detail.clone(),
        };
        Some(AlertEvent {
            kind,
            id: id.to_string(),
            label: info.label.clone(),
            account: info.account.clone(),
            tags: info.tags.clone(),
            status: t.seen.map(Seen::name).unwrap_or("unknown").to_string(),
            detail,
            since,
            at,
            down_for: match kind {
                // Down until the first of the active checks that ended it.
                AlertKind::Up => {
                    let end = t.good_since.filter(|&g| g >= since).unwrap_or(at);
                    Some(end.duration_since(since).unwrap_or_default())
                }
                AlertKind::Reminder => Some(at.duration_since(since).unwrap_or_default()),
                _ => None,
            },
            grouped: None,
            members: Vec::new(),
            to: None,
        })
    }
}

#[cfg(test)]
mod outage_tests;
#[cfg(test)]
mod props_tests;
#[cfg(test)]
mod tests;
