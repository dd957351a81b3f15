//! Uncertain inputs: a number, or a distribution sampled once per replication.
//!
//! Any rate or effect in a scenario may be written as a plain number or as a table such as
//! `{ dist = "triangular", low = 0.05, mode = 0.10, high = 0.20 }`. A distribution is drawn once at the
//! start of each replication from that parameter's own stream, keyed by its path, so every option sees
//! the same draw (common random numbers) and adding a parameter does not shift the others.

use rand::RngExt;
use rand_distr::{Beta, Distribution, LogNormal, Normal, Triangular};
use statrs::distribution::{ContinuousCDF, Normal as StatNormal};

use crate::model::format::fmt_g;
use crate::scenario::spanned::{Node, Reader};
use crate::sim::rng::{RepStream, hash_str};

/// The shapes a parameter may take.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    Fixed(f64),
    Uniform {
        low: f64,
        high: f64,
    },
    Triangular {
        low: f64,
        mode: f64,
        high: f64,
    },
    /// Beta(alpha, beta) scaled to [low, high].
    Beta {
        alpha: f64,
        beta: f64,
        low: f64,
        high: f64,
    },
    /// Normal(mean, sd) truncated to [low, high].
    Normal {
        mean: f64,
        sd: f64,
        low: f64,
        high: f64,
    },
    /// Log-normal with the given median and log-scale standard deviation.
    LogNormal {
        median: f64,
        sigma: f64,
    },
}

/// A scenario input that may be uncertain.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub dist: Dist,
    /// Hash of the key path that names this parameter's random stream.
    pub key: u64,
    pub path: String,
}

impl Param {
    pub fn fixed(x: f64) -> Param {
        Param {
            dist: Dist::Fixed(x),
            key: 0,
            path: String::new(),
        }
    }

    pub fn is_uncertain(&self) -> bool {
        !matches!(self.dist, Dist::Fixed(_))
    }

    /// The value in replication `stream`.
    pub fn draw(&self, stream: &RepStream) -> f64 {
        match self.dist {
            Dist::Fixed(x) => x,
            _ => self.sample(&mut stream.param_rng(self.key)),
        }
    }

    fn sample<R: rand::Rng>(&self, rng: &mut R) -> f64 {
        match self.dist {
            Dist::Fixed(x) => x,
            Dist::Uniform { low, high } => low + (high - low) * rng.random::<f64>(),
            Dist::Triangular { low, mode, high } => {
                Triangular::new(low, high, mode).map_or(mode, |d| d.sample(rng))
            }
            Dist::Beta {
                alpha,
                beta,
                low,
                high,
            } => {
                let b = Beta::new(alpha, beta).map_or(0.5, |d| d.sample(rng));
                low + (high - low) * b
            }
            Dist::Normal {
                mean,
                sd,
                low,
                high,
            } => {
                // Validation guarantees at least 0.1% of the mass lies in [low, high], so the
                // expected number of tries is at most 1000; the inverse-CDF fallback keeps this exact.
                let d = Normal::new(mean, sd).expect("validated sd > 0");
                for _ in 0..64 {
                    let x = d.sample(rng);
                    if (low..=high).contains(&x) {
                        return x;
                    }
                }
                let n = StatNormal::new(mean, sd).expect("validated sd > 0");
                let (a, b) = (n.cdf(low), n.cdf(high));
                n.inverse_cdf(a + (b - a) * rng.random::<f64>())
                    .clamp(low, high)
            }
            Dist::LogNormal { median, sigma } => {
                LogNormal::new(median.ln(), sigma).map_or(median, |d| d.sample(rng))
            }
        }
    }

