//! The committee report: `report.html` (self-contained, prints on A4) and `report.md` (for pasting).
//!
//! Both are rendered from one list of blocks (headings, sentences, tables, figures), so they always
//! say the same thing. Findings are plain sentences with ranges, written from the results by rules
//! that are tested; nothing in the report is fetched from the network.

mod findings;

mod html;

mod markdown;

pub use findings::findings;

pub use html::html;

pub use markdown::markdown;

use crate::model::budget::Line;
use crate::model::comparison::Measure;
use crate::model::cost::Component;
use crate::model::format::{grouped, long_date, money, money_range, num, pc};
use crate::model::metric::Metric;

use std::io::Write as _;

use crate::census::Published;
use crate::output::charts::{Drawing, Figure};
use crate::output::table::break_even;
use crate::output::{Exporter, OutFile, OutputError, Projection, one_file};
use crate::sim::compare::{Compared, find};
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

/// A target's chance at its deadline with its Monte Carlo standard error, `84% (±0.6)`; met in
/// every replication or in none, the 95% bound instead (`100% (≥98.5%)`), since its standard
/// error, 0, says nothing of how far from 100% or 0% the chance could be.
fn chance_cell(m: &crate::stats::Probability, n: u32) -> String {
    match crate::output::chance::bound(m, n) {
        Some((true, b)) => format!("100% (≥{b})"),
        Some((false, b)) => format!("0% (≤{b})"),
        None => format!("{} (±{:.1})", pc(m.p), 100.0 * m.se),
    }
}

/// The largest standard error of the probabilities the report gives: the targets' chances and
/// the options' chances against the baseline (cheaper, breaking even, better on a target).
fn largest_probability_se(r: &Results) -> f64 {
    let n = r.replications as f64;
    let compared = r.variants.iter().flat_map(|v| {
        v.comparison
            .iter()
            .filter_map(|c| c.prob_better)
            .map(move |p| (p * (1.0 - p) / n).sqrt())
    });
    r.variants
        .iter()
        .flat_map(|v| v.targets.iter().map(|t| t.met.se))
        .chain(compared)
        .filter(|x| x.is_finite())
        .fold(0.0, f64::max)
}

/// The report's content, in order. `figures` are the charts the report shows.
pub fn document(p: &Projection, figures: &[Figure]) -> Vec<Block> {
    let r = p.results;
    let mut b = intro(p);
    b.extend(options(r));
    b.extend(targets(r));
    b.extend(costs(r));
    b.extend(agency_rules(r));
    b.push(Block::Heading("Charts".into()));
    for i in 0..figures.len() {
        b.push(Block::Figure(i));
    }
    if let Some(c) = p.census {
        b.extend(census(r, c));
    }
    if !r.notes.is_empty() {
        b.push(Block::Heading("Notes on the scenario".into()));
        b.push(Block::List(r.notes.clone()));
    }
    b.extend(assumptions(r));
    b.extend(method(p));
    b
}

/// The scenario in a sentence, and the key findings.
fn intro(p: &Projection) -> Vec<Block> {
    let mut b = Vec::new();
    let r = p.results;
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
    b
}

/// Each option and what it changes.
fn options(r: &Results) -> Vec<Block> {
    vec![
        Block::Heading("Options".into()),
        Block::Table {
            head: vec!["Option".into(), "What it changes".into()],
            rows: r
                .variants
                .iter()
                .map(|v| vec![v.name.clone(), v.description.clone()])
                .collect(),
            numeric_from: 2,
        },
    ]
}

