//! The committee report: `report.html` (self-contained, prints on A4) and `report.md` (for pasting).
//!
//! Both are rendered from one list of blocks (headings, sentences, tables, figures), so they always
//! say the same thing. Findings are plain sentences with ranges, written from the results by rules
//! that are tested; nothing in the report is fetched from the network.

use std::fmt::Write as _;

use crate::model::comparison::Measure;
use crate::model::cost::Component;
use crate::model::format::{long_date, metric_range, metric_value, money, money_range, num, pc};

use std::io::Write as _;

use crate::output::charts::{Drawing, Drawn, Figure};
use crate::output::table::break_even;
use crate::output::{Exporter, OutFile, OutputError, Projection, one_file};
use crate::sim::compare::{Compared, costs_the_same, find};
use crate::sim::run::Results;
use crate::stats::Summary;

/// One piece of the report.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    List(Vec<String>),
    /// Header and rows; columns from `numeric_from` on are right-aligned.
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
        numeric_from: usize,
    },
    /// A chart, by its index in the figure list.
    Figure(usize),
}

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
        let verb = if (end - start).abs() < 1e-9 * start.abs().max(1.0) {
            "stays at"
        } else if end < start {
            "falls from"
        } else {
            "rises from"
        };
        let from = if verb == "stays at" {
            String::new()
        } else {
            format!("{} to ", metric_value(m, start))
        };
        let s = format!(
            "Baseline: {} {verb} {from}{} by {} (median; 90% range {}); {} chance of meeting the {} target ({}).",
            m.subject(&r.grade_names),
            metric_value(m, end),
            long_date(t.by),
            metric_range(m, &at.value),
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
    out.extend(p.census.and_then(|c| crate::output::census::finding(r, c)));
    out
}

/// The largest Monte Carlo standard error of any target probability reported.
fn largest_probability_se(r: &Results) -> f64 {
    r.variants
        .iter()
        .flat_map(|v| v.targets.iter().map(|t| t.met.se))
        .filter(|x| x.is_finite())
        .fold(0.0, f64::max)
}

