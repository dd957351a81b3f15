//! Random numbers that are reproducible, independent of thread scheduling, and shared between options.
//!
//! Every random event in a replication is decided by a uniform number that is a pure function of
//! (seed, replication, purpose, entity, month): a counter-based generator (SplitMix64's output
//! function applied to a keyed counter). Nothing depends on the order in which threads run or on how
//! many draws happened before, so:
//! - a replication gives the same result on 1 or N threads;
//! - every option sees the same number for the same worker in the same month (common random numbers),
//!   so a worker who stays under the baseline also stays under an option that only lowers leaving.
//!
//! Parameter draws (a distribution sampled once per replication) use a ChaCha8 stream seeded from
//! the same key and the parameter's path, so each uncertain input has its own stream too.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's finaliser: a bijective 64-bit mixer with full avalanche.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The 64-bit FNV-1a hash of `bytes`: wfsim's one hash of names, stable across versions and
/// machines (std's hashers promise neither).
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// A stable 64-bit hash of a string (FNV-1a, then mixed), used to key parameters by their path.
pub fn hash_str(s: &str) -> u64 {
    mix64(fnv1a(s.bytes()))
}

/// What a stream of numbers is used for; each purpose has its own independent stream.
#[derive(Clone, Copy, Debug)]
#[repr(u64)]
pub enum Purpose {
    Leave = 1,
    Progress = 2,
    Fill = 3,
    Internal = 4,
    HireGrade = 5,
    AgencyChurn = 6,
    AgencyConvert = 7,
    Pipeline = 8,
    Params = 9,
    Variation = 10,
    Recount = 11,
    Caseload = 12,
    AgencyRules = 13,
}

/// The random stream of one replication.
#[derive(Clone, Copy, Debug)]
pub struct RepStream {
    key: u64,
}

impl RepStream {
    pub fn new(seed: u64, replication: u64) -> Self {
        RepStream {
            key: mix64(
                mix64(seed ^ 0x5EED_5EED_5EED_5EED)
                    .wrapping_add(mix64(replication.wrapping_add(GOLDEN))),
            ),
        }
    }

    /// The sub-stream for one purpose.
    #[inline]
    pub fn purpose(&self, p: Purpose) -> Counter {
        Counter {
            key: mix64(self.key ^ mix64(p as u64)),
        }
    }

    /// A seeded ChaCha8 generator for the parameter at `path`.
    pub fn param_rng(&self, path_hash: u64) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(mix64(self.purpose(Purpose::Params).key ^ path_hash))
    }
}

/// Uniform numbers indexed by a counter: `uniform(c)` is the same whenever it is asked for.
#[derive(Clone, Copy, Debug)]
pub struct Counter {
    key: u64,
}

