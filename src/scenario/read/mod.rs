//! Second stage of reading a scenario: the spanned tree (see `spanned`) read into the validated
//! types the engine can trust.
//!
//! Every key, type, range, reference and date is checked, and all problems are reported at once
//! with file, line, column and key. Each section of the file has its reader in a module of its
//! own; this module holds the whole file's reading (`Document`: the text parsed once, then read as
//! stated or with inputs replaced), the `[scenario]` table and the helpers the section readers
//! share. An option is the baseline tree with key-path patches applied (`set`) plus extra
//! premiums, validated by the same code, so an option can change any input a scenario can state.

mod agency;
mod caseload;
mod costs;
mod grades;
mod intake;
mod options;
mod param;
mod posts;
mod premiums;
mod spec;
mod targets;
mod variation;

use crate::model::format;
use options::read_options;
use spec::read_spec;
use targets::read_targets;

use toml::de::{DeTable, DeValue};

use super::diag::{Diagnostic, ScenarioErrors, Source, sha256_hex};
use super::keypath::{self, PATCHABLE};
use super::param::{Allowed, Param};
use super::spanned::{self, Node, Reader, Table};
use super::{Calibration, MAX_ESTABLISHMENT, MAX_MONTHS, MAX_REPLICATIONS, Scenario, Variant};

/// The most bytes a scenario's name may take: it names `out/<name>-sensitivity`, and the folder
/// beside it where a run's files are made (`.<name>-sensitivity.wfsim-new`), within the 255 bytes
/// of a folder's name.
pub const MAX_NAME_BYTES: usize = 200;
use crate::model::date::YearMonth;
use param::read_param;

/// Validates a scenario from its text.
pub fn parse(source: &Source) -> Result<Scenario, ScenarioErrors> {
    Document::parse(source)?.read(&[])
}

/// A scenario file's text parsed once into its spanned tree, from which the scenario is read, as
/// stated or with some inputs replaced (`sweep`, `solve` and `sensitivity` read it once for each
/// value they try, without parsing the text again).
pub struct Document<'a> {
    source: &'a Source,
    tree: toml::Spanned<DeTable<'a>>,
}

/// A number as a TOML literal: whole numbers without a decimal point, so they suit integer inputs.
fn number_literal(x: f64) -> String {
    if x == x.trunc() && x.abs() < 9e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:?}")
    }
}

impl<'a> Document<'a> {
    /// Parses the text; a syntax error is reported with every other one found.
    pub fn parse(source: &'a Source) -> Result<Document<'a>, ScenarioErrors> {
        let tree = spanned::parse_document(source, &source.text).map_err(|diagnostics| {
            ScenarioErrors {
                file: source.file.clone(),
                diagnostics,
                not_run: "the checks of each section and key".to_string(),
            }
        })?;
        Ok(Document { source, tree })
    }

    /// The file's text and name.
    pub fn source(&self) -> &'a Source {
        self.source
    }

    /// The parsed tree, as written.
    pub fn tree(&self) -> &DeTable<'a> {
        self.tree.get_ref()
    }

    /// `path` with each array element selected by its index (`posts[0].fill_probability` for
    /// `posts[Social worker].fill_probability`), so that two spellings of one input compare
    /// equal; `None` for a path the file does not hold.
    pub fn by_index(&self, path: &str) -> Option<String> {
        let mut tree = self.tree.get_ref().clone();
        keypath::patch_with(&mut tree, path, |old| old.clone()).ok()
    }

    /// The inputs of `s`, a scenario read from this document, that take whole numbers only (a
    /// count, months or a year), as its reader read them, each path [`Document::by_index`].
    pub fn whole_inputs(&self, s: &Scenario) -> Vec<String> {
        s.whole_inputs
            .iter()
            .filter_map(|p| self.by_index(p))
            .collect()
    }

    /// Checks that `path` names an input that can be varied, without validating anything else;
    /// the error names the nearest valid path.
    pub fn check_patch_path(&self, path: &str) -> Result<(), String> {
        let first = path.split(['.', '[']).next().unwrap_or("");
        if !PATCHABLE.contains(&first) && first != "options" {
            return Err(format!(
                "only inputs under {}, options can be varied; `{first}` is not one of them",
                PATCHABLE.join(", ")
            ));
        }
        let mut tree = self.tree.clone();
        let zero = DeValue::parse("0").expect("valid TOML");
        keypath::patch(tree.get_mut(), path, zero).map(|_| ())
    }

    /// Reads and validates the scenario with some inputs replaced by numbers (none: as stated).
    /// A path is an input's key path as for an option's `set` (`intake.asye.size`,
    /// `grades[Level 3].leaving[2]`, `options[supplement-3k].premiums[0].amount`); a path that
    /// does not exist is an error naming the nearest one that does. A replaced value keeps the
    /// position of the value it replaces, so errors about it point at that line.
    pub fn read(&self, patches: &[(String, f64)]) -> Result<Scenario, ScenarioErrors> {
        read_tree(self.source, self.tree.clone(), patches)
    }
}

