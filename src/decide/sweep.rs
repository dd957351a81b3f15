//! Decision tools over one input: `sweep` runs a scenario across a range of values of one input, and
//! `solve` finds the smallest (or cheapest) value that meets a target with a stated probability.
//!
//! Each value is applied to the scenario file's parsed tree by key path and the scenario is validated
//! again, so a varied input is checked exactly as if it were written in the file. Every value runs
//! on the same random streams (same seed, same replication indices), so differences between values
//! are common-random-number comparisons, not noise between independent runs.

use std::str::FromStr;

use serde::Serialize;

use crate::model::cost::Component;
use crate::model::metric;
use crate::scenario::diag::{ScenarioErrors, Source};
use crate::scenario::{self, MAX_REPLICATIONS, Scenario};
use crate::sim::run::{self, Progress, Results, RunConfig, RunError};
use crate::stats::{Probability, Summary};

/// The most values one sweep may run.
pub const MAX_VALUES: usize = 1000;

/// `PATH=FROM..TO[:STEP]`: an input and the range to vary it over.
#[derive(Clone, Debug, PartialEq)]
pub struct Vary {
    pub path: String,
    pub from: f64,
    pub to: f64,
    pub step: Option<f64>,
}

impl FromStr for Vary {
    type Err = String;

    fn from_str(s: &str) -> Result<Vary, String> {
        let form = "expected PATH=FROM..TO or PATH=FROM..TO:STEP, e.g. intake.asye.size=10..30:5";
        let (path, range) = s.rsplit_once('=').ok_or_else(|| format!("`{s}`: {form}"))?;
        let path = path.trim();
        if path.is_empty() {
            return Err(format!("`{s}`: the key path is missing; {form}"));
        }
        let (range, step) = match range.split_once(':') {
            Some((r, st)) => (r, Some(st)),
            None => (range, None),
        };
        let (from, to) = range
            .split_once("..")
            .ok_or_else(|| format!("`{s}`: {form}"))?;
        let num = |t: &str, what: &str| -> Result<f64, String> {
            t.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("`{s}`: {what} `{}` is not a number; {form}", t.trim()))
        };
        let from = num(from, "FROM")?;
        let to = num(to, "TO")?;
        let step = step.map(|t| num(t, "STEP")).transpose()?;
        if from > to {
            return Err(format!("`{s}`: FROM ({from}) is greater than TO ({to})"));
        }
        if let Some(st) = step
            && st <= 0.0
        {
            return Err(format!("`{s}`: STEP must be greater than 0"));
        }
        let v = Vary {
            path: path.to_string(),
            from,
            to,
            step,
        };
        let n = v.values().len();
        if n > MAX_VALUES {
            return Err(format!(
                "`{s}` gives {n} values; at most {MAX_VALUES} are allowed, so use a larger STEP"
            ));
        }
        Ok(v)
    }
}

impl Vary {
    /// True when FROM, TO and STEP are whole numbers: the values are then whole numbers too.
    pub fn is_whole(&self) -> bool {
        let whole = |x: f64| x == x.trunc();
        whole(self.from) && whole(self.to) && self.step.is_none_or(whole)
    }

    /// The values swept: FROM, FROM + STEP, ... up to TO (TO included when the steps reach it).
    /// Without STEP: every whole number for a whole range of at most 20, else 11 even values.
    pub fn values(&self) -> Vec<f64> {
        let span = self.to - self.from;
        if span == 0.0 {
            return vec![self.from];
        }
        let step = match self.step {
            Some(s) => s,
            None if self.is_whole() && span <= 20.0 => 1.0,
            None => span / 10.0,
        };
        let n = ((span / step) + 1e-9).floor() as usize;
        if n > MAX_VALUES {
            return vec![0.0; n + 1];
        }
        (0..=n)
            .map(|i| {
                let r = tidy(self.from + i as f64 * step);
                if r > self.to { self.to } else { r }
            })
            .collect()
    }
}

