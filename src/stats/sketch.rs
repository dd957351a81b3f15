//! A streaming summary whose memory does not grow with the number of values: how a run summarises
//! millions of replications' values month by month.

use super::summary::Summary;

/// Mantissa bits kept in a bucket key: buckets are 2^-10 (about 0.1%) of the value wide.
const SKETCH_BITS: u32 = 10;

/// A mergeable summary of a stream of values whose memory does not grow with the number of values.
///
/// Count, mean and standard deviation are computed from sums of the values shifted by the first
/// value (which avoids cancellation), added in insertion order.
/// Percentiles come from log-linear buckets 2^-10 (about 0.1%) of the value wide, each remembering
/// the count and the sum of its values. A percentile is computed as by [`quantile_sorted`] but with
/// each order statistic replaced by the mean of its bucket, so it is:
/// - exact whenever every bucket holds one distinct value (FTE counts, and in practice most
///   shares, which are ratios of small whole numbers);
/// - otherwise within 0.1% (relative) of the exact percentile.
///
/// Memory is bounded by the number of distinct buckets: at most 1024 per doubling of the values'
/// range, whatever the number of replications.
///
/// Whole numbers from 0 to 1023 (headcounts, starters, leavers), no two of which share a bucket,
/// are counted in a plain array instead of the hash map: the same percentiles, without hashing
/// (above 512, where a whole number shares its bucket with the nearest fractions, the two are
/// merged back into one bucket when percentiles are computed).
#[derive(Clone, Debug, Default)]
pub struct Sketch {
    n: u64,
    shift: f64,
    sum: f64,
    sumsq: f64,
    /// `whole[k]`: how many values equal `k`.
    whole: Vec<u64>,
    buckets: hashbrown::HashTable<Bucket>,
}

/// One bucket of a [`Sketch`]: 16 bytes, so that more of the tables stay in cache.
#[derive(Clone, Copy, Debug)]
struct Bucket {
    key: i32,
    /// Values in the bucket, fewer than 2^32 (see `Sketch::add`).
    count: u32,
    sum: f64,
}

const _: () = assert!(std::mem::size_of::<Bucket>() == 16);

/// The hash of a bucket key: FxHash, fast for small integer keys.
fn bucket_hash(key: i32) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(key)
}

/// Whole numbers below this are counted in [`Sketch`]'s array; 2^SKETCH_BITS, so each has its own
/// bucket.
const WHOLE: usize = 1 << SKETCH_BITS;

/// `Some(x)` as an index when `x` is a whole number in `0..WHOLE` (-0.0 counts as 0), else None.
///
/// Adding 2^52 to a number in [0, 2^52) rounds it to a whole number in the low bits of the sum,
/// which equals `x` exactly when `x` was whole: a few instructions, where the saturating `x as
/// usize` costs about fifteen on baseline x86-64, in the hottest line of a run.
#[inline]
fn whole_below(x: f64) -> Option<usize> {
    const TWO52: f64 = (1u64 << 52) as f64;
    if !(0.0..WHOLE as f64).contains(&x) {
        return None;
    }
    let y = x + TWO52;
    (y - TWO52 == x).then_some((y.to_bits() & (WHOLE as u64 - 1)) as usize)
}

/// An order-preserving bucket key: 0 for zero, positive keys for positive values, negative for negative.
fn bucket_key(x: f64) -> i32 {
    if x == 0.0 {
        0
    } else {
        // At most 2^(63 - 52 + SKETCH_BITS) = 2^21, so it fits.
        let k = (x.abs().to_bits() >> (52 - SKETCH_BITS)) as i32 + 1;
        if x > 0.0 { k } else { -k }
    }
}

impl Sketch {
    pub fn new() -> Sketch {
        Sketch::default()
    }

    /// Adds a value; NaN is refused by the caller (see `run`), never stored.
    ///
    /// A bucket holds fewer than 2^32 values (a run adds one per replication, at most
    /// 1,000,000, to each sketch); the next one panics rather than miscount.
    pub fn add(&mut self, x: f64) {
        self.add_all(&[x]);
    }

    /// Adds values in order: the same as `add` of each in turn, with the running sums kept in
    /// registers through the batch instead of stored and reloaded between values (which made
    /// their additions wait on each other's stores).
    pub fn add_all(&mut self, xs: &[f64]) {
        let Some(&first) = xs.first() else {
            return;
        };
        if self.n == 0 {
            self.shift = first;
        }
        let (shift, mut sum, mut sumsq) = (self.shift, self.sum, self.sumsq);
        for &x in xs {
            debug_assert!(!x.is_nan(), "NaN added to a sketch");
            let d = x - shift;
            sum += d;
            sumsq += d * d;
            if let Some(k) = whole_below(x) {
                if k >= self.whole.len() {
                    self.whole.resize(k + 1, 0);
                }
                self.whole[k] += 1;
            } else {
                self.add_to_bucket(x);
            }
        }
        self.n += xs.len() as u64;
        (self.sum, self.sumsq) = (sum, sumsq);
    }