/// The report's content, in order. `figures` are the charts the report shows.
pub fn document(p: &Projection, figures: &[Figure]) -> Vec<Block> {
    let r = p.results;
    let mut b = Vec::new();
    let end = r.date(r.months as usize);
    b.push(Block::Paragraph(format!(
        "Scenario `{}` from {} to {} ({} months): {} beside the baseline, {} replications each.",
        r.scenario,
        long_date(r.start),
        long_date(end),
        r.months,
        match r.variants.len() - 1 {
            0 => "no options".to_string(),
            1 => "1 option".to_string(),
            n => format!("{n} options"),
        },
        r.replications
    )));
    b.push(Block::Heading("Key findings".into()));
    let f = findings(p);
    if f.is_empty() {
        b.push(Block::Paragraph(
            "The scenario sets no targets and no options; see the charts and tables below.".into(),
        ));
    } else {
        b.push(Block::List(f));
    }

    b.push(Block::Heading("Options".into()));
    b.push(Block::Table {
        head: vec!["Option".into(), "What it changes".into()],
        rows: r
            .variants
            .iter()
            .map(|v| vec![v.name.clone(), v.description.clone()])
            .collect(),
        numeric_from: 2,
    });

    if !r.targets.is_empty() {
        b.push(Block::Heading("Targets".into()));
        b.push(Block::Paragraph(
            "Chance of meeting each target at its deadline (Monte Carlo standard error in brackets)."
                .into(),
        ));
        let mut head = vec!["Target".to_string(), "Condition".into(), "By".into()];
        head.extend(r.variants.iter().map(|v| v.name.clone()));
        let rows = r
            .targets
            .iter()
            .enumerate()
            .map(|(ti, t)| {
                let mut row = vec![
                    t.name.clone(),
                    t.condition(&r.grade_names),
                    t.by.to_string(),
                ];
                row.extend(r.variants.iter().map(|v| {
                    let p = v.targets[ti].met;
                    format!("{} (±{:.1})", pc(p.p), 100.0 * p.se)
                }));
                row
            })
            .collect();
        // The deadline is aligned and kept whole like the figures.
        b.push(Block::Table {
            head,
            rows,
            numeric_from: 2,
        });
    }

    // Without options there is nothing to compare: the table keeps the cost and its range.
    let compared = r.variants.len() > 1;
    b.push(Block::Heading("Costs".into()));
    b.push(Block::Paragraph(format!(
        "Total workforce cost from {} to {} (salaries, on-costs, premiums, agency, recruitment and training, less grant income).{}",
        long_date(r.start),
        long_date(end),
        if compared {
            format!(
                " Differences are paired: each option is run on the same random numbers as the baseline. Net present value at {}% a year.",
                num(100.0 * r.discount_rate, 2)
            )
        } else {
            String::new()
        }
    )));
    let total = r.financial_years.len();
    let mut rows: Vec<Vec<String>> = r
        .variants
        .iter()
        .map(|v| {
            let c = v.costs[total][Component::Total];
            let mut row = vec![
                v.name.clone(),
                money(c.mean),
                format!("{} to {}", money(c.p05), money(c.p95)),
            ];
            let diff = find(&v.comparison, Measure::CostDiffTotal).and_then(|m| m.summary);
            match diff {
                Some(d) => {
                    let p = find(&v.comparison, Measure::CostDiffTotal).and_then(|m| m.prob_better);
                    row.push(money_range(&d));
                    row.push(pc(p.unwrap_or(f64::NAN)));
                    row.push(
                        find(&v.comparison, Measure::NpvDiff)
                            .and_then(|m| m.summary)
                            .map_or("-".into(), |s| money(s.mean)),
                    );
                    row.push(break_even(&v.comparison, r.start, r.months));
                    row.push(per_agency_year(&v.comparison));
                }
                None => row.extend(std::iter::repeat_n("-".to_string(), 5)),
            }
            row
        })
        .collect();
    let mut head: Vec<String> = vec![
        "Option".into(),
        "Total cost (mean)".into(),
        "90% range".into(),
        "vs baseline (90% range)".into(),
        "P(cheaper)".into(),
        "NPV difference".into(),
        "Break-even".into(),
        "Cost per agency FTE-year avoided".into(),
    ];
    if !compared {
        head.truncate(3);
        rows.iter_mut().for_each(|row| row.truncate(3));
    }
    b.push(Block::Table {
        head,
        rows,
        numeric_from: 1,
    });
    let mut head = vec!["Option".to_string()];
    head.extend(r.financial_years.iter().map(|f| {
        if f.partial {
            format!("{} (part)", f.label)
        } else {
            f.label.clone()
        }
    }));
    b.push(Block::Paragraph(
        "Mean cost per financial year (April to March).".into(),
    ));
    b.push(Block::Table {
        head: head.clone(),
        rows: r
            .variants
            .iter()
            .map(|v| {
                let mut row = vec![v.name.clone()];
                row.extend((0..total).map(|y| money(v.costs[y][Component::Total].mean)));
                row
            })
            .collect(),
        numeric_from: 1,
    });
    if compared {
        // What a finance officer budgets: each year's extra cost, with its uncertainty.
        b.push(Block::Paragraph(
            "Difference from the baseline per financial year: mean, with the 90% range of the paired difference (negative saves money).".into(),
        ));
        // One row per option: its name, then `cell` of each of its comparison `measures`.
        let option_rows =
            |measures: &[Measure], cell: fn(&Summary) -> String| -> Vec<Vec<String>> {
                r.variants[1..]
                    .iter()
                    .map(|v| {
                        let mut row = vec![v.name.clone()];
                        row.extend(measures.iter().map(|&m| {
                            find(&v.comparison, m)
                                .and_then(|m| m.summary)
                                .map_or("-".into(), |d| cell(&d))
                        }));
                        row
                    })
                    .collect()
            };
        let years: Vec<Measure> = (0..r.financial_years.len())
            .map(Measure::CostDiffYear)
            .collect();
        b.push(Block::Table {
            head,
            rows: option_rows(&years, money_range),
            numeric_from: 1,
        });
        b.push(Block::Paragraph(format!(
            "Where the difference comes from: mean difference from the baseline by component, from {} to {} (negative saves money; more grant income shows as a saving).",
            long_date(r.start),
            long_date(end)
        )));
        let mut head = vec!["Option".to_string()];
        head.extend(Component::ALL.iter().map(|c| c.title().to_string()));
        let components: Vec<Measure> = Component::ALL
            .into_iter()
            .map(Measure::of_component)
            .collect();
        b.push(Block::Table {
            head,
            rows: option_rows(&components, |d| money(d.mean)),
            numeric_from: 1,
        });
    }

    b.push(Block::Heading("Charts".into()));
    for i in 0..figures.len() {
        b.push(Block::Figure(i));
    }

    if let Some(a) = p.census.map(|c| crate::output::census::against(r, c)) {
        b.push(Block::Heading("Against the published census".into()));
        b.push(Block::Paragraph(a.intro));
        // Headings capitalised, as the report's other tables have them.
        let head = a
            .head
            .iter()
            .map(|h| {
                let mut c = h.chars();
                c.next()
                    .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
            })
            .collect();
        b.push(Block::Table {
            head,
            rows: a.rows,
            numeric_from: 1,
        });
    }

    if !r.notes.is_empty() {
        b.push(Block::Heading("Notes on the scenario".into()));
        b.push(Block::List(r.notes.clone()));
    }

    b.push(Block::Heading("Assumptions".into()));
    b.push(Block::Paragraph(format!(
        "Every input stated in {}, with the source its authors gave. Inputs not stated take wfsim's documented defaults. A value in braces is uncertain: it is drawn once per replication from the distribution shown, the same draw for every option.",
        r.file
    )));
    b.push(Block::Table {
        head: vec!["Input".into(), "Value".into(), "Source".into()],
        rows: r
            .assumptions
            .iter()
            .map(|a| {
                vec![
                    a.key.clone(),
                    a.value.clone(),
                    if a.source.is_empty() {
                        "(none given)".into()
                    } else {
                        a.source.clone()
                    },
                ]
            })
            .collect(),
        numeric_from: 3,
    });

    b.push(Block::Heading("Method and reproducibility".into()));
    let se = largest_probability_se(r);
    b.push(Block::List(vec![
        format!(
            "Monte Carlo simulation of each month from {} to {}: leaving by grade and length of service, recruitment, agency cover, progression and intakes, {} replications with seed {}.",
            r.start, end, r.replications, r.seed
        ),
        "Options are compared with common random numbers: every option sees the same leavers' chances, the same recruitment draws and the same uncertain inputs as the baseline, so differences measure the option and not chance.".into(),
        format!(
            "Monte Carlo error: probabilities carry a standard error of at most {:.1} percentage points here (at most 50/sqrt(replications)); percentiles of counts are exact, other percentiles within 0.1%.",
            100.0 * se
        ),
        "Rates follow the DfE children's social work workforce census definitions: agency share = agency / (agency + permanent) FTE; vacancy rate = vacant / (vacant + permanent) FTE; turnover = leavers in 12 months / permanent FTE.".into(),
        {
            let mut line = format!(
                "Reproduce with `wfsim run {} --seed {} --reps {} --months {}",
                r.file, r.seed, r.replications, r.months
            );
            if let Some(c) = p.census {
                line.push_str(&format!(" --census {} --council \"{}\"", c.file, c.area.name));
            }
            line.push_str(&format!(
                "` (wfsim {}); scenario file SHA-256 {}",
                r.version, r.input_hash
            ));
            if let Some(c) = p.census {
                line.push_str(&format!("; census file SHA-256 {}", c.sha256));
            }
            line.push('.');
            line
        },
    ]));
    b
}

