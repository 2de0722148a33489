//! The share page's inline script in a real browser: headless Chromium,
//! driven through the DevTools protocol, opens the page once (phone-sized)
//! and is never told to reload. The screenshot decodes to the sandbox's
//! code; the sandbox rotates and the same open page shows the new code;
//! the phone scans and the same page says "linked ✓" with no QR left.
//! A marker set in the page's window proves it was never reloaded.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::browser::{ensure_browser, zbar_codes};
use crate::common::cdp::Browser;
use crate::share::{sandbox, start_share};

const PHONE: (u32, u32) = (390, 844);
const DESKTOP: (u32, u32) = (1280, 800);
const MARKER: &str = "window.__wadashOpenedOnce";

/// The codes a screenshot of the open page decodes to.
fn codes_now(browser: &mut Browser, dir: &Path) -> Vec<String> {
    let shot = dir.join("shot.png");
    browser.screenshot(&shot);
    zbar_codes(&shot)
}

/// Screenshots until the page shows exactly `code` (the script polls every 2 s).
fn wait_code(browser: &mut Browser, dir: &Path, code: &str, within: Duration) {
    let start = Instant::now();
    loop {
        let codes = codes_now(browser, dir);
        if codes == [code] {
            return;
        }
        assert!(
            start.elapsed() < within,
            "the open page still shows {codes:?}, not {code:?}"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_open_page_follows_the_rotation_and_turns_linked_by_itself() {
    ensure_browser();
    let env = sandbox().await;
    let id = env.id(false);
    let share = start_share(
        &env,
        &id,
        &["--qr-refresh", "1s", "--status-every", "300ms"],
    )
    .await;
    let url = share.url.clone();
    let dir = tempfile::tempdir().unwrap();
    let first = env.state(&id).await["qr_text"]
        .as_str()
        .unwrap()
        .to_string();

    // The browser is blocking; the sandbox and share keep running meanwhile.
    let mut browser = tokio::task::spawn_blocking(move || {
        let mut b = Browser::start();
        b.viewport(PHONE, true);
        b.navigate(&url);
        b.eval(&format!("{MARKER} = true"));
        b
    })
    .await
    .unwrap();
    let shot_dir = dir.path().to_path_buf();
    let (mut browser, shot_dir) = tokio::task::spawn_blocking(move || {
        wait_code(&mut browser, &shot_dir, &first, Duration::from_secs(10));
        // The same page on a desktop-sized window still shows one readable code.
        browser.viewport(DESKTOP, false);
        wait_code(&mut browser, &shot_dir, &first, Duration::from_secs(5));
        browser.viewport(PHONE, true);
        (browser, shot_dir)
    })
    .await
    .unwrap();

    // The sandbox issues a new code; the open page swaps its picture.
    let second = env.control(&id, "drop").await["qr_text"]
        .as_str()
        .unwrap()
        .to_string();
    let (mut browser, shot_dir) = tokio::task::spawn_blocking(move || {
        wait_code(&mut browser, &shot_dir, &second, Duration::from_secs(20));
        assert_eq!(
            browser.eval(MARKER),
            serde_json::json!(true),
            "the page was reloaded"
        );
        (browser, shot_dir)
    })
    .await
    .unwrap();

    // The phone scans: the same page says linked, with no QR left.
    env.control(&id, "scan").await;
    tokio::task::spawn_blocking(move || {
        browser.wait_true(
            "linked on the open page",
            Duration::from_secs(20),
            "(document.getElementById('done') || {}).textContent === 'Linked ✓'",
        );
        assert_eq!(
            browser.eval("document.querySelectorAll('img').length"),
            serde_json::json!(0)
        );
        assert_eq!(browser.eval(MARKER), serde_json::json!(true), "reloaded");
        assert!(
            codes_now(&mut browser, &shot_dir).is_empty(),
            "a QR is left"
        );
    })
    .await
    .unwrap();
    let (code, out) = share.finish(Duration::from_secs(30)).await;
    assert_eq!(code, 0, "{out}");
}
