//! The page's changes to a scenario, made to its text: a value replaced where it is written (its
//! comment and the rest of the file kept as they were), options added, copied and removed whole,
//! and premiums added to and removed from an option. An option may be written in any layout the
//! reader takes (`[[options]]` tables with `[[options.premiums]]` or inline `premiums = [{...}]`,
//! or one inline array `options = [{...}]`); each change keeps the layout it finds. The text is
//! then read by the same reader as `wfsim check` and `wfsim run`, so what the page runs is what a
//! download of the text gives `wfsim run`.
//!
//! Paths are the scenario's key paths (`posts[Social worker].establishment`), reaching also into a
//! value written as a table (`posts[Social worker].establishment.by_year.2023/24`, a
//! distribution's `.mode`) and into an option's `set`, whose keys are paths themselves and are
//! given in brackets: `options[asye-25].set[intake.asye.size]`.

use serde::Deserialize;
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value};

/// One change the page asks for.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Edit {
    /// Replace the value at `path`: a number as typed (`3,000` and `£3000` are read as 3000),
    /// else text; with `text`, always text (a name, a description, a choice). With `create`, a
    /// key missing from a table that exists is written, and an empty value removes the key (an
    /// optional key left to its default).
    Set {
        path: String,
        value: String,
        #[serde(default)]
        text: bool,
        #[serde(default)]
        create: bool,
    },
    /// Replace the list at `path` (a premium's grades) by `values`, as text.
    SetList { path: String, values: Vec<String> },
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
    /// Option `option` pays a premium too, after those it has.
    AddPremium {
        option: String,
        premium: Box<NewPremium>,
    },
    /// Option `option` no longer pays its premium `index` (from 0, in file order).
    RemovePremium { option: String, index: usize },
}

/// The kinds of premium a scenario may state (`scenario::premium`), as files name them.
pub const PREMIUM_KINDS: [&str; 3] = ["market_supplement", "golden_hello", "retention_payment"];

/// A premium as the page's form gives it: each value as typed, empty where not given (the key is
/// then left out, so it takes its default or, where it is required, the reader says so beside
/// its box).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewPremium {
    pub kind: String,
    pub grades: Vec<String>,
    pub amount: String,
    /// A retention payment's months of service at which it is paid.
    pub at_months: String,
    /// A golden hello's or a retention payment's clawback: its months and rule (`full`,
    /// `pro_rata`).
    pub clawback_months: String,
    pub clawback: String,
    /// A retention payment's months of promise before it is paid.
    pub lead_months: String,
    pub leaving_effect: Effect,
    pub hiring_effect: Effect,
}

/// An effect as typed: one value (`mode` alone) or a triangular range.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Effect {
    pub low: String,
    pub mode: String,
    pub high: String,
}

impl Effect {
    /// The effect as the scenario writes it: a number, a triangular distribution, or nothing
    /// (no effect, the default). A range with a part missing is written with the parts given, for
    /// the reader to say which is missing.
    fn value(&self) -> Option<Value> {
        let given = |s: &str| !s.trim().is_empty();
        match (given(&self.low), given(&self.mode), given(&self.high)) {
            (false, false, false) => None,
            (false, true, false) => Some(literal(&self.mode)),
            _ => {
                let mut t = InlineTable::new();
                t.insert("dist", "triangular".into());
                for (k, v) in [
                    ("low", &self.low),
                    ("mode", &self.mode),
                    ("high", &self.high),
                ] {
                    if given(v) {
                        t.insert(k, literal(v));
                    }
                }
                Some(Value::InlineTable(t))
            }
        }
    }
}

