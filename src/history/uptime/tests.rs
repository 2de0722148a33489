use super::*;

const S: i64 = 1000;
const M: i64 = 60 * S;
const H: i64 = 60 * M;

fn closed(state: State, start: i64, end: i64) -> Period {
    Period {
        state,
        start,
        end: Some(end),
        last_seen: end,
        grace: 30 * S,
        planned: false,
    }
}

fn open(state: State, start: i64, last_seen: i64) -> Period {
    Period {
        state,
        start,
        end: None,
        last_seen,
        grace: 30 * S,
        planned: false,
    }
}

#[test]
fn a_period_crossing_both_edges_counts_only_inside() {
    let p = [closed(State::Active, 0, 10 * H)];
    let sum = summarise(&spans(&p, 10 * H), 2 * H, 3 * H);
    assert_eq!((sum.active, sum.down, sum.unobserved), (H, 0, 0));
    assert_eq!(sum.uptime_pct(), Some(100.0));
}

#[test]
fn uptime_is_time_weighted_not_check_counted() {
    // 45 min active, 15 min inactive, 1 drop, reconnected.
    let p = [
        closed(State::Active, 0, 45 * M),
        closed(State::Inactive, 45 * M, 60 * M),
        open(State::Active, 60 * M, 2 * H),
    ];
    let sum = summarise(&spans(&p, 2 * H), 0, H);
    assert_eq!(sum.uptime_pct(), Some(75.0));
    assert_eq!(sum.drops, 1);
    assert_eq!(sum.longest_down, 15 * M);
    assert_eq!(
        sum.mttr(),
        None,
        "the reconnect at 60 min is outside [0, 60 min)"
    );
    let sum = summarise(&spans(&p, 2 * H), 0, 2 * H);
    assert_eq!(sum.mttr(), Some(15 * M));
    assert_eq!(
        sum.last_drop,
        Some(Drop {
            at: 45 * M,
            lasted: 15 * M,
            ongoing: false
        })
    );
}

#[test]
fn gaps_are_neither_up_nor_down_and_break_drops() {
    // Active until 10 min (+30 s grace), nobody looked, then inactive.
    let p = [
        Period {
            state: State::Active,
            start: 0,
            end: Some(10 * M + 30 * S),
            last_seen: 10 * M,
            grace: 30 * S,
            planned: false,
        },
        closed(State::Inactive, 30 * M, 40 * M),
    ];
    let sp = spans(&p, H);
    assert_eq!(sp.len(), 3);
    assert_eq!(sp[1].state, State::Unobserved);
    assert_eq!((sp[1].start, sp[1].end), (10 * M + 30 * S, 30 * M));
    let sum = summarise(&sp, 0, H);
    assert_eq!(sum.drops, 0, "a drop across a gap was not seen");
    assert_eq!(sum.active, 10 * M + 30 * S);
    assert_eq!(sum.down, 10 * M);
    assert_eq!(sum.unobserved, H - sum.active - sum.down);
    assert_eq!(sum.longest_down, 10 * M);
}

#[test]
fn an_open_period_counts_only_up_to_last_seen_plus_grace() {
    let p = [open(State::Active, 0, 10 * M)];
    // The dashboard stopped at 10 min: an hour later, only 10.5 min observed.
    let sum = summarise(&spans(&p, H), 0, H);
    assert_eq!(sum.active, 10 * M + 30 * S);
    assert_eq!(sum.unobserved, H - sum.active);
    // While it is still being watched, it runs up to now.
    let sum = summarise(&spans(&p, 10 * M + 5 * S), 0, 10 * M + 5 * S);
    assert_eq!(sum.active, 10 * M + 5 * S);
}

#[test]
fn an_ongoing_outage_is_the_last_drop_and_counts_as_ongoing() {
    let p = [
        closed(State::Active, 0, 20 * M),
        open(State::Inactive, 20 * M, 50 * M),
    ];
    let sum = summarise(&spans(&p, 50 * M), 0, 50 * M);
    assert_eq!(sum.drops, 1);
    assert_eq!(
        sum.last_drop,
        Some(Drop {
            at: 20 * M,
            lasted: 30 * M,
            ongoing: true
        })
    );
    assert_eq!(sum.reconnects, 0);
    assert_eq!(sum.longest_down, 30 * M);
}

#[test]
fn errors_are_neither_up_nor_down_and_do_not_hide_a_drop() {
    let p = [
        closed(State::Active, 0, 10 * M),
        closed(State::Error, 10 * M, 20 * M),
        closed(State::Inactive, 20 * M, 30 * M),
        closed(State::Error, 30 * M, 40 * M),
        open(State::Active, 40 * M, 60 * M),
    ];
    let sum = summarise(&spans(&p, H), 0, H);
    assert_eq!(sum.error, 20 * M);
    assert_eq!(sum.observed(), 40 * M);
    assert_eq!(sum.uptime_pct(), Some(75.0));
    assert_eq!(sum.drops, 1);
    assert_eq!(sum.mttr(), Some(20 * M), "from the drop to the reconnect");
    // An error alone is no drop.
    let p = [
        closed(State::Active, 0, 10 * M),
        open(State::Error, 10 * M, 20 * M),
    ];
    assert_eq!(summarise(&spans(&p, H), 0, H).drops, 0);
}

#[test]
fn nothing_observed_gives_no_uptime() {
    let sum = summarise(&spans(&[], H), 0, H);
    assert_eq!(sum.uptime_pct(), None);
    assert_eq!(sum.unobserved, H);
    let p = [closed(State::Error, 0, H)];
    assert_eq!(summarise(&spans(&p, H), 0, H).uptime_pct(), None);
}

