//! Where a config's `[[instance]]` tables are, so a big fleet's file can be
//! read a slice at a time. The toml crate lexes a whole document into a
//! token vector and then a table tree before serde sees it: for 10,000
//! instances (about 1 MiB of text) that is some 25 MB at once, which was
//! most of `wadash watch`'s peak heap. Each `[[instance]]` table runs from
//! its header to the next table header, so the instances can be parsed in
//! slices of the original text (their byte offsets, and so every error's
//! line:column, stay those of the file).
//!
//! The scan is a small TOML lexer: it knows strings (basic, literal, and
//! their multi-line forms), comments, and arrays or inline tables that span
//! lines, so a `[[instance]]` inside a string or an array is not a header.
//! Anything it is not sure of (a quoted table name, an unclosed string)
//! answers `None`, and the caller parses the whole file as before.

use std::ops::Range;

/// The `[[instance]]` tables of a file, each from the start of its header
/// line to the start of the next header line (or the end of the file), in
/// file order.
pub(super) fn instance_tables(text: &str) -> Option<Vec<Range<usize>>> {
    let mut tables = Vec::new();
    let mut open: Option<usize> = None;
    for header in headers(text)? {
        if let Some(start) = open.take() {
            tables.push(start..header.line_start);
        }
        if header.is_instance {
            open = Some(header.line_start);
        }
    }
    if let Some(start) = open {
        tables.push(start..text.len());
    }
    Some(tables)
}

struct Header {
    line_start: usize,
    is_instance: bool,
}

/// Where the lexer is between lines: outside any value, inside a multi-line
/// string (which quote), or inside brackets opened on an earlier line.
#[derive(Clone, Copy, PartialEq)]
enum Carry {
    None,
    MultiBasic,
    MultiLiteral,
}

/// Every table header (`[x]`, `[[x]]`) outside strings and values.
fn headers(text: &str) -> Option<Vec<Header>> {
    let mut found = Vec::new();
    let mut carry = Carry::None;
    let mut depth = 0usize;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t']);
        if carry == Carry::None && depth == 0 && trimmed.starts_with('[') {
            found.push(Header {
                line_start,
                is_instance: header_name(trimmed)? == HeaderName::Instance,
            });
        } else {
            scan_line(line.as_bytes(), &mut carry, &mut depth)?;
        }
        line_start += line.len();
    }
    (carry == Carry::None && depth == 0).then_some(found)
}

#[derive(PartialEq)]
enum HeaderName {
    Instance,
    Other,
}

/// What a header line names; `None` for one we do not read ourselves
/// (quoted names, text after the brackets other than a comment).
fn header_name(line: &str) -> Option<HeaderName> {
    let line = line.trim_end();
    let (body, after) = match line.find(']') {
        Some(i) if line[..i].contains(['"', '\'', '#']) => return None,
        Some(_) => {
            let close = if line.starts_with("[[") { "]]" } else { "]" };
            let end = line.find(close)?;
            (&line[..end + close.len()], &line[end + close.len()..])
        }
        None => return None,
    };
    let after = after.trim_start_matches([' ', '\t']);
    if !(after.is_empty() || after.starts_with('#')) {
        return None;
    }
    let inner = body
        .strip_prefix("[[")
        .and_then(|b| b.strip_suffix("]]"))
        .map(|name| name.trim_matches([' ', '\t']));
    Some(if inner == Some("instance") {
        HeaderName::Instance
    } else {
        HeaderName::Other
    })
}

