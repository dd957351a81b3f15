//! Summaries of a quantity across replications: mean, spread, percentiles (type 7) and the
//! probability of an event, each with its Monte Carlo standard error.
//!
//! Pure functions on slices, tested against hand-computed values. Sums run sequentially in
//! replication order so results are bit-identical however many threads simulated them.

use serde::Serialize;

/// The percentile `p` (0-1) of sorted data by linear interpolation between order statistics
/// (Hyndman and Fan type 7, the default of R and NumPy).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Mean, spread and percentiles of one quantity across replications.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation (n - 1 denominator).
    pub sd: f64,
    /// Monte Carlo standard error of the mean, sd / sqrt(n).
    pub se: f64,
    pub p05: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

impl Summary {
    /// Summarises `values` (in replication order). `values` must not be empty.
    pub fn of(values: &[f64]) -> Summary {
        let n = values.len();
        let mean = values.iter().sum::<f64>() / n as f64;
        let sd = if n > 1 {
            (values.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let q = |p| quantile_sorted(&sorted, p);
        Summary {
            n,
            mean,
            sd,
            se: sd / (n as f64).sqrt(),
            p05: q(0.05),
            p25: q(0.25),
            p50: q(0.50),
            p75: q(0.75),
            p95: q(0.95),
        }
    }
}

/// A probability estimated from replications, with its binomial standard error.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Probability {
    pub p: f64,
    pub se: f64,
}

impl Probability {
    pub fn of(successes: usize, n: usize) -> Probability {
        if n == 0 {
            return Probability {
                p: f64::NAN,
                se: f64::NAN,
            };
        }
        let p = successes as f64 / n as f64;
        Probability {
            p,
            se: (p * (1.0 - p) / n as f64).sqrt(),
        }
    }
}

/// The 95% one-sided bound on a chance seen in none of `n` replications: the largest chance
/// under which seeing it in none has a probability of at least 5%, `1 - 0.05^(1/n)` (about
/// `3/n`, the "rule of three"). Where every replication meets a target its standard error is 0,
/// which says nothing of how far below 100% the chance could be; this does.
pub fn none_seen_bound(n: u64) -> f64 {
    if n == 0 {
        return f64::NAN;
    }
    1.0 - 0.05f64.powf(1.0 / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bound_on_a_chance_never_seen_is_hand_computed() {
        // 1 - 0.05^(1/200) = 1 - e^(ln 0.05 / 200) = 1 - e^(-0.0149787) = 0.0148671.
        assert!((none_seen_bound(200) - 0.014_867_1).abs() < 1e-7);
        assert!((none_seen_bound(1) - 0.95).abs() < 1e-15);
        // About 3/n for large n: 3000 (1 - e^(ln 0.05 / 3000)) = 2.99424.
        assert!((none_seen_bound(3000) * 3000.0 - 2.994_24).abs() < 1e-5);
        assert!(none_seen_bound(0).is_nan());
    }

    #[test]
    fn type_7_quantiles_match_hand_computation() {
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        // h = 4p: p=0.25 -> 2.0; p=0.5 -> 3.0; p=0.9 -> h=3.6 -> 4 + 0.6*6 = 7.6; p=0.05 -> h=0.2 -> 1.2.
        assert_eq!(quantile_sorted(&v, 0.25), 2.0);
        assert_eq!(quantile_sorted(&v, 0.5), 3.0);
        assert!((quantile_sorted(&v, 0.9) - 7.6).abs() < 1e-12);
        assert!((quantile_sorted(&v, 0.05) - 1.2).abs() < 1e-12);
        assert_eq!(quantile_sorted(&v, 0.0), 1.0);
        assert_eq!(quantile_sorted(&v, 1.0), 10.0);
        assert_eq!(quantile_sorted(&[7.0], 0.3), 7.0);
    }

    #[test]
    fn summary_matches_hand_computation() {
        let s = Summary::of(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(s.mean, 5.0);
        // Sum of squared deviations = 32; sample variance 32/7.
        assert!((s.sd - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert!((s.se - s.sd / 8f64.sqrt()).abs() < 1e-12);
        assert_eq!(s.p50, 4.5);
        let same = Summary::of(&[3.0; 4]);
        assert_eq!((same.sd, same.p05, same.p95), (0.0, 3.0, 3.0));
    }

    #[test]
    fn probability_standard_error() {
        let p = Probability::of(30, 100);
        assert_eq!(p.p, 0.3);
        assert!((p.se - (0.21f64 / 100.0).sqrt()).abs() < 1e-15);
        assert_eq!(Probability::of(0, 10).se, 0.0);
    }
}
