//! File helpers shared by the config and the state file (`memory`): a
//! bounded read and an atomic, private write.

use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

use super::lock::DirLock;

/// The file's text, refusing anything over `max` bytes (a path pointing at
/// a log or a device fails fast instead of filling memory); `what` names
/// the expected file in that error.
pub(crate) fn read_bounded(path: &Path, max: u64, what: &str) -> io::Result<String> {
    let file = fs::File::open(path)?;
    let mut text = String::new();
    file.take(max + 1).read_to_string(&mut text)?;
    if text.len() as u64 > max {
        return Err(io::Error::other(format!(
            "larger than {} KiB: not a {what}",
            max / 1024
        )));
    }
    Ok(text)
}

/// Temp files are `.wadash-XXXXXX.tmp` (random middle) in the target's dir.
const TEMP_PREFIX: &str = ".wadash-";
const TEMP_SUFFIX: &str = ".tmp";

/// Writes `bytes` to `path` atomically: a temp file in the same directory
/// (created 0700 if missing), mode 0600 from its creation, written and
/// fsynced, renamed over `path`, then the directory fsynced. On any error the
/// temp file is removed and `path` is untouched. The caller holds the
/// directory's lock (`lock::lock_for`), which also makes every temp file of
/// our pattern there a leftover of a killed writer: those are deleted first
/// (they may hold a key).
pub(crate) fn atomic_write(path: &Path, bytes: &[u8], _held: &DirLock) -> io::Result<()> {
    let dir = parent_dir(path);
    create_private_dir(dir)?;
    remove_stale_temps(dir);
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o600));
    }
    let mut temp = builder.tempfile_in(dir)?;
    set_private_mode(temp.as_file())?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    // Makes the rename itself durable; some filesystems cannot, which is fine.
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The directory `path` is in ("." for a bare file name).
pub(crate) fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Whether `name` is one of our temp files: `.wadash-` + 6 random
/// alphanumerics + `.tmp`, exactly what `atomic_write` creates (nothing else
/// a user might keep there matches).
fn is_our_temp(name: &str) -> bool {
    name.strip_prefix(TEMP_PREFIX)
        .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX))
        .is_some_and(|middle| {
            middle.len() == 6 && middle.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Deletes leftovers of writers killed between creating and renaming their
/// temp file. Best effort: a failure here must not stop the save.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && name.to_str().is_some_and(is_our_temp) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn set_private_mode(file: &fs::File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_private_mode(_file: &fs::File) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_read_refuses_big_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        fs::write(&path, "x".repeat(2048)).unwrap();
        assert_eq!(read_bounded(&path, 2048, "test").unwrap().len(), 2048);
        let err = read_bounded(&path, 2047, "test file").unwrap_err();
        assert!(err.to_string().contains("not a test file"), "{err}");
    }

    #[test]
    fn atomic_write_creates_the_dir_and_leaves_one_private_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("f.toml");
        let held = super::super::lock::lock_for(&path).unwrap();
        atomic_write(&path, b"one", &held).unwrap();
        atomic_write(&path, b"two", &held).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names.len(),
            2,
            "the file and the lock, no temp file: {names:?}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn stale_temp_files_of_our_pattern_are_removed_on_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        // What a writer killed between create and rename leaves behind.
        fs::write(dir.path().join(".wadash-Ab3xYz.tmp"), "api_key = \"k\"").unwrap();
        // Not ours: kept.
        fs::write(dir.path().join(".wadash-notes.tmp.bak"), "keep").unwrap();
        fs::write(dir.path().join("wadash-Ab3xYz.tmp"), "keep").unwrap();
        let held = super::super::lock::lock_for(&path).unwrap();
        atomic_write(&path, b"x", &held).unwrap();
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ".wadash-notes.tmp.bak",
                ".wadash.lock",
                "config.toml",
                "wadash-Ab3xYz.tmp"
            ]
        );
    }

    #[test]
    fn temp_pattern() {
        assert!(is_our_temp(".wadash-Ab3xYz.tmp"));
        assert!(!is_our_temp(".wadash-.tmp"));
        assert!(!is_our_temp(".wadash-Ab3xY.tmp"));
        assert!(!is_our_temp(".wadash.lock"));
    }
}
