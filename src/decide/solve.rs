//! `wfsim solve`: the smallest (or largest, or cheapest) value of one input that meets a target
//! with a stated probability, by bisection on the chance of meeting it; or, subject to other
//! targets each met with its own probability, by trying every value of the range.

use std::str::FromStr;

use serde::Serialize;

use super::vary::{MAX_VALUES, tidy};
use super::{DecideError, Progress, Settings, Varied, Vary, run_at, scenario_at};
use crate::model::cost::Component;
use crate::model::metric::Metric;
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
    /// The constraints' targets at this value, in the order of [`Goal::subject_to`] (empty
    /// without constraints).
    pub constraints: Vec<Also>,
    /// Newly qualified places not taken in the 12 months to the target's deadline, on average
    /// (None before a year has passed): places beyond the vacant posts, the supply of recruits
    /// or the supervisors' capacity add no one.
    pub declined: Option<f64>,
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
    /// True when the answer is where the range ends in the search's direction, so a value
    /// beyond the range, which was not tried, could answer too: without constraints, both ends of
    /// the range meet the target (the smallest value that meets it is FROM or below; were the
    /// chance to fall as the value rises, the largest would be TO or above); with constraints,
    /// the answer is the first value in the search's order; the cheapest, FROM or TO.
    pub at_range_end: bool,
    /// True when the answer's probability, or its neighbour's, is within two Monte Carlo standard
    /// errors of the probability asked for: more replications could move the answer by a step.
    /// With constraints: when any value in [`Solution::uncertain`].
    pub within_error: bool,
    /// The values whose verdict more replications could change, and the answer with it: the
    /// answer when a chance there is within two standard errors of what is asked, and a value
    /// that falls short (the neighbour; with constraints, any value before the answer in the
    /// search's order, or any value when there is no answer) when every chance it falls short on
    /// is within two standard errors. With constraints and no answer, also `binding` and the
    /// value before it when their chance of the target is within two standard errors of its
    /// probability, so that where the target is first met could be a step either way.
    pub uncertain: Vec<f64>,
    /// The other targets that must be met at the answer, each with its own probability.
    pub subject_to: Vec<Constraint>,
    /// With constraints and no answer: the first value in the search's order (the smallest; the
    /// largest when `falling`; the cheapest) that meets the target with its probability, where a
    /// constraint then binds. `None` without constraints, with an answer, or when no value meets
    /// the target.
    pub binding: Option<Trial>,
    /// With constraints and no answer: of the values that meet every constraint, the one with the
    /// highest probability of meeting the target (of equals, the nearest `binding`: as far as the
    /// lever goes with every constraint held).
    /// `None` without constraints, with an answer, or when no value meets every constraint.
    pub best_with_constraints: Option<Trial>,
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
    /// Other targets that must be met at the same value, each with at least its own probability
    /// (`--subject-to "NAME=P"`). With any, every value of the range is tried.
    pub subject_to: Vec<Constraint>,
}
/// Another target that the value `solve` finds must meet with at least `probability`:
/// `--subject-to "NAME=P"`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Constraint {
    /// The target's name, as in the scenario's `[[targets]]`.
    pub target: String,
    /// The least probability of meeting it at its deadline.
    pub probability: f64,
}
impl FromStr for Constraint {
    type Err = String;

    /// `NAME=P`; the name may itself hold `=`, since the probability follows the last one.
    fn from_str(s: &str) -> Result<Constraint, String> {
        let form = "expected NAME=P, a target's name and the probability it must be met with, \
                    e.g. \"NQ cap=0.9\"";
        let (name, p) = s.rsplit_once('=').ok_or_else(|| format!("`{s}`: {form}"))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("`{s}`: the target's name is missing; {form}"));
        }
        let p = parse_probability(p).map_err(|e| {
            if e.ends_with("is not a number") {
                format!("`{s}`: {e}; {form}")
            } else {
                format!("`{s}`: {e}")
            }
        })?;
        Ok(Constraint {
            target: name.to_string(),
            probability: p,
        })
    }
}
/// A probability as written on the command line: a proportion above 0 and at most 1; a
/// percentage, with its sign or without (from 2 to 100), gets the proportion to give instead.
pub fn parse_probability(text: &str) -> Result<f64, String> {
    let text = text.trim();
    if let Some(x) = text
        .strip_suffix('%')
        .and_then(|x| x.trim().parse::<f64>().ok())
    {
        return Err(format!(
            "the probability is a proportion: for {}%, give {}",
            crate::model::format::fmt_g(x),
            crate::model::format::fmt_g(x / 100.0)
        ));
    }
    let p = text
        .parse::<f64>()
        .ok()
        .filter(|p| !p.is_nan())
        .ok_or_else(|| format!("`{text}` is not a number"))?;
    check_probability(p)?;
    Ok(p)
}

