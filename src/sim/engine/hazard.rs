//! The leaving hazard of each group of workers alike in grade, premium status and service band.
//!
//! A worker leaves in the month the cumulative hazard since joining exceeds the exponential budget
//! drawn at joining. A group whose hazard holds through the horizon keeps one month's hazard, and
//! the month a budget runs out is a division; a group whose hazard changes (a path, a yearly
//! shock, a premium effect that moves) keeps its cumulative hazard month by month, and the month is
//! looked for only as far as the next event that may change the worker's group: one comparison
//! says the budget lasts that long, and otherwise the month is found among them by bisection. Both
//! are exact in whole numbers (`FX` units).
//!
//! A worker's premium status says which premiums' effects on leaving reach them: a golden hello's
//! while it can still be clawed back ([`HELLO`]); a retention payment's in the `lead_months`
//! before it is paid and while it can be clawed back after ([`RETAIN`]). Market supplements reach
//! everyone in their grades.

use super::draws::Draws;
use crate::scenario::param::Series;

/// Units of cumulative hazard in the fixed-point leaving budgets: 2^40 to one. Whole numbers make
/// a worker's leaving month exact arithmetic (`Worker::settle`), so it is worked out when the
/// worker joins or changes hazard group, instead of month by month.
pub(super) const FX: f64 = (1u64 << 40) as f64;

/// Premium status: within a golden hello's clawback.
pub(super) const HELLO: u8 = 1;
/// Premium status: within a retention payment's lead or clawback.
pub(super) const RETAIN: u8 = 2;
const STATUSES: usize = 4;

/// Marks a group whose hazard changes over the horizon.
pub(super) const VARYING: u16 = 1 << 15;

/// A month's hazard for certain leaving in a changing group: more than any leaving budget (at most
/// 37 in `FX` units, about 2^45.2), small enough that 240 months of it add up without overflow.
const CERTAIN: u64 = 1 << 52;

/// The hazards of one option in one replication.
#[derive(Clone, Debug, Default)]
pub(super) struct Hazard {
    /// Whether any group's hazard changes over the horizon.
    pub(super) varies: bool,
    bands: usize,
    /// Per grade, the status bits whose premium effect is not exactly nothing (others are left
    /// out of the group, so that they make no difference and no events).
    pub(super) statuses: Vec<u8>,
    /// Per group (`(grade * 4 + status) * bands + band`): a month's hazard in `FX` units when it
    /// holds through the horizon (u64::MAX: certain to leave).
    delta: Vec<u64>,
    /// Per group: where its cumulative hazard starts in `cum` when it changes, else u32::MAX.
    offset: Vec<u32>,
    /// Cumulative hazards from month 0, `months + 1` for each changing group.
    cum: Vec<u64>,
    /// By month from 1, the largest hazard of any group (`largest`); empty for a hazard made
    /// without `new`.
    most: Vec<u64>,
    months: usize,
}

