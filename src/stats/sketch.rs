//! A streaming summary whose memory does not grow with the number of values: how a run summarises
//! millions of replications' values month by month.

use std::collections::BTreeMap;

use super::summary::Summary;
use crate::model::metric::Unit;

/// Mantissa bits kept in a bucket key: buckets are 2^-10 (about 0.1%) of `|x| + floor` wide.
const SKETCH_BITS: u32 = 10;

/// Buckets in a page of counts; pages are allocated only where values fall.
const PAGE: usize = 64;

/// What a bucket's 16-bit count wraps at: each wrap is kept in [`Sketch`]'s `carries`.
const WRAP: u64 = 1 << 16;

/// A summary of a stream of values whose memory does not grow with the number of values.
///
/// Count, mean and standard deviation are exact: computed from sums of the values shifted by the
/// first value (which avoids cancellation), added in insertion order.
///
/// Percentiles are type 7 (as [`quantile_sorted`](super::quantile_sorted)) with each order
/// statistic taken from a grid of buckets:
/// - whole numbers from 0 to 1023 (headcounts, starters, leavers) are counted one by one, so their
///   percentiles are exact;
/// - any other value `x` falls in a bucket 2^-10 of `|x| + floor` wide and stands for the
///   bucket's midpoint (kept within the least and greatest values added, so the extremes, and a
///   value shared by every replication, are exact). An order statistic is then within half a
///   bucket of the exact one, and a percentile (which lies between two) within
///   [`Sketch::tolerance`]: 0.1% of the value plus 2^-10 of the floor. The floor bounds the
///   buckets near zero ([`Sketch::for_unit`]: 1/8 for shares and rates, so within 0.1% plus 0.012
///   percentage points; 8 for FTE, plus 0.008 FTE; £1,024 for money, plus £1).
///
/// The buckets are 16-bit counts in pages of 64, allocated where values fall and kept in key
/// order, so memory is bounded by the range the values span, not their number: 2 bytes a bucket,
/// at most 1,024 buckets per doubling of `|x| + floor`, whatever the number of replications. A
/// count that passes 65,535 wraps to 0 and the wrap is kept apart (`carries`), which only a
/// bucket 65,536 replications or more share needs (a value the same in every replication, say):
/// half the bytes of 32-bit counts are half the memory a run reads back each time it adds a chunk
/// of replications to its sketches.
#[derive(Clone, Debug)]
pub struct Sketch {
    n: u64,
    shift: f64,
    sum: f64,
    sumsq: f64,
    /// The least and greatest values added: every bucket's value is kept within them, so a
    /// value every replication shares (a known starting figure) is reported exactly.
    min: f64,
    max: f64,
    floor: f64,
    /// `floor`'s key bits, subtracted so that bucket 0 starts at 0.
    base: i64,
    /// `whole[k]`: how many values equal `k`.
    whole: Vec<u32>,
    /// The page number of `pages[0]`.
    first_page: i64,
    /// Pages of bucket counts by page number from `first_page`; `None` where no value fell.
    /// Each count is modulo 2^16: what it wrapped is in `carries`.
    pages: Vec<Option<Box<[u16; PAGE]>>>,
    /// By bucket key, how many times its count wrapped (empty but for very many values in one
    /// bucket).
    carries: BTreeMap<i64, u64>,
}

/// Whole numbers below this are counted in [`Sketch`]'s array.
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

/// The key bits of a positive number: its exponent and top `SKETCH_BITS` mantissa bits.
#[inline]
fn bits(x: f64) -> i64 {
    (x.to_bits() >> (52 - SKETCH_BITS)) as i64
}

/// The positive number whose key bits are `k`, rounded down to the grid.
fn from_bits(k: i64) -> f64 {
    f64::from_bits((k as u64) << (52 - SKETCH_BITS))
}

impl Sketch {
    /// A sketch whose buckets are 2^-10 of `|x| + floor` wide (`floor` above 0).
    pub fn new(floor: f64) -> Sketch {
        assert!(
            floor > 0.0 && floor.is_finite(),
            "a sketch's floor is positive"
        );
        Sketch {
            n: 0,
            shift: 0.0,
            sum: 0.0,
            sumsq: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            floor,
            base: bits(floor),
            whole: Vec::new(),
            first_page: 0,
            pages: Vec::new(),
            carries: BTreeMap::new(),
        }
    }

