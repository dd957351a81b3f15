//! `wfsim solve`'s files (`solve.csv`, `solve.json`, the chart) and its terminal text.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::{Job, chart_files, csv_file, json_file, provenance};
use crate::decide::solve::Solution;
use crate::decide::vary;
use crate::model::format::{money, num, pc};
use crate::output::charts::draw::{Chart, Scale, XyPanel};
use crate::output::{Exporter, OutFile, OutputError, publish, render};
use crate::stats::Probability;

/// The terminal text of a search, in plain sentences.
pub fn solve_text(job: &Job, s: &Solution) -> String {
    let deadline_of = |name: &str| {
        job.scenario
            .targets
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.by.to_string())
            .unwrap_or_default()
    };
    let deadline = deadline_of(&s.target);
    let lever = format!("{} (option {})", s.path, job.option.unwrap_or("baseline"));
    let mut out = String::new();
    let p = pc;
    // A chance with its Monte Carlo standard error: "84% ± 0.6 points".
    let chance = |m: &Probability| format!("{} ± {:.1} points", p(m.p), 100.0 * m.se);
    match (s.value, &s.at) {
        (Some(v), Some(at)) => {
            out.push_str(&format!(
                "{} {} {}: target `{}` is met by {deadline} with probability {} (asked for at least {}); mean total cost {}.\n",
                if s.minimise_cost {
                    "Cheapest value of"
                } else if s.falling {
                    "Largest value of"
                } else {
                    "Smallest value of"
                },
                lever,
                format_args!("is {}", num(v, 6)),
                s.target,
                chance(&at.met),
                p(s.probability),
                money(at.cost.mean)
            ));
            if s.falling {
                out.push_str(
                    "The chance of meeting the target falls as this value rises (it is met at the start of the range and not at its end), so the answer is the largest value that meets it.\n",
                );
            }
            if let Some(b) = &s.neighbour {
                out.push_str(&format!(
                    "At {} the probability is {}, short of {}.\n",
                    num(b.value, 6),
                    chance(&b.met),
                    p(s.probability)
                ));
            }
            if !at.others.is_empty() {
                let others: Vec<String> = at
                    .others
                    .iter()
                    .map(|o| {
                        format!(
                            "`{}` {} by {}{}",
                            o.target,
                            chance(&o.met),
                            deadline_of(&o.target),
                            if o.met.p < s.probability {
                                format!(" (below {})", p(s.probability))
                            } else {
                                String::new()
                            }
                        )
                    })
                    .collect();
                out.push_str(&format!(
                    "The other targets at {}: {}.\n",
                    num(v, 6),
                    others.join("; ")
                ));
            }
            if s.replications > job.cfg.replications {
                out.push_str(&format!(
                    "The first search ended within Monte Carlo error of {}, so it was repeated with {} replications per value.\n",
                    p(s.probability),
                    s.replications
                ));
            }
            if s.within_error {
                out.push_str(&format!(
                    "This is still within Monte Carlo error of the threshold ({} replications): the answer could be a step either way.\n",
                    s.replications
                ));
            }
        }
        _ => {
            out.push_str(&format!(
                "Not attainable with this lever: no value of {lever} from {} to {} meets target `{}` by {deadline} with probability {} ({}). The best reached is {}, at {}.\n",
                num(job.vary.from, 6),
                num(job.vary.to, 6),
                s.target,
                p(s.probability),
                if s.minimise_cost {
                    "every value was tried"
                } else {
                    "neither end of the range does, and the chance is taken to move one way between them; `wfsim sweep` shows every value"
                },
                chance(&s.best.met),
                num(s.best.value, 6)
            ));
        }
    }
    out.push_str(&format!(
        "Values tried: {}.\n",
        s.trials
            .iter()
            .map(|t| format!("{} ({})", num(t.value, 6), p(t.met.p)))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out
}

/// A search's files are made from the job and its solution.
pub struct SolveRun<'a> {
    pub job: &'a Job<'a>,
    pub solution: &'a Solution,
}

/// The values tried, in increasing order.
fn tried(s: &Solution) -> Vec<crate::decide::solve::Trial> {
    let mut tried = s.trials.clone();
    tried.sort_by(|a, b| a.value.total_cmp(&b.value));
    tried
}

/// `solve.csv`: every value tried.
pub struct SolveCsv;

impl Exporter<SolveRun<'_>> for SolveCsv {
    fn files(&self, d: &SolveRun) -> Result<Vec<OutFile>, OutputError> {
        csv_file(
            "solve.csv",
            &[
                "value",
                "prob_met",
                "prob_met_se",
                "cost_mean",
                "cost_p05",
                "cost_p95",
            ],
            tried(d.solution)
                .iter()
                .map(|t| {
                    vec![
                        num(t.value, 9),
                        num(t.met.p, 6),
                        num(t.met.se, 6),
                        num(t.cost.mean, 2),
                        num(t.cost.p05, 2),
                        num(t.cost.p95, 2),
                    ]
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
        summary["notes"] = json!(vary::notes(d.job.vary));
        summary["target"] = json!(s.target);
        summary["probability"] = json!(s.probability);
        summary["minimise_cost"] = json!(s.minimise_cost);
        summary["attainable"] = json!(s.value.is_some());
        summary["value"] = json!(s.value);
        summary["at"] = json!(s.at);
        summary["falling"] = json!(s.falling);
        summary["below"] = json!(s.neighbour.as_ref().filter(|_| !s.falling));
        summary["above"] = json!(s.neighbour.as_ref().filter(|_| s.falling));
        summary["best"] = json!(s.best);
        summary["within_monte_carlo_error"] = json!(s.within_error);
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
        let chart = Chart::Xy {
            title: format!("Chance of meeting {} against {}", s.target, s.path),
            x_label: s.path.clone(),
            panels: vec![XyPanel {
                title: format!("Values tried ({})", d.job.option.unwrap_or("baseline")),
                scale: Scale::Percent,
                y_range: Some((0.0, 1.0)),
                lines: vec![(
                    s.target.clone(),
                    tried
                        .iter()
                        .map(|t| {
                            (
                                t.value,
                                t.met.p,
                                (t.met.p - 2.0 * t.met.se).max(0.0),
                                (t.met.p + 2.0 * t.met.se).min(1.0),
                            )
                        })
                        .collect(),
                )],
                level: Some((
                    format!("asked for {:.0}%", 100.0 * s.probability),
                    s.probability,
                )),
            }],
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
