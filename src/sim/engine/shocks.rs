//! Year-to-year variation: the yearly shocks that move groups of inputs around their paths.
//!
//! For each factor of a scenario's `[variation]` (leaving, hiring, agency, establishment, cases),
//! year `y` of the horizon has a shock `z_y = persistence * z_(y-1) + sd * e_y` with `z_0 = 0`. The
//! innovations `e_y` (mean 0, variance 1) are standard normal draws that depend only on the
//! replication's stream and the factor, so every option of a replication shares them (common
//! random numbers), made heavier-tailed where the factor's `tails` says; each option applies its
//! own `sd`, `persistence` and `tails`.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::scenario::param::Series;
use crate::scenario::{Factor, Variation, Wander};
use crate::stats::rng::{Counter, Purpose, RepStream};

/// How many factors there are, and each one's index: its row of `scenario::FACTORS`.
pub const FACTORS: usize = Factor::COUNT;
pub const LEAVING: usize = Factor::Leaving.index();
pub const HIRING: usize = Factor::Hiring.index();
pub const AGENCY: usize = Factor::Agency.index();
pub const ESTABLISHMENT: usize = Factor::Establishment.index();
pub const CASES: usize = Factor::Cases.index();

/// Standard normal innovations by factor and year, as far as any option has needed them.
#[derive(Clone, Debug)]
pub struct Innovations {
    stream: Counter,
    /// `by_factor[f][y - 1]` for year `y`.
    by_factor: [Vec<f64>; FACTORS],
}

impl Innovations {
    pub fn new(stream: &RepStream) -> Innovations {
        Innovations {
            stream: stream.purpose(Purpose::Variation),
            by_factor: Default::default(),
        }
    }

    /// Makes these the innovations of another replication, keeping the memory.
    pub fn renew(&mut self, stream: &RepStream) {
        self.stream = stream.purpose(Purpose::Variation);
        for v in &mut self.by_factor {
            v.clear();
        }
    }

    /// Factor `f`'s innovations for years `1..=years`.
    fn get(&mut self, f: usize, years: usize) -> &[f64] {
        let normal = Normal::standard();
        let counter = self.stream.sub(f as u64);
        let v = &mut self.by_factor[f];
        while v.len() < years {
            // A uniform in (0, 1): the counter's 53 bits, moved half a step off 0.
            let u = (counter.bits53(v.len() as u64) as f64 + 0.5) / (1u64 << 53) as f64;
            v.push(normal.inverse_cdf(u));
        }
        &v[..years]
    }
}

/// The shock of every factor in each month of a horizon: `by_month[f][m]`, zero in month 0, and
/// its multiplier `e^z` in `factor[f][m]` (worked out once a year); both empty for a factor that
/// does not wander.
#[derive(Clone, Debug)]
pub struct Shocks {
    pub by_month: [Vec<f64>; FACTORS],
    factor: [Vec<f64>; FACTORS],
}

impl Shocks {
    /// No shocks: no input wanders.
    pub fn none() -> Shocks {
        Shocks {
            by_month: Default::default(),
            factor: Default::default(),
        }
    }

    /// The shocks of `variation` over `months` months, from the replication's innovations.
    pub fn new(variation: &Variation, months: usize, innovations: &mut Innovations) -> Shocks {
        let years = months.div_ceil(12);
        let mut s = Shocks::none();
        for (d, wander) in variation.factors() {
            let f = d.factor.index();
            if wander.sd == 0.0 {
                continue;
            }
            let z = yearly(wander, innovations.get(f, years));
            let e: Vec<f64> = z.iter().map(|z| z.exp()).collect();
            let month = |by_year: &[f64], zero: f64| {
                (0..=months)
                    .map(|m| if m == 0 { zero } else { by_year[(m - 1) / 12] })
                    .collect()
            };
            s.by_month[f] = month(&z, 0.0);
            s.factor[f] = month(&e, 1.0);
        }
        s
    }

