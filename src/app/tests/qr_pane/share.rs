//! `S` in the pane: one share request while there is something to scan,
//! and the link shown in the pane when the worker answers.

use super::*;
use crate::engine::msg::CoreMsg;

fn shares(effects: &[Effect]) -> Vec<(String, String, usize)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Share {
                instance,
                label,
                account,
                ..
            } => Some((instance.clone(), label.clone(), *account)),
            _ => None,
        })
        .collect()
}

#[test]
fn s_asks_for_one_link_and_the_pane_shows_it() {
    let t0 = Instant::now();
    let mut app = app(t0, Some(InstanceStatus::Inactive));
    update(&mut app, key('c'));
    let asked = shares(&update(&mut app, key('S')));
    assert_eq!(asked, [("inst-1".into(), "Tienda Lima".into(), 0)]);
    let url = "http://127.0.0.1:4000/s/abc/".to_string();
    update(
        &mut app,
        CoreMsg::ShareOpened {
            instance: "inst-1".into(),
            result: Ok(url.clone()),
        }
        .into(),
    );
    assert_eq!(pane(&app).share, Some(Ok(url)));
    // One link per pane: a second `S` asks for nothing.
    assert!(shares(&update(&mut app, key('S'))).is_empty());
}

#[test]
fn nothing_to_share_when_already_active_and_failures_are_shown() {
    let t0 = Instant::now();
    let mut app = app(t0, Some(InstanceStatus::Active));
    update(&mut app, key('c'));
    assert!(shares(&update(&mut app, key('S'))).is_empty());

    let mut app = super::app(t0, Some(InstanceStatus::Inactive));
    update(&mut app, key('c'));
    update(&mut app, key('S'));
    update(
        &mut app,
        CoreMsg::ShareOpened {
            instance: "inst-1".into(),
            result: Err("cannot start the share server: denied".into()),
        }
        .into(),
    );
    assert!(matches!(&pane(&app).share, Some(Err(e)) if e.contains("denied")));
    // After a failure `S` may try again.
    assert_eq!(shares(&update(&mut app, key('S'))).len(), 1);
}
