//! `wfsim solve`'s files (`solve.csv`, `solve.json`, the chart) and its terminal text.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::{Job, chart_files, csv_file, json_file, notes, provenance};
use crate::decide::solve::{Constraint, Solution, Trial};
use crate::model::format::{money, num};
use crate::output::charts::draw::{Chart, Scale, XyLine, XyPanel};
use crate::output::table::layout;
use crate::output::{Exporter, OutFile, OutputError, publish, render};
use crate::stats::Probability;

/// Why a larger value adds no one, where that is so: newly qualified places not taken.
fn declined_text(best: &crate::decide::solve::Trial) -> String {
    match best.declined {
        Some(d) if d >= 0.5 => format!(
            "At {}, {:.1} newly qualified places a year are not taken on average, beyond the vacant posts, the supply of newly qualified recruits or the supervisors' capacity: a larger cohort adds no one the service can carry.\n",
            num(best.value, 6),
            d
        ),
        _ => String::new(),
    }
}

/// The terminal text of a search, in plain sentences; with constraints, a table of every value
/// tried.
pub fn solve_text(job: &Job, s: &Solution) -> String {
    let lever = format!(
        "{} (option {})",
        crate::scenario::keypath::for_reader(&s.path),
        job.option.unwrap_or("baseline")
    );
    let constrained = !s.subject_to.is_empty();
    let mut out = match (s.value, &s.at, &s.binding) {
        (Some(v), Some(at), _) => answer_text(job, s, &lever, v, at),
        (_, _, Some(b)) if constrained => binding_text(job, s, &lever, b),
        _ => {
            format!(
                "Not attainable with this lever: no value of {lever} from {} to {} meets target `{}` by {} with probability {} ({}). The best reached{} is {}, at {}.\n",
                num(job.vary.from, 6),
                num(job.vary.to, 6),
                s.target,
                deadline_of(job, &s.target),
                pc_asked(s.probability),
                if s.minimise_cost || constrained {
                    "every value was tried"
                } else {
                    "neither end of the range does, and the chance is taken to move one way between them; `wfsim sweep` shows every value"
                },
                if constrained {
                    ", leaving the constraints aside,"
                } else {
                    ""
                },
                chance(&s.best.met, s.probability, s.replications),
                num(s.best.value, 6)
            ) + &declined_text(&s.best)
        }
    };
    if constrained && s.value.is_none() && s.binding.is_none() {
        // The best above ignores the constraints: it may break them.
        out.push_str(&best_constrained(
            s,
            &num(job.vary.from, 6),
            &num(job.vary.to, 6),
        ));
    }
    if s.replications > job.cfg.replications {
        out.push_str(&format!(
            "The first search ended within Monte Carlo error of {}, so it was repeated with {} replications per value.\n",
            if constrained {
                "what is asked".to_string()
            } else {
                pc_asked(s.probability)
            },
            s.replications
        ));
    }
    if s.within_error {
        if constrained {
            let values: Vec<String> = s.uncertain.iter().map(|&x| num(x, 6)).collect();
            out.push_str(&format!(
                "This is still within Monte Carlo error ({} replications): at {} a chance is within two standard errors of what is asked, so {} could differ.\n",
                s.replications,
                and_list(&values),
                if s.value.is_some() {
                    "the answer"
                } else {
                    "the values named"
                }
            ));
        } else if s.at_range_end && !s.minimise_cost {
            out.push_str(&format!(
                "This is still within Monte Carlo error ({} replications): the chance at {} is within two standard errors of {}, so more replications could show it falls short there.\n",
                s.replications,
                num(job.vary.from, 6),
                pc_asked(s.probability)
            ));
        } else if s.value.is_none() {
            let values: Vec<String> = s.uncertain.iter().map(|&x| num(x, 6)).collect();
            out.push_str(&format!(
                "This is still within Monte Carlo error ({} replications): at {} the chance is within two standard errors of {}, so more replications could find the target attainable there.\n",
                s.replications,
                and_list(&values),
                pc_asked(s.probability)
            ));
        } else {
            out.push_str(&format!(
                "This is still within Monte Carlo error of the threshold ({} replications): the answer could be a step either way.\n",
                s.replications
            ));
        }
    }
    if constrained {
        out.push_str(&tried_table(s));
    } else {
        out.push_str(&format!(
            "Values tried: {}.\n",
            s.trials
                .iter()
                .map(|t| format!("{} ({})", num(t.value, 6), pc_vs(t.met.p, s.probability)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

/// The answer `v` and its trial `at`: the target's chance there, each constraint's, the
/// neighbour that falls short and on what, and the other targets.
fn answer_text(job: &Job, s: &Solution, lever: &str, v: f64, at: &Trial) -> String {
    if s.at_range_end && s.subject_to.is_empty() && !s.minimise_cost {
        return met_throughout_text(job, s, lever, at);
    }
    let mut out = format!(
        "{} {} is {}: target `{}` is met by {} with probability {} (asked for at least {}); mean total cost {}.\n",
        if s.minimise_cost {
            "Cheapest value of"
        } else if s.falling {
            "Largest value of"
        } else {
            "Smallest value of"
        },
        lever,
        num(v, 6),
        s.target,
        deadline_of(job, &s.target),
        chance(&at.met, s.probability, s.replications),
        pc_asked(s.probability),
        money(at.cost.mean)
    );
    if s.falling {
        out.push_str(
            "The chance of meeting the target falls as this value rises (it is met at the start of the range and not at its end), so the answer is the largest value that meets it.\n",
        );
    }
    if s.at_range_end {
        out.push_str(&format!(
            "{} is at the end of the range, and values beyond it were not tried: one could {}. Widen the range to see.\n",
            num(v, 6),
            if s.minimise_cost {
                "meet everything asked at a lower cost"
            } else {
                "meet everything asked too"
            }
        ));
    }
    if !s.subject_to.is_empty() {
        let held: Vec<String> = s
            .subject_to
            .iter()
            .zip(&at.constraints)
            .map(|(c, a)| {
                format!(
                    "`{}` {} by {} (asked for at least {})",
                    c.target,
                    chance(&a.met, c.probability, s.replications),
                    deadline_of(job, &c.target),
                    pc_asked(c.probability)
                )
            })
            .collect();
        out.push_str(&format!(
            "Every constraint holds at {}: {}.\n",
            num(v, 6),
            held.join("; ")
        ));
    }
    match &s.neighbour {
        Some(b) if !s.subject_to.is_empty() => {
            let mut short = Vec::new();
            if b.met.p < s.probability {
                short.push((s.target.as_str(), b.met, s.probability));
            }
            for (c, m) in unmet(s, b) {
                short.push((c.target.as_str(), m, c.probability));
            }
            let short: Vec<String> = short
                .iter()
                .map(|(name, m, asked)| {
                    format!(
                        "`{name}` {}, short of {}",
                        chance(m, *asked, s.replications),
                        pc_asked(*asked)
                    )
                })
                .collect();
            out.push_str(&format!("At {}: {}.\n", num(b.value, 6), short.join("; ")));
        }
        Some(b) => out.push_str(&format!(
            "At {} the probability is {}, short of {}.\n",
            num(b.value, 6),
            chance(&b.met, s.probability, s.replications),
            pc_asked(s.probability)
        )),
        None => {}
    }
    // The scenario's other targets, the constraints already said.
    let others: Vec<String> = at
        .others
        .iter()
        .filter(|o| !s.subject_to.iter().any(|c| c.target == o.target))
        .map(|o| {
            format!(
                "`{}` {} by {}{}",
                o.target,
                chance(&o.met, s.probability, s.replications),
                deadline_of(job, &o.target),
                if o.met.p < s.probability {
                    format!(" (below {})", pc_asked(s.probability))
                } else {
                    String::new()
                }
            )
        })
        .collect();
    if !others.is_empty() {
        out.push_str(&format!(
            "The other targets at {}: {}.\n",
            num(v, 6),
            others.join("; ")
        ));
    }
    out
}

/// Both ends of the range meet the target, so where it stops being met lies beyond the range: no
/// smallest (or largest) value can be named from it.
fn met_throughout_text(job: &Job, s: &Solution, lever: &str, at: &Trial) -> String {
    let top = s
        .trials
        .iter()
        .find(|t| t.value == job.vary.to)
        .unwrap_or(at);
    let (from, to) = (num(job.vary.from, 6), num(job.vary.to, 6));
    let mut out = format!(
        "Met at both ends of the range: target `{}` is met by {} with probability at least {} at {from} ({}; mean total cost {}) and at {to} ({}), the two values tried. Where the target stops being met lies outside {from} to {to}: the smallest value of {lever} that meets it is {from} or below, or if the chance falls as the value rises, the largest is {to} or above. Widen the range to find it.\n",
        s.target,
        deadline_of(job, &s.target),
        pc_asked(s.probability),
        chance(&at.met, s.probability, s.replications),
        money(at.cost.mean),
        chance(&top.met, s.probability, s.replications),
    );
    out.push_str(&declined_text(at));
    out
}

/// No value meets the target and every constraint, and `b` is the first value that meets the
/// target: which constraints bind there, and the best reachable with every constraint met (or,
/// when no value meets them all, how near each comes).
fn binding_text(job: &Job, s: &Solution, lever: &str, b: &Trial) -> String {
    let (from, to) = (num(job.vary.from, 6), num(job.vary.to, 6));
    let asked: Vec<String> = s
        .subject_to
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "`{}`{} by {} with {}",
                c.target,
                if i == 0 { " is met" } else { "" },
                deadline_of(job, &c.target),
                pc_asked(c.probability)
            )
        })
        .collect();
    let mut out = format!(
        "Not attainable with these constraints: no value of {lever} from {from} to {to} meets target `{}` by {} with probability {} while {} (every value was tried).\n",
        s.target,
        deadline_of(job, &s.target),
        pc_asked(s.probability),
        and_list(&asked)
    );
    let binds: Vec<String> = unmet(s, b)
        .iter()
        .map(|(c, m)| {
            format!(
                "`{}` is met with only {} (needs {})",
                c.target,
                chance(m, c.probability, s.replications),
                pc_asked(c.probability)
            )
        })
        .collect();
    out.push_str(&format!(
        "At {}, the {} value that meets `{}` with {}, {}.\n",
        num(b.value, 6),
        if s.minimise_cost {
            "cheapest"
        } else if s.falling {
            "largest"
        } else {
            "smallest"
        },
        s.target,
        pc_asked(s.probability),
        and_list(&binds)
    ));
    out.push_str(&best_constrained(s, &from, &to));
    out
}

/// The best reachable with every constraint met, or, when no value meets them all, how near
/// each comes.
fn best_constrained(s: &Solution, from: &str, to: &str) -> String {
    if let Some(best) = &s.best_with_constraints {
        return format!(
            "The best reachable with every constraint met is {}, where `{}` is met in {} (mean total cost {}).\n",
            num(best.value, 6),
            s.target,
            chance(&best.met, s.probability, s.replications),
            money(best.cost.mean)
        );
    }
    // Each constraint that no value meets, with the most it reaches and where.
    let never: Vec<String> = s
        .subject_to
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let top = s.trials.iter().max_by(|a, b| {
                a.constraints[i]
                    .met
                    .p
                    .total_cmp(&b.constraints[i].met.p)
                    .then(b.value.total_cmp(&a.value))
            })?;
            let most = top.constraints[i].met.p;
            (most < c.probability).then(|| {
                format!(
                    "`{}` is met in at most {} (at {}; needs {})",
                    c.target,
                    pc_vs(most, c.probability),
                    num(top.value, 6),
                    pc_asked(c.probability)
                )
            })
        })
        .collect();
    format!(
        "No value from {from} to {to} meets every constraint{}.\n",
        if never.is_empty() {
            " at once".to_string()
        } else {
            format!(": {}", and_list(&never))
        }
    )
}

/// A target's deadline, as the scenario states it.
fn deadline_of(job: &Job, name: &str) -> String {
    job.scenario
        .targets
        .iter()
        .find(|t| t.name == name)
        .map(|t| t.by.to_string())
        .unwrap_or_default()
}

/// A chance with its Monte Carlo standard error, against what is asked of it, from `n`
/// replications: `84% ± 0.6 points`. Met in every replication or in none, its standard error is
/// 0, so the 95% bound is given instead: `100%, all 200 replications, so at least 98.5% with
/// 95% confidence`.
fn chance(m: &Probability, asked: f64, n: u32) -> String {
    let shown = pc_vs(m.p, asked);
    let n_words = crate::model::format::grouped(u64::from(n));
    match crate::output::chance::bound(m, n) {
        Some((true, b)) => {
            format!("{shown}, all {n_words} replications, so at least {b} with 95% confidence")
        }
        Some((false, b)) => {
            format!("{shown}, none of {n_words} replications, so at most {b} with 95% confidence")
        }
        None => format!("{shown} ± {:.1} points", 100.0 * m.se),
    }
}

/// The constraints a trial falls short on, with its chance of each.
fn unmet<'a>(s: &'a Solution, t: &Trial) -> Vec<(&'a Constraint, Probability)> {
    s.subject_to
        .iter()
        .zip(&t.constraints)
        .filter(|(c, a)| a.met.p < c.probability)
        .map(|(c, a)| (c, a.met))
        .collect()
}

