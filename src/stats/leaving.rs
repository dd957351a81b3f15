//! Leaving rates from a council's own leavers: a gamma-Poisson posterior and its annual rate.
//!
//! A council's leavers file counts few leavers in each grade and service band, so a rate read off
//! one cell alone (4 leavers over 38 FTE-years) is mostly chance. Each cell's rate is therefore a
//! posterior, not a point: leavers are Poisson with mean `rate x exposure` (FTE-years at risk), the
//! prior on the rate is a gamma centred on a pooled rate (the grade's, itself pooled towards the
//! council's census turnover) with a strength stated in FTE-years, and the posterior is again a
//! gamma. The scenario's leaving rates are annual rates `1 - e^-rate`, so the posterior is carried
//! over to that scale exactly (its mean, variance and quantiles), and written as the beta
//! distribution with the same mean and variance: a rate between 0 and 1, skewed as the posterior
//! is. `wfsim init` uses it for the rates it builds from a council's files.

use statrs::distribution::{ContinuousCDF, Gamma};

/// A gamma distribution of a rate (leavers per FTE-year): `shape` and `rate` (the inverse
/// scale), so that its mean is `shape / rate`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GammaRate {
    pub shape: f64,
    pub rate: f64,
}

impl GammaRate {
    /// The prior centred on `mean` (leavers per FTE-year, above 0) with the weight of `strength`
    /// FTE-years of exposure: `Gamma(strength x mean, strength)`.
    pub fn prior(mean: f64, strength: f64) -> GammaRate {
        GammaRate {
            shape: strength * mean,
            rate: strength,
        }
    }

    /// The posterior after `leavers` (FTE) over `exposure` FTE-years: `Gamma(shape + leavers,
    /// rate + exposure)`, the conjugate update of a Poisson count.
    pub fn update(self, leavers: f64, exposure: f64) -> GammaRate {
        GammaRate {
            shape: self.shape + leavers,
            rate: self.rate + exposure,
        }
    }

    /// The mean rate, `shape / rate`.
    pub fn mean(self) -> f64 {
        self.shape / self.rate
    }

    /// The `p` quantile of the rate (leavers per FTE-year).
    pub fn quantile(self, p: f64) -> f64 {
        match Gamma::new(self.shape, self.rate) {
            Ok(g) => g.inverse_cdf(p.clamp(0.0, 1.0)),
            Err(_) => self.mean(),
        }
    }

    /// The `p` quantile of the annual leaving rate `1 - e^-rate`: the transformation keeps order,
    /// so it is the rate's quantile transformed.
    pub fn annual_quantile(self, p: f64) -> f64 {
        annual(self.quantile(p))
    }

    /// The mean and variance of the annual leaving rate `A = 1 - e^-R` for `R` of this gamma,
    /// exactly: `E[e^-tR] = (b / (b + t))^a`, so `E[A] = 1 - (b / (b + 1))^a` and `Var[A] =
    /// (b / (b + 2))^a - (b / (b + 1))^(2a)`.
    pub fn annual_moments(self) -> (f64, f64) {
        let (a, b) = (self.shape, self.rate);
        let m1 = (b / (b + 1.0)).powf(a);
        let m2 = (b / (b + 2.0)).powf(a);
        (1.0 - m1, (m2 - m1 * m1).max(0.0))
    }

    /// The beta distribution `(alpha, beta)` with the annual rate's mean and variance
    /// ([`beta_from_moments`]).
    pub fn annual_beta(self) -> Option<(f64, f64)> {
        let (m, v) = self.annual_moments();
        beta_from_moments(m, v)
    }
}

/// The annual leaving rate of a hazard of `rate` leavers per FTE-year: `1 - e^-rate`, the chance
/// of leaving within a year at that hazard (so that leavers over staff in post, replaced as they
/// leave, is `rate`, as the census's turnover counts them).
pub fn annual(rate: f64) -> f64 {
    1.0 - (-rate).exp()
}

/// The hazard (leavers per FTE-year) of an annual leaving rate: `-ln(1 - annual)`.
pub fn hazard(annual: f64) -> f64 {
    -(1.0 - annual).ln()
}

