//! Which inputs the answer hangs on: one-at-a-time swings (the tornado) and rank correlations.
//!
//! For the swing, each numeric input stated in the scenario file is moved to a low and a high value
//! (a distribution's 10th and 90th percentiles, a fixed number's -20% and +20%) with every other
//! input as stated, and the key outcomes are compared with the scenario as stated. All runs share
//! the same random numbers, so a swing is the input's effect and not noise between runs. For the
//! rank correlations, an ordinary run's per-replication draws of each uncertain input are ranked
//! against the same replication's outcomes.
//!
//! For an option, the outcomes are its differences from the baseline (option minus baseline, run
//! on the same random numbers at every swing), since a committee deciding on the option asks what
//! its effect hangs on, not what its level hangs on.

use rayon::prelude::*;
use serde::Serialize;
use toml::de::{DeTable, DeValue};

use crate::decide::{DecideError, Within, select};
use crate::model::cost::Component;
use crate::model::metric::Metric;
use crate::scenario::param::Param;
use crate::scenario::spanned::{Value, element_label, number_of};
use crate::scenario::{Document, Scenario};
use crate::sim::engine;
use crate::sim::run::{self, Progress, Results, Settings};
use crate::stats::rank::spearman;
use crate::stats::rng::RepStream;

/// Keys that are structure or conventions rather than quantities: not swung.
const STRUCTURAL: [&str; 9] = [
    "month",
    "first_year",
    "every_years",
    "band_edges_months",
    "service_shares",
    "recruit",
    "sizes_by_year",
    "hours_per_week",
    "weeks_per_year",
];

/// Keys of numbers a council knows rather than estimates (its posts and staff, its pay scales,
/// statutory rates, programme lengths): a fixed number under one of these is left out of the
/// swings unless asked for, since -20%/+20% of a known count is no uncertainty of the answer and
/// such inputs crowd the top of the tornado. Stated as a distribution, the same key is swung.
const KNOWN: [&str; 10] = [
    "establishment",
    "permanent",
    "agency",
    "pay_points",
    "salary",
    "employer_ni_rate",
    "ni_threshold",
    "discount_rate",
    "duration_months",
    "after_months",
];

/// Why a known quantity is not swung.
pub const KNOWN_REASON: &str = "known quantities, not uncertain (--include-known swings them too)";

/// Whether `path` names a known quantity (see [`KNOWN`]): its last key, or an establishment's
/// path (`posts[SW].establishment.by_year.2024/25`).
fn is_known(path: &str) -> bool {
    // A path's parts (`costs.employer_ni_rate.to`, `....by_year.2025/26`) are known when the
    // input is.
    let path = match path.find(".by_year.") {
        Some(i) => &path[..i],
        None => [".from", ".to", ".change"]
            .iter()
            .find_map(|end| path.strip_suffix(end))
            .unwrap_or(path),
    };
    let key = path
        .rsplit(['.', '['])
        .next()
        .unwrap_or("")
        .trim_end_matches(']');
    let key = if key.chars().all(|c| c.is_ascii_digit()) {
        // A list item: the list's key, `pay_points` in `grades[L3].pay_points[1]`.
        path.rsplit_once('[')
            .map_or("", |(head, _)| head)
            .rsplit('.')
            .next()
            .unwrap_or("")
    } else {
        key
    };
    // Only a post's starting agency FTE, not the `[agency]` section's rates.
    if key == "agency" {
        return path.starts_with("posts[") || path.starts_with("grades[");
    }
    KNOWN.contains(&key) && !path.starts_with("variation.")
        || (path.starts_with("posts[") && path.contains(".establishment."))
}

/// One input and the values it is moved between.
#[derive(Clone, Debug, Serialize)]
pub struct Input {
    pub path: String,
    /// How low and high were chosen: `p10-p90` of a distribution, `20% either side` of a number,
    /// and for a count, months or a year `20% either side, to whole numbers`, or `the next whole
    /// number either side` where 20% rounds back to the value.
    pub basis: String,
    /// The number as stated; NaN for a distribution.
    pub stated: f64,
    pub low: f64,
    pub high: f64,
}

