//! The report's key findings: plain sentences with ranges, written from the results by rules that
//! are tested.

use crate::model::comparison::Measure;
use crate::model::format::{
    against_baseline, long_date, metric_movement, metric_range, metric_value, money, pc,
};
use crate::model::metric::Metric;
use crate::output::Projection;
use crate::output::chance::{Chance, SWING};
use crate::sim::compare::{costs_the_same, find};

/// Key findings as plain sentences.
pub fn findings(p: &Projection) -> Vec<String> {
    let r = p.results;
    let mut out = Vec::new();
    let base = &r.variants[0];
    for (ti, t) in r.targets.iter().enumerate() {
        let m = t.metric;
        // A measure with no value at the start (turnover needs 12 months of leavers) moves from
        // its first month's, which the sentence names.
        let first = base.trajectories[m.index()]
            .iter()
            .enumerate()
            .find_map(|(month, s)| s.map(|s| (month, s.p50)));
        let start = first.map_or(f64::NAN, |(_, x)| x);
        let at = &base.targets[ti];
        let end = at.value.p50;
        let moves = metric_movement(m, start, end);
        let mut subject = m.subject(&r.grade_names);
        if let Some((month, _)) = first.filter(|&(month, _)| month > 0) {
            subject.push_str(&format!(" (first known in {})", long_date(r.date(month))));
        }
        let range = metric_range(m, at.value.p05, at.value.p95);
        let spread = if range == metric_value(m, end) {
            "median and 90% range".to_string()
        } else {
            format!("median; 90% range {range}")
        };
        let s = format!(
            "Baseline: {subject} {moves} by {} ({spread}); {}.",
            long_date(t.by),
            chance_words(&Chance::of(r, at, ti), &t.name, &t.threshold()),
        );
        out.push(s);
        if r.variants.len() > 1 {
            let base_chance = Chance::of(r, at, ti);
            let mut opts: Vec<(&str, Chance)> = r.variants[1..]
                .iter()
                .map(|v| (v.name.as_str(), Chance::of(r, &v.targets[ti], ti)))
                .collect();
            opts.sort_by(|a, b| b.1.deadline.p.total_cmp(&a.1.deadline.p));
            let (best, c) = opts[0];
            let spread = |f: fn(&Chance) -> f64| {
                let all = opts.iter().map(|o| f(&o.1)).chain([f(&base_chance)]);
                let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                    (lo.min(x), hi.max(x))
                });
                hi - lo
            };
            if spread(|c| c.deadline.p) < 0.005 && spread(|c| c.year) < 0.005 {
                out.push(format!(
                    "No option changes the chance of meeting {} by {} materially (all {}).",
                    t.name,
                    long_date(t.by),
                    c.words()
                ));
                continue;
            }
            let rest: Vec<String> = opts[1..]
                .iter()
                .map(|(n, c)| format!("{n} {} ({})", pc(c.deadline.p), pc(c.year)))
                .collect();
            out.push(format!(
                "Of the options, {best} is the most likely to meet {} by {} ({}; over {}, {}){}.",
                t.name,
                long_date(t.by),
                against_baseline(c.deadline.p, base_chance.deadline.p),
                c.window(),
                against_baseline(c.year, base_chance.year),
                if rest.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; the others at the deadline (and over {}): {}",
                        c.window(),
                        rest.join(", ")
                    )
                }
            ));
            for (name, c) in &opts {
                if c.swings() {
                    out.push(format!(
                        "{name}'s chance of meeting {} is {}: it swings with the season by more than {:.0} points, so quote both.",
                        t.name,
                        c.words(),
                        100.0 * SWING
                    ));
                }
            }
        }
    }
    // Costs run from the first month simulated: the start is the state the horizon starts from.
    let period = format!(
        "{} to {}",
        long_date(r.date(1)),
        long_date(r.date(r.months as usize))
    );
    for v in r.variants.iter().skip(1) {
        let (Some(cost), Some(agency)) = (
            find(&v.comparison, Measure::CostDiffTotal).and_then(|m| m.summary.map(|s| (s, m))),
            find(&v.comparison, Measure::AgencyFteMonthsDiff).and_then(|m| m.summary),
        ) else {
            continue;
        };
        let (c, m) = cost;
        let more_less = |x: f64| {
            if x >= 0.0 {
                format!("{} more", money(x))
            } else {
                format!("{} less", money(-x))
            }
        };
        let avoided = -agency.mean;
        if costs_the_same(&v.comparison) {
            out.push(format!(
                "{} costs the same as the baseline in every replication from {period} and {} {:.0} agency FTE-months.",
                v.name,
                if avoided >= 0.0 { "avoids" } else { "adds" },
                avoided.abs(),
            ));
            continue;
        }
        let (lo, hi) = (more_less(c.p05), more_less(c.p95));
        let range = if lo == hi {
            lo
        } else {
            format!("{lo} to {hi}")
        };
        let costs = if money(c.mean.abs()) == money(0.0) {
            "about the same as".to_string()
        } else {
            format!("{} than", more_less(c.mean))
        };
        out.push(format!(
            "{} costs on average {costs} the baseline from {period} (90% range {range}) and {} {:.0} agency FTE-months on average; it is cheaper in {} of replications.{}",
            v.name,
            if avoided >= 0.0 { "avoids" } else { "adds" },
            avoided.abs(),
            pc(m.prob_better.unwrap_or(f64::NAN)),
            if v.unpriced {
                " These costs leave out what the option itself costs: the scenario gives it no premium and no cost, only its effect on how people behave (leaving, hiring, progressing)."
            } else {
                ""
            }
        ));
    }
    out.extend(capacity(p));
    out.extend(p.census.and_then(|c| crate::output::census::finding(r, c)));
    out
}