/// The extra cost per agency FTE-year avoided. The ratio is that only for an option that avoids
/// agency and costs more; otherwise it says in words that the option saves money too (a negative
/// ratio) or uses more agency (a ratio of either sign).
fn per_agency_year(c: &[Compared]) -> String {
    let mean = |m| find(c, m).and_then(|m| m.mean);
    let (Some(ratio), Some(agency)) = (
        mean(Measure::CostPerAgencyFteYearAvoided),
        mean(Measure::AgencyFteMonthsDiff),
    ) else {
        return "-".into();
    };
    if agency > 0.0 {
        "uses more agency".into()
    } else if ratio < 0.0 {
        "none: saves money too".into()
    } else {
        money(ratio)
    }
}

fn title(r: &Results) -> String {
    format!("Workforce projection: {}", r.scenario)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Inline `code` spans in HTML.
fn inline_html(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in esc(s).split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{part}</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

/// A numeric cell: each word kept on one line, so that a narrow column breaks "-£2.86m to -£1.88m"
/// at its spaces and never between a minus sign and its number.
fn numeric_html(s: &str) -> String {
    if s.contains('`') {
        return inline_html(s);
    }
    esc(s)
        .split(' ')
        .map(|w| format!("<span class=\"w\">{w}</span>"))
        .collect::<Vec<_>>()
        .join(" ")
}

const CSS: &str = r#"
@page { size: A4; margin: 15mm 14mm; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt; color: #111; max-width: 190mm; margin: 0 auto; padding: 8mm 0; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1px solid #999; break-after: avoid; }
p.description { font-size: 11pt; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #eee; }
td.n { text-align: right; }
td.n .w { white-space: nowrap; }
figure { margin: 4mm 0; break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 9pt; color: #333; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.92em; word-break: break-all; }
@media print { body { padding: 0; max-width: none; } }
"#;

/// Exporter of `report.html`.
pub struct ReportHtml;

impl Exporter<Drawing<'_>> for ReportHtml {
    fn files(&self, d: &Drawing) -> Result<Vec<OutFile>, OutputError> {
        let blocks = document(&d.projection, &d.figures());
        one_file("report.html", |out| {
            out.write_all(html(d.projection.results, &blocks, &d.drawn).as_bytes())
        })
    }
}

/// Exporter of `report.md`.
pub struct ReportMd;

impl Exporter<Drawing<'_>> for ReportMd {
    fn files(&self, d: &Drawing) -> Result<Vec<OutFile>, OutputError> {
        let figures = d.figures();
        let blocks = document(&d.projection, &figures);
        one_file("report.md", |out| {
            out.write_all(markdown(d.projection.results, &blocks, &figures).as_bytes())
        })
    }
}

/// `report.html`: one self-contained page.
pub fn html(r: &Results, blocks: &[Block], drawn: &[Drawn]) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"description\">{}</p>\n",
        esc(&title(r)),
        esc(&title(r)),
        inline_html(&r.description)
    );
    for block in blocks {
        match block {
            Block::Heading(t) => {
                let _ = writeln!(h, "<h2>{}</h2>", inline_html(t));
            }
            Block::Paragraph(t) => {
                let _ = writeln!(h, "<p>{}</p>", inline_html(t));
            }
            Block::List(items) => {
                h.push_str("<ul>\n");
                for i in items {
                    let _ = writeln!(h, "<li>{}</li>", inline_html(i));
                }
                h.push_str("</ul>\n");
            }
            Block::Table {
                head,
                rows,
                numeric_from,
            } => {
                h.push_str("<table>\n<thead><tr>");
                for c in head {
                    let _ = write!(h, "<th>{}</th>", inline_html(c));
                }
                h.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    h.push_str("<tr>");
                    for (i, c) in row.iter().enumerate() {
                        if i >= *numeric_from {
                            let _ = write!(h, "<td class=\"n\">{}</td>", numeric_html(c));
                        } else {
                            let _ = write!(h, "<td>{}</td>", inline_html(c));
                        }
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</tbody>\n</table>\n");
            }
            Block::Figure(i) => {
                if let Some(d) = drawn.get(*i) {
                    let svg = d.svg.replacen(
                        "<svg ",
                        &format!(
                            "<svg role=\"img\" aria-label=\"{}\" ",
                            esc(d.figure.chart.title())
                        ),
                        1,
                    );
                    let _ = writeln!(
                        h,
                        "<figure id=\"{}\">\n{svg}\n<figcaption>{}</figcaption>\n</figure>",
                        esc(&d.figure.stem),
                        inline_html(&d.figure.caption)
                    );
                }
            }
        }
    }
    h.push_str("</body>\n</html>\n");
    h
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// `report.md`: the same content for pasting, charts linked as PNG.
pub fn markdown(r: &Results, blocks: &[Block], figures: &[Figure]) -> String {
    let mut m = format!("# {}\n\n", title(r));
    if !r.description.is_empty() {
        let _ = writeln!(m, "{}\n", r.description);
    }
    for block in blocks {
        match block {
            Block::Heading(t) => {
                let _ = writeln!(m, "## {t}\n");
            }
            Block::Paragraph(t) => {
                let _ = writeln!(m, "{t}\n");
            }
            Block::List(items) => {
                for i in items {
                    let _ = writeln!(m, "- {i}");
                }
                m.push('\n');
            }
            Block::Table {
                head,
                rows,
                numeric_from,
            } => {
                let cells: Vec<String> = head.iter().map(|c| md_cell(c)).collect();
                let _ = writeln!(m, "| {} |", cells.join(" | "));
                let rule: Vec<&str> = (0..head.len())
                    .map(|i| if i >= *numeric_from { "---:" } else { "---" })
                    .collect();
                let _ = writeln!(m, "| {} |", rule.join(" | "));
                for row in rows {
                    let cells: Vec<String> = row.iter().map(|c| md_cell(c)).collect();
                    let _ = writeln!(m, "| {} |", cells.join(" | "));
                }
                m.push('\n');
            }
            Block::Figure(i) => {
                if let Some(f) = figures.get(*i) {
                    let _ = writeln!(
                        m,
                        "![{}](charts/{}.png)\n\n*{}*\n",
                        f.chart.title(),
                        f.stem,
                        f.caption
                    );
                }
            }
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An option's comparison with only the two means `per_agency_year` reads.
    fn comparison(cost: f64, agency_months: f64) -> Vec<Compared> {
        let years = -agency_months / 12.0;
        vec![
            Compared::ratio(
                Measure::AgencyFteMonthsDiff,
                "agency_fte_months_diff",
                Some(agency_months),
            ),
            Compared::ratio(
                Measure::CostPerAgencyFteYearAvoided,
                "cost_per_agency_fte_year_avoided",
                (years != 0.0).then(|| cost / years),
            ),
        ]
    }

    #[test]
    fn numeric_cells_break_only_at_spaces() {
        assert_eq!(
            numeric_html("-£2.34m (-£2.86m to -£1.88m)"),
            "<span class=\"w\">-£2.34m</span> <span class=\"w\">(-£2.86m</span> \
             <span class=\"w\">to</span> <span class=\"w\">-£1.88m)</span>"
        );
        assert_eq!(numeric_html("2027-03"), "<span class=\"w\">2027-03</span>");
        assert_eq!(numeric_html("a<b"), "<span class=\"w\">a&lt;b</span>");
        assert!(CSS.contains("td.n .w { white-space: nowrap; }"));
    }

    #[test]
    fn cost_per_agency_year_is_a_number_only_where_it_means_one() {
        // £100k more for 120 agency FTE-months (10 FTE-years) fewer: £10k each.
        assert_eq!(per_agency_year(&comparison(100_000.0, -120.0)), "£10k");
        // Cheaper and less agency: the ratio (-£5k) would read as a cost.
        assert_eq!(
            per_agency_year(&comparison(-50_000.0, -120.0)),
            "none: saves money too"
        );
        // More agency, whether dearer (ratio -£20k) or cheaper (ratio +£20k).
        assert_eq!(
            per_agency_year(&comparison(100_000.0, 60.0)),
            "uses more agency"
        );
        assert_eq!(
            per_agency_year(&comparison(-100_000.0, 60.0)),
            "uses more agency"
        );
        // No change in agency: no ratio.
        assert_eq!(per_agency_year(&comparison(100_000.0, 0.0)), "-");
    }
}