/// The outcomes compared: agency share at the deadline (mean across replications), the chance
/// of meeting the target, and mean total cost over the horizon. For an option, each is the
/// option's value minus the baseline's.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Outcomes {
    pub agency_share: f64,
    pub p_target: f64,
    pub cost: f64,
}

/// The outcome by whose swing the inputs are ranked (the terminal table's order, and the tornado's
/// first panel).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RankBy {
    /// The mean agency share at the target's deadline (or the horizon's end).
    #[default]
    AgencyShare,
    /// The chance of meeting the target.
    Target,
    /// Mean total cost over the horizon: for an option, its net cost over the horizon (its total
    /// cost less the baseline's, so extra spend less the agency spend it avoids), which is what
    /// a finance officer asks the option to cost; for the baseline, its total cost.
    Cost,
}

impl RankBy {
    /// The outcome ranked by.
    pub fn of(self, o: &Outcomes) -> f64 {
        match self {
            RankBy::AgencyShare => o.agency_share,
            RankBy::Target => o.p_target,
            RankBy::Cost => o.cost,
        }
    }

    /// The outcome in words, for "the inputs that move {} most".
    pub fn words(self, difference: bool) -> &'static str {
        match (self, difference) {
            (RankBy::AgencyShare, _) => "the agency share",
            (RankBy::Target, _) => "the chance of meeting the target",
            (RankBy::Cost, true) => "the option's net cost over the horizon",
            (RankBy::Cost, false) => "the total cost over the horizon",
        }
    }
}

/// The outcomes with an input at its low and its high value.
#[derive(Clone, Debug, Serialize)]
pub struct Swing {
    pub input: Input,
    pub at_low: Outcomes,
    pub at_high: Outcomes,
}

/// Rank correlations of one uncertain input with each outcome, across replications.
#[derive(Clone, Debug, Serialize)]
pub struct Correlation {
    pub path: String,
    pub agency_share: f64,
    pub met_target: f64,
    pub cost: f64,
}

/// Everything `wfsim sensitivity` found.
#[derive(Clone, Debug, Serialize)]
pub struct Sensitivity {
    pub option: String,
    /// Whether the outcomes are the option's differences from the baseline (an option was
    /// analysed) rather than levels (the baseline was).
    pub difference: bool,
    /// The target used, if the scenario has one.
    pub target: Option<String>,
    /// Month index at which the agency share is read (the target's deadline, or the horizon).
    pub month: usize,
    pub base: Outcomes,
    /// The outcome the swings are sorted by ([`Sensitivity::rank`]).
    pub rank_by: RankBy,
    /// Sorted by the size of the swing in `rank_by`, largest first.
    pub swings: Vec<Swing>,
    /// Inputs that could not be swung, with the reason.
    pub skipped: Vec<(String, String)>,
    pub correlations: Vec<Correlation>,
}

impl Sensitivity {
    /// Sorts the swings by the size of their swing in `by`, largest first (ties keep their
    /// order). Ranking by the target needs one.
    pub fn rank(&mut self, by: RankBy) -> Result<(), DecideError> {
        if by == RankBy::Target && self.target.is_none() {
            return Err(DecideError::Usage(
                "--rank-by target needs a target, and the scenario has none within the horizon"
                    .into(),
            ));
        }
        self.rank_by = by;
        self.swings.sort_by(|a, b| {
            let d = |w: &Swing| (by.of(&w.at_high) - by.of(&w.at_low)).abs();
            d(b).total_cmp(&d(a))
        });
        Ok(())
    }
}

/// The outcomes of a run of one variant, or of two (baseline and option): the second's minus the
/// first's.
fn outcomes(r: &Results, target: Option<usize>, month: usize) -> Outcomes {
    let of = |v: &crate::sim::results::VariantResults| Outcomes {
        agency_share: v.trajectories[Metric::AgencyShare.index()][month]
            .map_or(f64::NAN, |s| s.mean),
        p_target: target.map_or(f64::NAN, |t| v.targets[t].met.p),
        cost: v.costs[r.financial_years.len()][Component::Total].mean,
    };
    let first = of(&r.variants[0]);
    match r.variants.get(1) {
        None => first,
        Some(option) => {
            let second = of(option);
            Outcomes {
                agency_share: second.agency_share - first.agency_share,
                p_target: second.p_target - first.p_target,
                cost: second.cost - first.cost,
            }
        }
    }
}