impl NewPremium {
    /// Its keys in the order a scenario writes them, those the kind takes only.
    fn entries(&self) -> Result<Vec<(&'static str, Value)>, String> {
        let kind = self.kind.as_str();
        if !PREMIUM_KINDS.contains(&kind) {
            return Err(format!(
                "`{kind}` is not a kind of premium; allowed: {}",
                PREMIUM_KINDS.join(", ")
            ));
        }
        if self.grades.is_empty() {
            return Err("choose the grades the premium reaches".into());
        }
        let mut out = vec![
            ("kind", Value::from(kind)),
            ("grades", Value::Array(strings(&self.grades))),
        ];
        let mut number = |key: &'static str, typed: &str| {
            if !typed.trim().is_empty() {
                out.push((key, literal(typed)));
            }
        };
        number("amount", &self.amount);
        if kind == "retention_payment" {
            number("at_months", &self.at_months);
        }
        if kind != "market_supplement" {
            number("clawback_months", &self.clawback_months);
            if !self.clawback.trim().is_empty() {
                out.push(("clawback", Value::from(self.clawback.trim())));
            }
        }
        if kind == "retention_payment" && !self.lead_months.trim().is_empty() {
            out.push(("lead_months", literal(&self.lead_months)));
        }
        for (key, e) in [
            ("leaving_effect", &self.leaving_effect),
            ("hiring_effect", &self.hiring_effect),
        ] {
            if let Some(v) = e.value() {
                out.push((key, v));
            }
        }
        Ok(out)
    }
}

fn strings(values: &[String]) -> Array {
    values.iter().map(|v| Value::from(v.as_str())).collect()
}

/// `text` with `edits` made in turn; an edit that cannot be made is an error in words.
pub fn apply(text: &str, edits: &[Edit]) -> Result<String, String> {
    if edits.is_empty() {
        return Ok(text.to_string());
    }
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("the scenario is not valid TOML: {e}"))?;
    let too_long = |len: usize| {
        format!(
            "the scenario's text would be {} bytes with these changes; the page takes at most {} (a long note, or many copies of a large option?)",
            crate::model::format::grouped(len as u64),
            crate::model::format::grouped(super::MAX_TEXT as u64)
        )
    };
    for e in edits {
        apply_one(&mut doc, e)?;
        // A copy can double the text, so the length is checked after each; other changes add
        // at most what the request holds.
        if matches!(e, Edit::CopyOption { .. }) {
            let len = doc.to_string().len();
            if len > super::MAX_TEXT {
                return Err(too_long(len));
            }
        }
    }
    // What the page sends back with its answer, and sends again with the next change.
    let out = doc.to_string();
    if out.len() > super::MAX_TEXT {
        return Err(too_long(out.len()));
    }
    Ok(out)
}

