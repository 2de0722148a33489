use super::complete::{Known, complete};
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
    let c = complete("in", &Known::default());
    assert_eq!(c.line, "interval ");
    let c = complete("sort ", &Known::default());
    assert_eq!(c.line, "sort ");
    assert_eq!(c.candidates.len(), 6);
    let c = complete(
        "filter status:inactive tag:c",
        &Known {
            tags: vec!["chile".into()],
            ..Known::default()
        },
    );
    assert_eq!(c.line, "filter status:inactive tag:chile");
    let c = complete("zz", &Known::default());
    assert_eq!((c.line.as_str(), c.candidates.len()), ("zz", 0));
}

#[test]
fn log_completes_its_whole_argument_from_the_words_given() {
    let known = Known {
        log_words: vec!["errors".into(), "Tienda Lima".into(), "Tienda Quito".into()],
        ..Known::default()
    };
    assert_eq!(complete("log er", &known).line, "log errors");
    let c = complete("log tienda", &known);
    assert_eq!((c.line.as_str(), c.candidates.len()), ("log Tienda ", 2));
    assert_eq!(complete("log Tienda L", &known).line, "log Tienda Lima");
}