/// A probability asked for, in percent with the decimals it is given to (at most 2): `70%`,
/// `99.5%`.
fn pc_asked(x: f64) -> String {
    let s = format!("{:.2}", 100.0 * x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

/// A chance set against the probability asked of it, in percent to the fewest decimals (up to 3)
/// that keep it on its side and show 0% and 100% only when it is: `59.6%` short of 60%, not
/// `60%`; `99.8%`, not `100%`.
fn pc_vs(p: f64, asked: f64) -> String {
    if p.is_nan() {
        return "-".into();
    }
    let line: f64 = pc_asked(asked)
        .trim_end_matches('%')
        .parse()
        .unwrap_or(100.0 * asked);
    for d in 0..3 {
        let shown = format!("{:.d$}", 100.0 * p);
        let x: f64 = shown.parse().unwrap_or(f64::NAN);
        let ends = (x == 0.0 && p != 0.0) || (x == 100.0 && p != 1.0);
        if (x < line) == (p < asked) && !ends {
            return format!("{shown}%");
        }
    }
    format!("{:.3}%", 100.0 * p)
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// With constraints: every value tried, in increasing order, with the chance of the target and of
/// each constraint (headed with what is asked), and what it falls short of (nothing for a value
/// that meets them all).
fn tried_table(s: &Solution) -> String {
    let mut head = vec![
        "value".to_string(),
        format!("P({}) ≥ {}", s.target, pc_asked(s.probability)),
    ];
    head.extend(
        s.subject_to
            .iter()
            .map(|c| format!("P({}) ≥ {}", c.target, pc_asked(c.probability))),
    );
    head.push("short of".into());
    let mut rows = vec![head];
    for t in tried(s) {
        let mut row = vec![num(t.value, 6), pc_vs(t.met.p, s.probability)];
        row.extend(
            s.subject_to
                .iter()
                .zip(&t.constraints)
                .map(|(c, a)| pc_vs(a.met.p, c.probability)),
        );
        let mut short: Vec<&str> = Vec::new();
        if t.met.p < s.probability {
            short.push(&s.target);
        }
        for (c, a) in s.subject_to.iter().zip(&t.constraints) {
            if a.met.p < c.probability {
                short.push(&c.target);
            }
        }
        if Some(t.value) == s.value {
            short.push("nothing (the answer)");
        }
        row.push(short.join(", "));
        rows.push(row);
    }
    format!(
        "Values tried ({} replications each):\n{}",
        s.replications,
        layout(&rows)
    )
}

/// A search's files are made from the job and its solution.
pub struct SolveRun<'a> {
    pub job: &'a Job<'a>,
    pub solution: &'a Solution,
}

/// The values tried, in increasing order.
fn tried(s: &Solution) -> Vec<Trial> {
    let mut tried = s.trials.clone();
    tried.sort_by(|a, b| a.value.total_cmp(&b.value));
    tried
}

/// `solve.csv`: every value tried; with constraints, each constraint's chance in two more columns,
/// `prob_met:NAME` and `prob_met_se:NAME`, in the order given.
pub struct SolveCsv;

impl Exporter<SolveRun<'_>> for SolveCsv {
    fn files(&self, d: &SolveRun) -> Result<Vec<OutFile>, OutputError> {
        let s = d.solution;
        let mut head: Vec<String> = [
            "value",
            "prob_met",
            "prob_met_se",
            "cost_mean",
            "cost_p05",
            "cost_p95",
        ]
        .map(String::from)
        .to_vec();
        for c in &s.subject_to {
            head.push(format!("prob_met:{}", c.target));
            head.push(format!("prob_met_se:{}", c.target));
        }
        let head: Vec<&str> = head.iter().map(String::as_str).collect();
        csv_file(
            "solve.csv",
            &head,
            tried(s)
                .iter()
                .map(|t| {
                    let mut row = vec![
                        num(t.value, 9),
                        num(t.met.p, 6),
                        num(t.met.se, 6),
                        num(t.cost.mean, 2),
                        num(t.cost.p05, 2),
                        num(t.cost.p95, 2),
                    ];
                    for a in &t.constraints {
                        row.push(num(a.met.p, 6));
                        row.push(num(a.met.se, 6));
                    }
                    row
                })
                .collect(),
        )
    }
}

/// `solve.json`: the provenance, the answer, its neighbour and every value tried.
pub struct SolveJson;

impl Exporter<SolveRun<'_>> for SolveJson {
    fn files(&self, d: &SolveRun) -> Result<Vec<OutFile>, OutputError> {
        let s = d.solution;
        let mut summary = provenance(d.job);
        summary["notes"] = json!(notes(d.job));
        summary["target"] = json!(s.target);
        summary["probability"] = json!(s.probability);
        summary["minimise_cost"] = json!(s.minimise_cost);
        summary["subject_to"] = json!(s.subject_to);
        summary["attainable"] = json!(s.value.is_some());
        summary["value"] = json!(s.value);
        summary["at"] = json!(s.at);
        summary["falling"] = json!(s.falling);
        summary["at_range_end"] = json!(s.at_range_end);
        summary["below"] = json!(s.neighbour.as_ref().filter(|_| !s.falling));
        summary["above"] = json!(s.neighbour.as_ref().filter(|_| s.falling));
        summary["best"] = json!(s.best);
        // Where a constraint binds, with the constraints not met there.
        summary["binding"] = json!(s.binding);
        if let Some(b) = &s.binding {
            summary["binding"]["unmet"] = json!(
                s.subject_to
                    .iter()
                    .zip(&b.constraints)
                    .filter(|(c, a)| a.met.p < c.probability)
                    .map(|(c, _)| &c.target)
                    .collect::<Vec<_>>()
            );
        }
        summary["best_with_constraints"] = json!(s.best_with_constraints);
        summary["within_monte_carlo_error"] = json!(s.within_error);
        summary["uncertain_values"] = json!(s.uncertain);
        summary["replications_per_value"] = json!(s.replications);
        summary["trials"] = json!(s.trials);
        summary["text"] = json!(solve_text(d.job, s));
        json_file("solve.json", &summary)
    }
}