/// The scenario read from `doc`, a clone of a document's tree, with `patches` applied.
fn read_tree(
    source: &Source,
    doc: toml::Spanned<DeTable<'_>>,
    patches: &[(String, f64)],
) -> Result<Scenario, ScenarioErrors> {
    let fail_because = |diagnostics, not_run: &str| ScenarioErrors {
        file: source.file.clone(),
        diagnostics,
        not_run: not_run.to_string(),
    };
    let fail = |diagnostics| fail_because(diagnostics, "");
    let literals: Vec<String> = patches.iter().map(|(_, x)| number_literal(*x)).collect();
    let mut doc = doc;
    apply_patches(source, doc.get_mut(), patches, &literals).map_err(fail)?;
    let mut r = Reader::new(source);
    if !patches.is_empty() {
        let set: Vec<String> = patches
            .iter()
            .zip(&literals)
            .map(|((p, _), l)| format!("{p} = {l}"))
            .collect();
        r.context = Some(format!("with {} as varied", set.join(", ")));
    }
    let root_node_value = toml::Spanned::new(doc.span(), DeValue::Table(doc.get_ref().clone()));
    let root_node = Node {
        value: &root_node_value,
        path: String::new(),
    };
    let mut root = r.table(&root_node).expect("document is a table");

    let meta = read_meta(&mut r, &mut root);
    r.horizon = meta
        .as_ref()
        .map(|m| (m.start, m.start.add_months(m.months as i32)));
    let baseline = read_spec(&mut r, &mut root);
    let grade_slugs: Vec<String> = baseline
        .as_ref()
        .map(|s| s.grades.iter().map(|g| g.slug.clone()).collect())
        .unwrap_or_default();
    let targets_present = root.table.contains_key("targets");
    let targets = match (&meta, &baseline) {
        (Some(m), Some(b)) => read_targets(&mut r, &mut root, m, &grade_slugs, b),
        _ => {
            root.get("targets");
            Vec::new()
        }
    };
    let options_node = root.get("options");
    let options_present = options_node.is_some();
    r.finish(root);

    let mut variants = Vec::new();
    if let (Some(_), Some(base)) = (&meta, &baseline)
        && r.diagnostics.is_empty()
    {
        variants.push(Variant {
            name: "baseline".into(),
            description: "the scenario as stated, with no option applied".into(),
            sets: Vec::new(),
            spec: base.clone(),
        });
        if let Some(n) = options_node {
            read_options(&mut r, &n, doc.get_ref(), &mut variants);
        }
    }
    if r.diagnostics.is_empty() && variants.is_empty() {
        // Every failure above records a diagnostic; this guards against one that did not.
        let span = doc.span();
        r.error(&span, "", "the scenario could not be read, though no specific problem was found; please report this");
    }
    if !r.diagnostics.is_empty() {
        // Options and targets are read against a valid baseline; say when they could not be.
        let mut skipped: Vec<&str> = r.not_run.clone();
        if variants.is_empty() && options_present {
            skipped.push("the checks of the options");
        }
        if (meta.is_none() || baseline.is_none()) && targets_present {
            skipped.push("the checks of the targets");
        }
        let skipped = match skipped.as_slice() {
            [] => String::new(),
            [one] => one.to_string(),
            [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
        };
        // In the file's order, as an editor lists them; problems at one place keep the order
        // they were found in.
        let mut diagnostics = r.diagnostics;
        diagnostics.sort_by_key(|d| (d.line, d.column));
        return Err(fail_because(diagnostics, &skipped));
    }
    let meta = meta.expect("no errors");
    let mut notes = meta.notes;
    notes.extend(rounding_notes(doc.get_ref()));
    notes.extend(model_notes(
        &variants,
        meta.start.add_months(meta.months as i32),
        meta.months,
    ));
    let assumptions = in_words(
        crate::scenario::assumptions::collect(doc.get_ref(), &source.text),
        &variants,
        meta.start,
    );
    Ok(Scenario {
        file: source.file.clone(),
        name: meta.name,
        description: meta.description,
        start: meta.start,
        months: meta.months,
        replications: meta.replications,
        seed: meta.seed,
        calibration: meta.calibration,
        targets,
        variants,
        input_hash: sha256_hex(source.text.as_bytes()),
        notes,
        assumptions,
        whole_inputs: r.whole,
    })
}

/// Replaces the value at each patch's key path in `doc` by its number (`literals` are the numbers
/// as TOML), keeping the position of the value replaced; every path that cannot be patched is a
/// diagnostic.
fn apply_patches<'i>(
    source: &Source,
    doc: &mut DeTable<'i>,
    patches: &[(String, f64)],
    literals: &'i [String],
) -> Result<(), Vec<Diagnostic>> {
    let mut patch_errors = Vec::new();
    for ((path, x), literal) in patches.iter().zip(literals) {
        let first = path.split(['.', '[']).next().unwrap_or("");
        if !x.is_finite() {
            patch_errors.push(source.diagnostic(&(0..0), path, format!("{x} is not a number")));
            continue;
        }
        if !PATCHABLE.contains(&first) && first != "options" {
            patch_errors.push(source.diagnostic(
                &(0..0),
                path,
                format!(
                    "only inputs under {}, options can be varied; `{first}` is not one of them",
                    PATCHABLE.join(", ")
                ),
            ));
            continue;
        }
        let value = DeValue::parse(literal).expect("a number literal is valid TOML");
        if let Err(e) = keypath::patch_with(doc, path, |old| {
            toml::Spanned::new(old.span(), value.into_inner())
        }) {
            patch_errors.push(source.diagnostic(&(0..0), path, e));
        }
    }
    if patch_errors.is_empty() {
        Ok(())
    } else {
        Err(patch_errors)
    }
}

