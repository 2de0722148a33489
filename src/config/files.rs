//! File helpers shared by the config and the state file (`memory`): a
//! bounded read and an atomic, private write.

use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

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

/// Writes `bytes` to `path` atomically: a temp file in the same directory
/// (created 0700 if missing), mode 0600, written and fsynced, renamed over
/// `path`, then the directory fsynced. On any error the temp file is removed
/// and `path` is untouched.
pub(crate) fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    create_private_dir(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".wadash-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
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

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> io::Result<()> {
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
        atomic_write(&path, b"one").unwrap();
        atomic_write(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temp file left");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
