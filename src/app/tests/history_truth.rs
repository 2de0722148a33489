//! One truth: the columns and the details pane read the same summary, and
//! "since" comes from the store.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::api::InstanceStatus;
use crate::app::history_truth;
use crate::app::history_view::HistoryView;
use crate::app::msg::Msg;
use crate::app::tests::{app_with, status_done};
use crate::app::update;
use crate::engine::msg::CoreMsg;
use crate::history::query::Listed;
use crate::history::{self, HistoryAnswer, InstanceHistory, State, Summary};

const DAY_MS: i64 = 86_400_000;

fn sum(active: i64, down: i64, drops: u32) -> Summary {
    Summary {
        active,
        down,
        drops,
        ..Summary::default()
    }
}

fn detail(id: &str, now_ms: i64, summary: Summary, open_since: i64, state: State) -> Msg {
    Msg::Core(CoreMsg::History(HistoryAnswer::Instance(Box::new(
        InstanceHistory {
            id: id.into(),
            now_ms,
            window_ms: DAY_MS,
            strip: Vec::new(),
            summary,
            uptimes: [summary.uptime_pct(), None, None],
            periods: vec![Listed {
                state,
                start: open_since,
                end: None,
                detail: None,
                cause: Some("poll".into()),
                qr_to_link_ms: None,
            }],
        },
    ))))
}

fn summaries(map: &[(&str, Summary)]) -> Msg {
    let map: HashMap<String, Summary> = map.iter().map(|(id, s)| (id.to_string(), *s)).collect();
    Msg::Core(CoreMsg::History(HistoryAnswer::Summaries {
        window_ms: DAY_MS,
        map,
    }))
}

#[test]
fn the_columns_show_the_selected_instances_own_summary_whatever_comes_first() {
    let now = Instant::now();
    let mut app = app_with(2, 4, now);
    app.history = HistoryView::new(Duration::from_secs(86_400));
    update(
        &mut app,
        status_done("ID000", now, InstanceStatus::Inactive),
    );
    let id = app.selected_row().unwrap().id.clone();
    let now_ms = history::ms(app.wall_time(now));
    let stale = sum(739, 261, 3);
    let fresh = sum(603, 397, 4);
    update(&mut app, summaries(&[(&id, stale)]));
    update(
        &mut app,
        detail(&id, now_ms, fresh, now_ms - 60_000, State::Inactive),
    );
    assert_eq!(app.history.uptime(&id), fresh.uptime_pct());
    assert_eq!(app.history.drops(&id), Some(4));
    // A later round of the columns does not put the older figure back.
    update(&mut app, summaries(&[(&id, stale)]));
    assert_eq!(app.history.uptime(&id), fresh.uptime_pct());
    assert_eq!(app.history.drops(&id), Some(4));
}

#[test]
fn since_is_the_stores_open_period_not_this_sessions_first_answer() {
    let now = Instant::now();
    let mut app = app_with(2, 4, now);
    app.history = HistoryView::new(Duration::from_secs(86_400));
    let id = app.selected_row().unwrap().id.clone();
    // A restart: this session saw the state 43 s ago; the store has it
    // since an hour ago.
    let seen = now - Duration::from_secs(43);
    update(&mut app, status_done(&id, seen, InstanceStatus::Inactive));
    let now_ms = history::ms(app.wall_time(now));
    update(
        &mut app,
        detail(
            &id,
            now_ms,
            sum(0, 1, 1),
            now_ms - 3_600_000,
            State::Inactive,
        ),
    );
    let row = app.selected_row().unwrap().clone();
    let lasted = history_truth::since(&app, &row, now).unwrap();
    assert!(
        (3_599..=3_601).contains(&lasted.as_secs()),
        "{lasted:?}: the store's hour, not the session's 43 s"
    );
    // A store whose open period is another state: the session's own time.
    update(
        &mut app,
        detail(&id, now_ms, sum(1, 0, 0), now_ms - 3_600_000, State::Active),
    );
    let lasted = history_truth::since(&app, &row, now).unwrap();
    assert!(lasted.as_secs() <= 44, "{lasted:?}");
}

#[test]
fn a_state_change_asks_the_columns_again_soon_not_a_minute_later() {
    let now = Instant::now();
    let mut app = app_with(2, 4, now);
    app.history = HistoryView::new(Duration::from_secs(86_400));
    update(&mut app, status_done("ID001", now, InstanceStatus::Active));
    update(&mut app, summaries(&[]));
    let later = now + Duration::from_secs(1);
    update(
        &mut app,
        status_done("ID001", later, InstanceStatus::Inactive),
    );
    let asks = |fx: &[crate::engine::effect::Effect]| {
        fx.iter()
            .filter(|e| {
                matches!(
                    e,
                    crate::engine::effect::Effect::HistoryQuery(
                        history::HistoryQuery::Summaries { .. }
                    )
                )
            })
            .count()
    };
    let fx = update(&mut app, Msg::tick(now + Duration::from_secs(8)));
    assert_eq!(asks(&fx), 1, "asked again 8 s on, after the change");
}
