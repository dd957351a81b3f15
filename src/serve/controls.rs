//! What the page shows as controls: the key inputs of the baseline and of each option, found in
//! the scenario's text, each with its path (see `edit`), a label in words, its value as written
//! and where in the text it stands, so that a problem `wfsim check` finds there is shown beside it.

use serde::Serialize;
use toml_edit::{Document, Item, Table, Value};

use super::edit::join;
use crate::scenario::diag::{Diagnostic, Source};

/// One box on the page.
#[derive(Clone, Debug, Serialize)]
pub struct Control {
    /// Its key path (`edit`'s paths).
    pub path: String,
    pub label: String,
    /// The value as written in the file (a string's text without quotes).
    pub value: String,
    /// Whether it holds text (a name or a description) rather than a number.
    pub text: bool,
    /// Problems `wfsim check` finds in it, as `check` words them.
    pub problems: Vec<String>,
    #[serde(skip)]
    span: Option<std::ops::Range<usize>>,
}

/// The boxes of one input: one for a number, several for a distribution or a path.
#[derive(Clone, Debug, Serialize)]
pub struct Input {
    /// The input's key path (for an option's change: the baseline's path it changes).
    pub path: String,
    pub label: String,
    /// What the input is when it is not one number: "triangular distribution", "path over time".
    pub form: String,
    pub controls: Vec<Control>,
}

/// An option as the page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct OptionCard {
    pub name: String,
    pub name_control: Control,
    pub description: Control,
    /// The baseline inputs its `set` changes.
    pub changes: Vec<Input>,
    /// Its premiums' amounts and effects, each premium's kind and grades in its label.
    pub premiums: Vec<Input>,
}

/// Every control of the page.
#[derive(Clone, Debug, Serialize)]
pub struct Panel {
    /// Replications and seed.
    pub run: Vec<Input>,
    pub baseline: Vec<Input>,
    pub options: Vec<OptionCard>,
    /// Problems that belong to no control, as `check` words them.
    pub other_problems: Vec<String>,
}

/// The controls of the scenario `text` (which must be TOML), with `problems` placed beside the
/// control whose value they point at.
pub fn panel(text: &str, problems: &[Diagnostic]) -> Result<Panel, String> {
    let doc = Document::parse(text.to_string()).map_err(|e| e.to_string())?;
    let root = doc.as_table();
    let mut run = Vec::new();
    if let Some(Item::Table(s)) = root.get("scenario") {
        for (key, label) in [("replications", "Replications"), ("seed", "Random seed")] {
            if let Some(v) = s.get(key).and_then(Item::as_value) {
                run.push(input(&format!("scenario.{key}"), label, v));
            }
        }
    }
    let baseline = baseline_inputs(root);
    let mut options = Vec::new();
    if let Some(Item::ArrayOfTables(a)) = root.get("options") {
        for (i, t) in a.iter().enumerate() {
            options.push(option_card(t, i));
        }
    }
    let mut p = Panel {
        run,
        baseline,
        options,
        other_problems: Vec::new(),
    };
    place(&mut p, text, problems);
    Ok(p)
}

/// The baseline's key inputs, as far as the scenario states them.
fn baseline_inputs(root: &Table) -> Vec<Input> {
    let mut out = Vec::new();
    let get = |t: &Table, k: &str| t.get(k).and_then(Item::as_value).cloned();
    if let Some(Item::Table(intake)) = root.get("intake")
        && let Some(Item::Table(asye)) = intake.get("asye")
        && let Some(v) = get(asye, "size")
    {
        out.push(input("intake.asye.size", &words("intake.asye.size"), &v));
    }
    for (list, keys) in [
        (
            "posts",
            &["establishment", "agency_hourly_rate", "agency_daily_rate"][..],
        ),
        ("grades", &["caseload_weight"][..]),
    ] {
        if let Some(Item::ArrayOfTables(a)) = root.get(list) {
            for t in a.iter() {
                let Some(name) = t.get("name").and_then(Item::as_str) else {
                    continue;
                };
                for key in keys {
                    if let Some(v) = get(t, key) {
                        let path = format!("{list}[{name}].{key}");
                        out.push(input(&path, &words(&path), &v));
                    }
                }
            }
        }
    }
    for (table, key) in [("caseload", "cases"), ("agency", "caseload_weight")] {
        if let Some(Item::Table(t)) = root.get(table)
            && let Some(v) = get(t, key)
        {
            let path = format!("{table}.{key}");
            out.push(input(&path, &words(&path), &v));
        }
    }
    if let Some(Item::ArrayOfTables(a)) = root.get("premiums") {
        out.extend(premium_inputs(a, "premiums", "baseline premium"));
    }
    out
}

