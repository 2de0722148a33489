//! The dashboard's view choices that are not the fleet: what the `:` line
//! remembers, the attention toggle, the details pane and column choice,
//! saved views, the help search and the doctor pane's report.

use tui_input::Input;

use super::command_history::CommandHistory;
use crate::config::views::{SavedView, ScreenConfig};

/// The filter the attention key shows: every row that needs a look.
pub const ATTENTION_FILTER: &str = "status:inactive,error,unknown";

#[derive(Debug, Clone)]
pub struct ScreenState {
    pub commands: CommandHistory,
    /// Choices Tab left on the `:` line (shown under it until the next key).
    pub suggestions: Vec<String>,
    /// The filter the attention key replaced, given back on the second press.
    pub before_attention: Option<String>,
    /// The details pane under (or beside) the table.
    pub details: bool,
    /// Wide: every column that fits, details beside the table from 100
    /// columns; compact: label and status first, details below.
    pub wide: bool,
    /// `[ui] columns`: the optional columns, in order (None: by width).
    pub columns: Option<Vec<String>>,
    /// `[views.<name>]`, in config order.
    pub views: Vec<SavedView>,
    /// `?` search: the query shown, and the line being typed (if typing).
    pub help_query: String,
    pub help_input: Option<Input>,
    /// `:doctor`'s report, for its own pane.
    pub doctor: Vec<String>,
    /// The log pane shows only warnings and errors.
    pub log_errors: bool,
    /// The log pane shows only entries whose instance contains this.
    pub log_instance: Option<String>,
}

impl Default for ScreenState {
    fn default() -> Self {
        ScreenState {
            commands: CommandHistory::default(),
            suggestions: Vec::new(),
            before_attention: None,
            details: true,
            wide: false,
            columns: None,
            views: Vec::new(),
            help_query: String::new(),
            help_input: None,
            doctor: Vec::new(),
            log_errors: false,
            log_instance: None,
        }
    }
}

impl ScreenState {
    pub fn from_config(config: &ScreenConfig) -> ScreenState {
        ScreenState {
            columns: config.columns.clone(),
            views: config.views.clone(),
            ..ScreenState::default()
        }
    }

    pub fn view_names(&self) -> Vec<String> {
        self.views.iter().map(|v| v.name.clone()).collect()
    }
}
