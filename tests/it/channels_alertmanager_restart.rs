//! A `watch` restarted while an instance is down keeps its Alertmanager
//! alert firing: the real `prometheus-alertmanager` still lists it, with its
//! original `startsAt`, well past the 4 × `resend` it would otherwise have
//! run out in; and the relink after the restart resolves it (`endsAt`
//! now, before it would have run out).

use std::time::{Duration, SystemTime};

use crate::channels::{shop_config, two_linked};
use crate::channels_alertmanager::{alerts, ends_at, firing, of, start_alertmanager};
use crate::common::receiver;
use crate::common::watch::Watch;
use nix::sys::signal::Signal;

const RESEND_S: u64 = 2;

async fn wait_firing(am: &crate::channels_alertmanager::Alertmanager, id: &str, want: bool) {
    for _ in 0..150 {
        if firing(&alerts(am).await, id) == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("{id} firing = {} after 30 s: {:?}", !want, alerts(am).await);
}

fn stop(w: &mut Watch) {
    w.signal(Signal::SIGTERM);
    let status = w.wait_exit(Duration::from_secs(10)).expect("watch exits");
    assert_eq!(status.code(), Some(0), "{}", w.stderr());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restarted_watch_keeps_the_alert_firing_and_resolves_it_later() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (recv_url, _got) = receiver::start().await;
    let am = start_alertmanager(&format!("{recv_url}/am")).await;
    let (env, id, _) = two_linked().await;
    let store = tempfile::tempdir().unwrap();
    let alerts_cfg = format!(
        "[history]\npath = \"{}\"\n\n\
         [alerts]\nafter = 2\nresolve_after = 1\ngroup_window = \"1s\"\n\n\
         [[alerts.alertmanager]]\nurl = \"http://wadash:not-a-secret@{}\"\nresend = \"{RESEND_S}s\"\n",
        store.path().join("history.db").display(),
        am.url.trim_start_matches("http://"),
    );
    let config = shop_config(
        &env.sandbox.base_url(),
        &[(&id, "Tienda Lima", "lima")],
        &alerts_cfg,
    );

    let mut first = Watch::spawn(&config, &env.sandbox.api_key, &["--interval", "1s"]);
    first.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    env.control(&id, "drop").await;
    wait_firing(&am, &id, true).await;
    let before = of(&alerts(&am).await, &id).unwrap().clone();
    stop(&mut first);
    // Without the restart's re-sends it runs out by this (4 × resend after
    // the last send).
    let runs_out = ends_at(&of(&alerts(&am).await, &id).unwrap().clone());

    let mut second = Watch::spawn(&config, &env.sandbox.api_key, &["--interval", "1s"]);
    second.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    while SystemTime::now() < runs_out + Duration::from_secs(2 * RESEND_S) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let list = alerts(&am).await;
    assert!(firing(&list, &id), "ran out after the restart: {list:?}");
    let now_firing = of(&list, &id).unwrap();
    assert_eq!(
        now_firing["startsAt"], before["startsAt"],
        "the original start: {now_firing}"
    );
    assert_eq!(now_firing["labels"], before["labels"]);

    // Relinked after the restart: resolved by the second watch.
    env.control(&id, "scan").await;
    let resolved_by = ends_at(now_firing);
    wait_firing(&am, &id, false).await;
    let last = of(&alerts(&am).await, &id).cloned();
    if let Some(last) = last {
        assert!(
            ends_at(&last) < resolved_by,
            "it ran out instead of being resolved: {last}"
        );
    }
    stop(&mut second);
    // The file keeps no credential of the Alertmanager URL.
    for file in std::fs::read_dir(store.path()).unwrap().flatten() {
        let bytes = std::fs::read(file.path()).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("not-a-secret"),
            "a credential in {}",
            file.path().display()
        );
    }
}

/// An instance removed from the config while its alert fires is no longer
/// re-sent after the restart: Alertmanager lets it run out at its `endsAt`
/// (nobody saw it come back, so wadash does not resolve it), instead of
/// firing for ever for a number nobody watches.
#[tokio::test(flavor = "multi_thread")]
async fn an_instance_removed_while_firing_is_no_longer_resent() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (recv_url, _got) = receiver::start().await;
    let am = start_alertmanager(&format!("{recv_url}/am")).await;
    let (env, gone, kept) = two_linked().await;
    let store = tempfile::tempdir().unwrap();
    let alerts_cfg = format!(
        "[history]\npath = \"{}\"\n\n\
         [alerts]\nafter = 2\nresolve_after = 1\ngroup_window = \"1s\"\n\n\
         [[alerts.alertmanager]]\nurl = \"{}\"\nresend = \"{RESEND_S}s\"\n",
        store.path().join("history.db").display(),
        am.url,
    );
    let both = shop_config(
        &env.sandbox.base_url(),
        &[
            (&gone, "Tienda Lima", "lima"),
            (&kept, "Tienda Cusco", "cusco"),
        ],
        &alerts_cfg,
    );
    let mut first = Watch::spawn(&both, &env.sandbox.api_key, &["--interval", "1s"]);
    first.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    env.control(&gone, "drop").await;
    wait_firing(&am, &gone, true).await;
    stop(&mut first);
    let runs_out = ends_at(&of(&alerts(&am).await, &gone).unwrap().clone());

    let only_kept = shop_config(
        &env.sandbox.base_url(),
        &[(&kept, "Tienda Cusco", "cusco")],
        &alerts_cfg,
    );
    let mut second = Watch::spawn(&only_kept, &env.sandbox.api_key, &["--interval", "1s"]);
    second.wait_line("the first round", Duration::from_secs(30), |l| {
        l.contains(" first_round ")
    });
    while SystemTime::now() < runs_out + Duration::from_secs(2 * RESEND_S) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let list = alerts(&am).await;
    assert!(
        !firing(&list, &gone),
        "still re-sent for an instance no longer in the config: {list:?}"
    );
    stop(&mut second);
}