impl Counter {
    /// A uniform number in [0, 1) for counter `c`: `bits53(c) / 2^53`.
    #[inline]
    pub fn uniform(&self, c: u64) -> f64 {
        self.bits53(c) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// The 53 random bits behind `uniform(c)`, for comparing with an integer threshold.
    #[inline]
    pub fn bits53(&self, c: u64) -> u64 {
        mix64(self.key.wrapping_add(c.wrapping_mul(GOLDEN))) >> 11
    }

    /// The number of successes in `n` trials of probability `p`, decided by counter `c`.
    ///
    /// Drawn by inverting the binomial distribution function at one uniform, so it is exact and
    /// monotone in `p` for the same counter (a higher probability never gives fewer successes,
    /// which keeps options comparable). When `n * p` is large, where the sequential inversion would
    /// be slow or underflow, the trials are drawn one by one from a sub-stream instead.
    pub fn binomial(&self, n: u32, p: f64, c: u64) -> u32 {
        self.binomial_from(n, Odds::of(p), c, |q, nf| q.powf(nf))
    }

    /// `binomial`, with `start(1 - p, n)` giving `(1 - p)^n` (the probability of no successes),
    /// so that a caller drawing often with the same `p` can remember it, and with `1 - p` and the
    /// odds `p / (1 - p)` given by the caller (`Odds::of(p)`, the same numbers whoever computes
    /// them).
    #[inline]
    fn binomial_from(&self, n: u32, o: Odds, c: u64, start: impl FnOnce(f64, f64) -> f64) -> u32 {
        let p = o.p;
        if n == 0 || p <= 0.0 {
            return 0;
        }
        if p >= 1.0 {
            return n;
        }
        let nf = f64::from(n);
        if nf * p > 30.0 || nf * o.q < 1.0 {
            let trials = self.sub(c ^ 0xB1B1_B1B1);
            return (0..n).filter(|&k| trials.uniform(u64::from(k)) < p).count() as u32;
        }
        let u = self.uniform(c);
        let mut pmf = start(o.q, nf);
        let mut cdf = pmf;
        let mut k = 0;
        while u >= cdf && k < n {
            pmf *= o.odds * f64::from(n - k) / f64::from(k + 1);
            cdf += pmf;
            k += 1;
        }
        k
    }

    /// A sub-counter, e.g. one per post or per pipeline cohort.
    #[inline]
    pub fn sub(&self, index: u64) -> Counter {
        Counter {
            key: mix64(self.key ^ mix64(index.wrapping_mul(GOLDEN) ^ 0xA5A5)),
        }
    }
}

/// A probability with `1 - p` and the odds `p / (1 - p)`, which every binomial inversion with it
/// needs: worked out once for a stream of draws instead of at every draw.
#[derive(Clone, Copy, Debug)]
struct Odds {
    p: f64,
    q: f64,
    odds: f64,
}

impl Odds {
    fn of(p: f64) -> Odds {
        Odds {
            p,
            q: 1.0 - p,
            odds: p / (1.0 - p),
        }
    }
}

/// The powers `(1 - p)^n` that start binomial draws, remembered for each probability `p` and
/// number of trials `n`. They depend on nothing but `p`, so every post and every option of a
/// replication drawing with the same `p` (the agency churn, say) shares one table, and so do the
/// replications after it, while they use that `p` (a probability given as a number rather than a
/// distribution is the same in every replication).
#[derive(Clone, Debug, Default)]
pub(crate) struct Powers {
    tables: Vec<PowerTable>,
}

/// The powers of one probability.
#[derive(Clone, Debug)]
struct PowerTable {
    /// The probability, as bits.
    bits: u64,
    /// `(1 - p)^n` by `n`; NaN where not yet needed.
    start: Vec<f64>,
    /// Whether the table was asked for since the last `Powers::keep_used`.
    used: bool,
}

impl Powers {
    /// Trial counts remembered; larger ones (rare: they need `n p <= 30`) are computed each time.
    const REMEMBERED: usize = 1024;

    /// The table for probability `p`, made if it is new.
    fn table(&mut self, p: f64) -> usize {
        let bits = p.to_bits();
        let i = match self.tables.iter().position(|t| t.bits == bits) {
            Some(i) => i,
            None => {
                self.tables.push(PowerTable {
                    bits,
                    start: Vec::new(),
                    used: false,
                });
                self.tables.len() - 1
            }
        };
        self.tables[i].used = true;
        i
    }

    /// Forgets the tables not asked for since the last call (a probability drawn afresh for each
    /// replication), so that their number stays small; the others are kept for the next
    /// replication. Call it only between replications: it renumbers the tables.
    pub(crate) fn keep_used(&mut self) {
        self.tables.retain(|t| t.used);
        for t in &mut self.tables {
            t.used = false;
        }
    }

