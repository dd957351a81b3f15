//! Second stage of reading a scenario: validated types the engine can trust.
//!
//! `parse` reads the spanned tree (see `raw`) into these types, checking every key, type, range,
//! reference and date, and reports all problems at once with file, line, column and key. An option is
//! the baseline tree with key-path patches applied (`set`) plus extra premiums, validated by the same
//! code, so an option can change any input a scenario can state.

pub mod assumptions;
pub mod diag;
pub mod param;
pub mod spanned;

use std::collections::HashSet;
use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::model::date::YearMonth;
use crate::model::metric::{self, Metric};
use crate::scenario::diag::{ScenarioErrors, Source};
use param::{Allowed, EFFECT, NON_NEGATIVE, Param, RATE, read_param};
use spanned::{Node, Reader, Table};

/// Longest horizon accepted, in months (20 years).
pub const MAX_MONTHS: u32 = 240;
/// Most replications accepted in one run.
pub const MAX_REPLICATIONS: u32 = 1_000_000;
/// Largest establishment of one post group, in FTE.
pub const MAX_ESTABLISHMENT: f64 = 100_000.0;
/// Most grades in a scenario (the engine stores a grade in one byte).
pub const MAX_GRADES: usize = 200;
/// Most pay points in a grade (the engine stores a pay point in one byte).
pub const MAX_PAY_POINTS: usize = 100;

/// A whole scenario: metadata, targets, and the baseline followed by each option.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub file: String,
    pub name: String,
    pub description: String,
    pub start: YearMonth,
    pub months: u32,
    pub replications: u32,
    pub seed: u64,
    pub targets: Vec<Target>,
    /// `variants[0]` is the baseline; the rest are the options in file order.
    pub variants: Vec<Variant>,
    /// SHA-256 of the scenario file's bytes.
    pub input_hash: String,
    /// Things the user should know that are not errors (e.g. FTE rounded to whole workers).
    pub notes: Vec<String>,
    /// Every input the file states, with its source note, for the report's assumptions table.
    pub assumptions: Vec<crate::scenario::assumptions::Assumption>,
}

/// The baseline or one option.
#[derive(Clone, Debug)]
pub struct Variant {
    pub name: String,
    pub description: String,
    /// The inputs the option's `set` replaces, with their new values as written; empty for the
    /// baseline.
    pub sets: Vec<(String, String)>,
    pub spec: Spec,
}

/// Everything the engine needs to simulate one variant.
#[derive(Clone, Debug)]
pub struct Spec {
    /// Upper edges (months of service) of the service bands; `n` edges make `n + 1` bands.
    pub band_edges: Vec<u32>,
    pub posts: Vec<Post>,
    pub grades: Vec<Grade>,
    pub asye: Option<AsyeIntake>,
    pub pipelines: Vec<Pipeline>,
    pub max_hires_per_month: Option<u32>,
    pub cost_per_hire: Param,
    pub agency: Agency,
    pub costs: Costs,
    pub premiums: Vec<Premium>,
}

impl Spec {
    /// Every input that may be uncertain, in a fixed order (those not stated in the file have an
    /// empty `path`).
    pub fn params(&self) -> Vec<&Param> {
        let mut out = vec![&self.cost_per_hire];
        for p in &self.posts {
            out.extend([
                &p.fill_probability,
                &p.promote_share,
                &p.agency_cover,
                &p.agency_rate,
            ]);
        }
        for g in &self.grades {
            out.extend(g.leaving.iter());
            if let Some(pr) = &g.progression {
                out.push(&pr.pass_rate);
            }
        }
        for p in &self.pipelines {
            out.extend([&p.completion_rate, &p.join_rate, &p.cost_per_trainee]);
        }
        let a = &self.agency;
        out.extend([
            &a.monthly_churn,
            &a.fill_probability,
            &a.annual_rate_uplift,
            &a.monthly_conversion,
            &a.conversion_fee,
        ]);
        let c = &self.costs;
        out.extend([&c.pay_award, &c.pay_award_flat, &c.asye_grant]);
        match &c.on_costs {
            OnCosts::Rate(r) => out.push(r),
            OnCosts::Separate {
                ni_rate,
                pension_rate,
                ..
            } => out.extend([ni_rate, pension_rate]),
        }
        for p in &self.premiums {
            out.extend([&p.leaving_effect, &p.hiring_effect]);
        }
        out
    }
}

/// A group of establishment posts that any of its grades can fill (e.g. social worker posts held by
/// ASYE, Level 2 and Level 3 staff).
#[derive(Clone, Debug)]
pub struct Post {
    pub name: String,
    pub establishment: f64,
    /// Agency workers at the start.
    pub agency_start: u32,
    /// The grades whose staff hold these posts.
    pub grades: Vec<usize>,
    /// Grade mix of external recruits: (grade, share), shares summing to 1.
    pub recruit: Vec<(usize, f64)>,
    /// Chance a vacant post is filled in a month.
    pub fill_probability: Param,
    pub promote_from: Option<usize>,
    /// Share of fills made by internal promotion when a candidate exists.
    pub promote_share: Param,
    /// Share of vacancies covered by agency staff.
    pub agency_cover: Param,
    /// Agency charge for these posts, per hour or (if `agency_rate_per_day`) per day.
    pub agency_rate: Param,
    pub agency_rate_per_day: bool,
}

#[derive(Clone, Debug)]
pub struct Grade {
    pub name: String,
    pub slug: String,
    pub post: usize,
    /// Permanent workers at the start (whole-time equivalents).
    pub permanent: u32,
    /// Share of the starting staff in each service band.
    pub service_shares: Vec<f64>,
    /// Annual leaving rate in each service band.
    pub leaving: Vec<Param>,
    pub progression: Option<Progression>,
    /// Annual salary at each pay point; staff move up one point per 12 months in the grade.
    pub pay_points: Vec<f64>,
    pub newly_qualified: bool,
}

#[derive(Clone, Debug)]
pub struct Progression {
    pub to: usize,
    pub after_months: u32,
    pub pass_rate: Param,
    /// Where `progression` is written, for messages.
    pub span: std::ops::Range<usize>,
}

#[derive(Clone, Debug)]
pub struct AsyeIntake {
    pub grade: usize,
    /// Calendar month (1-12) of each cohort's start.
    pub month: u32,
    pub size: u32,
    /// Sizes for particular years, overriding `size`.
    pub sizes_by_year: Vec<(i32, u32)>,
    /// Take at most as many as there are vacant posts in the grade's post group.
    pub within_establishment: bool,
}

