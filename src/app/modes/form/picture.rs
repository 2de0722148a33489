//! The picture field's two helpers: a preview once typing pauses (decoded by
//! the worker), and Tab completion of the path from one bounded listing.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tui_input::Input;

use crate::app::modes::Mode;
use crate::app::modes::form::{Form, FormKind};
use crate::app::state::App;
use crate::engine::effect::Effect;
use crate::engine::msg::PicturePreview;
use crate::profile_image::{self, ImageSource};

/// The picture form's preview. Requested only once the value stopped
/// changing (debounced on ticks) or on Tab, so typing a path does not
/// decode a picture per key.
#[derive(Debug, Clone, Default)]
pub struct PictureState {
    /// Sequence number of the latest request; older answers are dropped.
    pub seq: u64,
    /// The value the latest request was made for.
    pub requested: Option<String>,
    /// The value seen at the last tick, and since when it has not changed.
    pub seen: Option<(String, Instant)>,
    /// The preview (or why there is none) and the value it was made for.
    pub result: Option<(String, Result<PicturePreview, String>)>,
    /// Tab found several names: the first few, to show under the field.
    pub completions: Vec<String>,
    /// The preview as half blocks, built once when it arrives (thousands of
    /// spans: not something to rebuild every frame).
    pub text: Option<ratatui::text::Text<'static>>,
}

impl PictureState {
    /// Build `text` from the preview just received.
    pub fn cache_text(&mut self) {
        self.text = self
            .result
            .as_ref()
            .and_then(|(_, result)| result.as_ref().ok())
            .and_then(|preview| preview.preview.as_ref())
            .map(crate::profile_image::preview_text);
    }
}

/// The picture preview is requested once the field has not changed for this
/// long (checked on ticks), so typing a path does not decode per key.
pub const PREVIEW_PAUSE: Duration = Duration::from_millis(300);
/// Candidates shown under the picture field when Tab is ambiguous.
pub const COMPLETIONS_SHOWN: usize = 8;
/// A directory with more entries than this is only partly completed.
const MAX_LISTING: usize = 5_000;

/// Ticks: ask for a preview once the picture field stopped changing.
pub fn picture_tick(app: &mut App, effects: &mut Vec<Effect>) {
    let Mode::Form(form) = &app.mode else { return };
    if !matches!(form.kind, FormKind::Picture { .. }) {
        return;
    }
    let value = form.value(0).trim().to_string();
    if value.is_empty() {
        app.picture.seen = None;
        return;
    }
    let now = app.monitor.now;
    match &app.picture.seen {
        Some((seen, since)) if *seen == value => {
            let settled = now.saturating_duration_since(*since) >= PREVIEW_PAUSE;
            if settled && app.picture.requested.as_deref() != Some(value.as_str()) {
                request_preview(app, value, effects);
            }
        }
        _ => app.picture.seen = Some((value, now)),
    }
}

fn request_preview(app: &mut App, value: String, effects: &mut Vec<Effect>) {
    app.picture.seq += 1;
    app.picture.requested = Some(value.clone());
    // Accounts may upload pictures in different shapes: preview this one's.
    let account = match &app.mode {
        Mode::Form(Form {
            kind: FormKind::Picture { id },
            ..
        }) => app.row(id).map_or(0, |r| r.account),
        _ => 0,
    };
    effects.push(Effect::PreviewPicture {
        input: value,
        account,
        seq: app.picture.seq,
    });
    app.dirty = true;
}

/// The worker's preview; answers to an older value are dropped.
pub fn on_preview(app: &mut App, seq: u64, result: Result<PicturePreview, String>) {
    if seq != app.picture.seq {
        return;
    }
    let Some(value) = app.picture.requested.clone() else {
        return;
    };
    app.picture.result = Some((value, result));
    if let Mode::Form(form) = &mut app.mode
        && !form.submitting
    {
        form.error = None;
    }
    app.dirty = true;
}

/// One name in a directory, for completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirName {
    pub name: String,
    pub is_dir: bool,
}

/// What Tab makes of the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The new field value (unchanged when nothing or nothing more matches).
    pub value: String,
    /// Every match (directories with a trailing `/`), when more than one.
    pub candidates: Vec<String>,
    pub matches: usize,
}

/// Complete the last path component of `typed` against the names in its
/// directory: one match completes (directories get a `/`), several extend
/// to their longest common prefix and are listed. Hidden names only match a
/// prefix that starts with a dot, as in shells.
pub fn complete_path(typed: &str, names: &[DirName]) -> Completion {
    let split = typed.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (dir, prefix) = typed.split_at(split);
    let show_hidden = prefix.starts_with('.');
    let mut found: Vec<&DirName> = names
        .iter()
        .filter(|n| n.name.starts_with(prefix) && (show_hidden || !n.name.starts_with('.')))
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    let shown = |n: &DirName| {
        if n.is_dir {
            format!("{}/", n.name)
        } else {
            n.name.clone()
        }
    };
    match found.as_slice() {
        [] => Completion {
            value: typed.to_string(),
            candidates: Vec::new(),
            matches: 0,
        },
        [one] => Completion {
            value: format!("{dir}{}", shown(one)),
            candidates: Vec::new(),
            matches: 1,
        },
        many => {
            let common = many
                .iter()
                .skip(1)
                .fold(many[0].name.as_str(), |acc, n| common_prefix(acc, &n.name));
            Completion {
                value: format!("{dir}{common}"),
                candidates: many.iter().map(|n| shown(n)).collect(),
                matches: many.len(),
            }
        }
    }
}

fn common_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let end = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map(|((i, _), _)| i)
        .unwrap_or_else(|| a.len().min(b.len()));
    &a[..end]
}

/// The directory part of what was typed, as a path to list.
fn listing_dir(typed: &str) -> PathBuf {
    let dir = &typed[..typed.rfind('/').map(|i| i + 1).unwrap_or(0)];
    if dir.is_empty() {
        return PathBuf::from(".");
    }
    if let Some(rest) = dir.strip_prefix("~/")
        && let Some(base) = directories::BaseDirs::new()
    {
        return base.home_dir().join(rest);
    }
    PathBuf::from(dir)
}

/// The one I/O in this module (see the module comment): names in a
/// directory, bounded. Unreadable directories and non-UTF-8 names give
/// nothing to complete rather than an error.
fn list_dir(dir: &std::path::Path) -> Vec<DirName> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .take(MAX_LISTING)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            // Follow symlinks: a link to a folder completes like a folder.
            let is_dir = std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir());
            Some(DirName { name, is_dir })
        })
        .collect()
}

/// Tab in the picture field: complete a path, then preview a file at once.
pub fn complete_picture(app: &mut App, effects: &mut Vec<Effect>) {
    let s = app.strings();
    let Mode::Form(form) = &mut app.mode else {
        return;
    };
    let typed = form.value(0).to_string();
    if !matches!(profile_image::classify_text(&typed), ImageSource::File(_)) {
        let value = typed.trim().to_string();
        if !value.is_empty() {
            request_preview(app, value, effects);
        }
        return;
    }
    let names = list_dir(&listing_dir(&typed));
    let completion = complete_path(&typed, &names);
    if completion.value != typed {
        form.fields[0].input = Input::new(completion.value.clone());
        form.error = None;
    }
    app.picture.completions = match completion.matches {
        0 => vec![s.no_completion.to_string()],
        1 => Vec::new(),
        _ => completion.candidates,
    };
    let is_file = completion.matches == 1 && !completion.value.ends_with('/');
    if is_file {
        request_preview(app, completion.value, effects);
    }
}