/// A probability asked for must be above 0 and at most 1; a percentage (from 2 to 100) is named as
/// one.
fn check_probability(p: f64) -> Result<(), String> {
    if p > 0.0 && p <= 1.0 {
        return Ok(());
    }
    let hint = if (2.0..=100.0).contains(&p) {
        format!(" (for {p}%, give {})", p / 100.0)
    } else {
        String::new()
    };
    Err(format!(
        "the probability must be above 0 and at most 1, e.g. 0.8{hint}; found {p}"
    ))
}
/// Finds the smallest value of `vary` for which the goal's target is met at its deadline with at
/// least its probability, by bisection (the chance of meeting a target rises with most levers;
/// when it falls instead, met at FROM and not at TO, the largest value that meets it), or with
/// `minimise_cost` the value of lowest mean total cost among those that meet it (every value of
/// the range is tried). When the answer, or its neighbour that falls short, is within two Monte
/// Carlo standard errors of the probability, the search is repeated with 4 times the
/// replications, up to `REFINEMENTS` times, so that neighbouring values are told apart.
///
/// With constraints (`goal.subject_to`), the value must also meet each constraint's target with
/// its own probability. A constraint's chance need not move one way across the range, nor the
/// same way as the goal's (more newly qualified staff help 80:20 and hurt a cap on their share),
/// so every value the answer could be is tried ([`every_value`]), and the answer is the first in
/// the search's order that meets them all. Without one, the first value that meets the target is
/// kept ([`Solution::binding`]) with the best reachable while every constraint holds
/// ([`Solution::best_with_constraints`]).
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
    check_probability(probability)
        .map_err(|e| DecideError::Usage(format!("--probability: {e}")))?;
    for c in &goal.subject_to {
        check_probability(c.probability).map_err(|e| {
            DecideError::Usage(format!(
                "--subject-to `{}={}`: {e}",
                c.target, c.probability
            ))
        })?;
        if c.target == target {
            return Err(DecideError::Usage(format!(
                "--subject-to `{}`: this is the target solved for (--target); a constraint is \
                 another target, met at the same value with its own probability",
                c.target
            )));
        }
        if goal
            .subject_to
            .iter()
            .filter(|d| d.target == c.target)
            .count()
            > 1
        {
            return Err(DecideError::Usage(format!(
                "--subject-to `{}` is given more than once; give each target once, with the \
                 probability it must be met with",
                c.target
            )));
        }
    }
    // Check the targets at the start of the range before any simulation.
    let first = scenario_at(doc, &vary.path, vary.from, option)?;
    let named = std::iter::once(("", target)).chain(
        goal.subject_to
            .iter()
            .map(|c| ("--subject-to: ", c.target.as_str())),
    );
    for (flag, name) in named.clone() {
        super::deadline_within(&first, name, cfg.months, flag)?;
    }
    // As a run assesses it: targets beyond the horizon left out, so that the indices found here
    // index the results' targets.
    let first = first.within(cfg.months).unwrap_or(first);
    let index = |flag: &str, name: &str| -> Result<usize, DecideError> {
        first
            .targets
            .iter()
            .position(|t| t.name == name)
            .ok_or_else(|| {
                let names: Vec<&str> = first.targets.iter().map(|t| t.name.as_str()).collect();
                let hint = crate::scenario::spanned::closest(name, &names)
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                DecideError::Usage(if names.is_empty() {
                    format!("{} has no targets; add a [[targets]] table", first.file)
                } else {
                    format!(
                        "{flag}there is no target `{name}`; {hint}the targets are: {}",
                        names.join(", ")
                    )
                })
            })
    };
    let mut indices = named
        .map(|(flag, name)| index(flag, name))
        .collect::<Result<Vec<usize>, DecideError>>()?;
    let ti = indices.remove(0);
    let every = if goal.subject_to.is_empty() {
        None
    } else {
        Some(every_value(vary)?)
    };
    let mut reps = cfg.replications;
    let mut started = 0u64;
    let mut refinements = 0;
    let found = loop {
        let pass = Settings {
            replications: reps,
            ..cfg.clone()
        };
        let at = |x: f64| try_value(doc, vary, option, x, ti, &indices, &pass, progress);
        let found = match &every {
            None => search(vary, goal, &pass, progress, &mut started, at)?,
            Some(values) => {
                started += values.len() as u64 * u64::from(reps);
                progress.start(started);
                let trials = values
                    .iter()
                    .map(|&x| at(x))
                    .collect::<Result<Vec<Trial>, DecideError>>()?;
                choose(trials, goal)
            }
        };
        let more = u64::from(reps) * 4;
        if found.uncertain.is_empty()
            || refinements == REFINEMENTS
            || more > u64::from(MAX_REPLICATIONS)
        {
            break found;
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
        at_range_end,
        trials,
        uncertain,
        binding,
        best_with_constraints,
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
        at_range_end,
        within_error: !uncertain.is_empty(),
        uncertain,
        subject_to: goal.subject_to.clone(),
        binding,
        best_with_constraints,
        replications: reps,
        trials,
    })
}
/// The values a search with constraints or for the lowest cost tries, since the answer could be
/// any of them: the STEP grid, or every whole number from FROM to TO. A range of other numbers
/// needs a STEP, and at most `MAX_VALUES` values are tried.
pub fn every_value(vary: &Vary) -> Result<Vec<f64>, DecideError> {
    if vary.step.is_some() {
        return Ok(vary.values());
    }
    let span = vary.to - vary.from;
    if !vary.is_whole() {
        return Err(DecideError::Usage(format!(
            "--vary {}={}..{}: with --subject-to or --minimise cost every value of the range is tried, so a range \
             that is not of whole numbers needs a STEP, e.g. {}={}..{}:{}",
            vary.path,
            vary.from,
            vary.to,
            vary.path,
            vary.from,
            vary.to,
            tidy(span / 20.0)
        )));
    }
    if span >= MAX_VALUES as f64 {
        return Err(DecideError::Usage(format!(
            "--vary {}={}..{}: with --subject-to or --minimise cost every value of the range is tried, and this \
             range holds {} whole numbers; at most {MAX_VALUES} are allowed, so give a STEP",
            vary.path,
            vary.from,
            vary.to,
            span + 1.0
        )));
    }
    Ok((0..=span as usize).map(|i| vary.from + i as f64).collect())
}
/// True when `m` is within two Monte Carlo standard errors of `needed`, so that more
/// replications could put it on the other side.
fn near(m: &Probability, needed: f64) -> bool {
    (m.p - needed).abs() < 2.0 * m.se.max(1e-12)
}
/// The outcome of one search: fields as in [`Solution`].
struct Found {
    value: Option<f64>,
    at: Option<Trial>,
    neighbour: Option<Trial>,
    falling: bool,
    at_range_end: bool,
    trials: Vec<Trial>,
    uncertain: Vec<f64>,
    binding: Option<Trial>,
    best_with_constraints: Option<Trial>,
}
/// Runs the scenario at `x`: the target at index `ti` of the results' targets, the constraints'
/// at `ci`.
#[allow(clippy::too_many_arguments)]
fn try_value(
    doc: &Document,
    vary: &Vary,
    option: Option<&str>,
    x: f64,
    ti: usize,
    ci: &[usize],
    cfg: &Settings,
    progress: &dyn Progress,
) -> Result<Trial, DecideError> {
    let r = run_at(doc, &vary.path, x, option, cfg, progress)?;
    let v = &r.variants[0];
    let also = |t: &crate::sim::results::TargetResult| Also {
        target: t.name.clone(),
        met: t.met,
    };
    Ok(Trial {
        value: x,
        met: v.targets[ti].met,
        cost: v.costs[r.financial_years.len()][Component::Total],
        others: v
            .targets
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != ti)
            .map(|(_, t)| also(t))
            .collect(),
        constraints: ci.iter().map(|&i| also(&v.targets[i])).collect(),
        declined: v.trajectories[Metric::AsyeDeclined.index()]
            .get(r.targets[ti].month)
            .copied()
            .flatten()
            .map(|s| s.mean),
    })
}
/// One pass of the search without constraints at `cfg.replications`, trying values with `at`;
/// `started` counts replications announced to the progress bar so far.
fn search(
    vary: &Vary,
    goal: &Goal,
    cfg: &Settings,
    progress: &dyn Progress,
    started: &mut u64,
    at: impl Fn(f64) -> Result<Trial, DecideError>,
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
        let t = at(x)?;
        trials.push(t.clone());
        Ok(t)
    };
    let ok = |t: &Trial| t.met.p >= probability;
    let (value, at, neighbour, falling, at_range_end) = if goal.minimise_cost {
        let values = every_value(vary)?;
        announce(values.len() as u64);
        let mut best: Option<Trial> = None;
        // The ends of the values tried: a STEP that does not reach TO stops short of it.
        let ends = (values.first().copied(), values.last().copied());
        for x in values {
            let t = eval(x, &mut trials)?;
            if ok(&t) && best.as_ref().is_none_or(|b| t.cost.mean < b.cost.mean) {
                best = Some(t);
            }
        }
        let end = best
            .as_ref()
            .is_some_and(|b| ends.0 == Some(b.value) || ends.1 == Some(b.value));
        (best.as_ref().map(|b| b.value), best, None, false, end)
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
            // Met at both ends: FROM meets it, and where it stops is beyond the range.
            (true, true) => (Some(vary.from), Some(bottom), None, false, true),
            // The chance rises with the value: the smallest value that meets the target.
            (false, true) => {
                let (good, bad) = bisect(top, bottom, &mut trials)?;
                (Some(good.value), Some(good), Some(bad), false, false)
            }
            // The chance falls as the value rises: the largest value that meets it.
            (true, false) => {
                let (good, bad) = bisect(bottom, top, &mut trials)?;
                (Some(good.value), Some(good), Some(bad), true, false)
            }
            (false, false) => (None, None, None, false, false),
        }
    };
    let uncertain = uncertain_values(at.as_ref(), neighbour.as_ref(), &trials, probability);
    Ok(Found {
        value,
        at,
        neighbour,
        falling,
        at_range_end,
        trials,
        uncertain,
        binding: None,
        best_with_constraints: None,
    })
}
/// The values of a search without constraints whose verdict more replications could change, in
/// increasing order: the answer `at` or its `neighbour` when within two standard errors of
/// `probability`; with no answer, any value tried whose chance is, since more replications
/// could find the target attainable there.
fn uncertain_values(
    at: Option<&Trial>,
    neighbour: Option<&Trial>,
    trials: &[Trial],
    probability: f64,
) -> Vec<f64> {
    let mut uncertain: Vec<f64> = match at {
        Some(at) => std::iter::once(at)
            .chain(neighbour)
            .filter(|t| near(&t.met, probability))
            .map(|t| t.value)
            .collect(),
        None => trials
            .iter()
            .filter(|t| near(&t.met, probability))
            .map(|t| t.value)
            .collect(),
    };
    uncertain.sort_by(f64::total_cmp);
    uncertain
}

