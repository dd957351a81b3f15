//! `results.xlsx`: the results as a workbook a finance officer can work in.
//!
//! Sheets Summary, Trajectories, Costs, Premium budget (when any option has premiums) and
//! Comparison, and Census for a run set against the census, with real numbers, not text: percentages formatted as percentages, money as
//! pounds, headers frozen and filterable, columns wide enough to read. The document's creation date
//! is fixed so that the same results give the same bytes.

use std::io::{self, Write};

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Workbook as Book, Worksheet, XlsxError,
};

use super::{Exporter, OutFile, OutputError, Projection, one_file};
use crate::census::{Published, join};
use crate::model::comparison::Measure;
use crate::model::cost::Component;
use crate::model::date::YearMonth;
use crate::model::metric::{self, Metric, Unit};
use crate::output::chance::Chance;
use crate::sim::run::Results;

/// Exporter of `results.xlsx`.
pub struct Workbook;

/// Rows an Excel sheet can hold.
const MAX_ROWS: u32 = 1_048_576;

struct Formats {
    header: Format,
    percent: Format,
    /// A difference of two percentages, or a standard error of one, in percentage points: the
    /// cell holds the points (-3.7), shown `-3.7 pts`, so it is not read as a per cent change.
    points: Format,
    pounds: Format,
    number: Format,
    whole: Format,
    date: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold().set_background_color("#E7E6E6"),
            percent: Format::new().set_num_format("0.0%"),
            points: Format::new().set_num_format("+0.0\" pts\";-0.0\" pts\";0.0\" pts\""),
            pounds: Format::new().set_num_format("£#,##0;-£#,##0"),
            number: Format::new().set_num_format("#,##0.0"),
            whole: Format::new().set_num_format("0"),
            date: Format::new().set_num_format("yyyy-mm"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }

    fn for_metric(&self, m: Metric) -> &Format {
        self.for_unit(m.unit())
    }

    fn for_unit(&self, unit: Unit) -> &Format {
        match unit {
            Unit::Share | Unit::Rate => &self.percent,
            Unit::Pounds => &self.pounds,
            Unit::Fte | Unit::Cases | Unit::PerFte => &self.number,
        }
    }
}

fn header(ws: &mut Worksheet, f: &Formats, cols: &[(&str, f64)]) -> Result<(), XlsxError> {
    for (c, (name, width)) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, &f.header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes a number, or leaves the cell empty for a value that does not exist.
fn number(ws: &mut Worksheet, row: u32, col: u16, x: f64, f: &Format) -> Result<(), XlsxError> {
    if x.is_finite() {
        ws.write_number_with_format(row, col, x, f)?;
    }
    Ok(())
}

/// Writes numbers into consecutive cells of a row from `col`, all in format `f`, as `number`
/// does each. The format is looked up once for the row instead of once for each cell:
/// rust_xlsxwriter hashes every field of a format at each lookup, which took about a third of the
/// instructions of making the workbook. The cells and the file are the same either way.
fn numbers(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    xs: &[f64],
    f: &Format,
) -> Result<(), XlsxError> {
    let Some(last) = (xs.len() as u16).checked_sub(1) else {
        return Ok(());
    };
    if !xs.iter().all(|x| x.is_finite()) {
        // A formatted range would give the missing values' cells a format; they stay empty.
        for (c, &x) in xs.iter().enumerate() {
            number(ws, row, col + c as u16, x, f)?;
        }
        return Ok(());
    }
    for (c, &x) in xs.iter().enumerate() {
        ws.write_number(row, col + c as u16, x)?;
    }
    ws.set_range_format(row, col, row, col + last, f)?;
    Ok(())
}

/// A month as an Excel date (its first day), shown as `2027-03`.
fn date(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    d: YearMonth,
    f: &Formats,
) -> Result<(), XlsxError> {
    let day = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, 1)?;
    ws.write_datetime_with_format(row, col, &day, &f.date)?;
    Ok(())
}

/// One cell of the Summary sheet's opening block.
enum Meta {
    Text(String),
    Whole(f64),
    Date(YearMonth),
}

