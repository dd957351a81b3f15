//! Outputs of `wfsim sweep`, `wfsim solve` and `wfsim sensitivity`: CSV with fixed headers, a JSON
//! summary, a chart in SVG and PNG, and the terminal text. Each file has its [`Exporter`], and a
//! command's files are made in memory and written as one set, as for `wfsim run`.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::table::layout;
use std::io::Write as _;

use super::provenance::Provenance;
use super::{Exporter, OutFile, OutputError, one_file, publish, render};
use crate::decide::sensitivity::{Outcomes, Sensitivity};
use crate::decide::solve::Solution;
use crate::decide::sweep::{Point, Row};
use crate::decide::vary::{self, Vary};
use crate::model::cost::Component;
use crate::model::format::{money, money_range, num, pc, pct};
use crate::model::metric::Metric;
use crate::output::charts::draw::{Chart, Scale, TornadoPanel, XyPanel, y_range_fitted};
use crate::scenario::Scenario;
use crate::sim::run::Settings;
use crate::stats::Probability;

/// What was varied, in which scenario, with which settings: for text and provenance.
pub struct Job<'a> {
    pub vary: &'a Vary,
    pub option: Option<&'a str>,
    pub scenario: &'a Scenario,
    pub cfg: &'a Settings,
}

/// The provenance of a sweep or search, with the input varied and the option run.
fn provenance(job: &Job) -> Value {
    let mut v = Provenance::of_scenario(job.scenario, job.cfg).object();
    v.insert("path".into(), json!(job.vary.path));
    v.insert("option".into(), json!(job.option.unwrap_or("baseline")));
    Value::Object(v)
}

/// A CSV file with a header row.
fn csv_file(
    name: &str,
    head: &[&str],
    rows: Vec<Vec<String>>,
) -> Result<Vec<OutFile>, OutputError> {
    one_file(name, |w| {
        let mut c = super::csv::CsvFile::new(w);
        c.row(head)?;
        for r in rows {
            c.row(&r)?;
        }
        c.finish()
    })
}

/// A JSON file, pretty-printed.
fn json_file(name: &str, v: &Value) -> Result<Vec<OutFile>, OutputError> {
    one_file(name, |w| {
        serde_json::to_writer_pretty(&mut *w, v).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    })
}

/// A chart as `<stem>.svg` and `<stem>.png`.
fn chart_files(stem: &str, chart: &Chart) -> Result<Vec<OutFile>, OutputError> {
    Ok(vec![
        OutFile {
            path: PathBuf::from(format!("{stem}.svg")),
            bytes: chart.svg()?.into_bytes(),
        },
        OutFile {
            path: PathBuf::from(format!("{stem}.png")),
            bytes: chart.png()?,
        },
    ])
}

/// The sweep chart: chance of each target, and total cost with its 90% range, against the value.
pub fn sweep_chart(job: &Job, points: &[Point]) -> Chart {
    let targets = points
        .first()
        .map(|p| p.results.variants[0].targets.len())
        .unwrap_or(0);
    let mut panels = Vec::new();
    if targets > 0 {
        panels.push(XyPanel {
            title: "Chance of meeting each target at its deadline".into(),
            scale: Scale::Percent,
            y_range: Some((0.0, 1.0)),
            lines: (0..targets)
                .map(|ti| {
                    (
                        points[0].results.variants[0].targets[ti].name.clone(),
                        points
                            .iter()
                            .map(|p| {
                                let t = &p.results.variants[0].targets[ti];
                                (p.value, t.met.p, f64::NAN, f64::NAN)
                            })
                            .collect(),
                    )
                })
                .collect(),
            level: None,
        });
    }
    let costs: Vec<(f64, f64, f64, f64)> = points
        .iter()
        .map(|p| {
            let r = &p.results;
            let c = r.variants[0].costs[r.financial_years.len()][Component::Total];
            (p.value, c.mean, c.p05, c.p95)
        })
        .collect();
    panels.push(XyPanel {
        title: "Total cost over the horizon (mean and 90% range)".into(),
        scale: Scale::Pounds,
        // Fitted to the costs, not from £0, so that the differences between values show.
        y_range: Some(y_range_fitted(
            costs.iter().flat_map(|c| [c.1, c.2, c.3]),
            Scale::Pounds,
        )),
        lines: vec![("total cost".into(), costs)],
        level: None,
    });
    Chart::Xy {
        title: format!(
            "Sweep of {} ({})",
            job.vary.path,
            job.option.unwrap_or("baseline")
        ),
        x_label: job.vary.path.clone(),
        panels,
    }
}

