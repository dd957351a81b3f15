//! First stage of reading a scenario: the spanned TOML tree, read key by key.
//!
//! Serde would stop at the first problem and lose the position of semantic errors, so the scenario is
//! parsed into toml's spanned document tree and read by hand here. Every accessor records an error
//! with the key's path and position instead of failing, so all problems are reported at once; every
//! table remembers which keys were read so that unknown ones can be reported with a suggestion.
//!
//! This module also applies key-path patches (`grades[Level 3].leaving[2] = 0.1`) to the tree, which is
//! how options and sweeps change an input.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::scenario::diag::{Diagnostic, Source};

pub type Value<'i> = Spanned<DeValue<'i>>;

/// Collects diagnostics while reading one source.
pub struct Reader<'s> {
    pub source: &'s Source,
    pub diagnostics: Vec<Diagnostic>,
    /// Prefix for messages while reading an option's patched copy of the scenario.
    pub context: Option<String>,
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
            DeValue::String(s) => Some(s.to_string()),
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
                self.node_error(node, format!("expected a number, found {found}"));
                None
            }
        }
    }

    /// A number within `[lo, hi]`; `what` describes the allowed values in the message.
    pub fn number_in(&mut self, node: &Node, lo: f64, hi: f64, what: &str) -> Option<f64> {
        let x = self.number(node)?;
        if x < lo || x > hi {
            self.node_error(node, format!("found {x}; allowed: {what}"));
            return None;
        }
        Some(x)
    }

    /// A whole number within `[lo, hi]`.
    pub fn integer_in(&mut self, node: &Node, lo: i64, hi: i64) -> Option<i64> {
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

fn join(path: &str, key: &str) -> String {
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

/// One step of a key path: a key, then optional `[selector]`s (an index or an element's name).
#[derive(Debug, Clone, PartialEq)]
struct Step {
    key: String,
    selectors: Vec<String>,
}

fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut chars = path.chars().peekable();
    loop {
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '.' || c == '[' {
                break;
            }
            key.push(c);
            chars.next();
        }
        let mut selectors = Vec::new();
        while chars.peek() == Some(&'[') {
            chars.next();
            let mut sel = String::new();
            loop {
                match chars.next() {
                    Some(']') => break,
                    Some(c) => sel.push(c),
                    None => return Err(format!("`{path}` has an unclosed `[`")),
                }
            }
            selectors.push(sel);
        }
        if key.trim().is_empty() {
            return Err(format!(
                "`{path}` has an empty key; write paths like `posts[Social worker].fill_probability`"
            ));
        }
        steps.push(Step {
            key: key.trim().to_string(),
            selectors,
        });
        match chars.next() {
            None => return Ok(steps),
            Some('.') => continue,
            Some(c) => {
                return Err(format!(
                    "`{path}` has `{c}` where `.` or the end was expected"
                ));
            }
        }
    }
}

/// Whether two key paths name the same input, however they are spaced.
pub fn same_path(a: &str, b: &str) -> bool {
    matches!((parse_path(a), parse_path(b)), (Ok(x), Ok(y)) if x == y)
}

/// What `path` selects first from the top-level array `key`: `supplement-3k` for
/// `options[supplement-3k].premiums[0].amount` and key `options` (an index stays a number as
/// written); `None` for a path that starts elsewhere or selects nothing.
pub fn selects_from(path: &str, key: &str) -> Option<String> {
    let first = parse_path(path).ok()?.into_iter().next()?;
    if first.key == key {
        first.selectors.into_iter().next()
    } else {
        None
    }
}

/// Replaces the value at `path` in `root` with `value`. Errors name the nearest valid path.
pub fn patch<'i>(root: &mut DeTable<'i>, path: &str, value: Value<'i>) -> Result<(), String> {
    patch_with(root, path, |_| value)
}