fn apply_one(doc: &mut DocumentMut, e: &Edit) -> Result<(), String> {
    match e {
        Edit::Set {
            path,
            value,
            text,
            create,
        } => {
            let new = if *text {
                Value::from(value.as_str())
            } else {
                literal(value)
            };
            if *create {
                return set_or_create(doc.as_table_mut(), path, value.trim().is_empty(), new);
            }
            put(doc.as_table_mut(), path, new)
        }
        Edit::SetList { path, values } => {
            put(doc.as_table_mut(), path, Value::Array(strings(values)))
        }
        Edit::AddOption => {
            let names = option_names(doc);
            let name = (1..)
                .map(|n| format!("option-{n}"))
                .find(|n| !names.contains(n))
                .expect("a free name");
            let description = "a new option: add the changes it makes";
            match options_mut(doc) {
                Options::Tables(a) => {
                    let mut t = Table::new();
                    t.insert("name", toml_edit::value(name));
                    t.insert("description", toml_edit::value(description));
                    t.decor_mut().set_prefix("\n");
                    a.push(t);
                }
                Options::Inline(a) => {
                    let mut t = InlineTable::new();
                    t.insert("name", name.into());
                    t.insert("description", description.into());
                    push_like_last(a, Value::InlineTable(t));
                }
            }
            Ok(())
        }
        Edit::CopyOption { option } => {
            let names = option_names(doc);
            // Each copy is as large as its option: a scenario may hold no more options than
            // this, and copies past it only made text to refuse.
            let most = crate::scenario::MAX_OPTIONS;
            if names.len() >= most {
                return Err(format!(
                    "`{option}` cannot be copied: the scenario has {} options, and at most {most} are allowed",
                    names.len()
                ));
            }
            let stem = format!("{option}-copy");
            let name = std::iter::once(stem.clone())
                .chain((2..).map(|n| format!("{stem}-{n}")))
                .find(|n| !names.contains(n))
                .expect("a free name");
            let mut options = options_mut(doc);
            let i = options.find(option)?;
            let named = |t: &mut dyn TableLike| {
                set_str(t, "name", &name);
                let description = t
                    .get("description")
                    .and_then(Item::as_str)
                    .map(|d| format!("{d} (copy)"))
                    .unwrap_or_else(|| format!("a copy of {option}"));
                set_str(t, "description", &description);
            };
            match &mut options {
                Options::Tables(a) => {
                    let mut t = a.get(i).expect("found").clone();
                    named(&mut t);
                    // Placed after the last option, its comment above (which belongs to the
                    // original) left behind.
                    unposition(&mut t);
                    t.decor_mut().set_prefix("\n");
                    a.push(t);
                }
                Options::Inline(a) => {
                    let mut v = a.get(i).expect("found").clone();
                    let t = v.as_inline_table_mut().expect("an option is a table");
                    named(t);
                    t.fmt();
                    push_like_last(a, v);
                }
            }
            Ok(())
        }
        Edit::RemoveOption { option } => {
            let options = options_mut(doc);
            let i = options.find(option)?;
            match options {
                Options::Tables(a) => {
                    a.remove(i);
                }
                Options::Inline(a) => {
                    // The first element's layout (a new line before it) passes to the next.
                    let decor = a.get(i).map(|v| v.decor().clone());
                    a.remove(i);
                    if i == 0
                        && let (Some(d), Some(next)) = (decor, a.get_mut(0))
                    {
                        *next.decor_mut() = d;
                    }
                }
            }
            Ok(())
        }
        Edit::AddChange { option, path } => {
            if path.starts_with("options") {
                return Err("an option changes the baseline's inputs, not another option's".into());
            }
            let mut value = match slot(doc.as_table_mut(), path)? {
                Slot::Value(v) | Slot::Item(Item::Value(v)) => v.clone(),
                _ => return Err(format!("`{path}` is a table, not a value")),
            };
            value.decor_mut().clear();
            let mut options = options_mut(doc);
            let t = options.option_mut(option)?;
            match t.get_mut("set") {
                None => {
                    let mut set = InlineTable::new();
                    set.insert(path.as_str(), value);
                    set.fmt();
                    t.insert("set", Item::Value(Value::InlineTable(set)));
                }
                Some(Item::Value(Value::InlineTable(set))) => {
                    set.insert(path.as_str(), value);
                    set.fmt();
                }
                Some(Item::Table(set)) => {
                    set.insert(path.as_str(), Item::Value(value));
                }
                Some(_) => return Err(format!("option `{option}`'s `set` is not a table")),
            }
            Ok(())
        }
        Edit::RemoveChange { option, path } => {
            let mut options = options_mut(doc);
            let t = options.option_mut(option)?;
            let removed = match t.get_mut("set") {
                Some(Item::Value(Value::InlineTable(set))) => set.remove(path).is_some(),
                Some(Item::Table(set)) => set.remove(path).is_some(),
                _ => false,
            };
            if !removed {
                return Err(format!("option `{option}` does not change `{path}`"));
            }
            if matches!(t.get("set"), Some(Item::Value(Value::InlineTable(s))) if s.is_empty())
                || matches!(t.get("set"), Some(Item::Table(s)) if s.is_empty())
            {
                t.remove("set");
            }
            Ok(())
        }
        Edit::AddPremium { option, premium } => {
            let entries = premium.entries()?;
            let mut options = options_mut(doc);
            let inline_option = matches!(options, Options::Inline(_));
            let t = options.option_mut(option)?;
            let inline = || {
                let mut p = InlineTable::new();
                for (k, v) in &entries {
                    p.insert(*k, v.clone());
                }
                p.fmt();
                Value::InlineTable(p)
            };
            match t.get_mut("premiums") {
                Some(Item::ArrayOfTables(a)) => a.push(premium_table(&entries)),
                Some(Item::Value(Value::Array(a))) => push_like_last(a, inline()),
                Some(_) => return Err(format!("option `{option}`'s `premiums` is not a list")),
                None if inline_option => {
                    let mut a = Array::new();
                    a.push(inline());
                    t.insert("premiums", Item::Value(Value::Array(a)));
                }
                None => {
                    let mut a = ArrayOfTables::new();
                    a.push(premium_table(&entries));
                    t.insert("premiums", Item::ArrayOfTables(a));
                }
            }
            Ok(())
        }
        Edit::RemovePremium { option, index } => {
            let mut options = options_mut(doc);
            let t = options.option_mut(option)?;
            let (removed, empty) = match t.get_mut("premiums") {
                Some(Item::ArrayOfTables(a)) if *index < a.len() => {
                    a.remove(*index);
                    (true, a.is_empty())
                }
                Some(Item::Value(Value::Array(a))) if *index < a.len() => {
                    a.remove(*index);
                    (true, a.is_empty())
                }
                _ => (false, false),
            };
            if !removed {
                return Err(format!(
                    "option `{option}` has no premium {}",
                    index.saturating_add(1)
                ));
            }
            if empty {
                t.remove("premiums");
            }
            Ok(())
        }
    }
}

