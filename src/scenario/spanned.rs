//! First stage of reading a scenario: the spanned TOML tree, read key by key.
//!
//! Serde would stop at the first problem and lose the position of semantic errors, so the scenario is
//! parsed into toml's spanned document tree and read by hand here. Every accessor records an error
//! with the key's path and position instead of failing, so all problems are reported at once; every
//! table remembers which keys were read so that unknown ones can be reported with a suggestion.

/// The longest text a scenario may hold in one string: what one spreadsheet cell can hold.
pub const MAX_TEXT: usize = 32_767;

/// The longest name (of a scenario, option, target, grade, post group or programme), in
/// characters: names title charts and tables and name files (a target's chart is
/// `charts/target_<name>.png`), and a file's name holds at most 255 bytes.
pub const MAX_NAME: usize = 100;

/// A control character in words, for messages: `U+001B (escape)`.
pub fn control_name(c: char) -> String {
    let word = match c {
        '\u{7}' => " (bell)",
        '\u{8}' => " (backspace)",
        '\t' => " (tab)",
        '\n' => " (line break)",
        '\r' => " (carriage return)",
        '\u{1b}' => " (escape)",
        '\u{7f}' => " (delete)",
        _ => "",
    };
    format!("U+{:04X}{word}", u32::from(c))
}

/// Characters that make a spreadsheet read a cell as a formula when they begin it.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::model::date::YearMonth;
use crate::scenario::diag::{Diagnostic, Source};

pub type Value<'i> = Spanned<DeValue<'i>>;

/// Collects diagnostics while reading one source.
pub struct Reader<'s> {
    pub source: &'s Source,
    pub diagnostics: Vec<Diagnostic>,
    /// Prefix for messages while reading an option's patched copy of the scenario.
    pub context: Option<String>,
    /// The simulated period, first and last month, once the scenario's `[scenario]` table has
    /// given it: inputs' dates must lie inside it.
    pub horizon: Option<(YearMonth, YearMonth)>,
    /// The key paths of the inputs modelled in whole numbers (counts, months, years, and staff
    /// FTE, modelled as whole workers), as written (elements by name where they have one): what
    /// a sweep or a sensitivity swing of them must keep whole.
    pub whole: Vec<String>,
    /// Checks that could not run for a problem already reported (those across grades when a
    /// grade could not be read, say), for the closing line of the errors.
    pub not_run: Vec<&'static str>,
}

/// A value with the path it was found at.
#[derive(Clone)]
pub struct Node<'a, 'i> {
    pub value: &'a Value<'i>,
    pub path: String,
}

/// A table being read; remembers the keys asked for.
pub struct Table<'a, 'i> {
    pub table: &'a DeTable<'i>,
    pub span: Range<usize>,
    pub path: String,
    asked: Vec<&'static str>,
}

impl<'s> Reader<'s> {
    pub fn new(source: &'s Source) -> Self {
        Reader {
            source,
            diagnostics: Vec::new(),
            context: None,
            horizon: None,
            whole: Vec::new(),
            not_run: Vec::new(),
        }
    }

    pub fn error(&mut self, span: &Range<usize>, key: &str, message: impl Into<String>) {
        let mut message = message.into();
        if let Some(ctx) = &self.context {
            message = format!("{message} ({ctx})");
        }
        let d = self.source.diagnostic(span, key, message);
        if !self.diagnostics.contains(&d) {
            self.diagnostics.push(d);
        }
    }

    pub fn node_error(&mut self, node: &Node, message: impl Into<String>) {
        self.error(&node.value.span(), &node.path.clone(), message);
    }

    pub fn table<'a, 'i>(&mut self, node: &Node<'a, 'i>) -> Option<Table<'a, 'i>> {
        match node.value.get_ref() {
            DeValue::Table(t) => Some(Table {
                table: t,
                span: node.value.span(),
                path: node.path.clone(),
                asked: Vec::new(),
            }),
            other => {
                self.node_error(node, format!("expected a table, found {}", describe(other)));
                None
            }
        }
    }