/// Replaces the value at `path` in `root` with `make(old value)`. Errors name the nearest valid path.
pub fn patch_with<'i>(
    root: &mut DeTable<'i>,
    path: &str,
    make: impl FnOnce(&Value<'i>) -> Value<'i>,
) -> Result<(), String> {
    let steps = parse_path(path)?;
    let mut table: &mut DeTable<'i> = root;
    let mut done = String::new();
    for (si, step) in steps.iter().enumerate() {
        let last_step = si + 1 == steps.len();
        let keys: Vec<String> = table.keys().map(|k| k.get_ref().to_string()).collect();
        let Some(slot) = table.get_mut(step.key.as_str()) else {
            let known: Vec<&str> = keys.iter().map(String::as_str).collect();
            let hint = closest(&step.key, &known)
                .map(|k| format!("; did you mean `{}`?", join(&done, k)))
                .unwrap_or_else(|| format!("; keys here: {}", known.join(", ")));
            return Err(format!("`{}` does not exist{hint}", join(&done, &step.key)));
        };
        done = join(&done, &step.key);
        let mut cur: &mut Value<'i> = slot;
        for (i, sel) in step.selectors.iter().enumerate() {
            let DeValue::Array(items) = cur.get_mut() else {
                return Err(format!(
                    "`{done}` is not an array, so `[{sel}]` cannot select from it"
                ));
            };
            let pos = match sel.parse::<usize>() {
                Ok(ix) if ix < items.len() => ix,
                Ok(ix) => {
                    return Err(format!(
                        "`{done}` has {} elements; index {ix} is past the end",
                        items.len()
                    ));
                }
                Err(_) => {
                    let names: Vec<String> = items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| element_label(v, i))
                        .collect();
                    match names.iter().position(|n| n == sel) {
                        Some(p) => p,
                        None => {
                            let known: Vec<&str> = names.iter().map(String::as_str).collect();
                            let hint = closest(sel, &known)
                                .map(|k| format!("; did you mean `{done}[{k}]`?"))
                                .unwrap_or_else(|| format!("; names here: {}", known.join(", ")));
                            return Err(format!("`{done}[{sel}]` does not exist{hint}"));
                        }
                    }
                }
            };
            done = format!("{done}[{sel}]");
            cur = &mut items.as_mut()[pos];
            if last_step && i + 1 == step.selectors.len() {
                *cur = make(cur);
                return Ok(());
            }
        }
        if last_step {
            *cur = make(cur);
            return Ok(());
        }
        match cur.get_mut() {
            DeValue::Table(t) => table = t,
            _ => {
                return Err(format!(
                    "`{done}` is not a table, so it has no `{}`",
                    steps[si + 1].key
                ));
            }
        }
    }
    unreachable!("the loop returns at the last step")
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
    Err(errors
        .iter()
        .map(|e| {
            let span = e.span().unwrap_or(0..0);
            source.diagnostic(&span, "", format!("TOML syntax: {}", e.message().trim()))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Spanned<DeTable<'_>> {
        DeTable::parse(text).unwrap()
    }

    fn value(text: &str) -> Value<'_> {
        DeValue::parse(text).unwrap()
    }

    #[test]
    fn patches_named_array_elements_and_indices() {
        let text = "[[grades]]\nname = \"L3\"\nleaving = [0.1, 0.2]\n";
        let mut d = doc(text).into_inner();
        patch(&mut d, "grades[L3].leaving[1]", value("0.5")).unwrap();
        let g = &d["grades"];
        let DeValue::Array(a) = g.get_ref() else {
            panic!()
        };
        let DeValue::Table(t) = a[0].get_ref() else {
            panic!()
        };
        let DeValue::Array(l) = t["leaving"].get_ref() else {
            panic!()
        };
        assert_eq!(number_of(l[1].get_ref()), Some(0.5));
    }

    #[test]
    fn bad_paths_name_the_nearest_valid_one() {
        let text = "[[grades]]\nname = \"Level 3\"\nleaving = [0.1]\n[intake]\nsize = 3\n";
        let mut d = doc(text).into_inner();
        let e = patch(&mut d, "grades[Level 3].leavng", value("1")).unwrap_err();
        assert!(e.contains("did you mean `grades[Level 3].leaving`?"), "{e}");
        let e = patch(&mut d, "grades[Level 2].leaving", value("1")).unwrap_err();
        assert!(e.contains("did you mean `grades[Level 3]`?"), "{e}");
        let e = patch(&mut d, "intake.sizes", value("1")).unwrap_err();
        assert!(e.contains("did you mean `intake.size`?"), "{e}");
        let e = patch(&mut d, "grades[Level 3].leaving[4]", value("1")).unwrap_err();
        assert!(e.contains("past the end"), "{e}");
        assert!(
            patch(&mut d, "grades[Level 3", value("1"))
                .unwrap_err()
                .contains("unclosed")
        );
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
