//! Money over time: net present value at a discount rate, and the month an option breaks even.

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

/// Discount factors `(1 + rate)^(-m/12)` for months 0..=`months`: month `m`'s cost is discounted
/// by `m / 12` years at an annual rate.
pub fn discount_factors(annual_rate: f64, months: usize) -> Vec<f64> {
    (0..=months)
        .map(|m| (1.0 + annual_rate).powf(-(m as f64) / 12.0))
        .collect()
}

/// Net present value of monthly costs (`costs[m]` for months 1..=H; month 0 is the start and has no
/// cost) with factors from [`discount_factors`].
pub fn npv(costs: impl IntoIterator<Item = f64>, factors: &[f64]) -> f64 {
    costs
        .into_iter()
        .zip(factors)
        .skip(1)
        .map(|(c, f)| c * f)
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
        let f = discount_factors(0.035, 2);
        let v = npv([0.0, 100.0, 100.0], &f);
        let expected = 100.0 / 1.035f64.powf(1.0 / 12.0) + 100.0 / 1.035f64.powf(2.0 / 12.0);
        assert!((v - expected).abs() < 1e-9);
        assert_eq!(npv([0.0, 100.0, 100.0], &discount_factors(0.0, 2)), 200.0);
        // A cost in month 12 is discounted by exactly one year.
        assert!((discount_factors(0.035, 12)[12] - 1.0 / 1.035).abs() < 1e-15);
    }
}
