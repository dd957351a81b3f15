//! Scenario inputs that may be uncertain and may move over time.
//!
//! Any rate, effect, cost or establishment in a scenario may be written as a plain number, as a
//! distribution such as `{ dist = "triangular", low = 0.05, mode = 0.10, high = 0.20 }`, or as a
//! path from its value today: a move to another value by a date, a step at a date, or values by
//! year. A distribution is drawn once at the start of each replication from that input's own
//! stream, keyed by its path, so every option sees the same draw (common random numbers) and
//! adding an input does not shift the others. A path's parts (its end, its step, each year's
//! value) may be distributions too, each with its own stream.

use rand::RngExt;
use rand_distr::{Beta, Distribution, LogNormal, Normal, Triangular};
use statrs::distribution::{ContinuousCDF, Normal as StatNormal};

use crate::model::date::YearMonth;
use crate::model::format::fmt_g;
use crate::stats::rng::RepStream;

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

/// A scenario input that may be uncertain and may move over time.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Its value at the start (a path's `from`).
    pub dist: Dist,
    /// Hash of the key path that names this parameter's random stream.
    pub key: u64,
    pub path: String,
    /// How it moves over the horizon; `None`: it holds its value throughout.
    pub moves: Option<Box<Moves>>,
}

/// How an input moves from its value at the start.
#[derive(Clone, Debug, PartialEq)]
pub enum Moves {
    /// In a straight line from the start value at `starting` (the scenario's start when `None`)
    /// to `end` at `by`, and held after.
    Line {
        end: End,
        starting: Option<YearMonth>,
        by: YearMonth,
    },
    /// The start value before `at`, `end` from `at` on.
    Step { end: End, at: YearMonth },
    /// A value for each year stated: financial years (April to March) or calendar years. Before
    /// the first year the start value holds (the first year's when `from` is not stated, as
    /// `from_stated` says), after the last year its value.
    ByYear {
        financial: bool,
        years: Vec<(i32, Param)>,
        from_stated: bool,
    },
}

/// Where a move or a step ends: a value, or a change from the start value.
#[derive(Clone, Debug, PartialEq)]
pub enum End {
    To(Param),
    Change(Param),
}

impl End {
    fn param(&self) -> &Param {
        match self {
            End::To(p) | End::Change(p) => p,
        }
    }

    /// The end value in replication `stream`, from the start value `x0`.
    fn value(&self, x0: f64, stream: &RepStream) -> f64 {
        match self {
            End::To(p) => p.draw(stream),
            End::Change(p) => x0 + p.draw(stream),
        }
    }
}

/// An input's value month by month in one replication, from month 0 (the start) to the horizon.
#[derive(Clone, Debug, PartialEq)]
pub enum Series {
    Const(f64),
    Monthly(Vec<f64>),
}

impl Series {
    /// The value in month `m` (the last month's beyond the horizon).
    #[inline]
    pub fn at(&self, m: usize) -> f64 {
        match self {
            Series::Const(x) => *x,
            Series::Monthly(v) => v[m.min(v.len() - 1)],
        }
    }

    pub fn is_const(&self) -> bool {
        matches!(self, Series::Const(_))
    }

    /// Writes the values of months `0..out.len()` into `out`.
    pub fn write(&self, out: &mut [f64]) {
        match self {
            Series::Const(x) => out.fill(*x),
            Series::Monthly(v) => {
                let n = out.len().min(v.len());
                out[..n].copy_from_slice(&v[..n]);
                out[n..].fill(v[v.len() - 1]);
            }
        }
    }

    /// Each month's value through `f(month, value)`.
    pub fn map(&self, months: usize, f: impl Fn(usize, f64) -> f64) -> Series {
        Series::Monthly((0..=months).map(|m| f(m, self.at(m))).collect())
    }

    /// Each value through `f`, a constant staying a constant.
    pub fn map_const(&self, f: impl Fn(f64) -> f64) -> Series {
        match self {
            Series::Const(x) => Series::Const(f(*x)),
            Series::Monthly(v) => Series::Monthly(v.iter().map(|&x| f(x)).collect()),
        }
    }

