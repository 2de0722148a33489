//! Maintenance-window times: one-off (`start`, `end`) or recurring
//! (`every = "sun 02:00-04:00"` in a named time zone). Pure: every answer
//! is for a time the caller gives. Offsets and DST come from the tz
//! database through jiff, never from hand-written tables.

use std::time::SystemTime;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;

const DAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

/// When a window is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Calendar {
    Once {
        start: Timestamp,
        end: Timestamp,
    },
    /// On the given weekdays (Monday first), from `start` to `end` local
    /// time; an `end` not after `start` runs past midnight into the next day.
    Every {
        days: [bool; 7],
        start: Time,
        end: Time,
        tz: TimeZone,
    },
}

impl Calendar {
    /// `every = "sun 02:00-04:00"`, `"sat,sun 23:00-01:00"`, `"mon-fri 12:00-12:30"`,
    /// `"daily 03:00-03:15"`; `tz` a tz-database name (None: this machine's zone).
    pub fn every(spec: &str, tz: Option<&str>) -> Result<Calendar, String> {
        let tz = zone(tz)?;
        let mut words = spec.split_whitespace();
        let (Some(days), Some(range), None) = (words.next(), words.next(), words.next()) else {
            return Err(format!(
                "every {spec:?}: write days and a time range, like \"sun 02:00-04:00\" or \"mon-fri 12:00-12:30\""
            ));
        };
        let days = parse_days(days).map_err(|e| format!("every {spec:?}: {e}"))?;
        let Some((start, end)) = range.split_once('-') else {
            return Err(format!(
                "every {spec:?}: the time range needs a dash, like 02:00-04:00"
            ));
        };
        let start = parse_time(start).map_err(|e| format!("every {spec:?}: {e}"))?;
        let end = parse_time(end).map_err(|e| format!("every {spec:?}: {e}"))?;
        if start == end {
            return Err(format!(
                "every {spec:?}: the window starts and ends at the same time"
            ));
        }
        Ok(Calendar::Every {
            days,
            start,
            end,
            tz,
        })
    }

    /// `start = "2026-12-05 02:00"`, `end = "2026-12-05 04:00"`: local time in
    /// `tz` (None: this machine's zone), or RFC 3339 with an offset.
    pub fn once(start: &str, end: &str, tz: Option<&str>) -> Result<Calendar, String> {
        let tz = zone(tz)?;
        let start = instant(start, &tz).map_err(|e| format!("start {start:?}: {e}"))?;
        let end = instant(end, &tz).map_err(|e| format!("end {end:?}: {e}"))?;
        if end <= start {
            return Err("the window ends before it starts".into());
        }
        Ok(Calendar::Once { start, end })
    }

    pub fn contains(&self, at: SystemTime) -> bool {
        let Ok(at) = Timestamp::try_from(at) else {
            return false;
        };
        match self {
            Calendar::Once { start, end } => *start <= at && at < *end,
            Calendar::Every {
                days,
                start,
                end,
                tz,
            } => {
                let today = tz.to_datetime(at).date();
                // A window that began yesterday may still be open.
                [today.yesterday().ok(), Some(today)]
                    .into_iter()
                    .flatten()
                    .filter(|d| days[d.weekday().to_monday_zero_offset() as usize])
                    .any(|d| {
                        let (from, to) = span(d, *start, *end, tz);
                        from <= at && at < to
                    })
            }
        }
    }
}

/// The instants a window starting on local day `d` opens and closes. A
/// local time in a DST gap counts from just after the gap (jiff's
/// "compatible" rule, as calendars do).
fn span(d: Date, start: Time, end: Time, tz: &TimeZone) -> (Timestamp, Timestamp) {
    let end_day = if end <= start {
        d.tomorrow().unwrap_or(d)
    } else {
        d
    };
    let at = |day: Date, t: Time| {
        tz.to_timestamp(DateTime::from_parts(day, t))
            .unwrap_or(Timestamp::MAX)
    };
    (at(d, start), at(end_day, end))
}

fn zone(tz: Option<&str>) -> Result<TimeZone, String> {
    match tz {
        None => Ok(TimeZone::system()),
        Some(name) => TimeZone::get(name.trim()).map_err(|_| {
            format!("tz {name:?} is not a time zone name (write it like \"America/Lima\")")
        }),
    }
}

fn parse_days(text: &str) -> Result<[bool; 7], String> {
    let lower = text.to_ascii_lowercase();
    if lower == "daily" || lower == "*" {
        return Ok([true; 7]);
    }
    let index = |name: &str| {
        DAYS.iter()
            .position(|(short, _)| name.len() >= 3 && long_name(short).starts_with(name))
            .ok_or_else(|| {
                format!("{name:?} is not a day: use mon, tue, wed, thu, fri, sat, sun or daily")
            })
    };
    let mut days = [false; 7];
    for part in lower.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (index(a)?, index(b)?);
                let mut i = a;
                loop {
                    days[i] = true;
                    if i == b {
                        break;
                    }
                    i = (i + 1) % 7;
                }
            }
            None => days[index(part)?] = true,
        }
    }
    Ok(days)
}

fn long_name(short: &str) -> &'static str {
    match short {
        "mon" => "monday",
        "tue" => "tuesday",
        "wed" => "wednesday",
        "thu" => "thursday",
        "fri" => "friday",
        "sat" => "saturday",
        _ => "sunday",
    }
}

fn parse_time(text: &str) -> Result<Time, String> {
    let bad = || format!("{text:?} is not a time of day: write it like 02:00");
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let h: i8 = h.parse().map_err(|_| bad())?;
    let m: i8 = m.parse().map_err(|_| bad())?;
    if h == 24 && m == 0 {
        // "22:00-24:00": to the end of the day.
        return Ok(Time::midnight());
    }
    Time::new(h, m, 0, 0).map_err(|_| bad())
}

fn instant(text: &str, tz: &TimeZone) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    let civil: DateTime = text.parse().map_err(|_| {
        "not a date and time: write it like \"2026-12-05 02:00\" (local to tz) or with an offset".to_string()
    })?;
    tz.to_timestamp(civil).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests;
