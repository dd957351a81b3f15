//! Scores of a forecast given as an ensemble (one value per replication) against what happened:
//! how the backtest measures whether wfsim's ranges can be trusted.
//!
//! Each takes the ensemble sorted in ascending order.

use super::summary::quantile_sorted;

/// The continuous ranked probability score of the ensemble `sorted` for the outcome `y`: the
/// mean absolute error of a member, less half the mean absolute difference between two members,
/// `E|X - y| - E|X - X'| / 2`, in the outcome's unit. Lower is better; for a single value it is
/// the absolute error. With the members sorted, `sum_ij |x_i - x_j| = 2 sum_i (2i - n + 1) x_i`
/// (0-based), so it takes one pass. NaN for an empty ensemble.
pub fn crps(sorted: &[f64], y: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let nf = n as f64;
    let error = sorted.iter().map(|x| (x - y).abs()).sum::<f64>() / nf;
    let spread = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * i as f64 - nf + 1.0) * x)
        .sum::<f64>()
        / (nf * nf);
    error - spread
}

/// The probability integral transform of `y`: the share of members below it, with members equal
/// to it counted as half (so an outcome inside a run of ties sits at the run's middle). A
/// calibrated forecast's values are uniform on 0 to 1.
pub fn pit(sorted: &[f64], y: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let below = sorted.partition_point(|&x| x < y);
    let at_or_below = sorted.partition_point(|&x| x <= y);
    (below as f64 + 0.5 * (at_or_below - below) as f64) / sorted.len() as f64
}

/// The central range holding `level` (e.g. 0.9) of the ensemble: its `(1 - level) / 2` and
/// `(1 + level) / 2` percentiles, as every percentile wfsim reports (type 7). The percentiles are
/// rounded to nine places, so that 0.9 gives exactly the 5th and 95th (`(1 - 0.9) / 2` is a hair
/// below 0.05 in floating point).
pub fn central(sorted: &[f64], level: f64) -> (f64, f64) {
    let p = |x: f64| (x * 1e9).round() / 1e9;
    (
        quantile_sorted(sorted, p((1.0 - level) / 2.0)),
        quantile_sorted(sorted, p((1.0 + level) / 2.0)),
    )
}

/// Whether `y` lies in the central range holding `level` of the ensemble (ends included).
pub fn covers(sorted: &[f64], level: f64, y: f64) -> bool {
    let (lo, hi) = central(sorted, level);
    lo <= y && y <= hi
}

/// Counts of `pits` in `bins` equal bins from 0 to 1 (1 itself in the last).
pub fn histogram(pits: &[f64], bins: usize) -> Vec<usize> {
    let mut h = vec![0; bins];
    for &p in pits {
        if p.is_finite() {
            let b = ((p * bins as f64) as usize).min(bins - 1);
            h[b] += 1;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crps_by_hand() {
        // One member: the absolute error.
        assert_eq!(crps(&[3.0], 5.0), 2.0);
        // Members 0 and 2, outcome 1: E|X - y| = 1, E|X - X'| = (0 + 2 + 2 + 0) / 4 = 1, so 0.5.
        assert!((crps(&[0.0, 2.0], 1.0) - 0.5).abs() < 1e-15);
        // Members 1, 2, 3, outcome 0: E|X - y| = 2; E|X - X'| = 2 (1 + 2 + 1) / 9 = 8/9, so
        // 2 - 4/9.
        assert!((crps(&[1.0, 2.0, 3.0], 0.0) - (2.0 - 4.0 / 9.0)).abs() < 1e-15);
        // Against the definition by pairs, on an uneven ensemble.
        let xs: [f64; 5] = [-1.5, 0.2, 0.2, 0.9, 4.0];
        let y: f64 = 0.5;
        let n = xs.len() as f64;
        let e: f64 = xs.iter().map(|x| (x - y).abs()).sum::<f64>() / n;
        let d: f64 = xs
            .iter()
            .flat_map(|a| xs.iter().map(move |b| (a - b).abs()))
            .sum::<f64>()
            / (n * n);
        assert!((crps(&xs, y) - (e - d / 2.0)).abs() < 1e-14);
        assert!(crps(&[], 1.0).is_nan());
    }

    #[test]
    fn pit_counts_ties_as_half() {
        let xs = [1.0, 2.0, 2.0, 3.0];
        assert_eq!(pit(&xs, 0.0), 0.0);
        assert_eq!(pit(&xs, 2.0), 0.5);
        assert_eq!(pit(&xs, 2.5), 0.75);
        assert_eq!(pit(&xs, 9.0), 1.0);
    }

    #[test]
    fn central_ranges_and_histograms() {
        let xs: Vec<f64> = (0..=100).map(f64::from).collect();
        assert_eq!(central(&xs, 0.9), (5.0, 95.0));
        assert_eq!(central(&xs, 0.5), (25.0, 75.0));
        assert!(covers(&xs, 0.9, 95.0) && !covers(&xs, 0.9, 95.5));
        assert_eq!(histogram(&[0.0, 0.05, 0.1, 0.99, 1.0, f64::NAN], 10)[0], 2);
        assert_eq!(histogram(&[0.0, 0.05, 0.1, 0.99, 1.0], 10)[9], 2);
        assert_eq!(histogram(&[0.1], 10)[1], 1);
    }
}