/// `solve.svg` and `solve.png`: the chance of meeting the target at each value tried.
pub struct SolveChart;

impl Exporter<SolveRun<'_>> for SolveChart {
    fn files(&self, d: &SolveRun) -> Result<Vec<OutFile>, OutputError> {
        let s = d.solution;
        let tried = tried(s);
        // A chance's line with its 95% band.
        let line = |name: &str, m: &dyn Fn(&Trial) -> Probability| -> XyLine {
            (
                name.to_string(),
                tried
                    .iter()
                    .map(|t| {
                        let m = m(t);
                        (
                            t.value,
                            m.p,
                            (m.p - 2.0 * m.se).max(0.0),
                            (m.p + 2.0 * m.se).min(1.0),
                        )
                    })
                    .collect(),
            )
        };
        let mut panels = vec![XyPanel {
            title: format!("Values tried ({})", d.job.option.unwrap_or("baseline")),
            scale: Scale::Percent,
            y_range: Some((0.0, 1.0)),
            lines: vec![line(&s.target, &|t| t.met)],
            level: Some((
                format!("asked for {}", pc_asked(s.probability)),
                s.probability,
            )),
        }];
        // One panel a constraint, with what is asked of it.
        for (i, c) in s.subject_to.iter().enumerate() {
            panels.push(XyPanel {
                title: format!("Subject to {}", c.target),
                scale: Scale::Percent,
                y_range: Some((0.0, 1.0)),
                lines: vec![line(&c.target, &|t| t.constraints[i].met)],
                level: Some((
                    format!("asked for {}", pc_asked(c.probability)),
                    c.probability,
                )),
            });
        }
        let chart = Chart::Xy {
            title: format!(
                "Chance of meeting {} against {}",
                s.target,
                crate::scenario::keypath::in_words(&s.path)
            ),
            x_label: crate::scenario::keypath::for_reader(&s.path),
            panels,
        };
        chart_files("solve", &chart)
    }
}