/// The terminal table of a sweep.
pub fn sweep_table(points: &[Point]) -> String {
    let Some(first) = points.first() else {
        return String::new();
    };
    let r0 = &first.results;
    // The agency share where the targets' chances are measured: at each deadline, labelled.
    let months = crate::output::table::headline_months(r0);
    let mut head = vec!["value".to_string()];
    head.extend(
        r0.variants[0]
            .targets
            .iter()
            .map(|t| format!("P({})", t.name)),
    );
    for (_, when) in &months {
        head.push(format!("agency share {when} (90% range)"));
    }
    head.push("total cost (90% range)".into());
    let mut rows = vec![head];
    for p in points {
        let r = &p.results;
        let v = &r.variants[0];
        let mut row = vec![num(p.value, 6)];
        row.extend(v.targets.iter().map(|t| pc(t.met.p)));
        for &(m, _) in &months {
            let s = v.trajectories[Metric::AgencyShare.index()][m].expect("defined");
            row.push(format!("{} ({}-{})", pct(s.p50), pct(s.p05), pct(s.p95)));
        }
        let c = v.costs[r.financial_years.len()][Component::Total];
        row.push(money_range(c.mean, c.p05, c.p95));
        rows.push(row);
    }
    layout(&rows)
}

/// A sweep's files are made from the job and its points.
pub struct SweepRun<'a> {
    pub job: &'a Job<'a>,
    pub points: &'a [Point],
}

/// `sweep.csv`: every measure at every value.
pub struct SweepCsv;

impl Exporter<SweepRun<'_>> for SweepCsv {
    fn files(&self, d: &SweepRun) -> Result<Vec<OutFile>, OutputError> {
        let rows = crate::decide::sweep::rows(d.points)
            .iter()
            .map(|r| {
                let dp = r.decimals;
                vec![
                    num(r.value, 9),
                    r.measure.clone(),
                    num(r.summary.mean, dp),
                    num(r.summary.p05, dp),
                    num(r.summary.p50, dp),
                    num(r.summary.p95, dp),
                    r.met.map_or(String::new(), |m| num(m.p, 6)),
                    r.met.map_or(String::new(), |m| num(m.se, 6)),
                ]
            })
            .collect();
        csv_file(
            "sweep.csv",
            &[
                "value",
                "measure",
                "mean",
                "p05",
                "p50",
                "p95",
                "prob_met",
                "prob_met_se",
            ],
            rows,
        )
    }
}

/// `sweep.json`: the provenance, the values and every measure.
pub struct SweepJson;

impl Exporter<SweepRun<'_>> for SweepJson {
    fn files(&self, d: &SweepRun) -> Result<Vec<OutFile>, OutputError> {
        let rows: Vec<Row> = crate::decide::sweep::rows(d.points);
        let mut summary = provenance(d.job);
        summary["notes"] = json!(vary::notes(d.job.vary));
        summary["values"] = json!(d.points.iter().map(|p| p.value).collect::<Vec<_>>());
        summary["rows"] = json!(rows);
        json_file("sweep.json", &summary)
    }
}

/// `sweep.svg` and `sweep.png`: [`sweep_chart`].
pub struct SweepChart;