/// `x` without binary noise such as 0.30000000000000004 (rounded to 9 decimals), for values on a
/// grid of steps.
fn tidy(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// Things a user should know about varying this input.
pub fn notes(vary: &Vary) -> Vec<String> {
    let mut out = Vec::new();
    if vary.path.contains("premiums[") && vary.path.ends_with(".amount") {
        out.push(format!(
            "a premium's leaving_effect and hiring_effect are inputs of their own and do not change with `{}`: only its cost does. To model a larger premium working better, vary the effect too (or give each amount its own option).",
            vary.path
        ));
    }
    out
}

/// Why a sweep or search could not run.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error(transparent)]
    Scenario(#[from] ScenarioErrors),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error("{0}")]
    Usage(String),
}

/// Checks once, before any value is tried, that the path names an input that can be varied; the
/// error names the nearest valid path.
fn check_path(source: &Source, vary: &Vary) -> Result<(), SweepError> {
    scenario::check_patch_path(source, &vary.path)
        .map_err(|e| SweepError::Usage(format!("--vary: {e}")))
}

/// The option a sweep or search of `path` runs: `option` when given; otherwise the option whose
/// input `path` is (`options[NAME]...` or `options[INDEX]...`), since no other variant uses it;
/// otherwise the baseline (`None`). Varying one option's input while running another variant
/// would give the same results at every value, so that is an error.
pub fn option_to_run(
    s: &Scenario,
    path: &str,
    option: Option<&str>,
) -> Result<Option<String>, SweepError> {
    let named = crate::scenario::keypath::selects_from(path, "options").and_then(|sel| {
        let options = s.variants.get(1..).unwrap_or_default();
        match sel.parse::<usize>() {
            Ok(ix) => options.get(ix),
            Err(_) => options.iter().find(|v| v.name == sel),
        }
        .map(|v| v.name.clone())
    });
    match (named, option) {
        // A path that selects no option is reported by `check_path`, with the nearest name.
        (None, _) => Ok(option.map(str::to_string)),
        (Some(named), None) => Ok(Some(named)),
        (Some(named), Some(o)) if o == named => Ok(Some(named)),
        (Some(named), Some(o)) => Err(SweepError::Usage(format!(
            "--vary changes an input of option `{named}`, but --option {o} runs a variant that \
             does not use it, so every value would give the same results; leave out --option \
             (option `{named}` is then run) or give --option {named}"
        ))),
    }
}

/// Checks, before any value is tried, that varying `vary.path` can change the results of the
/// variant run, and returns that variant ([`option_to_run`]). An input the option's own `set`
/// replaces cannot: the option's value wins at every value of the range.
fn checked_option(
    source: &Source,
    vary: &Vary,
    option: Option<&str>,
) -> Result<Option<String>, SweepError> {
    check_path(source, vary)?;
    let s = scenario::parse_patched(source, &[])?;
    let option = option_to_run(&s, &vary.path, option)?;
    let name = option.as_deref().unwrap_or("baseline");
    if s.variants
        .iter()
        .any(|v| v.name == name && v.sets_input(&vary.path))
    {
        return Err(SweepError::Usage(format!(
            "--vary {}: option `{name}` sets this input itself (in its `set`), and its value wins \
             over the varied one, so every value would give the same results; vary it on the \
             baseline (leave out --option) instead",
            vary.path
        )));
    }
    Ok(option)
}

/// The scenario with `path` set to `x`, reduced to the variant named `option` (default: baseline).
pub fn scenario_at(
    source: &Source,
    path: &str,
    x: f64,
    option: Option<&str>,
) -> Result<Scenario, SweepError> {
    let mut s = scenario::parse_patched(source, &[(path.to_string(), x)])?;
    select(&mut s, option)?;
    Ok(s)
}

/// Keeps only the variant named `option` (the baseline when `None`).
pub fn select(s: &mut Scenario, option: Option<&str>) -> Result<(), SweepError> {
    let name = option.unwrap_or("baseline");
    let Some(i) = s.variants.iter().position(|v| v.name == name) else {
        let names: Vec<&str> = s.variants.iter().map(|v| v.name.as_str()).collect();
        let hint = crate::scenario::spanned::closest(name, &names)
            .map(|n| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        return Err(SweepError::Usage(format!(
            "there is no option `{name}` in {}; {hint}the options are: {}",
            s.file,
            names.join(", ")
        )));
    };
    let v = s.variants.swap_remove(i);
    s.variants = vec![v];
    Ok(())
}

/// Progress of one run inside a larger job (sweep, solve, sensitivity): the job sets the total.
pub(crate) struct Within<'a>(pub(crate) &'a dyn Progress);

impl Progress for Within<'_> {
    fn advance(&self, n: u64) {
        self.0.advance(n);
    }
    fn cancelled(&self) -> bool {
        self.0.cancelled()
    }
}

