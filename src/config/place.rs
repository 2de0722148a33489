//! Where `instances add` puts a new `[[instance]]` table in the text.
//!
//! toml_edit keeps comments as decoration of the item that follows them, and
//! comments after the last table as the document's trailing text. A table
//! it appends therefore lands after the last key of the last table but
//! before the comments below it: after `config init`, that was between
//! `[ui]` and its commented `# lang = "es"`, so uncommenting `lang` put it
//! in the new instance (`unknown field 'lang'`). Tables go after the last
//! `[[instance]]` or, when that is the file's last table (or there is
//! none), after everything, as text.

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

/// Whether the new table can follow the existing `[[instance]]` array in
/// the document (there is one, and another table comes after its last
/// element); otherwise it goes at the very end of the text.
pub fn push_inside(doc: &DocumentMut) -> bool {
    let Some(Item::ArrayOfTables(array)) = doc.get("instance") else {
        return false;
    };
    let last_instance = array.iter().filter_map(Table::position).max();
    let last_any = last_position(doc.as_table());
    matches!((last_instance, last_any), (Some(i), Some(any)) if i < any)
}

/// The highest document position of any table (nested ones included).
fn last_position(table: &Table) -> Option<isize> {
    let mut last = table.position();
    for (_, item) in table.iter() {
        let inner = match item {
            Item::Table(t) => last_position(t),
            Item::ArrayOfTables(a) => a.iter().filter_map(last_position).max(),
            _ => None,
        };
        last = last.max(inner);
    }
    last
}

/// `text` with `table` appended as `[[instance]]` after everything in it,
/// the comments at its end included.
pub fn append_text(text: &str, table: Table) -> String {
    let mut one = DocumentMut::new();
    let mut array = ArrayOfTables::new();
    let mut table = table;
    table.decor_mut().set_prefix("");
    array.push(table);
    one.insert("instance", Item::ArrayOfTables(array));
    let mut out = text.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    if !out.trim().is_empty() {
        out.push('\n');
    }
    out.push_str(&one.to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(id: &str) -> Table {
        let mut t = Table::new();
        t.insert("id", toml_edit::value(id));
        t
    }

    #[test]
    fn the_instance_goes_after_trailing_comments_or_after_the_last_instance() {
        let text = "[ui]\n# lang = \"es\"\n";
        let doc: DocumentMut = text.parse().unwrap();
        assert!(!push_inside(&doc));
        assert_eq!(
            append_text(text, table("A")),
            "[ui]\n# lang = \"es\"\n\n[[instance]]\nid = \"A\"\n"
        );
        let doc: DocumentMut = "[[instance]]\nid = \"A\"\n\n[ui]\n".parse().unwrap();
        assert!(push_inside(&doc));
        let doc: DocumentMut = "[ui]\n[[instance]]\nid = \"A\"\n# tags = []\n"
            .parse()
            .unwrap();
        assert!(!push_inside(&doc));
        assert_eq!(append_text("", table("A")), "[[instance]]\nid = \"A\"\n");
    }
}
