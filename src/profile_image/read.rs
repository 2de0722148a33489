//! Reading a local picture file: regular files only, never more than
//! [`MAX_FILE_BYTES`], and I/O failures mapped to errors a user can act on.

use std::io::Read;
use std::path::Path;

use super::{ImageError, MAX_FILE_BYTES};

/// Read a file, refusing more than [`MAX_FILE_BYTES`] even if it grows
/// between the size check and the read.
/// Only a regular file is read: a named pipe, a device or a socket could
/// block for ever or never end. The file is opened without blocking (a FIFO
/// with no writer would otherwise hang in `open`) and checked on the opened
/// handle, so swapping the path between check and read changes nothing.
pub(super) fn read_bounded(path: &Path) -> Result<Vec<u8>, ImageError> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
    if !meta.is_file() {
        return Err(not_a_file(path, &meta));
    }
    let what = path.display().to_string();
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImageError::TooLarge {
            what,
            bytes: meta.len(),
        });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(|e| io_error(path, e))?;
    let meta = file.metadata().map_err(|e| io_error(path, e))?;
    if !meta.is_file() {
        return Err(not_a_file(path, &meta));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImageError::TooLarge {
            what,
            bytes: meta.len(),
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImageError::TooLarge {
            what,
            bytes: bytes.len() as u64,
        });
    }
    if bytes.is_empty() {
        return Err(ImageError::Empty { what });
    }
    Ok(bytes)
}

fn not_a_file(path: &Path, meta: &std::fs::Metadata) -> ImageError {
    #[cfg(unix)]
    let kind = {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            "a named pipe"
        } else if t.is_char_device() || t.is_block_device() {
            "a device"
        } else if t.is_socket() {
            "a socket"
        } else if t.is_dir() {
            "a directory"
        } else {
            "not a regular file"
        }
    };
    #[cfg(not(unix))]
    let kind = if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    };
    ImageError::NotAFile {
        path: path.to_path_buf(),
        kind,
    }
}

/// Map an I/O failure on a picture path to the error a user can act on.
pub fn io_error(path: &Path, err: std::io::Error) -> ImageError {
    match err.kind() {
        std::io::ErrorKind::NotFound => ImageError::Missing {
            path: path.to_path_buf(),
        },
        std::io::ErrorKind::IsADirectory => ImageError::NotAFile {
            path: path.to_path_buf(),
            kind: "a directory",
        },
        std::io::ErrorKind::PermissionDenied => ImageError::Unreadable {
            path: path.to_path_buf(),
            reason: "permission denied".to_string(),
        },
        _ => ImageError::Unreadable {
            path: path.to_path_buf(),
            reason: err.to_string(),
        },
    }
}
