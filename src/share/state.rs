//! What the share server knows: one entry per open share (its token, the
//! instance's label, the current code as a PNG, whether the phone linked,
//! when the link expires) and the per-token request limit.
//!
//! The live loop writes here; the routes only read. Nothing else about the
//! instance (its id, account, key) is ever stored, so no route can leak it.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::token::Token;
use crate::i18n::Lang;

/// How long a linked share still shows "linked ✓" (so an open page sees
/// it) before its token answers 404 like any used one.
pub const LINKED_SHOWN: Duration = Duration::from_secs(10);
/// Requests one token may make per [`RATE_WINDOW`]: a page polls every
/// 2 s (30 a minute) plus a picture per code; four times that is plenty
/// for a holder with two tabs and bounds what a leaked link can cost.
pub const RATE_LIMIT: u32 = 120;
pub const RATE_WINDOW: Duration = Duration::from_secs(60);

/// The code on show: its number (1, 2 … as it rotates), PNG, and when the
/// next one is due (the page's countdown).
#[derive(Debug, Clone)]
pub struct LiveCode {
    pub number: u32,
    pub png: Arc<[u8]>,
    pub next_at: Option<Instant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Live,
    Linked {
        at: Instant,
    },
    /// Ended early (the operator stopped it, or the loop gave up).
    Closed,
}

#[derive(Debug)]
struct Entry {
    token: Token,
    label: String,
    lang: Lang,
    ends_at: Instant,
    phase: Phase,
    code: Option<LiveCode>,
    window_start: Instant,
    window_count: u32,
}

/// What a request for a token may see.
#[derive(Debug, Clone)]
pub enum View {
    Live {
        label: String,
        lang: Lang,
        code: Option<LiveCode>,
        ends_at: Instant,
    },
    Linked {
        label: String,
        lang: Lang,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Unknown, expired, used or closed: the same 404 for all.
    Gone,
    /// Over [`RATE_LIMIT`]: wait this long.
    Limited(Duration),
}

/// Every open share of this process (one for `wadash share`, several when
/// a long-running process hosts them).
#[derive(Debug, Default)]
pub struct Shares {
    entries: Mutex<Vec<Entry>>,
}

impl Shares {
    fn lock(&self) -> MutexGuard<'_, Vec<Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Open a share for `label` until `ends_at`.
    pub fn open(&self, token: Token, label: &str, lang: Lang, ends_at: Instant, now: Instant) {
        let mut entries = self.lock();
        entries.retain(|e| servable(e, now));
        entries.push(Entry {
            token,
            label: label.to_string(),
            lang,
            ends_at,
            phase: Phase::Live,
            code: None,
            window_start: now,
            window_count: 0,
        });
    }

    /// Change one share (the live loop's new code, the link, the end).
    pub fn update(&self, token: &Token, f: impl FnOnce(&mut Phase, &mut Option<LiveCode>)) {
        let mut entries = self.lock();
        if let Some(e) = entries.iter_mut().find(|e| e.token == *token) {
            f(&mut e.phase, &mut e.code);
        }
    }

    /// Whether the share still serves its page (live or showing linked).
    pub fn is_served(&self, token: &Token, now: Instant) -> bool {
        self.lock()
            .iter()
            .any(|e| e.token == *token && servable(e, now))
    }

    /// One request for `candidate`: counted against its limit, then what it may see.
    pub fn request(&self, candidate: &str, now: Instant) -> Result<View, Lookup> {
        let mut entries = self.lock();
        // Every entry is compared, so the time taken says nothing about which matched.
        let mut found = None;
        for (i, e) in entries.iter().enumerate() {
            if e.token.matches(candidate) {
                found = Some(i);
            }
        }
        let entry = found.map(|i| &mut entries[i]).ok_or(Lookup::Gone)?;
        if !servable(entry, now) {
            return Err(Lookup::Gone);
        }
        if now.saturating_duration_since(entry.window_start) >= RATE_WINDOW {
            entry.window_start = now;
            entry.window_count = 0;
        }
        entry.window_count += 1;
        if entry.window_count > RATE_LIMIT {
            let wait = RATE_WINDOW.saturating_sub(now - entry.window_start);
            return Err(Lookup::Limited(wait));
        }
        Ok(match entry.phase {
            Phase::Live => View::Live {
                label: entry.label.clone(),
                lang: entry.lang,
                code: entry.code.clone(),
                ends_at: entry.ends_at,
            },
            _ => View::Linked {
                label: entry.label.clone(),
                lang: entry.lang,
            },
        })
    }
}

fn servable(e: &Entry, now: Instant) -> bool {
    match e.phase {
        Phase::Live => now < e.ends_at,
        Phase::Linked { at } => now < at + LINKED_SHOWN,
        Phase::Closed => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_one(now: Instant) -> (Shares, Token) {
        let shares = Shares::default();
        let token = Token::generate().unwrap();
        shares.open(
            token.clone(),
            "Shop",
            Lang::En,
            now + Duration::from_secs(600),
            now,
        );
        (shares, token)
    }

    #[test]
    fn wrong_expired_and_used_tokens_are_gone() {
        let t0 = Instant::now();
        let (shares, token) = open_one(t0);
        assert!(matches!(
            shares.request(token.as_str(), t0),
            Ok(View::Live { .. })
        ));
        assert_eq!(shares.request("nope", t0).unwrap_err(), Lookup::Gone);
        let late = t0 + Duration::from_secs(600);
        assert_eq!(
            shares.request(token.as_str(), late).unwrap_err(),
            Lookup::Gone
        );
        shares.update(&token, |phase, _| *phase = Phase::Linked { at: t0 });
        assert!(matches!(
            shares.request(token.as_str(), t0),
            Ok(View::Linked { .. })
        ));
        let used = t0 + LINKED_SHOWN;
        assert_eq!(
            shares.request(token.as_str(), used).unwrap_err(),
            Lookup::Gone
        );
    }

    #[test]
    fn requests_per_token_are_limited_per_window() {
        let t0 = Instant::now();
        let (shares, token) = open_one(t0);
        for _ in 0..RATE_LIMIT {
            assert!(shares.request(token.as_str(), t0).is_ok());
        }
        let later = t0 + Duration::from_secs(15);
        assert_eq!(
            shares.request(token.as_str(), later).unwrap_err(),
            Lookup::Limited(Duration::from_secs(45))
        );
        assert!(shares.request(token.as_str(), t0 + RATE_WINDOW).is_ok());
    }
}
