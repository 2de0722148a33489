//! The time-weighted arithmetic, pure: stored periods in, observed spans,
//! uptime, drops, outages and strips out. No SQL and no clock here, so every
//! edge (window borders, gaps, ongoing periods, a clock that went back) is
//! a plain unit test.
//!
//! Times are Unix milliseconds (`i64`), like the store's columns.

use crate::domain::Seen;

pub mod planned;

/// What a span of time was. `Unobserved` is never stored: it is the time
/// between periods (and after `last_seen + grace`) that nobody checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    Active,
    Inactive,
    Unknown,
    Error,
    Unobserved,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Active => "active",
            State::Inactive => "inactive",
            State::Unknown => "unknown",
            State::Error => "error",
            State::Unobserved => "unobserved",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        Some(match text {
            "active" => State::Active,
            "inactive" => State::Inactive,
            "unknown" => State::Unknown,
            "error" => State::Error,
            _ => return None,
        })
    }

    /// Inactive or unknown: what counts against uptime.
    pub fn is_down(self) -> bool {
        matches!(self, State::Inactive | State::Unknown)
    }
}

impl From<Seen> for State {
    fn from(seen: Seen) -> State {
        match seen {
            Seen::Active => State::Active,
            Seen::Inactive => State::Inactive,
            Seen::Unknown => State::Unknown,
            Seen::Error => State::Error,
        }
    }
}

impl State {
    /// What a check saw, for an observed state.
    pub fn seen(self) -> Option<Seen> {
        Some(match self {
            State::Active => Seen::Active,
            State::Inactive => Seen::Inactive,
            State::Unknown => Seen::Unknown,
            State::Error => Seen::Error,
            State::Unobserved => return None,
        })
    }
}

/// One stored period, as far as the arithmetic cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub state: State,
    pub start: i64,
    /// None while the period is open (the latest one of its instance).
    pub end: Option<i64>,
    /// The last check that saw this state.
    pub last_seen: i64,
    /// How long after `last_seen` the state still counts as observed.
    pub grace: i64,
    /// Down because the operator disconnected it (`D`): planned downtime,
    /// neither a drop nor down time.
    pub planned: bool,
}

impl Period {
    /// Where what was seen stops counting: the recorded end, but never
    /// past `last_seen + grace` (a stopped dashboard does not keep an
    /// instance "up"), nor past `now`, nor before its own start.
    pub fn observed_end(&self, now: i64) -> i64 {
        let end = self
            .end
            .unwrap_or(i64::MAX)
            .min(self.last_seen.saturating_add(self.grace.max(0)))
            .min(now);
        end.max(self.start)
    }
}

/// A stretch of time in one state; `period` is the index of the stored
/// period it came from (None for unobserved gaps).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub state: State,
    pub start: i64,
    pub end: i64,
    pub period: Option<usize>,
    /// From a planned period (see [`Period::planned`]).
    pub planned: bool,
}

impl Span {
    pub fn len(&self) -> i64 {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// The part of this span inside [from, to).
    fn clipped(&self, from: i64, to: i64) -> i64 {
        (self.end.min(to) - self.start.max(from)).max(0)
    }
}

/// Periods (any order) → chronological, non-overlapping spans with the
/// unobserved gaps between them made explicit. Overlaps (a clock stepped
/// back, two writers' rows edited by hand) never count twice: a period is
/// cut where the one before it ended. Zero-length periods vanish.
pub fn spans(periods: &[Period], now: i64) -> Vec<Span> {
    let mut order: Vec<usize> = (0..periods.len()).collect();
    order.sort_by_key(|&i| (periods[i].start, i));
    let mut out: Vec<Span> = Vec::with_capacity(periods.len() + 4);
    let mut cursor: Option<i64> = None;
    for i in order {
        let p = &periods[i];
        let mut start = p.start.min(now);
        let end = p.observed_end(now);
        if let Some(c) = cursor {
            start = start.max(c);
        }
        if end <= start {
            continue;
        }
        if let Some(c) = cursor
            && start > c
        {
            out.push(Span {
                state: State::Unobserved,
                start: c,
                end: start,
                period: None,
                planned: false,
            });
        }
        out.push(Span {
            state: p.state,
            start,
            end,
            period: Some(i),
            planned: p.planned && p.state.is_down(),
        });
        cursor = Some(end);
    }
    out
}

/// An outage's drop time and how long it lasted (until the reconnect, or
/// until the last observation when it is still going on / was not seen to end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drop {
    pub at: i64,
    pub lasted: i64,
    pub ongoing: bool,
}

/// Everything a window says about one instance. All times in ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub window: i64,
    pub active: i64,
    /// Inactive + unknown.
    pub down: i64,
    /// Checks that failed: neither up nor down.
    pub error: i64,
    /// Nobody looked (includes the window before the first period).
    pub unobserved: i64,
    /// Disconnected on purpose (`D`): planned downtime, not counted
    /// against uptime and never a drop.
    pub planned: i64,
    /// Active → inactive/unknown inside the window (errors in between
    /// do not hide a drop; a gap does).
    pub drops: u32,
    /// The longest run of down time inside the window.
    pub longest_down: i64,
    /// Outages whose reconnect was seen inside the window, and their total.
    pub reconnects: u32,
    pub reconnect_total: i64,
    pub last_drop: Option<Drop>,
}

impl Summary {
    pub fn observed(&self) -> i64 {
        self.active + self.down
    }

