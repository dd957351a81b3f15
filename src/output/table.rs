//! Plain-text tables for the terminal: one row per option, the figures a user reads first.

use crate::model::budget::Line;
use crate::model::comparison::Measure;
use crate::model::date::YearMonth;
use crate::model::format::{fte, money, money_range, pc, pct};
use crate::model::metric::Metric;
use crate::sim::compare::{Compared, costs_the_same, find};
use crate::sim::run::Results;
use crate::stats::Summary;

/// Lays out rows of cells in aligned columns (first column left-aligned, the rest right-aligned).
pub fn layout(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, s)| {
                if c == 0 {
                    format!("{s:<w$}", w = width[c])
                } else {
                    format!("{s:>w$}", w = width[c])
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if i == 0 {
            let total: usize = width.iter().sum::<usize>() + 2 * cols.saturating_sub(1);
            out.push_str(&"-".repeat(total));
            out.push('\n');
        }
    }
    out
}

/// The months at which the headline figures are quoted, each with its label: each target's
/// deadline (where its chance is measured), `2027-03`, or the end of the horizon when there are
/// no targets, `2027-09 (end)`.
pub fn headline_months(r: &Results) -> Vec<(usize, String)> {
    let mut months: Vec<usize> = r.targets.iter().map(|t| t.month).collect();
    months.sort_unstable();
    months.dedup();
    if months.is_empty() {
        let end = r.months as usize;
        return vec![(end, format!("{} (end)", r.date(end)))];
    }
    months
        .into_iter()
        .map(|m| (m, r.date(m).to_string()))
        .collect()
}

/// Outcomes table: the agency share and permanent FTE at each target's deadline (labelled with
/// its date), and the probability of each target at its deadline and over the 12 months to it,
/// with a line for each chance that swings with the season.
pub fn outcomes(r: &Results) -> String {
    let mut out = layout(&outcome_rows(r));
    for n in crate::output::chance::swing_notes(r) {
        out.push_str(&format!("* {n}\n"));
    }
    out
}

/// The outcomes table's rows, its header first.
pub fn outcome_rows(r: &Results) -> Vec<Vec<String>> {
    let months = headline_months(r);
    let mut header = vec!["option".to_string()];
    for (_, when) in &months {
        header.push(format!("agency share {when}, median (90% range)"));
        header.push(format!("permanent FTE {when}, median"));
    }
    for (ti, t) in r.targets.iter().enumerate() {
        header.push(format!("P({}) deadline", t.name));
        header.push(crate::output::chance::months_words(r, ti));
    }
    let mut rows = vec![header];
    for v in &r.variants {
        let mut row = vec![v.name.clone()];
        for &(m, _) in &months {
            let share = v.trajectories[Metric::AgencyShare.index()][m].expect("defined");
            let perm = v.trajectories[Metric::PermanentFte.index()][m].expect("defined");
            row.push(format!(
                "{} ({}-{})",
                pct(share.p50),
                pct(share.p05),
                pct(share.p95)
            ));
            row.push(fte(perm.p50));
        }
        for (ti, t) in v.targets.iter().enumerate() {
            let c = crate::output::chance::Chance::of(r, t, ti);
            row.push(pc(c.deadline.p));
            // A star marks a chance that swings with the season (a line below says so).
            row.push(format!(
                "{}{}",
                pc(c.year),
                if c.swings() { "*" } else { "" }
            ));
        }
        rows.push(row);
    }
    rows
}

/// When an option breaks even, from its `break_even_month` measure, for a run of `months` months
/// from `start`: the median month when it is more likely than not, with the chance. An option
/// that costs exactly what the baseline costs has nothing to break even on.
pub fn break_even(c: &[Compared], start: YearMonth, months: u32) -> String {
    if costs_the_same(c) {
        return "none: costs the same".into();
    }
    match find(c, Measure::BreakEvenMonth)
        .and_then(|m| m.summary.map(|s| (s, m.prob_better.unwrap_or(0.0))))
    {
        // Month 1 is no month of paying back: in most runs that break even the option never
        // costs more (as one that differs from the baseline only from its first larger cohort),
        // and a date would read as paying back at once.
        Some((s, p)) if p >= 0.5 && s.p50.round() <= 1.0 => {
            format!("from the start in most runs that break even ({} do)", pc(p))
        }
        // The median month of those that break even, and the chance of breaking even at all.
        Some((s, p)) if p >= 0.5 => {
            format!("{} ({})", start.add_months(s.p50.round() as i32), pc(p))
        }
        Some((_, p)) => format!("not likely ({})", pc(p)),
        // No replication broke even within the horizon.
        None => format!("not by {} (0%)", start.add_months(months as i32)),
    }
}

/// Costs table: total cost per option and the paired difference from the baseline (only the
/// total when there are no options).
pub fn costs(r: &Results) -> String {
    layout(&cost_rows(r))
}