fn option_card(t: &Table, i: usize) -> OptionCard {
    let name = t
        .get("name")
        .and_then(Item::as_str)
        .map_or_else(|| i.to_string(), str::to_string);
    let base = format!("options[{name}]");
    let text_control = |key: &str, label: &str| {
        let v = t.get(key).and_then(Item::as_value);
        Control {
            path: format!("{base}.{key}"),
            label: label.to_string(),
            value: v
                .and_then(Value::as_str)
                .map_or_else(String::new, str::to_string),
            text: true,
            problems: Vec::new(),
            span: v.and_then(Value::span),
        }
    };
    let mut changes = Vec::new();
    if let Some(set) = t.get("set") {
        let entries: Vec<(String, Value)> = match set {
            Item::Value(Value::InlineTable(s)) => {
                s.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
            }
            Item::Table(s) => s
                .iter()
                .filter_map(|(k, v)| Some((k.to_string(), v.as_value()?.clone())))
                .collect(),
            _ => Vec::new(),
        };
        for (k, v) in entries {
            let mut inp = input(&join(&format!("{base}.set"), &k), &words(&k), &v);
            inp.path = k;
            changes.push(inp);
        }
    }
    let premiums = match t.get("premiums") {
        Some(Item::ArrayOfTables(a)) => premium_inputs(a, &format!("{base}.premiums"), "premium"),
        _ => Vec::new(),
    };
    OptionCard {
        name_control: text_control("name", "Name"),
        description: text_control("description", "Description"),
        name,
        changes,
        premiums,
    }
}

/// Each premium's amount and effects.
fn premium_inputs(a: &toml_edit::ArrayOfTables, base: &str, what: &str) -> Vec<Input> {
    let mut out = Vec::new();
    for (i, p) in a.iter().enumerate() {
        let kind = p
            .get("kind")
            .and_then(Item::as_str)
            .unwrap_or("premium")
            .replace('_', " ");
        let grades: Vec<String> = p
            .get("grades")
            .and_then(Item::as_array)
            .map(|g| {
                g.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let who = if grades.is_empty() {
            String::new()
        } else {
            format!(" for {}", grades.join(" and "))
        };
        for (key, words) in [
            ("amount", "amount (£)"),
            (
                "leaving_effect",
                "effect on leaving (−0.1 cuts leaving by 10%)",
            ),
            (
                "hiring_effect",
                "effect on hiring (0.2 fills 20% more vacancies)",
            ),
        ] {
            if let Some(v) = p.get(key).and_then(Item::as_value) {
                out.push(input(
                    &format!("{base}[{i}].{key}"),
                    &format!("{what} {}: {kind}{who}, {words}", i + 1),
                    v,
                ));
            }
        }
    }
    out
}

/// The boxes of the value `v` at `path`: itself if a number, else each number within it.
fn input(path: &str, label: &str, v: &Value) -> Input {
    let mut controls = Vec::new();
    leaves(path, "", v, &mut controls);
    let form = match v {
        Value::InlineTable(t) => match t.get("dist").and_then(Value::as_str) {
            Some(d) => format!("{d} distribution"),
            None if t.contains_key("from") => "changing over time".to_string(),
            None => String::new(),
        },
        Value::Array(_) => "one value for each service band".to_string(),
        _ => String::new(),
    };
    Input {
        path: path.to_string(),
        label: label.to_string(),
        form,
        controls,
    }
}

fn leaves(path: &str, label: &str, v: &Value, out: &mut Vec<Control>) {
    match v {
        Value::Integer(_) | Value::Float(_) | Value::String(_) => {
            // A string where a number belongs (typed by the user) is shown for them to correct.
            let value = match v {
                Value::String(s) => s.value().to_string(),
                _ => v.to_string().trim().to_string(),
            };
            out.push(Control {
                path: path.to_string(),
                label: if label.is_empty() {
                    "value".to_string()
                } else {
                    label.to_string()
                },
                value,
                text: false,
                problems: Vec::new(),
                span: v.span(),
            });
        }
        Value::InlineTable(t) => {
            for (k, item) in t.iter() {
                if k == "dist" || k == "note" || item.is_str() && is_date(item) {
                    continue;
                }
                let sub = match k {
                    "from" => "now".to_string(),
                    "to" => "to".to_string(),
                    "change" => "change".to_string(),
                    "by_year" => String::new(),
                    "mode" => "most likely".to_string(),
                    k if label.is_empty() => k.replace('_', " "),
                    k => k.to_string(),
                };
                let sub = match (label.is_empty(), sub.is_empty()) {
                    (true, _) => sub,
                    (false, true) => label.to_string(),
                    (false, false) => format!("{label} {sub}"),
                };
                leaves(&join(path, k), &sub, item, out);
            }
        }
        Value::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                let sub = format!("{} band {}", label, i + 1);
                leaves(&format!("{path}[{i}]"), sub.trim(), item, out);
            }
        }
        _ => {}
    }
}

fn is_date(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.len() == 7 && s.as_bytes()[4] == b'-' || s.parse::<f64>().is_err() && s.contains('/')
    })
}