impl Exporter<SweepRun<'_>> for SweepChart {
    fn files(&self, d: &SweepRun) -> Result<Vec<OutFile>, OutputError> {
        chart_files("sweep", &sweep_chart(d.job, d.points))
    }
}

/// Writes `sweep.csv`, `sweep.json`, `sweep.svg` and `sweep.png`.
pub fn write_sweep(dir: &Path, job: &Job, points: &[Point]) -> Result<Vec<PathBuf>, OutputError> {
    let run = SweepRun { job, points };
    let files = render(&run, &[&SweepCsv, &SweepJson, &SweepChart])?;
    Ok(publish(dir, &files)?)
}

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

/// How many inputs each tornado panel shows.
pub const TORNADO_BARS: usize = 15;

/// The longest bar label that fits the tornado's label area at its font size.
const LABEL_CHARS: usize = 84;

/// An input's tornado label: its name in words, with the key path beside for finding it in the
/// file. The path is kept whole; a name that would not fit drops the option's name (the chart's
/// title gives it), then is cut short with an ellipsis.
fn bar_label(path: &str, option: &str) -> String {
    let mut words = crate::scenario::keypath::in_words(path);
    let room = LABEL_CHARS.saturating_sub(path.chars().count() + 4);
    if words.chars().count() > room
        && let Some(rest) = words.strip_prefix(&format!("{option}: "))
    {
        words = rest.to_string();
    }
    if words.chars().count() > room {
        words = words
            .chars()
            .take(room.saturating_sub(1))
            .collect::<String>()
            + "…";
    }
    format!("{words}  [{path}]")
}

/// The tornado chart: one panel per outcome, each sorted by its own swing.
pub fn tornado(sens: &Sensitivity, s: &Scenario) -> Chart {
    let deadline = s.date(sens.month);
    let mut panels = Vec::new();
    let mut panel = |title: String, scale: Scale, base: f64, pick: fn(&Outcomes) -> f64| {
        if !base.is_finite() {
            return;
        }
        let mut bars: Vec<(String, f64, f64)> = sens
            .swings
            .iter()
            .map(|w| {
                let name = bar_label(&w.input.path, &sens.option);
                (name, pick(&w.at_low), pick(&w.at_high))
            })
            .collect();
        bars.sort_by(|a, b| (b.2 - b.1).abs().total_cmp(&(a.2 - a.1).abs()));
        bars.truncate(TORNADO_BARS);
        panels.push(TornadoPanel {
            title,
            scale,
            base,
            bars,
        });
    };
    // For an option, each outcome is its difference from the baseline.
    let (versus, share) = if sens.difference {
        (", option minus baseline", Scale::Points)
    } else {
        ("", Scale::Percent)
    };
    panel(
        format!("Agency share, {deadline}{versus} (mean)"),
        share,
        sens.base.agency_share,
        |o| o.agency_share,
    );
    if let Some(t) = &sens.target {
        panel(
            format!("Chance of meeting {t}{versus}"),
            share,
            sens.base.p_target,
            |o| o.p_target,
        );
    }
    panel(
        format!("Total cost over the horizon{versus} (mean)"),
        Scale::Pounds,
        sens.base.cost,
        |o| o.cost,
    );
    let what = if sens.difference {
        format!("What the effect of {} hangs on", sens.option)
    } else {
        format!("What the results hang on ({})", sens.option)
    };
    Chart::Tornado {
        title: what,
        panels,
    }
}

/// Swings the terminal table shows; `sensitivity.csv` has them all.
const TABLE_SWINGS: usize = 20;