/// Keeps the baseline and, when `option` names another variant, that option after it, so that a
/// run gives both on the same random numbers.
fn select_with_baseline(s: &mut Scenario, option: Option<&str>) -> Result<(), DecideError> {
    let Some(name) = option.filter(|&o| o != "baseline") else {
        return select(s, None);
    };
    let mut option = s.clone();
    select(&mut option, Some(name))?;
    select(s, None)?;
    s.variants.append(&mut option.variants);
    Ok(())
}

/// Numeric inputs stated in the file: `(path, value, is a distribution)`.
fn numeric_leaves(doc: &DeTable, option: Option<&str>) -> Vec<(String, f64, bool)> {
    fn walk(path: &str, v: &Value, out: &mut Vec<(String, f64, bool)>) {
        let key = path.rsplit(['.', '[']).next().unwrap_or("");
        if STRUCTURAL.contains(&key) {
            return;
        }
        match v.get_ref() {
            DeValue::Table(t) if t.contains_key("dist") => out.push((path.into(), f64::NAN, true)),
            DeValue::Table(t) => {
                for (k, child) in t {
                    let k = k.get_ref().as_ref();
                    if k != "note" {
                        walk(&format!("{path}.{k}"), child, out);
                    }
                }
            }
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let label = element_label(item, i);
                    walk(&format!("{path}[{label}]"), item, out);
                }
            }
            other => {
                if let Some(x) = number_of(other) {
                    out.push((path.into(), x, false));
                }
            }
        }
    }
    let mut out = Vec::new();
    for (k, v) in doc {
        let k = k.get_ref().as_ref();
        if matches!(k, "scenario" | "targets") {
            continue;
        }
        if k == "options" {
            // Only the chosen option's premiums: its `set` replaces inputs already listed.
            let Some(name) = option else { continue };
            if let DeValue::Array(items) = v.get_ref() {
                for item in items {
                    if let DeValue::Table(t) = item.get_ref()
                        && matches!(t.get("name").map(|n| n.get_ref()), Some(DeValue::String(s)) if s == name)
                        && let Some(p) = t.get("premiums")
                    {
                        walk(&format!("options[{name}].premiums"), p, &mut out);
                    }
                }
            }
            continue;
        }
        walk(k, v, &mut out);
    }
    out
}

/// The inputs to swing for the variant named `option` (the baseline when `None`) of `s`, with
/// the low and high values, and those that cannot be swung.
pub fn inputs(
    doc: &Document,
    s: &Scenario,
    option: Option<&str>,
    include_known: bool,
) -> (Vec<Input>, Vec<(String, String)>) {
    let name = option.unwrap_or("baseline");
    let Some(variant) = s.variants.iter().find(|v| v.name == name) else {
        return (Vec::new(), Vec::new());
    };
    let params: Vec<&Param> = variant.spec.params();
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    // Counts, months and years stay whole: by what the input is, not how the file writes it
    // (`agency_cover = 1` is a share, swung from 0.8).
    let whole_inputs = doc.whole_inputs(s);
    for (path, x, is_dist) in numeric_leaves(doc.tree(), option) {
        if variant.sets_input(&path) {
            skipped.push((path, "set by the option itself, which overrides it".into()));
            continue;
        }
        if is_dist {
            match params.iter().find(|p| p.path == path) {
                Some(p) => out.push(Input {
                    path,
                    basis: "p10-p90".into(),
                    stated: f64::NAN,
                    low: p.quantile(0.1),
                    high: p.quantile(0.9),
                }),
                None => skipped.push((path, "not an input of this option".into())),
            }
            continue;
        }
        if !include_known && is_known(&path) {
            skipped.push((path, KNOWN_REASON.into()));
            continue;
        }
        if x == 0.0 {
            skipped.push((
                path,
                "0, so -20%/+20% does not move it; give it a distribution to include it".into(),
            ));
            continue;
        }
        let (mut low, mut high) = (x * 0.8, x * 1.2);
        // Not "-20%/+20%": text starting with "-" is written to CSV escaped as a formula.
        let mut basis = "20% either side";
        if doc
            .by_index(&path)
            .is_some_and(|p| whole_inputs.contains(&p))
        {
            low = low.round();
            high = high.round();
            basis = "20% either side, to whole numbers";
            if low == x || high == x {
                // 20% of a small count rounds back to it: the next whole number either side.
                basis = "the next whole number either side";
                low = (x - 1.0).max(0.0);
                high = x + 1.0;
            }
        }
        out.push(Input {
            path,
            basis: basis.into(),
            stated: x,
            low,
            high,
        });
    }
    (out, skipped)
}