    /// The elements of an array, with paths `path[i]` (or `path[name]` for named tables).
    pub fn array<'a, 'i>(&mut self, node: &Node<'a, 'i>) -> Option<Vec<Node<'a, 'i>>> {
        match node.value.get_ref() {
            DeValue::Array(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Node {
                        value: v,
                        path: format!("{}[{}]", node.path, element_label(v, i)),
                    })
                    .collect(),
            ),
            other => {
                self.node_error(
                    node,
                    format!("expected an array, found {}", describe(other)),
                );
                None
            }
        }
    }

    pub fn string(&mut self, node: &Node) -> Option<String> {
        match node.value.get_ref() {
            DeValue::String(s) if s.chars().count() > MAX_TEXT => {
                self.node_error(
                    node,
                    format!(
                        "this text has {} characters; at most {MAX_TEXT} are allowed (a spreadsheet cell holds no more)",
                        s.chars().count()
                    ),
                );
                None
            }
            DeValue::String(s) => {
                // A line break saved on Windows (CR LF) is a line break; any other control
                // character (ESC, BEL, a lone CR) could rewrite what a terminal shows, or break a
                // report's table, when the text is printed.
                let s = if s.contains('\r') {
                    s.replace("\r\n", "\n")
                } else {
                    s.to_string()
                };
                if let Some((at, c)) = s
                    .chars()
                    .enumerate()
                    .find(|(_, c)| c.is_control() && !matches!(c, '\n' | '\t'))
                {
                    self.node_error(
                        node,
                        format!(
                            "this text holds a control character, {}, at character {}; text \
                             may hold line breaks and tabs but no other control characters, \
                             which could rewrite what a terminal shows or break a report's table",
                            control_name(c),
                            at + 1
                        ),
                    );
                    return None;
                }
                Some(s)
            }
            other => {
                self.node_error(
                    node,
                    format!(
                        "expected a text string in quotes, found {}",
                        describe(other)
                    ),
                );
                None
            }
        }
    }

    /// The name of an element of an array that key paths select by name in brackets (a grade,
    /// post group, pipeline, option or target: `grades[L3].leaving`): a [`Reader::label`] that
    /// holds no bracket, which would break its paths.
    pub fn name(&mut self, node: &Node) -> Option<String> {
        let s = self.label(node)?;
        if s.contains(['[', ']']) {
            self.node_error(
                node,
                "a name cannot hold `[` or `]`: inputs are named by paths such as \
                 `grades[L3].leaving` (in `--vary`, an option's `set` and the serve page), which a \
                 bracket in a name would break; use ( ) instead",
            );
            return None;
        }
        Some(s)
    }

    /// A name that no path selects by (the scenario's, a region's): text that is not blank and
    /// does not begin with a character that makes a spreadsheet read a cell as a formula (`=`,
    /// `+`, `-`, `@`, a tab or a carriage return), since names are written into CSV files.
    pub fn label(&mut self, node: &Node) -> Option<String> {
        // A name is one line: no control character at all, line breaks included.
        if let DeValue::String(s) = node.value.get_ref()
            && let Some(c) = s.chars().find(|c| c.is_control())
        {
            self.node_error(
                node,
                format!(
                    "a name is one line of text, without control characters; this one holds {}",
                    control_name(c)
                ),
            );
            return None;
        }
        let s = self.string(node)?;
        if s.trim().is_empty() {
            self.node_error(node, "the name is blank; give it a name in quotes");
            return None;
        }
        let chars = s.chars().count();
        if chars > MAX_NAME {
            self.node_error(
                node,
                format!(
                    "this name has {chars} characters; a name can have at most {MAX_NAME} (names \
                     title charts and tables and name files); say more in a description"
                ),
            );
            return None;
        }
        if let Some(c) = s.chars().next().filter(|c| FORMULA_STARTS.contains(c)) {
            self.node_error(
                node,
                format!(
                    "a name cannot begin with `{}`: a spreadsheet opening the CSV files would read it as a formula; start it with a letter or digit",
                    c.escape_default()
                ),
            );
            return None;
        }
        Some(s)
    }

    pub fn boolean(&mut self, node: &Node) -> Option<bool> {
        match node.value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.node_error(
                    node,
                    format!("expected true or false, found {}", describe(other)),
                );
                None
            }
        }
    }

    /// A finite number (integer or decimal).
    pub fn number(&mut self, node: &Node) -> Option<f64> {
        match number_of(node.value.get_ref()) {
            Some(x) if x.is_finite() => Some(x),
            Some(x) => {
                self.node_error(node, format!("found {x}; a finite number is required"));
                None
            }
            None => {
                let found = describe(node.value.get_ref());
                let hint = match node.value.get_ref() {
                    DeValue::String(text) => number_in_text(text)
                        .map(write_instead)
                        .or_else(|| decimal_comma(text)),
                    _ => None,
                }
                .unwrap_or_default();
                self.node_error(node, format!("expected a number, found {found}{hint}"));
                None
            }
        }
    }

    /// A number within `[lo, hi]`; `what` describes the allowed values in the message.
    pub fn number_in(&mut self, node: &Node, lo: f64, hi: f64, what: &str) -> Option<f64> {
        let x = self.number(node)?;
        if x < lo || x > hi {
            let shown = outside(x, lo, hi);
            let hint = percent_hint(x, lo, hi);
            self.node_error(node, format!("found {shown}; allowed: {what}{hint}"));
            return None;
        }
        Some(x)
    }

    /// Records that the input at `node` is modelled in whole numbers ([`Reader::whole`]).
    pub fn takes_whole(&mut self, node: &Node) {
        if !self.whole.contains(&node.path) {
            self.whole.push(node.path.clone());
        }
    }

    /// A whole number within `[lo, hi]`.
    pub fn integer_in(&mut self, node: &Node, lo: i64, hi: i64) -> Option<i64> {
        self.takes_whole(node);
        match node.value.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(x) if (lo..=hi).contains(&x) => Some(x),
                Ok(x) => {
                    self.node_error(
                        node,
                        format!("found {x}; allowed: a whole number from {lo} to {hi}"),
                    );
                    None
                }
                Err(_) => {
                    self.node_error(
                        node,
                        format!("found {i}; allowed: a whole number from {lo} to {hi}"),
                    );
                    None
                }
            },
            DeValue::Float(f) => {
                self.node_error(
                    node,
                    format!("found {f}; allowed: a whole number from {lo} to {hi}"),
                );
                None
            }
            other => {
                self.node_error(
                    node,
                    format!(
                        "expected a whole number from {lo} to {hi}, found {}",
                        describe(other)
                    ),
                );
                None
            }
        }
    }

    /// Reports keys of `table` that were never asked for, suggesting the closest known key.
    pub fn finish(&mut self, table: Table) {
        for (key, value) in table.table.iter() {
            let name: &str = key.get_ref();
            if table.asked.contains(&name) {
                continue;
            }
            let path = join(&table.path, name);
            let suggestion = closest(name, &table.asked)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            let mut allowed: Vec<&str> = table.asked.clone();
            allowed.sort_unstable();
            let span = if key.span().is_empty() {
                value.span()
            } else {
                key.span()
            };
            self.error(
                &span,
                &path,
                format!(
                    "unknown key{suggestion} (allowed here: {})",
                    allowed.join(", ")
                ),
            );
        }
    }
}