/// Writes `solve.csv` (every value tried), `solve.json`, `solve.svg` and `solve.png`.
pub fn write_solve(dir: &Path, job: &Job, s: &Solution) -> Result<Vec<PathBuf>, OutputError> {
    let run = SolveRun { job, solution: s };
    let files = render(&run, &[&SolveCsv, &SolveJson, &SolveChart])?;
    Ok(publish(dir, &files)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chance_is_shown_on_its_side_of_what_is_asked() {
        assert_eq!(pc_asked(0.7), "70%");
        assert_eq!(pc_asked(0.995), "99.5%");
        assert_eq!(pc_asked(0.125), "12.5%");
        // Whole percentages where they do not mislead.
        assert_eq!(pc_vs(0.69, 0.7), "69%");
        assert_eq!(pc_vs(0.7, 0.7), "70%");
        assert_eq!(pc_vs(0.7180, 0.7), "72%");
        // Short of what is asked, never shown as reaching it.
        assert_eq!(pc_vs(0.5962, 0.6), "59.6%");
        assert_eq!(pc_vs(0.6999, 0.7), "69.99%");
        assert_eq!(pc_vs(0.993, 0.995), "99%");
        assert_eq!(pc_vs(0.9951, 0.995), "99.5%");
        // 100% and 0% only when every or no replication meets it.
        assert_eq!(pc_vs(0.9986, 0.9), "99.9%");
        assert_eq!(pc_vs(1.0, 0.9), "100%");
        assert_eq!(pc_vs(0.001, 0.5), "0.1%");
        assert_eq!(pc_vs(0.0, 0.5), "0%");
    }

    #[test]
    fn lists_read_as_sentences() {
        let l = |items: &[&str]| and_list(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(l(&["a"]), "a");
        assert_eq!(l(&["a", "b"]), "a and b");
        assert_eq!(l(&["a", "b", "c"]), "a, b and c");
    }
}