/// Runs the swings and the rank correlations for the baseline or one option of `s`, the scenario
/// read from `doc`.
pub fn sensitivity(
    doc: &Document,
    s: &Scenario,
    option: Option<&str>,
    target: Option<&str>,
    include_known: bool,
    cfg: &Settings,
    progress: &dyn Progress,
) -> Result<Sensitivity, DecideError> {
    let mut s = s.clone();
    select_with_baseline(&mut s, option)?;
    if let Some(name) = target {
        super::deadline_within(&s, name, cfg.months, "--target: ")?;
    }
    // Targets beyond the horizon are not assessed, as in a run.
    if let Some(within) = s.within(cfg.months) {
        s = within;
    }
    let ti = match target {
        Some(name) => Some(
            s.targets
                .iter()
                .position(|t| t.name == name)
                .ok_or_else(|| {
                    let names: Vec<&str> = s.targets.iter().map(|t| t.name.as_str()).collect();
                    DecideError::Usage(format!(
                        "there is no target `{name}`; the targets are: {}",
                        names.join(", ")
                    ))
                })?,
        ),
        None => (!s.targets.is_empty()).then_some(0),
    };
    let month = ti.map_or(cfg.months as usize, |t| s.targets[t].month);
    let (inputs, mut skipped) = inputs(doc, &s, option, include_known);
    // Validate each swung scenario first. A rate whose +20% passes 1 is moved up to 1 (0.95 becomes
    // 1, not 1.14); any other input whose low or high is not allowed is skipped, with the reason.
    let mut cases: Vec<(Input, Scenario, Scenario)> = Vec::new();
    for mut input in inputs {
        let at = |x: f64| -> Result<Scenario, DecideError> {
            let mut v = doc.read(&[(input.path.clone(), x)])?;
            select_with_baseline(&mut v, option)?;
            Ok(v)
        };
        let low = at(input.low);
        let high = at(input.high).or_else(|e| {
            if input.stated > 0.0 && input.stated <= 1.0 && input.high > 1.0 {
                input.high = 1.0;
                at(input.high)
            } else {
                Err(e)
            }
        });
        match (low, high) {
            (Ok(l), Ok(h)) => cases.push((input, l, h)),
            (Err(e), _) | (_, Err(e)) => {
                let why = match &e {
                    DecideError::Scenario(se) => se
                        .diagnostics
                        .first()
                        .map_or(e.to_string(), |d| d.message.clone()),
                    other => other.to_string(),
                };
                skipped.push((input.path, why));
            }
        }
    }
    let total = (1 + 2 * cases.len()) as u64 * u64::from(cfg.replications);
    progress.start(total);
    let within = Within(progress);
    let base = outcomes(&run::run_settled(&s, cfg, &within)?, ti, month);
    let mut swings = Vec::new();
    for (input, low, high) in cases {
        let at_low = outcomes(&run::run_settled(&low, cfg, &within)?, ti, month);
        let at_high = outcomes(&run::run_settled(&high, cfg, &within)?, ti, month);
        swings.push(Swing {
            input,
            at_low,
            at_high,
        });
    }
    let correlations = correlations(&s, ti, month, cfg);
    progress.finish();
    let mut out = Sensitivity {
        option: option.unwrap_or("baseline").to_string(),
        difference: s.variants.len() > 1,
        target: ti.map(|t| s.targets[t].name.clone()),
        month,
        base,
        rank_by: RankBy::AgencyShare,
        swings,
        skipped,
        correlations,
    };
    out.rank(RankBy::AgencyShare)?;
    Ok(out)
}

