//! Paired comparison of an option with the baseline, replication by replication.
//!
//! Every option runs on the same random numbers as the baseline (common random numbers), so the
//! difference in one replication isolates the option's effect; its spread across replications is the
//! honest uncertainty of that effect, far narrower than comparing two independent runs.

use serde::Serialize;

use crate::stats::Summary;

/// One row of `comparison.csv`.
#[derive(Clone, Debug, Serialize)]
pub struct Measure {
    pub measure: String,
    /// Summary across replications; `None` for ratio measures, which have only a mean.
    pub summary: Option<Summary>,
    pub mean: Option<f64>,
    /// Probability the option is better on this measure; `None` where that means nothing.
    pub prob_better: Option<f64>,
}

impl Measure {
    /// A difference summarised across replications; `lower_is_better` sets what "better" means.
    pub fn diff(name: impl Into<String>, diffs: &[f64], lower_is_better: bool) -> Measure {
        let better = diffs
            .iter()
            .filter(|&&d| if lower_is_better { d < 0.0 } else { d > 0.0 })
            .count();
        let s = Summary::of(diffs);
        Measure {
            measure: name.into(),
            summary: Some(s),
            mean: Some(s.mean),
            prob_better: Some(better as f64 / diffs.len() as f64),
        }
    }

    pub fn ratio(name: impl Into<String>, value: Option<f64>) -> Measure {
        Measure {
            measure: name.into(),
            summary: None,
            mean: value,
            prob_better: None,
        }
    }
}

/// The break-even month of one replication: the first month from which the option's cumulative cost,
/// less the baseline's, stays at or below zero to the end of the horizon. `None` if it never does.
/// `diff[m]` is the month-`m` cost difference for months 1..=H (`diff[0]` is ignored).
pub fn break_even_month(diff: &[f64]) -> Option<usize> {
    let mut cum = 0.0;
    let mut last_positive = 0;
    for (m, d) in diff.iter().enumerate().skip(1) {
        cum += d;
        if cum > 0.0 {
            last_positive = m;
        }
    }
    if last_positive == diff.len() - 1 && diff.len() > 1 {
        None
    } else {
        Some(last_positive + 1)
    }
}

/// Net present value of monthly costs (`costs[m]` for months 1..=H) at an annual discount rate,
/// discounting month `m` by `(1 + rate)^(m / 12)`.
pub fn npv(costs: &[f64], annual_rate: f64) -> f64 {
    costs
        .iter()
        .enumerate()
        .skip(1)
        .map(|(m, c)| c / (1.0 + annual_rate).powf(m as f64 / 12.0))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn break_even_is_where_cumulative_savings_stay_non_positive() {
        // Cumulative: 10, 15, 5, -5, -10 -> last positive at month 3, break-even month 4.
        assert_eq!(
            break_even_month(&[0.0, 10.0, 5.0, -10.0, -10.0, -5.0]),
            Some(4)
        );
        // Dips below zero then back above: only the sustained crossing counts.
        assert_eq!(break_even_month(&[0.0, -5.0, 10.0, -20.0]), Some(3));
        // Cheaper from the first month.
        assert_eq!(break_even_month(&[0.0, -1.0, -1.0]), Some(1));
        // Never pays back.
        assert_eq!(break_even_month(&[0.0, 5.0, -1.0, -1.0]), None);
        // Identical options: zero difference counts as broken even from month 1.
        assert_eq!(break_even_month(&[0.0, 0.0, 0.0]), Some(1));
    }

    #[test]
    fn npv_discounts_by_month() {
        let v = npv(&[0.0, 100.0, 100.0], 0.035);
        let expected = 100.0 / 1.035f64.powf(1.0 / 12.0) + 100.0 / 1.035f64.powf(2.0 / 12.0);
        assert!((v - expected).abs() < 1e-9);
        assert_eq!(npv(&[0.0, 100.0, 100.0], 0.0), 200.0);
    }

    #[test]
    fn prob_better_counts_strict_improvements() {
        let m = Measure::diff("cost_diff_total", &[-1.0, 0.0, 2.0, -3.0], true);
        assert_eq!(m.prob_better, Some(0.5));
        let m = Measure::diff("x", &[0.0, 0.0], true);
        assert_eq!(m.prob_better, Some(0.0));
        assert_eq!(m.summary.unwrap().p95, 0.0);
    }
}