    /// A sketch for values of `unit`, whose floor sets the buckets' width near zero: 0.012
    /// percentage points for shares and rates, 0.008 FTE, £1.
    pub fn for_unit(unit: Unit) -> Sketch {
        Sketch::new(match unit {
            Unit::Share | Unit::Rate => 0.125,
            Unit::Fte | Unit::Cases | Unit::PerFte => 8.0,
            Unit::Pounds => 1024.0,
        })
    }

    /// The bucket of `x`: 0 from 0 up, upwards with `x`, and mirrored below 0 (-1 just below 0).
    #[inline]
    fn key(&self, x: f64) -> i64 {
        if x >= 0.0 {
            bits(x + self.floor) - self.base
        } else {
            -(bits(self.floor - x) - self.base) - 1
        }
    }

    /// The value bucket `k` stands for: its midpoint (its lower end where the upper one is not
    /// a number).
    fn midpoint(&self, k: i64) -> f64 {
        if k < 0 {
            return -self.midpoint(-k - 1);
        }
        let lo = from_bits(k + self.base) - self.floor;
        let hi = from_bits(k + 1 + self.base) - self.floor;
        if hi.is_finite() {
            lo + (hi - lo) / 2.0
        } else {
            lo
        }
    }

    /// How far a percentile may be from the exact one near `x`: a bucket's width there.
    pub fn tolerance(&self, x: f64) -> f64 {
        (x.abs() + self.floor) * (2.0f64).powi(-(SKETCH_BITS as i32))
    }

