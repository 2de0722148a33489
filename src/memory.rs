//! What wadash last set on each instance, with when.
//!
//! The API has no read-back for name, description, picture, auto-read or
//! webhook, so the only way to show "current" values (and prefill forms) is
//! to remember what we set successfully. Kept in `state.toml` beside the
//! config file; written atomically with mode 0600. A file that fails to parse
//! is renamed aside, never overwritten, and wadash starts empty.
//!
//! Times are stored as RFC 3339 UTC with whole seconds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// File name of the state file, beside the config file.
pub const STATE_FILE_NAME: &str = "state.toml";
/// A state file larger than this is not ours (or is corrupt): moved aside.
const MAX_STATE_BYTES: u64 = 4 * 1024 * 1024;

const HEADER: &str = "# wadash state: the last values wadash set on each instance, with when\n\
# (the API cannot read them back). Written by wadash; safe to delete.\n\n";

/// A value and when it was set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamped<T> {
    pub value: T,
    #[serde(with = "rfc3339")]
    pub at: SystemTime,
}

/// Everything remembered about one instance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Stamped<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Stamped<String>>,
    /// Source description: a path, a URL, or "base64 (N chars)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<Stamped<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_read: Option<Stamped<bool>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<Stamped<String>>,
}

#[derive(Default, Serialize, Deserialize)]
struct StateFile {
    #[serde(default)]
    instance: BTreeMap<String, Remembered>,
}

/// What `load` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadOutcome {
    /// No state file yet.
    Fresh,
    Loaded,
    /// The file could not be used; it was renamed to `to` and wadash starts
    /// empty. Tell the user.
    MovedAside {
        to: PathBuf,
        reason: String,
    },
    /// The file could not be used nor moved aside: wadash starts empty and
    /// will not save over it (saves return an error). Tell the user.
    Unusable {
        reason: String,
    },
}

/// Per-instance memory of what was set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Memory {
    instances: BTreeMap<String, Remembered>,
    /// Set when a broken file could not be moved aside: saving would lose it.
    save_blocked: Option<String>,
    /// Ids forgotten since load: a save drops them from the file too (a
    /// save merges with the file, so absence alone means nothing).
    forgotten: BTreeSet<String>,
}

impl Memory {
    /// `<config dir>/state.toml`.
    pub fn path_beside(config_path: &Path) -> PathBuf {
        match config_path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.join(STATE_FILE_NAME),
            _ => PathBuf::from(STATE_FILE_NAME),
        }
    }

    /// Load the state file. Never fails: a missing file gives an empty memory,
    /// a broken one is moved aside (see [`LoadOutcome`]).
    pub fn load(path: &Path) -> (Memory, LoadOutcome) {
        let text = match read_bounded(path) {
            Ok(Some(text)) => text,
            Ok(None) => return (Memory::default(), LoadOutcome::Fresh),
            Err(reason) => return move_aside(path, reason),
        };
        match toml::from_str::<StateFile>(&text) {
            Ok(file) => (
                Memory {
                    instances: file.instance,
                    ..Memory::default()
                },
                LoadOutcome::Loaded,
            ),
            Err(e) => move_aside(path, describe_parse_error(&text, &e)),
        }
    }

    pub fn get(&self, id: &str) -> Option<&Remembered> {
        self.instances.get(id)
    }

    pub fn is_empty(&self) -> bool {
        self.instances.is_empty()
    }

    /// All instances with something remembered, by id.
    pub fn instances(&self) -> impl Iterator<Item = (&str, &Remembered)> {
        self.instances.iter().map(|(id, r)| (id.as_str(), r))
    }

    /// Drop everything about an instance (e.g. removed from the config).
    pub fn forget(&mut self, id: &str) -> Option<Remembered> {
        self.forgotten.insert(id.to_string());
        self.instances.remove(id)
    }

    fn entry(&mut self, id: &str) -> &mut Remembered {
        self.forgotten.remove(id);
        self.instances.entry(id.to_string()).or_default()
    }

    pub fn record_name(&mut self, id: &str, v: String, at: SystemTime) {
        self.entry(id).name = Some(Stamped { value: v, at });
    }

    pub fn record_description(&mut self, id: &str, v: String, at: SystemTime) {
        self.entry(id).description = Some(Stamped { value: v, at });
    }

    /// `v` describes the source (see `ImageSource::describe`), never the bytes.
    pub fn record_picture(&mut self, id: &str, v: String, at: SystemTime) {
        self.entry(id).picture = Some(Stamped { value: v, at });
    }

    pub fn record_auto_read(&mut self, id: &str, v: bool, at: SystemTime) {
        self.entry(id).auto_read = Some(Stamped { value: v, at });
    }

    pub fn record_webhook(&mut self, id: &str, v: String, at: SystemTime) {
        self.entry(id).webhook = Some(Stamped { value: v, at });
    }

    /// Write atomically, mode 0600 (see `config::files::atomic_write`),
    /// unless the file on disk is one that could be neither read nor moved
    /// aside. Under the directory's lock, the file is re-read and merged
    /// first (the newer value of each field wins, forgotten ids are dropped),
    /// so a dashboard and a CLI saving at once keep both their changes.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(reason) = &self.save_blocked {
            return Err(std::io::Error::other(format!(
                "not saving over {}: it could not be read or moved aside ({reason})",
                path.display()
            )));
        }
        let held = crate::config::lock::lock_for(path)?;
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
            return Err(std::io::Error::other(format!(
                "not saving over {}: it is a directory",
                path.display()
            )));
        }
        let (on_disk, outcome) = Memory::load(path);
        if let LoadOutcome::Unusable { reason } = outcome {
            return Err(std::io::Error::other(format!(
                "not saving over {}: {reason}",
                path.display()
            )));
        }
        let mut instances = on_disk.instances;
        for id in &self.forgotten {
            instances.remove(id);
        }
        for (id, mine) in &self.instances {
            let merged = instances.entry(id.clone()).or_default();
            merged.merge_newer(mine);
        }
        let body = toml::to_string(&StateFile {
            instance: instances,
        })
        .map_err(std::io::Error::other)?;
        crate::config::files::atomic_write(path, format!("{HEADER}{body}").as_bytes(), &held)
    }
}