fn summary(ws: &mut Worksheet, r: &Results, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Summary")?;
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 40)?;
    for c in 2..8 {
        ws.set_column_width(c, 14)?;
    }
    let end = r.months as usize;
    // A seed past 2^53 would not survive as an Excel number: it is written as text.
    let seed = if r.seed < (1u64 << 53) {
        Meta::Whole(r.seed as f64)
    } else {
        Meta::Text(r.seed.to_string())
    };
    let meta: Vec<(&str, Meta)> = vec![
        ("Scenario", Meta::Text(r.scenario.clone())),
        ("Description", Meta::Text(r.description.clone())),
        ("Scenario file", Meta::Text(r.file.clone())),
        ("Start", Meta::Date(r.start)),
        ("End", Meta::Date(r.date(end))),
        ("Months", Meta::Whole(f64::from(r.months))),
        ("Replications", Meta::Whole(f64::from(r.replications))),
        ("Seed", seed),
        ("Input SHA-256", Meta::Text(r.input_hash.clone())),
        ("wfsim version", Meta::Text(r.version.clone())),
    ];
    let mut row = 0u32;
    for (k, v) in meta {
        ws.write_string_with_format(row, 0, k, &f.header)?;
        match v {
            Meta::Text(t) => {
                ws.write_string(row, 1, t)?;
            }
            Meta::Whole(x) => {
                // Left-aligned like the text beside it.
                ws.write_number_with_format(row, 1, x, &f.whole)?;
            }
            Meta::Date(d) => date(ws, row, 1, d, f)?,
        }
        row += 1;
    }
    row += 1;
    if !r.targets.is_empty() {
        for (c, h) in [
            "Target",
            "Option",
            "P(met)",
            "Std error (points)",
            "Median at deadline",
            "P(met) over the months to the deadline",
            "Months counted",
            "Swings with the season",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string_with_format(row, c as u16, *h, &f.header)?;
        }
        row += 1;
        for (ti, t) in r.targets.iter().enumerate() {
            for v in &r.variants {
                let tr = &v.targets[ti];
                ws.write_string(row, 0, &t.name)?;
                ws.write_string(row, 1, &v.name)?;
                number(ws, row, 2, tr.met.p, &f.percent)?;
                number(ws, row, 3, 100.0 * tr.met.se, &f.points)?;
                number(ws, row, 4, tr.value.p50, f.for_metric(t.metric))?;
                let c = Chance::of(r, tr, ti);
                number(ws, row, 5, c.year, &f.percent)?;
                ws.write_number(row, 6, c.months as f64)?;
                if c.swings() {
                    ws.write_string(row, 7, "yes: quote both chances")?;
                }
                row += 1;
            }
        }
        row += 1;
    }
    for (c, h) in ["Metric at end", "Option", "Mean", "P05", "P50", "P95"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(row, c as u16, *h, &f.header)?;
    }
    row += 1;
    for m in metric::key_metrics() {
        for v in &r.variants {
            let Some(s) = v.trajectories[m.index()][end] else {
                continue;
            };
            ws.write_string(row, 0, r.metric_name(m))?;
            ws.write_string(row, 1, &v.name)?;
            numbers(ws, row, 2, &[s.mean, s.p05, s.p50, s.p95], f.for_metric(m))?;
            row += 1;
        }
    }
    row += 1;
    for (c, h) in ["Total cost", "Option", "Mean", "P05", "P50", "P95"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(row, c as u16, *h, &f.header)?;
    }
    row += 1;
    let total = r.financial_years.len();
    for v in &r.variants {
        let s = v.costs[total][Component::Total];
        ws.write_string(row, 0, "total")?;
        ws.write_string(row, 1, &v.name)?;
        numbers(ws, row, 2, &[s.mean, s.p05, s.p50, s.p95], &f.pounds)?;
        row += 1;
    }
    if !r.notes.is_empty() {
        row += 1;
        ws.write_string_with_format(row, 0, "Notes", &f.header)?;
        for n in &r.notes {
            ws.write_string_with_format(row, 1, n, &f.wrap)?;
            row += 1;
        }
    }
    Ok(())
}

fn trajectories(ws: &mut Worksheet, r: &Results, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Trajectories")?;
    header(
        ws,
        f,
        &[
            ("Option", 18.0),
            ("Month", 7.0),
            ("Date", 9.0),
            ("Metric", 22.0),
            ("Mean", 12.0),
            ("P05", 12.0),
            ("P25", 12.0),
            ("P50", 12.0),
            ("P75", 12.0),
            ("P95", 12.0),
        ],
    )?;
    let mut row = 1u32;
    'all: for v in &r.variants {
        for month in 0..=r.months as usize {
            let when = r.date(month);
            for &m in &r.metrics {
                let Some(s) = v.trajectories[m.index()][month] else {
                    continue;
                };
                if row == MAX_ROWS - 1 {
                    ws.write_string(row, 0, "More rows than a sheet holds: see trajectories.csv")?;
                    row += 1;
                    break 'all;
                }
                ws.write_string(row, 0, &v.name)?;
                ws.write_number(row, 1, month as f64)?;
                date(ws, row, 2, when, f)?;
                ws.write_string(row, 3, r.metric_name(m))?;
                let xs = [s.mean, s.p05, s.p25, s.p50, s.p75, s.p95];
                numbers(ws, row, 4, &xs, f.for_metric(m))?;
                row += 1;
            }
        }
    }
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), 9)?;
    Ok(())
}

