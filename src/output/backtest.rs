//! The backtest's files: every case (`backtest.csv`), the scores with their definitions
//! (`backtest.md`, also what the terminal prints), the same as data (`backtest.json`), the scores
//! as a table (`scores.csv`), and the reliability chart (`reliability.svg`, `.png`).

use std::io::{self, Write};

use super::charts::draw::{Chart, Scale, XyLine, XyPanel};
use super::{Exporter, OutFile, OutputError, one_file};
use crate::census::backtest::{Backtest, Cell, LEVELS, Scored};
use crate::model::format::num;

/// The targets the backtest is held to: 90% ranges holding the published figure in 85% to 95%
/// of cases, 50% ranges in 40% to 60%, and a CRPS at least as good as no change.
pub const WITHIN_90: (f64, f64) = (0.85, 0.95);
pub const WITHIN_50: (f64, f64) = (0.40, 0.60);

/// A cell's figure in its unit: points for rates, FTE for FTE in post, cases per case-holding
/// FTE for caseload.
fn unit(m: Scored, x: f64) -> String {
    if !x.is_finite() {
        "-".to_string()
    } else if m.is_rate() {
        format!("{:.1} pts", 100.0 * x)
    } else if m == Scored::Caseload {
        format!("{x:.2} cases/FTE")
    } else {
        format!("{x:.1} FTE")
    }
}

fn pc(x: f64) -> String {
    if x.is_finite() {
        format!("{:.0}%", 100.0 * x)
    } else {
        "-".to_string()
    }
}

/// The fewest cases a cell is judged on: with fewer, the share within its 90% range has a
/// standard error above 5 points (`sqrt(0.9 x 0.1 / 36)`), too wide to tell 85% from 95%.
const FEWEST_TO_JUDGE: usize = 36;

/// Whether a cell meets the targets, in a word.
fn verdict(c: &Cell) -> &'static str {
    let in_band = |x: f64, (lo, hi): (f64, f64)| (lo..=hi).contains(&x);
    if c.cases == 0 {
        "no cases"
    } else if c.cases < FEWEST_TO_JUDGE {
        "too few cases to judge"
    } else if in_band(c.within_90, WITHIN_90) && in_band(c.within_50, WITHIN_50) && c.skill >= 0.0 {
        "met"
    } else {
        "not met"
    }
}

/// The headline of one figure at one number of years ahead, as the report quotes it.
pub fn headline(b: &Backtest, m: Scored, years: u32) -> Option<String> {
    let c = b
        .cells
        .iter()
        .find(|c| c.measure == m && c.years == years)?;
    (c.cases > 0).then(|| {
        format!(
            "over {} councils and origins {}-{}, wfsim's 90% ranges for the {} {} year{} ahead \
             contained the published figure {} of the time",
            c.cases,
            b.origins.0,
            b.origins.1,
            m.label(),
            years,
            if years == 1 { "" } else { "s" },
            pc(c.within_90)
        )
    })
}