/// The assumptions in plain English for the report's table, in place of the TOML the file
/// states them in: each input as its value reads ("17% to 20%, most likely 18%", "from 27% to
/// 18% over 36 months (by 2025-09)", "£36,000"), a list per service band named by its band
/// ("under 12 months 20%; 12-24 months 18%; ..."), an option's changes by the inputs' names.
fn in_words(
    mut assumptions: Vec<crate::scenario::assumptions::Assumption>,
    variants: &[Variant],
    start: crate::model::date::YearMonth,
) -> Vec<crate::scenario::assumptions::Assumption> {
    use crate::scenario::keypath::{self, shown};
    let base = &variants[0].spec;
    // The baseline's inputs, and each option's own premiums (an option's `set` is shown from the
    // option's changes, not from its copy of the baseline's inputs).
    let mut params: Vec<&Param> = base.inputs();
    for v in &variants[1..] {
        params.extend(
            v.spec
                .inputs()
                .into_iter()
                .filter(|p| p.path.starts_with("options[")),
        );
    }
    let bands = band_names(&base.band_edges);
    for a in &mut assumptions {
        let item = format!("{}[", a.key);
        let show = shown(&a.key);
        let from = format!("{}.from", a.key);
        let mine: Vec<&&Param> = params
            .iter()
            .filter(|p| p.path == a.key || p.path == from || p.path.starts_with(&item))
            .collect();
        let by_band = matches!(a.key.rsplit('.').next(), Some("leaving" | "service_shares"));
        if let Some(name) = a
            .key
            .strip_prefix("options[")
            .and_then(|k| k.strip_suffix("].set"))
            && let Some(v) = variants.iter().find(|v| v.name == name)
        {
            let each: Vec<String> = v
                .sets
                .iter()
                .map(|(path, value)| {
                    let value = value
                        .trim()
                        .parse::<f64>()
                        .map_or(value.clone(), |x| shown(path).value(x));
                    format!("{}: {value}", keypath::for_reader(path))
                })
                .collect();
            if !each.is_empty() {
                a.value = each.join("; ");
            }
            continue;
        }
        let mut words: Vec<String> = if !mine.is_empty() {
            mine.iter().map(|p| p.words(show, start)).collect()
        } else if let Some(xs) = numbers_of(&a.value) {
            xs.iter().map(|&x| show.value(x)).collect()
        } else {
            if let Some(w) = toml_in_words(&a.value) {
                a.value = w;
            }
            continue;
        };
        if !by_band {
            // A grade's weight and its protected weight may be the same input, stated once.
            let mut seen = Vec::new();
            words.retain(|w| {
                let new = !seen.contains(w);
                seen.push(w.clone());
                new
            });
        }
        a.value = if words.len() > 1 && by_band && words.len() == bands.len() {
            bands
                .iter()
                .zip(&words)
                .map(|(b, w)| format!("{b} {w}"))
                .collect::<Vec<_>>()
                .join("; ")
        } else {
            words.join(", ")
        };
    }
    assumptions
}

/// The service bands in words for edges in months: `[12, 24, 60]` as "under 12 months", "12-24
/// months", "24-60 months", "60 months or more".
fn band_names(edges: &[u32]) -> Vec<String> {
    let mut out = Vec::new();
    let mut low = 0;
    for &e in edges {
        out.push(if low == 0 {
            format!("under {e} months:")
        } else {
            format!("{low}-{e} months:")
        });
        low = e;
    }
    out.push(if edges.is_empty() {
        "all:".to_string()
    } else {
        format!("{low} months or more:")
    });
    out
}