impl Remembered {
    /// Takes each of `other`'s fields that is newer than (or as new as) ours.
    fn merge_newer(&mut self, other: &Remembered) {
        fn pick<T: Clone>(ours: &mut Option<Stamped<T>>, theirs: &Option<Stamped<T>>) {
            if let Some(t) = theirs
                && ours.as_ref().is_none_or(|o| o.at <= t.at)
            {
                *ours = Some(t.clone());
            }
        }
        pick(&mut self.name, &other.name);
        pick(&mut self.description, &other.description);
        pick(&mut self.picture, &other.picture);
        pick(&mut self.auto_read, &other.auto_read);
        pick(&mut self.webhook, &other.webhook);
    }
}

/// Ok(None) when there is no file; Err(reason) when it cannot be used.
fn read_bounded(path: &Path) -> Result<Option<String>, String> {
    match crate::config::files::read_bounded(path, MAX_STATE_BYTES, "wadash state file") {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot be read: {e}")),
    }
}

fn describe_parse_error(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim();
    match e.span() {
        Some(span) => {
            let (line, column) = crate::config::line_column(text, span.start);
            format!("line {line}, column {column}: {message}")
        }
        None => message.to_string(),
    }
}

/// Rename a bad file to `<name>.broken-<unix time>` (with a counter if that
/// exists) so nothing is lost; start empty either way.
fn move_aside(path: &Path, reason: String) -> (Memory, LoadOutcome) {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = path.file_name().map_or_else(
        || STATE_FILE_NAME.into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut target = path.with_file_name(format!("{name}.broken-{secs}"));
    let mut n = 1;
    while target.exists() && n < 100 {
        target = path.with_file_name(format!("{name}.broken-{secs}-{n}"));
        n += 1;
    }
    match std::fs::rename(path, &target) {
        Ok(()) => (
            Memory::default(),
            LoadOutcome::MovedAside { to: target, reason },
        ),
        Err(e) => {
            let reason = format!("{reason}; moving it aside failed: {e}");
            (
                Memory {
                    save_blocked: Some(reason.clone()),
                    ..Memory::default()
                },
                LoadOutcome::Unusable { reason },
            )
        }
    }
}

/// RFC 3339 UTC, whole seconds. Times outside 1970..=9999 are clamped, since
/// the formatter cannot represent them (and must not panic).
mod rfc3339 {
    use super::*;
    use serde::{Deserializer, Serializer};

    const LAST_SECOND_OF_9999: u64 = 253_402_300_799;

    pub fn serialize<S: Serializer>(at: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
        let secs = at
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
            .min(LAST_SECOND_OF_9999);
        let clamped = UNIX_EPOCH + Duration::from_secs(secs);
        s.serialize_str(&humantime::format_rfc3339_seconds(clamped).to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SystemTime, D::Error> {
        let text = String::deserialize(d)?;
        humantime::parse_rfc3339_weak(&text)
            .map_err(|e| serde::de::Error::custom(format!("bad time {text:?}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn dir_names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn path_beside_config() {
        assert_eq!(
            Memory::path_beside(Path::new("/home/u/.config/wadash/config.toml")),
            PathBuf::from("/home/u/.config/wadash/state.toml")
        );
        assert_eq!(
            Memory::path_beside(Path::new("config.toml")),
            PathBuf::from("state.toml")
        );
    }

    #[test]
    fn missing_file_is_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let (mem, outcome) = Memory::load(&dir.path().join("state.toml"));
        assert_eq!(outcome, LoadOutcome::Fresh);
        assert!(mem.is_empty());
    }

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        let mut mem = Memory::default();
        mem.record_name("inst-1", "Tienda Lima".into(), t(1_700_000_000));
        mem.record_description(
            "inst-1",
            "Ventas \"por mayor\"\nLima".into(),
            t(1_700_000_100),
        );
        mem.record_picture("inst-1", "base64 (1234 chars)".into(), t(1_700_000_200));
        mem.record_auto_read("inst-1", true, t(1_700_000_300));
        mem.record_webhook(
            "inst.2 [x]",
            "https://hooks.example.com/a".into(),
            t(1_700_000_400),
        );
        mem.record_auto_read("inst.2 [x]", false, t(1_700_000_500));
        mem.save(&path).unwrap();

        let (loaded, outcome) = Memory::load(&path);
        assert_eq!(outcome, LoadOutcome::Loaded);
        assert_eq!(loaded, mem);
        let one = loaded.get("inst-1").unwrap();
        assert_eq!(one.name.as_ref().unwrap().value, "Tienda Lima");
        assert_eq!(one.auto_read.as_ref().unwrap().at, t(1_700_000_300));
        assert!(one.webhook.is_none());
        assert!(loaded.get("other").is_none());

        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("2023-11-14T22:13:20Z"), "{text}");
    }

    #[test]
    fn later_record_replaces_earlier() {
        let mut mem = Memory::default();
        mem.record_name("a", "old".into(), t(10));
        mem.record_name("a", "new".into(), t(20));
        let name = mem.get("a").unwrap().name.clone().unwrap();
        assert_eq!((name.value.as_str(), name.at), ("new", t(20)));
    }

    #[test]
    fn out_of_range_times_are_clamped_not_panicking() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        let mut mem = Memory::default();
        mem.record_name("a", "x".into(), UNIX_EPOCH - Duration::from_secs(5));
        mem.record_description("a", "y".into(), t(400_000_000_000));
        mem.save(&path).unwrap();
        let (loaded, _) = Memory::load(&path);
        let r = loaded.get("a").unwrap();
        assert_eq!(r.name.as_ref().unwrap().at, UNIX_EPOCH);
        assert_eq!(r.description.as_ref().unwrap().at, t(253_402_300_799));
    }

    #[test]
    fn broken_file_is_moved_aside_intact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        let garbage = b"[instance.a.name]\nvalue = \"x\"\nat = 12 this is not toml\n\xff";
        std::fs::write(&path, garbage).unwrap();

        let (mem, outcome) = Memory::load(&path);
        assert!(mem.is_empty());
        let LoadOutcome::MovedAside { to, reason } = outcome else {
            panic!("expected MovedAside, got {outcome:?}");
        };
        assert!(!path.exists());
        assert!(
            to.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("state.toml.broken-")
        );
        assert_eq!(std::fs::read(&to).unwrap(), garbage);
        assert!(reason.contains("UTF-8"), "{reason}");

        // A fresh save then works and does not touch the moved file.
        mem.save(&path).unwrap();
        assert_eq!(std::fs::read(&to).unwrap(), garbage);
    }

    #[test]
    fn parse_error_names_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        std::fs::write(
            &path,
            "[instance.a.name]\nvalue = \"x\"\nat = \"yesterday\"\n",
        )
        .unwrap();
        let (_, outcome) = Memory::load(&path);
        let LoadOutcome::MovedAside { reason, .. } = outcome else {
            panic!("expected MovedAside, got {outcome:?}");
        };
        assert!(reason.starts_with("line 3"), "{reason}");
        assert!(reason.contains("yesterday"), "{reason}");
    }

    #[test]
    fn two_breakages_in_one_second_keep_both_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        std::fs::write(&path, "first = [").unwrap();
        let (_, first) = Memory::load(&path);
        std::fs::write(&path, "second = [").unwrap();
        let (_, second) = Memory::load(&path);
        let (LoadOutcome::MovedAside { to: a, .. }, LoadOutcome::MovedAside { to: b, .. }) =
            (first, second)
        else {
            panic!("both loads should move the file aside");
        };
        assert_ne!(a, b);
        assert_eq!(std::fs::read_to_string(a).unwrap(), "first = [");
        assert_eq!(std::fs::read_to_string(b).unwrap(), "second = [");
    }

    #[test]
    fn atomic_save_leaves_only_the_state_file_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.toml");
        let mut mem = Memory::default();
        for i in 0..3 {
            mem.record_auto_read("a", i % 2 == 0, t(i));
            mem.save(&path).unwrap();
        }
        assert_eq!(
            dir_names(&dir.path().join("sub")),
            vec![".wadash.lock", "state.toml"]
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (loaded, _) = Memory::load(&path);
        // The last save (i = 2) recorded `true`.
        assert!(loaded.get("a").unwrap().auto_read.as_ref().unwrap().value);
    }

    #[test]
    fn failed_save_leaves_no_temp_file_and_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        // The target is a non-empty directory: the final rename must fail.
        let path = dir.path().join("state.toml");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("keep"), "x").unwrap();
        let mut mem = Memory::default();
        mem.record_name("a", "n".into(), t(1));
        assert!(mem.save(&path).is_err());
        assert_eq!(dir_names(dir.path()), vec![".wadash.lock", "state.toml"]);
        assert!(path.join("keep").exists());
    }

    #[test]
    fn unknown_fields_are_tolerated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        std::fs::write(
            &path,
            "version = 9\n[instance.a.name]\nvalue = \"x\"\nat = \"2024-01-01T00:00:00Z\"\nnote = 1\n",
        )
        .unwrap();
        let (mem, outcome) = Memory::load(&path);
        assert_eq!(outcome, LoadOutcome::Loaded);
        assert_eq!(mem.get("a").unwrap().name.as_ref().unwrap().value, "x");
    }

    #[test]
    fn blocked_memory_refuses_to_save() {
        let mem = Memory {
            save_blocked: Some("test".into()),
            ..Memory::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let err = mem.save(&dir.path().join("state.toml")).unwrap_err();
        assert!(err.to_string().contains("not saving over"), "{err}");
        assert!(dir_names(dir.path()).is_empty());
    }

    #[test]
    fn a_save_merges_with_what_another_process_saved_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        // The dashboard loaded an empty file and later sets a name on `a`...
        let mut dashboard = Memory::load(&path).0;
        // ...while a CLI sets a description on `a` and a name on `b`.
        let mut cli = Memory::load(&path).0;
        cli.record_description("a", "from the cli".into(), t(20));
        cli.record_name("b", "B".into(), t(20));
        cli.save(&path).unwrap();
        dashboard.record_name("a", "from the dashboard".into(), t(10));
        dashboard.save(&path).unwrap();
        let (loaded, _) = Memory::load(&path);
        let a = loaded.get("a").unwrap();
        assert_eq!(a.name.as_ref().unwrap().value, "from the dashboard");
        assert_eq!(a.description.as_ref().unwrap().value, "from the cli");
        assert_eq!(loaded.get("b").unwrap().name.as_ref().unwrap().value, "B");
    }

    #[test]
    fn the_newer_value_wins_and_forgotten_ids_stay_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        let mut first = Memory::default();
        first.record_name("a", "old".into(), t(1));
        first.record_name("gone", "x".into(), t(1));
        first.save(&path).unwrap();
        let mut newer = Memory::default();
        newer.record_name("a", "new".into(), t(5));
        newer.save(&path).unwrap();
        // `first` saves again with its stale value and forgets `gone`.
        first.forget("gone");
        first.save(&path).unwrap();
        let (loaded, _) = Memory::load(&path);
        assert_eq!(loaded.get("a").unwrap().name.as_ref().unwrap().value, "new");
        assert!(loaded.get("gone").is_none());
    }

    #[test]
    fn concurrent_savers_in_threads_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        let threads: Vec<_> = (0..16)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let mut mem = Memory::load(&path).0;
                    mem.record_name(&format!("id{i}"), format!("n{i}"), t(i));
                    mem.save(&path).unwrap();
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let (loaded, _) = Memory::load(&path);
        assert_eq!(loaded.instances().count(), 16);
    }
}
