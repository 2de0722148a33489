//! What the dashboard starts from: everything `App::new` needs.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use crate::engine::monitor::{AccountView, InstanceSeed};
use crate::i18n::Lang;
use crate::keys::rebind::Keymap;
use crate::memory::Memory;

/// Everything `App::new` needs, gathered by the caller.
#[derive(Debug, Clone)]
pub struct AppInit {
    pub accounts: Vec<AccountView>,
    pub instances: Vec<InstanceSeed>,
    pub lang: Lang,
    pub interval: Duration,
    pub concurrency: usize,
    pub bell: bool,
    pub read_only: bool,
    /// The config file add/remove edit; None in the demo (memory only).
    pub config_path: Option<PathBuf>,
    pub memory: Memory,
    pub qr_refresh: Duration,
    pub now: Instant,
    pub wall: SystemTime,
    /// Shown once at start (e.g. a config permission warning).
    pub notice: Option<String>,
    /// The key table with the user's `[keys]`.
    pub keys: Keymap,
}

impl AppInit {
    /// For tests and benches: one account ("main", a masked key, no real
    /// server), English, a 10 s interval, 16 polls at once, no bell, no
    /// config file, the wall clock at the Unix epoch. Change what a test
    /// needs with `AppInit { bell: true, ..AppInit::sample(seeds, now) }`.
    pub fn sample(instances: Vec<InstanceSeed>, now: Instant) -> AppInit {
        AppInit {
            accounts: vec![AccountView {
                name: "main".into(),
                base_url: "https://apiwhatsappweb.com".into(),
                key_masked: "••••abcd".into(),
            }],
            instances,
            lang: Lang::En,
            interval: Duration::from_secs(10),
            concurrency: 16,
            bell: false,
            read_only: false,
            config_path: None,
            memory: Memory::default(),
            qr_refresh: Duration::from_secs(20),
            now,
            wall: SystemTime::UNIX_EPOCH,
            notice: None,
            keys: Keymap::default(),
        }
    }
}
