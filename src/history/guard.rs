//! Is the file at the path still the one the writer has open? Somebody may
//! truncate it (`: > history.db`), rename another file over it, or delete
//! it while `watch` runs; SQLite would go on writing into its WAL and the
//! unlinked inode, and nothing would reach the file anyone reads.

use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::identity;

/// The first 16 bytes of every SQLite 3 database.
const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Which file, and how long it was after our last write (our own writes
/// never shrink it: no VACUUM, no auto-vacuum).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub dev: u64,
    pub ino: u64,
    pub len: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Deleted, or another file (or a link) is at the path now.
    Replaced,
    /// Same file, but shorter than we left it or without its header.
    Truncated,
}

pub fn seen(path: &Path) -> Option<Seen> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    Some(Seen {
        dev: meta.dev(),
        ino: meta.ino(),
        len: meta.len(),
    })
}

pub fn check(path: &Path, before: Seen) -> Result<(), Fault> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Err(Fault::Replaced);
    };
    if meta.file_type().is_symlink() || meta.dev() != before.dev || meta.ino() != before.ino {
        return Err(Fault::Replaced);
    }
    if meta.len() < before.len {
        return Err(Fault::Truncated);
    }
    let mut head = [0u8; 16];
    let whole = identity::open_no_follow(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok();
    // An empty file is a database not yet written (SQLite's own view).
    if before.len > 0 && (!whole || &head != MAGIC) {
        return Err(Fault::Truncated);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_replacement_and_removal_are_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        let mut bytes = MAGIC.to_vec();
        bytes.resize(4096, 0);
        std::fs::write(&path, &bytes).unwrap();
        let first = seen(&path).unwrap();
        assert_eq!(check(&path, first), Ok(()));
        std::fs::write(&path, b"").unwrap();
        assert_eq!(check(&path, first), Err(Fault::Truncated));
        let other = dir.path().join("other.db");
        std::fs::write(&other, &bytes).unwrap();
        std::fs::rename(&other, &path).unwrap();
        assert_eq!(check(&path, first), Err(Fault::Replaced));
        std::fs::remove_file(&path).unwrap();
        assert_eq!(check(&path, first), Err(Fault::Replaced));
    }
}