/// What each option does to the caseload at each caseload target's deadline, and the newly
/// qualified places the service could not take.
fn capacity(p: &Projection) -> Vec<String> {
    let r = p.results;
    let mut out = Vec::new();
    for (ti, t) in r.targets.iter().enumerate() {
        if t.metric != Metric::Caseload {
            continue;
        }
        for v in r.variants.iter().skip(1) {
            let Some(d) = find(&v.comparison, Measure::TargetDiff(ti)).and_then(|m| m.summary)
            else {
                continue;
            };
            // To one decimal, signed; what rounds to nothing is "0.0", never "-0.0".
            let signed = |x: f64| {
                let r = (x * 10.0).round() / 10.0;
                if r == 0.0 {
                    "0.0".to_string()
                } else {
                    format!("{}{r:.1}", if r > 0.0 { "+" } else { "" })
                }
            };
            let (mean, lo, hi) = (signed(d.mean), signed(d.p05), signed(d.p95));
            let when = long_date(t.by);
            out.push(if lo == hi && mean == lo {
                // Nothing to say "by 0.0 (0.0 to 0.0)" about.
                format!(
                    "{} leaves the caseload in {when} as in the baseline (within 0.05 cases per case-holding FTE in 90% of replications).",
                    v.name
                )
            } else if mean == "0.0" {
                format!(
                    "{} leaves the caseload in {when} about as in the baseline (0.0 cases per case-holding FTE on average; 90% range {lo} to {hi}).",
                    v.name
                )
            } else {
                format!(
                    "{} changes the caseload in {when} by {mean} cases per case-holding FTE (90% range {}).",
                    v.name,
                    if lo == hi { lo } else { format!("{lo} to {hi}") }
                )
            });
        }
    }
    let end = r.months as usize;
    for v in &r.variants {
        let Some(Some(d)) = v
            .trajectories
            .get(Metric::AsyeDeclined.index())
            .and_then(|t| t.get(end))
        else {
            continue;
        };
        if declined_worth_saying(d) {
            out.push(format!(
                "{}: {:.1} newly qualified places a year on average are not taken in the last year (median {:.0}; 90% range {:.0} to {:.0}): beyond the vacant posts, the supply of recruits or the supervisors' capacity.",
                if v.name == "baseline" { "Baseline" } else { v.name.as_str() },
                d.mean,
                d.p50,
                d.p05,
                d.p95
            ));
        }
    }
    out
}

/// The baseline's chance of meeting a target, at its deadline and over the 12 months to it, with
/// a warning where they differ by more than [`SWING`]: "11% chance of meeting the 80:20 target
/// (at most 20.0%) at the deadline, 15% over the 12 months to it".
/// Whether newly qualified places declined in the last year are worth a finding: where places
/// go untaken in at least one run in twenty, not for a rare one ("0.1 places a year on average
/// (median 0; 90% range 0 to 0)").
fn declined_worth_saying(d: &crate::stats::Summary) -> bool {
    d.mean >= 0.05 && d.p95 >= 1.0
}

fn chance_words(c: &Chance, name: &str, threshold: &str) -> String {
    let mut s = format!(
        "{} chance of meeting the {name} target ({threshold}) at the deadline, {} over {}",
        pc(c.deadline.p),
        pc(c.year),
        c.window()
    );
    if c.swings() {
        s.push_str(&format!(
            ": the chance swings with the season by more than {:.0} points, so quote both",
            100.0 * SWING
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declined_places_are_said_only_where_one_run_in_twenty_declines_some() {
        let of = |xs: &[f64]| crate::stats::Summary::of(xs);
        // 1 run in 50 declines 5 places: a mean of 0.1, a 95th percentile of 0.
        let mut rare = vec![0.0; 49];
        rare.push(5.0);
        assert!(!declined_worth_saying(&of(&rare)));
        // 2 runs in 10 decline a place: the 95th percentile is 1.
        let mut some = vec![0.0; 8];
        some.extend([1.0, 1.0]);
        assert!(declined_worth_saying(&of(&some)));
        assert!(!declined_worth_saying(&of(&[0.0; 20])));
    }
}