/// The terminal table: inputs by the size of their swing in agency share, the largest
/// `TABLE_SWINGS`, with a line saying so when there are more.
pub fn sensitivity_table(sens: &Sensitivity, s: &Scenario) -> String {
    // Levels for the baseline; for an option, its differences from the baseline.
    type Format = fn(f64) -> String;
    let (versus, share, chance): (&str, Format, Format) = if sens.difference {
        (" vs baseline", points, points)
    } else {
        ("", pct, pc)
    };
    let cost = if sens.difference { signed_money } else { money };
    let mut head = vec![
        "input".to_string(),
        "low-high".to_string(),
        format!("agency share {}{versus}", s.date(sens.month)),
    ];
    if let Some(t) = &sens.target {
        head.push(format!("P({t}){versus}"));
    }
    head.push(format!("total cost{versus}"));
    let mut rows = vec![head];
    let mut base = vec![
        "(as stated)".to_string(),
        String::new(),
        share(sens.base.agency_share),
    ];
    if sens.target.is_some() {
        base.push(chance(sens.base.p_target));
    }
    base.push(cost(sens.base.cost));
    rows.push(base);
    for w in sens.swings.iter().take(TABLE_SWINGS) {
        let mut row = vec![
            w.input.path.clone(),
            format!("{} to {}", num(w.input.low, 4), num(w.input.high, 4)),
            format!(
                "{} to {}",
                share(w.at_low.agency_share),
                share(w.at_high.agency_share)
            ),
        ];
        if sens.target.is_some() {
            row.push(format!(
                "{} to {}",
                chance(w.at_low.p_target),
                chance(w.at_high.p_target)
            ));
        }
        row.push(format!(
            "{} to {}",
            cost(w.at_low.cost),
            cost(w.at_high.cost)
        ));
        rows.push(row);
    }
    let mut out = layout(&rows);
    if sens.difference {
        out.push_str(&format!(
            "(each outcome is option {} minus the baseline, on the same random numbers)\n",
            sens.option
        ));
    }
    if sens.swings.len() > TABLE_SWINGS {
        out.push_str(&format!(
            "(the {TABLE_SWINGS} of {} inputs that move the agency share most; all are in sensitivity.csv)\n",
            sens.swings.len()
        ));
    }
    out
}

/// A difference of shares in percentage points, `-2.5 pts`.
fn points(x: f64) -> String {
    if x.is_nan() {
        "-".into()
    } else {
        Scale::Points.label(x)
    }
}

/// A difference in pounds with its sign, `+£12k`, `-£3k`.
fn signed_money(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", money(x))
    } else {
        money(x)
    }
}

/// A sensitivity analysis's files are made from the scenario, its settings and the analysis.
pub struct SensitivityRun<'a> {
    pub scenario: &'a Scenario,
    pub cfg: &'a Settings,
    pub sens: &'a Sensitivity,
}

/// `sensitivity.csv`: each input's swing of each outcome.
pub struct SwingsCsv;

impl Exporter<SensitivityRun<'_>> for SwingsCsv {
    fn files(&self, d: &SensitivityRun) -> Result<Vec<OutFile>, OutputError> {
        let sens = d.sens;
        let mut rows = Vec::new();
        // For an option the outcomes are differences from the baseline, and are named so.
        let versus = if sens.difference { "_vs_baseline" } else { "" };
        for w in &sens.swings {
            for (name, pick, places) in [
                (
                    "agency_share",
                    (|o: &Outcomes| o.agency_share) as fn(&Outcomes) -> f64,
                    6,
                ),
                ("prob_target", |o: &Outcomes| o.p_target, 6),
                ("cost_total", |o: &Outcomes| o.cost, 2),
            ] {
                if !pick(&sens.base).is_finite() {
                    continue;
                }
                rows.push(vec![
                    w.input.path.clone(),
                    w.input.basis.clone(),
                    num(w.input.low, 9),
                    num(w.input.high, 9),
                    format!("{name}{versus}"),
                    num(pick(&sens.base), places),
                    num(pick(&w.at_low), places),
                    num(pick(&w.at_high), places),
                    num(pick(&w.at_high) - pick(&w.at_low), places),
                ]);
            }
        }
        csv_file(
            "sensitivity.csv",
            &[
                "input",
                "basis",
                "low",
                "high",
                "outcome",
                "as_stated",
                "at_low",
                "at_high",
                "swing",
            ],
            rows,
        )
    }
}