/// A value that is no input of the model in words: a string without its quotes, a list of
/// strings joined, a table such as `{ to = "Level 2", after_months = 12, pass_rate = 0.95 }` as
/// "to Level 2, months to progress 12, progression pass rate 95%"; `None` for anything else.
fn toml_in_words(raw: &str) -> Option<String> {
    use crate::scenario::keypath::{in_words, shown};
    use toml::de::{DeTable, DeValue};
    let text = format!("v = {raw}");
    let doc = DeTable::parse(&text).ok()?;
    let v = doc.get_ref().get("v")?;
    let scalar = |key: &str, v: &DeValue| -> Option<String> {
        match v {
            DeValue::String(s) => Some(s.to_string()),
            DeValue::Boolean(b) => Some(if *b { "yes" } else { "no" }.to_string()),
            other => crate::scenario::spanned::number_of(other).map(|x| shown(key).value(x)),
        }
    };
    match v.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        DeValue::Boolean(b) => Some(if *b { "yes" } else { "no" }.to_string()),
        DeValue::Array(items) => items
            .iter()
            .map(|i| scalar("", i.get_ref()))
            .collect::<Option<Vec<_>>>()
            .map(|v| v.join(", ")),
        DeValue::Table(t) => t
            .iter()
            .map(|(k, v)| {
                let key = k.get_ref().as_ref();
                // A grade mix (`recruit`) names grades: their shares are percentages.
                let share = !key.chars().all(|c| c.is_ascii_lowercase() || c == '_');
                let value = if share {
                    crate::scenario::spanned::number_of(v.get_ref())
                        .map(|x| crate::scenario::param::Shown::Percent.value(x))
                } else {
                    scalar(key, v.get_ref())
                }?;
                let name = if share {
                    key.to_string()
                } else {
                    in_words(&format!("x.{key}"))
                        .trim_start_matches("X ")
                        .to_lowercase()
                };
                Some(format!("{name} {value}"))
            })
            .collect::<Option<Vec<_>>>()
            .map(|v| v.join(", ")),
        _ => None,
    }
}

/// A number or a list of numbers as the file writes it (`0.2`, `[0.1, 0.2]`), if it is one.
fn numbers_of(text: &str) -> Option<Vec<f64>> {
    let t = text.trim();
    let inner = t
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(t);
    let xs: Option<Vec<f64>> = inner
        .split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| x.replace('_', "").parse::<f64>().ok())
        .collect();
    xs.filter(|v| !v.is_empty())
}