    /// Adds a value; NaN is refused by the caller (see `run`), never stored.
    ///
    /// A whole number's count holds fewer than 2^32 values (a run adds one per replication, at
    /// most 1,000,000, to each sketch); the next one panics rather than miscount.
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
        let (mut min, mut max) = (self.min, self.max);
        for &x in xs {
            debug_assert!(!x.is_nan(), "NaN added to a sketch");
            let d = x - shift;
            sum += d;
            sumsq += d * d;
            min = min.min(x);
            max = max.max(x);
            match whole_below(x) {
                Some(k) => {
                    if k >= self.whole.len() {
                        self.whole.resize(k + 1, 0);
                    }
                    let count = &mut self.whole[k];
                    *count = count
                        .checked_add(1)
                        .expect("fewer than 2^32 values in a bucket");
                }
                None => {
                    let k = self.key(x);
                    let count = self.bucket(k);
                    match count.checked_add(1) {
                        Some(c) => *count = c,
                        None => {
                            *count = 0;
                            *self.carries.entry(k).or_insert(0) += 1;
                        }
                    }
                }
            }
        }
        self.n += xs.len() as u64;
        (self.sum, self.sumsq, self.min, self.max) = (sum, sumsq, min, max);
    }

    /// The count of bucket `k` modulo 2^16, its page allocated if need be.
    #[inline]
    fn bucket(&mut self, k: i64) -> &mut u16 {
        // Floor division and its remainder (PAGE is a power of two).
        let page = k >> PAGE.trailing_zeros();
        if self.pages.is_empty() {
            self.first_page = page;
        }
        if page < self.first_page {
            let more = (self.first_page - page) as usize;
            self.pages
                .splice(0..0, std::iter::repeat_with(|| None).take(more));
            self.first_page = page;
        }
        let at = (page - self.first_page) as usize;
        if at >= self.pages.len() {
            self.pages.resize_with(at + 1, || None);
        }
        let counts = self.pages[at].get_or_insert_with(|| Box::new([0; PAGE]));
        &mut counts[(k & (PAGE as i64 - 1)) as usize]
    }

    pub fn count(&self) -> u64 {
        self.n
    }

    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.shift + self.sum / self.n as f64
        }
    }

    /// Buckets in use, whole numbers included (for memory accounting and tests).
    pub fn buckets(&self) -> usize {
        let mut n = self.whole.iter().filter(|&&c| c > 0).count();
        self.each_count(|_, _| n += 1);
        n
    }

    /// Bytes the sketch holds (for memory accounting and tests), the carries of wrapped counts
    /// roughly (a B-tree's node and its entries).
    pub fn bytes(&self) -> usize {
        std::mem::size_of::<Sketch>()
            + self.whole.capacity() * 4
            + self.pages.capacity() * 8
            + self.pages.iter().flatten().count() * PAGE * 2
            + if self.carries.is_empty() {
                0
            } else {
                192 + self.carries.len() * 16
            }
    }

    /// `f(key, count)` of each bucket outside the whole numbers' array that holds values, in key
    /// order, each count with its wraps. A plain loop: it runs over every bucket of every sketch as
    /// a run ends, and nested iterators compiled to a slower walk.
    fn each_count(&self, mut f: impl FnMut(i64, u64)) {
        for (i, page) in self.pages.iter().enumerate() {
            let Some(counts) = page else {
                continue;
            };
            let first = (self.first_page + i as i64) * PAGE as i64;
            for (j, &c) in counts.iter().enumerate() {
                let k = first + j as i64;
                let n = if self.carries.is_empty() {
                    u64::from(c)
                } else {
                    u64::from(c) + self.carries.get(&k).copied().unwrap_or(0) * WRAP
                };
                if n > 0 {
                    f(k, n);
                }
            }
        }
    }

    /// Percentile `p` (0-1), type 7 with each order statistic taken as its bucket's value.
    pub fn quantile(&self, p: f64) -> f64 {
        self.quantiles(&[p])[0]
    }

    /// The buckets in order of value: (value, count), whole numbers merged in where they fall
    /// (what [`Sketch::quantiles`] walks, laid out: the tests' reference).
    #[cfg(test)]
    fn sorted(&self) -> Vec<(f64, u64)> {
        let mut grid = Vec::new();
        self.each_count(|k, n| grid.push((self.midpoint(k).clamp(self.min, self.max), n)));
        if self.whole.is_empty() {
            return grid;
        }
        // Both are in increasing order: merged by value, a whole number before an equal midpoint.
        let mut out = Vec::with_capacity(grid.len() + self.whole.len());
        let mut a = grid.into_iter().peekable();
        for (k, &c) in self.whole.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let x = k as f64;
            while let Some(below) = a.next_if(|g| g.0 < x) {
                out.push(below);
            }
            out.push((x, u64::from(c)));
        }
        out.extend(a);
        out
    }

    fn quantiles(&self, ps: &[f64]) -> Vec<f64> {
        if self.n == 0 {
            return vec![f64::NAN; ps.len()];
        }
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
        let values = self.at_ranks(&ranks);
        let at = |rank: u64| values[ranks.partition_point(|&r| r < rank)];
        spots
            .iter()
            .map(|&(lo, h)| {
                let (a, c) = (at(lo), at((lo + 1).min(self.n - 1)));
                a + (h - lo as f64) * (c - a)
            })
            .collect()
    }

    /// The value of each order statistic in `ranks` (0-based, increasing, each below the count):
    /// the value of the first bucket, in order of value, whose cumulative count passes it. One
    /// walk up the buckets that works out a bucket's value only where a rank falls in it, or where
    /// a whole number must be placed beside it; it was a list of every bucket with its value,
    /// built and then walked, the larger part of a run's last second.
    fn at_ranks(&self, ranks: &[u64]) -> Vec<f64> {
        let mut values = Vec::with_capacity(ranks.len());
        let mut cum = 0u64;
        debug_assert!(ranks.last().is_none_or(|&r| r < self.n));
        // Adds a bucket of `count` values; each rank it reaches takes its value.
        let mut visit = |count: u64, value: &dyn Fn() -> f64| {
            cum += count;
            if values.len() < ranks.len() && ranks[values.len()] < cum {
                let v = value();
                while values.len() < ranks.len() && ranks[values.len()] < cum {
                    values.push(v);
                }
            }
        };
        // Whole numbers go before a bucket whose value is at least theirs.
        let mut whole = self
            .whole
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c > 0)
            .map(|(k, &c)| (k as f64, u64::from(c)))
            .peekable();
        let value_of = |k: i64| self.midpoint(k).clamp(self.min, self.max);
        // The walk of `each_count`, written out: through it, with this closure inside its own,
        // the run took 1.7% more instructions.
        for (i, page) in self.pages.iter().enumerate() {
            let Some(counts) = page else {
                continue;
            };
            let first = (self.first_page + i as i64) * PAGE as i64;
            for (j, &c) in counts.iter().enumerate() {
                let k = first + j as i64;
                let n = if self.carries.is_empty() {
                    u64::from(c)
                } else {
                    u64::from(c) + self.carries.get(&k).copied().unwrap_or(0) * WRAP
                };
                if n == 0 {
                    continue;
                }
                if whole.peek().is_some() {
                    let v = value_of(k);
                    while let Some((x, c)) = whole.next_if(|&(x, _)| x <= v) {
                        visit(c, &|| x);
                    }
                    visit(n, &|| v);
                } else {
                    visit(n, &|| value_of(k));
                }
            }
        }
        for (x, c) in whole {
            visit(c, &|| x);
        }
        // Every rank is below the count, which the buckets hold in all.
        values.resize(ranks.len(), self.max);
        values
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
    use crate::stats::quantile_sorted;

    fn lcg(state: &mut u64) -> f64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*state >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Every percentile from 0 to 1 in steps of 0.005 of `xs` through a sketch with `floor`,
    /// against the exact type-7 percentile of the sorted values: within `tolerance` of it.
    fn within_tolerance(xs: &[f64], floor: f64) {
        let mut s = Sketch::new(floor);
        s.add_all(xs);
        let mut sorted = xs.to_vec();
        sorted.sort_by(f64::total_cmp);
        for i in 0..=200 {
            let p = f64::from(i) / 200.0;
            let (got, exact) = (s.quantile(p), quantile_sorted(&sorted, p));
            assert!(
                (got - exact).abs() <= s.tolerance(exact),
                "p {p}: {got} vs exact {exact}, tolerance {}",
                s.tolerance(exact)
            );
        }
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
        let mut one = Sketch::new(1.0);
        for &x in &xs {
            one.add(x);
        }
        let mut batches = Sketch::new(1.0);
        batches.add_all(&[]);
        for part in xs.chunks(512) {
            batches.add_all(part);
        }
        let bits = |s: &Sketch| {
            let q = s.summary();
            [q.mean, q.sd, q.p05, q.p25, q.p50, q.p75, q.p95].map(f64::to_bits)
        };
        assert_eq!((one.count(), bits(&one)), (batches.count(), bits(&batches)));
        let buckets = |s: &Sketch| -> Vec<(u64, u64)> {
            s.sorted()
                .into_iter()
                .map(|(v, c)| (v.to_bits(), c))
                .collect()
        };
        assert_eq!(buckets(&one), buckets(&batches));
    }

    /// The percentiles as they were found before the walk: every bucket listed with its value,
    /// then walked.
    fn quantiles_by_list(s: &Sketch, ps: &[f64]) -> Vec<f64> {
        let b = s.sorted();
        let n = s.count();
        ps.iter()
            .map(|&p| {
                let h = (n - 1) as f64 * p;
                let lo = h.floor() as u64;
                let value = |rank: u64| {
                    let mut cum = 0;
                    b.iter()
                        .find(|&&(_, c)| {
                            cum += c;
                            cum > rank
                        })
                        .expect("a bucket")
                        .0
                };
                let (a, c) = (value(lo), value((lo + 1).min(n - 1)));
                a + (h - lo as f64) * (c - a)
            })
            .collect()
    }

    #[test]
    fn the_walk_finds_the_percentiles_the_list_of_buckets_gives() {
        let ps = [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0];
        let mut st = 11;
        for case in 0..200 {
            // Whole numbers, fractions among them, negatives and values past the whole array,
            // in mixes that change from case to case.
            let n = 1 + (lcg(&mut st) * 3000.0) as usize;
            let spread = [3.0, 50.0, 1500.0, 1e6][case % 4];
            let whole_share = [0.0, 0.5, 1.0][case % 3];
            let xs: Vec<f64> = (0..n)
                .map(|_| {
                    let x = (lcg(&mut st) - 0.2) * spread;
                    if lcg(&mut st) < whole_share {
                        x.round()
                    } else {
                        x
                    }
                })
                .collect();
            let mut s = Sketch::new([0.125, 8.0, 1024.0][case % 3]);
            s.add_all(&xs);
            let walk: Vec<u64> = s.quantiles(&ps).iter().map(|x| x.to_bits()).collect();
            let list: Vec<u64> = quantiles_by_list(&s, &ps)
                .iter()
                .map(|x| x.to_bits())
                .collect();
            assert_eq!(walk, list, "case {case}: {n} values");
        }
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
        let mut s = Sketch::for_unit(Unit::Fte);
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
    fn buckets_are_as_wide_as_stated() {
        // Hand-computed: with floor 1, bucket 0 is [0, 2^-10) and stands for 2^-11; the bucket
        // of 3.0 (|x| + 1 = 4 = 2^2) is [3, 3 + 2^-8), and stands for 3 + 2^-9.
        let s = Sketch::new(1.0);
        assert_eq!(s.key(0.0), 0);
        assert_eq!(s.midpoint(0), 2f64.powi(-11));
        assert_eq!(s.key(2f64.powi(-10)), 1);
        assert_eq!(s.midpoint(s.key(3.0)), 3.0 + 2f64.powi(-9));
        assert_eq!(s.key(3.0 + 2f64.powi(-8)), s.key(3.0) + 1);
        // Below zero, mirrored.
        assert_eq!(s.key(-1e-9), -1);
        assert_eq!(s.midpoint(-1), -(2f64.powi(-11)));
        assert_eq!(s.midpoint(s.key(-3.0)), -3.0 - 2f64.powi(-9));
        // Keys rise with the value across zero.
        let mut st = 5;
        let mut xs: Vec<f64> = (0..5000).map(|_| 40.0 * lcg(&mut st) - 20.0).collect();
        xs.sort_by(f64::total_cmp);
        assert!(xs.windows(2).all(|w| s.key(w[0]) <= s.key(w[1])));
        assert_eq!(s.tolerance(-3.0), 4.0 / 1024.0);
    }

    #[test]
    fn shares_are_within_the_stated_tolerance_of_an_exact_sort() {
        // Ratios of whole numbers near zero, as agency shares are, and shares spread over (0, 1).
        let mut st = 11;
        let ratios: Vec<f64> = (0..30_000)
            .map(|_| {
                let a = (lcg(&mut st) * 40.0).floor();
                a / (a + 60.0 + (lcg(&mut st) * 100.0).floor())
            })
            .collect();
        within_tolerance(&ratios, 0.125);
        let spread: Vec<f64> = (0..30_000).map(|_| lcg(&mut st).powi(3)).collect();
        within_tolerance(&spread, 0.125);
        // The tolerance in percentage points: 0.012 at zero, 0.06 at a share of one half.
        let s = Sketch::for_unit(Unit::Share);
        assert!(s.tolerance(0.0) < 0.00013 && s.tolerance(0.5) < 0.0007);
    }

    #[test]
    fn fte_and_money_are_within_the_stated_tolerance_of_an_exact_sort() {
        let mut st = 7;
        // Fractional FTE (a shocked establishment less whole staff).
        let fte: Vec<f64> = (0..20_000)
            .map(|_| 136.0 * (0.4 * lcg(&mut st) - 0.2).exp() - (lcg(&mut st) * 120.0).floor())
            .collect();
        within_tolerance(&fte, 8.0);
        // Costs around 3.5 million, and differences either side of zero.
        let costs: Vec<f64> = (0..20_000)
            .map(|_| 3.5e6 * (1.0 + 0.2 * (lcg(&mut st) - 0.5)))
            .collect();
        within_tolerance(&costs, 1024.0);
        let diffs: Vec<f64> = costs.iter().map(|x| x - 3.5e6).collect();
        within_tolerance(&diffs, 1024.0);
        // The mean is exact, not bucketed.
        let mut s = Sketch::for_unit(Unit::Pounds);
        s.add_all(&diffs);
        let exact = diffs.iter().sum::<f64>() / diffs.len() as f64;
        assert!((s.mean() - exact).abs() <= 1e-9 * exact.abs().max(1.0));
    }

    #[test]
    fn memory_is_bounded_by_the_range_not_the_count() {
        let mut st = 3;
        let mut s = Sketch::new(1.0);
        for _ in 0..200_000 {
            s.add(1.0 + 0.999 * lcg(&mut st));
        }
        // |x| + 1 in [2, 3): within one doubling, so at most 1024 buckets, 16 pages.
        let buckets = s.buckets();
        assert!(buckets <= 1024, "{buckets}");
        assert!(
            s.bytes() <= std::mem::size_of::<Sketch>() + 17 * PAGE * 2 + 32 * 8,
            "{}",
            s.bytes()
        );
        let before = s.bytes();
        for _ in 0..200_000 {
            s.add(1.0 + 0.999 * lcg(&mut st));
        }
        assert_eq!((s.count(), s.bytes()), (400_000, before));
    }

    #[test]
    fn counts_past_sixteen_bits_are_kept_whole() {
        // 131,072 + 3 values in one bucket wrap its 16-bit count twice; 10,000 below it and
        // 60,000 above it put the percentiles in, around and past it.
        let shared = 0.3;
        let mut xs = vec![shared; 2 * 65_536 + 3];
        xs.extend((0..10_000).map(|i| 0.1 + f64::from(i) * 1e-5));
        xs.extend((0..60_000).map(|i| 0.5 + f64::from(i) * 1e-6));
        let mut s = Sketch::new(0.125);
        for part in xs.chunks(4096) {
            s.add_all(part);
        }
        assert_eq!(s.count(), xs.len() as u64);
        assert_eq!(s.carries.len(), 1);
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        for i in 0..=100 {
            let p = f64::from(i) / 100.0;
            let (got, exact) = (s.quantile(p), quantile_sorted(&sorted, p));
            assert!(
                (got - exact).abs() <= s.tolerance(exact),
                "p {p}: {got} vs exact {exact}"
            );
        }
        // The shared value's bucket holds every one of them: the percentiles in it are in it.
        let below = 10_000.0 / xs.len() as f64;
        let above = (10_000.0 + 131_075.0) / xs.len() as f64;
        for p in [below + 1e-4, (below + above) / 2.0, above - 1e-4] {
            assert!(
                (s.quantile(p) - shared).abs() <= s.tolerance(shared),
                "p {p}"
            );
        }
        // A bucket whose count wrapped to exactly 0 is still counted.
        let mut t = Sketch::new(0.125);
        t.add_all(&vec![0.7; 65_536]);
        t.add(0.2);
        assert_eq!(t.buckets(), 2);
        assert!((t.quantile(0.5) - 0.7).abs() <= t.tolerance(0.7));
        assert!((t.quantile(0.0) - 0.2).abs() <= t.tolerance(0.2));
    }

    #[test]
    fn whole_numbers_and_nearby_fractions_are_ordered_by_value() {
        // 600 is counted exactly; 600.25 and 599.9 stand for their buckets' midpoints, within
        // 2^-10 * (600 + 8) of them.
        let mut s = Sketch::for_unit(Unit::Fte);
        for x in [600.0, 600.25, 599.9, 10.0] {
            s.add(x);
        }
        assert_eq!(s.quantile(0.0), 10.0);
        let tol = s.tolerance(600.0);
        assert!((s.quantile(1.0 / 3.0) - 599.9).abs() <= tol);
        assert_eq!(s.quantile(2.0 / 3.0), 600.0);
        assert!((s.quantile(1.0) - 600.25).abs() <= tol);
    }

    #[test]
    fn a_value_every_replication_shares_is_exact() {
        // A starting agency share of 42 / 136, the same in every replication.
        let x = 42.0 / 136.0;
        let mut s = Sketch::for_unit(Unit::Share);
        s.add_all(&[x; 50]);
        let q = s.summary();
        assert_eq!([q.p05, q.p25, q.p50, q.p75, q.p95], [x; 5]);
        // The extremes are exact too.
        s.add(0.4);
        assert_eq!((s.quantile(0.0), s.quantile(1.0)), (x, 0.4));
    }

    #[test]
    fn single_values_and_signs() {
        let mut s = Sketch::for_unit(Unit::Pounds);
        s.add(-2.0);
        assert_eq!(s.summary().p50, -2.0);
        s.add(0.0);
        s.add(3.0);
        assert_eq!(s.quantile(0.0), -2.0);
        assert_eq!(s.quantile(0.5), 0.0);
        assert_eq!(s.quantile(1.0), 3.0);
        assert!(Sketch::for_unit(Unit::Share).mean().is_nan());
    }
}
