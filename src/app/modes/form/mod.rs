//! Forms: a list of text fields on tui-input, with validation as you type.
//! A form never loses what was typed: a failed submit keeps every field.

use tui_input::{Input, InputRequest};

pub mod add;
pub mod choice;
pub mod picture;
pub mod profile;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    AddInstance,
    /// Profile name of one instance.
    Name {
        id: String,
    },
    /// Profile description ("about") of one instance.
    Description {
        id: String,
    },
    /// Profile picture of one instance: a path, a URL or base64.
    Picture {
        id: String,
    },
    /// Ask on/off for automatic read (no text field): for the marked
    /// instances, or for one whose current value wadash does not know.
    AutoRead {
        ids: Vec<String>,
        on: bool,
        bulk: bool,
    },
}

#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub input: Input,
    /// Maximum length in characters, shown as a live counter.
    pub max_chars: Option<usize>,
}

impl Field {
    pub fn new(label: &'static str) -> Field {
        Field {
            label,
            input: Input::default(),
            max_chars: None,
        }
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Field {
        self.input = Input::new(value.into());
        self
    }

    pub fn with_max(mut self, max: usize) -> Field {
        self.max_chars = Some(max);
        self
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// What the live counter shows: characters as a person sees them
    /// (grapheme clusters), as the limits count them.
    pub fn chars(&self) -> usize {
        crate::profile_text::count(self.input.value())
    }
}

#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the form cannot be submitted, or what the server said.
    pub error: Option<String>,
    pub submitting: bool,
}

impl Form {
    pub fn new(kind: FormKind, title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form {
            kind,
            title: title.into(),
            fields,
            focus: 0,
            error: None,
            submitting: false,
        }
    }

    pub fn next_field(&mut self) {
        // A choice form has no field to move between.
        if !self.fields.is_empty() {
            self.focus = (self.focus + 1) % self.fields.len();
        }
    }

    pub fn prev_field(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        }
    }

    pub fn edit(&mut self, request: InputRequest) {
        if let Some(field) = self.fields.get_mut(self.focus) {
            field.input.handle(request);
        }
    }

    pub fn paste(&mut self, text: &str) {
        // Pasted newlines would submit nothing useful in a one-line field.
        for c in text.chars().filter(|c| *c != '\n' && *c != '\r') {
            self.edit(InputRequest::InsertChar(c));
        }
    }

    pub fn value(&self, index: usize) -> &str {
        self.fields[index].value()
    }
}