/// The backtest in Markdown: the scores, what they mean, and what was skipped.
pub fn markdown(b: &Backtest) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Backtest\n");
    let _ = writeln!(
        o,
        "For every council and every origin year from {} to {}, wfsim built the scenario `wfsim \
         init --as-of ORIGIN` writes (from the census as published by then), projected its \
         baseline with {} replications, and set the projection beside what the census published \
         at each later 30 September. {} councils; {} council-origins skipped. Census: {} \
         (SHA-256 {}).\n",
        b.origins.0,
        b.origins.1,
        b.replications,
        b.councils,
        b.skipped.len(),
        b.census_file,
        b.census_sha256
    );
    let _ = writeln!(
        o,
        "| figure | years ahead | cases | within 50% range | within 90% range | mean width of 90% range | CRPS | CRPS of no change | better than no change by | bias of median | targets |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|---|---|---|---|---|");
    for c in &b.cells {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            c.measure.label(),
            c.years,
            c.cases,
            pc(c.within_50),
            pc(c.within_90),
            unit(c.measure, c.width_90),
            unit(c.measure, c.crps),
            unit(c.measure, c.crps_no_change),
            pc(c.skill),
            unit(c.measure, c.bias),
            verdict(c)
        );
    }
    let met = b.cells.iter().filter(|c| verdict(c) == "met").count();
    let few = b
        .cells
        .iter()
        .filter(|c| c.cases > 0 && c.cases < FEWEST_TO_JUDGE)
        .count();
    let few = if few > 0 {
        format!(
            " ({few} with fewer than {FEWEST_TO_JUDGE} cases, too few to judge: the share within \
             a 90% range then has a standard error above 5 points; score more councils or origins)"
        )
    } else {
        String::new()
    };
    // The 10% aim was set for the staffing figures, before caseload was scored; the
    // average with caseload is given beside it.
    let mean_skill = |staffing_only: bool| {
        let skills = b
            .cells
            .iter()
            .filter(|c| !staffing_only || c.measure != Scored::Caseload)
            .map(|c| c.skill)
            .filter(|s| s.is_finite());
        let (sum, n) = skills.fold((0.0, 0), |(s, n), x| (s + x, n + 1));
        if n == 0 { f64::NAN } else { sum / f64::from(n) }
    };
    // The staffing figures scored, in their order.
    let staffing: Vec<&str> = Scored::ALL
        .iter()
        .filter(|&&m| m != Scored::Caseload && b.cells.iter().any(|c| c.measure == m))
        .map(|m| m.label())
        .collect();
    // A gain in words: "10% better", or "27% worse" where wfsim's CRPS is the larger.
    let gain = |x: f64| {
        if x < 0.0 {
            format!("{} worse", pc(-x))
        } else {
            format!("{} better", pc(x))
        }
    };
    let with_caseload = if b.cells.iter().any(|c| c.measure == Scored::Caseload) {
        format!("; with caseload, {}", gain(mean_skill(false)))
    } else {
        String::new()
    };
    let _ = writeln!(
        o,
        "\nTargets: 90% ranges within {}-{}, 50% ranges within {}-{}, CRPS no worse than no change; \
         met in {met} of {} cells{few}. On average over the staffing figures ({}), wfsim's CRPS is {} \
         than no change (target: at least 10% better){with_caseload}.\n",
        pc(WITHIN_90.0),
        pc(WITHIN_90.1),
        pc(WITHIN_50.0),
        pc(WITHIN_50.1),
        b.cells.len(),
        staffing.join(", "),
        gain(mean_skill(true)),
    );
    let _ = writeln!(o, "## PIT histograms\n");
    let _ = writeln!(
        o,
        "Where the published figure fell within the projection, in tenths (0-10% of replications \
         below it, ..., 90-100%). A calibrated projection gives about equal counts; a U shape means \
         ranges too narrow, a hump too wide, a slope a bias.\n"
    );
    let _ = writeln!(o, "| figure | years ahead | counts by tenth |");
    let _ = writeln!(o, "|---|---|---|");
    for c in &b.cells {
        let counts: Vec<String> = c.pit.iter().map(|k| k.to_string()).collect();
        let _ = writeln!(
            o,
            "| {} | {} | {} |",
            c.measure.label(),
            c.years,
            counts.join(" ")
        );
    }
    let _ = writeln!(o, "\n## What the scores mean\n");
    let _ = writeln!(
        o,
        "- **Within the 50% and 90% ranges**: the share of cases whose published figure lies \
         between the projection's 25th and 75th, or 5th and 95th, percentiles.\n\
         - **CRPS** (continuous ranked probability score): the mean absolute error of a \
         replication against the published figure, less half the mean absolute difference between \
         two replications; in the figure's unit, lower is better. It rewards ranges that are both \
         right and narrow.\n\
         - **No change**: the published figure at the origin, spread by the changes every council \
         of at least 20 FTE showed over the same number of years in the census up to the origin \
         (rates by points, FTE in post and caseload in proportion; with no such pairs yet, the \
         one-year changes times the square root of the years).\n\
         - **Better than no change by**: `1 - CRPS / CRPS of no change`.\n\
         - **Bias of median**: the mean of the projection's median less the published figure.\n"
    );
    if !b.skipped.is_empty() {
        let _ = writeln!(o, "## Skipped\n");
        for s in &b.skipped {
            let _ = writeln!(o, "- {} at {}: {}", s.council, s.origin, s.reason);
        }
    }
    o
}

use std::fmt::Write as _;

/// `backtest.md`.
pub struct BacktestMd;

impl Exporter<Backtest> for BacktestMd {
    fn files(&self, b: &Backtest) -> Result<Vec<OutFile>, OutputError> {
        one_file("backtest.md", |out| out.write_all(markdown(b).as_bytes()))
    }
}

/// `backtest.csv`: one row per council, origin, figure and year.
pub struct BacktestCsv;

impl Exporter<Backtest> for BacktestCsv {
    fn files(&self, b: &Backtest) -> Result<Vec<OutFile>, OutputError> {
        one_file("backtest.csv", |out| cases(b, out))
    }
}

fn cases(b: &Backtest, out: &mut dyn io::Write) -> io::Result<()> {
    let mut w = super::csv::CsvFile::new(out);
    w.row([
        "council",
        "la_code",
        "region",
        "origin",
        "year",
        "years_ahead",
        "figure",
        "published",
        "at_origin",
        "p05",
        "p25",
        "p50",
        "p75",
        "p95",
        "within_50",
        "within_90",
        "pit",
        "crps",
        "crps_no_change",
    ])?;
    for c in &b.cases {
        let d = match c.measure {
            m if m.is_rate() => 4,
            Scored::Caseload => 2,
            _ => 1,
        };
        w.row([
            c.council.as_str(),
            &c.code,
            &c.region,
            &c.origin.to_string(),
            &(c.origin + c.years as i32).to_string(),
            &c.years.to_string(),
            c.measure.key(),
            &num(c.actual, d),
            &num(c.at_origin, d),
            &num(c.p05, d),
            &num(c.p25, d),
            &num(c.p50, d),
            &num(c.p75, d),
            &num(c.p95, d),
            &(c.p25 <= c.actual && c.actual <= c.p75).to_string(),
            &(c.p05 <= c.actual && c.actual <= c.p95).to_string(),
            &num(c.pit, 4),
            &num(c.crps, 5),
            &num(c.crps_no_change, 5),
        ])?;
    }
    w.finish()
}

