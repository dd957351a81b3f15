//! The page's changes to a scenario, made to its text: a value replaced where it is written (its
//! comment and the rest of the file kept as they were), and options added, copied and removed as
//! whole `[[options]]` tables. The text is then read by the same reader as `wfsim check` and
//! `wfsim run`, so what the page runs is what a download of the text gives `wfsim run`.
//!
//! Paths are the scenario's key paths (`posts[Social worker].establishment`), reaching also into a
//! value written as a table (`posts[Social worker].establishment.by_year.2023/24`, a
//! distribution's `.mode`) and into an option's `set`, whose keys are paths themselves and are
//! given in brackets: `options[asye-25].set[intake.asye.size]`.

use serde::Deserialize;
use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

/// One change the page asks for.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Edit {
    /// Replace the value at `path`: a number as typed (`3,000` and `£3000` are read as 3000),
    /// else text; with `text`, always text (a name or a description).
    Set {
        path: String,
        value: String,
        #[serde(default)]
        text: bool,
    },
    /// A new option with no changes, named `option-N` (the first N not taken).
    AddOption,
    /// A copy of option `option` after the last, named `<option>-copy` (or `-copy-2`, ...).
    CopyOption { option: String },
    /// Remove option `option`.
    RemoveOption { option: String },
    /// Option `option` changes the baseline's input `path` too, starting from the baseline's value.
    AddChange { option: String, path: String },
    /// Option `option` no longer changes input `path`.
    RemoveChange { option: String, path: String },
}

/// `text` with `edits` made in turn; an edit that cannot be made is an error in words.
pub fn apply(text: &str, edits: &[Edit]) -> Result<String, String> {
    if edits.is_empty() {
        return Ok(text.to_string());
    }
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("the scenario is not valid TOML: {e}"))?;
    for e in edits {
        apply_one(&mut doc, e)?;
    }
    Ok(doc.to_string())
}

fn apply_one(doc: &mut DocumentMut, e: &Edit) -> Result<(), String> {
    match e {
        Edit::Set { path, value, text } => {
            let new = if *text {
                Value::from(value.as_str())
            } else {
                literal(value)
            };
            match slot(doc.as_table_mut(), path)? {
                Slot::Value(v) => replace(v, new),
                Slot::Item(Item::Value(v)) => replace(v, new),
                _ => return Err(format!("`{path}` is a table, not a value")),
            }
            Ok(())
        }
        Edit::AddOption => {
            let names = option_names(doc);
            let name = (1..)
                .map(|n| format!("option-{n}"))
                .find(|n| !names.contains(n))
                .expect("a free name");
            let mut t = Table::new();
            t.insert("name", toml_edit::value(name));
            t.insert(
                "description",
                toml_edit::value("a new option: add the changes it makes"),
            );
            t.decor_mut().set_prefix("\n");
            options_mut(doc)?.push(t);
            Ok(())
        }
        Edit::CopyOption { option } => {
            let names = option_names(doc);
            let options = options_mut(doc)?;
            let i = find_option(options, option)?;
            let mut t = options.get(i).expect("found").clone();
            let stem = format!("{option}-copy");
            let name = std::iter::once(stem.clone())
                .chain((2..).map(|n| format!("{stem}-{n}")))
                .find(|n| !names.contains(n))
                .expect("a free name");
            set_str(&mut t, "name", &name);
            let description = t
                .get("description")
                .and_then(Item::as_str)
                .map(|d| format!("{d} (copy)"))
                .unwrap_or_else(|| format!("a copy of {option}"));
            set_str(&mut t, "description", &description);
            // Placed after the last option, its comment above (which belongs to the original)
            // left behind.
            unposition(&mut t);
            t.decor_mut().set_prefix("\n");
            options.push(t);
            Ok(())
        }
        Edit::RemoveOption { option } => {
            let options = options_mut(doc)?;
            let i = find_option(options, option)?;
            options.remove(i);
            Ok(())
        }
        Edit::AddChange { option, path } => {
            if path.starts_with("options") {
                return Err("an option changes the baseline's inputs, not another option's".into());
            }
            let value = match slot(doc.as_table_mut(), path)? {
                Slot::Value(v) | Slot::Item(Item::Value(v)) => v.clone(),
                _ => return Err(format!("`{path}` is a table, not a value")),
            };
            let options = options_mut(doc)?;
            let i = find_option(options, option)?;
            let t = options.get_mut(i).expect("found");
            let set = t
                .entry("set")
                .or_insert_with(|| toml_edit::value(InlineTable::new()));
            let Some(set) = set.as_inline_table_mut() else {
                return Err(format!(
                    "option `{option}` writes its `set` as a table; change it in the file"
                ));
            };
            let mut value = value;
            value.decor_mut().clear();
            set.insert(path.as_str(), value);
            set.fmt();
            Ok(())
        }
        Edit::RemoveChange { option, path } => {
            let options = options_mut(doc)?;
            let i = find_option(options, option)?;
            let t = options.get_mut(i).expect("found");
            let removed = match t.get_mut("set") {
                Some(Item::Value(Value::InlineTable(set))) => set.remove(path).is_some(),
                Some(Item::Table(set)) => set.remove(path).is_some(),
                _ => false,
            };
            if !removed {
                return Err(format!("option `{option}` does not change `{path}`"));
            }
            if matches!(t.get("set"), Some(Item::Value(Value::InlineTable(s))) if s.is_empty()) {
                t.remove("set");
            }
            Ok(())
        }
    }
}