/// What a user should know about the model's reading of the scenario that is not an error: options
/// whose premiums state no effect, post groups starting over their establishment, and starting
/// agency above what agency cover keeps.
fn model_notes(variants: &[Variant], end: YearMonth, months: u32) -> Vec<String> {
    let mut notes = Vec::new();
    let base = &variants[0].spec;
    // Premium effects that can reach no one: on hiring into a grade no post group recruits
    // into; a retention payment at more service than anyone reaches within the horizon.
    for (i, v) in variants.iter().enumerate() {
        let whose = if i == 0 {
            "the baseline".to_string()
        } else {
            format!("option `{}`", v.name)
        };
        let first_own = if i == 0 { 0 } else { base.premiums.len() };
        for p in v.spec.premiums.iter().skip(first_own) {
            let hired: Vec<&str> = p
                .grades
                .iter()
                .filter(|&&g| {
                    !v.spec.posts.iter().any(|post| {
                        post.recruit
                            .iter()
                            .any(|&(rg, share)| rg == g && share > 0.0)
                    })
                })
                .map(|&g| v.spec.grades[g].name.as_str())
                .collect();
            if p.hiring_effect.range() != (0.0, 0.0) && hired.len() == p.grades.len() {
                notes.push(format!(
                    "{whose}: its {}'s hiring_effect reaches no one: no post group recruits into {}",
                    p.kind.label(),
                    hired.join(" or ")
                ));
            }
            if let crate::scenario::PremiumKind::RetentionPayment(rp) = &p.kind {
                // The longest starting service (docs/model.md).
                let longest = crate::scenario::open_band_end(&v.spec.band_edges);
                let most = longest + months;
                if rp.at_months > most {
                    // Its promise holds staff from lead_months before it is paid.
                    let effect = if rp.at_months.saturating_sub(rp.lead_months) > most {
                        ", and its effect on leaving, from lead_months before, reaches no one \
                         either: it changes nothing"
                            .to_string()
                    } else {
                        format!(
                            "; its effect on leaving still reaches those within its lead_months \
                             ({}) of it",
                            rp.lead_months
                        )
                    };
                    notes.push(format!(
                        "{whose}: its retention_payment at {} months of service is reached by no \
                         one within the horizon (starting service is at most {longest} months and \
                         the run lasts {months}), so it is never paid{effect}",
                        rp.at_months
                    ));
                }
            }
        }
    }
    // The 2024 agency rules, or their price caps, from a month the horizon does not reach.
    if let Some(r) = &base.agency.rules {
        if r.from > end {
            notes.push(format!(
                "[agency.rules] from {} is after the horizon ends ({end}): the rules never apply",
                r.from
            ));
        } else if let Some(c) = r.caps_from.filter(|&c| c > end) {
            notes.push(format!(
                "[agency.rules] caps_from {c} is after the horizon ends ({end}): no price cap applies"
            ));
        }
    }
    if base.variation.is_none() {
        notes.push(
            "the scenario states no [variation]: its ranges reflect only chance among individual \
             workers and its uncertain inputs, not years that go better or worse than expected \
             (`wfsim census` gives estimates from the DfE census)"
                .to_string(),
        );
    }
    for v in &variants[1..] {
        for p in &v.spec.premiums {
            if !p.leaving_effect.is_uncertain()
                && !p.hiring_effect.is_uncertain()
                && p.leaving_effect.central() == 0.0
                && p.hiring_effect.central() == 0.0
            {
                notes.push(format!(
                    "option `{}`: the {} states no effect on leaving or hiring, so only its cost is modelled",
                    v.name,
                    p.kind.label()
                ));
            }
        }
    }
    notes.extend(effect_notes(variants));
    for v in &variants[1..] {
        if let Some(paths) = v.unpriced_changes() {
            notes.push(format!(
                "option `{}` changes only how people behave ({}) and pays no premium: its costs \
                 differ from the baseline's only through the workforce it changes, and leave out \
                 what the option itself costs (the scenario has no input for it: cost it beside the run)",
                v.name,
                paths.join(", ")
            ));
        }
    }
    let start = end.add_months(-(months as i32));
    // A programme whose first trainees complete after the horizon adds no one within it: said
    // of the baseline's, and of an option's that differs from the baseline's.
    for (vi, v) in variants.iter().enumerate() {
        for p in v.spec.pipelines.iter().filter(|p| p.intake > 0) {
            let as_baseline = base.pipelines.iter().any(|b| {
                (
                    b.name.as_str(),
                    b.intake,
                    b.first_year,
                    b.month,
                    b.duration_months,
                ) == (
                    p.name.as_str(),
                    p.intake,
                    p.first_year,
                    p.month,
                    p.duration_months,
                )
            });
            if vi > 0 && as_baseline {
                continue;
            }
            let Some(mut first) = YearMonth::new(p.first_year, p.month) else {
                continue;
            };
            let (whose, intake, trainees) = if vi == 0 {
                (String::new(), "its first intake", "its first trainees")
            } else {
                // An option's intake reaches only cohorts after the start: those in training
                // from it, the start month's included, keep the baseline's.
                while first <= start {
                    first = first.add_months(12 * p.every_years.max(1) as i32);
                }
                (
                    format!("option `{}`: ", v.name),
                    "its first intake after the start",
                    "the first trainees it takes after the start",
                )
            };
            let completes = first.add_months(p.duration_months as i32);
            if first > end {
                notes.push(format!(
                    "{whose}intake.pipelines[{}]: {intake} ({first}) is after the \
                     horizon ends ({end}), so it has no effect",
                    p.name
                ));
            } else if completes > end {
                notes.push(format!(
                    "{whose}intake.pipelines[{}]: {trainees} complete in {completes}, \
                     after the horizon ends ({end}), so it costs their training but adds no one \
                     within it",
                    p.name
                ));
            }
        }
    }
    if let Some(a) = &base.asye {
        // A year's cohort size for a cohort the horizon does not hold is never used.
        for &(year, size) in &a.sizes_by_year {
            if let Some(cohort) = YearMonth::new(year, a.month)
                && (cohort <= start || cohort > end)
            {
                notes.push(format!(
                    "intake.asye.sizes_by_year \"{year}\" = {size}: that year's cohort ({cohort}) \
                     falls outside the horizon ({start} to {end}), so it is not used"
                ));
            }
        }
        let none_can_join = |p: &Option<Param>| p.as_ref().is_some_and(|p| p.range().1 == 0.0);
        for (key, limit) in [("per_supervisor", &a.per_supervisor), ("supply", &a.supply)] {
            if none_can_join(limit) {
                notes.push(format!(
                    "intake.asye.{key} is 0: no newly qualified worker can join while it is"
                ));
            }
        }
        if a.supervisors.contains(&a.grade) {
            notes.push(format!(
                "intake.asye.supervisor_grades includes `{}`, the grade the cohort joins: newly \
                 qualified workers would supervise each other",
                base.grades[a.grade].name
            ));
        }
    }
    // Inputs left at a default of 0 that would cost part of the pay bill at nothing.
    let never = |p: &Param| p.range().1 == 0.0;
    match &base.costs.on_costs {
        crate::scenario::OnCosts::Rate(r) if never(r) => notes.push(
            "[costs] states no on-costs (on_cost_rate, or employer_ni_rate and pension_rate), so \
             pay is costed as salaries alone; employer NI and pension usually add 25% to 30%"
                .to_string(),
        ),
        crate::scenario::OnCosts::Separate {
            ni_rate,
            pension_rate,
            ..
        } if never(ni_rate) != never(pension_rate) => notes.push(format!(
            "[costs] states {} but no {}, which is costed at 0",
            if never(ni_rate) {
                "pension_rate"
            } else {
                "employer_ni_rate"
            },
            if never(ni_rate) {
                "employer_ni_rate"
            } else {
                "pension_rate"
            }
        )),
        _ => {}
    }
    for post in &base.posts {
        let agency_at_all = post.agency_start > 0
            || post.agency_cover.range().1 > 0.0 && post.establishment.range().1 > 0.0
            || post.agency_extra.range().1 > 0.0;
        if never(&post.agency_rate) && agency_at_all {
            notes.push(format!(
                "post `{}` has agency workers but no agency rate (agency_hourly_rate or \
                 agency_daily_rate), so they are costed at nothing",
                post.name
            ));
        }
    }
    for post in &base.posts {
        let permanent: u32 = post.grades.iter().map(|&g| base.grades[g].permanent).sum();
        let establishment = post.establishment.central();
        if f64::from(permanent) > establishment {
            notes.push(format!(
                "post `{}`: starting permanent staff ({permanent}) are more than its establishment \
                 ({} FTE); no vacancy is filled until leavers bring them below it",
                post.name,
                format::fmt_g(establishment)
            ));
        }
        let vac = (establishment - f64::from(permanent)).max(0.0);
        let (cover, extra) = (post.agency_cover.central(), post.agency_extra.central());
        let kept = cover * vac + extra;
        // The other way: agency far above what the group starts with, taken on in month 1.
        let wanted = (kept + 0.5).floor();
        if wanted >= 2.0 * f64::from(post.agency_start) + 10.0 {
            notes.push(format!(
                "post `{}`: agency_cover x vacancies + agency_extra ({wanted:.0}) is far above its \
                 starting agency ({}); agency rises towards it from month 1 (check agency_cover, \
                 1 by default; agency_extra, agency beyond vacancies; and agency, the starting \
                 agency FTE)",
                post.name, post.agency_start
            ));
        }
        if f64::from(post.agency_start) > (kept + 0.5).floor() {
            notes.push(if extra == 0.0 {
                format!(
                    "post `{}`: starting agency ({}) is more than agency_cover x vacancies ({:.0}); the excess is released in month 1 (give `agency_extra` for agency beyond vacancies, covering absence or extra posts)",
                    post.name, post.agency_start, kept
                )
            } else {
                format!(
                    "post `{}`: starting agency ({}) is more than agency_cover x vacancies + agency_extra ({:.0}); the excess is released in month 1",
                    post.name, post.agency_start, kept
                )
            });
        }
    }
    notes
}