/// `correlations.csv`: each uncertain input's rank correlation with each outcome.
pub struct CorrelationsCsv;

impl Exporter<SensitivityRun<'_>> for CorrelationsCsv {
    fn files(&self, d: &SensitivityRun) -> Result<Vec<OutFile>, OutputError> {
        let sens = d.sens;
        let versus = if sens.difference { "_vs_baseline" } else { "" };
        let head: Vec<String> = ["agency_share", "met_target", "cost_total"]
            .iter()
            .map(|h| format!("{h}{versus}"))
            .collect();
        csv_file(
            "correlations.csv",
            &["input", &head[0], &head[1], &head[2]],
            sens.correlations
                .iter()
                .map(|c| {
                    vec![
                        c.path.clone(),
                        num(c.agency_share, 4),
                        num(c.met_target, 4),
                        num(c.cost, 4),
                    ]
                })
                .collect(),
        )
    }
}

/// `sensitivity.json`: the provenance, the outcomes as stated, every swing and correlation.
pub struct SensitivityJson;

impl Exporter<SensitivityRun<'_>> for SensitivityJson {
    fn files(&self, d: &SensitivityRun) -> Result<Vec<OutFile>, OutputError> {
        let (s, cfg, sens) = (d.scenario, d.cfg, d.sens);
        let mut summary = Value::Object(Provenance::of_scenario(s, cfg).object());
        summary["option"] = json!(sens.option);
        summary["outcomes"] = json!(if sens.difference {
            "option minus baseline, on the same random numbers"
        } else {
            "levels"
        });
        summary["target"] = json!(sens.target);
        summary["at"] = json!(s.date(sens.month).to_string());
        summary["as_stated"] = json!(sens.base);
        summary["swings"] = json!(sens.swings);
        summary["skipped"] = json!(
            sens.skipped
                .iter()
                .map(|(p, why)| json!({"input": p, "reason": why}))
                .collect::<Vec<_>>()
        );
        summary["rank_correlations"] = json!(sens.correlations);
        json_file("sensitivity.json", &summary)
    }
}

/// `tornado.svg` and `tornado.png`: [`tornado`].
pub struct TornadoChart;

impl Exporter<SensitivityRun<'_>> for TornadoChart {
    fn files(&self, d: &SensitivityRun) -> Result<Vec<OutFile>, OutputError> {
        chart_files("tornado", &tornado(d.sens, d.scenario))
    }
}

/// Writes `sensitivity.csv` (swings), `correlations.csv`, `sensitivity.json` and
/// `tornado.svg`/`.png`.
pub fn write_sensitivity(
    dir: &Path,
    s: &Scenario,
    cfg: &Settings,
    sens: &Sensitivity,
) -> Result<Vec<PathBuf>, OutputError> {
    let run = SensitivityRun {
        scenario: s,
        cfg,
        sens,
    };
    let files = render(
        &run,
        &[
            &SwingsCsv,
            &CorrelationsCsv,
            &SensitivityJson,
            &TornadoChart,
        ],
    )?;
    Ok(publish(dir, &files)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_labels_fit_and_keep_the_whole_path() {
        assert_eq!(
            bar_label("grades[Level 3].leaving[3]", "baseline"),
            "Level 3: leaving rate, service band 4  [grades[Level 3].leaving[3]]"
        );
        // Too long with the option's name, which the title gives: it is dropped.
        let path = "options[supplement-3k].premiums[0].leaving_effect";
        assert_eq!(
            bar_label(path, "supplement-3k"),
            format!("premium 1 effect on leaving  [{path}]")
        );
        // Still too long: the words are cut, never the path.
        let path = "options[a-very-long-option-name-indeed].premiums[0].leaving_effect";
        let label = bar_label(path, "baseline");
        assert!(label.ends_with(&format!("…  [{path}]")), "{label}");
        assert_eq!(label.chars().count(), LABEL_CHARS);
    }
}
