//! What the writer tells the user, worded for the face that shows it: the
//! dashboard flashes it, `watch` logs it, a one-shot command prints it as a
//! warning. Only the ending differs ("the dashboard goes on" means nothing
//! in a log of `watch`).

use std::path::PathBuf;

use rusqlite::ErrorCode;

use crate::i18n::{Lang, Strings};

/// Who shows the notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Dashboard,
    Watch,
    Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Face {
    pub who: Who,
    pub lang: Lang,
}

impl Face {
    pub fn new(who: Who, lang: Lang) -> Face {
        Face { who, lang }
    }

    fn goes_on(&self, s: &Strings) -> &'static str {
        match self.who {
            Who::Dashboard => s.hist_goes_on_dashboard,
            Who::Watch => s.hist_goes_on_watch,
            Who::Command => s.hist_goes_on_command,
        }
    }

    pub fn text(&self, notice: &Notice) -> String {
        let s = self.lang.strings();
        match notice {
            Notice::Off(why) => format!("{}: {why}; {}", s.hist_off, self.goes_on(s)),
            Notice::Damaged { to, reason } => format!(
                "{} {} ({reason}); {}",
                s.hist_damaged,
                to.display(),
                s.hist_new_file
            ),
            Notice::Locked(path) => format!("{} ({})", s.hist_locked, path.display()),
            Notice::LockedDropped(n) => format!("{} ({n})", s.hist_locked_dropped),
            Notice::Unlocked => s.hist_unlocked.to_string(),
            Notice::Paused { why, path } => format!(
                "{}: {why} ({}); {}; {}",
                s.hist_paused,
                path.display(),
                s.hist_retrying,
                self.goes_on(s)
            ),
            Notice::Replaced(path) => format!(
                "{} ({}); {}",
                s.hist_replaced,
                path.display(),
                s.hist_retrying
            ),
            Notice::Truncated { path, kept } => format!(
                "{} ({}, {}); {}",
                s.hist_truncated,
                path.display(),
                kept.display(),
                s.hist_retrying
            ),
            Notice::Resumed { lost } if *lost => {
                format!("{}; {}", s.hist_resumed, s.hist_some_lost)
            }
            Notice::Resumed { .. } => s.hist_resumed.to_string(),
            Notice::Unanswered => s.hist_unanswered.to_string(),
        }
    }

    /// A write error in words (the SQLite text stays for the rest).
    pub fn describe(&self, e: &rusqlite::Error) -> String {
        let s = self.lang.strings();
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => s.hist_disk_full.into(),
            Some(ErrorCode::ReadOnly) => s.hist_read_only.into(),
            Some(ErrorCode::PermissionDenied) => s.hist_permission.into(),
            _ => e.to_string(),
        }
    }
}

impl Default for Face {
    fn default() -> Face {
        Face::new(Who::Command, Lang::En)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Could not open at all: history stays off for this run.
    Off(String),
    Damaged {
        to: PathBuf,
        reason: String,
    },
    Locked(PathBuf),
    LockedDropped(usize),
    Unlocked,
    /// A write failed (full disk, read-only): retried with backoff.
    Paused {
        why: String,
        path: PathBuf,
    },
    /// The file at the path is not the one we opened (or is gone).
    Replaced(PathBuf),
    /// Our file lost its content; what was left is kept as `kept`.
    Truncated {
        path: PathBuf,
        kept: PathBuf,
    },
    Resumed {
        lost: bool,
    },
    Unanswered,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_face_ends_its_notice_in_its_own_words() {
        let paused = Notice::Paused {
            why: "the disk is full".into(),
            path: "/h.db".into(),
        };
        let dash = Face::new(Who::Dashboard, Lang::En).text(&paused);
        let watch = Face::new(Who::Watch, Lang::En).text(&paused);
        assert!(dash.contains("the dashboard goes on"), "{dash}");
        assert!(!watch.contains("dashboard"), "{watch}");
        assert!(watch.contains("alerts go on"), "{watch}");
        let es = Face::new(Who::Watch, Lang::Es).text(&paused);
        assert!(es.contains("historial en pausa"), "{es}");
    }
}