    /// `q^n` with `q = 1 - p` of table `t`, computed once for each `n` below `REMEMBERED`.
    fn start(&mut self, t: usize, n: u32, q: f64) -> f64 {
        let i = n as usize;
        if i >= Self::REMEMBERED {
            return q.powf(f64::from(n));
        }
        let start = &mut self.tables[t].start;
        if i >= start.len() {
            start.resize(i + 1, f64::NAN);
        }
        if start[i].is_nan() {
            start[i] = q.powf(f64::from(n));
        }
        start[i]
    }
}

/// Binomial draws from one sub-stream with one probability and varying numbers of trials (one
/// post's agency churn, say): the same numbers as [`Counter::binomial`], with the power
/// `(1 - p)^n` that starts each inversion taken from [`Powers`] instead of computed at every draw.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Binomial {
    counter: Counter,
    p: Odds,
    /// This probability's table in the `Powers` the draws are given.
    table: usize,
}

impl Binomial {
    /// Draws from `counter` with probability `p`, remembering powers in `powers`, which every
    /// later `draw` must be given.
    pub fn new(counter: Counter, p: f64, powers: &mut Powers) -> Self {
        Binomial {
            counter,
            p: Odds::of(p),
            table: powers.table(p),
        }
    }

    /// The number of successes in `n` trials, decided by counter `c`.
    pub fn draw(&self, powers: &mut Powers, n: u32, c: u64) -> u32 {
        self.counter
            .binomial_from(n, self.p, c, |q, _| powers.start(self.table, n, q))
    }
}