/// Follows one line (not a header) through strings, comments and brackets.
fn scan_line(line: &[u8], carry: &mut Carry, depth: &mut usize) -> Option<()> {
    let mut i = 0;
    while i < line.len() {
        match *carry {
            Carry::MultiBasic => match line[i] {
                b'\\' => i += 2,
                b'"' if line[i..].starts_with(b"\"\"\"") => {
                    i += 3 + extra_quotes(&line[i + 3..], b'"');
                    *carry = Carry::None;
                }
                _ => i += 1,
            },
            Carry::MultiLiteral => {
                if line[i..].starts_with(b"'''") {
                    i += 3 + extra_quotes(&line[i + 3..], b'\'');
                    *carry = Carry::None;
                } else {
                    i += 1;
                }
            }
            Carry::None => match line[i] {
                b'#' => return Some(()),
                b'"' if line[i..].starts_with(b"\"\"\"") => {
                    *carry = Carry::MultiBasic;
                    i += 3;
                }
                b'\'' if line[i..].starts_with(b"'''") => {
                    *carry = Carry::MultiLiteral;
                    i += 3;
                }
                b'"' => i = end_of_basic(line, i + 1)?,
                b'\'' => i = end_of_literal(line, i + 1)?,
                b'[' | b'{' => {
                    *depth += 1;
                    i += 1;
                }
                b']' | b'}' => {
                    *depth = depth.checked_sub(1)?;
                    i += 1;
                }
                _ => i += 1,
            },
        }
    }
    Some(())
}

/// A multi-line string may end with up to two quotes of content before its
/// closing three (`""""` or `"""""`).
fn extra_quotes(rest: &[u8], quote: u8) -> usize {
    rest.iter().take(2).take_while(|&&b| b == quote).count()
}

/// Index just past the closing quote of a one-line basic string.
fn end_of_basic(line: &[u8], mut i: usize) -> Option<usize> {
    while i < line.len() {
        match line[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            b'\n' => return None,
            _ => i += 1,
        }
    }
    None
}

/// Index just past the closing quote of a one-line literal string.
fn end_of_literal(line: &[u8], i: usize) -> Option<usize> {
    let close = line[i..].iter().position(|&b| b == b'\'' || b == b'\n')?;
    (line[i + close] == b'\'').then_some(i + close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sliced(text: &str) -> Option<Vec<&str>> {
        instance_tables(text).map(|t| t.into_iter().map(|r| &text[r]).collect())
    }

    #[test]
    fn tables_run_to_the_next_header() {
        let text = "[[account]]\nname = \"a\"\n\n[[instance]]\nid = \"x\"\n\n[ui]\nbell = false\n[[ instance ]] # two\nid = \"y\"";
        assert_eq!(
            sliced(text).unwrap(),
            [
                "[[instance]]\nid = \"x\"\n\n",
                "[[ instance ]] # two\nid = \"y\""
            ]
        );
    }

    #[test]
    fn headers_inside_strings_and_arrays_are_not_headers() {
        let text = "[[instance]]\nid = \"x\"\nlabel = \"\"\"\n[[instance]]\n\"\"\"\ntags = [\n  \"a\",\n  ['b'],\n]\n[x]\ny = '''\n[[instance]]'''\nz = \"[[instance]]\" # [[instance]]\n";
        assert_eq!(
            sliced(text).unwrap(),
            [
                "[[instance]]\nid = \"x\"\nlabel = \"\"\"\n[[instance]]\n\"\"\"\ntags = [\n  \"a\",\n  ['b'],\n]\n"
            ]
        );
    }

    #[test]
    fn multi_line_strings_may_end_with_extra_quotes() {
        let text = "[[instance]]\nlabel = \"\"\"a\"\"\"\"\"\nid = \"x\"\n[[instance]]\nid = 'y'\n";
        assert_eq!(sliced(text).unwrap().len(), 2);
    }

    #[test]
    fn anything_unsure_gives_up() {
        // Quoted table names, unclosed strings and brackets, stray text.
        for text in [
            "[\"instance\"]\n",
            "a = \"open\n",
            "a = '''open\n",
            "a = [1,\n",
            "a = ]\n",
            "[[instance]] x\n",
            "[ui\n",
        ] {
            assert!(instance_tables(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn sub_tables_of_instance_are_other_headers() {
        let text = "[[instance]]\nid = \"x\"\n[instance.extra]\nk = 1\n";
        assert_eq!(sliced(text).unwrap(), ["[[instance]]\nid = \"x\"\n"]);
    }
}