impl<'a, 'i> Table<'a, 'i> {
    /// The value of `key`, if present; records that the key is known.
    pub fn get(&mut self, key: &'static str) -> Option<Node<'a, 'i>> {
        if !self.asked.contains(&key) {
            self.asked.push(key);
        }
        self.table.get(key).map(|v| Node {
            value: v,
            path: join(&self.path, key),
        })
    }

    /// The value of `key`, or an error that it is missing.
    pub fn require(
        &mut self,
        r: &mut Reader,
        key: &'static str,
        what: &str,
    ) -> Option<Node<'a, 'i>> {
        let n = self.get(key);
        if n.is_none() {
            let path = join(&self.path, key);
            r.error(&self.span, &path, format!("missing; required: {what}"));
        }
        n
    }
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// How an array element is named in key paths: its `name` if it is a table with one, else its index.
pub fn element_label(v: &Value, i: usize) -> String {
    if let DeValue::Table(t) = v.get_ref()
        && let Some(name) = t.get("name")
        && let DeValue::String(s) = name.get_ref()
    {
        return s.to_string();
    }
    i.to_string()
}

/// The number a TOML integer or float holds; `None` for other values.
pub fn number_of(v: &DeValue) -> Option<f64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(|x| x as f64),
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
        _ => None,
    }
}