/// Premium effects that look like slips: one of 1 or more (a percentage written where a
/// proportion is asked for, 10 for 10%, reads as a rise of 1,000%), and a leaving effect above 0
/// (a premium that drives staff away, most likely 0.1 written for 10% fewer leavers). Each
/// effect as written is noted once, under the first variant that has it; an option's `set` that
/// changes the baseline's effect is another effect, noted under the option.
fn effect_notes(variants: &[Variant]) -> Vec<String> {
    let mut notes = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, v) in variants.iter().enumerate() {
        let variant = if i == 0 {
            "the baseline".to_string()
        } else {
            format!("option `{}`", v.name)
        };
        for p in &v.spec.premiums {
            for (key, effect, what) in [
                ("leaving_effect", &p.leaving_effect, "annual leaving rate"),
                (
                    "hiring_effect",
                    &p.hiring_effect,
                    "monthly chance of filling a vacancy",
                ),
            ] {
                let hi = effect.range().1;
                if !seen.insert((effect.path.clone(), hi.to_bits())) {
                    continue;
                }
                let whose = format!(
                    "{variant}: its {}'s {key} (`{}`)",
                    p.kind.label(),
                    effect.path
                );
                // A premium meant to hold staff lowers leaving: 10 is most likely 10% fewer.
                let meant = if key == "leaving_effect" {
                    format!(
                        "for {}% fewer leavers, write -{}",
                        format::fmt_g(hi),
                        format::fmt_g(hi / 100.0)
                    )
                } else {
                    format!(
                        "for {}%, write {}",
                        format::fmt_g(hi),
                        format::fmt_g(hi / 100.0)
                    )
                };
                if hi >= 1.0 {
                    notes.push(format!(
                        "{whose} reaches {}, a rise of {}% in the {what}; {meant}",
                        format::fmt_g(hi),
                        format::grouped((hi * 100.0).round() as u64),
                    ));
                } else if key == "leaving_effect" && hi > 0.0 {
                    notes.push(format!(
                        "{whose} reaches {}, {}% more leavers in the staff it reaches; a premium \
                         that holds staff has a negative effect (-{} for {}% fewer leavers)",
                        format::fmt_g(hi),
                        format::fmt_g(hi * 100.0),
                        format::fmt_g(hi),
                        format::fmt_g(hi * 100.0)
                    ));
                }
            }
        }
    }
    notes
}

