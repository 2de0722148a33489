//! A big fleet's file is read a slice of `[[instance]]` tables at a time
//! (`config::split`, `config::chunked`). These check that the result is the
//! one the whole-file parse gives, and that errors in a late slice point at
//! the file's own line and column.

use std::path::Path;

use wadash::config::Config;

/// `n` instances among other sections, with the text that fools a naive
/// split: `[[instance]]` in strings (basic, literal, multi-line) and in a
/// multi-line array, comments, sub-tables of other sections. `ui_header`
/// is `[ui]`, or `["ui"]`, the same table to TOML, which makes the
/// splitter give up and parse the whole file as one.
fn fleet(n: usize, ui_header: &str) -> String {
    let mut text = String::from(
        "# [[instance]] in a comment\n[[account]]\nname = \"a\"\napi_key_env = \"A\"\n\n\
         [[account]]\nname = \"b\"\napi_key_cmd = \"\"\"printf '[[instance]]\nk'\"\"\"\n\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "[[instance]] # number {i}\nid = \"inst-{i:05}\"\naccount = \"{}\"\n",
            if i % 3 == 0 { "a" } else { "b" }
        ));
        if i % 7 == 0 {
            text.push_str("label = '''\n[[instance]]\nid = \"fake\"'''\n");
        }
        if i % 11 == 0 {
            text.push_str("tags = [\n  \"[[instance]]\",\n  'x', # ]\n]\n");
        }
        if i == n / 2 {
            text.push_str(&format!(
                "\n{ui_header}\nbell = false\ninterval = \"7s\"\n\n"
            ));
        }
        if i == n / 3 {
            text.push_str("[history]\nenabled = false\n");
        }
    }
    text
}

#[test]
fn a_big_file_read_in_slices_equals_the_whole_file_parse() {
    let origin = Path::new("fleet.toml");
    let sliced = Config::parse_str(&fleet(1000, "[ui]"), origin).unwrap();
    let whole = Config::parse_str(&fleet(1000, "[\"ui\"]"), origin).unwrap();
    assert_eq!(sliced, whole);
    assert_eq!(sliced.instances.len(), 1000);
    assert_eq!(sliced.instances[999].id, "inst-00999");
    assert_eq!(
        sliced.instances[7].label.as_deref(),
        Some("[[instance]]\nid = \"fake\"")
    );
    assert_eq!(sliced.instances[11].tags, ["[[instance]]", "x"]);
    assert!(!sliced.ui.bell);
    assert!(!sliced.history.enabled);
}

/// (line, column) of the `n`th occurrence of `needle`, 1-based.
fn place_of(text: &str, needle: &str, n: usize) -> (usize, usize) {
    let offset = text.match_indices(needle).nth(n).unwrap().0;
    let line = text[..offset].matches('\n').count() + 1;
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

#[test]
fn errors_in_a_late_slice_point_at_the_files_own_place() {
    let origin = Path::new("fleet.toml");
    // A validation error (located through the slice's shifted spans).
    let text = fleet(1000, "[ui]").replace("\"inst-00900\"", "\"inst-00005\"");
    let err = Config::parse_str(&text, origin).unwrap_err();
    assert!(
        err.to_string()
            .contains("duplicate instance id `inst-00005`"),
        "{err}"
    );
    let expected = place_of(&text, "\"inst-00005\"", 1);
    assert_eq!(err.location(), Some((expected.0, expected.1)), "{err}");

    // An unknown account, after the middle of the file.
    let text = fleet(1000, "[ui]").replacen("account = \"b\"", "account = \"zz\"", 600);
    let err = Config::parse_str(&text, origin).unwrap_err();
    assert!(err.to_string().contains("names account `zz`"), "{err}");
    let expected = place_of(&text, "\"zz\"", 0);
    assert_eq!(err.location(), Some((expected.0, expected.1)), "{err}");

    // A TOML syntax error in a late slice: same words and place as the
    // whole-file parse gives.
    let bad = fleet(1000, "[ui]").replace("id = \"inst-00950\"", "id = inst-00950");
    let bad_whole = fleet(1000, "[\"ui\"]").replace("id = \"inst-00950\"", "id = inst-00950");
    let sliced = Config::parse_str(&bad, origin).unwrap_err();
    let whole = Config::parse_str(&bad_whole, origin).unwrap_err();
    assert_eq!(sliced.location(), whole.location());
    assert_eq!(
        sliced.location().unwrap().0,
        place_of(&bad, "inst-00950", 0).0
    );
    assert_eq!(
        sliced.to_string().split_once(": ").unwrap().1,
        whole.to_string().split_once(": ").unwrap().1
    );
}