/// An input's key path in words, for the labels: "Social worker: establishment (FTE)".
pub fn words(path: &str) -> String {
    let (owner, key) = match (path.find('['), path.rfind("].")) {
        (Some(a), Some(b)) if a < b => (Some(&path[a + 1..b]), &path[b + 2..]),
        _ => (None, path),
    };
    let what = match key {
        "intake.asye.size" => "ASYE cohort size (newly qualified, each year)",
        "intake.asye.sizes_by_year" => "ASYE cohort sizes by year",
        "establishment" => "establishment (FTE)",
        "agency_hourly_rate" => "agency rate (£ an hour)",
        "agency_daily_rate" => "agency rate (£ a day)",
        "caseload_weight" => "caseload weight (case-holding FTE per FTE)",
        "caseload.cases" => "cases held",
        "agency.caseload_weight" => "agency caseload weight (case-holding FTE per FTE)",
        "agency" => "agency FTE at the start",
        "permanent" => "permanent FTE at the start",
        "fill_probability" => "chance a vacancy is filled in a month",
        "leaving" => "leaving rate a year",
        other => other,
    };
    match owner {
        Some(o) => format!("{o}: {what}"),
        None => {
            let mut w = what.to_string();
            if let Some(c) = w.get_mut(0..1) {
                c.make_ascii_uppercase();
            }
            w
        }
    }
}

/// Puts each problem beside the control whose value it points at (by line and column in the
/// text), or beside the control its key names; the rest are the panel's other problems.
fn place(p: &mut Panel, text: &str, problems: &[Diagnostic]) {
    let source = Source::new("", text);
    let mut all: Vec<&mut Control> = Vec::new();
    for i in p.run.iter_mut().chain(&mut p.baseline) {
        all.extend(i.controls.iter_mut());
    }
    for o in &mut p.options {
        all.push(&mut o.name_control);
        all.push(&mut o.description);
        for i in o.changes.iter_mut().chain(&mut o.premiums) {
            all.extend(i.controls.iter_mut());
        }
    }
    for d in problems {
        let at = |c: &Control| {
            c.span.as_ref().is_some_and(|s| {
                let (a, b) = (
                    source.line_col(s.start),
                    source.line_col(s.end.max(s.start)),
                );
                (a..=b).contains(&(d.line, d.column))
            })
        };
        let said = check_words(d);
        let found = all.iter().position(|c| at(c)).or_else(|| {
            all.iter()
                .position(|c| !d.key.is_empty() && c.path == d.key)
        });
        match found {
            Some(i) => all[i].problems.push(said),
            None => p.other_problems.push(said),
        }
    }
}

/// A problem as `wfsim check` words it, without the file's name and position (the page shows it
/// beside its box).
pub fn check_words(d: &Diagnostic) -> String {
    let mut plain = d.clone();
    plain.file = String::new();
    let s = plain.to_string();
    // `file:line:column: ` with an empty file name.
    let prefix = format!(":{}:{}: ", d.line, d.column);
    s.strip_prefix(&prefix).unwrap_or(&s).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_inputs_become_labelled_boxes() {
        let text = std::fs::read_to_string("scenarios/tameside-2022.toml").unwrap();
        let p = panel(&text, &[]).unwrap();
        let paths: Vec<&str> = p.baseline.iter().map(|i| i.path.as_str()).collect();
        assert!(paths.contains(&"intake.asye.size"), "{paths:?}");
        assert!(paths.contains(&"posts[Social worker].establishment"));
        assert!(paths.contains(&"caseload.cases"));
        assert!(paths.contains(&"grades[ASYE].caseload_weight"));
        let est = p
            .baseline
            .iter()
            .find(|i| i.path == "posts[Social worker].establishment")
            .unwrap();
        let boxes: Vec<(&str, &str)> = est
            .controls
            .iter()
            .map(|c| (c.path.as_str(), c.value.as_str()))
            .collect();
        assert_eq!(
            boxes[0],
            ("posts[Social worker].establishment.from", "136.0")
        );
        assert_eq!(
            boxes[1],
            (
                "posts[Social worker].establishment.by_year.2023/24",
                "157.7"
            )
        );
        let names: Vec<&str> = p.options.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "supplement-3k",
                "asye-25",
                "retention-3k",
                "golden-hello-2k"
            ]
        );
        let asye = &p.options[1].changes[0];
        assert_eq!(asye.path, "intake.asye.size");
        assert_eq!(
            asye.controls[0].path,
            "options[asye-25].set[intake.asye.size]"
        );
        assert_eq!(asye.controls[0].value, "25");
        let effect = &p.options[0].premiums[1];
        assert_eq!(
            effect.controls[1].path,
            "options[supplement-3k].premiums[0].leaving_effect.mode"
        );
        assert_eq!(effect.form, "triangular distribution");
    }
}
