use std::path::Path;
use std::time::Duration;

use crate::config::Config;

fn parse(text: &str) -> Result<Config, String> {
    Config::parse_str(text, Path::new("wadash.toml")).map_err(|e| e.to_string())
}

#[test]
fn the_documented_example_parses() {
    let config = parse(
        r#"
[[alerts.hook]]
name = "oncall"
command = ["/usr/local/bin/page-oncall", "{id}"]

[[alerts.webhook]]
url = "https://hooks.example.com/x"

[[alerts.escalate]]
after = "30m"
channel = "oncall"

[[alerts.maintenance]]
every = "sun 02:00-04:00"
tz = "America/Lima"
only = "tag:lima"

[[alerts.maintenance]]
name = "christmas"
start = "2026-12-24 22:00"
end = "2026-12-25 06:00"
tz = "Europe/Madrid"
"#,
    )
    .unwrap();
    let a = &config.alerts;
    assert_eq!(a.hooks[0].meta.name.as_deref(), Some("oncall"));
    assert_eq!(a.escalations[0].after, Duration::from_secs(1800));
    assert_eq!(a.escalations[0].channel, "oncall");
    assert_eq!(a.maintenance.len(), 2);
    assert_eq!(a.maintenance[0].name, "maintenance 1");
    assert_eq!(a.maintenance[1].name, "christmas");
    assert_eq!(super::escalation_only(&a.escalations), ["oncall"]);
}

#[test]
fn mistakes_point_at_their_line_and_column() {
    let hook = "[[alerts.hook]]\nname = \"oncall\"\ncommand = [\"x\"]\n";
    let cases = [
        (
            format!("{hook}[[alerts.escalate]]\nafter = \"30m\"\nchannel = \"boss\"\n"),
            "wadash.toml:6:11",
            "names no channel",
        ),
        (
            format!("{hook}[[alerts.escalate]]\nafter = \"soon\"\nchannel = \"oncall\"\n"),
            "wadash.toml:5:9",
            "invalid duration",
        ),
        (
            "[[alerts.maintenance]]\nevery = \"sunday 2am\"\n".to_string(),
            "wadash.toml:2:9",
            "needs a dash",
        ),
        (
            "[[alerts.maintenance]]\nevery = \"funday 02:00-04:00\"\n".to_string(),
            "wadash.toml:2:9",
            "is not a day",
        ),
        (
            "[[alerts.maintenance]]\nevery = \"sun 02:00-04:00\"\ntz = \"Lima\"\n".to_string(),
            "wadash.toml:3:6",
            "not a time zone name",
        ),
        (
            "[[alerts.maintenance]]\nstart = \"2026-12-24 22:00\"\n".to_string(),
            "wadash.toml:2:9",
            "needs both start and end",
        ),
        (
            "[[alerts.maintenance]]\nstart = \"2026-12-24 22:00\"\nend = \"2026-12-24 21:00\"\n"
                .to_string(),
            "wadash.toml:2:9",
            "ends before it starts",
        ),
        (
            "[[alerts.maintenance]]\nevery = \"sun 02:00-04:00\"\nonly = \"status:sleepy\"\n"
                .to_string(),
            "wadash.toml:3:8",
            "unknown status",
        ),
    ];
    for (text, place, words) in cases {
        let err = parse(&text).unwrap_err();
        assert!(err.contains(place), "{place} in {err}");
        assert!(err.contains(words), "{words:?} in {err}");
    }
}