    /// The `q` quantile (0 < q < 1) of the input's distribution; the number itself when fixed.
    pub fn quantile(&self, q: f64) -> f64 {
        use statrs::distribution::Beta as StatBeta;
        match self.dist {
            Dist::Fixed(x) => x,
            Dist::Uniform { low, high } => low + q * (high - low),
            Dist::Triangular { low, mode, high } => {
                let w = high - low;
                if w <= 0.0 {
                    return mode;
                }
                if q < (mode - low) / w {
                    low + (q * w * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - q) * w * (high - mode)).sqrt()
                }
            }
            Dist::Beta {
                alpha,
                beta,
                low,
                high,
            } => {
                let b = StatBeta::new(alpha, beta).map_or(0.5, |d| d.inverse_cdf(q));
                low + (high - low) * b
            }
            Dist::Normal {
                mean,
                sd,
                low,
                high,
            } => {
                let n = StatNormal::new(mean, sd).expect("validated sd > 0");
                let (a, b) = (n.cdf(low), n.cdf(high));
                n.inverse_cdf(a + (b - a) * q).clamp(low, high)
            }
            Dist::LogNormal { median, sigma } => {
                let z = StatNormal::new(0.0, 1.0)
                    .expect("standard normal")
                    .inverse_cdf(q);
                median * (sigma * z).exp()
            }
        }
    }

    /// A central value for summaries: the number itself, or the distribution's median.
    pub fn central(&self) -> f64 {
        match self.dist {
            Dist::Fixed(x) => x,
            Dist::LogNormal { median, .. } => median,
            _ => {
                let mut v: Vec<f64> = (0..2001)
                    .map(|i| self.sample(&mut RepStream::new(0, i).param_rng(self.key)))
                    .collect();
                v.sort_by(f64::total_cmp);
                v[1000]
            }
        }
    }

    /// A short human description, e.g. `0.25` or `triangular 0.1-0.3 (mode 0.2)`.
    pub fn describe(&self) -> String {
        match self.dist {
            Dist::Fixed(x) => fmt_g(x),
            Dist::Uniform { low, high } => format!("uniform {}-{}", fmt_g(low), fmt_g(high)),
            Dist::Triangular { low, mode, high } => {
                format!(
                    "triangular {}-{} (mode {})",
                    fmt_g(low),
                    fmt_g(high),
                    fmt_g(mode)
                )
            }
            Dist::Beta {
                alpha,
                beta,
                low,
                high,
            } => {
                format!(
                    "beta({}, {}) on {}-{}",
                    fmt_g(alpha),
                    fmt_g(beta),
                    fmt_g(low),
                    fmt_g(high)
                )
            }
            Dist::Normal {
                mean,
                sd,
                low,
                high,
            } => {
                format!(
                    "normal {} sd {} within {}-{}",
                    fmt_g(mean),
                    fmt_g(sd),
                    fmt_g(low),
                    fmt_g(high)
                )
            }
            Dist::LogNormal { median, sigma } => {
                format!("lognormal median {} sigma {}", fmt_g(median), fmt_g(sigma))
            }
        }
    }
}

/// The values a parameter may take, for messages and checks.
#[derive(Clone, Copy, Debug)]
pub struct Allowed {
    pub lo: f64,
    pub hi: f64,
    pub what: &'static str,
}

pub const RATE: Allowed = Allowed {
    lo: 0.0,
    hi: 1.0,
    what: "a rate from 0 to 1",
};
pub const NON_NEGATIVE: Allowed = Allowed {
    lo: 0.0,
    hi: f64::INFINITY,
    what: "a number of at least 0",
};
/// A proportional change, e.g. -0.2 for a 20% cut; cannot take a rate below zero.
pub const EFFECT: Allowed = Allowed {
    lo: -1.0,
    hi: 10.0,
    what: "a proportional change from -1 (a 100% cut) to 10",
};

const DIST_KINDS: &str = "uniform, triangular, beta, normal, lognormal";