fn costs(ws: &mut Worksheet, r: &Results, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Costs")?;
    header(
        ws,
        f,
        &[
            ("Option", 18.0),
            ("Financial year", 26.0),
            ("Component", 22.0),
            ("Mean", 14.0),
            ("P05", 14.0),
            ("P50", 14.0),
            ("P95", 14.0),
        ],
    )?;
    let mut row = 1u32;
    for v in &r.variants {
        for (label, costs) in r.cost_periods(v) {
            for (c, s) in costs.iter() {
                ws.write_string(row, 0, &v.name)?;
                ws.write_string(row, 1, r.period_title(label).as_ref())?;
                ws.write_string(row, 2, c.title())?;
                numbers(ws, row, 3, &[s.mean, s.p05, s.p50, s.p95], &f.pounds)?;
                row += 1;
            }
        }
    }
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), 6)?;
    Ok(())
}

/// The premiums' own budget lines, option by option and year by year (options paying none are
/// left out).
fn budget(ws: &mut Worksheet, r: &Results, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Premium budget")?;
    header(
        ws,
        f,
        &[
            ("Option", 18.0),
            ("Financial year", 26.0),
            ("Line", 28.0),
            ("Mean", 14.0),
            ("P05", 14.0),
            ("P50", 14.0),
            ("P95", 14.0),
        ],
    )?;
    let mut row = 1u32;
    for v in &r.variants {
        for (label, lines) in r.budget_periods(v) {
            for (l, s) in lines {
                ws.write_string(row, 0, &v.name)?;
                ws.write_string(row, 1, r.period_title(label).as_ref())?;
                ws.write_string(row, 2, l.title())?;
                let format = if l.is_money() { &f.pounds } else { &f.number };
                numbers(ws, row, 3, &[s.mean, s.p05, s.p50, s.p95], format)?;
                row += 1;
            }
        }
    }
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), 6)?;
    Ok(())
}

fn comparison(ws: &mut Worksheet, r: &Results, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Comparison")?;
    header(
        ws,
        f,
        &[
            ("Option", 18.0),
            ("Measure", 34.0),
            ("Mean", 14.0),
            ("P05", 14.0),
            ("P50", 14.0),
            ("P95", 14.0),
            ("P(better)", 10.0),
            ("Period", 30.0),
        ],
    )?;
    let mut row = 1u32;
    for v in r.variants.iter().skip(1) {
        for m in &v.comparison {
            ws.write_string(row, 7, period(m.measure, r))?;
            let unit = m.measure.unit(|i| r.targets[i].metric.unit());
            let fm = f.for_unit(unit);
            ws.write_string(row, 0, &v.name)?;
            ws.write_string(row, 1, &m.name)?;
            if m.measure == Measure::BreakEvenMonth {
                // As the report says it ("2024-12 (72%)", "not likely (13%)"), with the months
                // of the replications that break even as dates.
                ws.write_string(
                    row,
                    2,
                    crate::output::table::break_even(&v.comparison, r.start, r.months),
                )?;
                if let Some(s) = m.summary {
                    for (c, x) in [s.p05, s.p50, s.p95].into_iter().enumerate() {
                        date(
                            ws,
                            row,
                            3 + c as u16,
                            r.start.add_months(x.round() as i32),
                            f,
                        )?;
                    }
                }
            } else if matches!(unit, Unit::Share | Unit::Rate) {
                // A difference of percentages is in points.
                let pts = |x: f64| 100.0 * x;
                number(ws, row, 2, pts(m.mean.unwrap_or(f64::NAN)), &f.points)?;
                if let Some(s) = m.summary {
                    numbers(ws, row, 3, &[pts(s.p05), pts(s.p50), pts(s.p95)], &f.points)?;
                }
            } else {
                number(ws, row, 2, m.mean.unwrap_or(f64::NAN), fm)?;
                if let Some(s) = m.summary {
                    numbers(ws, row, 3, &[s.p05, s.p50, s.p95], fm)?;
                }
            }
            number(ws, row, 6, m.prob_better.unwrap_or(f64::NAN), &f.percent)?;
            row += 1;
        }
    }
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), 7)?;
    Ok(())
}