    /// Factor `f`'s shock in month `m` (0 when it does not wander).
    #[inline]
    pub fn at(&self, f: usize, m: usize) -> f64 {
        self.by_month[f].get(m).copied().unwrap_or(0.0)
    }

    /// Factor `f`'s multiplier `e^z` in month `m` (1 when it does not wander).
    #[inline]
    pub fn factor(&self, f: usize, m: usize) -> f64 {
        self.factor[f].get(m).copied().unwrap_or(1.0)
    }

    /// `series` moved by factor `f`'s shocks through `apply(value, e^z)` month by month (as it is
    /// when the factor does not wander).
    pub fn apply(&self, f: usize, series: Series, apply: impl Fn(f64, f64) -> f64) -> Series {
        if self.factor[f].is_empty() {
            return series;
        }
        Series::Monthly(
            self.factor[f]
                .iter()
                .enumerate()
                .map(|(m, &e)| apply(series.at(m), e))
                .collect(),
        )
    }

    /// Whether factor `f` wanders.
    pub fn wanders(&self, f: usize) -> bool {
        !self.by_month[f].is_empty()
    }
}

/// `z_y` for years 1, 2, ...: `z_y = persistence * z_(y-1) + sd * e_y`, from `z_0 = 0`, with
/// each standard normal innovation given the wander's tails.
pub fn yearly(w: Wander, innovations: &[f64]) -> Vec<f64> {
    let mut z = 0.0;
    innovations
        .iter()
        .map(|&e| {
            z = w.persistence * z + w.sd * w.tails.apply(e);
            z
        })
        .collect()
}

/// A rate whose odds are multiplied by `e` (a shock's `e^z`): `p e / (1 - p + p e)`; 0 and 1 stay
/// where they are.
#[inline]
pub fn on_odds(p: f64, e: f64) -> f64 {
    if e == 1.0 || p <= 0.0 || p >= 1.0 {
        return p;
    }
    p * e / (1.0 - p + p * e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::tails::Tails;

    #[test]
    fn shocks_follow_the_recursion() {
        let w = Wander {
            sd: 0.5,
            persistence: 0.6,
            tails: Tails::NORMAL,
        };
        let z = yearly(w, &[1.0, -2.0, 0.0]);
        assert_eq!(z[0], 0.5);
        assert!((z[1] - (0.6 * 0.5 - 1.0)).abs() < 1e-15);
        assert!((z[2] - 0.6 * z[1]).abs() < 1e-15);
    }

    #[test]
    fn odds_shocks_keep_rates_inside_zero_and_one() {
        assert_eq!(on_odds(0.2, 1.0), 0.2);
        assert_eq!(on_odds(0.0, 3.0), 0.0);
        assert_eq!(on_odds(1.0, 0.05), 1.0);
        // Odds 0.25 times 4 = 1: a rate of one half.
        assert!((on_odds(0.2, 4.0) - 0.5).abs() < 1e-15);
        assert!(on_odds(0.9, 50f64.exp()) <= 1.0);
    }

    #[test]
    fn a_months_shock_is_its_years() {
        let mut v = Variation::default();
        v[Factor::Hiring] = Wander {
            sd: 1.0,
            persistence: 0.0,
            tails: Tails::NORMAL,
        };
        let mut e = Innovations::new(&RepStream::new(3, 1));
        let s = Shocks::new(&v, 25, &mut e);
        assert!(!s.wanders(LEAVING) && s.wanders(HIRING));
        assert_eq!(s.at(HIRING, 0), 0.0);
        assert_eq!(s.at(HIRING, 1), s.at(HIRING, 12));
        assert_ne!(s.at(HIRING, 12), s.at(HIRING, 13));
        assert_eq!(s.at(HIRING, 25), s.by_month[HIRING][25]);
        assert_eq!(s.at(LEAVING, 7), 0.0);
        assert_eq!(s.factor(LEAVING, 7), 1.0);
        assert_eq!(s.factor(HIRING, 0), 1.0);
        assert_eq!(s.factor(HIRING, 13), s.at(HIRING, 13).exp());
    }
}