/// Runs the scenario at one value of the input.
pub fn run_at(
    source: &Source,
    path: &str,
    x: f64,
    option: Option<&str>,
    cfg: &RunConfig,
    progress: &dyn Progress,
) -> Result<Results, SweepError> {
    let s = scenario_at(source, path, x, option)?;
    Ok(run::run(&s, cfg, &Within(progress))?)
}

/// The results at one value.
#[derive(Clone, Debug)]
pub struct Point {
    pub value: f64,
    pub results: Results,
}

/// Runs the scenario at every value of `vary`. Every value is validated before any is simulated.
pub fn sweep(
    source: &Source,
    vary: &Vary,
    option: Option<&str>,
    cfg: &RunConfig,
    progress: &dyn Progress,
) -> Result<Vec<Point>, SweepError> {
    let option = checked_option(source, vary, option)?;
    let option = option.as_deref();
    let values = vary.values();
    let scenarios = values
        .iter()
        .map(|&x| {
            let s = scenario_at(source, &vary.path, x, option)?;
            run::validate(&s, cfg)?;
            Ok(s)
        })
        .collect::<Result<Vec<_>, SweepError>>()?;
    progress.start(values.len() as u64 * u64::from(cfg.replications));
    let mut points = Vec::new();
    for (x, s) in values.into_iter().zip(&scenarios) {
        let results = run::run(s, cfg, &Within(progress))?;
        points.push(Point { value: x, results });
    }
    progress.finish();
    Ok(points)
}

/// One row of `sweep.csv`.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub value: f64,
    /// `target:<name>` (the target's metric at its deadline), `<metric>_end` (at the end of the
    /// horizon), `cost_total` or `agency_fte_months`.
    pub measure: String,
    pub summary: Summary,
    /// For targets: the probability the target is met, with its standard error.
    pub met: Option<Probability>,
    /// Decimal places in `sweep.csv`: a metric at the end of the horizon its own, the total cost 2,
    /// the rest 4.
    #[serde(skip)]
    pub decimals: usize,
}

/// The measures reported for each value, in a fixed order.
pub fn rows(points: &[Point]) -> Vec<Row> {
    let mut out = Vec::new();
    for p in points {
        let r = &p.results;
        let v = &r.variants[0];
        for t in &v.targets {
            out.push(Row {
                value: p.value,
                measure: format!("target:{}", t.name),
                summary: t.value,
                met: Some(t.met),
                decimals: 4,
            });
        }
        let end = r.months as usize;
        for m in metric::key_metrics() {
            if let Some(s) = v.trajectories[m.index()][end] {
                out.push(Row {
                    value: p.value,
                    measure: format!("{}_end", r.metric_name(m)),
                    summary: s,
                    met: None,
                    decimals: m.decimals(),
                });
            }
        }
        out.push(Row {
            value: p.value,
            measure: "cost_total".into(),
            summary: v.costs[r.financial_years.len()][Component::Total],
            met: None,
            decimals: 2,
        });
        out.push(Row {
            value: p.value,
            measure: "agency_fte_months".into(),
            summary: v.agency_fte_months,
            met: None,
            decimals: 4,
        });
    }
    out
}

