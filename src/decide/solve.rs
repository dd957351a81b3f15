//! `wfsim solve`: the smallest (or largest, or cheapest) value of one input that meets a target
//! with a stated probability, by bisection on the chance of meeting it.

use serde::Serialize;

use super::vary::tidy;
use super::{DecideError, Progress, Settings, Varied, Vary, run_at, scenario_at};
use crate::model::cost::Component;
use crate::scenario::{Document, MAX_REPLICATIONS};
use crate::stats::{Probability, Summary};

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
    doc: &Document,
    varied: &Varied,
    goal: &Goal,
    cfg: &Settings,
    progress: &dyn Progress,
) -> Result<Solution, DecideError> {
    let (vary, option) = (varied.vary(), varied.option());
    let (target, probability, minimise_cost) =
        (goal.target.as_str(), goal.probability, goal.minimise_cost);
    if !(probability > 0.0 && probability <= 1.0) {
        return Err(DecideError::Usage(format!(
            "--probability must be above 0 and at most 1, e.g. 0.8; found {probability}"
        )));
    }
    // Check the target at the start of the range before any simulation.
    let first = scenario_at(doc, &vary.path, vary.from, option)?;
    if let Some(t) = first.targets.iter().find(|t| t.name == target)
        && t.month > cfg.months as usize
    {
        return Err(DecideError::Usage(format!(
            "target `{target}` (by {}) is beyond the horizon, which ends {}; run at least {} months",
            t.by,
            first.date(cfg.months as usize),
            t.month
        )));
    }
    // As a run assesses it: targets beyond the horizon left out, so that `ti` indexes the
    // results' targets.
    let first = first.within(cfg.months).unwrap_or(first);
    let Some(ti) = first.targets.iter().position(|t| t.name == target) else {
        let names: Vec<&str> = first.targets.iter().map(|t| t.name.as_str()).collect();
        let hint = crate::scenario::spanned::closest(target, &names)
            .map(|n| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        return Err(DecideError::Usage(if names.is_empty() {
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
        let pass = Settings {
            replications: reps,
            ..cfg.clone()
        };
        let found = search(doc, vary, option, goal, ti, &pass, progress, &mut started)?;
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
    doc: &Document,
    vary: &Vary,
    option: Option<&str>,
    goal: &Goal,
    ti: usize,
    cfg: &Settings,
    progress: &dyn Progress,
    started: &mut u64,
) -> Result<Found, DecideError> {
    let probability = goal.probability;
    let mut announce = |runs: u64| {
        *started += runs * u64::from(cfg.replications);
        progress.start(*started);
    };
    let mut trials: Vec<Trial> = Vec::new();
    let eval = |x: f64, trials: &mut Vec<Trial>| -> Result<Trial, DecideError> {
        if let Some(t) = trials.iter().find(|t| t.value == x) {
            return Ok(t.clone());
        }
        let r = run_at(doc, &vary.path, x, option, cfg, progress)?;
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
         -> Result<(Trial, Trial), DecideError> {
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