    /// Counts `x`, not a whole number below `WHOLE`, in its bucket.
    fn add_to_bucket(&mut self, x: f64) {
        let key = bucket_key(x);
        let b = self
            .buckets
            .entry(bucket_hash(key), |b| b.key == key, |b| bucket_hash(b.key))
            .or_insert(Bucket {
                key,
                count: 0,
                sum: 0.0,
            })
            .into_mut();
        b.count = b
            .count
            .checked_add(1)
            .expect("fewer than 2^32 values in a bucket");
        b.sum += x;
    }

    pub fn count(&self) -> u64 {
        self.n
    }

    /// Reads the buckets once in memory order, so that a batch of `add`s that follows finds them
    /// in cache instead of missing at random places.
    pub fn warm(&self) {
        let mut n = 0u64;
        for b in &self.buckets {
            n = n.wrapping_add(u64::from(b.count));
        }
        std::hint::black_box(n);
    }

    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.shift + self.sum / self.n as f64
        }
    }

    /// Number of buckets in use (for memory accounting and tests).
    pub fn buckets(&self) -> usize {
        self.buckets.len() + self.whole.iter().filter(|&&c| c > 0).count()
    }

    /// Percentile `p` (0-1), type 7 with each order statistic taken as its bucket's mean.
    pub fn quantile(&self, p: f64) -> f64 {
        self.quantiles(&[p])[0]
    }

    /// Buckets in order: (key, count, mean).
    fn sorted(&self) -> Vec<(i32, u64, f64)> {
        let mut b: Vec<(i32, u64, f64)> = self
            .buckets
            .iter()
            .map(|b| (b.key, u64::from(b.count), b.sum))
            .chain(
                self.whole
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0)
                    .map(|(k, &c)| (bucket_key(k as f64), c, k as f64 * c as f64)),
            )
            .collect();
        b.sort_unstable_by_key(|x| x.0);
        // A whole number shares its bucket with the fractions nearest it above 512; such a
        // bucket is merged back into one. A key holds at most these two entries, whose sums add
        // the same in either order.
        b.dedup_by(|next, kept| {
            let same = next.0 == kept.0;
            if same {
                kept.1 += next.1;
                kept.2 += next.2;
            }
            same
        });
        b.into_iter()
            .map(|(k, c, s)| (k, c, s / c as f64))
            .collect()
    }

    fn quantiles(&self, ps: &[f64]) -> Vec<f64> {
        if self.n == 0 {
            return vec![f64::NAN; ps.len()];
        }
        let b = self.sorted();
        // The order statistics wanted (0-based ranks), found in one walk up the buckets.
        let spots: Vec<(u64, f64)> = ps
            .iter()
            .map(|&p| {
                let h = (self.n - 1) as f64 * p.clamp(0.0, 1.0);
                (h.floor() as u64, h)
            })
            .collect();
        let mut ranks: Vec<u64> = spots
            .iter()
            .flat_map(|&(lo, _)| [lo, (lo + 1).min(self.n - 1)])
            .collect();
        ranks.sort_unstable();
        ranks.dedup();
        let mut values = Vec::with_capacity(ranks.len());
        let (mut cum, mut next) = (0, b.iter());
        let mut mean = b[b.len() - 1].2;
        for &rank in &ranks {
            while cum <= rank {
                let Some(&(_, c, m)) = next.next() else {
                    break;
                };
                (cum, mean) = (cum + c, m);
            }
            values.push(mean);
        }
        let at = |rank: u64| values[ranks.partition_point(|&r| r < rank)];
        spots
            .iter()
            .map(|&(lo, h)| {
                let (a, c) = (at(lo), at((lo + 1).min(self.n - 1)));
                a + (h - lo as f64) * (c - a)
            })
            .collect()
    }

    /// The same fields as [`Summary::of`] would give, from the sketch.
    pub fn summary(&self) -> Summary {
        let q = self.quantiles(&[0.05, 0.25, 0.5, 0.75, 0.95]);
        let n = self.n as usize;
        let sd = if n > 1 {
            ((self.sumsq - self.sum * self.sum / n as f64) / (n - 1) as f64)
                .max(0.0)
                .sqrt()
        } else {
            0.0
        };
        Summary {
            n,
            mean: self.mean(),
            sd,
            se: sd / (n as f64).sqrt(),
            p05: q[0],
            p25: q[1],
            p50: q[2],
            p75: q[3],
            p95: q[4],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(state: &mut u64) -> f64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*state >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn adding_a_batch_is_adding_each_in_turn() {
        let mut st = 3;
        let xs: Vec<f64> = (0..3000)
            .map(|i| match i % 3 {
                0 => (lcg(&mut st) * 900.0).floor(),
                1 => lcg(&mut st) * 0.4,
                _ => -5000.0 * lcg(&mut st),
            })
            .collect();
        let mut one = Sketch::new();
        for &x in &xs {
            one.add(x);
        }
        let mut batches = Sketch::new();
        batches.add_all(&[]);
        for part in xs.chunks(512) {
            batches.add_all(part);
        }
        let bits = |s: &Sketch| {
            let q = s.summary();
            [q.mean, q.sd, q.p05, q.p25, q.p50, q.p75, q.p95].map(f64::to_bits)
        };
        assert_eq!((one.count(), bits(&one)), (batches.count(), bits(&batches)));
        let buckets = |s: &Sketch| -> Vec<(i32, u64, u64)> {
            s.sorted()
                .into_iter()
                .map(|(k, c, mean)| (k, c, mean.to_bits()))
                .collect()
        };
        assert_eq!(buckets(&one), buckets(&batches));
    }

    #[test]
    fn whole_below_finds_exactly_the_whole_numbers_under_the_array_size() {
        let mut st = 7;
        let mut xs = vec![
            0.0,
            -0.0,
            1.0,
            511.0,
            512.0,
            1023.0,
            1023.5,
            1024.0,
            1025.0,
            1e300,
            -1.0,
            -0.5,
            0.5,
            1.0 - f64::EPSILON,
            1023.0 + 1023.0 * f64::EPSILON,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for _ in 0..20_000 {
            let u = lcg(&mut st);
            xs.push((u * 2100.0 - 50.0).floor());
            xs.push(u * 1100.0);
        }
        for x in xs {
            // The definition: a whole number in 0..WHOLE.
            let want = (x >= 0.0 && x < WHOLE as f64 && x.fract() == 0.0).then_some(x as usize);
            assert_eq!(whole_below(x), want, "{x}");
        }
    }

    #[test]
    fn whole_numbers_give_exact_percentiles() {
        let mut s = Sketch::new();
        let mut v = Vec::new();
        let mut st = 1;
        for _ in 0..5000 {
            let x = (80.0 + 60.0 * lcg(&mut st)).floor();
            s.add(x);
            v.push(x);
        }
        let exact = Summary::of(&v);
        let approx = s.summary();
        assert_eq!(
            (approx.p05, approx.p25, approx.p50, approx.p75, approx.p95),
            (exact.p05, exact.p25, exact.p50, exact.p75, exact.p95)
        );
        assert!((approx.mean - exact.mean).abs() < 1e-9);
        assert!((approx.sd - exact.sd).abs() < 1e-9);
        assert!(s.buckets() <= 60);
    }

    #[test]
    fn continuous_values_are_within_a_tenth_of_a_percent() {
        let mut s = Sketch::new();
        let mut v = Vec::new();
        let mut st = 7;
        for _ in 0..20_000 {
            // Costs around 3.5 million, some differences below zero.
            let x = 3.5e6 * (1.0 + 0.2 * (lcg(&mut st) - 0.5)) - 3.4e6;
            s.add(x);
            v.push(x);
        }
        let exact = Summary::of(&v);
        let approx = s.summary();
        for (a, e) in [
            (approx.p05, exact.p05),
            (approx.p50, exact.p50),
            (approx.p95, exact.p95),
        ] {
            assert!((a - e).abs() <= 1e-3 * e.abs(), "{a} vs exact {e}");
        }
        assert!((approx.mean - exact.mean).abs() <= 1e-9 * exact.mean.abs());
    }

    #[test]
    fn memory_is_bounded_by_the_range_not_the_count() {
        let mut s = Sketch::new();
        let mut st = 3;
        for _ in 0..200_000 {
            s.add(1.0 + lcg(&mut st));
        }
        // Values in [1, 2): one doubling, so at most 1024 buckets.
        assert!(s.buckets() <= 1024, "{}", s.buckets());
        assert_eq!(s.count(), 200_000);
    }

    #[test]
    fn a_whole_number_shares_its_bucket_with_nearby_fractions() {
        // Above 512 buckets are half a unit wide: 600 (counted as a whole number) and 600.25
        // (in the hash map) are one bucket, whose mean stands for both.
        let mut s = Sketch::new();
        for x in [600.0, 600.25, 600.0, 10.0] {
            s.add(x);
        }
        let bucket = (600.0 + 600.25 + 600.0) / 3.0;
        assert_eq!(s.quantile(0.0), 10.0);
        assert_eq!(s.quantile(0.5), bucket);
        assert_eq!(s.quantile(1.0), bucket);
    }

    #[test]
    fn single_values_and_signs() {
        let mut s = Sketch::new();
        s.add(-2.0);
        assert_eq!(s.summary().p50, -2.0);
        s.add(0.0);
        s.add(3.0);
        assert_eq!(s.quantile(0.0), -2.0);
        assert_eq!(s.quantile(0.5), 0.0);
        assert_eq!(s.quantile(1.0), 3.0);
        assert!(Sketch::new().mean().is_nan());
    }
}