impl AsyeIntake {
    pub fn size_in(&self, year: i32) -> u32 {
        self.sizes_by_year
            .iter()
            .find(|(y, _)| *y == year)
            .map_or(self.size, |(_, s)| *s)
    }
}

/// A grow-your-own programme: trainees start, some complete, some of those join as newly qualified.
#[derive(Clone, Debug)]
pub struct Pipeline {
    pub name: String,
    pub grade: usize,
    pub intake: u32,
    pub month: u32,
    pub every_years: u32,
    pub first_year: i32,
    pub duration_months: u32,
    pub completion_rate: Param,
    pub join_rate: Param,
    /// Council's cost per trainee over the whole programme, spread evenly over its months.
    pub cost_per_trainee: Param,
}

#[derive(Clone, Debug)]
pub struct Agency {
    pub monthly_churn: Param,
    /// Chance an uncovered vacancy gets an agency worker in a month.
    pub fill_probability: Param,
    /// Proportional rise in agency hourly rates each April.
    pub annual_rate_uplift: Param,
    pub monthly_conversion: Param,
    pub conversion_fee: Param,
    pub hours_per_week: f64,
    pub weeks_per_year: f64,
}

#[derive(Clone, Debug)]
pub struct Costs {
    pub on_costs: OnCosts,
    /// Proportional pay award each April.
    pub pay_award: Param,
    /// Flat pay award in pounds a year added to every pay point each April.
    pub pay_award_flat: Param,
    pub asye_grant: Param,
    pub discount_rate: f64,
}

#[derive(Clone, Debug)]
pub enum OnCosts {
    /// One rate on all pay.
    Rate(Param),
    /// Employer National Insurance above a threshold, and employer pension on all pay.
    Separate {
        ni_rate: Param,
        ni_threshold: f64,
        pension_rate: Param,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum PremiumKind {
    /// Pounds a year on top of salary for everyone in the grades.
    MarketSupplement,
    /// Paid once at joining; recovered if the worker leaves within `clawback_months`.
    GoldenHello {
        clawback_months: u32,
        pro_rata: bool,
    },
    /// Paid at `at_months` of service; recovered if the worker leaves within `clawback_months` after.
    RetentionPayment {
        at_months: u32,
        clawback_months: u32,
        pro_rata: bool,
    },
}

#[derive(Clone, Debug)]
pub struct Premium {
    pub kind: PremiumKind,
    pub grades: Vec<usize>,
    pub amount: f64,
    /// Proportional change in the leaving rate of staff in the grades (e.g. -0.1).
    pub leaving_effect: Param,
    /// Proportional change in the monthly fill probability of posts recruiting into the grades.
    pub hiring_effect: Param,
}

impl PremiumKind {
    pub fn label(&self) -> &'static str {
        match self {
            PremiumKind::MarketSupplement => "market_supplement",
            PremiumKind::GoldenHello { .. } => "golden_hello",
            PremiumKind::RetentionPayment { .. } => "retention_payment",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Target {
    pub name: String,
    pub metric: Metric,
    pub at_most: bool,
    pub value: f64,
    pub by: YearMonth,
    /// Month index of the deadline (0 = start).
    pub month: usize,
}

impl Target {
    pub fn met(&self, x: f64) -> bool {
        if self.at_most {
            x <= self.value
        } else {
            x >= self.value
        }
    }

    /// e.g. `agency_share at most 0.2 by 2027-03`.
    pub fn describe(&self, slugs: &[String]) -> String {
        format!(
            "{} {} {} by {}",
            self.metric.name(slugs),
            if self.at_most { "at most" } else { "at least" },
            param::fmt_g(self.value),
            self.by
        )
    }
}

impl Variant {
    /// Whether the option's `set` replaces the input at key path `path`.
    pub fn sets_input(&self, path: &str) -> bool {
        self.sets.iter().any(|(k, _)| spanned::same_path(k, path))
    }
}

impl Scenario {
    pub fn baseline(&self) -> &Spec {
        &self.variants[0].spec
    }

    pub fn grade_slugs(&self) -> Vec<String> {
        self.baseline()
            .grades
            .iter()
            .map(|g| g.slug.clone())
            .collect()
    }

    pub fn metrics(&self) -> Vec<Metric> {
        metric::all(self.baseline().grades.len())
    }

    pub fn date(&self, month: usize) -> YearMonth {
        self.start.add_months(month as i32)
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read scenario file {file}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Invalid(#[from] ScenarioErrors),
}

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, LoadError> {
    Ok(parse(&read_source(path)?)?)
}

/// Reads a scenario file's text, which must be UTF-8.
pub fn read_source(path: &Path) -> Result<Source, LoadError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        file: file.clone(),
        source,
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let source = Source::new(&file, String::from_utf8_lossy(e.as_bytes()).into_owned());
            let at = e.utf8_error().valid_up_to();
            return Err(ScenarioErrors {
                file: file.clone(),
                diagnostics: vec![source.diagnostic(
                    &(at..at),
                    "",
                    "the file is not UTF-8 text; save it as UTF-8",
                )],
            }
            .into());
        }
    };
    Ok(Source::new(file, text))
}

/// Validates a scenario from its text.
pub fn parse(source: &Source) -> Result<Scenario, ScenarioErrors> {
    parse_patched(source, &[])
}

/// A number as a TOML literal: whole numbers without a decimal point, so they suit integer inputs.
fn number_literal(x: f64) -> String {
    if x == x.trunc() && x.abs() < 9e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:?}")
    }
}

/// Checks that `path` names an input that can be varied, without validating anything else; the
/// error names the nearest valid path.
pub fn check_patch_path(source: &Source, path: &str) -> Result<(), String> {
    let first = path.split(['.', '[']).next().unwrap_or("");
    if !PATCHABLE.contains(&first) && first != "options" {
        return Err(format!(
            "only inputs under {}, options can be varied; `{first}` is not one of them",
            PATCHABLE.join(", ")
        ));
    }
    let Ok(mut doc) = spanned::parse_document(source, &source.text) else {
        // Syntax errors are reported when the scenario is read.
        return Ok(());
    };
    let zero = DeValue::parse("0").expect("valid TOML");
    spanned::patch(doc.get_mut(), path, zero)
}

/// Validates a scenario from its text with some inputs replaced by numbers (`sweep`, `solve` and
/// `sensitivity` do this). A path is an input's key path as for an option's `set`
/// (`intake.asye.size`, `grades[Level 3].leaving[2]`, `options[supplement-3k].premiums[0].amount`);
/// a path that does not exist is an error naming the nearest one that does. A replaced value keeps
/// the position of the value it replaces, so errors about it point at that line.
pub fn parse_patched(
    source: &Source,
    patches: &[(String, f64)],
) -> Result<Scenario, ScenarioErrors> {
    let fail = |diagnostics| ScenarioErrors {
        file: source.file.clone(),
        diagnostics,
    };
    let literals: Vec<String> = patches.iter().map(|(_, x)| number_literal(*x)).collect();
    let mut doc = spanned::parse_document(source, &source.text).map_err(fail)?;
    let mut patch_errors = Vec::new();
    for ((path, x), literal) in patches.iter().zip(&literals) {
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
        if let Err(e) = spanned::patch_with(doc.get_mut(), path, |old| {
            toml::Spanned::new(old.span(), value.into_inner())
        }) {
            patch_errors.push(source.diagnostic(&(0..0), path, e));
        }
    }
    if !patch_errors.is_empty() {
        return Err(fail(patch_errors));
    }
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
    let baseline = read_spec(&mut r, &mut root);
    let grade_slugs: Vec<String> = baseline
        .as_ref()
        .map(|s| s.grades.iter().map(|g| g.slug.clone()).collect())
        .unwrap_or_default();
    let targets = match (&meta, &baseline) {
        (Some(m), Some(_)) => read_targets(&mut r, &mut root, m, &grade_slugs),
        _ => {
            root.get("targets");
            Vec::new()
        }
    };
    let options_node = root.get("options");
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
        return Err(fail(r.diagnostics));
    }
    let meta = meta.expect("no errors");
    let mut notes = meta.notes;
    notes.extend(rounding_notes(doc.get_ref()));
    let base = &variants[0].spec;
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
    for post in &base.posts {
        let permanent: u32 = post.grades.iter().map(|&g| base.grades[g].permanent).sum();
        if f64::from(permanent) > post.establishment {
            notes.push(format!(
                "post `{}`: starting permanent staff ({permanent}) are more than its establishment \
                 ({} FTE); no vacancy is filled until leavers bring them below it",
                post.name,
                param::fmt_g(post.establishment)
            ));
        }
        let vac = (post.establishment - f64::from(permanent)).max(0.0);
        let cover = post.agency_cover.central();
        if f64::from(post.agency_start) > (cover * vac).round() + 0.5 {
            notes.push(format!(
                "post `{}`: starting agency ({}) is more than agency_cover x vacancies ({:.0}); the excess is released in month 1",
                post.name, post.agency_start, cover * vac
            ));
        }
    }
    Ok(Scenario {
        file: source.file.clone(),
        name: meta.name,
        description: meta.description,
        start: meta.start,
        months: meta.months,
        replications: meta.replications,
        seed: meta.seed,
        targets,
        variants,
        input_hash: sha256_hex(source.text.as_bytes()),
        notes,
        assumptions: crate::scenario::assumptions::collect(doc.get_ref(), &source.text),
    })
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
}

