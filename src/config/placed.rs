//! A value from the file with where it was written, for the modules that
//! turn config's plain data into their own types (`keys`, `theme`): their
//! errors still point at file:line:column.

use std::path::PathBuf;

use super::error::{ConfigError, line_column};

/// Where in which file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Place {
    /// The place of byte `offset` of `text`, the file at `path`.
    pub(crate) fn of(path: &std::path::Path, text: &str, offset: usize) -> Place {
        let (line, column) = line_column(text, offset);
        Place {
            path: path.to_path_buf(),
            line,
            column,
        }
    }

    /// An error about what is written here.
    pub fn error(&self, message: String) -> ConfigError {
        ConfigError::At {
            path: self.path.clone(),
            line: self.line,
            column: self.column,
            message,
        }
    }
}

/// A value and its place.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Placed<T> {
    pub value: T,
    pub at: Place,
}