/// Packs an entity id and a month into one counter.
#[inline]
pub fn entity_month(entity: u64, month: u32) -> u64 {
    (entity << 12) | u64::from(month)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniforms_are_reproducible_and_in_range() {
        let a = RepStream::new(42, 7).purpose(Purpose::Leave);
        let b = RepStream::new(42, 7).purpose(Purpose::Leave);
        for c in 0..1000 {
            let u = a.uniform(c);
            assert!((0.0..1.0).contains(&u));
            assert_eq!(u.to_bits(), b.uniform(c).to_bits());
        }
    }

    #[test]
    fn streams_differ_by_seed_replication_and_purpose() {
        let base = RepStream::new(1, 0).purpose(Purpose::Leave).uniform(5);
        assert_ne!(
            base,
            RepStream::new(2, 0).purpose(Purpose::Leave).uniform(5)
        );
        assert_ne!(
            base,
            RepStream::new(1, 1).purpose(Purpose::Leave).uniform(5)
        );
        assert_ne!(base, RepStream::new(1, 0).purpose(Purpose::Fill).uniform(5));
    }

    #[test]
    fn binomial_matches_the_exact_distribution() {
        // n = 20, p = 0.1: compare frequencies with the exact pmf over 100,000 draws; every
        // frequency must lie within 5 standard errors of its probability.
        let c = RepStream::new(4, 0).purpose(Purpose::Fill);
        let (n, p, draws) = (20u32, 0.1f64, 100_000u64);
        let mut freq = [0u64; 21];
        for i in 0..draws {
            freq[c.binomial(n, p, i) as usize] += 1;
        }
        let mut pmf = (1.0 - p).powi(20);
        for (k, &f) in freq.iter().enumerate().take(8) {
            let se = (pmf * (1.0 - pmf) / draws as f64).sqrt();
            let obs = f as f64 / draws as f64;
            assert!((obs - pmf).abs() < 5.0 * se + 1e-9, "k={k}: {obs} vs {pmf}");
            pmf *= p / (1.0 - p) * f64::from(n - k as u32) / (k as f64 + 1.0);
        }
        // The large-n path: mean n p within 5 standard errors.
        let mean = (0..2000)
            .map(|i| f64::from(c.binomial(1000, 0.3, i)))
            .sum::<f64>()
            / 2000.0;
        assert!(
            (mean - 300.0).abs() < 5.0 * (210.0f64 / 2000.0).sqrt(),
            "{mean}"
        );
        assert_eq!(c.binomial(7, 0.0, 1), 0);
        assert_eq!(c.binomial(7, 1.0, 1), 7);
    }

    #[test]
    fn remembered_binomial_gives_the_same_draws() {
        let c = RepStream::new(5, 1).purpose(Purpose::Fill).sub(3);
        for p in [0.0, 0.02, 0.3, 0.97, 1.0] {
            let mut powers = Powers::default();
            let b = Binomial::new(c, p, &mut powers);
            // A second stream with the same probability shares the table the first one filled.
            let d = RepStream::new(6, 2).purpose(Purpose::Fill);
            let e = Binomial::new(d, p, &mut powers);
            assert_eq!(e.table, b.table);
            for i in 0..3000u64 {
                let n = (i * 7 % 61) as u32 + if i % 500 == 0 { 2000 } else { 0 };
                assert_eq!(
                    b.draw(&mut powers, n, i),
                    c.binomial(n, p, i),
                    "n={n} p={p} c={i}"
                );
                assert_eq!(
                    e.draw(&mut powers, n, i),
                    d.binomial(n, p, i),
                    "n={n} p={p} c={i}"
                );
            }
        }
    }

    #[test]
    fn powers_kept_between_replications_give_the_same_draws() {
        // Draws with remembered powers are the ones `Counter::binomial` makes from scratch.
        let same_draws = |b: &Binomial, c: Counter, p: f64, powers: &mut Powers| {
            for i in 0..200u64 {
                let n = (i % 45) as u32;
                assert_eq!(
                    b.draw(powers, n, i),
                    c.binomial(n, p, i),
                    "n={n} p={p} c={i}"
                );
            }
        };
        let mut powers = Powers::default();
        // Replication 0 uses a fixed probability and a drawn one.
        let c = RepStream::new(5, 0).purpose(Purpose::Fill);
        let fixed = Binomial::new(c.sub(0), 0.04, &mut powers);
        let drawn = Binomial::new(c.sub(1), 0.0271, &mut powers);
        same_draws(&fixed, c.sub(0), 0.04, &mut powers);
        same_draws(&drawn, c.sub(1), 0.0271, &mut powers);
        assert_eq!(powers.tables.len(), 2);
        // Replication 1 uses the fixed probability again and another drawn one: the first table
        // is kept, with its powers, and the second dropped once replication 1 is over.
        powers.keep_used();
        let d = RepStream::new(5, 1).purpose(Purpose::Fill);
        let fixed = Binomial::new(d.sub(0), 0.04, &mut powers);
        let drawn = Binomial::new(d.sub(1), 0.0315, &mut powers);
        assert_eq!(powers.tables.len(), 3);
        assert_eq!(
            fixed.table, 0,
            "the fixed probability's table is found again"
        );
        same_draws(&fixed, d.sub(0), 0.04, &mut powers);
        same_draws(&drawn, d.sub(1), 0.0315, &mut powers);
        powers.keep_used();
        let kept: Vec<u64> = powers.tables.iter().map(|t| t.bits).collect();
        assert_eq!(kept, [0.04f64.to_bits(), 0.0315f64.to_bits()]);
        // A replication using neither leaves nothing.
        powers.keep_used();
        assert!(powers.tables.is_empty());
    }

    #[test]
    fn binomial_is_monotone_in_p() {
        let c = RepStream::new(8, 2).purpose(Purpose::Fill);
        for i in 0..5000 {
            assert!(c.binomial(30, 0.02, i) <= c.binomial(30, 0.03, i));
        }
    }

    #[test]
    fn uniforms_have_the_right_moments() {
        // Mean 1/2 and variance 1/12; with n = 200,000 the standard errors are 6.5e-4 and 1.9e-4,
        // so a tolerance of 5 standard errors fails only for a broken generator.
        let s = RepStream::new(9, 3).purpose(Purpose::Fill);
        let n = 200_000;
        let (mut sum, mut sq) = (0.0, 0.0);
        for c in 0..n {
            let u = s.uniform(c);
            sum += u;
            sq += u * u;
        }
        let mean = sum / n as f64;
        let var = sq / n as f64 - mean * mean;
        assert!((mean - 0.5).abs() < 5.0 * 6.5e-4, "mean {mean}");
        assert!((var - 1.0 / 12.0).abs() < 5.0 * 1.9e-4, "variance {var}");
    }
}