/// The months a comparison measure covers, for readers: a financial year or the span with a part
/// year's months (`2022/23 (Oct-Mar)`), a target's deadline, or the whole horizon.
fn period(m: Measure, r: &Results) -> String {
    // The months these measures sum: from the first simulated month (the start is the
    // starting snapshot, whose month costs nothing) to the horizon's end, as a part year's title
    // counts them.
    let horizon = || {
        format!(
            "whole horizon, {} to {}",
            crate::model::format::long_date(r.date(1)),
            crate::model::format::long_date(r.date(r.months as usize))
        )
    };
    match m {
        Measure::CostDiffYear(i) => r.financial_years[i].title.clone(),
        Measure::SpanGross | Measure::SpanAvoided | Measure::SpanNet => {
            r.span.as_ref().map_or_else(horizon, |s| s.words())
        }
        Measure::TargetDiff(i) => format!("at {}", r.targets[i].by),
        _ => horizon(),
    }
}

/// The baseline against the council's census (`run --census`): one row per year and rate.
fn census(ws: &mut Worksheet, r: &Results, p: &Published, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Census")?;
    header(
        ws,
        f,
        &[
            ("Year", 8.0),
            ("Rate", 14.0),
            ("Census", 10.0),
            ("Census flag", 12.0),
            ("Projected P05", 14.0),
            ("Projected P50", 14.0),
            ("Projected P95", 14.0),
        ],
    )?;
    let mut row = 1u32;
    for b in join::beside(r, p) {
        ws.write_number(row, 0, f64::from(b.year))?;
        ws.write_string(row, 1, b.measure.label())?;
        if let Some((v, mark)) = &b.published {
            // The flag column holds the mark, after the symbol published in place of a number.
            let flag = match v {
                crate::census::Entry::Number(x) => {
                    number(ws, row, 2, *x, &f.percent)?;
                    mark.to_string()
                }
                crate::census::Entry::Symbol(sym) => format!("{sym}{mark}"),
            };
            if !flag.is_empty() {
                ws.write_string(row, 3, &flag)?;
            }
        }
        if let Some(s) = b.projected {
            numbers(ws, row, 4, &[s.p05, s.p50, s.p95], &f.percent)?;
        }
        row += 1;
    }
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), 6)?;
    Ok(())
}

/// The workbook's bytes.
pub fn workbook(p: &Projection) -> Result<Vec<u8>, XlsxError> {
    let r = p.results;
    let f = Formats::new();
    let mut wb = Book::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("wfsim results: {}", r.scenario))
            .set_author("wfsim")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    summary(wb.add_worksheet(), r, &f)?;
    trajectories(wb.add_worksheet(), r, &f)?;
    costs(wb.add_worksheet(), r, &f)?;
    if r.variants.iter().any(|v| !v.premiums.is_empty()) {
        budget(wb.add_worksheet(), r, &f)?;
    }
    comparison(wb.add_worksheet(), r, &f)?;
    if let Some(c) = p.census {
        census(wb.add_worksheet(), r, c, &f)?;
    }
    wb.save_to_buffer()
}

impl Exporter<Projection<'_>> for Workbook {
    fn files(&self, p: &Projection) -> Result<Vec<OutFile>, OutputError> {
        one_file("results.xlsx", |out| {
            let bytes = workbook(p).map_err(io::Error::other)?;
            out.write_all(&bytes)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workbook of rows written by `write`, saved with a fixed date.
    fn saved(write: impl Fn(&mut Worksheet, u32, &[f64], &Format)) -> Vec<u8> {
        let f = Formats::new();
        let mut wb = Book::new();
        wb.set_properties(
            &DocProperties::new()
                .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1).unwrap()),
        );
        let ws = wb.add_worksheet();
        let rows: [(&[f64], &Format); 5] = [
            (&[0.25, 0.5, 1.0 / 3.0], &f.percent),
            (&[1234.5, -20.0], &f.pounds),
            (&[f64::NAN, 2.0, f64::INFINITY], &f.number),
            (&[], &f.number),
            (&[7.0], &f.percent),
        ];
        for (row, (xs, fm)) in rows.iter().enumerate() {
            write(ws, row as u32, xs, fm);
        }
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn numbers_give_the_same_file_as_each_number_with_its_format() {
        let each = saved(|ws, row, xs, fm| {
            for (c, &x) in xs.iter().enumerate() {
                number(ws, row, 1 + c as u16, x, fm).unwrap();
            }
        });
        let together = saved(|ws, row, xs, fm| {
            numbers(ws, row, 1, xs, fm).unwrap();
        });
        // (Compared with `==`, so that a failure does not print two files' bytes.)
        assert!(each == together, "the files differ");
        // And the formats are not lost: writing without them gives another file.
        let bare = saved(|ws, row, xs, _| {
            for (c, &x) in xs.iter().enumerate().filter(|(_, x)| x.is_finite()) {
                ws.write_number(row, 1 + c as u16, x).unwrap();
            }
        });
        assert!(each != bare, "the formats made no difference");
    }
}
