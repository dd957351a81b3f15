//! What the page shows as controls: the key inputs of the baseline and of each option, found in
//! the scenario's text, each with its path (see `edit`), a label in words, its value as written
//! and where in the text it stands, so that a problem `wfsim check` finds there is shown beside it.

use serde::Serialize;
use toml_edit::{Document, Item, Table, TableLike, Value};

use super::edit::{PREMIUM_KINDS, join, option_name, option_tables, tables_of};
use crate::scenario::diag::{Diagnostic, Source};

/// One box on the page.
#[derive(Clone, Debug, Serialize)]
pub struct Control {
    /// Its key path (`edit`'s paths).
    pub path: String,
    pub label: String,
    /// The value as written in the file (a string's text without quotes; empty where the key is
    /// not written).
    pub value: String,
    /// Whether it holds text (a name or a description) rather than a number.
    pub text: bool,
    /// What it is on the page: a box (empty), `select` (one of `choices`) or `checks` (any of
    /// `choices`, a list).
    #[serde(skip_serializing_if = "str::is_empty")]
    pub widget: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// Whether its key may be missing: a value typed writes it, an empty box removes it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub create: bool,
    /// What an empty box means (a default), shown in it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub placeholder: String,
    /// Problems `wfsim check` finds in it, as `check` words them.
    pub problems: Vec<String>,
    #[serde(skip)]
    span: Option<std::ops::Range<usize>>,
}

/// One of a control's choices: the value written, its words, and whether it is chosen.
#[derive(Clone, Debug, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub chosen: bool,
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

/// A premium an option pays: every key it states or its kind takes, each an input.
#[derive(Clone, Debug, Serialize)]
pub struct PremiumCard {
    /// Its place among the option's premiums, from 0.
    pub index: usize,
    /// Its path: `options[a].premiums[0]`.
    pub path: String,
    /// "Premium 1: market supplement for Level 3".
    pub title: String,
    pub inputs: Vec<Input>,
}

/// An option as the page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct OptionCard {
    pub name: String,
    pub name_control: Control,
    pub description: Control,
    /// The baseline inputs its `set` changes.
    pub changes: Vec<Input>,
    /// Its premiums.
    pub premiums: Vec<PremiumCard>,
}

/// Every control of the page.
#[derive(Clone, Debug, Serialize)]
pub struct Panel {
    /// Replications and seed.
    pub run: Vec<Input>,
    pub baseline: Vec<Input>,
    pub options: Vec<OptionCard>,
    /// The grades' names, for a premium's choice of grades.
    pub grades: Vec<String>,
    /// The kinds of premium, as files name them and in words.
    pub premium_kinds: Vec<Choice>,
    /// Problems that belong to no control, as `check` words them.
    pub other_problems: Vec<String>,
}

