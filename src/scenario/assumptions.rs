//! The assumptions table: every input the scenario file states, with the source its authors gave.
//!
//! A committee paper must say what its projections assume and on what evidence. Scenario authors
//! record sources as TOML comments (or `note` keys); this module reads them back from the file text
//! using the positions of the parsed values, so the report lists each input beside its source.
//!
//! The source of an input is, in order of preference: the comment on the same line after its value;
//! else the comment lines directly above it (leaving out commented-out settings such as
//! `# month = 9`); else the `note` of the table it is in.

use serde::Serialize;
use toml::de::{DeTable, DeValue};

use crate::scenario::spanned::{Value, element_label};

/// One input as stated in the scenario file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assumption {
    /// Key path, as used by options' `set` (`grades[Level 3].leaving`).
    pub key: String,
    /// The value as written (comments removed, whitespace collapsed).
    pub value: String,
    /// The source note; empty when the file gives none.
    pub source: String,
}

/// Top-level tables that are not assumptions: the run's settings and the targets have their own
/// places in the report.
const SKIPPED: [&str; 2] = ["scenario", "targets"];

/// Every input stated in `doc`, parsed from `text`, in file order.
pub fn collect(doc: &DeTable, text: &str) -> Vec<Assumption> {
    let mut out = Vec::new();
    for (k, v) in doc {
        if SKIPPED.contains(&k.get_ref().as_ref()) {
            continue;
        }
        walk(k.get_ref(), v, None, text, &mut out);
    }
    out
}

fn is_inline(v: &Value, text: &str) -> bool {
    text.get(v.span())
        .is_some_and(|s| s.trim_start().starts_with('{'))
}

fn walk(path: &str, v: &Value, note: Option<&str>, text: &str, out: &mut Vec<Assumption>) {
    match v.get_ref() {
        DeValue::Table(t) if !is_inline(v, text) => {
            let note = match t.get("note").map(|n| n.get_ref()) {
                Some(DeValue::String(s)) => Some(s.as_ref()),
                _ => note,
            };
            for (k, child) in t {
                let key = k.get_ref().as_ref();
                if matches!(key, "note" | "name" | "description") {
                    continue;
                }
                walk(&format!("{path}.{key}"), child, note, text, out);
            }
        }
        DeValue::Array(items)
            if !items.is_empty()
                && items
                    .iter()
                    .all(|i| matches!(i.get_ref(), DeValue::Table(_)) && !is_inline(i, text)) =>
        {
            for (i, item) in items.iter().enumerate() {
                let label = element_label(item, i);
                walk(&format!("{path}[{label}]"), item, note, text, out);
            }
        }
        _ => out.push(leaf(path, v, note, text)),
    }
}

fn leaf(path: &str, v: &Value, note: Option<&str>, text: &str) -> Assumption {
    let span = v.span();
    let raw = text.get(span.clone()).unwrap_or("");
    let value = raw
        .lines()
        .map(|l| strip_comment(l).trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let line_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    let after = text[span.end..line_end].trim();
    let mut source = after
        .strip_prefix('#')
        .map(|c| c.trim().to_string())
        .unwrap_or_default();
    if !source.is_empty() {
        // A trailing comment continued on the following lines, its `#` in the same column.
        let col = text[..line_end]
            .rfind('#')
            .map_or(0, |h| h - text[..h].rfind('\n').map_or(0, |i| i + 1));
        for line in text[(line_end + 1).min(text.len())..].lines() {
            let indent = line.len() - line.trim_start().len();
            match line.trim_start().strip_prefix('#') {
                Some(c) if indent == col && !c.trim().is_empty() => {
                    source.push(' ');
                    source.push_str(c.trim());
                }
                _ => break,
            }
        }
    }
    if source.is_empty() {
        source = comment_above(text, span.start);
    }
    if source.is_empty() {
        source = note.unwrap_or("").to_string();
    }
    Assumption {
        key: path.to_string(),
        value,
        source,
    }
}

/// The line without a trailing `# comment` (a `#` inside a quoted string is kept).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '#') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// The comment lines directly above the line holding byte `at`, at its indentation, joined,
/// without commented-out settings.
fn comment_above(text: &str, at: usize) -> String {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let key_line = &text[line_start..];
    let indent = key_line.len() - key_line.trim_start().len();
    let mut lines = Vec::new();
    for line in text[..line_start].lines().rev() {
        // Comment lines at the key's own indentation; an indented one continues an earlier
        // line's trailing comment and belongs to that line.
        if line.len() - line.trim_start().len() != indent {
            break;
        }
        let Some(c) = line.trim().strip_prefix('#') else {
            break;
        };
        let c = c.trim();
        if looks_like_setting(c) {
            continue;
        }
        lines.push(c);
    }
    lines.reverse();
    lines.join(" ")
}

/// `month = 9  # ...`: a commented-out key, not prose.
fn looks_like_setting(c: &str) -> bool {
    match c.split_once('=') {
        Some((k, _)) => {
            let k = k.trim();
            !k.is_empty()
                && k.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '"'))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Vec<Assumption> {
        let doc = DeTable::parse(text).unwrap();
        collect(doc.get_ref(), text)
    }

    #[test]
    fn sources_come_from_line_comments_comments_above_and_notes() {
        let text = r#"
[scenario]
name = "x"

[[grades]]
name = "Level 3"
note = "grade note"
# Leaving by band [census 2023]
# months = 9   (a commented-out setting)
leaving = [0.2,   # first band
  0.1]
permanent = 35   # [paper Table 1,
                 #  row 2]
# the next key's comment
salary = { dist = "uniform", low = 1, high = 2 }

[costs]
pension_rate = 0.2

[agency]
note = "agency note"
monthly_churn = 0.04
"#;
        let a = of(text);
        let keys: Vec<&str> = a.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "grades[Level 3].leaving",
                "grades[Level 3].permanent",
                "grades[Level 3].salary",
                "costs.pension_rate",
                "agency.monthly_churn"
            ]
        );
        assert_eq!(a[0].value, "[0.2, 0.1]");
        assert_eq!(a[0].source, "Leaving by band [census 2023]");
        assert_eq!(a[1].source, "[paper Table 1, row 2]");
        assert_eq!(a[2].value, r#"{ dist = "uniform", low = 1, high = 2 }"#);
        assert_eq!(a[2].source, "the next key's comment");
        assert_eq!(a[3].source, "");
        assert_eq!(a[4].source, "agency note");
    }

    #[test]
    fn comments_inside_strings_are_kept() {
        assert_eq!(strip_comment(r##"a = "#1" # c"##), r##"a = "#1" "##);
        assert!(looks_like_setting("promote_from = \"Level 3\""));
        assert!(!looks_like_setting("share of fills made internally"));
    }
}