/// A short description of a value for messages, e.g. `the text "abc"`.
pub fn describe(v: &DeValue) -> String {
    match v {
        DeValue::String(s) => format!("the text \"{s}\""),
        DeValue::Integer(i) => format!("the whole number {i}"),
        DeValue::Float(f) => format!("the number {f}"),
        DeValue::Boolean(b) => format!("the boolean {b}"),
        DeValue::Datetime(d) => format!("the date {d}"),
        DeValue::Array(_) => "an array".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

/// The known key closest to `key`, if any is close enough to be a likely misspelling.
pub fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| {
            (
                strsim::jaro_winkler(&key.to_lowercase(), &k.to_lowercase()),
                *k,
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Parses a TOML document, turning syntax errors into diagnostics.
pub fn parse_document<'i>(
    source: &Source,
    text: &'i str,
) -> Result<Spanned<DeTable<'i>>, Vec<Diagnostic>> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Ok(doc);
    }
    let mut out = Vec::new();
    // Inside a table whose header was a duplicate, its keys' duplicates follow from it alone.
    let mut in_duplicate_table = false;
    for e in &errors {
        let span = e.span().unwrap_or_else(|| unplaced(e.message(), text));
        let start = text[..span.start.min(text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line = text[start..].lines().next().unwrap_or("");
        let header = line.trim_start().starts_with('[');
        let duplicate = e.message().contains("duplicate key");
        if duplicate && header {
            in_duplicate_table = true;
        } else if header {
            in_duplicate_table = false;
        } else if duplicate && in_duplicate_table {
            continue;
        }
        let message = format!(
            "TOML syntax: {}{}",
            e.message().trim(),
            hint(e.message(), line, text.get(span.clone()).unwrap_or(""))
        );
        out.push(source.diagnostic(&span, "", message));
    }
    Err(out)
}

/// Tables a scenario holds several of, each written `[[name]]`.
pub(crate) const ARRAYS: [&str; 6] = [
    "posts",
    "grades",
    "targets",
    "options",
    "premiums",
    "intake.pipelines",
];

/// Where an error the parser gives no place for is: for nesting past its limit, the line that
/// nests most (the most dots, brackets and braces); else the start.
fn unplaced(message: &str, text: &str) -> std::ops::Range<usize> {
    if !nested_too_deeply(message) {
        return 0..0;
    }
    let mut at = 0;
    let (mut most, mut deepest) = (0, 0);
    for line in text.split_inclusive('\n') {
        // What is written before a comment, outside quotes.
        let (mut quoted, mut depth) = (false, 0);
        for c in line.chars() {
            match c {
                '"' | '\'' => quoted = !quoted,
                '#' if !quoted => break,
                '.' | '[' | '{' if !quoted => depth += 1,
                _ => {}
            }
        }
        if depth > most {
            (most, deepest) = (depth, at);
        }
        at += line.len();
    }
    deepest..deepest
}

/// Whether the parser stopped at its limit of nesting (keys and tables, or lists and inline
/// tables, which it words differently).
fn nested_too_deeply(message: &str) -> bool {
    message.contains("recursion limit") || message.contains("cannot recurse")
}

/// What to write instead, for the syntax slips people make most (`line` is the line in error,
/// `at` the text the parser points at in it).
fn hint(message: &str, line: &str, at: &str) -> String {
    let trimmed = line.trim();
    if nested_too_deeply(message) {
        return "; keys, tables or lists are nested too deeply here, far deeper than any scenario's"
            .into();
    }
    if message.contains("date")
        && let Some((key, value)) = trimmed.split_once('=')
    {
        let value = value.split('#').next().unwrap_or("").trim();
        if !value.starts_with('"') {
            return format!(
                "; write dates in quotes, as text: {} = \"{}\"",
                key.trim(),
                value
            );
        }
    }
    if message.contains("duplicate key") {
        if let Some(name) = trimmed
            .strip_prefix('[')
            .filter(|t| !t.starts_with('['))
            .and_then(|t| t.split(']').next())
        {
            let name = name.trim();
            if ARRAYS.contains(&name) {
                return format!(
                    "; `[{name}]` appears more than once: each of several is its own table, written with double brackets, `[[{name}]]`"
                );
            }
            return format!("; the table `[{name}]` appears more than once");
        }
        // The key the parser points at, when it is inside an inline table rather than part of
        // the line's own (dotted) key.
        let key = at.trim().trim_matches(['"', '\'']);
        let own = trimmed.split_once('=').map(|(k, _)| k.trim());
        if !key.is_empty() && !key.contains(['=', '\n']) && !own.is_some_and(|k| k.contains(key)) {
            return format!("; `{key}` is set twice in the same table");
        }
        if let Some((key, _)) = trimmed.split_once('=') {
            return format!("; `{}` is set twice in the same table", key.trim());
        }
    }
    // A number as people write it, without quotes: 3,000, £3,000 or 30%.
    if let Some((_, value)) = trimmed.split_once('=') {
        let value = value.split('#').next().unwrap_or("").trim();
        if !value.starts_with(['"', '\'', '[', '{']) && value.contains([',', '£', '%']) {
            if let Some(x) = number_in_text(value) {
                return write_instead(x);
            }
            if let Some(hint) = decimal_comma(value) {
                return hint;
            }
        }
    }
    String::new()
}

/// Reads every item of a list before giving up on it, so a list with several bad items reports
/// them all at once rather than only the first.
pub fn every<T>(items: impl Iterator<Item = Option<T>>) -> Option<Vec<T>> {
    let all: Vec<Option<T>> = items.collect();
    all.into_iter().collect()
}

/// The number a string such as `£3,000`, `3,000`, `£3k` or `18.5%` means, if it means one.
pub(crate) fn number_in_text(text: &str) -> Option<f64> {
    let t = text.trim();
    let (t, percent) = match t.strip_suffix('%') {
        Some(rest) => (rest, true),
        None => (t, false),
    };
    let t = t
        .trim()
        .trim_start_matches('£')
        .trim_start_matches("GBP")
        .trim();
    let (t, scale) = match t.strip_suffix(['k', 'K']) {
        Some(rest) => (rest, 1e3),
        None => match t.strip_suffix(['m', 'M']) {
            Some(rest) => (rest, 1e6),
            None => (t, 1.0),
        },
    };
    let digits = without_thousands(&t.replace('_', ""))?;
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return None;
    }
    let x = digits.parse::<f64>().ok()? * scale;
    Some(if percent { x / 100.0 } else { x })
}

/// `text` with its thousands separators taken out (`3,000` and `3 000` read `3000`,
/// `-1,234,567.5` reads `-1234567.5`), when each comma or space parts groups of three digits in
/// the whole part; `None` when one does not (`2,5`, `45,50`, `3,00`), as a decimal comma or a
/// slip would, which taken out would make a number ten or a hundred times too large.
pub(crate) fn without_thousands(text: &str) -> Option<String> {
    let (sign, rest) = match text.strip_prefix(['-', '+']) {
        Some(rest) => (&text[..1], rest),
        None => ("", text),
    };
    let (whole, frac) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    if frac.is_some_and(|f| f.contains([',', ' '])) {
        return None;
    }
    if !whole.contains([',', ' ']) {
        return Some(text.to_string());
    }
    let groups: Vec<&str> = whole.split([',', ' ']).collect();
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    // `0,750` is no thousand: a whole part with groups after it does not begin with 0.
    let grouped = (1..=3).contains(&groups[0].len())
        && !groups[0].starts_with('0')
        && groups.iter().all(|g| digits(g))
        && groups[1..].iter().all(|g| g.len() == 3);
    grouped.then(|| {
        let mut out = format!("{sign}{}", groups.concat());
        if let Some(f) = frac {
            out.push('.');
            out.push_str(f);
        }
        out
    })
}

/// The hint for a number written with a decimal comma (`0,1`, `-0,15`, `45,50`, `12,5%`): "; 0,1
/// reads as a decimal comma: write 0.1, a number with a point" (`12,5%`: write 0.125). `None` for
/// any other text.
pub(crate) fn decimal_comma(text: &str) -> Option<String> {
    let t = text.trim();
    let bare = t.trim_start_matches('£').trim_end_matches('%').trim();
    let (whole, frac) = bare.split_once(',')?;
    let whole = whole.strip_prefix('-').unwrap_or(whole);
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    if !(digits(whole) && digits(frac) && without_thousands(bare).is_none()) {
        return None;
    }
    let x = number_in_text(&t.replacen(',', ".", 1))?;
    Some(format!(
        "; {t} reads as a decimal comma: write {}, a number with a point",
        crate::model::format::fmt_g(x)
    ))
}

/// The hint for a number written as text: "; write 3000 (a number, without quotes, £ or commas)".
pub(crate) fn write_instead(x: f64) -> String {
    format!(
        "; write {} (a number, without quotes, £ or commas)",
        crate::model::format::fmt_g(x)
    )
}

/// A value found outside `lo..=hi`, as an error shows it: shortly, or in full where the short
/// form would round to a value that is allowed (1.0000001 is not "1").
pub fn outside(x: f64, lo: f64, hi: f64) -> String {
    let short = crate::model::format::fmt_g(x);
    match short.parse::<f64>() {
        Ok(y) if (lo..=hi).contains(&y) => format!("{x}"),
        _ => short,
    }
}

/// For `x` outside `[lo, hi]`, where the range is of shares, rates or proportional changes, a
/// percentage written where a proportion is asked for (25 for 25%, -10 for -10%): what to write
/// instead. Just above 1 is more likely a slip of the decimal point, so no hint there; nor for a
/// range of counts or money.
pub fn percent_hint(x: f64, lo: f64, hi: f64) -> String {
    let share = x / 100.0;
    if hi <= 10.0 && (2.0..=100.0).contains(&x.abs()) && (lo..=hi).contains(&share) {
        format!(
            "; for {}%, write {}",
            crate::model::format::fmt_g(x),
            crate::model::format::fmt_g(share)
        )
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_key_is_named_as_written() {
        let dup = "duplicate key";
        // Inside an inline table: the key the parser points at.
        assert_eq!(
            hint(dup, "recruit = { \"L3\" = 0.5, \"L3\" = 0.5 }", "\"L3\""),
            "; `L3` is set twice in the same table"
        );
        // A dotted key: the whole key, not its last part.
        assert_eq!(
            hint(dup, "discount.x = 2", "x"),
            "; `discount.x` is set twice in the same table"
        );
    }

    #[test]
    fn numbers_written_as_text_are_read_for_the_hint() {
        assert_eq!(number_in_text("£3,000"), Some(3000.0));
        assert_eq!(number_in_text(" 3,000 "), Some(3000.0));
        assert_eq!(number_in_text("£3k"), Some(3000.0));
        assert_eq!(number_in_text("18.5%"), Some(0.185));
        assert_eq!(number_in_text("three thousand"), None);
        assert_eq!(number_in_text("£"), None);
        // A comma that does not part thousands is no thousands separator.
        assert_eq!(number_in_text("1,234,567.5"), Some(1_234_567.5));
        assert_eq!(number_in_text("3 000"), Some(3000.0));
        assert_eq!(number_in_text("1_000"), Some(1000.0));
        for slip in [
            "-0,1", "2,5", "45,50", "3,00", "3,0000", "1,000,00", "1.5,0", ",", "0,750",
        ] {
            assert_eq!(number_in_text(slip), None, "{slip}");
        }
    }

    #[test]
    fn a_decimal_comma_is_told_to_take_a_point() {
        assert_eq!(
            decimal_comma("-0,1").as_deref(),
            Some("; -0,1 reads as a decimal comma: write -0.1, a number with a point")
        );
        // What it says to write is a number the reader takes: no £, a percentage as a share.
        assert_eq!(
            decimal_comma("£45,50").as_deref(),
            Some("; £45,50 reads as a decimal comma: write 45.5, a number with a point")
        );
        assert_eq!(
            decimal_comma("12,5%").as_deref(),
            Some("; 12,5% reads as a decimal comma: write 0.125, a number with a point")
        );
        assert_eq!(
            decimal_comma("0,750").as_deref(),
            Some("; 0,750 reads as a decimal comma: write 0.75, a number with a point")
        );
        // Thousands, and text that is no number, get no such hint.
        assert_eq!(decimal_comma("3,000"), None);
        assert_eq!(decimal_comma("a,b"), None);
        assert_eq!(decimal_comma("3"), None);
    }

    #[test]
    fn suggestions_need_a_close_match() {
        assert_eq!(
            closest("turnovr", &["turnover", "salary"]),
            Some("turnover")
        );
        assert_eq!(closest("zzz", &["turnover", "salary"]), None);
    }
}