/// A premium as an `[[options.premiums]]` table, a blank line before it.
fn premium_table(entries: &[(&'static str, Value)]) -> Table {
    let mut t = Table::new();
    for (k, v) in entries {
        t.insert(k, Item::Value(v.clone()));
    }
    t.decor_mut().set_prefix("\n");
    t
}

/// Replaces the value at `path`, keeping its comment.
fn put(root: &mut Table, path: &str, new: Value) -> Result<(), String> {
    match slot(root, path)? {
        Slot::Value(v) => replace(v, new),
        Slot::Item(Item::Value(v)) => replace(v, new),
        _ => return Err(format!("`{path}` is a table, not a value")),
    }
    Ok(())
}

/// Replaces the value at `path`, or writes it where its key is missing from a table that
/// exists; `clear`: removes the key instead.
fn set_or_create(root: &mut Table, path: &str, clear: bool, new: Value) -> Result<(), String> {
    let mut steps = steps(path)?;
    let Some(Step::Key(key)) = steps.pop() else {
        return Err(format!("`{path}` does not end with a key"));
    };
    let parent = rejoin(&steps);
    let t: &mut dyn TableLike = match slot(root, &parent)? {
        Slot::Table(t) | Slot::Item(Item::Table(t)) => t,
        Slot::Value(Value::InlineTable(t)) | Slot::Item(Item::Value(Value::InlineTable(t))) => t,
        _ => return Err(format!("`{parent}` is not a table")),
    };
    if clear {
        t.remove(&key);
        return Ok(());
    }
    match t.get_mut(&key) {
        Some(Item::Value(v)) => replace(v, new),
        Some(_) => return Err(format!("`{path}` is a table, not a value")),
        None => {
            t.insert(&key, Item::Value(new));
        }
    }
    Ok(())
}

/// The path that `steps` spell.
fn rejoin(steps: &[Step]) -> String {
    let mut out = String::new();
    for s in steps {
        match s {
            Step::Key(k) => out = join(&out, k),
            Step::Select(k) => out = format!("{out}[{k}]"),
        }
    }
    out
}

/// A value as typed into a box: a number where it reads as one in decimal (commas or spaces
/// parting thousands, and a leading `£`, allowed), else the text as a TOML string, which the
/// reader then refuses where a number belongs, in the words `wfsim check` uses. A comma that
/// does not part thousands (`2,5`, `-0,1`, `3,00`) leaves the text as it is, to be refused with
/// a hint, rather than taken out to make a number ten or a hundred times too large.
pub fn literal(typed: &str) -> Value {
    let t = typed.trim();
    let amount = t.strip_prefix('£').unwrap_or(t).trim();
    let Some(plain) = crate::scenario::spanned::without_thousands(amount) else {
        return Value::from(t);
    };
    // Decimal only: TOML's `0x10` and `0o17` are no way to type an amount.
    let decimal = plain
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E' | b'_'));
    if decimal
        && let Ok(v) = plain.parse::<Value>()
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

fn set_str(t: &mut dyn TableLike, key: &str, s: &str) {
    match t.get_mut(key) {
        Some(Item::Value(v)) => replace(v, Value::from(s)),
        _ => {
            t.insert(key, toml_edit::value(s));
        }
    }
}

/// Appends `v` to `a` laid out as its last element is (on a line of its own in an array written
/// one element a line).
fn push_like_last(a: &mut Array, mut v: Value) {
    match a.iter().last() {
        Some(last) => {
            *v.decor_mut() = last.decor().clone();
            // The first element of `[a, b]` has nothing before it; the others a space.
            if v.decor().prefix().and_then(|p| p.as_str()) == Some("") {
                v.decor_mut().set_prefix(" ");
            }
        }
        None => v.decor_mut().clear(),
    }
    a.push_formatted(v);
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

/// The options as written: `[[options]]` tables, or the inline tables of `options = [...]`.
pub fn option_tables(root: &Table) -> Vec<&dyn TableLike> {
    tables_of(root.get("options"))
}

/// The tables an array of them holds as written: `[[name]]` tables, or the inline tables of
/// `name = [...]` (none for anything else).
pub fn tables_of(item: Option<&Item>) -> Vec<&dyn TableLike> {
    match item {
        Some(Item::ArrayOfTables(a)) => a.iter().map(|t| t as &dyn TableLike).collect(),
        Some(Item::Value(Value::Array(a))) => a
            .iter()
            .filter_map(|v| v.as_inline_table().map(|t| t as &dyn TableLike))
            .collect(),
        _ => Vec::new(),
    }
}

/// An option's name as written, if it has one.
pub fn option_name(t: &dyn TableLike) -> Option<&str> {
    t.get("name").and_then(Item::as_str)
}

fn option_names(doc: &DocumentMut) -> Vec<String> {
    option_tables(doc.as_table())
        .into_iter()
        .filter_map(|t| option_name(t).map(str::to_string))
        .collect()
}

/// The options, to change, in the layout they are written in.
enum Options<'a> {
    Tables(&'a mut ArrayOfTables),
    Inline(&'a mut Array),
}

/// The scenario's options; with none yet, `[[options]]` tables are started.
fn options_mut(doc: &mut DocumentMut) -> Options<'_> {
    let root = doc.as_table_mut();
    if !matches!(
        root.get("options"),
        Some(Item::ArrayOfTables(_) | Item::Value(Value::Array(_)))
    ) {
        // None yet (anything else there is the reader's to refuse, and is replaced only when an
        // option is added).
        if root.contains_key("options") {
            root.remove("options");
        }
        root.insert("options", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    match root.get_mut("options") {
        Some(Item::ArrayOfTables(a)) => Options::Tables(a),
        Some(Item::Value(Value::Array(a))) => Options::Inline(a),
        _ => unreachable!("made above"),
    }
}

impl Options<'_> {
    /// The place of option `name`.
    fn find(&self, name: &str) -> Result<usize, String> {
        let found = match self {
            Options::Tables(a) => a.iter().position(|t| option_name(t) == Some(name)),
            Options::Inline(a) => a.iter().position(|v| {
                v.as_inline_table()
                    .and_then(|t| t.get("name"))
                    .and_then(Value::as_str)
                    == Some(name)
            }),
        };
        found.ok_or_else(|| format!("there is no option `{name}`"))
    }

    /// Option `name`'s table.
    fn option_mut(&mut self, name: &str) -> Result<&mut dyn TableLike, String> {
        let i = self.find(name)?;
        Ok(match self {
            Options::Tables(a) => a.get_mut(i).expect("found"),
            Options::Inline(a) => a
                .get_mut(i)
                .and_then(Value::as_inline_table_mut)
                .expect("found"),
        })
    }
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
            create: false,
        }
    }

    #[test]
    fn a_box_reads_a_number_only_where_its_commas_part_thousands() {
        let number = |typed: &str| {
            let v = literal(typed);
            v.as_integer()
                .map(|i| i as f64)
                .or_else(|| v.as_float())
                .ok_or_else(|| v.as_str().unwrap_or_default().to_string())
        };
        assert_eq!(number("£3,000"), Ok(3000.0));
        assert_eq!(number(" 1,234,567.5 "), Ok(1_234_567.5));
        assert_eq!(number("3 000"), Ok(3000.0));
        assert_eq!(number("£ 3,000"), Ok(3000.0));
        assert_eq!(number("-0.1"), Ok(-0.1));
        assert_eq!(number("1e3"), Ok(1000.0));
        // A decimal comma or a slip is left as the text typed, to be refused with a hint, where
        // taking the comma out made 2,5 into 25 and 3,00 into 300; nor is hexadecimal a number.
        for typed in ["2,5", "-0,1", "3,00", "45,50", "0x10", "1,0000", "0,750"] {
            assert_eq!(number(typed), Err(typed.to_string()), "{typed}");
        }
        let out = apply(TEXT, &[set("options[a].premiums[0].amount", "-0,1")]).unwrap();
        assert!(out.contains(r#"amount = "-0,1""#), "{out}");
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

    /// `tests/data/report-small.toml` with its option written in each layout the reader takes.
    fn layouts() -> Vec<(&'static str, String)> {
        let text = std::fs::read_to_string("tests/data/report-small.toml").unwrap();
        let at = text.find("[[options]]").unwrap();
        let (head, _) = text.split_at(at);
        let premium = r#"{ kind = "market_supplement", grades = ["L3"], amount = 2000, leaving_effect = -0.2 }"#;
        vec![
            ("tables", text.clone()),
            (
                "inline premiums and set",
                format!(
                    "{head}[[options]]\nname = \"supplement\"\ndescription = \"£2,000 a year for L3\"\nset = {{ \"intake.asye.size\" = 4 }}\npremiums = [\n  {premium},   # the supplement\n]\n"
                ),
            ),
            (
                "a set table",
                format!(
                    "{head}[[options]]\nname = \"supplement\"\n\n[options.set]\n\"intake.asye.size\" = 4\n\n[[options.premiums]]\nkind = \"market_supplement\"\ngrades = [\"L3\"]\namount = 2000\n"
                ),
            ),
            (
                "one inline array",
                format!(
                    "options = [\n  {{ name = \"supplement\", set = {{ \"intake.asye.size\" = 4 }}, premiums = [{premium}] }},\n]\n\n{head}"
                ),
            ),
        ]
    }

    fn read(text: &str) -> crate::scenario::Scenario {
        let source = crate::scenario::diag::Source::new("t.toml", text);
        crate::scenario::Document::parse(&source)
            .and_then(|d| d.read(&[]))
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    #[test]
    fn options_in_every_layout_are_copied_whole() {
        for (layout, text) in layouts() {
            let out = apply(
                &text,
                &[Edit::CopyOption {
                    option: "supplement".into(),
                }],
            )
            .unwrap_or_else(|e| panic!("{layout}: {e}"));
            let s = read(&out);
            let names: Vec<&str> = s.variants.iter().map(|v| v.name.as_str()).collect();
            assert_eq!(
                names,
                ["baseline", "supplement", "supplement-copy"],
                "{layout}"
            );
            let (a, b) = (&s.variants[1], &s.variants[2]);
            // The same but for the paths its inputs are known by in messages.
            assert_eq!(
                format!("{:?}", a.spec),
                format!("{:?}", b.spec).replace("options[supplement-copy]", "options[supplement]"),
                "{layout}"
            );
            assert_eq!(a.sets, b.sets, "{layout}");
            assert_eq!(a.spec.premiums.len(), 1, "{layout}");
            assert!(b.description.ends_with("(copy)") || b.description == "a copy of supplement");
            // The original is as it was written.
            assert!(
                out.starts_with(&text[..text.find("supplement").unwrap()]),
                "{layout}"
            );
            // And copied again, removed, renamed, changed: every edit reaches every layout.
            let out = apply(
                &out,
                &[
                    Edit::CopyOption {
                        option: "supplement".into(),
                    },
                    Edit::RemoveOption {
                        option: "supplement".into(),
                    },
                    Edit::AddOption,
                    Edit::AddChange {
                        option: "option-1".into(),
                        path: "costs.on_cost_rate".into(),
                    },
                    Edit::AddChange {
                        option: "supplement-copy".into(),
                        path: "intake.asye.size".into(),
                    },
                    Edit::RemoveChange {
                        option: "supplement-copy".into(),
                        path: "intake.asye.size".into(),
                    },
                    Edit::Set {
                        path: "options[supplement-copy-2].name".into(),
                        value: "renamed".into(),
                        text: true,
                        create: false,
                    },
                ],
            )
            .unwrap_or_else(|e| panic!("{layout}: {e}"));
            let s = read(&out);
            let names: Vec<&str> = s.variants.iter().map(|v| v.name.as_str()).collect();
            assert_eq!(
                names,
                ["baseline", "supplement-copy", "renamed", "option-1"],
                "{layout}: {out}"
            );
            assert_eq!(
                s.variants[3].sets,
                [("costs.on_cost_rate".to_string(), "0.3".to_string())]
            );
            let asye = |v: usize| s.variants[v].spec.asye.as_ref().unwrap().size;
            assert_eq!(
                format!("{:?}", asye(1)),
                format!("{:?}", asye(0)),
                "{layout}"
            );
        }
    }

    fn premium(kind: &str) -> NewPremium {
        NewPremium {
            kind: kind.into(),
            grades: vec!["L3".into()],
            amount: "£1,500".into(),
            ..NewPremium::default()
        }
    }

    #[test]
    fn premiums_are_added_and_removed_in_every_layout() {
        use crate::scenario::PremiumKind;
        let hello = NewPremium {
            clawback_months: "18".into(),
            clawback: "pro_rata".into(),
            leaving_effect: Effect {
                low: "-0.2".into(),
                mode: "-0.1".into(),
                high: "0".into(),
            },
            hiring_effect: Effect {
                mode: "0.15".into(),
                ..Effect::default()
            },
            // Not a golden hello's: left out.
            at_months: "24".into(),
            ..premium("golden_hello")
        };
        let retention = NewPremium {
            grades: vec!["ASYE".into(), "L3".into()],
            at_months: "24".into(),
            lead_months: "6".into(),
            ..premium("retention_payment")
        };
        for (layout, text) in layouts() {
            let out = apply(
                &text,
                &[
                    Edit::AddPremium {
                        option: "supplement".into(),
                        premium: Box::new(hello.clone()),
                    },
                    Edit::AddOption,
                    Edit::AddPremium {
                        option: "option-1".into(),
                        premium: Box::new(retention.clone()),
                    },
                    Edit::AddPremium {
                        option: "option-1".into(),
                        premium: Box::new(premium("market_supplement")),
                    },
                ],
            )
            .unwrap_or_else(|e| panic!("{layout}: {e}"));
            let s = read(&out);
            let p = &s.variants[1].spec.premiums;
            assert_eq!(p.len(), 2, "{layout}");
            assert_eq!(p[1].amount, 1500.0);
            assert_eq!(
                p[1].kind,
                PremiumKind::GoldenHello(crate::scenario::premium::GoldenHello {
                    clawback_months: 18,
                    pro_rata: true
                })
            );
            assert_eq!(format!("{:?}", p[1].leaving_effect.range()), "(-0.2, 0.0)");
            assert_eq!(format!("{:?}", p[1].hiring_effect.range()), "(0.15, 0.15)");
            let p = &s.variants[2].spec.premiums;
            assert_eq!(p.len(), 2, "{layout}");
            assert_eq!(
                p[0].kind,
                PremiumKind::RetentionPayment(crate::scenario::premium::RetentionPayment {
                    at_months: 24,
                    clawback_months: 0,
                    pro_rata: false,
                    lead_months: 6
                })
            );
            assert_eq!(p[0].grades, [0, 1]);
            assert_eq!(p[1].kind, PremiumKind::MarketSupplement);
            // Removed: the option's first, then the new option's both (its `premiums` goes).
            let out = apply(
                &out,
                &[
                    Edit::RemovePremium {
                        option: "supplement".into(),
                        index: 0,
                    },
                    Edit::RemovePremium {
                        option: "option-1".into(),
                        index: 1,
                    },
                    Edit::RemovePremium {
                        option: "option-1".into(),
                        index: 0,
                    },
                ],
            )
            .unwrap_or_else(|e| panic!("{layout}: {e}"));
            let s = read(&out);
            assert_eq!(s.variants[1].spec.premiums.len(), 1);
            assert!(matches!(
                s.variants[1].spec.premiums[0].kind,
                PremiumKind::GoldenHello(_)
            ));
            assert!(s.variants[2].spec.premiums.is_empty());
            assert!(!out.contains("retention_payment"), "{layout}: {out}");
            let e = apply(
                &out,
                &[Edit::RemovePremium {
                    option: "option-1".into(),
                    index: 0,
                }],
            );
            assert_eq!(e.unwrap_err(), "option `option-1` has no premium 1");
        }
        // A premium the form cannot give: no grades, or a kind not allowed.
        let text = &layouts()[0].1;
        let none = NewPremium {
            grades: vec![],
            ..premium("golden_hello")
        };
        let e = apply(
            text,
            &[Edit::AddPremium {
                option: "supplement".into(),
                premium: Box::new(none),
            }],
        );
        assert_eq!(e.unwrap_err(), "choose the grades the premium reaches");
        let e = apply(
            text,
            &[Edit::AddPremium {
                option: "supplement".into(),
                premium: Box::new(premium("bonus")),
            }],
        );
        assert!(
            e.unwrap_err()
                .starts_with("`bonus` is not a kind of premium; allowed: market_supplement")
        );
    }

    #[test]
    fn a_premium_missing_a_required_key_is_written_for_the_reader_to_refuse() {
        let text = &layouts()[0].1;
        let out = apply(
            text,
            &[Edit::AddPremium {
                option: "supplement".into(),
                premium: Box::new(NewPremium {
                    amount: "-5".into(),
                    ..premium("retention_payment")
                }),
            }],
        )
        .unwrap();
        let source = crate::scenario::diag::Source::new("t.toml", &out);
        let e = crate::scenario::Document::parse(&source)
            .unwrap()
            .read(&[])
            .unwrap_err();
        let keys: Vec<&str> = e.diagnostics.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(
            keys,
            // In the file's order: the missing key at its table, before the amount's line.
            [
                "options[supplement].premiums[1].at_months",
                "options[supplement].premiums[1].amount"
            ]
        );
        // Given in its box (a key not written yet), it runs; emptied, the key goes again.
        let fixed = apply(
            &out,
            &[
                Edit::Set {
                    path: "options[supplement].premiums[1].amount".into(),
                    value: "500".into(),
                    text: false,
                    create: true,
                },
                Edit::Set {
                    path: "options[supplement].premiums[1].at_months".into(),
                    value: "36".into(),
                    text: false,
                    create: true,
                },
                Edit::Set {
                    path: "options[supplement].premiums[1].lead_months".into(),
                    value: "".into(),
                    text: false,
                    create: true,
                },
                Edit::SetList {
                    path: "options[supplement].premiums[1].grades".into(),
                    values: vec!["ASYE".into()],
                },
            ],
        )
        .unwrap();
        let s = read(&fixed);
        assert_eq!(s.variants[1].spec.premiums[1].amount, 500.0);
        assert_eq!(s.variants[1].spec.premiums[1].grades, [0]);
        assert!(fixed.contains("at_months = 36"));
        let cleared = apply(
            &fixed,
            &[Edit::Set {
                path: "options[supplement].premiums[1].at_months".into(),
                value: " ".into(),
                text: false,
                create: true,
            }],
        )
        .unwrap();
        assert!(!cleared.contains("at_months"));
        // A path that names no table is refused, created or not.
        assert!(
            apply(
                text,
                &[Edit::Set {
                    path: "options[nobody].premiums[0].amount".into(),
                    value: "1".into(),
                    text: false,
                    create: true
                }]
            )
            .is_err()
        );
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
