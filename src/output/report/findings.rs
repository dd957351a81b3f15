//! The report's key findings: plain sentences with ranges, written from the results by rules that
//! are tested.

use crate::model::comparison::Measure;
use crate::model::format::{long_date, metric_range, metric_value, money, pc};
use crate::model::metric::Metric;
use crate::output::Projection;
use crate::sim::compare::{costs_the_same, find};

/// Key findings as plain sentences.
pub fn findings(p: &Projection) -> Vec<String> {
    let r = p.results;
    let mut out = Vec::new();
    let base = &r.variants[0];
    for (ti, t) in r.targets.iter().enumerate() {
        let m = t.metric;
        let start = base.trajectories[m.index()]
            .iter()
            .flatten()
            .next()
            .map_or(f64::NAN, |s| s.p50);
        let at = &base.targets[ti];
        let end = at.value.p50;
        // Values that read the same once written do not "fall from 31% to 31%".
        let verb = if (end - start).abs() < 1e-9 * start.abs().max(1.0) {
            "stays at"
        } else if metric_value(m, start) == metric_value(m, end) {
            "stays at about"
        } else if end < start {
            "falls from"
        } else {
            "rises from"
        };
        let from = if verb.starts_with("stays at") {
            String::new()
        } else {
            format!("{} to ", metric_value(m, start))
        };
        let s = format!(
            "Baseline: {} {verb} {from}{} by {} (median; 90% range {}); {} chance of meeting the {} target ({}).",
            m.subject(&r.grade_names),
            metric_value(m, end),
            long_date(t.by),
            metric_range(m, at.value.p05, at.value.p95),
            pc(at.met.p),
            t.name,
            t.threshold()
        );
        out.push(s);
        if r.variants.len() > 1 {
            let mut opts: Vec<(&str, f64)> = r.variants[1..]
                .iter()
                .map(|v| (v.name.as_str(), v.targets[ti].met.p))
                .collect();
            opts.sort_by(|a, b| b.1.total_cmp(&a.1));
            let (best, p) = opts[0];
            let lowest = opts.iter().map(|o| o.1).fold(at.met.p, f64::min);
            if p.max(at.met.p) - lowest < 0.005 {
                out.push(format!(
                    "No option changes the chance of meeting {} by {} materially (all {}).",
                    t.name,
                    long_date(t.by),
                    pc(p)
                ));
                continue;
            }
            let rest: Vec<String> = opts[1..]
                .iter()
                .map(|(n, p)| format!("{n} {}", pc(*p)))
                .collect();
            out.push(format!(
                "Of the options, {best} is the most likely to meet {} by {} ({}, against {} in the baseline){}.",
                t.name,
                long_date(t.by),
                pc(p),
                pc(at.met.p),
                if rest.is_empty() {
                    String::new()
                } else {
                    format!("; {}", rest.join(", "))
                }
            ));
        }
    }
    let period = format!(
        "{} to {}",
        long_date(r.start),
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
        out.push(format!(
            "{} costs {} than the baseline from {period} (90% range {} to {}) and {} {:.0} agency FTE-months; it is cheaper in {} of replications.",
            v.name,
            more_less(c.mean),
            more_less(c.p05),
            more_less(c.p95),
            if avoided >= 0.0 { "avoids" } else { "adds" },
            avoided.abs(),
            pc(m.prob_better.unwrap_or(f64::NAN)),
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
            out.push(format!(
                "{} changes the caseload in {} by {} cases per case-holding FTE (90% range {} to {}).",
                v.name,
                long_date(t.by),
                signed(d.mean),
                signed(d.p05),
                signed(d.p95),
            ));
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
        if d.mean >= 0.05 {
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