/// A kind of premium in words.
pub fn kind_words(kind: &str) -> &'static str {
    match kind {
        "market_supplement" => "market supplement (pounds a year)",
        "golden_hello" => "golden hello (paid once, at joining)",
        "retention_payment" => "retention payment (paid once, at a length of service)",
        _ => "premium",
    }
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
    let grades: Vec<String> = match root.get("grades") {
        Some(Item::ArrayOfTables(a)) => a
            .iter()
            .filter_map(|t| t.get("name").and_then(Item::as_str).map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let baseline = baseline_inputs(root, &grades);
    let options = option_tables(root)
        .into_iter()
        .enumerate()
        .map(|(i, t)| option_card(t, i, &grades))
        .collect();
    let mut p = Panel {
        run,
        baseline,
        options,
        premium_kinds: PREMIUM_KINDS
            .iter()
            .map(|k| Choice {
                value: k.to_string(),
                label: kind_words(k).to_string(),
                chosen: false,
            })
            .collect(),
        grades,
        other_problems: Vec::new(),
    };
    place(&mut p, text, problems);
    Ok(p)
}

/// The baseline's key inputs, as far as the scenario states them.
fn baseline_inputs(root: &Table, grades: &[String]) -> Vec<Input> {
    let mut out = Vec::new();
    let get = |t: &Table, k: &str| t.get(k).and_then(Item::as_value).cloned();
    if let Some(Item::Table(intake)) = root.get("intake")
        && let Some(Item::Table(asye)) = intake.get("asye")
        && let Some(v) = get(asye, "size")
    {
        out.push(input("intake.asye.size", &words("intake.asye.size"), &v));
    }
    // Particular years' cohorts, and each grow-your-own pipeline's intake.
    if let Some(Item::Table(intake)) = root.get("intake") {
        if let Some(Item::Table(asye)) = intake.get("asye")
            && let Some(v) = get(asye, "sizes_by_year")
        {
            let path = "intake.asye.sizes_by_year";
            out.push(input(path, &words(path), &v));
        }
        for t in tables_of(intake.get("pipelines")) {
            if let Some(name) = t.get("name").and_then(Item::as_str)
                && let Some(v) = t.get("intake").and_then(Item::as_value)
            {
                let path = format!("intake.pipelines[{name}].intake");
                out.push(input(&path, &words(&path), v));
            }
        }
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
    // The baseline's own premiums: their amounts and effects, each labelled with its premium.
    for card in premium_cards(root.get("premiums"), "premiums", grades) {
        for mut i in card.inputs {
            if matches!(
                i.path.rsplit('.').next(),
                Some("amount" | "leaving_effect" | "hiring_effect")
            ) && !i.controls.iter().all(|c| c.value.is_empty())
            {
                i.label = format!("Baseline {}, {}", lower_first(&card.title), i.label);
                out.push(i);
            }
        }
    }
    out
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

fn option_card(t: &dyn TableLike, i: usize, grades: &[String]) -> OptionCard {
    let name = option_name(t).map_or_else(|| i.to_string(), str::to_string);
    let base = format!("options[{name}]");
    let text_control = |key: &str, label: &str| {
        let v = t.get(key).and_then(Item::as_value);
        Control {
            value: v
                .and_then(Value::as_str)
                .map_or_else(String::new, str::to_string),
            text: true,
            span: v.and_then(Value::span),
            ..control(&format!("{base}.{key}"), label)
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
    OptionCard {
        name_control: text_control("name", "Name"),
        description: text_control("description", "Description"),
        premiums: premium_cards(t.get("premiums"), &format!("{base}.premiums"), grades),
        name,
        changes,
    }
}

/// A box at `path` with nothing in it yet.
fn control(path: &str, label: &str) -> Control {
    Control {
        path: path.to_string(),
        label: label.to_string(),
        value: String::new(),
        text: false,
        widget: "",
        choices: Vec::new(),
        create: false,
        placeholder: String::new(),
        problems: Vec::new(),
        span: None,
    }
}

/// The premiums in `item` (`[[...premiums]]` tables or an inline array), at `base`.
fn premium_cards(item: Option<&Item>, base: &str, grades: &[String]) -> Vec<PremiumCard> {
    tables_of(item)
        .into_iter()
        .enumerate()
        .map(|(i, p)| premium_card(p, &format!("{base}[{i}]"), i, grades))
        .collect()
}

/// A premium's inputs: its kind, grades and amount, the keys its kind takes (written or not, so
/// that a missing one can be given and a problem with it is shown beside its box) and any other
/// key it states.
fn premium_card(p: &dyn TableLike, path: &str, index: usize, grades: &[String]) -> PremiumCard {
    let value = |key: &str| p.get(key).and_then(Item::as_value);
    let kind = value("kind").and_then(Value::as_str).unwrap_or("");
    let chosen: Vec<String> = value("grades")
        .and_then(Value::as_array)
        .map(|g| {
            g.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let who = if chosen.is_empty() {
        String::new()
    } else {
        format!(" for {}", chosen.join(" and "))
    };
    let title = format!(
        "Premium {}: {}{who}",
        index + 1,
        if kind.is_empty() {
            "premium".to_string()
        } else {
            kind.replace('_', " ")
        }
    );
    let at = |key: &str| format!("{path}.{key}");
    let mut inputs = Vec::new();
    let one = |c: Control| Input {
        path: c.path.clone(),
        label: c.label.clone(),
        form: String::new(),
        controls: vec![c],
    };
    // Its kind, one of those allowed (or, if the file says another, that too, for the reader's
    // word on it to stand beside).
    let mut kinds: Vec<Choice> = PREMIUM_KINDS
        .iter()
        .map(|k| Choice {
            value: k.to_string(),
            label: kind_words(k).to_string(),
            chosen: *k == kind,
        })
        .collect();
    if !kind.is_empty() && !PREMIUM_KINDS.contains(&kind) {
        kinds.push(Choice {
            value: kind.to_string(),
            label: kind.to_string(),
            chosen: true,
        });
    }
    inputs.push(one(Control {
        value: kind.to_string(),
        text: true,
        widget: "select",
        choices: kinds,
        create: true,
        span: value("kind").and_then(Value::span),
        ..control(&at("kind"), "Kind")
    }));
    let mut grade_choices: Vec<Choice> = grades
        .iter()
        .map(|g| Choice {
            value: g.clone(),
            label: g.clone(),
            chosen: chosen.contains(g),
        })
        .collect();
    for g in chosen.iter().filter(|g| !grades.contains(g)) {
        grade_choices.push(Choice {
            value: g.clone(),
            label: g.clone(),
            chosen: true,
        });
    }
    inputs.push(one(Control {
        value: chosen.join(", "),
        text: true,
        widget: "checks",
        choices: grade_choices,
        create: true,
        span: value("grades").and_then(Value::span),
        ..control(&at("grades"), "Grades it reaches")
    }));
    let once = kind != "market_supplement";
    let mut keys: Vec<(&str, &str, &str)> = vec![(
        "amount",
        if once {
            "Amount (£, paid once; its effects are the boxes below, not moved by it)"
        } else {
            "Amount (£ a year; its effects are the boxes below, not moved by it)"
        },
        "",
    )];
    if kind == "retention_payment" {
        keys.push(("at_months", "Paid at (months of service)", ""));
    }
    if once {
        keys.push((
            "clawback_months",
            "Clawed back if they leave within (months)",
            "0: never",
        ));
    }
    if kind == "retention_payment" {
        keys.push((
            "lead_months",
            "Its promise holds staff from (months before it is paid)",
            "12",
        ));
    }
    keys.push((
        "leaving_effect",
        "Effect on leaving (−0.1 cuts leaving by 10%)",
        "0: no effect",
    ));
    keys.push((
        "hiring_effect",
        "Effect on hiring (0.2 fills 20% more vacancies)",
        "0: no effect",
    ));
    // Keys stated that the kind does not take: shown, for the reader's word on them.
    for (k, _) in p.iter() {
        if !matches!(k, "kind" | "grades" | "clawback" | "note") && !keys.iter().any(|x| x.0 == k) {
            keys.push((k, k, ""));
        }
    }
    for (key, label, placeholder) in keys {
        let mut inp = match value(key) {
            Some(v) => input(&at(key), label, v),
            None => one(Control {
                create: true,
                placeholder: placeholder.to_string(),
                ..control(&at(key), label)
            }),
        };
        let single = inp.controls.len() == 1;
        for c in &mut inp.controls {
            c.create = true;
            if c.placeholder.is_empty() && single {
                c.placeholder = placeholder.to_string();
            }
        }
        inputs.push(inp);
        if key == "clawback_months" {
            let rule = value("clawback").and_then(Value::as_str).unwrap_or("");
            let mut choices: Vec<Choice> = [
                ("full", "in full"),
                ("pro_rata", "in proportion to the months left"),
            ]
            .iter()
            .map(|(v, l)| Choice {
                value: v.to_string(),
                label: l.to_string(),
                chosen: *v == rule || rule.is_empty() && *v == "full",
            })
            .collect();
            if !rule.is_empty() && rule != "full" && rule != "pro_rata" {
                choices.push(Choice {
                    value: rule.to_string(),
                    label: rule.to_string(),
                    chosen: true,
                });
            }
            inputs.push(one(Control {
                value: rule.to_string(),
                text: true,
                widget: "select",
                choices,
                create: true,
                span: value("clawback").and_then(Value::span),
                ..control(&at("clawback"), "Clawed back")
            }));
        }
    }
    PremiumCard {
        index,
        path: path.to_string(),
        title,
        inputs,
    }
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
                value,
                span: v.span(),
                ..control(path, if label.is_empty() { "value" } else { label })
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
        "intake" => "intake (trainees in each cohort)",
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
    // Each box with the path of the input it belongs to.
    let mut all: Vec<(String, &mut Control)> = Vec::new();
    fn inputs<'a>(all: &mut Vec<(String, &'a mut Control)>, i: &'a mut Input) {
        let path = i.controls.first().map_or(String::new(), |c| {
            if i.controls.len() == 1 {
                c.path.clone()
            } else {
                // The parts' common path: a distribution's or a path's own.
                let mut common = c.path.clone();
                for o in &i.controls[1..] {
                    while !o.path.starts_with(&common) {
                        common.pop();
                    }
                }
                common.trim_end_matches(['.', '[']).to_string()
            }
        });
        for c in i.controls.iter_mut() {
            all.push((path.clone(), c));
        }
    }
    for i in p.run.iter_mut().chain(&mut p.baseline) {
        inputs(&mut all, i);
    }
    for o in &mut p.options {
        all.push((o.name_control.path.clone(), &mut o.name_control));
        all.push((o.description.path.clone(), &mut o.description));
        for i in o
            .changes
            .iter_mut()
            .chain(o.premiums.iter_mut().flat_map(|p| p.inputs.iter_mut()))
        {
            inputs(&mut all, i);
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
        // Beside the box whose value it points at, or whose key it names, or else the first box
        // of the input it names a part of (a distribution's missing `high`).
        let key = d.key.as_str();
        let part_of = |input: &str| {
            !input.is_empty()
                && key
                    .strip_prefix(input)
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
        };
        let found = all
            .iter()
            .position(|(_, c)| at(c))
            .or_else(|| {
                all.iter()
                    .position(|(_, c)| !key.is_empty() && c.path == key)
            })
            .or_else(|| all.iter().position(|(input, _)| part_of(input)));
        match found {
            Some(i) => all[i].1.problems.push(said),
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
        let step_up = p
            .baseline
            .iter()
            .find(|i| i.path == "intake.pipelines[Step Up].intake")
            .unwrap();
        assert_eq!(step_up.label, "Step Up: intake (trainees in each cohort)");
        assert_eq!(step_up.controls[0].value, "2");
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
        let supplement = &p.options[0].premiums[0];
        assert_eq!(supplement.path, "options[supplement-3k].premiums[0]");
        assert_eq!(supplement.title, "Premium 1: market supplement for Level 3");
        let labels: Vec<&str> = supplement.inputs.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Kind",
                "Grades it reaches",
                "Amount (£ a year; its effects are the boxes below, not moved by it)",
                "Effect on leaving (−0.1 cuts leaving by 10%)",
                "Effect on hiring (0.2 fills 20% more vacancies)"
            ]
        );
        let effect = &supplement.inputs[3];
        assert_eq!(
            effect.controls[1].path,
            "options[supplement-3k].premiums[0].leaving_effect.mode"
        );
        assert_eq!(effect.form, "triangular distribution");
        let grades = &supplement.inputs[1].controls[0];
        let chosen: Vec<&str> = grades
            .choices
            .iter()
            .filter(|c| c.chosen)
            .map(|c| c.value.as_str())
            .collect();
        assert_eq!(chosen, ["Level 3"]);
        assert_eq!(grades.choices.len(), p.grades.len());
        // A retention payment shows the keys its kind takes, a golden hello its clawback.
        let paths = |o: usize| -> Vec<String> {
            p.options[o].premiums[0]
                .inputs
                .iter()
                .map(|i| i.path.rsplit('.').next().unwrap().to_string())
                .collect()
        };
        assert_eq!(
            paths(2),
            [
                "kind",
                "grades",
                "amount",
                "at_months",
                "clawback_months",
                "clawback",
                "lead_months",
                "leaving_effect",
                "hiring_effect"
            ]
        );
        assert_eq!(
            paths(3),
            [
                "kind",
                "grades",
                "amount",
                "clawback_months",
                "clawback",
                "leaving_effect",
                "hiring_effect"
            ]
        );
        // The golden hello states no effect on leaving: an empty box, meaning no effect.
        let hello = &p.options[3].premiums[0].inputs[5].controls[0];
        assert_eq!(
            (
                hello.value.as_str(),
                hello.create,
                hello.placeholder.as_str()
            ),
            ("", true, "0: no effect")
        );
    }

    #[test]
    fn a_problem_with_a_premium_is_shown_beside_its_box_even_where_its_key_is_missing() {
        use crate::scenario::Document;
        let text = std::fs::read_to_string("scenarios/tameside-2022.toml")
            .unwrap()
            .replace("at_months = 24 ", "")
            .replace(
                "low = -0.15, mode = -0.05, high = 0.0 }",
                "low = -0.15, mode = -0.05 }",
            )
            .replace("clawback_months = 24", "clawback_months = 300");
        let source = Source::new("t.toml", &text);
        let e = Document::parse(&source).unwrap().read(&[]).unwrap_err();
        assert_eq!(e.diagnostics.len(), 3, "{e}");
        let p = panel(&text, &e.diagnostics).unwrap();
        assert!(p.other_problems.is_empty(), "{:?}", p.other_problems);
        let beside = |o: usize, key: &str| -> Vec<String> {
            p.options[o].premiums[0]
                .inputs
                .iter()
                .find(|i| i.path.ends_with(key))
                .unwrap()
                .controls[0]
                .problems
                .clone()
        };
        assert!(
            beside(2, "at_months")[0].contains("missing; required for a retention payment"),
            "{:?}",
            beside(2, "at_months")
        );
        assert!(beside(2, "leaving_effect")[0].contains("high"));
        assert!(beside(3, "clawback_months")[0].contains("found 300"));
    }
}