    /// `f` of this and `other` month by month, two constants giving a constant.
    pub fn zip(&self, other: &Series, months: usize, f: impl Fn(f64, f64) -> f64) -> Series {
        match (self, other) {
            (Series::Const(a), Series::Const(b)) => Series::Const(f(*a, *b)),
            _ => Series::Monthly((0..=months).map(|m| f(self.at(m), other.at(m))).collect()),
        }
    }
}

impl Dist {
    /// The `q` quantile (0 < q < 1) of the distribution; the number itself when fixed.
    pub fn quantile(&self, q: f64) -> f64 {
        use statrs::distribution::Beta as StatBeta;
        match *self {
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
}

impl Param {
    pub fn fixed(x: f64) -> Param {
        Param {
            dist: Dist::Fixed(x),
            key: 0,
            path: String::new(),
            moves: None,
        }
    }

    /// Whether the input is 0 in every month of every replication.
    pub fn is_zero(&self) -> bool {
        self.dist == Dist::Fixed(0.0) && self.moves.is_none()
    }

    /// The input and the inputs its path is made of (its end, its step, each year's value), each
    /// with its own path and stream.
    pub fn parts(&self) -> Vec<&Param> {
        let mut out = Vec::new();
        match self.moves.as_deref() {
            None => out.push(self),
            Some(Moves::Line { end, .. } | Moves::Step { end, .. }) => {
                out.extend([self, end.param()]);
            }
            Some(Moves::ByYear {
                years, from_stated, ..
            }) => {
                if *from_stated {
                    out.push(self);
                }
                out.extend(years.iter().map(|(_, p)| p));
            }
        }
        out
    }

    /// The input's value in each month `0..=months` of replication `stream`, for a scenario
    /// starting at `start`.
    pub fn series(&self, stream: &RepStream, start: YearMonth, months: usize) -> Series {
        let x0 = self.draw(stream);
        let Some(moves) = self.moves.as_deref() else {
            return Series::Const(x0);
        };
        let month_of = |d: YearMonth| d.months_since(start);
        let values = match moves {
            Moves::Line { end, starting, by } => {
                let x1 = end.value(x0, stream);
                let a = starting.map_or(0, month_of);
                let b = month_of(*by);
                (0..=months as i32)
                    .map(|k| {
                        if k <= a {
                            x0
                        } else if k >= b {
                            x1
                        } else {
                            x0 + (x1 - x0) * f64::from(k - a) / f64::from(b - a)
                        }
                    })
                    .collect()
            }
            Moves::Step { end, at } => {
                let x1 = end.value(x0, stream);
                let a = month_of(*at);
                (0..=months as i32)
                    .map(|k| if k < a { x0 } else { x1 })
                    .collect()
            }
            Moves::ByYear {
                financial,
                years,
                from_stated,
            } => {
                let values: Vec<(i32, f64)> =
                    years.iter().map(|(y, p)| (*y, p.draw(stream))).collect();
                (0..=months as i32)
                    .map(|k| {
                        // A stated `from` is the value at the start, even in a year `by_year`
                        // gives: that year's value holds from the month after.
                        if k == 0 && *from_stated {
                            return x0;
                        }
                        let d = start.add_months(k);
                        let y = if *financial {
                            d.financial_year()
                        } else {
                            d.year()
                        };
                        values
                            .iter()
                            .rev()
                            .find(|(from, _)| *from <= y)
                            .map_or(x0, |&(_, v)| v)
                    })
                    .collect()
            }
        };
        Series::Monthly(values)
    }

    /// The least and greatest values the input can take at any time.
    pub fn range(&self) -> (f64, f64) {
        let (lo, hi) = support(&self.dist);
        match self.moves.as_deref() {
            None => (lo, hi),
            Some(Moves::Line { end, .. } | Moves::Step { end, .. }) => {
                let (a, b) = support(&end.param().dist);
                let (a, b) = match end {
                    End::To(_) => (a, b),
                    End::Change(_) => (lo + a, hi + b),
                };
                (lo.min(a), hi.max(b))
            }
            Some(Moves::ByYear {
                years, from_stated, ..
            }) => {
                let start = if *from_stated {
                    (lo, hi)
                } else {
                    (f64::INFINITY, f64::NEG_INFINITY)
                };
                years.iter().fold(start, |(lo, hi), (_, p)| {
                    let (a, b) = support(&p.dist);
                    (lo.min(a), hi.max(b))
                })
            }
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
                // The truncated normal's quantile at a uniform.
                self.dist.quantile(rng.random::<f64>())
            }
            Dist::LogNormal { median, sigma } => {
                LogNormal::new(median.ln(), sigma).map_or(median, |d| d.sample(rng))
            }
        }
    }

    /// The `q` quantile (0 < q < 1) of the input's distribution; the number itself when fixed.
    pub fn quantile(&self, q: f64) -> f64 {
        self.dist.quantile(q)
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

    /// In words, e.g. `0.25`, `triangular 0.1 to 0.3 (mode 0.2)`, `0.27 falling to 0.18 by
    /// 2025-09`, `136 until 2024-04, then 144`, or `0.3 in 2023/24, 0.25 in 2024/25`.
    pub fn describe(&self) -> String {
        let now = self.describe_value();
        let Some(moves) = self.moves.as_deref() else {
            return now;
        };
        match moves {
            Moves::Line { end, starting, by } => {
                let from = match starting {
                    Some(s) => format!("{now}, from {s}"),
                    None => now,
                };
                match end {
                    End::To(p) => format!(
                        "{from} {} {} by {by}",
                        self.direction(p),
                        p.describe_value()
                    ),
                    End::Change(p) => format!("{from} changing by {} by {by}", signed(p)),
                }
            }
            Moves::Step { end, at } => match end {
                End::To(p) => format!("{now} until {at}, then {}", p.describe_value()),
                End::Change(p) => format!("{now}, changing by {} in {at}", signed(p)),
            },
            Moves::ByYear {
                years, from_stated, ..
            } => {
                let each: Vec<String> = years
                    .iter()
                    .map(|(y, p)| format!("{} in {}", p.describe_value(), year_label(*y, moves)))
                    .collect();
                if *from_stated {
                    format!("{now}, then {}", each.join(", "))
                } else {
                    each.join(", ")
                }
            }
        }
    }

    /// "falling to" or "rising to" between two numbers; "moving to" otherwise.
    fn direction(&self, to: &Param) -> &'static str {
        match (&self.dist, &to.dist) {
            (Dist::Fixed(a), Dist::Fixed(b)) if b < a => "falling to",
            (Dist::Fixed(a), Dist::Fixed(b)) if b > a => "rising to",
            _ => "moving to",
        }
    }

    /// The value as it is at the start, in words.
    fn describe_value(&self) -> String {
        match self.dist {
            Dist::Fixed(x) => fmt_g(x),
            Dist::Uniform { low, high } => format!("uniform {} to {}", fmt_g(low), fmt_g(high)),
            Dist::Triangular { low, mode, high } => {
                format!(
                    "triangular {} to {} (mode {})",
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
                    "beta({}, {}) on {} to {}",
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
                    "normal {} sd {} within {} to {}",
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

/// How an input's numbers are written for a reader: a share or rate as a percentage, money in
/// pounds, anything else as a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    Percent,
    Pounds,
    Number,
}

impl Shown {
    /// One number: `18.5%`, `£36,000`, `136`.
    pub fn value(self, x: f64) -> String {
        match self {
            Shown::Percent => format!("{}%", fmt_g((100.0 * x * 1e4).round() / 1e4)),
            Shown::Pounds => crate::model::format::pounds(x),
            Shown::Number => fmt_g(x),
        }
    }

    /// A signed change: `+8`, `-2%`, `+£1,290`.
    fn change(self, x: f64) -> String {
        if x > 0.0 {
            format!("+{}", self.value(x))
        } else {
            self.value(x)
        }
    }
}

impl Param {
    /// The input in plain English for a reader of the report, its numbers written as `shown`
    /// says, months counted from the scenario's `start`: "17% to 20%, most likely 18%", "from
    /// 27% to 18% over 36 months (by 2025-09)", "13.8% to 2025-03, then 15% from 2025-04",
    /// "£2,000, then £2,100 in 2024/25".
    pub fn words(&self, shown: Shown, start: YearMonth) -> String {
        let now = dist_words(&self.dist, shown);
        let Some(moves) = self.moves.as_deref() else {
            return now;
        };
        match moves {
            Moves::Line { end, starting, by } => {
                let first = starting.unwrap_or(start);
                let n = by.months_since(first);
                let over = format!("over {n} month{}", if n == 1 { "" } else { "s" });
                let to = match end {
                    End::To(p) => format!("to {}", dist_words(&p.dist, shown)),
                    End::Change(p) => format!("changing by {}", change_words(p, shown)),
                };
                match starting {
                    Some(s) => format!("{now}, then from {s} {to} {over} (by {by})"),
                    None => format!("from {now} {to} {over} (by {by})"),
                }
            }
            Moves::Step { end, at } => {
                let before = at.add_months(-1);
                let then = match end {
                    End::To(p) => dist_words(&p.dist, shown),
                    End::Change(p) => format!("{} more", change_words(p, shown)),
                };
                format!("{now} to {before}, then {then} from {at}")
            }
            Moves::ByYear {
                years, from_stated, ..
            } => {
                let each: Vec<String> = years
                    .iter()
                    .map(|(y, p)| {
                        format!(
                            "{} in {}",
                            dist_words(&p.dist, shown),
                            year_label(*y, moves)
                        )
                    })
                    .collect();
                if *from_stated {
                    format!("{now}, then {}", each.join(", "))
                } else {
                    each.join(", ")
                }
            }
        }
    }
}

/// A distribution in plain English: "18%", "17% to 20%", "17% to 20%, most likely 18%".
fn dist_words(d: &Dist, shown: Shown) -> String {
    let v = |x: f64| shown.value(x);
    match *d {
        Dist::Fixed(x) => v(x),
        Dist::Uniform { low, high } => {
            format!("{} to {}, any value equally likely", v(low), v(high))
        }
        Dist::Triangular { low, mode, high } => {
            format!("{} to {}, most likely {}", v(low), v(high), v(mode))
        }
        Dist::Beta {
            alpha,
            beta,
            low,
            high,
        } => {
            // Worked out, not stated: a percentage to one decimal place.
            let r = |x: f64| match shown {
                Shown::Percent => format!("{}%", fmt_g((1000.0 * x).round() / 10.0)),
                _ => v(x),
            };
            let mean = low + (high - low) * alpha / (alpha + beta);
            format!(
                "on average {}, 90% of values {} to {}",
                r(mean),
                r(d.quantile(0.05)),
                r(d.quantile(0.95))
            )
        }
        Dist::Normal {
            mean,
            sd,
            low,
            high,
        } => {
            let spread = match shown {
                Shown::Percent => format!("{} points", fmt_g((100.0 * sd * 1e4).round() / 1e4)),
                _ => v(sd),
            };
            format!(
                "about {} (standard deviation {spread}), within {} to {}",
                v(mean),
                v(low),
                v(high)
            )
        }
        Dist::LogNormal { median, .. } => format!(
            "about {} (median; one in ten below {}, one in ten above {})",
            v(median),
            v(d.quantile(0.1)),
            v(d.quantile(0.9))
        ),
    }
}

/// A change in plain English, with its sign where it is a number.
fn change_words(p: &Param, shown: Shown) -> String {
    match p.dist {
        Dist::Fixed(x) => shown.change(x),
        _ => dist_words(&p.dist, shown),
    }
}

/// A change in words, with its sign: `+8`, `-0.05`, or a distribution.
fn signed(p: &Param) -> String {
    match p.dist {
        Dist::Fixed(x) if x > 0.0 => format!("+{}", fmt_g(x)),
        _ => p.describe_value(),
    }
}

/// A year of a by-year path as the file states it: `2023/24` or `2024`.
fn year_label(y: i32, moves: &Moves) -> String {
    match moves {
        Moves::ByYear {
            financial: true, ..
        } => crate::model::date::financial_year_label(y),
        _ => y.to_string(),
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
/// An amount of money: pounds, up to ten million (so that any run's sums stay finite and exact
/// to the penny).
pub const MONEY: Allowed = Allowed {
    lo: 0.0,
    hi: 1e7,
    what: "pounds from 0 to 10,000,000",
};
/// A proportional change, e.g. -0.2 for a 20% cut; cannot take a rate below zero.
pub const EFFECT: Allowed = Allowed {
    lo: -1.0,
    hi: 10.0,
    what: "a proportional change from -1 (a 100% cut) to 10",
};

/// Case-holding FTE for each FTE of a grade or of agency: 1 a full caseload, 0 none.
pub const WEIGHT: Allowed = Allowed {
    lo: 0.0,
    hi: 2.0,
    what: "case-holding FTE per FTE from 0 (holds no cases) to 2; 1 is a full caseload",
};

/// An elasticity: the proportional change of one thing for a proportional change of another.
pub const EFFECT_SIZE: Allowed = Allowed {
    lo: 0.0,
    hi: 10.0,
    what: "an elasticity from 0 (no link) to 10, e.g. 0.5: leaving 5% higher for a caseload 10% above the reference",
};

/// How many standard deviations of its logarithm a lognormal's "largest" value lies above its
/// median: it is exceeded one draw in a trillion.
pub const LOGNORMAL_TOP_Z: f64 = 7.034;

/// The smallest and largest values a distribution can produce; for a lognormal, which has no
/// largest, the value it exceeds one draw in a trillion.
pub fn support(d: &Dist) -> (f64, f64) {
    match *d {
        Dist::Fixed(x) => (x, x),
        Dist::Uniform { low, high } | Dist::Triangular { low, high, .. } => (low, high),
        Dist::Beta { low, high, .. } | Dist::Normal { low, high, .. } => (low, high),
        Dist::LogNormal { median, sigma } => (0.0, median * (LOGNORMAL_TOP_Z * sigma).exp()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_writes_its_months_holding_its_last_value() {
        let mut out = [0.0; 4];
        Series::Const(2.5).write(&mut out);
        assert_eq!(out, [2.5; 4]);
        Series::Monthly(vec![1.0, 2.0]).write(&mut out);
        assert_eq!(out, [1.0, 2.0, 2.0, 2.0]);
        let s = Series::Monthly(vec![1.0, 2.0, 3.0, 4.0, 5.0]);
        s.write(&mut out);
        assert_eq!(out, [1.0, 2.0, 3.0, 4.0]);
        assert_eq!(out[3], s.at(3));
    }

    fn param(d: Dist) -> Param {
        Param {
            dist: d,
            key: 17,
            path: "x".into(),
            moves: None,
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
    fn inputs_in_plain_english() {
        let start = YearMonth::new(2022, 9).unwrap();
        let tri = param(Dist::Triangular {
            low: 0.17,
            mode: 0.18,
            high: 0.2,
        });
        assert_eq!(
            tri.words(Shown::Percent, start),
            "17% to 20%, most likely 18%"
        );
        // A beta by its mean and central 90%, worked to one decimal: Beta(2, 2)'s 5% point solves
        // 3x^2 - 2x^3 = 0.05, x = 0.1354.
        let beta = param(Dist::Beta {
            alpha: 2.0,
            beta: 2.0,
            low: 0.0,
            high: 1.0,
        });
        assert_eq!(
            beta.words(Shown::Percent, start),
            "on average 50%, 90% of values 13.5% to 86.5%"
        );
        assert_eq!(
            param(Dist::Fixed(36000.0)).words(Shown::Pounds, start),
            "£36,000"
        );
        let mut line = param(Dist::Fixed(0.27));
        line.moves = Some(Box::new(Moves::Line {
            end: End::To(param(Dist::Fixed(0.18))),
            starting: None,
            by: YearMonth::new(2025, 9).unwrap(),
        }));
        assert_eq!(
            line.words(Shown::Percent, start),
            "from 27% to 18% over 36 months (by 2025-09)"
        );
        let mut step = param(Dist::Fixed(0.138));
        step.moves = Some(Box::new(Moves::Step {
            end: End::To(param(Dist::Fixed(0.15))),
            at: YearMonth::new(2025, 4).unwrap(),
        }));
        assert_eq!(
            step.words(Shown::Percent, start),
            "13.8% to 2025-03, then 15% from 2025-04"
        );
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
