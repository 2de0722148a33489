//! The advisory lock every read-modify-write of the config and of
//! `state.toml` holds, so two wadash processes (two `instances add`, the
//! dashboard and a CLI edit, the monitor) never lose each other's change.
//!
//! The lock is a separate file, `.wadash.lock` in the directory of the file
//! being changed: the file itself is replaced by rename on every write, so a
//! lock on it would lock an inode nobody else opens any more. One lock per
//! directory also makes it safe for the holder to delete stale temp files of
//! our own pattern there (see `files::atomic_write`). The kernel drops a
//! `flock` when its process dies, so a `kill -9` never leaves it held.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a writer waits for another one before giving up with a message.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);
/// Name of the lock file, in the directory of the locked file.
pub const LOCK_FILE_NAME: &str = ".wadash.lock";

/// Held while changing a file; released on drop (and by the kernel on exit).
#[derive(Debug)]
pub struct DirLock {
    file: File,
}

impl Drop for DirLock {
    fn drop(&mut self) {
        let _ = fs4::FileExt::unlock(&self.file);
    }
}

/// Takes the lock for changing `path`, waiting up to [`LOCK_WAIT`].
pub fn lock_for(path: &Path) -> io::Result<DirLock> {
    lock_for_within(path, LOCK_WAIT)
}

/// [`lock_for`] with a chosen wait (tests use a short one).
pub fn lock_for_within(path: &Path, wait: Duration) -> io::Result<DirLock> {
    let dir = super::files::parent_dir(path);
    super::files::create_private_dir(dir)?;
    let lock_path = dir.join(LOCK_FILE_NAME);
    let file = open_lock_file(&lock_path)?;
    let started = Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => return Ok(DirLock { file }),
            Err(fs4::TryLockError::WouldBlock) if started.elapsed() < wait => {
                std::thread::sleep(pause);
                // Up to 50 ms between tries: quick when the holder is quick
                // (a save takes milliseconds), cheap when it is not.
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(fs4::TryLockError::WouldBlock) => return Err(busy(path, &lock_path, wait)),
            Err(fs4::TryLockError::Error(e)) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!("cannot lock {}: {e}", lock_path.display()),
                ));
            }
        }
    }
}

fn busy(path: &Path, lock_path: &Path, wait: Duration) -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        format!(
            "another wadash is still changing {} (waited {} s for {}); nothing was changed, try again",
            path.display(),
            wait.as_secs(),
            lock_path.display()
        ),
    )
}

fn open_lock_file(lock_path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(lock_path).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot open {}: {e}", lock_path.display()),
        )
    })
}

/// The lock file for `path` (for messages and tests).
pub fn lock_path_for(path: &Path) -> PathBuf {
    super::files::parent_dir(path).join(LOCK_FILE_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn second_holder_waits_then_gets_a_clear_message() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let held = lock_for(&path).unwrap();
        let started = Instant::now();
        let err = lock_for_within(&path, Duration::from_millis(200)).unwrap_err();
        assert!(started.elapsed() >= Duration::from_millis(200));
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        let text = err.to_string();
        assert!(text.contains("another wadash is still changing"), "{text}");
        assert!(text.contains("nothing was changed"), "{text}");
        drop(held);
        lock_for_within(&path, Duration::from_millis(200)).expect("free once dropped");
    }

    #[test]
    fn a_waiter_gets_the_lock_when_the_holder_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        let held = lock_for(&path).unwrap();
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            drop(held);
        });
        lock_for_within(&path, Duration::from_secs(5)).expect("lock after release");
        releaser.join().unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn lock_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("config.toml");
        drop(lock_for(&path).unwrap());
        let mode = fs::metadata(lock_path_for(&path))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = fs::metadata(dir.path().join("sub"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700);
    }
}
