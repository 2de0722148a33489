//! The dashboard's `K`: acknowledge the selected instance's down, as
//! `wadash ack ID` does. Held at once in this dashboard's engine; stored
//! (who: `$USER`) for every other dashboard and watcher sharing the file.

use std::time::Duration;

use crate::app::state::{App, FlashKind};
use crate::domain::holds::Ack;
use crate::domain::matcher::Subject;
use crate::engine::alerts::Condition;
use crate::engine::effect::Effect;
use crate::engine::row::Row;

const FLASH: Duration = Duration::from_secs(8);

pub fn acknowledge(app: &mut App, effects: &mut Vec<Effect>) {
    let Some(row) = app.selected_row() else {
        return;
    };
    let (id, label) = (row.id.clone(), row.label.clone());
    let s = app.strings();
    let down = app
        .monitor
        .alerts
        .engine
        .condition(&id)
        .is_some_and(|c| c != Condition::Up);
    if !down {
        app.flash(format!("{label} {}", s.ack_nothing), FlashKind::Info, FLASH);
        return;
    }
    if !app.monitor.alerts.store {
        app.flash(
            format!("{} {label}: {}", s.ack_failed, s.ack_no_store),
            FlashKind::Error,
            FLASH,
        );
        return;
    }
    let by = std::env::var("USER").unwrap_or_default();
    let now = app.wall_time(app.now());
    // Held here at once; the store's copy (with its number) replaces it
    // when the acks are read back.
    let mut acks: Vec<Ack> = app.monitor.alerts.engine.acks();
    acks.push(Ack {
        id: 0,
        instance_id: id.clone(),
        at: now,
        by: by.clone(),
        reason: String::new(),
    });
    app.monitor.alerts.engine.set_acks(acks);
    effects.push(Effect::Acknowledge { instance: id, by });
    app.flash(
        format!("{label}: {}", s.ack_saved),
        FlashKind::Success,
        FLASH,
    );
    app.view_stale = true;
    app.dirty = true;
}

/// The word a row shows before its label when its alerts are held back:
/// silenced, acknowledged, or in a maintenance window.
pub fn row_mark(app: &App, row: &Row) -> Option<&'static str> {
    let s = app.strings();
    if app.monitor.alerts.silence_for(row).is_some() {
        return Some(s.alert_silenced);
    }
    let engine = &app.monitor.alerts.engine;
    if engine.ack_for(&row.id).is_some() {
        return Some(s.alert_acked);
    }
    let subject = Subject {
        id: &row.id,
        label: &row.label,
        tags: &row.tags,
        health: row.health(),
    };
    engine
        .window_for(&subject, app.wall_time(app.now()))
        .map(|_| s.alert_maintenance)
}