#[test]
fn a_drop_just_before_the_window_is_not_counted_but_its_down_time_is() {
    let p = [
        closed(State::Active, 0, 50 * M),
        closed(State::Inactive, 50 * M, 70 * M),
        open(State::Active, 70 * M, 2 * H),
    ];
    let sum = summarise(&spans(&p, 2 * H), H, 2 * H);
    assert_eq!(sum.drops, 0);
    assert_eq!(sum.down, 10 * M);
    assert_eq!(sum.longest_down, 10 * M);
    assert_eq!(sum.reconnects, 1, "the reconnect at 70 min is inside");
}

#[test]
fn a_clock_that_went_back_never_counts_time_twice_nor_negative() {
    // A period whose end is before its start, and one overlapping the
    // previous (the clock stepped back 20 minutes).
    let p = [
        closed(State::Active, 0, 30 * M),
        Period {
            state: State::Inactive,
            start: 40 * M,
            end: Some(35 * M),
            last_seen: 35 * M,
            grace: 0,
            planned: false,
        },
        closed(State::Inactive, 10 * M, 45 * M),
    ];
    let sp = spans(&p, H);
    let mut cursor = i64::MIN;
    for s in &sp {
        assert!(s.start >= cursor && s.end > s.start, "{sp:?}");
        cursor = s.end;
    }
    let sum = summarise(&sp, 0, H);
    assert_eq!(sum.active + sum.down + sum.error + sum.unobserved, H);
    assert_eq!(sum.active, 30 * M);
    assert_eq!(sum.down, 15 * M);
    // Periods in the future of `now` are cut at now.
    let future = [closed(State::Active, 0, 10 * H)];
    assert_eq!(summarise(&spans(&future, H), 0, 2 * H).active, H);
}

#[test]
fn the_strip_shows_short_drops_and_gaps() {
    let p = [
        closed(State::Active, 0, 2 * H),
        closed(State::Inactive, 2 * H, 2 * H + 2 * M),
        Period {
            state: State::Active,
            start: 2 * H + 2 * M,
            end: None,
            last_seen: 3 * H,
            grace: 0,
            planned: false,
        },
    ];
    let cells = strip(&spans(&p, 6 * H), 0, 6 * H, 6);
    use State::*;
    assert_eq!(
        cells,
        [Active, Active, Inactive, Unobserved, Unobserved, Unobserved]
    );
    assert!(strip(&[], 0, H, 0).is_empty());
    assert_eq!(strip(&[], 0, H, 3), [Unobserved; 3]);
}

#[test]
fn every_millisecond_of_the_window_is_accounted_for_once() {
    // A pseudo-random mix of periods with gaps; the four buckets always
    // add up to the window, whatever the edges.
    let mut seed = 7u64;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        (seed >> 33) as i64
    };
    let states = [State::Active, State::Inactive, State::Unknown, State::Error];
    let mut p = Vec::new();
    let mut t = 0;
    for _ in 0..200 {
        let len = next() % (20 * M) + 1;
        let gap = if next() % 4 == 0 { next() % (5 * M) } else { 0 };
        let state = states[(next() % 4) as usize];
        p.push(closed(state, t, t + len));
        t += len + gap;
    }
    let sp = spans(&p, t);
    for (from, to) in [(0, t), (t / 3, t / 2), (-H, t + H), (5 * M + 7, 5 * M + 8)] {
        let sum = summarise(&sp, from, to);
        assert_eq!(
            sum.active + sum.down + sum.error + sum.unobserved,
            to - from,
            "{from}..{to}"
        );
        assert!(sum.longest_down <= sum.down);
    }
}

/// A `D` disconnect is planned downtime: not a drop, not down time, not
/// against uptime; a real drop after the reconnect still counts.
#[test]
fn a_planned_disconnect_is_its_own_cause_not_a_drop() {
    let mut planned = closed(State::Inactive, 100, 200);
    planned.planned = true;
    let periods = [
        closed(State::Active, 0, 100),
        planned,
        closed(State::Active, 200, 300),
        closed(State::Inactive, 300, 350),
        open(State::Active, 350, 400),
    ];
    let sum = window_summary(&periods, 0, 400);
    assert_eq!(sum.planned, 100);
    assert_eq!(sum.down, 50);
    assert_eq!(sum.drops, 1, "only the unplanned one");
    assert_eq!(sum.last_drop.map(|d| d.at), Some(300));
    assert_eq!(sum.active, 250);
    assert_eq!(sum.unobserved, 0);
    assert_eq!(sum.uptime_pct(), Some(250.0 * 100.0 / 300.0));
    // Without the mark, the same periods are two drops.
    let mut unplanned = periods;
    unplanned[1].planned = false;
    assert_eq!(window_summary(&unplanned, 0, 400).drops, 2);
}

/// A restart after a clean stop leaves a gap: the drop before it is not
/// "so far" (the pane's "since" is the new period's), and the state seen
/// after the gap is no second drop.
#[test]
fn an_outage_cut_by_a_gap_is_not_ongoing() {
    let p = [
        closed(State::Active, 0, 20 * M),
        closed(State::Inactive, 20 * M, 21 * M),
        open(State::Inactive, 30 * M, 31 * M),
    ];
    let sum = window_summary(&p, 0, 31 * M);
    assert_eq!(sum.drops, 1);
    assert_eq!(
        sum.last_drop,
        Some(Drop {
            at: 20 * M,
            lasted: M,
            ongoing: false
        })
    );
}
