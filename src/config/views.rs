//! `[views.<name>]` (a saved filter and sort, opened with `:view name`) and
//! `[ui] columns` (the table's optional columns, in order). Plain data; the
//! dashboard reads the words.

/// The optional columns `[ui] columns` may name (status and label are
/// always shown).
pub const COLUMNS: &[&str] = &[
    "id", "latency", "uptime", "drops", "changed", "tags", "profile",
];

/// The sort words `[views.<name>] sort` may use (the `:sort` values).
pub const SORTS: &[&str] = &["status", "label", "change", "latency", "uptime", "drops"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedView {
    pub name: String,
    pub filter: String,
    /// A sort word, optionally followed by ` desc`/`reverse` (e.g. "latency").
    pub sort: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScreenConfig {
    pub columns: Option<Vec<String>>,
    pub views: Vec<SavedView>,
}

/// Why a column list is refused, if it is.
pub fn check_columns(columns: &[String]) -> Result<(), String> {
    for c in columns {
        if !COLUMNS.contains(&c.as_str()) {
            return Err(format!(
                "unknown column `{c}` in ui.columns: use some of {}",
                COLUMNS.join(", ")
            ));
        }
    }
    Ok(())
}

/// Why a view's sort is refused, if it is.
pub fn check_sort(sort: &str) -> Result<(), String> {
    let word = sort.split_whitespace().next().unwrap_or("");
    if SORTS.contains(&word) {
        Ok(())
    } else {
        Err(format!(
            "unknown sort `{sort}` in a view: use one of {}",
            SORTS.join(", ")
        ))
    }
}

/// `[views.<name>]` as written.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawView {
    #[serde(default)]
    filter: String,
    sort: Option<toml::Spanned<String>>,
}

type Located = (std::ops::Range<usize>, String);

/// The columns and views of a config file, checked.
pub(super) fn screen_config(
    columns: Option<toml::Spanned<Vec<String>>>,
    views: Option<std::collections::BTreeMap<String, toml::Spanned<RawView>>>,
) -> Result<ScreenConfig, Located> {
    let columns = match columns {
        Some(c) => {
            check_columns(c.get_ref()).map_err(|m| (c.span(), m))?;
            Some(c.into_inner())
        }
        None => None,
    };
    let mut out = Vec::new();
    for (name, view) in views.unwrap_or_default() {
        let view = view.into_inner();
        let sort = match view.sort {
            Some(s) => {
                check_sort(s.get_ref()).map_err(|m| (s.span(), m))?;
                Some(s.into_inner())
            }
            None => None,
        };
        out.push(SavedView {
            name,
            filter: view.filter,
            sort,
        });
    }
    Ok(ScreenConfig {
        columns,
        views: out,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::SavedView;
    use crate::config::Config;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse_str(text, Path::new("c.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn views_columns_and_history_keys_are_read() {
        let config = parse(
            "[ui]\ncolumns = [\"id\", \"tags\"]\n\n[views.caidas]\nfilter = \"status:inactive\"\n\
             sort = \"latency desc\"\n\n[keys.history]\nclose = \"x\"\n\n[keys.doctor]\nclose = \"x\"\n",
        )
        .unwrap();
        assert_eq!(
            config.ui.screen.columns,
            Some(vec!["id".to_string(), "tags".to_string()])
        );
        assert_eq!(
            config.ui.screen.views,
            vec![SavedView {
                name: "caidas".into(),
                filter: "status:inactive".into(),
                sort: Some("latency desc".into()),
            }]
        );
        assert!(!config.ui.keys.is_default());
    }

    #[test]
    fn unknown_columns_and_sorts_point_at_their_place() {
        let err = parse("[ui]\ncolumns = [\"idd\"]\n").unwrap_err();
        assert!(
            err.contains("unknown column `idd`") && err.contains("2:"),
            "{err}"
        );
        let err = parse("[views.x]\nsort = \"speed\"\n").unwrap_err();
        assert!(
            err.contains("unknown sort `speed`") && err.contains("2:"),
            "{err}"
        );
        let err = parse("[views.x]\nfilterr = \"a\"\n").unwrap_err();
        assert!(err.contains("unknown field"), "{err}");
    }
}