impl Hazard {
    /// The hazards of the leaving rates and premium effects in `d`, over `months` months.
    pub(super) fn new(d: &Draws, months: usize, mut cum: Vec<u64>) -> Hazard {
        cum.clear();
        let bands = d.leaving.first().map_or(1, Vec::len);
        let g_n = d.leaving.len();
        let groups = g_n * STATUSES * bands;
        let mut h = Hazard {
            varies: false,
            bands,
            statuses: d
                .leave_effects
                .iter()
                .map(|e| {
                    let matters = |s: &Series| !matches!(s, Series::Const(x) if *x == 1.0);
                    (if matters(&e.hello) { HELLO } else { 0 })
                        | (if matters(&e.retention) { RETAIN } else { 0 })
                })
                .collect(),
            delta: vec![0; groups],
            offset: vec![u32::MAX; groups],
            cum,
            most: vec![0; months + 1],
            months,
        };
        // The largest month's hazard of the groups that hold through the horizon.
        let mut held = 0;
        // Scratch rows, month by month: the premium multiplier, then the annual rate.
        let (mut mult, mut annual) = (vec![0.0; months + 1], vec![0.0; months + 1]);
        let mut row = vec![0.0; months + 1];
        for g in 0..g_n {
            let e = &d.leave_effects[g];
            for status in 0..STATUSES as u8 {
                if status & !h.statuses[g] != 0 {
                    continue;
                }
                let hello = status & HELLO != 0;
                let retain = status & RETAIN != 0;
                let constant = e.supplement.is_const()
                    && (!hello || e.hello.is_const())
                    && (!retain || e.retention.is_const());
                e.supplement.write(&mut mult);
                for (on, effect) in [(hello, &e.hello), (retain, &e.retention)] {
                    if on {
                        effect.write(&mut row);
                        mult.iter_mut().zip(&row).for_each(|(x, y)| *x *= y);
                    }
                }
                for (band, rate) in d.leaving[g].iter().enumerate() {
                    let i = (usize::from(status) + g * STATUSES) * bands + band;
                    if constant && rate.is_const() {
                        h.delta[i] = delta(rate.at(0) * mult[0], u64::MAX);
                        held = held.max(h.delta[i]);
                        continue;
                    }
                    h.varies = true;
                    h.offset[i] = h.cum.len() as u32;
                    rate.write(&mut annual);
                    annual.iter_mut().zip(&mult).for_each(|(x, y)| *x *= y);
                    h.cum.reserve(months + 1);
                    h.cum.push(0);
                    let (mut last, mut total) = ((f64::NAN, 0u64), 0u64);
                    for (&a, most) in annual[1..].iter().zip(&mut h.most[1..]) {
                        // Runs of equal rates share one logarithm.
                        if a.to_bits() != last.0.to_bits() {
                            last = (a, delta(a, CERTAIN));
                        }
                        total += last.1;
                        h.cum.push(total);
                        *most = (*most).max(last.1);
                    }
                }
            }
        }
        for most in &mut h.most[1..] {
            *most = (*most).max(held);
        }
        h
    }

    /// The group of a worker of grade `g` with premium status `status` in service band `band`,
    /// with [`VARYING`] set when its hazard changes, and its month's hazard when it does not.
    #[inline]
    pub(super) fn group(&self, g: usize, status: u8, band: usize) -> (u16, u64) {
        let i = (usize::from(status & self.statuses[g]) + g * STATUSES) * self.bands + band;
        if self.offset[i] == u32::MAX {
            (i as u16, self.delta[i])
        } else {
            (i as u16 | VARYING, 0)
        }
    }

    /// The cumulative hazards' memory, for the next `Hazard::new`.
    pub(super) fn take_cum(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.cum)
    }

    /// The largest hazard of any group in month `m` from 1 (u64::MAX: some group is certain to
    /// leave), worked out with the cumulative hazards by `new`: asked each month of a caseload
    /// above its reference, it was a walk over every group's table.
    pub(super) fn largest(&self, m: usize) -> u64 {
        let most = self.most[m.min(self.months)];
        #[cfg(debug_assertions)]
        assert_eq!(most, self.largest_by_groups(m), "month {m}");
        most
    }

    /// `largest`, from each group's month's hazard.
    #[cfg(debug_assertions)]
    fn largest_by_groups(&self, m: usize) -> u64 {
        let mut most = 0;
        for (i, &d) in self.delta.iter().enumerate() {
            let h = match self.offset[i] {
                u32::MAX => d,
                o => {
                    let o = o as usize;
                    self.cum[o + m.min(self.months)] - self.cum[o + (m - 1).min(self.months)]
                }
            };
            most = most.max(h);
        }
        most
    }

    /// The cumulative hazard of changing group `group` from month `since` to month `m`.
    #[inline]
    pub(super) fn spent(&self, group: u16, since: usize, m: usize) -> u64 {
        let o = self.offset[usize::from(group & !VARYING)] as usize;
        self.cum[o + m.min(self.months)] - self.cum[o + since]
    }

    /// The first month after `since`, up to month `by`, in which changing group `group`'s
    /// cumulative hazard since `since` exceeds `budget`; `None` if it does not by then. Most
    /// workers have another event before their budget runs out, so the search is asked only as
    /// far as that: one comparison tells that it does not, and a search of the months to it
    /// finds the month where it does.
    #[inline]
    pub(super) fn runs_out(
        &self,
        group: u16,
        since: usize,
        budget: u64,
        by: usize,
    ) -> Option<usize> {
        let o = self.offset[usize::from(group & !VARYING)] as usize;
        let table = &self.cum[o..o + self.months.min(by) + 1];
        let target = table[since] + budget;
        if table[table.len() - 1] <= target {
            return None;
        }
        Some(search(table, since, target))
    }
}