/// The chance of meeting each target, option by option: at its deadline, and over the 12
/// months to it (`output::chance`), with a sentence for each chance that swings with the season.
fn targets(r: &Results) -> Vec<Block> {
    use crate::output::chance::{self, WINDOW};
    let mut b = Vec::new();
    if !r.targets.is_empty() {
        b.push(Block::Heading("Targets".into()));
        b.push(Block::Paragraph(format!(
            "Chance of meeting each target at its deadline (Monte Carlo standard error in brackets; where every replication meets it, or none does, the least or most the chance could be with 95% confidence), and over the {WINDOW} months to it (fewer when the deadline comes sooner after the start, or after the first month the target's measure has a value): the share of those month-ends at which the target holds, averaged over replications, so that a target judged in one month is not read off a seasonal high or low."
        )));
        let mut head = vec![
            "Target".to_string(),
            "Condition".into(),
            "By".into(),
            "Chance".into(),
        ];
        head.extend(r.variants.iter().map(|v| v.name.clone()));
        let mut rows = Vec::new();
        for (ti, t) in r.targets.iter().enumerate() {
            let chances = chance::of_target(r, ti);
            let mut row = vec![
                t.name.clone(),
                t.condition(&r.grade_names),
                t.by.to_string(),
                "at the deadline".into(),
            ];
            row.extend(
                chances
                    .iter()
                    .map(|c| chance_cell(&c.deadline, r.replications)),
            );
            rows.push(row);
            let mut row = vec![
                String::new(),
                String::new(),
                String::new(),
                format!("over {}", chances[0].window()),
            ];
            row.extend(chances.iter().map(|c| pc(c.year)));
            rows.push(row);
        }
        // The deadline is aligned and kept whole like the figures.
        b.push(Block::Table {
            head,
            rows,
            numeric_from: 2,
        });
        let swings = chance::swing_notes(r);
        if !swings.is_empty() {
            b.push(Block::List(swings));
        }
    }
    b
}