/// The costs table's rows, its header first.
pub fn cost_rows(r: &Results) -> Vec<Vec<String>> {
    let total = r.financial_years.len();
    let mut rows = vec![vec![
        "option".to_string(),
        "total cost, whole horizon (mean)".to_string(),
        "vs baseline, mean (90% range)".to_string(),
        "P(cheaper)".to_string(),
        "break-even".to_string(),
    ]];
    for v in &r.variants {
        let c = v.costs[total][crate::model::cost::Component::Total];
        let mut row = vec![v.name.clone(), money(c.mean)];
        match find(&v.comparison, Measure::CostDiffTotal)
            .and_then(|m| m.summary.map(|s| (s, m.prob_better)))
        {
            Some((s, p)) => {
                row.push(money_range(s.mean, s.p05, s.p95));
                row.push(pc(p.unwrap_or(0.0)));
                row.push(break_even(&v.comparison, r.start, r.months));
            }
            None => row.extend(["-".to_string(), "-".to_string(), "-".to_string()]),
        }
        rows.push(row);
    }
    // Without options there is nothing to compare with the baseline.
    if r.variants.len() == 1 {
        rows.iter_mut().for_each(|row| row.truncate(2));
    }
    rows
}

/// The finance view: each option's gross cost, the agency spend it avoids and its net cost over
/// the span of whole financial years, each with the 90% range of the per-replication sums.
/// `None` without options or without a whole financial year.
pub fn finance(r: &Results) -> Option<String> {
    let (title, rows) = finance_rows(r)?;
    Some(format!("{title}\n{}", layout(&rows)))
}

/// The finance view's title and rows (its header first), as [`finance`] lays them out.
pub fn finance_rows(r: &Results) -> Option<(String, Vec<Vec<String>>)> {
    let span = r.span.as_ref()?;
    if r.variants.len() < 2 {
        return None;
    }
    let mut rows = vec![vec![
        "option".to_string(),
        "gross cost".to_string(),
        "premiums' direct cost".to_string(),
        "agency spend avoided".to_string(),
        "net cost".to_string(),
        "P(net saving)".to_string(),
    ]];
    for v in &r.variants[1..] {
        let range = |m| find(&v.comparison, m).and_then(|c| c.summary);
        let net = find(&v.comparison, Measure::SpanNet);
        let mut row = vec![v.name.clone()];
        let cell = |s: Option<Summary>| s.map_or("-".into(), |s| money_range(s.mean, s.p05, s.p95));
        row.push(cell(range(Measure::SpanGross)));
        // The premiums' own cost (payments and their on-costs, less clawbacks), within the gross.
        row.push(cell(v.span_budget.map(|b| b[Line::Direct])));
        for m in [Measure::SpanAvoided, Measure::SpanNet] {
            row.push(cell(range(m)));
        }
        row.push(net.and_then(|c| c.prob_better).map_or("-".into(), pc));
        rows.push(row);
    }
    let title = match span.years() {
        1 => format!("over the financial year {}", span.words()),
        _ => format!("over the financial years {}", span.words()),
    };
    let title = format!(
        "Each option against the baseline {title} (mean and 90% range of each replication's sum):"
    );
    Some((title, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn break_even_in_words() {
        let start = YearMonth::parse("2023-01").unwrap();
        let be = |months: &[f64], p: f64| {
            vec![Compared {
                measure: Measure::BreakEvenMonth,
                name: "break_even_month".into(),
                summary: (!months.is_empty()).then(|| crate::stats::Summary::of(months)),
                mean: None,
                prob_better: Some(p),
            }]
        };
        // Median month 5 after January 2023, in 80% of replications.
        assert_eq!(
            break_even(&be(&[3.0, 5.0, 7.0], 0.8), start, 24),
            "2023-06 (80%)"
        );
        // In most runs the option never costs more: no month to pay back in.
        assert_eq!(
            break_even(&be(&[1.0, 1.0, 4.0], 1.0), start, 24),
            "from the start in most runs that break even (100% do)"
        );
        assert_eq!(
            break_even(&be(&[1.0, 2.0, 4.0], 0.9), start, 24),
            "2023-03 (90%)"
        );
        assert_eq!(break_even(&be(&[20.0], 0.3), start, 24), "not likely (30%)");
        // No replication broke even within the 24 months.
        assert_eq!(break_even(&be(&[], 0.0), start, 24), "not by 2025-01 (0%)");
        // The same cost as the baseline in every replication: it "breaks even" in its first month,
        // but there is nothing to break even on.
        let same = |diffs: &[f64]| {
            let mut c = be(&[1.0, 1.0], 1.0);
            c.push(Compared {
                measure: Measure::CostDiffTotal,
                name: "cost_diff_total".into(),
                summary: Some(crate::stats::Summary::of(diffs)),
                mean: None,
                prob_better: Some(0.0),
            });
            break_even(&c, start, 24)
        };
        assert_eq!(same(&[0.0, 0.0, 0.0]), "none: costs the same");
        assert_eq!(same(&[0.0]), "none: costs the same");
        // Zero on average but not in every replication.
        assert_eq!(
            same(&[-5.0, 0.0, 5.0]),
            "from the start in most runs that break even (100% do)"
        );
    }

    #[test]
    fn layout_aligns_columns() {
        let t = layout(&[
            vec!["a".into(), "bb".into()],
            vec!["ccc".into(), "d".into()],
        ]);
        assert_eq!(t, "a    bb\n-------\nccc   d\n");
    }
}
