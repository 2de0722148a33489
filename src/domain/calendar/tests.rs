use std::time::SystemTime;

use super::Calendar;

/// A UTC instant, "2026-12-06T07:00:00Z".
fn utc(text: &str) -> SystemTime {
    let ts: jiff::Timestamp = text.parse().unwrap();
    SystemTime::try_from(ts).unwrap()
}

fn open_at(c: &Calendar, times: &[&str]) -> Vec<bool> {
    times.iter().map(|t| c.contains(utc(t))).collect()
}

#[test]
fn sunday_night_in_lima_is_utc_minus_five_all_year() {
    let c = Calendar::every("sun 02:00-04:00", Some("America/Lima")).unwrap();
    // Winter and summer alike: Lima keeps no DST.
    for day in ["2026-12-06", "2026-07-05"] {
        let t = |hm: &str| format!("{day}T{hm}:00Z");
        let times = [t("06:59"), t("07:00"), t("08:59"), t("09:00"), t("02:00")];
        let times: Vec<&str> = times.iter().map(String::as_str).collect();
        assert_eq!(
            open_at(&c, &times),
            [false, true, true, false, false],
            "{day}"
        );
    }
    // Not on Saturday.
    assert!(!c.contains(utc("2026-12-05T07:30:00Z")));
}

#[test]
fn madrid_follows_its_dst_changes() {
    let c = Calendar::every("sun 02:00-04:00", Some("Europe/Madrid")).unwrap();
    // Winter (UTC+1): 01:00-03:00 UTC.
    assert_eq!(
        open_at(
            &c,
            &[
                "2026-12-06T00:59:00Z",
                "2026-12-06T01:00:00Z",
                "2026-12-06T02:59:00Z",
                "2026-12-06T03:00:00Z"
            ]
        ),
        [false, true, true, false]
    );
    // Summer (UTC+2): 00:00-02:00 UTC.
    assert_eq!(
        open_at(
            &c,
            &[
                "2026-07-04T23:59:00Z",
                "2026-07-05T00:00:00Z",
                "2026-07-05T01:59:00Z",
                "2026-07-05T02:00:00Z"
            ]
        ),
        [false, true, true, false]
    );
    // 29 March 2026, clocks jump 02:00 -> 03:00: 02:00 never happens, the
    // window opens at 03:00 CEST (01:00 UTC) and closes at 04:00 CEST.
    assert_eq!(
        open_at(
            &c,
            &[
                "2026-03-29T00:59:00Z",
                "2026-03-29T01:00:00Z",
                "2026-03-29T01:59:00Z",
                "2026-03-29T02:00:00Z"
            ]
        ),
        [false, true, true, false]
    );
    // 25 October 2026, 03:00 CEST -> 02:00 CET: 02:00 happens twice; the
    // window opens at the first (00:00 UTC) and closes at 04:00 CET (03:00 UTC).
    assert_eq!(
        open_at(
            &c,
            &[
                "2026-10-24T23:59:00Z",
                "2026-10-25T00:00:00Z",
                "2026-10-25T02:59:00Z",
                "2026-10-25T03:00:00Z"
            ]
        ),
        [false, true, true, false]
    );
}

#[test]
fn a_window_past_midnight_and_day_lists() {
    let c = Calendar::every("sat 23:00-01:00", Some("UTC")).unwrap();
    assert!(c.contains(utc("2026-12-05T23:30:00Z")), "Saturday night");
    assert!(c.contains(utc("2026-12-06T00:30:00Z")), "into Sunday");
    assert!(!c.contains(utc("2026-12-06T01:00:00Z")));
    assert!(!c.contains(utc("2026-12-06T23:30:00Z")), "not Sunday night");
    let weekdays = Calendar::every("mon-fri 12:00-12:30", Some("UTC")).unwrap();
    assert!(weekdays.contains(utc("2026-12-04T12:10:00Z")), "Friday");
    assert!(!weekdays.contains(utc("2026-12-05T12:10:00Z")), "Saturday");
    let weekend = Calendar::every("Saturday,sun 22:00-24:00", Some("UTC")).unwrap();
    assert!(weekend.contains(utc("2026-12-06T23:59:00Z")));
    assert!(!weekend.contains(utc("2026-12-07T00:00:00Z")));
    let daily = Calendar::every("daily 03:00-03:15", Some("UTC")).unwrap();
    assert!(daily.contains(utc("2026-12-02T03:14:00Z")));
}

#[test]
fn one_off_windows_in_a_zone_or_with_an_offset() {
    let c = Calendar::once("2026-12-05 02:00", "2026-12-05T04:00", Some("America/Lima")).unwrap();
    assert_eq!(
        open_at(
            &c,
            &[
                "2026-12-05T06:59:59Z",
                "2026-12-05T07:00:00Z",
                "2026-12-05T08:59:59Z",
                "2026-12-05T09:00:00Z"
            ]
        ),
        [false, true, true, false]
    );
    let c = Calendar::once("2026-12-05T02:00:00Z", "2026-12-05T04:00:00+01:00", None).unwrap();
    assert!(c.contains(utc("2026-12-05T02:00:00Z")));
    assert!(!c.contains(utc("2026-12-05T02:00:00Z") + std::time::Duration::from_secs(3600)));
}

#[test]
fn malformed_specs_say_what_is_wrong() {
    let cases = [
        (Calendar::every("sun", None), "days and a time range"),
        (Calendar::every("sun 02:00", None), "needs a dash"),
        (Calendar::every("sunny 02:00-04:00", None), "is not a day"),
        (Calendar::every("sun 2am-4am", None), "not a time of day"),
        (
            Calendar::every("sun 25:00-04:00", None),
            "not a time of day",
        ),
        (Calendar::every("sun 02:00-02:00", None), "same time"),
        (
            Calendar::every("sun 02:00-04:00", Some("Lima/Peru")),
            "not a time zone name",
        ),
        (
            Calendar::once("2026-12-05 04:00", "2026-12-05 02:00", Some("UTC")),
            "ends before it starts",
        ),
        (
            Calendar::once("next sunday", "2026-12-05 02:00", Some("UTC")),
            "not a date and time",
        ),
    ];
    for (result, words) in cases {
        let err = result.unwrap_err();
        assert!(err.contains(words), "{words:?} in {err}");
    }
}