fn read_meta(r: &mut Reader, root: &mut Table) -> Option<Meta> {
    let node = root.require(
        r,
        "scenario",
        "a [scenario] table with name, start and months",
    )?;
    let mut t = r.table(&node)?;
    let name = t.require(r, "name", "the scenario's name, used for the output folder").and_then(|n| {
        let s = r.string(&n)?;
        if s.trim().is_empty() || s.contains(['/', '\\']) {
            r.node_error(&n, "the name must be non-empty and contain no `/` or `\\` (it names the output folder)");
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
    r.finish(t);
    Some(Meta {
        name: name?,
        description,
        start: start?,
        months: months?,
        replications: replications?,
        seed: seed?,
        notes,
    })
}

fn read_month(r: &mut Reader, n: &Node) -> Option<YearMonth> {
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
    items.iter().map(|i| r.string(i)).collect()
}

/// Reads a parameter whose random stream is keyed by `key` (defaults to the node's path).
fn param(r: &mut Reader, n: &Node, allowed: Allowed) -> Option<Param> {
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
        Some(n) => param(r, &n, allowed),
        None => Some(Param::fixed(default)),
    }
}

fn count(r: &mut Reader, n: &Node, what: &str) -> Option<u32> {
    let x = r.number(n)?;
    if x < 0.0 {
        r.node_error(
            n,
            format!("found {}; {what} cannot be negative", param::fmt_g(x)),
        );
        return None;
    }
    if x > MAX_ESTABLISHMENT {
        r.node_error(
            n,
            format!(
                "found {}; allowed: at most {MAX_ESTABLISHMENT} FTE",
                param::fmt_g(x)
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

/// Reads the part of a scenario an option may change.
fn read_spec(r: &mut Reader, root: &mut Table) -> Option<Spec> {
    let grade_names = names_of(root, "grades");
    let post_names = names_of(root, "posts");

    // Service bands.
    let band_edges = match root.get("service") {
        Some(n) => r.table(&n).and_then(|mut t| {
            let edges = t.require(r, "band_edges_months", "the upper edges of the service bands in months, e.g. [12, 24, 60]").and_then(|n| {
                let items = r.array(&n)?;
                let v: Option<Vec<u32>> = items.iter().map(|i| r.integer_in(i, 1, 600).map(|x| x as u32)).collect();
                let v = v?;
                if v.is_empty() || v.windows(2).any(|w| w[0] >= w[1]) {
                    r.node_error(&n, "band edges must be a non-empty list of increasing months, e.g. [12, 24, 60]");
                    return None;
                }
                Some(v)
            });
            r.finish(t);
            edges
        }),
        None => Some(vec![12, 24, 60]),
    };
    let nbands = band_edges.as_ref().map(|e| e.len() + 1);

    // Grades.
    let mut grades = Vec::new();
    let mut grades_ok = true;
    match root.require(r, "grades", "an array of [[grades]] tables") {
        Some(n) => match r.array(&n) {
            Some(items) if items.is_empty() => {
                r.node_error(&n, "there must be at least one grade");
                grades_ok = false;
            }
            Some(items) if items.len() > MAX_GRADES => {
                r.node_error(
                    &n,
                    format!(
                        "there are {} grades; at most {MAX_GRADES} are allowed",
                        items.len()
                    ),
                );
                grades_ok = false;
            }
            Some(items) => {
                let mut seen = HashSet::new();
                for item in &items {
                    if let Some(name) = name_of(item)
                        && !seen.insert(name.clone())
                    {
                        r.node_error(
                            item,
                            format!("grade `{name}` is defined twice; grade names must be unique"),
                        );
                        grades_ok = false;
                        continue;
                    }
                    match read_grade(r, item, &grade_names, &post_names, nbands) {
                        Some(g) => grades.push(g),
                        None => grades_ok = false,
                    }
                }
            }
            None => grades_ok = false,
        },
        None => grades_ok = false,
    }
    if grades_ok {
        check_progression_cycles(r, &grades);
        let mut slugs = HashSet::new();
        for g in &grades {
            if g.slug.is_empty() || !slugs.insert(g.slug.clone()) {
                let span = root.span.clone();
                r.error(&span, "grades", format!("grade `{}` gives the metric name `fte_{}`, which is empty or used by another grade; rename it", g.name, g.slug));
                grades_ok = false;
            }
        }
    }

    // Posts.
    let mut posts = Vec::new();
    let mut posts_ok = true;
    match root.require(
        r,
        "posts",
        "an array of [[posts]] tables (establishment groups)",
    ) {
        Some(n) => {
            match r.array(&n) {
                Some(items) if items.is_empty() => {
                    r.node_error(&n, "there must be at least one post group");
                    posts_ok = false;
                }
                Some(items) => {
                    let mut seen = HashSet::new();
                    for item in &items {
                        match read_post(r, item, &grade_names) {
                            Some(p) => {
                                if !seen.insert(p.name.clone()) {
                                    r.node_error(item, format!("post group `{}` is defined twice; names must be unique", p.name));
                                    posts_ok = false;
                                }
                                posts.push(p);
                            }
                            None => posts_ok = false,
                        }
                    }
                }
                None => posts_ok = false,
            }
        }
        None => posts_ok = false,
    }
    if grades_ok && posts_ok {
        for (gi, g) in grades.iter().enumerate() {
            posts[g.post].grades.push(gi);
        }
        for p in &posts {
            if p.grades.is_empty() {
                let span = root.span.clone();
                r.error(
                    &span,
                    &format!("posts[{}]", p.name),
                    "no grade holds these posts; set `post` on at least one grade",
                );
            }
            for &(g, _) in &p.recruit {
                if grades[g].post != posts.iter().position(|q| q.name == p.name).unwrap_or(0) {
                    let span = root.span.clone();
                    r.error(
                        &span,
                        &format!("posts[{}].recruit", p.name),
                        format!(
                            "grade `{}` does not hold `{}` posts, so recruits cannot join as it",
                            grades[g].name, p.name
                        ),
                    );
                }
            }
            if let Some(f) = p.promote_from
                && p.grades.contains(&f)
            {
                let span = root.span.clone();
                r.error(&span, &format!("posts[{}].promote_from", p.name), format!("`{}` already holds these posts; promotion must come from another post group", grades[f].name));
            }
        }
    }

    // Intake.
    let mut asye = None;
    let mut pipelines = Vec::new();
    if let Some(n) = root.get("intake")
        && let Some(mut t) = r.table(&n)
    {
        if let Some(an) = t.get("asye") {
            asye = read_asye(r, &an, &grade_names);
        }
        if let Some(pn) = t.get("pipelines")
            && let Some(items) = r.array(&pn)
        {
            for item in &items {
                if let Some(p) = read_pipeline(r, item, &grade_names) {
                    pipelines.push(p);
                }
            }
        }
        r.finish(t);
    }

    // Recruitment.
    let (mut max_hires, mut cost_per_hire) = (None, Some(Param::fixed(0.0)));
    if let Some(n) = root.get("recruitment")
        && let Some(mut t) = r.table(&n)
    {
        max_hires = t
            .get("max_hires_per_month")
            .and_then(|n| r.integer_in(&n, 0, 100_000).map(|x| x as u32));
        cost_per_hire = opt_param(r, &mut t, "cost_per_hire", NON_NEGATIVE, 0.0);
        r.finish(t);
    }

    // Agency.
    let agency = match root.get("agency") {
        Some(n) => r.table(&n).and_then(|mut t| {
            let churn = opt_param(r, &mut t, "monthly_churn", RATE, 0.0);
            let agency_fill = opt_param(r, &mut t, "fill_probability", RATE, 1.0);
            let uplift = opt_param(
                r,
                &mut t,
                "annual_rate_uplift",
                Allowed {
                    lo: -0.5,
                    hi: 1.0,
                    what: "a proportion from -0.5 to 1",
                },
                0.0,
            );
            let conversion = opt_param(r, &mut t, "monthly_conversion", RATE, 0.0);
            let fee = opt_param(r, &mut t, "conversion_fee", NON_NEGATIVE, 0.0);
            let hours = t.get("hours_per_week").map_or(Some(37.0), |n| {
                r.number_in(&n, 0.0, 168.0, "hours from 0 to 168")
            });
            let weeks = t.get("weeks_per_year").map_or(Some(52.0), |n| {
                r.number_in(&n, 0.0, 53.0, "weeks from 0 to 53")
            });
            r.finish(t);
            Some(Agency {
                monthly_churn: churn?,
                fill_probability: agency_fill?,
                annual_rate_uplift: uplift?,
                monthly_conversion: conversion?,
                conversion_fee: fee?,
                hours_per_week: hours?,
                weeks_per_year: weeks?,
            })
        }),
        None => Some(Agency {
            monthly_churn: Param::fixed(0.0),
            fill_probability: Param::fixed(1.0),
            annual_rate_uplift: Param::fixed(0.0),
            monthly_conversion: Param::fixed(0.0),
            conversion_fee: Param::fixed(0.0),
            hours_per_week: 37.0,
            weeks_per_year: 52.0,
        }),
    };

    let costs = match root.get("costs") {
        Some(n) => r.table(&n).and_then(|mut t| {
            let costs = read_costs(r, &mut t);
            r.finish(t);
            costs
        }),
        None => Some(Costs {
            on_costs: OnCosts::Rate(Param::fixed(0.0)),
            pay_award: Param::fixed(0.0),
            pay_award_flat: Param::fixed(0.0),
            asye_grant: Param::fixed(0.0),
            discount_rate: 0.035,
        }),
    };

    let mut premiums = Vec::new();
    if let Some(n) = root.get("premiums") {
        read_premiums(r, &n, &grade_names, &mut premiums);
    }

    let premiums_path = if root.path.is_empty() {
        "premiums".to_string()
    } else {
        format!("{}.premiums", root.path)
    };
    check_premium_overlap(
        r,
        &root.span.clone(),
        &premiums_path,
        &premiums,
        &grade_names,
    );
    if !grades_ok || !posts_ok {
        return None;
    }
    Some(Spec {
        band_edges: band_edges?,
        posts,
        grades,
        asye,
        pipelines,
        max_hires_per_month: max_hires,
        cost_per_hire: cost_per_hire?,
        agency: agency?,
        costs: costs?,
        premiums,
    })
}

fn read_grade(
    r: &mut Reader,
    n: &Node,
    grade_names: &[String],
    post_names: &[String],
    nbands: Option<usize>,
) -> Option<Grade> {
    let mut t = r.table(n)?;
    let name = t
        .require(r, "name", "the grade's name")
        .and_then(|n| r.string(&n));
    let post = t
        .require(
            r,
            "post",
            "the name of the [[posts]] group these staff hold",
        )
        .and_then(|n| resolve(r, &n, post_names, "post group"));
    let permanent = t
        .require(r, "permanent", "starting permanent FTE")
        .and_then(|n| count(r, &n, "permanent FTE"));
    let service_shares = t.require(r, "service_shares", "the share of starting staff in each service band").and_then(|sn| {
        let items = r.array(&sn)?;
        let v: Option<Vec<f64>> = items.iter().map(|i| r.number_in(i, 0.0, 1.0, "a share from 0 to 1")).collect();
        let v = v?;
        if let Some(nb) = nbands
            && v.len() != nb
        {
            r.node_error(&sn, format!("has {} shares but there are {nb} service bands (see [service] band_edges_months)", v.len()));
            return None;
        }
        let sum: f64 = v.iter().sum();
        if (sum - 1.0).abs() > 1e-6 {
            r.node_error(&sn, format!("shares add up to {}; they must add up to 1", param::fmt_g(sum)));
            return None;
        }
        Some(v)
    });
    let leaving = t.require(r, "leaving", "the annual leaving rate in each service band").and_then(|ln| {
        let items = r.array(&ln)?;
        let v: Option<Vec<Param>> = items.iter().map(|i| param(r, i, RATE)).collect();
        let v = v?;
        if let Some(nb) = nbands
            && v.len() != nb
        {
            r.node_error(&ln, format!("has {} rates but there are {nb} service bands (see [service] band_edges_months)", v.len()));
            return None;
        }
        Some(v)
    });
    let progression = match t.get("progression") {
        Some(pn) => r.table(&pn).and_then(|mut pt| {
            let span = pn.value.span();
            let to = pt
                .require(r, "to", "the grade staff progress to")
                .and_then(|n| resolve(r, &n, grade_names, "grade"));
            let after = pt
                .require(r, "after_months", "months in the grade before progression")
                .and_then(|n| r.integer_in(&n, 1, i64::from(MAX_MONTHS)).map(|x| x as u32));
            let pass = opt_param(r, &mut pt, "pass_rate", RATE, 1.0);
            r.finish(pt);
            Some(Some(Progression {
                to: to?,
                after_months: after?,
                pass_rate: pass?,
                span,
            }))
        }),
        None => Some(None),
    };
    let pay_points = match (t.get("salary"), t.get("pay_points")) {
        (Some(s), None) => r
            .number_in(&s, 0.0, 1e7, "an annual salary in pounds, 0 to 10,000,000")
            .map(|x| vec![x]),
        (None, Some(p)) => r.array(&p).and_then(|items| {
            let v: Option<Vec<f64>> = items
                .iter()
                .map(|i| r.number_in(i, 0.0, 1e7, "an annual salary in pounds"))
                .collect();
            let v = v?;
            if v.is_empty() || v.len() > MAX_PAY_POINTS {
                r.node_error(
                    &p,
                    format!(
                        "has {} pay points; give from 1 to {MAX_PAY_POINTS}",
                        v.len()
                    ),
                );
                return None;
            }
            Some(v)
        }),
        (Some(s), Some(_)) => {
            r.node_error(&s, "give either `salary` or `pay_points`, not both");
            None
        }
        (None, None) => {
            let (span, path) = (t.span.clone(), format!("{}.salary", t.path));
            r.error(&span, &path, "missing; required: `salary` (pounds a year) or `pay_points` (a list, one step a year)");
            None
        }
    };
    let nq = t
        .get("newly_qualified")
        .map_or(Some(false), |n| r.boolean(&n));
    t.get("note");
    r.finish(t);
    let name = name?;
    Some(Grade {
        slug: metric::slug(&name),
        name,
        post: post?,
        permanent: permanent?,
        service_shares: service_shares?,
        leaving: leaving?,
        progression: progression?,
        pay_points: pay_points?,
        newly_qualified: nq?,
    })
}

fn check_progression_cycles(r: &mut Reader, grades: &[Grade]) {
    for (start, g) in grades.iter().enumerate() {
        let mut seen = vec![start];
        let mut cur = g.progression.as_ref().map(|p| p.to);
        while let Some(c) = cur {
            if c == start {
                // Report each cycle once, at the first grade in it.
                if seen.iter().all(|&i| i >= start) {
                    let chain: Vec<&str> = seen
                        .iter()
                        .chain([&start])
                        .map(|&i| grades[i].name.as_str())
                        .collect();
                    let path = format!("grades[{}].progression.to", g.name);
                    let span = g.progression.as_ref().expect("in a cycle").span.clone();
                    r.error(
                        &span,
                        &path,
                        format!("progression goes round in a cycle ({}); it must end at a grade with no progression", chain.join(" -> ")),
                    );
                }
                break;
            }
            if seen.contains(&c) {
                break;
            }
            seen.push(c);
            cur = grades[c].progression.as_ref().map(|p| p.to);
        }
    }
}

fn read_post(r: &mut Reader, n: &Node, grade_names: &[String]) -> Option<Post> {
    let mut t = r.table(n)?;
    let name = t
        .require(r, "name", "the post group's name")
        .and_then(|n| r.string(&n));
    let establishment = t
        .require(r, "establishment", "funded posts in FTE")
        .and_then(|n| r.number_in(&n, 0.0, MAX_ESTABLISHMENT, "FTE from 0 to 100,000"));
    let agency = t
        .get("agency")
        .map_or(Some(0), |n| count(r, &n, "agency FTE"));
    let recruit = t
        .require(
            r,
            "recruit",
            "the grade mix of external recruits, e.g. { \"Level 3\" = 1.0 }",
        )
        .and_then(|rn| {
            let rt = r.table(&rn)?;
            let mut mix = Vec::new();
            let keys: Vec<String> = rt.table.keys().map(|k| k.get_ref().to_string()).collect();
            for k in &keys {
                let v = rt.table.get(k.as_str()).expect("key exists");
                let node = Node {
                    value: v,
                    path: format!("{}.{}", rt.path, k),
                };
                let share = r.number_in(&node, 0.0, 1.0, "a share from 0 to 1");
                match grade_names.iter().position(|g| g == k) {
                    Some(g) => mix.push((g, share?)),
                    None => {
                        let mut known: Vec<&str> = grade_names.iter().map(String::as_str).collect();
                        known.dedup();
                        let hint = spanned::closest(k, &known)
                            .map(|s| format!("did you mean `{s}`? "))
                            .unwrap_or_default();
                        r.node_error(
                            &node,
                            format!(
                                "no grade is named `{k}`; {hint}known grades: {}",
                                known.join(", ")
                            ),
                        );
                    }
                }
            }
            if mix.len() != keys.len() {
                return None;
            }
            let total: f64 = mix.iter().map(|m| m.1).sum();
            if mix.is_empty() || (total - 1.0).abs() > 1e-6 {
                r.node_error(
                    &rn,
                    format!(
                        "recruit shares add up to {}; they must add up to 1",
                        param::fmt_g(total)
                    ),
                );
                return None;
            }
            Some(mix)
        });
    let fill = match (t.get("fill_probability"), t.get("months_to_fill")) {
        (Some(f), None) => param(r, &f, RATE),
        (None, Some(m)) => r
            .number_in(&m, 1.0, 1e6, "a mean of at least 1 month")
            .map(|x| Param::fixed(1.0 / x)),
        (Some(f), Some(_)) => {
            r.node_error(
                &f,
                "give either `fill_probability` or `months_to_fill`, not both",
            );
            None
        }
        (None, None) => {
            let (span, path) = (t.span.clone(), format!("{}.fill_probability", t.path));
            r.error(&span, &path, "missing; required: `fill_probability` (chance a vacancy is filled in a month) or `months_to_fill`");
            None
        }
    };
    let promote_from = t
        .get("promote_from")
        .map(|n| resolve(r, &n, grade_names, "grade"));
    let promote_share = opt_param(r, &mut t, "promote_share", RATE, 0.0);
    let cover = opt_param(r, &mut t, "agency_cover", RATE, 1.0);
    let (rate, per_day) = match (t.get("agency_hourly_rate"), t.get("agency_daily_rate")) {
        (Some(h), None) => (param(r, &h, NON_NEGATIVE), false),
        (None, Some(d)) => (param(r, &d, NON_NEGATIVE), true),
        (Some(h), Some(_)) => {
            r.node_error(
                &h,
                "give either `agency_hourly_rate` or `agency_daily_rate`, not both",
            );
            (None, false)
        }
        (None, None) => (Some(Param::fixed(0.0)), false),
    };
    t.get("note");
    r.finish(t);
    let promote_from = match promote_from {
        Some(p) => Some(p?),
        None => None,
    };
    Some(Post {
        name: name?,
        establishment: establishment?,
        agency_start: agency?,
        grades: Vec::new(),
        recruit: recruit?,
        fill_probability: fill?,
        promote_from,
        promote_share: promote_share?,
        agency_cover: cover?,
        agency_rate: rate?,
        agency_rate_per_day: per_day,
    })
}

fn read_asye(r: &mut Reader, n: &Node, grade_names: &[String]) -> Option<AsyeIntake> {
    let mut t = r.table(n)?;
    let grade = t
        .require(r, "grade", "the newly qualified grade cohorts join")
        .and_then(|n| resolve(r, &n, grade_names, "grade"));
    let month = t
        .require(r, "month", "the calendar month cohorts start, 1-12")
        .and_then(|n| r.integer_in(&n, 1, 12).map(|x| x as u32));
    let size = t
        .require(r, "size", "workers in each year's cohort")
        .and_then(|n| r.integer_in(&n, 0, 100_000).map(|x| x as u32));
    let by_year = match t.get("sizes_by_year") {
        Some(sn) => r.table(&sn).map(|st| {
            let mut v = Vec::new();
            for (k, val) in st.table.iter() {
                let node = Node {
                    value: val,
                    path: format!("{}.{}", st.path, k.get_ref()),
                };
                let year = k
                    .get_ref()
                    .parse::<i32>()
                    .ok()
                    .filter(|y| (1900..=2200).contains(y));
                let sz = r.integer_in(&node, 0, 100_000);
                match (year, sz) {
                    (Some(y), Some(s)) => v.push((y, s as u32)),
                    (None, _) => r.error(
                        &k.span(),
                        &node.path,
                        format!(
                            "`{}` is not a year; write years like \"2024\" = 15",
                            k.get_ref()
                        ),
                    ),
                    _ => {}
                }
            }
            v
        }),
        None => Some(Vec::new()),
    };
    let within = t
        .get("within_establishment")
        .map_or(Some(true), |n| r.boolean(&n));
    r.finish(t);
    Some(AsyeIntake {
        within_establishment: within?,
        grade: grade?,
        month: month?,
        size: size?,
        sizes_by_year: by_year?,
    })
}

fn read_pipeline(r: &mut Reader, n: &Node, grade_names: &[String]) -> Option<Pipeline> {
    let mut t = r.table(n)?;
    let name = t
        .require(r, "name", "the programme's name")
        .and_then(|n| r.string(&n));
    let grade = t
        .require(r, "grade", "the grade completers join as")
        .and_then(|n| resolve(r, &n, grade_names, "grade"));
    let intake = t
        .require(r, "intake", "trainees starting in each intake")
        .and_then(|n| r.integer_in(&n, 0, 100_000).map(|x| x as u32));
    let month = t
        .require(r, "month", "calendar month trainees start, 1-12")
        .and_then(|n| r.integer_in(&n, 1, 12).map(|x| x as u32));
    let every = t
        .get("every_years")
        .map_or(Some(1), |n| r.integer_in(&n, 1, 20).map(|x| x as u32));
    let first = t
        .require(r, "first_year", "the year of the first intake")
        .and_then(|n| r.integer_in(&n, 1900, 2200).map(|x| x as i32));
    let duration = t
        .require(r, "duration_months", "length of the programme in months")
        .and_then(|n| r.integer_in(&n, 1, 120).map(|x| x as u32));
    let completion = opt_param(r, &mut t, "completion_rate", RATE, 1.0);
    let join = opt_param(r, &mut t, "join_rate", RATE, 1.0);
    let cost = opt_param(r, &mut t, "cost_per_trainee", NON_NEGATIVE, 0.0);
    t.get("note");
    r.finish(t);
    Some(Pipeline {
        name: name?,
        grade: grade?,
        intake: intake?,
        month: month?,
        every_years: every?,
        first_year: first?,
        duration_months: duration?,
        completion_rate: completion?,
        join_rate: join?,
        cost_per_trainee: cost?,
    })
}

fn read_costs(r: &mut Reader, t: &mut Table) -> Option<Costs> {
    let single = t.get("on_cost_rate");
    let ni = t.get("employer_ni_rate");
    let on_costs = match (single, ni) {
        (Some(s), None) => param(r, &s, RATE).map(OnCosts::Rate),
        (None, Some(n)) => {
            let ni_rate = param(r, &n, RATE);
            let threshold = t.get("ni_threshold").map_or(Some(0.0), |n| {
                r.number_in(&n, 0.0, 1e7, "pounds a year, at least 0")
            });
            let pension = opt_param(r, t, "pension_rate", RATE, 0.0);
            Some(OnCosts::Separate {
                ni_rate: ni_rate?,
                ni_threshold: threshold?,
                pension_rate: pension?,
            })
        }
        (Some(s), Some(_)) => {
            r.node_error(
                &s,
                "give either `on_cost_rate` or `employer_ni_rate` with `pension_rate`, not both",
            );
            None
        }
        (None, None) => {
            if let Some(p) = t.get("pension_rate") {
                param(r, &p, RATE).map(|pension_rate| OnCosts::Separate {
                    ni_rate: Param::fixed(0.0),
                    ni_threshold: 0.0,
                    pension_rate,
                })
            } else {
                Some(OnCosts::Rate(Param::fixed(0.0)))
            }
        }
    };
    t.get("ni_threshold");
    t.get("pension_rate");
    let award = opt_param(
        r,
        t,
        "pay_award",
        Allowed {
            lo: -0.5,
            hi: 1.0,
            what: "a proportion from -0.5 to 1",
        },
        0.0,
    );
    let flat = opt_param(
        r,
        t,
        "pay_award_flat",
        Allowed {
            lo: -1e5,
            hi: 1e5,
            what: "pounds a year",
        },
        0.0,
    );
    let grant = opt_param(r, t, "asye_grant", NON_NEGATIVE, 0.0);
    let discount = t.get("discount_rate").map_or(Some(0.035), |n| {
        r.number_in(&n, 0.0, 1.0, "a yearly rate from 0 to 1")
    });
    Some(Costs {
        on_costs: on_costs?,
        pay_award: award?,
        pay_award_flat: flat?,
        asye_grant: grant?,
        discount_rate: discount?,
    })
}

fn read_premiums(r: &mut Reader, n: &Node, grade_names: &[String], out: &mut Vec<Premium>) {
    let Some(items) = r.array(n) else { return };
    for item in &items {
        let Some(mut t) = r.table(item) else { continue };
        let kind_s = t
            .require(
                r,
                "kind",
                "market_supplement, golden_hello or retention_payment",
            )
            .and_then(|n| {
                let s = r.string(&n)?;
                let known = ["market_supplement", "golden_hello", "retention_payment"];
                if known.contains(&s.as_str()) {
                    Some(s)
                } else {
                    let hint = spanned::closest(&s, &known)
                        .map(|k| format!("did you mean `{k}`? "))
                        .unwrap_or_default();
                    r.node_error(
                        &n,
                        format!(
                            "unknown premium kind `{s}`; {hint}allowed: {}",
                            known.join(", ")
                        ),
                    );
                    None
                }
            });
        let grades = t
            .require(r, "grades", "the grades it applies to")
            .and_then(|gn| {
                let items = r.array(&gn)?;
                let v: Option<Vec<usize>> = items
                    .iter()
                    .map(|i| resolve(r, i, grade_names, "grade"))
                    .collect();
                v
            });
        let amount = t
            .require(
                r,
                "amount",
                "pounds (a year for a supplement; once for a payment)",
            )
            .and_then(|n| r.number_in(&n, 0.0, 1e6, "pounds from 0 to 1,000,000"));
        let clawback = t
            .get("clawback_months")
            .map_or(Some(0), |n| r.integer_in(&n, 0, 240).map(|x| x as u32));
        let pro_rata = t.get("clawback").map_or(Some(false), |n| {
            let s = r.string(&n)?;
            match s.as_str() {
                "full" => Some(false),
                "pro_rata" => Some(true),
                other => {
                    r.node_error(
                        &n,
                        format!("`{other}` is not a clawback rule; allowed: full, pro_rata"),
                    );
                    None
                }
            }
        });
        let at = t.get("at_months");
        let kind = match kind_s.as_deref() {
            Some("market_supplement") => Some(PremiumKind::MarketSupplement),
            Some("golden_hello") => Some(PremiumKind::GoldenHello {
                clawback_months: clawback.unwrap_or(0),
                pro_rata: pro_rata.unwrap_or(false),
            }),
            Some("retention_payment") => match at {
                Some(a) => r
                    .integer_in(&a, 1, 600)
                    .map(|m| PremiumKind::RetentionPayment {
                        at_months: m as u32,
                        clawback_months: clawback.unwrap_or(0),
                        pro_rata: pro_rata.unwrap_or(false),
                    }),
                None => {
                    let (span, path) = (t.span.clone(), format!("{}.at_months", t.path));
                    r.error(&span, &path, "missing; required for a retention payment: months of service at which it is paid");
                    None
                }
            },
            _ => None,
        };
        let label = kind_s.clone().unwrap_or_default();
        let index = out.iter().filter(|p| p.kind.label() == label).count();
        // Effects of the same kind of premium share a random stream across options (common random
        // numbers): the k-th market supplement's effect is drawn from the same numbers in every option.
        let key = |what: &str| format!("premium.{label}.{index}.{what}");
        let leaving = match t.get("leaving_effect") {
            Some(n) => read_param(r, &n, EFFECT, &key("leaving_effect")),
            None => Some(Param::fixed(0.0)),
        };
        let hiring = match t.get("hiring_effect") {
            Some(n) => read_param(r, &n, EFFECT, &key("hiring_effect")),
            None => Some(Param::fixed(0.0)),
        };
        t.get("note");
        r.finish(t);
        if let (Some(kind), Some(grades), Some(amount), Some(_), Some(_), Some(l), Some(h)) =
            (kind, grades, amount, clawback, pro_rata, leaving, hiring)
        {
            out.push(Premium {
                kind,
                grades,
                amount,
                leaving_effect: l,
                hiring_effect: h,
            });
        }
    }
}

fn read_targets(r: &mut Reader, root: &mut Table, meta: &Meta, slugs: &[String]) -> Vec<Target> {
    let mut out = Vec::new();
    let Some(n) = root.get("targets") else {
        return out;
    };
    let Some(items) = r.array(&n) else { return out };
    let known: Vec<String> = metric::all(slugs.len())
        .iter()
        .map(|m| m.name(slugs))
        .collect();
    for item in &items {
        let Some(mut t) = r.table(item) else { continue };
        let name = t
            .require(r, "name", "the target's name")
            .and_then(|n| r.string(&n));
        let metric = t
            .require(r, "metric", "a metric name, e.g. agency_share")
            .and_then(|n| {
                let s = r.string(&n)?;
                match Metric::parse(&s, slugs) {
                    Some(m) => Some(m),
                    None => {
                        let k: Vec<&str> = known.iter().map(String::as_str).collect();
                        let hint = Metric::alias(&s)
                            .map(|m| m.info().name)
                            .or_else(|| spanned::closest(&s, &k))
                            .map(|x| format!("did you mean `{x}`? "))
                            .unwrap_or_default();
                        r.node_error(
                            &n,
                            format!("unknown metric `{s}`; {hint}allowed: {}", k.join(", ")),
                        );
                        None
                    }
                }
            });
        let (most, least) = (t.get("at_most"), t.get("at_least"));
        let bound = match (most, least) {
            (Some(n), None) => r.number(&n).map(|x| (true, x)),
            (None, Some(n)) => r.number(&n).map(|x| (false, x)),
            (Some(n), Some(_)) => {
                r.node_error(&n, "give either `at_most` or `at_least`, not both");
                None
            }
            (None, None) => {
                let (span, path) = (t.span.clone(), format!("{}.at_most", t.path));
                r.error(
                    &span,
                    &path,
                    "missing; required: `at_most` or `at_least` with the threshold",
                );
                None
            }
        };
        let by = t
            .require(r, "by", "the deadline month, \"YYYY-MM\"")
            .and_then(|n| {
                let m = read_month(r, &n)?;
                let idx = m.months_since(meta.start);
                if idx < 0 || idx > meta.months as i32 {
                    r.node_error(
                        &n,
                        format!(
                            "{m} is outside the simulated period {} to {}",
                            meta.start,
                            meta.start.add_months(meta.months as i32)
                        ),
                    );
                    return None;
                }
                Some((m, idx as usize))
            });
        t.get("note");
        r.finish(t);
        if let (Some(name), Some(metric), Some((at_most, value)), Some((by, month))) =
            (name, metric, bound, by)
        {
            if month < metric.first_month() {
                r.node_error(
                    item,
                    format!(
                        "`{}` is defined from month {}; the deadline {by} is month {month}",
                        metric.name(slugs),
                        metric.first_month()
                    ),
                );
                continue;
            }
            if metric.is_share() && !(0.0..=1.0).contains(&value) {
                r.node_error(item, format!("`{}` is a share from 0 to 1; the threshold {} can never be compared meaningfully (write 20% as 0.2)", metric.name(slugs), param::fmt_g(value)));
                continue;
            }
            if out.iter().any(|o: &Target| o.name == name) {
                r.node_error(item, format!("target `{name}` is defined twice"));
                continue;
            }
            out.push(Target {
                name,
                metric,
                at_most,
                value,
                by,
                month,
            });
        }
    }
    out
}

/// A worker can receive one golden hello and one retention payment: two of the same kind covering
/// one grade would be ambiguous, so they are refused. Market supplements add up.
fn check_premium_overlap(
    r: &mut Reader,
    span: &std::ops::Range<usize>,
    path: &str,
    premiums: &[Premium],
    grade_names: &[String],
) {
    for (i, a) in premiums.iter().enumerate() {
        for b in &premiums[i + 1..] {
            if a.kind == PremiumKind::MarketSupplement || a.kind.label() != b.kind.label() {
                continue;
            }
            if let Some(&g) = a.grades.iter().find(|g| b.grades.contains(g)) {
                r.error(
                    span,
                    path,
                    format!("two {} premiums cover grade `{}`; a worker can receive only one of each kind (market supplements may be combined)", a.kind.label(), grade_names[g]),
                );
            }
        }
    }
}

const PATCHABLE: [&str; 8] = [
    "service",
    "grades",
    "posts",
    "intake",
    "recruitment",
    "agency",
    "costs",
    "premiums",
];

fn read_options(r: &mut Reader, n: &Node, root: &DeTable, variants: &mut Vec<Variant>) {
    let Some(items) = r.array(n) else { return };
    for item in &items {
        let Some(mut t) = r.table(item) else { continue };
        let Some(name) = t
            .require(r, "name", "the option's name")
            .and_then(|n| r.string(&n))
        else {
            r.finish(t);
            continue;
        };
        if variants.iter().any(|v| v.name == name) {
            r.node_error(item, format!("option `{name}` is defined twice, or is named `baseline`; option names must be unique"));
        }
        let description = t
            .get("description")
            .and_then(|n| r.string(&n))
            .unwrap_or_default();
        let mut tree = root.clone();
        let mut ok = true;
        let mut sets = Vec::new();
        if let Some(sn) = t.get("set")
            && let Some(st) = r.table(&sn)
        {
            for (k, v) in st.table.iter() {
                let path = k.get_ref().to_string();
                let written = r.source.text.get(v.span()).unwrap_or("").trim();
                sets.push((path.clone(), written.to_string()));
                let first = path.split(['.', '[']).next().unwrap_or("");
                if !PATCHABLE.contains(&first) {
                    r.error(
                        &k.span(),
                        &format!("{}.{path}", st.path),
                        format!(
                            "options can change only inputs under {}; `{first}` is not one of them",
                            PATCHABLE.join(", ")
                        ),
                    );
                    ok = false;
                    continue;
                }
                if let Err(e) = spanned::patch(&mut tree, &path, v.clone()) {
                    r.error(&k.span(), &format!("{}.{path}", st.path), e);
                    ok = false;
                }
            }
        }
        let premiums_node = t.get("premiums");
        t.get("note");
        r.finish(t);
        if !ok {
            continue;
        }
        let value = toml::Spanned::new(item.value.span(), DeValue::Table(tree));
        let node = Node {
            value: &value,
            path: String::new(),
        };
        let mut tr = r.table(&node).expect("table");
        let outer = r.context.take();
        r.context = Some(match &outer {
            Some(o) => format!("in option `{name}`, {o}"),
            None => format!("in option `{name}`"),
        });
        let spec = read_spec(r, &mut tr);
        r.context = outer;
        let Some(mut spec) = spec else { continue };
        if let Some(pn) = premiums_node {
            let grade_names: Vec<String> = spec.grades.iter().map(|g| g.name.clone()).collect();
            // Appended after the baseline's own premiums, so their effect streams are keyed after them.
            read_premiums(r, &pn, &grade_names, &mut spec.premiums);
            check_premium_overlap(
                r,
                &item.value.span(),
                &format!("{}.premiums", item.path),
                &spec.premiums,
                &grade_names,
            );
        }
        variants.push(Variant {
            name,
            description,
            sets,
            spec,
        });
    }
}