/// One value tried by `solve`.
#[derive(Clone, Debug, Serialize)]
pub struct Trial {
    pub value: f64,
    pub met: Probability,
    /// Total cost over the horizon.
    pub cost: Summary,
    /// The scenario's other targets at this value, in file order: a goal such as "80:20 without
    /// newly qualified staff passing 30%" is read from the answer's `met` and these.
    pub others: Vec<Also>,
}

/// Another target's chance of being met at its deadline, at a value `solve` tried.
#[derive(Clone, Debug, Serialize)]
pub struct Also {
    pub target: String,
    pub met: Probability,
}

/// What `solve` found.
#[derive(Clone, Debug, Serialize)]
pub struct Solution {
    pub path: String,
    pub target: String,
    /// The probability asked for.
    pub probability: f64,
    pub minimise_cost: bool,
    /// The answer; `None` when no value in the range reaches the probability.
    pub value: Option<f64>,
    /// The value with the highest probability among those tried, and that probability.
    pub best: Trial,
    /// True when the chance of meeting the target falls as the value rises (`FROM` meets it and
    /// `TO` does not): the answer is then the largest value that meets it.
    pub falling: bool,
    /// The tried value next to the answer that falls short (for a bisection), if any: below the
    /// answer, or above it when `falling`.
    pub neighbour: Option<Trial>,
    /// The answer's own trial.
    pub at: Option<Trial>,
    /// True when the answer's probability, or its neighbour's, is within two Monte Carlo standard
    /// errors of the probability asked for: more replications could move the answer by a step.
    pub within_error: bool,
    /// Replications per value in the final search (more than asked when the answer was within
    /// Monte Carlo error and the search was repeated).
    pub replications: u32,
    /// Every value tried in the final search, in the order tried.
    pub trials: Vec<Trial>,
}

/// When the answer is within Monte Carlo error of the probability asked for, the search is repeated
/// with 4 times the replications, at most this many times (so up to 16 times as many).
pub const REFINEMENTS: u32 = 2;

/// What `solve` looks for.
#[derive(Clone, Debug)]
pub struct Goal {
    /// The target's name.
    pub target: String,
    /// The least probability of meeting it at its deadline.
    pub probability: f64,
    /// Look for the value of lowest mean total cost instead of the smallest value.
    pub minimise_cost: bool,
}

