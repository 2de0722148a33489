//! Writing a file the user named on the command line or the dashboard chose
//! (a QR code PNG): never over an existing file unless asked, and never over
//! wadash's own config, state, lock or log files, even when asked.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Files that must never be replaced by an output file (compared after
/// following symlinks, so `ln -s config.toml qr.png` is caught too).
#[derive(Debug, Clone, Default)]
pub struct Protected(Vec<PathBuf>);

impl Protected {
    /// The config, the state file beside it, the lock and the log.
    pub fn for_config(config: Option<&Path>, log: Option<PathBuf>) -> Protected {
        let mut paths = Vec::new();
        if let Some(config) = config {
            paths.push(config.to_path_buf());
            paths.push(crate::memory::Memory::path_beside(config));
            paths.push(crate::config::lock::lock_path_for(config));
        }
        if let Some(log) = log {
            paths.push(log);
        }
        Protected(paths)
    }

    fn covers(&self, path: &Path) -> Option<&Path> {
        let wanted = resolved(path);
        self.0
            .iter()
            .find(|p| resolved(p) == wanted)
            .map(PathBuf::as_path)
    }
}

/// `path` with its directory and any final symlink resolved, so two spellings
/// of one file compare equal (a file that does not exist yet keeps its name).
fn resolved(path: &Path) -> PathBuf {
    if let Ok(real) = fs::canonicalize(path) {
        return real;
    }
    let name = path.file_name().map(PathBuf::from).unwrap_or_default();
    let dir = crate::config::files::parent_dir(path);
    fs::canonicalize(dir).map_or_else(|_| path.to_path_buf(), |d| d.join(name))
}

/// Whether `path` may be written: never one of wadash's own files; an
/// existing file only with `overwrite`, and then only a regular one.
/// Commands call this before doing anything slow, so a refusal costs nothing.
pub fn check_target(path: &Path, overwrite: bool, protected: &Protected) -> Result<(), String> {
    let shown = path.display();
    if let Some(own) = protected.covers(path) {
        return Err(format!(
            "refusing to write {shown}: it is wadash's own file {}; choose another name",
            own.display()
        ));
    }
    match fs::symlink_metadata(path) {
        Ok(meta) if !overwrite => {
            let what = if meta.is_dir() {
                "a directory"
            } else {
                "a file"
            };
            Err(format!(
                "{shown} already exists ({what}); choose another name, or add --force to replace it"
            ))
        }
        Ok(_) if !fs::metadata(path).is_ok_and(|m| m.is_file()) => Err(format!(
            "refusing to replace {shown}: it is not a regular file"
        )),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot write {shown}: {e}")),
    }
}

/// Writes `bytes` to `path` after [`check_target`]. An existing file is
/// replaced atomically; a new one is created exclusively, so a file appearing
/// between the check and the write is not clobbered either.
pub fn write_output(
    path: &Path,
    bytes: &[u8],
    overwrite: bool,
    protected: &Protected,
) -> Result<(), String> {
    check_target(path, overwrite, protected)?;
    let written = if fs::symlink_metadata(path).is_ok() {
        replace(path, bytes)
    } else {
        create_new(path, bytes)
    };
    written.map_err(|e| format!("could not write {}: {e}", path.display()))
}

fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if written.is_err() {
        // A half-written picture is worse than none.
        let _ = fs::remove_file(path);
    }
    written
}

fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = fs::canonicalize(path)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".wadash-out-")
        .tempfile_in(crate::config::files::parent_dir(&target))?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_file_is_written_and_an_existing_one_refused_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qr.png");
        let none = Protected::default();
        write_output(&path, b"one", false, &none).unwrap();
        let err = write_output(&path, b"two", false, &none).unwrap_err();
        assert!(
            err.contains("already exists") && err.contains("--force"),
            "{err}"
        );
        assert_eq!(fs::read(&path).unwrap(), b"one");
        write_output(&path, b"two", true, &none).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
    }

    #[test]
    fn own_files_are_refused_even_with_force_and_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        fs::write(&config, "[ui]\n").unwrap();
        let protected = Protected::for_config(Some(&config), None);
        for force in [false, true] {
            let err = write_output(&config, b"png", force, &protected).unwrap_err();
            assert!(err.contains("wadash's own file"), "{err}");
        }
        let state = dir.path().join("state.toml");
        let err = write_output(&state, b"png", true, &protected).unwrap_err();
        assert!(err.contains("wadash's own file"), "{err}");
        #[cfg(unix)]
        {
            let link = dir.path().join("qr.png");
            std::os::unix::fs::symlink(&config, &link).unwrap();
            let err = write_output(&link, b"png", true, &protected).unwrap_err();
            assert!(err.contains("wadash's own file"), "{err}");
            // Another spelling of the same path.
            let odd = dir.path().join(".").join("config.toml");
            assert!(write_output(&odd, b"png", true, &protected).is_err());
        }
        assert_eq!(fs::read_to_string(&config).unwrap(), "[ui]\n");
    }

    #[test]
    fn a_directory_or_device_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        let err = write_output(&sub, b"png", true, &Protected::default()).unwrap_err();
        assert!(err.contains("not a regular file"), "{err}");
        let err =
            write_output(Path::new("/dev/null"), b"png", true, &Protected::default()).unwrap_err();
        assert!(err.contains("not a regular file"), "{err}");
    }
}