/// Reads a parameter: a number, or a distribution table, whose every possible value lies in `allowed`.
pub fn read_param(r: &mut Reader, node: &Node, allowed: Allowed, key_path: &str) -> Option<Param> {
    let make = |dist| Param {
        dist,
        key: hash_str(key_path),
        path: node.path.clone(),
    };
    if !matches!(node.value.get_ref(), toml::de::DeValue::Table(_)) {
        let x = r.number(node);
        if x.is_none() {
            if matches!(node.value.get_ref(), toml::de::DeValue::String(_)) {
                r.diagnostics.pop();
                let found = crate::scenario::spanned::describe(node.value.get_ref());
                r.node_error(
                    node,
                    format!(
                        "expected a number or a distribution table ({DIST_KINDS}), found {found}"
                    ),
                );
            }
            return None;
        }
        let x = x?;
        if x < allowed.lo || x > allowed.hi {
            r.node_error(
                node,
                format!("found {}; allowed: {}", fmt_g(x), allowed.what),
            );
            return None;
        }
        return Some(make(Dist::Fixed(x)));
    }
    let mut t = r.table(node)?;
    let kind = t.require(r, "dist", DIST_KINDS).and_then(|n| r.string(&n));
    let num = |t: &mut crate::scenario::spanned::Table,
               r: &mut Reader,
               key: &'static str,
               what: &str| { t.require(r, key, what).and_then(|n| r.number(&n)) };
    let dist = match kind.as_deref() {
        Some("uniform") => {
            let low = num(&mut t, r, "low", "the lowest value");
            let high = num(&mut t, r, "high", "the highest value");
            match (low, high) {
                (Some(low), Some(high)) => ordered(r, node, &[low, high], "low <= high")
                    .then_some(Dist::Uniform { low, high }),
                _ => None,
            }
        }
        Some("triangular") => {
            let low = num(&mut t, r, "low", "the lowest value");
            let mode = num(&mut t, r, "mode", "the most likely value");
            let high = num(&mut t, r, "high", "the highest value");
            match (low, mode, high) {
                (Some(low), Some(mode), Some(high)) => {
                    ordered(r, node, &[low, mode, high], "low <= mode <= high")
                        .then_some(Dist::Triangular { low, mode, high })
                }
                _ => None,
            }
        }
        Some("beta") => {
            let alpha = num(&mut t, r, "alpha", "a shape number above 0");
            let beta = num(&mut t, r, "beta", "a shape number above 0");
            let low = t.get("low").and_then(|n| r.number(&n)).unwrap_or(0.0);
            let high = t.get("high").and_then(|n| r.number(&n)).unwrap_or(1.0);
            match (alpha, beta) {
                (Some(a), Some(b)) if a > 0.0 && b > 0.0 => {
                    ordered(r, node, &[low, high], "low <= high").then_some(Dist::Beta {
                        alpha: a,
                        beta: b,
                        low,
                        high,
                    })
                }
                (Some(_), Some(_)) => {
                    r.node_error(node, "beta shapes `alpha` and `beta` must both be above 0");
                    None
                }
                _ => None,
            }
        }
        Some("normal") => {
            let mean = num(&mut t, r, "mean", "the mean");
            let sd = num(&mut t, r, "sd", "the standard deviation, above 0");
            let low = t
                .get("low")
                .and_then(|n| r.number(&n))
                .unwrap_or(allowed.lo);
            let high = t
                .get("high")
                .and_then(|n| r.number(&n))
                .unwrap_or(allowed.hi);
            match (mean, sd) {
                (Some(mean), Some(sd)) if sd > 0.0 => {
                    let n = StatNormal::new(mean, sd).expect("sd > 0");
                    let mass = n.cdf(high) - n.cdf(low);
                    if !ordered(r, node, &[low, high], "low <= high") {
                        None
                    } else if mass < 1e-3 {
                        r.node_error(
                            node,
                            format!(
                                "only {:.4}% of normal(mean {}, sd {}) lies between {} and {}; move the mean or widen the bounds",
                                mass * 100.0,
                                fmt_g(mean),
                                fmt_g(sd),
                                fmt_g(low),
                                fmt_g(high)
                            ),
                        );
                        None
                    } else {
                        Some(Dist::Normal {
                            mean,
                            sd,
                            low,
                            high,
                        })
                    }
                }
                (Some(_), Some(sd)) => {
                    r.node_error(
                        node,
                        format!("normal `sd` is {}; it must be above 0", fmt_g(sd)),
                    );
                    None
                }
                _ => None,
            }
        }
        Some("lognormal") => {
            let median = num(&mut t, r, "median", "the median, above 0");
            let sigma = num(
                &mut t,
                r,
                "sigma",
                "the standard deviation of the logarithm, above 0",
            );
            match (median, sigma) {
                (Some(m), Some(s)) if m > 0.0 && s > 0.0 => {
                    if allowed.hi.is_finite() {
                        r.node_error(
                            node,
                            format!("a lognormal distribution is unbounded above, but this input must be {}; use beta, triangular, uniform or normal with bounds", allowed.what),
                        );
                        None
                    } else {
                        Some(Dist::LogNormal {
                            median: m,
                            sigma: s,
                        })
                    }
                }
                (Some(_), Some(_)) => {
                    r.node_error(node, "lognormal `median` and `sigma` must both be above 0");
                    None
                }
                _ => None,
            }
        }
        Some(other) => {
            let known: Vec<&str> = DIST_KINDS.split(", ").collect();
            let hint = crate::scenario::spanned::closest(other, &known)
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            r.node_error(
                node,
                format!("unknown distribution `{other}`{hint} (allowed: {DIST_KINDS})"),
            );
            None
        }
        None => None,
    };
    // Read the remaining keys so that only truly unknown ones are reported.
    for k in [
        "low", "high", "mode", "alpha", "beta", "mean", "sd", "median", "sigma", "note",
    ] {
        let known_for_kind = match kind.as_deref() {
            Some("uniform") => ["low", "high"].as_slice(),
            Some("triangular") => &["low", "mode", "high"],
            Some("beta") => &["alpha", "beta", "low", "high"],
            Some("normal") => &["mean", "sd", "low", "high"],
            Some("lognormal") => &["median", "sigma"],
            // The kind is unknown or missing: that is the error; do not also flag its parameters.
            _ => &[
                "low", "high", "mode", "alpha", "beta", "mean", "sd", "median", "sigma",
            ],
        };
        if known_for_kind.contains(&k) || k == "note" {
            t.get(k);
        }
    }
    r.finish(t);
    let dist = dist?;
    let (lo, hi) = support(&dist);
    if lo < allowed.lo || hi > allowed.hi {
        r.node_error(
            node,
            format!(
                "this distribution reaches {}-{}; every value must be {}",
                fmt_g(lo),
                fmt_g(hi),
                allowed.what
            ),
        );
        return None;
    }
    Some(make(dist))
}

