//! One line per event on stderr, for journald, `nohup` files and log
//! shippers. Plain (logfmt: `key=value`, values quoted when needed) or
//! JSON (one object per line). Under systemd (`JOURNAL_STREAM` set) the
//! plain line starts with the sd-daemon priority (`<4>`) instead of a
//! timestamp, so the journal files it at the right level and does not show
//! two clocks. Nothing here ever formats a key: the fields are ids, labels,
//! statuses and key-free error texts; control characters are escaped, so a
//! server's text can never forge a line or steer a terminal.

use std::io::Write;
use std::time::SystemTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// `2026-12-01T10:00:00Z warn status id=… from=active to=inactive`
    #[default]
    Plain,
    /// `{"ts":"…","level":"warn","event":"status","id":"…",…}`
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }

    /// syslog priorities, as sd-daemon(3) prefixes them.
    fn priority(self) -> u8 {
        match self {
            Level::Info => 6,
            Level::Warn => 4,
            Level::Error => 3,
        }
    }
}

/// A field value: text, or a number shipped as a number in JSON.
#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    Int(i64),
    Float(f64),
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}
impl From<usize> for Value {
    fn from(n: usize) -> Value {
        Value::Int(n as i64)
    }
}
impl From<u64> for Value {
    fn from(n: u64) -> Value {
        Value::Int(n as i64)
    }
}
impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Float(n)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Logger {
    format: LogFormat,
    journald: bool,
}

impl Logger {
    pub fn new(format: LogFormat) -> Logger {
        Logger {
            format,
            journald: std::env::var_os("JOURNAL_STREAM").is_some(),
        }
    }

    pub fn log(&self, level: Level, event: &str, fields: &[(&str, Value)]) {
        let line = self.format_line(SystemTime::now(), level, event, fields);
        // One write per line: lines from concurrent writers never interleave.
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }

    pub fn format_line(
        &self,
        at: SystemTime,
        level: Level,
        event: &str,
        fields: &[(&str, Value)],
    ) -> String {
        let ts = humantime::format_rfc3339_seconds(at).to_string();
        match self.format {
            LogFormat::Json => {
                let mut map = serde_json::Map::new();
                map.insert("ts".into(), ts.into());
                map.insert("level".into(), level.name().into());
                map.insert("event".into(), event.into());
                for (key, value) in fields {
                    let v = match value {
                        Value::Text(s) => serde_json::Value::from(s.as_str()),
                        Value::Int(n) => serde_json::Value::from(*n),
                        Value::Float(x) => serde_json::Number::from_f64(*x)
                            .map(serde_json::Value::Number)
                            .unwrap_or(serde_json::Value::Null),
                    };
                    map.insert((*key).to_string(), v);
                }
                let mut line = serde_json::Value::Object(map).to_string();
                line.push('\n');
                line
            }
            LogFormat::Plain => {
                let mut line = if self.journald {
                    format!("<{}>{} {event}", level.priority(), level.name())
                } else {
                    format!("{ts} {} {event}", level.name())
                };
                for (key, value) in fields {
                    line.push(' ');
                    line.push_str(key);
                    line.push('=');
                    match value {
                        Value::Text(s) => line.push_str(&logfmt_value(s)),
                        Value::Int(n) => line.push_str(&n.to_string()),
                        Value::Float(x) => line.push_str(&format!("{x:.3}")),
                    }
                }
                line.push('\n');
                line
            }
        }
    }
}

/// A logfmt value: bare when safe, else quoted with `\"`, `\\` and every
/// control character escaped.
fn logfmt_value(s: &str) -> String {
    let bare = !s.is_empty()
        && s.chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && c != '"' && c != '=' && c != '\\');
    if bare {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> SystemTime {
        SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000)
    }

    #[test]
    fn plain_lines_are_logfmt_with_hostile_text_escaped() {
        let logger = Logger {
            format: LogFormat::Plain,
            journald: false,
        };
        let line = logger.format_line(
            at(),
            Level::Warn,
            "status",
            &[
                ("id", "ABC".into()),
                ("label", "Tienda Lima".into()),
                ("detail", "bad\n2026 info forged=1\u{1b}[2J \"x\"".into()),
                ("checks", 3usize.into()),
            ],
        );
        assert_eq!(
            line,
            "2027-01-15T08:00:00Z warn status id=ABC label=\"Tienda Lima\" \
             detail=\"bad\\n2026 info forged=1\\u{1b}[2J \\\"x\\\"\" checks=3\n"
        );
        assert_eq!(line.matches('\n').count(), 1);
    }

    #[test]
    fn journald_gets_a_priority_instead_of_a_clock() {
        let logger = Logger {
            format: LogFormat::Plain,
            journald: true,
        };
        let line = logger.format_line(at(), Level::Error, "reload_refused", &[]);
        assert_eq!(line, "<3>error reload_refused\n");
    }

    #[test]
    fn json_lines_parse_and_keep_numbers() {
        let logger = Logger {
            format: LogFormat::Json,
            journald: true,
        };
        let line = logger.format_line(
            at(),
            Level::Info,
            "start",
            &[("instances", 3usize.into()), ("label", "a\u{7}b".into())],
        );
        assert!(line.ends_with('\n') && line.matches('\n').count() == 1);
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["event"], "start");
        assert_eq!(v["level"], "info");
        assert_eq!(v["instances"], 3);
        assert_eq!(v["label"], "a\u{7}b");
        assert_eq!(v["ts"], "2027-01-15T08:00:00Z");
    }
}