/// FTE inputs that are not whole numbers are modelled as whole-time workers; say so.
fn rounding_notes(doc: &DeTable) -> Vec<String> {
    let mut notes = Vec::new();
    let check = |t: &DeTable, key: &str, label: &str, notes: &mut Vec<String>| {
        if let Some(v) = t.get(key)
            && let DeValue::Float(f) = v.get_ref()
            && let Ok(x) = f.as_str().parse::<f64>()
            && x.fract() != 0.0
        {
            notes.push(format!(
                "{label}: {key} {x} FTE is modelled as {} whole-time workers",
                x.round()
            ));
        }
    };
    for (list, key) in [("grades", "permanent"), ("posts", "agency")] {
        if let Some(v) = doc.get(list)
            && let DeValue::Array(items) = v.get_ref()
        {
            for item in items.iter() {
                if let DeValue::Table(t) = item.get_ref() {
                    let name = t
                        .get("name")
                        .and_then(|n| n.get_ref().as_str().map(str::to_string))
                        .unwrap_or_default();
                    check(t, key, &format!("{list}[{name}]"), &mut notes);
                }
            }
        }
    }
    notes
}

struct Meta {
    name: String,
    description: String,
    start: YearMonth,
    months: u32,
    replications: u32,
    seed: u64,
    notes: Vec<String>,
    calibration: Option<Calibration>,
}

fn read_meta(r: &mut Reader, root: &mut Table) -> Option<Meta> {
    let node = root.require(
        r,
        "scenario",
        "a [scenario] table with name, start and months",
    )?;
    let mut t = r.table(&node)?;
    let name = t.require(r, "name", "the scenario's name, used for the output folder").and_then(|n| {
        let s = r.label(&n)?;
        let t = s.trim();
        if s.contains(['/', '\\']) || t == "." || t == ".." {
            r.node_error(&n, "the name names the output folder, so it cannot be `.` or `..` or contain `/`, `\\` or control characters");
            return None;
        }
        // `out/<name>-sensitivity`, and the run's files beside it while they are written, within
        // the 255 bytes a folder's name may have.
        if s.len() > MAX_NAME_BYTES {
            r.node_error(&n, format!(
                "the name names the output folder, and this one takes {} bytes (letters beyond A to Z take 2 to 4 each); a folder's name can take at most 255, so the scenario's name may take at most {MAX_NAME_BYTES}",
                s.len()
            ));
            return None;
        }
        Some(s)
    });
    let description = t
        .get("description")
        .and_then(|n| r.string(&n))
        .unwrap_or_default();
    let start = t
        .require(r, "start", "the first month, as \"YYYY-MM\"")
        .and_then(|n| read_month(r, &n));
    let months = t
        .require(
            r,
            "months",
            &format!("the horizon in months, 1 to {MAX_MONTHS}"),
        )
        .and_then(|n| r.integer_in(&n, 1, i64::from(MAX_MONTHS)))
        .map(|x| x as u32);
    let replications = match t.get("replications") {
        Some(n) => r
            .integer_in(&n, 1, i64::from(MAX_REPLICATIONS))
            .map(|x| x as u32),
        None => Some(1000),
    };
    let seed = match t.get("seed") {
        Some(n) => r.integer_in(&n, 0, i64::MAX).map(|x| x as u64),
        None => Some(1),
    };
    let notes = t
        .get("notes")
        .and_then(|n| string_list(r, &n))
        .unwrap_or_default();
    let calibration = t.get("calibration").and_then(|n| {
        let s = r.string(&n)?;
        let c = Calibration::parse(&s);
        if c.is_none() {
            r.node_error(
                &n,
                format!(
                    "unknown calibration `{s}`; allowed: {} (written by `wfsim init`; leave it out for a scenario built by hand)",
                    Calibration::ALL.iter().map(|c| format!("\"{}\"", c.key())).collect::<Vec<_>>().join(", ")
                ),
            );
        }
        c
    });
    r.finish(t);
    Some(Meta {
        name: name?,
        description,
        start: start?,
        months: months?,
        replications: replications?,
        seed: seed?,
        notes,
        calibration,
    })
}