/// A value as typed into a box: a number where it reads as one (spaces, `,` thousands
/// separators, `_` and a leading `£` allowed), else the text as a TOML string, which the reader
/// then refuses where a number belongs, in the words `wfsim check` uses.
pub fn literal(typed: &str) -> Value {
    let t = typed.trim();
    let plain: String = t
        .strip_prefix('£')
        .unwrap_or(t)
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    if let Ok(v) = plain.parse::<Value>()
        && (v.is_integer() || v.is_float())
        && v.as_float().is_none_or(f64::is_finite)
    {
        return v;
    }
    Value::from(t)
}

fn replace(v: &mut Value, mut new: Value) {
    *new.decor_mut() = v.decor().clone();
    *v = new;
}

fn set_str(t: &mut Table, key: &str, s: &str) {
    match t.get_mut(key) {
        Some(Item::Value(v)) => replace(v, Value::from(s)),
        _ => {
            t.insert(key, toml_edit::value(s));
        }
    }
}

/// Forgets where a table and those within it stood in the file, so that it is written after the
/// tables before it in the document.
fn unposition(t: &mut Table) {
    t.set_position(None);
    for (_, item) in t.iter_mut() {
        match item {
            Item::Table(sub) => unposition(sub),
            Item::ArrayOfTables(a) => a.iter_mut().for_each(unposition),
            _ => {}
        }
    }
}

fn option_names(doc: &DocumentMut) -> Vec<String> {
    match doc.get("options") {
        Some(Item::ArrayOfTables(a)) => a
            .iter()
            .filter_map(|t| t.get("name").and_then(Item::as_str).map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn options_mut(doc: &mut DocumentMut) -> Result<&mut toml_edit::ArrayOfTables, String> {
    let item = doc
        .as_table_mut()
        .entry("options")
        .or_insert_with(|| Item::ArrayOfTables(Default::default()));
    item.as_array_of_tables_mut().ok_or_else(|| {
        "the scenario writes its options in one array; write each as an [[options]] table to edit them here".to_string()
    })
}

fn find_option(options: &toml_edit::ArrayOfTables, name: &str) -> Result<usize, String> {
    options
        .iter()
        .position(|t| t.get("name").and_then(Item::as_str) == Some(name))
        .ok_or_else(|| format!("there is no option `{name}`"))
}

/// One step of a path: a key, or what `[...]` selects (an element of an array by its index or
/// name, or a key of a table as written, dots and all).
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Key(String),
    Select(String),
}

/// The steps of a path; brackets may nest inside a selection (`set[grades[ASYE].leaving[0]]`).
pub fn steps(path: &str) -> Result<Vec<Step>, String> {
    let mut out = Vec::new();
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
        if key.trim().is_empty() {
            return Err(format!("`{path}` has an empty key"));
        }
        out.push(Step::Key(key.trim().to_string()));
        while chars.peek() == Some(&'[') {
            chars.next();
            let (mut sel, mut depth) = (String::new(), 0);
            loop {
                match chars.next() {
                    Some(']') if depth == 0 => break,
                    Some(c) => {
                        depth += usize::from(c == '[');
                        depth -= usize::from(c == ']');
                        sel.push(c);
                    }
                    None => return Err(format!("`{path}` has an unclosed `[`")),
                }
            }
            out.push(Step::Select(sel));
        }
        match chars.next() {
            None => return Ok(out),
            Some('.') => continue,
            Some(c) => {
                return Err(format!(
                    "`{path}` has `{c}` where `.` or the end was expected"
                ));
            }
        }
    }
}

/// A key as a path writes it after `prefix`: `.key`, or `[key]` for one holding `.`, `[` or `]`.
pub fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else if key.contains(['.', '[', ']']) {
        format!("{prefix}[{key}]")
    } else {
        format!("{prefix}.{key}")
    }
}

