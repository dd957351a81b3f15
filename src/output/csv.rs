//! The CSV outputs: trajectories, costs by financial year, and paired comparisons.
//!
//! Headers are fixed (users' spreadsheets and the tests depend on them) and rows come in a fixed
//! order, so the same results always give the same bytes.

use std::io::{self, Write};

use super::{Exporter, OutFile, OutputError, Projection, one_file};
use crate::model::format::num;
use crate::sim::run::Results;

/// A CSV file being written, every cell made safe to open in a spreadsheet ([`safe_cell`]).
pub struct CsvFile<'a>(::csv::Writer<&'a mut dyn Write>);

impl<'a> CsvFile<'a> {
    pub fn new(out: &'a mut dyn Write) -> CsvFile<'a> {
        CsvFile(
            ::csv::WriterBuilder::new()
                .terminator(::csv::Terminator::Any(b'\n'))
                .from_writer(out),
        )
    }

    /// Writes one row.
    pub fn row<I, S>(&mut self, cells: I) -> io::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| safe_cell(c.as_ref()).into_owned())
            .collect();
        self.0.write_record(&cells).map_err(io::Error::other)
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// A cell a spreadsheet will not run as a formula: text beginning with `=`, `+`, `-`, `@`, a tab
/// or a carriage return gets a leading apostrophe, as OWASP recommends for CSV files; numbers
/// (such as -0.5) are left as they are.
pub fn safe_cell(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = s
        .chars()
        .next()
        .is_some_and(|c| crate::scenario::spanned::FORMULA_STARTS.contains(&c));
    if risky && s.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// `trajectories.csv`: one row per option, month and metric.
pub struct TrajectoriesCsv;

impl Exporter<Projection<'_>> for TrajectoriesCsv {
    fn files(&self, p: &Projection) -> Result<Vec<OutFile>, OutputError> {
        one_file("trajectories.csv", |out| trajectories(p.results, out))
    }
}

fn trajectories(r: &Results, out: &mut dyn Write) -> io::Result<()> {
    let mut w = CsvFile::new(out);
    w.row([
        "option", "month", "date", "metric", "mean", "p05", "p25", "p50", "p75", "p95",
    ])?;
    for v in &r.variants {
        for month in 0..=r.months as usize {
            let date = r.date(month).to_string();
            for &m in &r.metrics {
                let Some(s) = v.trajectories[m.index()][month] else {
                    continue;
                };
                let d = m.decimals();
                w.row([
                    v.name.as_str(),
                    &month.to_string(),
                    &date,
                    &r.metric_name(m),
                    &num(s.mean, d),
                    &num(s.p05, d),
                    &num(s.p25, d),
                    &num(s.p50, d),
                    &num(s.p75, d),
                    &num(s.p95, d),
                ])?;
            }
        }
    }
    w.finish()
}

/// `costs.csv`: cost components by financial year, over the span of whole years the finance view
/// sums (`--years`), and for the whole horizon.
pub struct CostsCsv;

impl Exporter<Projection<'_>> for CostsCsv {
    fn files(&self, p: &Projection) -> Result<Vec<OutFile>, OutputError> {
        one_file("costs.csv", |out| costs(p.results, out))
    }
}

fn costs(r: &Results, out: &mut dyn Write) -> io::Result<()> {
    let mut w = CsvFile::new(out);
    w.row([
        "option",
        "financial_year",
        "component",
        "mean",
        "p05",
        "p50",
        "p95",
    ])?;
    for v in &r.variants {
        for (label, costs) in r.cost_periods(v) {
            for (c, s) in costs.iter() {
                w.row([
                    v.name.as_str(),
                    label,
                    c.key(),
                    &num(s.mean, 2),
                    &num(s.p05, 2),
                    &num(s.p50, 2),
                    &num(s.p95, 2),
                ])?;
            }
        }
        // The premiums' own budget lines, apart from the knock-on cost of the staff they keep.
        for (label, lines) in r.budget_periods(v) {
            for (l, s) in lines {
                w.row([
                    v.name.as_str(),
                    label,
                    l.key(),
                    &num(s.mean, 2),
                    &num(s.p05, 2),
                    &num(s.p50, 2),
                    &num(s.p95, 2),
                ])?;
            }
        }
    }
    w.finish()
}

/// `comparison.csv`: each option's paired differences from the baseline.
pub struct ComparisonCsv;

impl Exporter<Projection<'_>> for ComparisonCsv {
    fn files(&self, p: &Projection) -> Result<Vec<OutFile>, OutputError> {
        one_file("comparison.csv", |out| comparison(p.results, out))
    }
}

fn comparison(r: &Results, out: &mut dyn Write) -> io::Result<()> {
    let mut w = CsvFile::new(out);
    w.row([
        "option",
        "measure",
        "mean",
        "p05",
        "p50",
        "p95",
        "prob_better",
    ])?;
    for v in r.variants.iter().skip(1) {
        for m in &v.comparison {
            let d = m.measure.decimals(|i| r.targets[i].metric.unit());
            let (p05, p50, p95) = m
                .summary
                .map_or((f64::NAN, f64::NAN, f64::NAN), |s| (s.p05, s.p50, s.p95));
            w.row([
                v.name.as_str(),
                &m.name,
                &num(m.mean.unwrap_or(f64::NAN), d),
                &num(p05, d),
                &num(p50, d),
                &num(p95, d),
                &num(m.prob_better.unwrap_or(f64::NAN), 4),
            ])?;
        }
    }
    w.finish()
}

/// `census.csv` (with `run --census` only): the baseline against the council's published census,
/// one row per 30 September and rate: what was published, its flag, and the projection.
pub struct CensusCsv;

impl Exporter<Projection<'_>> for CensusCsv {
    fn files(&self, p: &Projection) -> Result<Vec<OutFile>, OutputError> {
        match p.census {
            None => Ok(Vec::new()),
            Some(c) => one_file("census.csv", |out| census(p.results, c, out)),
        }
    }
}

fn census(r: &Results, c: &crate::census::Published, out: &mut dyn Write) -> io::Result<()> {
    let mut w = CsvFile::new(out);
    w.row([
        "year",
        "rate",
        "published",
        "flag",
        "p05",
        "p25",
        "p50",
        "p75",
        "p95",
        "within_90",
    ])?;
    for b in crate::census::join::beside(r, c) {
        let (published, flag) = match &b.published {
            Some((crate::census::Entry::Number(x), mark)) => (num(*x, 4), mark.to_string()),
            Some((crate::census::Entry::Symbol(sym), mark)) => {
                (String::new(), format!("{sym}{mark}"))
            }
            None => (String::new(), String::new()),
        };
        let pick = |f: fn(&crate::stats::Summary) -> f64| {
            b.projected.map_or(String::new(), |s| num(f(&s), 4))
        };
        let within = b.within_90().map_or(String::new(), |w| w.to_string());
        w.row([
            b.year.to_string(),
            r.metric_name(b.metric),
            published,
            flag,
            pick(|s| s.p05),
            pick(|s| s.p25),
            pick(|s| s.p50),
            pick(|s| s.p75),
            pick(|s| s.p95),
            within,
        ])?;
    }
    w.finish()
}
