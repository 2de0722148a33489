//! Maintenance time is planned time: the part of a down that fell inside a
//! maintenance window (the store's `planned` spells, written while a
//! dashboard or `watch` saw the window open over that instance) counts as
//! `planned`, like a `D` disconnect, not as down time nor as a drop. Up
//! time inside a window stays up time. Pure, like the rest of `uptime`.

use super::{Period, Span, Summary, spans, summarise};

/// A spell as stored: start, end (None while open), the window's name.
pub type Spell = (i64, Option<i64>, String);

/// Spells as closed intervals, sorted; one still open runs to `now`.
pub fn intervals(spells: &[Spell], now: i64) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = spells
        .iter()
        .map(|(start, end, _)| (*start, end.unwrap_or(now).min(now)))
        .filter(|(start, end)| end > start)
        .collect();
    out.sort_unstable();
    out
}

/// Cut every down span at the window borders and mark the inside planned.
pub fn mark(spans: Vec<Span>, windows: &[(i64, i64)]) -> Vec<Span> {
    if windows.is_empty() {
        return spans;
    }
    let mut out = Vec::with_capacity(spans.len() + 2 * windows.len());
    for span in spans {
        if !span.state.is_down() || span.planned {
            out.push(span);
            continue;
        }
        let mut cursor = span.start;
        for &(w0, w1) in windows {
            let (from, to) = (w0.max(cursor), w1.min(span.end));
            if from >= to {
                continue;
            }
            if from > cursor {
                out.push(Span {
                    start: cursor,
                    end: from,
                    ..span
                });
            }
            out.push(Span {
                start: from,
                end: to,
                planned: true,
                ..span
            });
            cursor = to;
        }
        if cursor < span.end {
            out.push(Span {
                start: cursor,
                ..span
            });
        }
    }
    out
}

/// [`super::window_summary`] with the maintenance spells taken off.
pub fn window_summary(periods: &[Period], spells: &[Spell], from: i64, now: i64) -> Summary {
    let windows = intervals(spells, now);
    summarise(&mark(spans(periods, now), &windows), from, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::uptime::State;

    fn closed(state: State, start: i64, end: i64) -> Period {
        Period {
            state,
            start,
            end: Some(end),
            last_seen: end,
            grace: 0,
            planned: false,
        }
    }

    fn spell(start: i64, end: Option<i64>) -> Spell {
        (start, end, "night works".into())
    }

    #[test]
    fn a_down_inside_a_window_is_planned_not_down_nor_a_drop() {
        let periods = [
            closed(State::Active, 0, 100),
            closed(State::Inactive, 100, 200),
            closed(State::Active, 200, 400),
        ];
        let sum = window_summary(&periods, &[spell(50, Some(250))], 0, 400);
        assert_eq!((sum.down, sum.planned, sum.drops), (0, 100, 0));
        assert_eq!(sum.active, 300, "up time in a window stays up time");
        assert_eq!(sum.uptime_pct(), Some(100.0));
        // The same history without the window.
        let plain = window_summary(&periods, &[], 0, 400);
        assert_eq!((plain.down, plain.planned, plain.drops), (100, 0, 1));
    }

    #[test]
    fn a_down_that_outlasts_the_window_counts_the_rest_as_down() {
        let periods = [
            closed(State::Active, 0, 100),
            closed(State::Inactive, 100, 300),
            closed(State::Active, 300, 400),
        ];
        let sum = window_summary(&periods, &[spell(150, Some(250))], 0, 400);
        assert_eq!(sum.planned, 100);
        assert_eq!(sum.down, 100, "before and after the window");
        assert_eq!(sum.drops, 1, "it dropped before the window opened");
        assert_eq!(
            sum.window,
            sum.active + sum.down + sum.planned + sum.unobserved
        );
    }

    #[test]
    fn an_open_spell_runs_to_now_and_several_windows_cut_one_down() {
        let periods = [
            closed(State::Active, 0, 100),
            closed(State::Unknown, 100, 1000),
        ];
        let spells = [spell(200, Some(300)), spell(900, None)];
        let sum = window_summary(&periods, &spells, 0, 1000);
        assert_eq!(sum.planned, 200);
        assert_eq!(sum.down, 700);
        let marked = mark(spans(&periods, 1000), &intervals(&spells, 1000));
        let cuts: Vec<(i64, i64, bool)> =
            marked.iter().map(|s| (s.start, s.end, s.planned)).collect();
        assert_eq!(
            cuts,
            [
                (0, 100, false),
                (100, 200, false),
                (200, 300, true),
                (300, 900, false),
                (900, 1000, true)
            ]
        );
    }
}