enum Slot<'a> {
    Table(&'a mut Table),
    Item(&'a mut Item),
    Value(&'a mut Value),
}

fn slot<'a>(root: &'a mut Table, path: &str) -> Result<Slot<'a>, String> {
    let mut cur = Slot::Table(root);
    let mut done = String::new();
    for s in steps(path)? {
        let (word, is_key) = match &s {
            Step::Key(k) => (k.as_str(), true),
            Step::Select(k) => (k.as_str(), false),
        };
        let missing = || {
            if done.is_empty() {
                format!("`{word}` does not exist")
            } else {
                format!("`{done}` has no `{word}`")
            }
        };
        cur = match cur {
            Slot::Table(t) => Slot::Item(t.get_mut(word).ok_or_else(missing)?),
            Slot::Item(Item::Table(t)) => Slot::Item(t.get_mut(word).ok_or_else(missing)?),
            Slot::Item(Item::ArrayOfTables(a)) if !is_key => {
                let i = match word.parse::<usize>() {
                    Ok(i) => i,
                    Err(_) => a
                        .iter()
                        .position(|t| t.get("name").and_then(Item::as_str) == Some(word))
                        .ok_or_else(missing)?,
                };
                Slot::Table(a.get_mut(i).ok_or_else(missing)?)
            }
            Slot::Item(Item::Value(v)) | Slot::Value(v) => match v {
                Value::InlineTable(t) => Slot::Value(t.get_mut(word).ok_or_else(missing)?),
                Value::Array(a) if !is_key => {
                    let i = match word.parse::<usize>() {
                        Ok(i) => i,
                        Err(_) => a
                            .iter()
                            .position(|v| {
                                v.as_inline_table()
                                    .and_then(|t| t.get("name"))
                                    .and_then(Value::as_str)
                                    == Some(word)
                            })
                            .ok_or_else(missing)?,
                    };
                    Slot::Value(a.get_mut(i).ok_or_else(missing)?)
                }
                _ => return Err(missing()),
            },
            _ => return Err(missing()),
        };
        done = match &s {
            Step::Key(k) => join(&done, k),
            Step::Select(k) => format!("{done}[{k}]"),
        };
    }
    Ok(cur)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"# top
[scenario]
name = "x"   # the name

[[posts]]
name = "SW"
establishment = { from = 20, by_year = { "2024/25" = 22 } }   # posts
rate = { dist = "triangular", low = 40.0, mode = 45.0, high = 50.0 }

[intake.asye]
size = 15                             # a year

# the first option
[[options]]
name = "a"
set = { "intake.asye.size" = 25 }

[[options.premiums]]
kind = "market_supplement"
amount = 3000                         # pounds
"#;

    fn set(path: &str, value: &str) -> Edit {
        Edit::Set {
            path: path.into(),
            value: value.into(),
            text: false,
        }
    }

    #[test]
    fn values_are_replaced_where_written_keeping_comments() {
        let out = apply(
            TEXT,
            &[
                set("intake.asye.size", "20"),
                set("posts[SW].establishment.by_year.2024/25", "23.5"),
                set("posts[0].rate.mode", "£46"),
                set("options[a].set[intake.asye.size]", "30"),
                set("options[a].premiums[0].amount", "3,500"),
            ],
        )
        .unwrap();
        let expected = TEXT
            .replace("size = 15 ", "size = 20 ")
            .replace("\"2024/25\" = 22", "\"2024/25\" = 23.5")
            .replace("mode = 45.0", "mode = 46")
            .replace("\" = 25 }", "\" = 30 }")
            .replace("amount = 3000", "amount = 3500");
        assert_eq!(out, expected);
    }

    #[test]
    fn text_that_is_not_a_number_stays_text_for_the_reader_to_refuse() {
        let out = apply(TEXT, &[set("intake.asye.size", "many")]).unwrap();
        assert!(out.contains("size = \"many\" "), "{out}");
        assert!(apply(TEXT, &[set("intake.asye.sise", "1")]).is_err());
        assert!(apply(TEXT, &[set("posts[XX].rate", "1")]).is_err());
    }

    #[test]
    fn options_are_copied_changed_and_removed_as_tables() {
        let out = apply(
            TEXT,
            &[
                Edit::CopyOption { option: "a".into() },
                Edit::AddOption,
                Edit::AddChange {
                    option: "option-1".into(),
                    path: "posts[SW].establishment".into(),
                },
                Edit::RemoveChange {
                    option: "a-copy".into(),
                    path: "intake.asye.size".into(),
                },
            ],
        )
        .unwrap();
        let doc: toml::Table = toml::from_str(&out).unwrap();
        let options = doc["options"].as_array().unwrap();
        let names: Vec<&str> = options
            .iter()
            .map(|o| o["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["a", "a-copy", "option-1"]);
        assert_eq!(options[1]["premiums"][0]["amount"].as_integer(), Some(3000));
        assert!(options[1].get("set").is_none());
        assert_eq!(
            options[2]["set"]["posts[SW].establishment"]["from"].as_integer(),
            Some(20)
        );
        // The original keeps its comment; the copy follows it.
        assert!(out.starts_with(&TEXT[..TEXT.find("[[options.premiums]]").unwrap()]));
        let out = apply(&out, &[Edit::RemoveOption { option: "a".into() }]).unwrap();
        assert!(!out.contains("# the first option"));
        assert!(!out.contains("name = \"a\""));
    }

    #[test]
    fn paths_split_into_steps() {
        assert_eq!(
            steps("options[a].set[grades[X].leaving[0]]").unwrap(),
            [
                Step::Key("options".into()),
                Step::Select("a".into()),
                Step::Key("set".into()),
                Step::Select("grades[X].leaving[0]".into()),
            ]
        );
        assert_eq!(
            join("options[a].set", "intake.asye.size"),
            "options[a].set[intake.asye.size]"
        );
        assert_eq!(join("x.by_year", "2024/25"), "x.by_year.2024/25");
        assert!(steps("a[b").is_err());
    }
}