/// `scores.csv`: one row per figure and years ahead, the scores the report quotes (wfsim ships
/// the default backtest's in `assets/backtest/scores.csv`).
pub struct ScoresCsv;

/// The columns of `scores.csv`.
pub const SCORE_COLUMNS: [&str; 12] = [
    "figure",
    "years_ahead",
    "cases",
    "origins",
    "within_50",
    "within_90",
    "width_90",
    "crps",
    "crps_no_change",
    "skill",
    "bias",
    "replications",
];

impl Exporter<Backtest> for ScoresCsv {
    fn files(&self, b: &Backtest) -> Result<Vec<OutFile>, OutputError> {
        one_file("scores.csv", |out| {
            let mut w = super::csv::CsvFile::new(out);
            w.row(SCORE_COLUMNS)?;
            for c in &b.cells {
                w.row([
                    c.measure.key(),
                    &c.years.to_string(),
                    &c.cases.to_string(),
                    &format!("{}..{}", b.origins.0, b.origins.1),
                    &num(c.within_50, 4),
                    &num(c.within_90, 4),
                    &num(c.width_90, 4),
                    &num(c.crps, 5),
                    &num(c.crps_no_change, 5),
                    &num(c.skill, 4),
                    &num(c.bias, 4),
                    &b.replications.to_string(),
                ])?;
            }
            w.finish()
        })
    }
}

/// `backtest.json`: the settings, the scores and the skipped council-origins.
pub struct BacktestJson;

impl Exporter<Backtest> for BacktestJson {
    fn files(&self, b: &Backtest) -> Result<Vec<OutFile>, OutputError> {
        let v = serde_json::json!({
            "census_file": b.census_file,
            "census_sha256": b.census_sha256,
            "origins": [b.origins.0, b.origins.1],
            "years": b.years,
            "replications": b.replications,
            "seed": b.seed,
            "councils": b.councils,
            "levels": LEVELS,
            "cells": b.cells,
            "skipped": b.skipped,
        });
        one_file("backtest.json", |out| {
            serde_json::to_writer_pretty(&mut *out, &v).map_err(io::Error::other)?;
            out.write_all(b"\n")
        })
    }
}

/// The reliability chart: for each figure (all years ahead together), the share of cases each
/// central range held, against the share it should hold.
pub fn reliability(b: &Backtest) -> Chart {
    let nominal: Vec<f64> = LEVELS.iter().map(|l| 100.0 * l).collect();
    let mut lines: Vec<XyLine> = vec![(
        "ideal".to_string(),
        nominal
            .iter()
            .map(|&x| (x, x / 100.0, f64::NAN, f64::NAN))
            .collect(),
    )];
    for m in Scored::ALL {
        let cells: Vec<&Cell> = b.cells.iter().filter(|c| c.measure == m).collect();
        let n: usize = cells.iter().map(|c| c.cases).sum();
        if n == 0 {
            continue;
        }
        let points = (0..LEVELS.len())
            .map(|i| {
                let covered: f64 = cells.iter().map(|c| c.coverage[i] * c.cases as f64).sum();
                (nominal[i], covered / n as f64, f64::NAN, f64::NAN)
            })
            .collect();
        lines.push((m.label().to_string(), points));
    }
    Chart::Xy {
        title: format!(
            "How often wfsim's central ranges held the published figure (origins {}-{}, 1-{} years ahead)",
            b.origins.0, b.origins.1, b.years
        ),
        x_label: "central range (% of replications)".to_string(),
        panels: vec![XyPanel {
            title: "share of cases inside the range".to_string(),
            scale: Scale::Percent,
            y_range: Some((0.0, 1.0)),
            lines,
            level: None,
        }],
    }
}

/// `reliability.svg` and `reliability.png`.
pub struct ReliabilityChart;

impl Exporter<Backtest> for ReliabilityChart {
    fn files(&self, b: &Backtest) -> Result<Vec<OutFile>, OutputError> {
        let chart = reliability(b);
        let (svg, png) = rayon::join(|| chart.svg(), || chart.png());
        Ok(vec![
            OutFile {
                path: "reliability.svg".into(),
                bytes: svg?.into_bytes(),
            },
            OutFile {
                path: "reliability.png".into(),
                bytes: png?,
            },
        ])
    }
}

/// Every file of a backtest, made in memory.
pub fn files(b: &Backtest) -> Result<Vec<OutFile>, OutputError> {
    super::render(
        b,
        &[
            &BacktestCsv,
            &ScoresCsv,
            &BacktestMd,
            &BacktestJson,
            &ReliabilityChart,
        ],
    )
}