    /// Time active ÷ (active + down); None when nothing was observed.
    pub fn uptime_pct(&self) -> Option<f64> {
        let observed = self.observed();
        (observed > 0).then(|| self.active as f64 * 100.0 / observed as f64)
    }

    /// Mean time to reconnect, over the reconnects seen in the window.
    pub fn mttr(&self) -> Option<i64> {
        (self.reconnects > 0).then(|| self.reconnect_total / i64::from(self.reconnects))
    }
}

/// The one computation every face reads (columns, details pane, `report`,
/// `history`): periods → spans → the summary of [from, now).
pub fn window_summary(periods: &[Period], from: i64, now: i64) -> Summary {
    summarise(&spans(periods, now), from, now)
}

/// Summarise spans (from [`spans`]) over [from, to).
pub fn summarise(spans: &[Span], from: i64, to: i64) -> Summary {
    let to = to.max(from);
    let mut sum = Summary {
        window: to - from,
        ..Summary::default()
    };
    // The last non-error state seen without a gap since, for drops.
    let mut last_known: Option<State> = None;
    // The outage being walked: when it started, whether that was a drop,
    // and its down time inside the window so far.
    let mut outage: Option<(i64, bool, i64)> = None;
    let mut last_end = from;
    let end_outage = |sum: &mut Summary,
                      outage: &mut Option<(i64, bool, i64)>,
                      reconnect: Option<i64>,
                      last: i64,
                      gap: bool| {
        let Some((start, dropped, down)) = outage.take() else {
            return;
        };
        sum.longest_down = sum.longest_down.max(down);
        if let Some(at) = reconnect
            && at >= from
            && at < to
        {
            sum.reconnects += 1;
            sum.reconnect_total += at - start;
        }
        if dropped && start >= from && start < to {
            sum.last_drop = Some(Drop {
                at: start,
                lasted: reconnect.unwrap_or(last) - start,
                // Cut by a gap: not "so far" (what follows is another
                // observation, whose own "since" the details pane shows).
                ongoing: reconnect.is_none() && !gap,
            });
        }
    };
    for span in spans {
        if span.start >= to {
            break;
        }
        let inside = span.clipped(from, to);
        if span.planned {
            // Like a gap for drops and outages: what follows a planned
            // disconnect is not a drop, and the reconnect is no repair.
            sum.planned += inside;
            end_outage(&mut sum, &mut outage, None, span.start, true);
            last_known = None;
            last_end = span.end.min(to);
            continue;
        }
        match span.state {
            State::Active => sum.active += inside,
            State::Inactive | State::Unknown => sum.down += inside,
            State::Error => sum.error += inside,
            State::Unobserved => {}
        }
        match span.state {
            State::Unobserved => {
                end_outage(&mut sum, &mut outage, None, span.start, true);
                last_known = None;
            }
            State::Error => {}
            State::Active => {
                end_outage(&mut sum, &mut outage, Some(span.start), span.start, false);
                last_known = Some(State::Active);
            }
            State::Inactive | State::Unknown => {
                let dropped = last_known == Some(State::Active);
                if dropped && span.start >= from && span.start < to {
                    sum.drops += 1;
                }
                match &mut outage {
                    Some((_, _, down)) => *down += inside,
                    None => outage = Some((span.start, dropped, inside)),
                }
                last_known = Some(span.state);
            }
        }
        last_end = span.end.min(to);
    }
    // Still going (or the spans ran out): counted up to the last observation.
    let last = last_end;
    if let Some((start, dropped, down)) = outage {
        sum.longest_down = sum.longest_down.max(down);
        if dropped && start >= from && start < to {
            sum.last_drop = Some(Drop {
                at: start,
                lasted: last - start,
                ongoing: true,
            });
        }
    }
    sum.unobserved = (sum.window - sum.active - sum.down - sum.error - sum.planned).max(0);
    sum
}

/// One state per slice of [from, to) cut into `cells` equal slices: any
/// down time makes the slice down (a 2-minute drop must not vanish in an
/// hour's cell); otherwise whichever of active, error and not observed
/// covered the most of it.
pub fn strip(spans: &[Span], from: i64, to: i64, cells: usize) -> Vec<State> {
    if cells == 0 || to <= from {
        return Vec::new();
    }
    let width = (to - from) as f64 / cells as f64;
    let mut out = Vec::with_capacity(cells);
    let mut first = 0;
    for c in 0..cells {
        let c0 = from + (width * c as f64) as i64;
        let c1 = if c + 1 == cells {
            to
        } else {
            from + (width * (c + 1) as f64) as i64
        };
        while first < spans.len() && spans[first].end <= c0 {
            first += 1;
        }
        let (mut active, mut inactive, mut unknown, mut error) = (0i64, 0i64, 0i64, 0i64);
        for span in spans[first..].iter().take_while(|s| s.start < c1) {
            let t = span.clipped(c0, c1);
            match span.state {
                State::Active => active += t,
                State::Inactive => inactive += t,
                State::Unknown => unknown += t,
                State::Error => error += t,
                State::Unobserved => {}
            }
        }
        let unobserved = (c1 - c0) - active - inactive - unknown - error;
        let state = if inactive > 0 || unknown > 0 {
            if inactive >= unknown {
                State::Inactive
            } else {
                State::Unknown
            }
        } else if active >= error && active >= unobserved && active > 0 {
            State::Active
        } else if error >= unobserved && error > 0 {
            State::Error
        } else {
            State::Unobserved
        };
        out.push(state);
    }
    out
}

#[cfg(test)]
mod tests;