/// Finds the smallest value of `vary` for which the goal's target is met at its deadline with at
/// least its probability, by bisection (the chance of meeting a target rises with most levers;
/// when it falls instead, met at FROM and not at TO, the largest value that meets it), or with
/// `minimise_cost` the value of lowest mean total cost among those that meet it (every value of
/// the range is tried). When the answer, or its neighbour that falls short, is within two Monte
/// Carlo standard errors of the probability, the search is repeated with 4 times the
/// replications, up to `REFINEMENTS` times, so that neighbouring values are told apart.
pub fn solve(
    source: &Source,
    vary: &Vary,
    option: Option<&str>,
    goal: &Goal,
    cfg: &RunConfig,
    progress: &dyn Progress,
) -> Result<Solution, SweepError> {
    let (target, probability, minimise_cost) =
        (goal.target.as_str(), goal.probability, goal.minimise_cost);
    if !(probability > 0.0 && probability <= 1.0) {
        return Err(SweepError::Usage(format!(
            "--probability must be above 0 and at most 1, e.g. 0.8; found {probability}"
        )));
    }
    // Check the path, the option and the target at the start of the range before any simulation.
    let option = checked_option(source, vary, option)?;
    let option = option.as_deref();
    let first = scenario_at(source, &vary.path, vary.from, option)?;
    run::validate(&first, cfg)?;
    let Some(ti) = first.targets.iter().position(|t| t.name == target) else {
        let names: Vec<&str> = first.targets.iter().map(|t| t.name.as_str()).collect();
        let hint = crate::scenario::spanned::closest(target, &names)
            .map(|n| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        return Err(SweepError::Usage(if names.is_empty() {
            format!("{} has no targets; add a [[targets]] table", first.file)
        } else {
            format!(
                "there is no target `{target}`; {hint}the targets are: {}",
                names.join(", ")
            )
        }));
    };
    let near = |t: &Trial| (t.met.p - probability).abs() < 2.0 * t.met.se.max(1e-12);
    let mut reps = cfg.replications;
    let mut started = 0u64;
    let mut refinements = 0;
    let (found, within_error) = loop {
        let pass = RunConfig {
            replications: reps,
            ..cfg.clone()
        };
        let found = search(
            source,
            vary,
            option,
            goal,
            ti,
            &pass,
            progress,
            &mut started,
        )?;
        let within_error =
            found.at.as_ref().is_some_and(near) || found.neighbour.as_ref().is_some_and(near);
        let more = u64::from(reps) * 4;
        if !within_error || refinements == REFINEMENTS || more > u64::from(MAX_REPLICATIONS) {
            break (found, within_error);
        }
        reps = more as u32;
        refinements += 1;
    };
    progress.finish();
    let Found {
        value,
        at,
        neighbour,
        falling,
        trials,
    } = found;
    let best = trials
        .iter()
        .max_by(|a, b| {
            a.met
                .p
                .total_cmp(&b.met.p)
                .then(b.value.total_cmp(&a.value))
        })
        .cloned()
        .expect("at least one value was tried");
    Ok(Solution {
        path: vary.path.clone(),
        target: target.to_string(),
        probability,
        minimise_cost,
        value,
        best,
        falling,
        neighbour,
        at,
        within_error,
        replications: reps,
        trials,
    })
}

/// The outcome of one search: fields as in [`Solution`].
struct Found {
    value: Option<f64>,
    at: Option<Trial>,
    neighbour: Option<Trial>,
    falling: bool,
    trials: Vec<Trial>,
}

/// One pass of the search at `cfg.replications`; `started` counts replications announced to the
/// progress bar so far.
#[allow(clippy::too_many_arguments)]
fn search(
    source: &Source,
    vary: &Vary,
    option: Option<&str>,
    goal: &Goal,
    ti: usize,
    cfg: &RunConfig,
    progress: &dyn Progress,
    started: &mut u64,
) -> Result<Found, SweepError> {
    let probability = goal.probability;
    let mut announce = |runs: u64| {
        *started += runs * u64::from(cfg.replications);
        progress.start(*started);
    };
    let mut trials: Vec<Trial> = Vec::new();
    let eval = |x: f64, trials: &mut Vec<Trial>| -> Result<Trial, SweepError> {
        if let Some(t) = trials.iter().find(|t| t.value == x) {
            return Ok(t.clone());
        }
        let r = run_at(source, &vary.path, x, option, cfg, progress)?;
        let v = &r.variants[0];
        let t = Trial {
            value: x,
            met: v.targets[ti].met,
            cost: v.costs[r.financial_years.len()][Component::Total],
            others: v
                .targets
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != ti)
                .map(|(_, t)| Also {
                    target: t.name.clone(),
                    met: t.met,
                })
                .collect(),
        };
        trials.push(t.clone());
        Ok(t)
    };
    let ok = |t: &Trial| t.met.p >= probability;
    let (value, at, neighbour, falling) = if goal.minimise_cost {
        let values = vary.values();
        announce(values.len() as u64);
        let mut best: Option<Trial> = None;
        for x in values {
            let t = eval(x, &mut trials)?;
            if ok(&t) && best.as_ref().is_none_or(|b| t.cost.mean < b.cost.mean) {
                best = Some(t);
            }
        }
        (best.as_ref().map(|b| b.value), best, None, false)
    } else {
        let whole = vary.is_whole();
        let tol = vary.step.unwrap_or(if whole {
            1.0
        } else {
            (vary.to - vary.from) / 1000.0
        });
        let steps = ((vary.to - vary.from) / tol).max(1.0).log2().ceil() as u64 + 2;
        announce(steps);
        // Narrows a value that meets the target and one that does not to neighbours `tol` apart,
        // staying on the grid FROM + k * STEP when there is one.
        let bisect = |mut good: Trial,
                      mut bad: Trial,
                      trials: &mut Vec<Trial>|
         -> Result<(Trial, Trial), SweepError> {
            while (good.value - bad.value).abs() > tol * (1.0 + 1e-9) {
                let (lo, hi) = (good.value.min(bad.value), good.value.max(bad.value));
                let mut mid = (lo + hi) / 2.0;
                if whole || vary.step.is_some() {
                    let k = ((mid - vary.from) / tol).floor();
                    mid = tidy(vary.from + k * tol);
                    if mid <= lo {
                        mid = lo + tol;
                    }
                    if mid >= hi {
                        break;
                    }
                }
                let t = eval(mid, trials)?;
                if ok(&t) {
                    good = t;
                } else {
                    bad = t;
                }
            }
            Ok((good, bad))
        };
        let top = eval(vary.to, &mut trials)?;
        let bottom = eval(vary.from, &mut trials)?;
        match (ok(&bottom), ok(&top)) {
            // Met across the range: the smallest value is FROM.
            (true, true) => (Some(vary.from), Some(bottom), None, false),
            // The chance rises with the value: the smallest value that meets the target.
            (false, true) => {
                let (good, bad) = bisect(top, bottom, &mut trials)?;
                (Some(good.value), Some(good), Some(bad), false)
            }
            // The chance falls as the value rises: the largest value that meets it.
            (true, false) => {
                let (good, bad) = bisect(bottom, top, &mut trials)?;
                (Some(good.value), Some(good), Some(bad), true)
            }
            (false, false) => (None, None, None, false),
        }
    };
    Ok(Found {
        value,
        at,
        neighbour,
        falling,
        trials,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vary_parses_and_lists_values() {
        let v: Vary = "intake.asye.size=10..30:5".parse().unwrap();
        assert_eq!(v.path, "intake.asye.size");
        assert_eq!(v.values(), [10.0, 15.0, 20.0, 25.0, 30.0]);
        let v: Vary = "a=0..3".parse().unwrap();
        assert_eq!(v.values(), [0.0, 1.0, 2.0, 3.0]);
        let v: Vary = "a=0..0.5".parse().unwrap();
        assert_eq!(v.values().len(), 11);
        assert_eq!(v.values()[3], 0.15);
        assert!(!v.is_whole());
        let v: Vary = "grades[Level 3].leaving[2]=0.1..0.3:0.1".parse().unwrap();
        assert_eq!(v.values(), [0.1, 0.2, 0.3]);
        // The last value never passes TO.
        let v: Vary = "a=0..10:4".parse().unwrap();
        assert_eq!(v.values(), [0.0, 4.0, 8.0]);
    }

    #[test]
    fn bad_ranges_say_what_is_expected() {
        for (text, says) in [
            ("a", "expected PATH=FROM..TO"),
            ("=1..2", "key path is missing"),
            ("a=1-2", "expected PATH=FROM..TO"),
            ("a=x..2", "FROM `x` is not a number"),
            ("a=3..2", "greater than TO"),
            ("a=1..2:0", "STEP must be greater than 0"),
            ("a=0..1e6:1", "at most 1000"),
        ] {
            let e = text.parse::<Vary>().unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }
}