/// Costs: totals, by financial year, and where each option's difference comes from.
fn costs(r: &Results) -> Vec<Block> {
    let mut b = Vec::new();
    let end = r.date(r.months as usize);
    // Without options there is nothing to compare: the table keeps the cost and its range.
    let compared = r.variants.len() > 1;
    b.push(Block::Heading("Costs".into()));
    b.push(Block::Paragraph(format!(
        "Total workforce cost from {} to {} (salaries, on-costs, premiums, agency, recruitment and training, less grant income).{}",
        long_date(r.date(1)),
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
                    row.push(money_range(d.mean, d.p05, d.p95));
                    row.push(pc(p.unwrap_or(f64::NAN)));
                    row.push(
                        find(&v.comparison, Measure::NpvDiff)
                            .and_then(|m| m.summary)
                            .map_or("-".into(), |s| money_range(s.mean, s.p05, s.p95)),
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
        "vs baseline, mean (90% range)".into(),
        "P(cheaper)".into(),
        "NPV difference, mean (90% range)".into(),
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
    head.extend(r.financial_years.iter().map(|f| f.title.clone()));
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
        let option_rows = |measures: &[Measure], cell| option_rows(r, measures, cell);
        let years: Vec<Measure> = (0..r.financial_years.len())
            .map(Measure::CostDiffYear)
            .collect();
        b.push(Block::Table {
            head,
            rows: option_rows(&years, |s| money_range(s.mean, s.p05, s.p95)),
            numeric_from: 1,
        });
        b.extend(finance_view(r));
        b.push(Block::Paragraph(format!(
            "Where the difference comes from: mean difference from the baseline by component, from {} to {} (negative saves money; more grant income shows as a saving).",
            long_date(r.date(1)),
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
    b.extend(budget_lines(r));
    b
}

/// One row per option: its name, then `cell` of each of its comparison `measures`.
fn option_rows(
    r: &Results,
    measures: &[Measure],
    cell: fn(&Summary) -> String,
) -> Vec<Vec<String>> {
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
}

/// The finance view: each option's gross cost, agency spend avoided and net cost over the span
/// of whole financial years, with ranges of the per-replication sums.
fn finance_view(r: &Results) -> Vec<Block> {
    let Some(span) = &r.span else {
        return Vec::new();
    };
    let mut b = Vec::new();
    // The question a finance officer is asked: what does it cost over these years, net
    // of the agency spend it avoids? Sums per replication, so the ranges are honest.
    b.push(Block::Paragraph(format!(
        "Over the {} {}{}: the option's gross cost (premiums with their on-costs, extra salaries, recruitment and training, less any extra grant income), of which the premiums' direct cost (payments and a supplement's on-costs, less clawbacks), the agency spend it avoids, and its net cost (gross cost less agency spend avoided; negative saves money). Each is the mean, with the 90% range of the sums over {} in each replication (yearly ranges cannot be added); P(net saving) is the chance the net cost is below zero.",
        if span.years() == 1 { "financial year" } else { "financial years" },
        span.words(),
        if span.starts_in_part(&r.financial_years) {
            ", the first only from the start of the projection"
        } else {
            ""
        },
        if span.years() == 1 { "the year" } else { "these years" },
    )));
    // The rows the terminal prints, under the report's headings.
    let Some((_, mut rows)) = crate::output::table::finance_rows(r) else {
        return Vec::new();
    };
    rows.remove(0);
    b.push(Block::Table {
        head: [
            "Option",
            "Gross cost",
            "Premiums' direct cost",
            "Agency spend avoided",
            "Net cost",
            "P(net saving)",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        numeric_from: 1,
    });
    b
}

/// The premiums' own budget lines, option by option, by financial year (mean, with the 90% range
/// of each replication's sum): the direct cost of the premiums, apart from the knock-on cost of
/// the staff they keep, made of payments and the supplements' on-costs less clawbacks; and who is
/// paid. Lines that are nothing in every year are left out.
fn budget_lines(r: &Results) -> Vec<Block> {
    let paying: Vec<_> = r
        .variants
        .iter()
        .filter(|v| !v.premiums.is_empty())
        .collect();
    if paying.is_empty() {
        return Vec::new();
    }
    let mut b = vec![Block::Paragraph(
        "The premiums' own budget lines, by financial year (mean, with the 90% range): their direct cost is the premiums paid (market supplements and one-off payments) plus the employer's on-costs a supplement adds, less what is clawed back from leavers; it leaves out the knock-on cost of the staff the premiums keep, which the tables above include. People paid a supplement counts everyone paid one at some time in the year; FTE-years are the months paid over 12.".into(),
    )];
    let mut head = vec!["Option".to_string(), "Line".to_string()];
    head.extend(r.financial_years.iter().map(|f| f.title.clone()));
    let mut rows = Vec::new();
    for v in paying {
        for line in Line::ALL {
            let years = &v.budget[..r.financial_years.len()];
            // The direct cost is always shown, so every option paying a premium has a row.
            if line != Line::Direct
                && years
                    .iter()
                    .all(|y| y[line].p95 == 0.0 && y[line].mean == 0.0)
            {
                continue;
            }
            let mut row = vec![v.name.clone(), line.title().to_string()];
            row.extend(years.iter().map(|y| {
                let s = y[line];
                if line.is_money() {
                    money_range(s.mean, s.p05, s.p95)
                } else {
                    let (m, a, b) = (num(s.mean, 1), num(s.p05, 1), num(s.p95, 1));
                    // What every replication agrees on is one number, not "10 (10 to 10)".
                    if m == a && a == b {
                        m
                    } else {
                        format!("{m} ({a} to {b})")
                    }
                }
            }));
            rows.push(row);
        }
    }
    b.push(Block::Table {
        head,
        rows,
        numeric_from: 2,
    });
    b
}

/// What the council's leavers returning as agency and the 2024 agency rules come to under each
/// option, in the year to the horizon: where the run set each option with the rules beside itself
/// without them (`Settings::without_rules`), what the rules change in agency FTE and spend; and
/// the run's own counts within each projection.
fn agency_rules(r: &Results) -> Vec<Block> {
    let last = r.months as usize;
    let at = |v: &crate::sim::results::VariantResults, m: Metric| {
        v.trajectories[m.index()].get(last).copied().flatten()
    };
    let base = &r.variants[0];
    if last < 12 || at(base, Metric::AgencyReturned).is_none() {
        return Vec::new();
    }
    let mut b = vec![Block::Heading("Agency under the 2024 rules".into())];
    let compared = r.variants.iter().find_map(|v| v.rules_effect.as_ref());
    match compared {
        Some(e) => {
            b.extend(rules_effect(r, e.replications));
            b.push(Block::Paragraph(format!(
                "Within each projection, with the rules as the scenario states them, in the 12 months to {} (median, with the 90% range): the council's own leavers who came back as its agency workers; the agency starts the rules stopped (leavers without three years' post-qualifying experience, and starts from the agency market lost to the experience test; leavers kept away by the cooling-off who then found no place are not counted); and the agency spend the regional price caps saved.",
                r.date(last)
            )));
        }
        None => b.push(Block::Paragraph(format!(
            "In the 12 months to {} (median, with the 90% range): the council's own leavers who came back as its agency workers; the agency starts the DfE's 2024 rules stopped (leavers without three years' post-qualifying experience, and starts from the agency market lost to the experience test; leavers kept away by the cooling-off who then found no place are not counted); and the agency spend the regional price caps saved. These are counts within each projection, with the rules as the scenario states them: to see what the rules change, add an option that sets them aside, `set = {{ \"agency.rules.qualified_share\" = 1, \"agency.rules.cooling_off_months\" = 0, \"agency.rules.min_experience_months\" = 0, \"agency.rules.above_cap_share\" = 1 }}` (each key stated in `[agency.rules]`, as an option replaces only what the file states), and compare.",
            r.date(last)
        ))),
    }
    let range = |s: Option<Summary>, money: bool| match s {
        Some(s) if money => money_range(s.p50, s.p05, s.p95),
        Some(s) => format!("{} ({} to {})", num(s.p50, 0), num(s.p05, 0), num(s.p95, 0)),
        None => "-".into(),
    };
    let rows = r
        .variants
        .iter()
        .map(|v| {
            vec![
                v.name.clone(),
                range(at(v, Metric::AgencyFte), false),
                range(at(v, Metric::AgencyReturned), false),
                range(at(v, Metric::AgencyBarred), false),
                range(at(v, Metric::AgencyCapSaving), true),
            ]
        })
        .collect();
    b.push(Block::Table {
        head: vec![
            "Option".into(),
            format!("Agency FTE, {}", r.date(last)),
            "Own leavers back as agency".into(),
            "Agency starts the rules stopped".into(),
            "Spend the price caps saved".into(),
        ],
        rows,
        numeric_from: 1,
    });
    b
}

/// What the 2024 agency rules change under each option, from its first `replications`
/// replications run again without them: one sentence an option.
fn rules_effect(r: &Results, replications: u32) -> Vec<Block> {
    // The section is shown for a horizon of 12 months or more, whose last 12 agency FTE is
    // averaged over (`run::rules_effect_months`).
    let last = r.months as usize;
    let spend_over = match &r.span {
        Some(span) => span.words(),
        None => format!("{} to {}", r.date(1), r.date(r.months as usize)),
    };
    let fte_range = |s: &Summary| {
        let (m, a, b) = (num(s.mean, 1), num(s.p05, 1), num(s.p95, 1));
        if m == a && a == b {
            m
        } else {
            format!("{m} ({a} to {b})")
        }
    };
    let lines = r
        .variants
        .iter()
        .map(|v| match &v.rules_effect {
            Some(e) => format!(
                "{}: the rules change agency FTE by {} and agency spend by {} over {} (on average {} agency FTE with the rules and {} without; agency spend {} with them and {} without).",
                v.name,
                fte_range(&e.fte),
                money_range(e.spend.mean, e.spend.p05, e.spend.p95),
                spend_over,
                num(e.fte_with.mean, 1),
                num(e.fte_without.mean, 1),
                money(e.spend_with.mean),
                money(e.spend_without.mean),
            ),
            None => format!("{}: no 2024 rules in force by {}.", v.name, r.date(last)),
        })
        .collect();
    vec![
        Block::Paragraph(format!(
            "What the DfE's 2024 rules change under each option, from the first {} replications, each run again without the rules on the same random numbers: no experience test (for leavers coming back or for the agency market), no cooling-off and no price caps, with all else the same (leavers who take agency work still come back, in the month they leave, where a place is missing). Each change is the option with the rules less the option without them (mean, with the 90% range of the paired differences): agency FTE as the average over the 12 months to {}, agency spend summed over {}. A negative change is less agency, or less spent, under the rules. A change in spend where price caps apply rests on the caps and agency rates the scenario states (see the assumptions below): where they are assumptions, so is that part of it.",
            grouped(u64::from(replications)),
            r.date(last),
            spend_over,
        )),
        Block::List(lines),
    ]
}

/// The baseline against the published census.
fn census(r: &Results, c: &Published) -> Vec<Block> {
    let mut b = Vec::new();
    {
        let a = crate::output::census::against(r, c);
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
    b
}

/// Every input stated in the scenario file, with its source.
fn assumptions(r: &Results) -> Vec<Block> {
    let mut b = Vec::new();
    b.push(Block::Heading("Assumptions".into()));
    b.push(Block::Paragraph(format!(
        "Every input stated in {}, with the source its authors gave. Inputs not stated take wfsim's documented defaults. A range (such as \"17% to 20%, most likely 18%\") is uncertain: it is drawn once per replication, the same draw for every option. Each input is named in words, with its key path in the scenario file in brackets.",
        r.file
    )));
    b.push(Block::Table {
        head: vec!["Input".into(), "Value".into(), "Source".into()],
        rows: r
            .assumptions
            .iter()
            .map(|a| {
                vec![
                    crate::scenario::keypath::for_reader(&a.key),
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
    b
}

/// How the figures were made, and how to reproduce them.
fn method(p: &Projection) -> Vec<Block> {
    let mut b = Vec::new();
    let r = p.results;
    let end = r.date(r.months as usize);
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
        trust(r),
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

/// How far the ranges can be trusted: the shipped backtest's coverage of the figures the charts
/// show, quoted as this scenario's only when it was built as the backtest's were (`wfsim init`
/// from the census alone); a warning when its ranges leave out year-to-year variation; and, in
/// every case, that the options' effects are assumptions no backtest tests.
fn trust(r: &Results) -> String {
    use crate::census::backtest::{Scored, shipped_scores};
    use crate::scenario::Calibration;
    let q = shipped_scores();
    let figure = |m: Scored| {
        let rows: Vec<_> = q.iter().filter(|x| x.measure == m).collect();
        let pcs: Vec<String> = rows
            .iter()
            .map(|x| format!("{:.0}%", 100.0 * x.within_90))
            .collect();
        format!("{} {}", m.label(), pcs.join(", "))
    };
    let origins = q.first().map_or(String::new(), |x| x.origins.clone());
    let cases = q.iter().map(|x| x.cases).min().unwrap_or(0);
    let coverage = format!(
        "checked against what councils published one, two and three years after each September {origins} (at least {cases} cases for each figure and horizon), the 90% ranges of scenarios built by `wfsim init` from the census of the time held the published figure one, two and three years ahead this often: {}; {}; {} (`wfsim backtest`)",
        figure(Scored::AgencyRate),
        figure(Scored::VacancyRate),
        figure(Scored::InPost),
    );
    let mut s = match r.calibration {
        Some(Calibration::Census) => format!(
            "How far to trust the ranges: this scenario was built by `wfsim init` from the census, as the backtest's were; {coverage}."
        ),
        Some(Calibration::Council) => format!(
            "How far to trust the ranges: the backtest scored scenarios built by `wfsim init` from the census; this one is built from the council's own files, which the backtest has not scored, so its coverage is not this scenario's. For those: {coverage}."
        ),
        None => "How far to trust the ranges: the backtest (`wfsim backtest`) scored scenarios built by `wfsim init` from the census and left as it made them, which this one's file does not say it is (it has no `calibration = \"census\"`); the backtest's coverage says nothing of inputs made or changed by hand, so this report does not quote it.".to_string(),
    };
    if !r.wanders {
        s.push_str(" This scenario states no year-to-year variation ([variation]), so its ranges reflect only chance among individual workers and its uncertain inputs, and are narrower than those checked: do not quote them as if they had been.");
    }
    s.push_str(" The options' effects on leaving and hiring are the scenario's assumptions (its assumptions table gives the evidence the file cites for each), which no backtest tests: a range that holds the baseline well says nothing of them.");
    s
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

pub(super) fn title(r: &Results) -> String {
    format!("Workforce projection: {}", r.scenario)
}

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