/// The first month after `since` whose cumulative hazard in `table` passes `target` (there is
/// one). The table rises, so that is `since + 1` plus the months after `since` that do not pass
/// it: found by bisection (`partition_point`, which compiles to conditional moves rather than
/// branches, so nothing is mispredicted), in a few steps however many months there are to the
/// next event that may change the worker's group. Kept out of line: most workers' budgets last
/// that long, which `runs_out` tells with one comparison.
#[inline(never)]
fn search(table: &[u64], since: usize, target: u64) -> usize {
    since + 1 + table[since + 1..].partition_point(|&c| c <= target)
}

/// A month's cumulative hazard, in `FX` units, of an annual leaving rate `annual` held through
/// the year: `-ln(1 - annual) / 12`, the hazard of the monthly leaving probability
/// `1 - (1 - annual)^(1/12)` ([`monthly_hazard`](super::draws::monthly_hazard)) worked out with
/// one logarithm instead of a power and a logarithm; `certain` for a rate of 1 or more.
fn delta(annual: f64, certain: u64) -> u64 {
    let a = annual.clamp(0.0, 1.0);
    if a >= 1.0 {
        certain
    } else {
        (-(-a).ln_1p() / 12.0 * FX).round() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leaving_month_worked_out_event_by_event_is_the_whole_search() {
        use super::super::staff::{NEVER, Worker, lasts_to};
        // Monthly hazards 5, 5, 10, 0, 0, 20 in a changing group.
        let h = Hazard {
            varies: true,
            bands: 1,
            statuses: vec![0],
            delta: vec![0; 4],
            offset: vec![0, u32::MAX, u32::MAX, u32::MAX],
            cum: vec![0, 5, 10, 20, 20, 20, 40],
            most: Vec::new(),
            months: 6,
        };
        let (g, _) = h.group(0, 0, 0);
        for budget in 0..45 {
            for step in 1..=6u32 {
                // A worker joined at the end of month 0 with events every `step` months, none
                // of which changes its group: each settles `leave` only as far as the next.
                let mut w = Worker::new(0, 0, budget, 1);
                (w.group, w.since, w.start) = (g, 0, 0);
                let mut next = step;
                w.settle::<true>(next, &h, 6);
                while lasts_to(w.leave).is_some() {
                    let m = next;
                    next += step;
                    w.regroup::<true>(m, w.hazard_key(), next, &h, 6);
                }
                let whole = h.runs_out(g, 0, budget, 6).map_or(NEVER, |k| k as u16);
                assert_eq!(
                    w.leave, whole,
                    "budget {budget}, events every {step} months"
                );
            }
        }
    }

    #[test]
    fn an_event_before_the_group_may_change_searches_no_further() {
        use super::super::staff::{Worker, lasts_to};
        // Monthly hazards 5, 5, 10, 0, 0, 20: a budget of 25 lasts to month 5 and runs out in 6.
        let h = one_changing_group(vec![0, 5, 10, 20, 20, 20, 40]);
        let (g, _) = h.group(0, 0, 0);
        let mut w = Worker::new(0, 0, 25, 1);
        (w.group, w.since, w.start) = (g, 0, 0);
        // The group may change at 4 months: searched to month 4 only.
        w.settle::<true>(4, &h, 6);
        assert_eq!(lasts_to(w.leave), Some(4));
        // A pay point at 2 months, with the group's next change still at 4 (or nearer, at 3):
        // what is known stands, and nothing is searched.
        for regroup in [4, 3] {
            w.regroup::<true>(2, w.hazard_key(), regroup, &h, 6);
            assert_eq!(lasts_to(w.leave), Some(4));
        }
        // At 4 months the group held, and may next change beyond the horizon: searched on.
        w.regroup::<true>(4, w.hazard_key(), 99, &h, 6);
        assert_eq!(w.leave, 6);
    }

    /// A hazard of one changing group with cumulative hazards `cum`, month by month from 0.
    fn one_changing_group(cum: Vec<u64>) -> Hazard {
        Hazard {
            varies: true,
            bands: 1,
            statuses: vec![0],
            delta: vec![0; 4],
            offset: vec![0, u32::MAX, u32::MAX, u32::MAX],
            months: cum.len() - 1,
            cum,
            most: Vec::new(),
        }
    }

    #[test]
    fn searching_as_far_as_the_group_may_change_finds_the_whole_searchs_month() {
        use super::super::staff::{NEVER, Worker, lasts_to};
        // Random rising hazards over 60 months, random budgets, and a worker's events at random
        // months, each with a random horizon (at or after the next event) to which the group may
        // next change, the group never changing: the leaving month found event by event is the
        // month a search of the whole horizon finds.
        let mut state = 7u64;
        let mut draw = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        for _ in 0..2_000 {
            let months = 60;
            let mut cum = vec![0u64];
            for _ in 0..months {
                let step = if draw(4) == 0 { 0 } else { draw(30) };
                cum.push(cum.last().unwrap() + step);
            }
            let h = one_changing_group(cum);
            let (g, _) = h.group(0, 0, 0);
            let budget = draw(900);
            let mut w = Worker::new(0, 0, budget, 1);
            (w.group, w.since, w.start) = (g, 0, 0);
            let whole = h.runs_out(g, 0, budget, months).map_or(NEVER, |k| k as u16);
            // The worker's events: the next at `at`, the group's next possible change at
            // `regroup`, visited in turn while the budget is known only to last.
            let mut at = 1 + draw(12) as u32;
            let mut regroup = at + draw(24) as u32;
            w.settle::<true>(regroup, &h, months);
            while lasts_to(w.leave).is_some() && (at as usize) < months {
                let m = at;
                at = m + 1 + draw(12) as u32;
                if m >= regroup || draw(3) == 0 {
                    regroup = at.max(regroup) + draw(24) as u32;
                }
                w.regroup::<true>(m, w.hazard_key(), regroup.max(at), &h, months);
            }
            // A last event whose group holds to the horizon's end settles it.
            w.regroup::<true>(at.min(months as u32), w.hazard_key(), u32::MAX, &h, months);
            assert_eq!(w.leave, whole, "budget {budget}");
        }
    }

    #[test]
    fn a_months_hazard_is_that_of_the_monthly_leaving_probability() {
        use crate::sim::engine::monthly_hazard;
        for i in 0..=999 {
            let a = f64::from(i) / 1000.0;
            let by_probability = (-(1.0 - monthly_hazard(a)).ln() * FX).round() as u64;
            assert!(delta(a, 0).abs_diff(by_probability) <= 1, "annual rate {a}");
        }
        // 15% a year: -ln(0.85) / 12 of 2^40.
        assert_eq!(
            delta(0.15, 0),
            (0.162_518_929_497_774_9 / 12.0 * FX).round() as u64
        );
        assert_eq!((delta(0.0, 7), delta(1.0, 7), delta(1.5, 7)), (0, 7, 7));
    }

    #[test]
    fn a_changing_groups_budget_runs_out_where_its_months_add_up_past_it() {
        let mut h = Hazard {
            varies: true,
            bands: 1,
            statuses: vec![0],
            delta: vec![0; 4],
            offset: vec![0, u32::MAX, u32::MAX, u32::MAX],
            // Monthly hazards 5, 5, 10, 0, 0, 20.
            cum: vec![0, 5, 10, 20, 20, 20, 40],
            most: Vec::new(),
            months: 6,
        };
        let (g, _) = h.group(0, 0, 0);
        assert_ne!(g & VARYING, 0);
        assert_eq!(h.runs_out(g, 0, 9, 6), Some(2));
        assert_eq!(h.runs_out(g, 0, 10, 6), Some(3));
        // Asked only as far as month 2, or 3.
        assert_eq!(h.runs_out(g, 0, 10, 2), None);
        assert_eq!(h.runs_out(g, 0, 10, 3), Some(3));
        // From month 3 nothing is spent until month 6.
        assert_eq!(h.runs_out(g, 3, 0, 6), Some(6));
        assert_eq!(h.runs_out(g, 3, 0, 5), None);
        assert_eq!(h.runs_out(g, 3, 20, 6), None);
        assert_eq!(h.runs_out(g, 3, 20, 99), None);
        assert_eq!(h.spent(g, 1, 3), 15);
        assert_eq!(h.spent(g, 2, 99), 30);
        h.offset[0] = u32::MAX;
        h.delta[0] = 7;
        assert_eq!(h.group(0, 0, 0), (0, 7));
    }
}
