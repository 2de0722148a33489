//! Reading a config with its `[[instance]]` tables parsed a batch at a
//! time (see `split` for why), so the toml crate never holds the tokens and
//! tree of the whole fleet at once. Answers `None` whenever the result
//! might differ from parsing the file as one document, including on any
//! error: the caller then parses the whole file, so errors keep their
//! exact words and place.

use std::borrow::Cow;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::raw::{RawFile, RawInstance};
use super::split;

/// Instance tables per parse: small enough that a batch's tokens and tree
/// are a few hundred KB, large enough that the per-parse cost stays small.
const BATCH: usize = 256;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Batch {
    #[serde(default)]
    instance: Vec<Spanned<RawInstance>>,
}

pub(super) fn parse(text: &str) -> Option<RawFile> {
    let tables = split::instance_tables(text)?;
    let rest = without(text, &tables)?;
    if mentions_instance(&rest) {
        return None;
    }
    let mut raw: RawFile = toml::from_str(&rest).ok()?;
    drop(rest);
    raw.instance.reserve_exact(tables.len());
    for range in batches(&tables) {
        let parsed: Batch = toml::from_str(&text[range.clone()]).ok()?;
        raw.instance
            .extend(parsed.instance.into_iter().map(|i| shifted(i, range.start)));
    }
    Some(raw)
}

/// Runs of adjacent tables (nothing else between them), at most `BATCH`
/// tables each, as one range of the text.
fn batches(tables: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut runs: Vec<(Range<usize>, usize)> = Vec::new();
    for table in tables {
        match runs.last_mut() {
            Some((run, count)) if run.end == table.start && *count < BATCH => {
                run.end = table.end;
                *count += 1;
            }
            _ => runs.push((table.clone(), 1)),
        }
    }
    runs.into_iter().map(|(run, _)| run).collect()
}

/// `text` with the instance tables blanked out (same length, so every byte
/// offset in it is the file's). Borrowed when they are all at the end.
fn without<'a>(text: &'a str, tables: &[Range<usize>]) -> Option<Cow<'a, str>> {
    let Some(first) = tables.first() else {
        return Some(Cow::Borrowed(text));
    };
    let contiguous = tables.windows(2).all(|w| w[0].end == w[1].start);
    if contiguous && tables[tables.len() - 1].end == text.len() {
        return Some(Cow::Borrowed(&text[..first.start]));
    }
    let mut bytes = text.as_bytes().to_vec();
    for table in tables {
        bytes[table.clone()].fill(b' ');
    }
    // Whole lines were blanked, so this stays UTF-8.
    String::from_utf8(bytes).ok().map(Cow::Owned)
}

/// Whether what is left still speaks of `instance` at the start of a line
/// (a sub-table `[instance.x]`, a root key `instance = […]`): the split
/// would change the meaning, so the whole file is parsed instead.
fn mentions_instance(rest: &str) -> bool {
    rest.lines().any(|line| {
        let line = line.trim_start_matches([' ', '\t', '[', '"', '\'']);
        line.starts_with("instance")
    })
}

/// The spans of a table parsed from a slice starting at `offset`, made the
/// file's.
fn shifted(inst: Spanned<RawInstance>, offset: usize) -> Spanned<RawInstance> {
    let shift = |r: Range<usize>| r.start + offset..r.end + offset;
    let span = shift(inst.span());
    let mut inner = inst.into_inner();
    let id_span = shift(inner.id.span());
    inner.id = Spanned::new(id_span, std::mem::take(inner.id.get_mut()));
    if let Some(account) = inner.account.take() {
        let account_span = shift(account.span());
        inner.account = Some(Spanned::new(account_span, account.into_inner()));
    }
    Spanned::new(span, inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instances_between_other_sections_are_read_in_slices_with_file_spans() {
        let mut text = String::from("[[account]]\napi_key_env = \"A\"\n");
        for i in 0..600 {
            text.push_str(&format!("[[instance]]\nid = \"i{i}\"\n"));
            if i == 300 {
                text.push_str("[ui]\nbell = false\n");
            }
        }
        let raw = parse(&text).expect("read in slices");
        assert_eq!(raw.instance.len(), 600);
        let last = raw.instance[599].get_ref();
        assert_eq!(&text[last.id.span()], "\"i599\"");
        assert_eq!(&text[raw.instance[301].get_ref().id.span()], "\"i301\"");
    }

    #[test]
    fn a_sub_table_of_instance_leaves_it_to_the_whole_file_parse() {
        let text = "[[instance]]\nid = \"x\"\n[instance.more]\nk = 1\n";
        assert!(parse(text).is_none());
    }
}