pub(super) fn read_month(r: &mut Reader, n: &Node) -> Option<YearMonth> {
    let s = r.string(n)?;
    match YearMonth::parse(&s) {
        Ok(m) => Some(m),
        Err(e) => {
            r.node_error(n, e);
            None
        }
    }
}

fn string_list(r: &mut Reader, n: &Node) -> Option<Vec<String>> {
    let items = r.array(n)?;
    spanned::every(items.iter().map(|i| r.string(i)))
}

/// Reads a parameter whose random stream is keyed by `key` (defaults to the node's path).
fn param_at(r: &mut Reader, n: &Node, allowed: Allowed) -> Option<Param> {
    read_param(r, n, allowed, &n.path)
}

fn opt_param(
    r: &mut Reader,
    t: &mut Table,
    key: &'static str,
    allowed: Allowed,
    default: f64,
) -> Option<Param> {
    match t.get(key) {
        Some(n) => param_at(r, &n, allowed),
        None => Some(Param::fixed(default)),
    }
}

/// An input with no default: `None` when the key is absent (no limit, or not stated).
fn optional(
    r: &mut Reader,
    t: &mut Table,
    key: &'static str,
    allowed: Allowed,
) -> Option<Option<Param>> {
    match t.get(key) {
        Some(n) => param_at(r, &n, allowed).map(Some),
        None => Some(None),
    }
}

fn count(r: &mut Reader, n: &Node, what: &str) -> Option<u32> {
    // Modelled as whole workers, so a sweep or swing of it keeps to whole numbers.
    r.takes_whole(n);
    let x = r.number(n)?;
    if x < 0.0 {
        r.node_error(
            n,
            format!("found {}; {what} cannot be negative", format::fmt_g(x)),
        );
        return None;
    }
    if x > MAX_ESTABLISHMENT {
        r.node_error(
            n,
            format!(
                "found {}; allowed: at most {MAX_ESTABLISHMENT} FTE",
                format::fmt_g(x)
            ),
        );
        return None;
    }
    Some(x.round() as u32)
}

/// The `name` of a table element, if it has a text one.
fn name_of(item: &Node) -> Option<String> {
    match item.value.get_ref() {
        DeValue::Table(t) => t
            .get("name")
            .and_then(|n| n.get_ref().as_str().map(str::to_string)),
        _ => None,
    }
}

/// The names of the elements of an array of named tables, for resolving references early.
fn names_of(root: &Table, key: &str) -> Vec<String> {
    let Some(v) = root.table.get(key) else {
        return Vec::new();
    };
    let DeValue::Array(items) = v.get_ref() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| match i.get_ref() {
            DeValue::Table(t) => t
                .get("name")
                .and_then(|n| n.get_ref().as_str().map(str::to_string)),
            _ => None,
        })
        .collect()
}

fn resolve(r: &mut Reader, n: &Node, names: &[String], what: &str) -> Option<usize> {
    let s = r.string(n)?;
    match names.iter().position(|g| *g == s) {
        Some(i) => Some(i),
        None => {
            let mut known: Vec<&str> = names.iter().map(String::as_str).collect();
            known.dedup();
            let hint = spanned::closest(&s, &known)
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            r.node_error(
                n,
                format!(
                    "no {what} is named `{s}`; {hint}known {what}s: {}",
                    known.join(", ")
                ),
            );
            None
        }
    }
}

/// An array of grade names `n` as grade indices: each a known grade, listed once, and at least
/// one (`each`: what each is, for the errors, e.g. "supervisor grade").
fn distinct_grades(
    r: &mut Reader,
    n: &Node,
    grade_names: &[String],
    each: &str,
) -> Option<Vec<usize>> {
    let items = r.array(n)?;
    if items.is_empty() {
        r.node_error(n, format!("is empty; name at least one {each}"));
        return None;
    }
    let grades = spanned::every(items.iter().map(|i| resolve(r, i, grade_names, "grade")))?;
    if let Some((i, &g)) = grades
        .iter()
        .enumerate()
        .find(|&(i, g)| grades[..i].contains(g))
    {
        r.node_error(
            &items[i],
            format!("`{}` is listed twice; each {each} once", grade_names[g]),
        );
        return None;
    }
    Some(grades)
}