/// The beta distribution with mean `m` and variance `v` (method of moments): `alpha = m k`, `beta
/// = (1 - m) k` with `k = m (1 - m) / v - 1`. `None` unless `0 < m < 1` and `0 < v < m (1 - m)`
/// (no beta has a larger variance).
pub fn beta_from_moments(m: f64, v: f64) -> Option<(f64, f64)> {
    if !(m > 0.0 && m < 1.0 && v > 0.0 && v < m * (1.0 - m)) {
        return None;
    }
    let k = m * (1.0 - m) / v - 1.0;
    Some((m * k, (1.0 - m) * k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::Beta;

    #[test]
    fn the_posterior_adds_leavers_to_the_shape_and_exposure_to_the_rate() {
        // A prior centred on 0.2 a year with the weight of 10 FTE-years is Gamma(2, 10); 4 leavers
        // over 38.2 FTE-years make Gamma(6, 48.2), mean 6 / 48.2 = 0.12448.
        let prior = GammaRate::prior(0.2, 10.0);
        assert_eq!(
            prior,
            GammaRate {
                shape: 2.0,
                rate: 10.0
            }
        );
        assert!((prior.mean() - 0.2).abs() < 1e-15);
        let post = prior.update(4.0, 38.2);
        assert!((post.shape - 6.0).abs() < 1e-12 && (post.rate - 48.2).abs() < 1e-12);
        assert!((post.mean() - 0.124_481_327_8).abs() < 1e-9);
        // No exposure: the prior.
        assert_eq!(prior.update(0.0, 0.0), prior);
    }

    #[test]
    fn quantiles_match_closed_forms() {
        // Gamma(1, b) is exponential: the p quantile is -ln(1 - p) / b; the median of Gamma(1, 2)
        // is ln 2 / 2 = 0.346574.
        let g = GammaRate {
            shape: 1.0,
            rate: 2.0,
        };
        assert!((g.quantile(0.5) - 0.346_573_590_3).abs() < 1e-8);
        assert!((g.quantile(0.9) - 10f64.ln() / 2.0).abs() < 1e-8);
        // Gamma(2, 1): P(X <= x) = 1 - e^-x (1 + x); at x = 1, 1 - 2/e = 0.264241.
        let g2 = GammaRate {
            shape: 2.0,
            rate: 1.0,
        };
        assert!((g2.quantile(0.264_241_117_657_115_4) - 1.0).abs() < 1e-7);
        // The annual rate's quantile is the hazard's transformed: Gamma(1, 2)'s median hazard
        // ln 2 / 2 gives 1 - 2^-1/2 = 0.292893.
        assert!((g.annual_quantile(0.5) - (1.0 - 0.5f64.sqrt())).abs() < 1e-8);
    }

    #[test]
    fn annual_moments_are_exact() {
        // Gamma(1, 2): E[e^-R] = 2/3, E[e^-2R] = 1/2, so the annual rate has mean 1/3 and
        // variance 1/2 - 4/9 = 1/18.
        let (m, v) = GammaRate {
            shape: 1.0,
            rate: 2.0,
        }
        .annual_moments();
        assert!((m - 1.0 / 3.0).abs() < 1e-15);
        assert!((v - 1.0 / 18.0).abs() < 1e-15);
        // Gamma(6, 48.2): mean 1 - (48.2 / 49.2)^6 = 0.1159199, variance (48.2 / 50.2)^6 - (48.2 /
        // 49.2)^12 = 0.0019401 (by hand to 5 figures).
        let (m, v) = GammaRate {
            shape: 6.0,
            rate: 48.2,
        }
        .annual_moments();
        assert!((m - 0.115_919_9).abs() < 1e-7, "{m}");
        assert!((v - 0.001_940_1).abs() < 1e-7, "{v}");
    }

    #[test]
    fn the_beta_has_the_posterior_mean_and_variance_and_nearly_its_quantiles() {
        // Mean 1/3, variance 1/18: k = (2/9) / (1/18) - 1 = 3, so Beta(1, 2).
        let (a, b) = beta_from_moments(1.0 / 3.0, 1.0 / 18.0).unwrap();
        assert!((a - 1.0).abs() < 1e-12 && (b - 2.0).abs() < 1e-12);
        assert_eq!(beta_from_moments(0.5, 0.25), None);
        assert_eq!(beta_from_moments(0.0, 0.01), None);
        assert_eq!(beta_from_moments(0.3, 0.0), None);
        // For a posterior of 6 leavers' weight, the beta's 5% and 95% points lie within 0.005 of
        // the posterior's own: close enough to write it as the range.
        let g = GammaRate {
            shape: 6.0,
            rate: 48.2,
        };
        let (a, b) = g.annual_beta().unwrap();
        let beta = Beta::new(a, b).unwrap();
        for p in [0.05, 0.5, 0.95] {
            let exact = g.annual_quantile(p);
            assert!((beta.inverse_cdf(p) - exact).abs() < 0.005, "{p}: {exact}");
        }
    }

    #[test]
    fn annual_and_hazard_invert_each_other() {
        assert!((annual(0.2) - 0.181_269_246_9).abs() < 1e-9);
        assert!((hazard(annual(0.2)) - 0.2).abs() < 1e-12);
        assert_eq!(annual(0.0), 0.0);
    }
}