/// One replication's draws of the uncertain inputs and its outcomes (agency share, target met,
/// total cost).
type RepRow = (Vec<f64>, [f64; 3]);

/// Spearman correlations between each uncertain input's draw and the outcomes, across the
/// replications of an ordinary run (same seed, same streams). With an option after the baseline,
/// the outcomes are the option's minus the baseline's in the same replication.
fn correlations(s: &Scenario, ti: Option<usize>, month: usize, cfg: &Settings) -> Vec<Correlation> {
    let Some(last) = s.variants.last() else {
        return Vec::new();
    };
    // The uncertain inputs of either variant, once each: the option's premiums, and the baseline's
    // inputs even where the option's `set` fixes them (they move the baseline, so the difference).
    let mut uncertain: Vec<&Param> = Vec::new();
    for v in &s.variants {
        for p in v.spec.params() {
            if p.is_uncertain() && !p.path.is_empty() && uncertain.iter().all(|u| u.path != p.path)
            {
                uncertain.push(p);
            }
        }
    }
    if uncertain.is_empty() {
        return Vec::new();
    }
    let months = cfg.months as usize;
    let target = ti.map(|t| &s.targets[t]);
    let outcomes = |spec: &crate::scenario::Spec, stream: &RepStream| -> [f64; 3] {
        let r = engine::simulate(spec, s.start, months, stream, None);
        let share = r.metric(Metric::AgencyShare, month);
        let met = target.map_or(f64::NAN, |t| {
            if t.met(r.metric(t.metric, t.month)) {
                1.0
            } else {
                0.0
            }
        });
        let cost: f64 = r.costs.iter().map(|c| c[Component::Total]).sum();
        [share, met, cost]
    };
    let work = || {
        (0..cfg.replications)
            .into_par_iter()
            .map(|rep| {
                let stream = RepStream::new(cfg.seed, u64::from(rep));
                let draws: Vec<f64> = uncertain.iter().map(|p| p.draw(&stream)).collect();
                let mut out = outcomes(&last.spec, &stream);
                if s.variants.len() > 1 {
                    let base = outcomes(&s.variants[0].spec, &stream);
                    for (o, b) in out.iter_mut().zip(base) {
                        *o -= b;
                    }
                }
                (draws, out)
            })
            .collect::<Vec<_>>()
    };
    let rows = match &cfg.pool {
        Some(pool) => pool.install(work),
        None => work(),
    };
    let column = |f: &dyn Fn(&RepRow) -> f64| rows.iter().map(f).collect::<Vec<f64>>();
    let outs: Vec<Vec<f64>> = (0..3).map(|k| column(&|r| r.1[k])).collect();
    uncertain
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x = column(&|r| r.0[i]);
            Correlation {
                path: p.path.clone(),
                agency_share: spearman(&x, &outs[0]),
                met_target: spearman(&x, &outs[1]),
                cost: spearman(&x, &outs[2]),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_quantities_are_counts_pay_and_statutory_rates() {
        for known in [
            "posts[SW].establishment",
            "posts[SW].establishment.by_year.2024/25",
            "posts[SW].agency",
            "grades[L3].permanent",
            "grades[L3].pay_points[1]",
            "costs.employer_ni_rate",
            // A known input's path: its start, its end and each year's value.
            "costs.employer_ni_rate.to",
            "costs.ni_threshold.from",
            "grades[L3].salary.by_year.2024/25",
            "intake.pipelines[Step Up].duration_months",
        ] {
            assert!(is_known(known), "{known}");
        }
        for uncertain in [
            "grades[L3].leaving[1]",
            "posts[SW].fill_probability",
            "posts[SW].agency_cover",
            "agency.fill_probability",
            "variation.establishment.sd",
            "intake.asye.size",
            "grades[L3].leaving[1].to",
            "costs.pay_award.change",
        ] {
            assert!(!is_known(uncertain), "{uncertain}");
        }
    }
}
