use super::complete::complete;
use super::{COMMANDS, find, sort_key};
use crate::app::order::SortKey;

#[test]
fn names_and_aliases_are_unique() {
    let mut seen = Vec::new();
    for spec in COMMANDS {
        for word in std::iter::once(&spec.name).chain(spec.aliases) {
            assert!(!seen.contains(word), "{word} twice");
            seen.push(*word);
        }
    }
}

#[test]
fn aliases_find_their_command_and_sort_words_their_key() {
    assert_eq!(find("q").unwrap().name, "quit");
    assert_eq!(find("Ayuda").unwrap().name, "help");
    assert!(find("nope").is_none());
    assert_eq!(sort_key("caídas"), Some(SortKey::Drops));
    assert_eq!(sort_key("uptime"), Some(SortKey::Uptime));
}

#[test]
fn completion_stops_where_choices_differ() {
    let c = complete("in", &[], &[]);
    assert_eq!(c.line, "interval ");
    let c = complete("sort ", &[], &[]);
    assert_eq!(c.line, "sort ");
    assert_eq!(c.candidates.len(), 6);
    let c = complete("filter status:inactive tag:c", &[], &["chile".into()]);
    assert_eq!(c.line, "filter status:inactive tag:chile");
    let c = complete("zz", &[], &[]);
    assert_eq!((c.line.as_str(), c.candidates.len()), ("zz", 0));
}
