//! The CSV `instances import` reads: `id,label,tags,account`, one instance a
//! line, an optional header line (first field `id`), RFC 4180 quoting
//! (`"Tienda, Lima"`, `""` for a quote), tags split on `;` or `,` inside
//! their field. Every problem is reported with its line number, all of
//! them at once, before anything is written.

use crate::config::InstanceConfig;

/// One instance and the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub instance: InstanceConfig,
}

/// A line that cannot be imported, and why (in the user's language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub line: usize,
    pub why: String,
}

/// Every row, or every bad line.
pub fn parse(text: &str) -> Result<Vec<Row>, Vec<BadLine>> {
    let s = crate::i18n::strings();
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for (line, fields) in records(text, &mut bad) {
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rows.is_empty() && bad.is_empty() && fields[0].trim().eq_ignore_ascii_case("id") {
            continue;
        }
        if fields.len() > 4 {
            bad.push(BadLine {
                line,
                why: crate::i18n::fill(
                    s.import_too_many_fields,
                    &[("n", &fields.len().to_string())],
                ),
            });
            continue;
        }
        let field = |i: usize| fields.get(i).map(|f| f.trim()).filter(|f| !f.is_empty());
        let Some(id) = field(0) else {
            bad.push(BadLine {
                line,
                why: s.import_empty_id.into(),
            });
            continue;
        };
        let tags = field(2)
            .map(|t| {
                t.split([';', ','])
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        rows.push(Row {
            line,
            instance: InstanceConfig {
                id: id.to_string(),
                label: field(1).map(String::from),
                tags,
                account: field(3).map(String::from),
            },
        });
    }
    if bad.is_empty() {
        Ok(rows)
    } else {
        bad.sort_by_key(|b| b.line);
        Err(bad)
    }
}

/// Records with the line each starts on; an unclosed quote is a bad line.
fn records(text: &str, bad: &mut Vec<BadLine>) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while chars.peek().is_some() {
        let start = line;
        let mut fields = vec![String::new()];
        let mut quoted = false;
        while let Some(c) = chars.next() {
            let field = fields.last_mut().expect("one field at least");
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' if quoted => quoted = false,
                '"' if field.trim().is_empty() => {
                    field.clear();
                    quoted = true;
                }
                '\n' if quoted => {
                    line += 1;
                    field.push('\n');
                }
                '\n' => {
                    line += 1;
                    break;
                }
                '\r' if !quoted => {}
                ',' if !quoted => fields.push(String::new()),
                c => field.push(c),
            }
        }
        if quoted {
            bad.push(BadLine {
                line: start,
                why: crate::i18n::strings().import_unclosed_quote.into(),
            });
            break;
        }
        out.push((start, fields));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_quotes_and_tags() {
        let rows =
            parse("id,label,tags,account\nA1,\"Tienda, Lima\",peru;ventas,main\r\nB2,,,\n\n")
                .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].instance.label.as_deref(), Some("Tienda, Lima"));
        assert_eq!(rows[0].instance.tags, ["peru", "ventas"]);
        assert_eq!(rows[0].instance.account.as_deref(), Some("main"));
        assert_eq!((rows[1].line, rows[1].instance.label.clone()), (3, None));
    }

    #[test]
    fn every_bad_line_is_named() {
        let bad = parse("A1,x\n,no id\nB2,a,b,c,d\nC3,\"open\n").unwrap_err();
        let lines: Vec<usize> = bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, [2, 3, 4]);
    }
}
