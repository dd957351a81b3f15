//! `wfsim sweep`'s files (`sweep.csv`, `sweep.json`, the chart) and its terminal table.

use crate::scenario::keypath::{for_reader, in_words};
use std::path::{Path, PathBuf};

use serde_json::json;

use super::{Job, chart_files, csv_file, json_file, notes, provenance};
use crate::decide::sweep::{Point, Row};
use crate::model::cost::Component;
use crate::model::format::{money_range, num, pc, pct};
use crate::model::metric::Metric;
use crate::output::charts::draw::{Chart, Scale, XyPanel, y_range_fitted};
use crate::output::table::layout;
use crate::output::{Exporter, OutFile, OutputError, publish, render};

/// The sweep chart: chance of each target, total cost with its 90% range, and the change in total
/// cost from the first value (paired by replication, so its range is the value's own effect's;
/// left out when no value changes the cost), against the value.
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
    // The change from the first value, where some value changes the cost.
    let changes = points
        .iter()
        .filter_map(|p| p.cost_diff)
        .any(|d| d.p05 != 0.0 || d.p95 != 0.0);
    if let (Some(first), true) = (points.first(), changes) {
        let from = format!("{} {}", in_words(&job.vary.path), num(first.value, 6));
        let diffs: Vec<(f64, f64, f64, f64)> = points
            .iter()
            .map(|p| match p.cost_diff {
                Some(d) => (p.value, d.mean, d.p05, d.p95),
                None => (p.value, 0.0, 0.0, 0.0),
            })
            .collect();
        panels.push(XyPanel {
            title: format!(
                "Change in total cost from {from}, replication by replication (mean and 90% range; below £0 saves)"
            ),
            scale: Scale::Pounds,
            y_range: Some(y_range_fitted(
                diffs.iter().flat_map(|c| [c.1, c.2, c.3]),
                Scale::Pounds,
            )),
            lines: vec![(format!("change in total cost from {from}"), diffs)],
            level: Some(("no change".into(), 0.0)),
        });
    }
    Chart::Xy {
        title: format!(
            "Sweep of {} ({})",
            in_words(&job.vary.path),
            job.option.unwrap_or("baseline")
        ),
        x_label: for_reader(&job.vary.path),
        panels,
    }
}

/// The terminal table of a sweep.
pub fn sweep_table(job: &Job, points: &[Point]) -> String {
    let Some(first) = points.first() else {
        return String::new();
    };
    let r0 = &first.results;
    // The agency share where the targets' chances are measured: at each deadline, labelled.
    let months = crate::output::table::headline_months(r0);
    let mut head = vec![for_reader(&job.vary.path)];
    head.extend(r0.targets.iter().enumerate().map(|(ti, t)| {
        format!(
            "P({}) at deadline ({})",
            t.name,
            crate::output::chance::months_words(r0, ti)
        )
    }));
    for (_, when) in &months {
        head.push(format!("agency share {when}, median (90% range)"));
    }
    head.push("total cost, mean (90% range)".into());
    head.push(format!(
        "change in cost from {}, mean (90% range)",
        num(first.value, 6)
    ));
    let mut rows = vec![head];
    let mut swings = false;
    for p in points {
        let r = &p.results;
        let v = &r.variants[0];
        let mut row = vec![num(p.value, 6)];
        row.extend(v.targets.iter().enumerate().map(|(ti, t)| {
            let c = crate::output::chance::Chance::of(r, t, ti);
            swings |= c.swings();
            format!("{} ({})", pc(t.met.p), pc(c.year))
        }));
        for &(m, _) in &months {
            let s = v.trajectories[Metric::AgencyShare.index()][m].expect("defined");
            row.push(format!("{} ({}-{})", pct(s.p50), pct(s.p05), pct(s.p95)));
        }
        let c = v.costs[r.financial_years.len()][Component::Total];
        row.push(money_range(c.mean, c.p05, c.p95));
        row.push(match p.cost_diff {
            Some(d) => money_range(d.mean, d.p05, d.p95),
            None => "(reference)".into(),
        });
        rows.push(row);
    }
    let mut out = layout(&rows);
    if swings {
        out.push_str(&format!(
            "\nAt some values a target's chance at its deadline and over the months to it (in brackets) differ by more than {} points: it swings with the season, so quote both.\n",
            (crate::output::chance::SWING * 100.0).round()
        ));
    }
    out
}

/// A sweep's files are made from the job and its points.
pub struct SweepRun<'a> {
    pub job: &'a Job<'a>,
    pub points: &'a [Point],
}

/// `sweep.csv`: every measure at every value.
pub struct SweepCsv;

/// The sweep's rows ([`crate::decide::sweep::rows`]) with, after each target's, its chance over
/// the months to its deadline, as the terminal table gives it in brackets: `target_window:NAME`,
/// whose `prob_met` is the mean of the monthly chances over the 12 months to the deadline (fewer
/// when it comes sooner), as `summary.json`'s `probability_met_12_months`; it has no values and
/// no standard error of its own (at most 0.5 / sqrt(replications), as for any chance).
fn rows_with_windows(points: &[Point]) -> Vec<Row> {
    let none = crate::stats::Summary {
        n: 0,
        mean: f64::NAN,
        sd: f64::NAN,
        se: f64::NAN,
        p05: f64::NAN,
        p25: f64::NAN,
        p50: f64::NAN,
        p75: f64::NAN,
        p95: f64::NAN,
    };
    let mut out = Vec::new();
    for p in points {
        let r = &p.results;
        let targets = &r.variants[0].targets;
        for row in crate::decide::sweep::rows(std::slice::from_ref(p)) {
            let ti = row
                .measure
                .strip_prefix("target:")
                .and_then(|name| targets.iter().position(|t| t.name == name));
            out.push(row);
            if let Some(ti) = ti {
                let c = crate::output::chance::Chance::of(r, &targets[ti], ti);
                out.push(Row {
                    value: p.value,
                    measure: format!("target_window:{}", targets[ti].name),
                    summary: none,
                    // To the 6 decimals sweep.csv gives (0.975, not 0.9750000000000001).
                    met: Some(crate::stats::Probability {
                        p: (c.year * 1e6).round() / 1e6,
                        se: f64::NAN,
                    }),
                    decimals: 4,
                });
            }
        }
    }
    out
}

impl Exporter<SweepRun<'_>> for SweepCsv {
    fn files(&self, d: &SweepRun) -> Result<Vec<OutFile>, OutputError> {
        let rows = rows_with_windows(d.points)
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
        let rows: Vec<Row> = rows_with_windows(d.points);
        let mut summary = provenance(d.job);
        summary["notes"] = json!(notes(d.job));
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
