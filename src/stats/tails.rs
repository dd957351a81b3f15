//! Heavy-tailed shocks: a standard normal draw made heavier-tailed with the same mean and
//! variance, so a scenario's yearly shocks can be mostly small and sometimes large. The shape is
//! solved once, when a scenario states its `tails`, and then applied to every draw.

/// A year's shock shape for one excess kurtosis: `c sinh(b e)` of a standard normal `e`, with
/// mean 0, variance 1 and excess kurtosis `k` (Johnson's SU family, symmetric). With `a = b^2`,
/// `sinh(b e)` has variance `(e^(2a) - 1) / 2` and fourth moment `(e^(8a) - 4 e^(2a) + 3) / 8`,
/// so `c` makes the variance 1 and `a` is found by bisection to give the kurtosis. `k = 0` leaves
/// `e` as it is. The same normal draw keeps its rank, so options and replications share their
/// random numbers as before.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tails {
    excess_kurtosis: f64,
    b: f64,
    c: f64,
}

impl Default for Tails {
    fn default() -> Tails {
        Tails::NORMAL
    }
}

impl Tails {
    /// No extra tails: the normal draw itself.
    pub const NORMAL: Tails = Tails {
        excess_kurtosis: 0.0,
        b: 0.0,
        c: 1.0,
    };

    /// The shape of excess kurtosis `k`; normal for `k` of 0 or less.
    pub fn new(k: f64) -> Tails {
        if k <= 0.0 || !k.is_finite() {
            return Tails::NORMAL;
        }
        let kurtosis = |a: f64| {
            let (e2, e8) = ((2.0 * a).exp(), (8.0 * a).exp());
            let var = (e2 - 1.0) / 2.0;
            (e8 - 4.0 * e2 + 3.0) / 8.0 / (var * var)
        };
        // The kurtosis rises from 3 as `a` rises from 0, past 23 by `a` = 2.
        let (mut lo, mut hi) = (1e-9, 2.0);
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if kurtosis(mid) - 3.0 < k {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let a = 0.5 * (lo + hi);
        Tails {
            excess_kurtosis: k,
            b: a.sqrt(),
            c: (2.0 / ((2.0 * a).exp() - 1.0)).sqrt(),
        }
    }

    /// The excess kurtosis asked for.
    pub fn excess_kurtosis(self) -> f64 {
        self.excess_kurtosis
    }

    /// The standard normal draw `e` given this shape.
    #[inline]
    pub fn apply(self, e: f64) -> f64 {
        if self.b == 0.0 {
            e
        } else {
            self.c * (self.b * e).sinh()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// Mean of `f(shape(e))` over the standard normal: Simpson's rule on [-14, 14] in steps
    /// of 0.001 (the normal mass outside is below 1e-44).
    fn moment(t: Tails, f: impl Fn(f64) -> f64) -> f64 {
        let (n, lo, hi) = (28_000, -14.0, 14.0);
        let h = (hi - lo) / n as f64;
        let g = |e: f64| f(t.apply(e)) * (-0.5 * e * e).exp() / (2.0 * PI).sqrt();
        let inner: f64 = (1..n)
            .map(|i| {
                let w = if i % 2 == 1 { 4.0 } else { 2.0 };
                w * g(lo + i as f64 * h)
            })
            .sum();
        (g(lo) + inner + g(hi)) * h / 3.0
    }

    #[test]
    fn shapes_keep_mean_and_variance_and_have_the_kurtosis_asked_for() {
        // No tails: the normal draw itself.
        assert_eq!(Tails::new(0.0), Tails::NORMAL);
        assert_eq!(Tails::NORMAL.apply(1.3), 1.3);
        for k in [0.5, 3.0, 10.0] {
            let t = Tails::new(k);
            assert_eq!(t.excess_kurtosis(), k);
            // Tolerances: the bisection and the quadrature are far finer than 1e-6.
            let var = moment(t, |x| x * x);
            let fourth = moment(t, |x| x.powi(4));
            assert!(moment(t, |x| x).abs() < 1e-9, "{k}");
            assert!((var - 1.0).abs() < 1e-6, "{k}: variance {var}");
            let excess = fourth / (var * var) - 3.0;
            assert!((excess - k).abs() < 1e-6, "{k}: {excess}");
            // Same spread, heavier tails: more of the mass near 0, and further out at the ends.
            assert!(t.apply(0.674).abs() < 0.674);
            assert!(t.apply(2.5) > 2.5);
            // The order of draws is kept, so common random numbers stay common.
            assert!(t.apply(-0.1) < t.apply(0.1));
        }
    }
}