/// What a search with constraints found among `trials`, every value it could answer with, in
/// increasing order of value. The search's order is increasing value; decreasing when the
/// target's chance falls (met at the first value and not at the last); increasing mean cost with
/// `minimise_cost`. The answer is the first value in that order that meets the target and every
/// constraint; the neighbour, the value before it.
fn choose(trials: Vec<Trial>, goal: &Goal) -> Found {
    let meets_goal = |t: &Trial| t.met.p >= goal.probability;
    let holds = |t: &Trial| {
        t.constraints
            .iter()
            .zip(&goal.subject_to)
            .all(|(a, c)| a.met.p >= c.probability)
    };
    let meets = |t: &Trial| meets_goal(t) && holds(t);
    let n = trials.len();
    let falling =
        !goal.minimise_cost && n > 1 && meets_goal(&trials[0]) && !meets_goal(&trials[n - 1]);
    let mut order: Vec<&Trial> = trials.iter().collect();
    if falling {
        order.reverse();
    }
    if goal.minimise_cost {
        // A stable sort: of equal costs, the smaller value first.
        order.sort_by(|a, b| a.cost.mean.total_cmp(&b.cost.mean));
    }
    let answer = order.iter().position(|t| meets(t));
    let at = answer.map(|k| order[k].clone());
    let neighbour = match answer {
        Some(k) if k > 0 && !goal.minimise_cost => Some(order[k - 1].clone()),
        _ => None,
    };
    // Each chance with what is asked of it.
    let asked = |t: &Trial| -> Vec<(Probability, f64)> {
        std::iter::once((t.met, goal.probability))
            .chain(
                t.constraints
                    .iter()
                    .zip(&goal.subject_to)
                    .map(|(a, c)| (a.met, c.probability)),
            )
            .collect()
    };
    // The answer could fail with more replications, or a value before it could meet them all.
    let could_fail = |t: &Trial| asked(t).iter().any(|(m, p)| near(m, *p));
    let could_meet = |t: &Trial| {
        asked(t)
            .iter()
            .filter(|(m, p)| m.p < *p)
            .all(|(m, p)| near(m, *p))
    };
    let mut uncertain: Vec<f64> = at
        .iter()
        .filter(|t| could_fail(t))
        .chain(
            order[..answer.unwrap_or(n)]
                .iter()
                .copied()
                .filter(|t| could_meet(t)),
        )
        .map(|t| t.value)
        .collect();
    let (binding, best_with_constraints) = if answer.is_some() {
        (None, None)
    } else {
        let first = order.iter().position(|t| meets_goal(t));
        // Where the target is first met could be a step either way.
        for k in first.into_iter().flat_map(|k| k.saturating_sub(1)..=k) {
            if near(&order[k].met, goal.probability) && !uncertain.contains(&order[k].value) {
                uncertain.push(order[k].value);
            }
        }
        let binding = first.map(|k| order[k].clone());
        // Of equal chances (0% at every value below a threshold, say), the value nearest where
        // the target is met: as far as the lever can go with every constraint held.
        let from = |t: &Trial| binding.as_ref().map_or(0.0, |b| (t.value - b.value).abs());
        let mut best: Option<&Trial> = None;
        for t in order.iter().filter(|t| holds(t)) {
            if best.is_none_or(|b| t.met.p > b.met.p || (t.met.p == b.met.p && from(t) < from(b))) {
                best = Some(t);
            }
        }
        (binding, best.cloned())
    };
    uncertain.sort_by(f64::total_cmp);
    // The first value in the search's order, or for the cheapest an end of the range: a value
    // beyond it was not tried.
    let at_range_end = match (&at, answer) {
        (Some(t), Some(_)) if goal.minimise_cost => {
            let (lo, hi) = trials
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), t| {
                    (l.min(t.value), h.max(t.value))
                });
            t.value == lo || t.value == hi
        }
        (Some(_), Some(k)) => k == 0,
        _ => false,
    };
    Found {
        value: at.as_ref().map(|t| t.value),
        at,
        neighbour,
        falling,
        at_range_end,
        trials,
        uncertain,
        binding,
        best_with_constraints,
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    /// A trial at `value` with the target's chance `goal`, each constraint's in `constraints`, at
    /// 1,000 replications, costing `value` pounds.
    fn trial(value: f64, goal: f64, constraints: &[f64]) -> Trial {
        let m = |p: f64| Probability::of((p * 1000.0).round() as usize, 1000);
        let cost = Summary {
            n: 1000,
            mean: value,
            sd: 0.0,
            se: 0.0,
            p05: value,
            p25: value,
            p50: value,
            p75: value,
            p95: value,
        };
        Trial {
            value,
            met: m(goal),
            cost,
            others: Vec::new(),
            declined: None,
            constraints: constraints
                .iter()
                .enumerate()
                .map(|(i, &p)| Also {
                    target: format!("c{i}"),
                    met: m(p),
                })
                .collect(),
        }
    }

    fn goal(probability: f64, asked: &[f64]) -> Goal {
        Goal {
            target: "goal".into(),
            probability,
            minimise_cost: false,
            subject_to: asked
                .iter()
                .enumerate()
                .map(|(i, &p)| Constraint {
                    target: format!("c{i}"),
                    probability: p,
                })
                .collect(),
        }
    }

    /// Trials at 0, 1, ... with these chances of the target and of one constraint.
    fn trials(rows: &[(f64, f64)]) -> Vec<Trial> {
        rows.iter()
            .enumerate()
            .map(|(i, &(g, c))| trial(i as f64, g, &[c]))
            .collect()
    }

    #[test]
    fn a_constraint_that_fails_at_the_targets_threshold_and_holds_later_gives_the_later_value() {
        // The target is met from 2; the constraint fails at 2 and 3, holds at 4 and fails again
        // at 5: looking only where the target is first met would wrongly say "not attainable".
        let f = choose(
            trials(&[
                (0.1, 0.9),
                (0.5, 0.9),
                (0.8, 0.3),
                (0.85, 0.3),
                (0.9, 0.9),
                (0.95, 0.2),
            ]),
            &goal(0.7, &[0.8]),
        );
        assert_eq!(f.value, Some(4.0));
        assert_eq!(f.neighbour.as_ref().unwrap().value, 3.0);
        assert!(!f.falling);
        assert!(!f.at_range_end);
        assert!(f.binding.is_none() && f.best_with_constraints.is_none());
        assert!(f.uncertain.is_empty(), "{:?}", f.uncertain);
        // Everything met at the first value tried: the range may end too soon.
        let f = choose(trials(&[(0.9, 0.9), (0.95, 0.9)]), &goal(0.7, &[0.8]));
        assert_eq!((f.value, f.at_range_end), (Some(0.0), true));
    }

    #[test]
    fn with_no_answer_a_value_within_monte_carlo_error_of_the_probability_is_uncertain() {
        // 99.88% against 99.9% asked, with a standard error of 0.1 points: more replications
        // could meet it, so it is not flatly unattainable.
        let mut close = trial(20.0, 0.5, &[]);
        close.met = Probability {
            p: 0.9988,
            se: 0.001,
        };
        let far = trial(0.0, 0.16, &[]);
        assert_eq!(
            uncertain_values(None, None, &[close.clone(), far.clone()], 0.999),
            [20.0]
        );
        // Far from it everywhere: nothing uncertain.
        assert!(uncertain_values(None, None, std::slice::from_ref(&far), 0.999).is_empty());
        // With an answer, only it and its neighbour count.
        let answer = trial(5.0, 0.95, &[]);
        assert!(uncertain_values(Some(&answer), Some(&far), &[close, far.clone()], 0.8).is_empty());
    }

    #[test]
    fn with_no_value_meeting_them_all_the_binding_value_and_the_best_reachable_are_kept() {
        // The target is met from 3, where the constraint has fallen below what is asked; of the
        // values where it holds (0 to 2), 2 comes nearest the target.
        let f = choose(
            trials(&[
                (0.1, 0.99),
                (0.3, 0.95),
                (0.5, 0.91),
                (0.75, 0.6),
                (0.9, 0.4),
            ]),
            &goal(0.7, &[0.9]),
        );
        assert_eq!(f.value, None);
        assert!(f.at.is_none() && f.neighbour.is_none());
        assert_eq!(f.binding.as_ref().unwrap().value, 3.0);
        let best = f.best_with_constraints.as_ref().unwrap();
        assert_eq!((best.value, best.met.p), (2.0, 0.5));
        // Of equal chances, the value nearest where the target is met.
        let f = choose(
            trials(&[(0.0, 0.95), (0.0, 0.95), (0.0, 0.95), (0.8, 0.5)]),
            &goal(0.7, &[0.9]),
        );
        assert_eq!(f.best_with_constraints.as_ref().unwrap().value, 2.0);
        // No value holds everything, and none is within Monte Carlo error of doing so.
        assert!(f.uncertain.is_empty(), "{:?}", f.uncertain);
        // A constraint that holds nowhere: no best reachable.
        let f = choose(trials(&[(0.1, 0.1), (0.9, 0.2)]), &goal(0.7, &[0.9]));
        assert_eq!(f.binding.as_ref().unwrap().value, 1.0);
        assert!(f.best_with_constraints.is_none());
    }

    #[test]
    fn a_falling_target_or_the_cheapest_orders_the_search_its_own_way() {
        // The target's chance falls (met at 0, not at 3): the largest value meeting everything,
        // its neighbour above it.
        let rows = [(0.95, 0.95), (0.9, 0.95), (0.8, 0.5), (0.2, 0.95)];
        let f = choose(trials(&rows), &goal(0.7, &[0.9]));
        assert!(f.falling);
        assert_eq!(f.value, Some(1.0));
        assert_eq!(f.neighbour.as_ref().unwrap().value, 2.0);
        // The cheapest (here the smallest, as cost is the value) with no neighbour.
        let mut g = goal(0.7, &[0.9]);
        g.minimise_cost = true;
        let f = choose(trials(&rows), &g);
        assert!(!f.falling);
        assert_eq!(f.value, Some(0.0));
        assert!(f.neighbour.is_none());
        // Every value meets the target and none the constraint: the first the search reaches
        // binds (the largest when falling).
        let f = choose(
            trials(&[(0.9, 0.1), (0.8, 0.1), (0.5, 0.1)]),
            &goal(0.7, &[0.9]),
        );
        assert!(f.falling);
        assert_eq!(f.binding.as_ref().unwrap().value, 1.0);
    }

    #[test]
    fn values_whose_verdict_is_within_monte_carlo_error_are_named() {
        // At 1,000 replications a standard error is at most 1.6 points. The answer (2) has its
        // constraint 0.5 point over what is asked; 1 falls short of the target by 0.5 point only;
        // 0 falls short of the target by 40 points, so it cannot become the answer.
        let f = choose(
            trials(&[(0.3, 0.795), (0.695, 0.95), (0.9, 0.805), (0.95, 0.5)]),
            &goal(0.7, &[0.8]),
        );
        assert_eq!(f.value, Some(2.0));
        assert_eq!(f.uncertain, [1.0, 2.0]);
        // With no answer, where the target is first met (1, or 0 with more replications) is
        // named, though the constraint (far short) keeps any from meeting everything.
        let f = choose(
            trials(&[(0.69, 0.1), (0.71, 0.1), (0.9, 0.1)]),
            &goal(0.7, &[0.9]),
        );
        assert_eq!(f.value, None);
        assert_eq!(f.binding.as_ref().unwrap().value, 1.0);
        assert_eq!(f.uncertain, [0.0, 1.0]);
    }

    #[test]
    fn a_probability_written_as_a_percentage_says_what_to_give() {
        assert_eq!(parse_probability(" 0.9 "), Ok(0.9));
        assert_eq!(
            parse_probability("90%").unwrap_err(),
            "the probability is a proportion: for 90%, give 0.9"
        );
        assert!(
            parse_probability("90")
                .unwrap_err()
                .contains("(for 90%, give 0.9)")
        );
        assert_eq!(parse_probability("x").unwrap_err(), "`x` is not a number");
    }

    #[test]
    fn constraints_parse_as_name_and_probability() {
        let c: Constraint = "NQ cap=0.9".parse().unwrap();
        assert_eq!(
            c,
            Constraint {
                target: "NQ cap".into(),
                probability: 0.9
            }
        );
        // The probability follows the last `=`, so a name may hold one.
        let c: Constraint = "a=b = 1".parse().unwrap();
        assert_eq!((c.target.as_str(), c.probability), ("a=b", 1.0));
        for (text, says) in [
            ("NQ cap", "expected NAME=P"),
            ("=0.5", "the target's name is missing"),
            ("NQ cap=high", "`high` is not a number"),
            ("NQ cap=NaN", "`NaN` is not a number"),
            ("NQ cap=0", "above 0 and at most 1"),
            ("NQ cap=-0.5", "above 0 and at most 1"),
            ("NQ cap=1.5", "found 1.5"),
            ("NQ cap=90", "(for 90%, give 0.9)"),
            ("NQ cap=inf", "above 0 and at most 1"),
        ] {
            let e = text.parse::<Constraint>().unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }
}