fn ordered(r: &mut Reader, node: &Node, xs: &[f64], rule: &str) -> bool {
    if xs.windows(2).all(|w| w[0] <= w[1]) {
        true
    } else {
        let found: Vec<String> = xs.iter().map(|x| fmt_g(*x)).collect();
        r.node_error(node, format!("needs {rule}; found {}", found.join(", ")));
        false
    }
}

/// The smallest and largest values a distribution can produce.
pub fn support(d: &Dist) -> (f64, f64) {
    match *d {
        Dist::Fixed(x) => (x, x),
        Dist::Uniform { low, high } | Dist::Triangular { low, high, .. } => (low, high),
        Dist::Beta { low, high, .. } | Dist::Normal { low, high, .. } => (low, high),
        Dist::LogNormal { .. } => (0.0, f64::INFINITY),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(d: Dist) -> Param {
        Param {
            dist: d,
            key: 17,
            path: "x".into(),
        }
    }

    fn draws(p: &Param, n: u64) -> Vec<f64> {
        (0..n).map(|i| p.draw(&RepStream::new(5, i))).collect()
    }

    fn mean(v: &[f64]) -> f64 {
        v.iter().sum::<f64>() / v.len() as f64
    }

    #[test]
    fn quantiles_match_hand_computed_values() {
        let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        close(param(Dist::Fixed(3.0)).quantile(0.1), 3.0);
        close(
            param(Dist::Uniform {
                low: 1.0,
                high: 3.0,
            })
            .quantile(0.9),
            2.8,
        );
        // Triangular(0, 1, 2): F(x) = x^2 / 2 below the mode, so the 10th percentile is sqrt(0.2).
        let t = param(Dist::Triangular {
            low: 0.0,
            mode: 1.0,
            high: 2.0,
        });
        close(t.quantile(0.1), 0.2_f64.sqrt());
        close(t.quantile(0.9), 2.0 - 0.2_f64.sqrt());
        // Beta(1, 1) on [10, 20] is uniform.
        let b = param(Dist::Beta {
            alpha: 1.0,
            beta: 1.0,
            low: 10.0,
            high: 20.0,
        });
        assert!((b.quantile(0.1) - 11.0).abs() < 1e-6);
        // Normal(0, 1) untruncated in practice: z(0.9) = 1.2815515655.
        let n = param(Dist::Normal {
            mean: 0.0,
            sd: 1.0,
            low: -50.0,
            high: 50.0,
        });
        assert!((n.quantile(0.9) - 1.281_551_565_5).abs() < 1e-8);
        let l = param(Dist::LogNormal {
            median: 100.0,
            sigma: 0.5,
        });
        assert!((l.quantile(0.9) - 100.0 * (0.5 * 1.281_551_565_5_f64).exp()).abs() < 1e-6);
        close(l.quantile(0.5), 100.0);
    }

    #[test]
    fn draws_match_known_means_and_bounds() {
        // n = 20,000; tolerances are 5 standard errors of the mean (sd / sqrt(n)).
        let n = 20_000;
        let se = |sd: f64| 5.0 * sd / (n as f64).sqrt();
        let u = draws(
            &param(Dist::Uniform {
                low: 0.1,
                high: 0.3,
            }),
            n,
        );
        assert!(u.iter().all(|x| (0.1..=0.3).contains(x)));
        assert!((mean(&u) - 0.2).abs() < se(0.2 / 12f64.sqrt()));
        let t = draws(
            &param(Dist::Triangular {
                low: 0.0,
                mode: 0.3,
                high: 0.6,
            }),
            n,
        );
        assert!((mean(&t) - 0.3).abs() < se((0.36f64 / 24.0).sqrt()));
        let b = draws(
            &param(Dist::Beta {
                alpha: 2.0,
                beta: 6.0,
                low: 0.0,
                high: 1.0,
            }),
            n,
        );
        let bsd = (2.0 * 6.0 / (64.0 * 9.0f64)).sqrt();
        assert!((mean(&b) - 0.25).abs() < se(bsd));
        let tn = draws(
            &param(Dist::Normal {
                mean: 0.5,
                sd: 0.1,
                low: 0.45,
                high: 1.0,
            }),
            n,
        );
        assert!(tn.iter().all(|x| (0.45..=1.0).contains(x)));
        let ln = draws(
            &param(Dist::LogNormal {
                median: 2.0,
                sigma: 0.5,
            }),
            n,
        );
        let mut s = ln.clone();
        s.sort_by(f64::total_cmp);
        assert!((s[n as usize / 2] - 2.0).abs() < 0.05);
    }

    #[test]
    fn the_same_replication_gives_the_same_draw() {
        let p = param(Dist::Uniform {
            low: 0.0,
            high: 1.0,
        });
        assert_eq!(p.draw(&RepStream::new(1, 2)), p.draw(&RepStream::new(1, 2)));
        assert_ne!(p.draw(&RepStream::new(1, 2)), p.draw(&RepStream::new(1, 3)));
    }
}
