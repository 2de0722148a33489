//! The dashboard modes' own strings (a sub-table, reached as
//! `strings().modes.field`), so new ones do not crowd `Strings`.

mod en;
mod es;
mod pt;

pub use en::EN;
pub use es::ES;
pub use pt::PT;

pub struct ModesStrings {
    /// The word `:log` completes to for "errors only" (one `log_filter`
    /// accepts).
    pub log_errors_word: &'static str,
    /// After a single-row edit's key in the bar while rows are marked.
    pub this_row: &'static str,
    /// The help's note on marks; `{bulk}` and `{row}` are the keys.
    pub marks_note: &'static str,
}
