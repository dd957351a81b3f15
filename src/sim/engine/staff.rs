//! The permanent workers of one option, and for each month the list of those with an event in it.
//!
//! A month visits only the workers with an event in it (leaving, progression, a pay point, a
//! retention payment, a new service band); between events nothing about a worker changes but its
//! service and months in grade, which are counted from the months it started.

use super::hazard::{FX, Hazard, VARYING};
use crate::stats::rng::Counter;

/// Marks "no premium paid" in a worker's premium fields, and a free place in `Staff`.
pub(super) const NONE: u8 = u8::MAX;

/// Marks "no worker" in the links of `Staff`'s lists.
pub(super) const NIL: u32 = u32::MAX;

/// `Worker::leave`: the budget lasts the horizon.
pub(super) const NEVER: u16 = u16::MAX;
/// `Worker::leave`: not yet worked out in the worker's hazard group.
pub(super) const UNKNOWN: u16 = u16::MAX - 1;
/// `Worker::leave` from `SEARCHED` up to `UNKNOWN`: the budget lasts at least to the end of month
/// `leave - SEARCHED` (the furthest it was searched), when it is worked out again if the worker is
/// still in the same hazard group. Months are at most 240, far below.
pub(super) const SEARCHED: u16 = 1 << 15;

/// Whether `leave` says only that the budget lasts to some month (see [`SEARCHED`]), and to which.
#[inline]
pub(super) fn lasts_to(leave: u16) -> Option<usize> {
    (SEARCHED..UNKNOWN)
        .contains(&leave)
        .then(|| usize::from(leave - SEARCHED))
}

/// One permanent worker. The engine visits a worker only in the months of its events: the month
/// it leaves, and the months `Consts::refresh` marks (progression, a pay point, a retention
/// payment, a new service band). In between nothing about a worker changes but its service and
/// months in grade, which are counted from `start` and `grade_start`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Worker {
    pub(super) id: u32,
    /// Leaving budget left at the end of month `since`, in `FX` units: an exponential draw made at
    /// joining, less the cumulative hazard since. The worker leaves in the month it goes below
    /// zero.
    pub(super) budget: u64,
    /// The cumulative hazard of a month in the worker's hazard group, in `FX` units, when the
    /// group's hazard holds through the horizon (u64::MAX: certain to leave).
    pub(super) delta: u64,
    /// The worker's hazard group (`Hazard::group`), with `VARYING` set when its hazard changes
    /// from month to month.
    pub(super) group: u16,
    /// Links in the list of workers whose next event falls in month `at` (NIL: none).
    pub(super) prev: u32,
    pub(super) next: u32,
    /// Months of service at the end of month `m` are `m - start`.
    pub(super) start: i16,
    /// Months in the current grade at the end of month `m` are `m - grade_start`.
    pub(super) grade_start: i16,
    /// Months of post-qualifying experience at the end of month `m` are `m - qualified`: the
    /// service, and the experience brought on joining.
    pub(super) qualified: i16,
    /// The month to which `budget` has been brought.
    pub(super) since: u16,
    /// The month of the worker's next event (u16::MAX: none within the horizon).
    pub(super) at: u16,
    /// The month the budget runs out, worked out from `budget` and `since` in the worker's
    /// hazard group when it is first needed (`Worker::settle`); or [`NEVER`] (not within the
    /// horizon), a month it lasts to at least ([`SEARCHED`]: not before the next event that may
    /// change the worker's group, when it is worked out again) or [`UNKNOWN`]. It holds until the
    /// group changes, so an event that leaves the group as it was (a pay point, most often)
    /// needs no new search for it.
    pub(super) leave: u16,
    /// Where the worker is paid in the pay table: `grade * maxp + point`.
    pub(super) slot: u16,
    /// NONE for a free place in `Staff`.
    pub(super) grade: u8,
    pub(super) point: u8,
    /// The grade whose golden hello this worker was paid at joining, or NONE.
    pub(super) hello: u8,
    /// The grade whose retention payment this worker was paid, or NONE.
    pub(super) retention: u8,
}

/// A worker stays at 48 bytes: `leave` took space that was padding.
const _: () = assert!(std::mem::size_of::<Worker>() == 48);

impl Worker {
    /// A worker joining with no service at the end of month `m - 1`: from month `m` on, service
    /// and months in grade count from 1, and the budget is first spent in month `m + 1`.
    pub(super) fn new(id: u32, grade: usize, budget: u64, m: u16) -> Self {
        let before = m as i16 - 1;
        Worker {
            id,
            budget,
            // Set with `slot` by `Consts::refresh` before the worker is first counted.
            delta: 0,
            group: 0,
            prev: NIL,
            next: NIL,
            start: before,
            grade_start: before,
            qualified: before,
            since: m,
            at: u16::MAX,
            leave: UNKNOWN,
            slot: 0,
            grade: grade as u8,
            point: 0,
            hello: NONE,
            retention: NONE,
        }
    }

    /// Months of service at the end of month `m`.
    pub(super) fn service(&self, m: u32) -> u16 {
        (m as i32 - i32::from(self.start)) as u16
    }

    /// Months of post-qualifying experience at the end of month `m`.
    pub(super) fn experience(&self, m: u32) -> i32 {
        m as i32 - i32::from(self.qualified)
    }

    /// Months in the current grade at the end of month `m`.
    pub(super) fn in_grade(&self, m: u32) -> u16 {
        (m as i32 - i32::from(self.grade_start)) as u16
    }

    /// The worker's leaving hazard in month `m`, in `FX` units (u64::MAX: certain to leave).
    #[inline]
    pub(super) fn month_hazard<const V: bool>(&self, m: u32, hz: &Hazard) -> u64 {
        if V && self.group & VARYING != 0 {
            hz.spent(self.group, m as usize - 1, m as usize)
        } else {
            self.delta
        }
    }

    /// The hazard spent from the end of month `since` to the end of month `m`.
    #[inline]
    fn spent<const V: bool>(&self, m: u32, hz: &Hazard) -> u64 {
        if !V || self.group & VARYING == 0 {
            self.delta
                .saturating_mul(u64::from(m - u32::from(self.since)))
        } else {
            spent_varying(hz, self, m)
        }
    }

    /// Spends the budget up to the end of month `m`, in which the worker is still in post, at the
    /// hazard of group `group` with month's hazard `delta` (the worker's group before an event
    /// changed it).
    pub(super) fn rebase<const V: bool>(
        &mut self,
        m: u32,
        (group, delta): (u16, u64),
        hz: &Hazard,
    ) {
        let was = Worker {
            group,
            delta,
            ..*self
        };
        self.budget -= was.spent::<V>(m, hz);
        self.since = m as u16;
    }

    /// Works out `leave`, where it is not known, for a worker whose hazard group may next change
    /// at `regroup` months of service (`Next::regroup`), over a horizon of `months`. With a
    /// hazard that holds, the budget runs out in the first month `k` after `since` with `k *
    /// delta > budget`; in whole numbers, `budget / delta + 1`. With one that changes, it is
    /// searched for in its cumulative hazards, as far as the group may change only ([`SEARCHED`]
    /// if it lasts until then): events before that, pay points most often, search no further.
    #[inline]
    pub(super) fn settle<const V: bool>(&mut self, regroup: u32, hz: &Hazard, months: usize) {
        if V && self.group & VARYING != 0 {
            let by = (i64::from(self.start) + i64::from(regroup)).min(months as i64) as usize;
            match lasts_to(self.leave) {
                Some(to) if to < by => {}
                None if self.leave == UNKNOWN => {}
                _ => return,
            }
            self.leave = match runs_out(hz, self, by) {
                Some(k) => k as u16,
                None if by == months => NEVER,
                None => SEARCHED + by as u16,
            };
            return;
        }
        if self.leave != UNKNOWN && lasts_to(self.leave).is_none() {
            return;
        }
        self.leave = match self.delta {
            0 => NEVER,
            d => {
                let k = u64::from(self.since) + self.budget / d + 1;
                if k > months as u64 { NEVER } else { k as u16 }
            }
        };
    }

    /// The worker's hazard group and month's hazard, to tell whether an event changed them.
    #[inline]
    pub(super) fn hazard_key(&self) -> (u16, u64) {
        (self.group, self.delta)
    }

    /// After an event in month `m` that may have changed the worker's hazard group from `before`,
    /// with the group's next possible change at `regroup` months of service: if the group
    /// changed, the budget is spent to `m` at the old hazard and the leaving month is worked out
    /// afresh at the new one; if not, it stands where it is known.
    #[inline]
    pub(super) fn regroup<const V: bool>(
        &mut self,
        m: u32,
        before: (u16, u64),
        regroup: u32,
        hz: &Hazard,
        months: usize,
    ) {
        if self.hazard_key() != before {
            self.rebase::<V>(m, before, hz);
            self.leave = UNKNOWN;
        }
        self.settle::<V>(regroup, hz, months);
    }
}

/// The permanent workers of one option, and for each month the list of those with an event in it.
/// Places of workers who left are reused; nothing is allocated once the staff reach their largest
/// number, and `Common` keeps the memory for the next option and replication.
#[derive(Clone, Debug, Default)]
pub(super) struct Staff {
    pub(super) workers: Vec<Worker>,
    pub(super) free: Vec<u32>,
    /// The first worker of each month's list (NIL: none).
    pub(super) head: Vec<u32>,
}

impl Staff {
    #[cfg(test)]
    pub(super) fn new(months: usize, capacity: usize) -> Staff {
        let mut staff = Staff::default();
        staff.reset(months, capacity);
        staff
    }

    /// Empties the staff for a run of `months`, keeping the memory.
    pub(super) fn reset(&mut self, months: usize, capacity: usize) {
        self.workers.clear();
        self.workers.reserve(capacity);
        self.free.clear();
        self.head.clear();
        self.head.resize(months + 1, NIL);
    }

    /// Adds a worker and returns their place.
    pub(super) fn add(&mut self, w: Worker) -> usize {
        match self.free.pop() {
            Some(i) => {
                self.workers[i as usize] = w;
                i as usize
            }
            None => {
                self.workers.push(w);
                self.workers.len() - 1
            }
        }
    }

    /// Frees the place of a worker who left (and whose list has been taken by `take`).
    pub(super) fn remove(&mut self, i: usize) {
        self.workers[i].grade = NONE;
        self.free.push(i as u32);
    }

    /// The months of the horizon the lists cover.
    pub(super) fn months(&self) -> usize {
        self.head.len() - 1
    }

    /// Takes month `m`'s list: its first worker, the rest following `Worker::next`.
    pub(super) fn take(&mut self, m: usize) -> u32 {
        std::mem::replace(&mut self.head[m], NIL)
    }

    /// Puts worker `i` in the list of the month of their next event: the month their budget runs
    /// out (`Worker::leave`, where it is known to be a month), or the month their service reaches
    /// `next` (`Next::at` from `Consts::refresh`), whichever is first.
    #[inline]
    pub(super) fn schedule(&mut self, i: usize, next: u32) {
        let months = self.head.len() - 1;
        let w = &mut self.workers[i];
        let progress = i64::from(w.start) + i64::from(next);
        let leave = match w.leave {
            NEVER | UNKNOWN => i64::MAX,
            l if lasts_to(l).is_some() => i64::MAX,
            l => i64::from(l),
        };
        let at = progress.min(leave);
        if at > months as i64 {
            w.at = u16::MAX;
            return;
        }
        let at = at as usize;
        let first = self.head[at];
        w.at = at as u16;
        w.prev = NIL;
        w.next = first;
        if first != NIL {
            self.workers[first as usize].prev = i as u32;
        }
        self.head[at] = i as u32;
    }

    /// Takes worker `i` out of the list they are in, before `schedule` puts them in another.
    pub(super) fn unlink(&mut self, i: usize) {
        let Worker { prev, next, at, .. } = self.workers[i];
        if at == u16::MAX {
            return;
        }
        if prev == NIL {
            self.head[usize::from(at)] = next;
        } else {
            self.workers[prev as usize].next = next;
        }
        if next != NIL {
            self.workers[next as usize].prev = prev;
        }
    }
}

/// The month worker `w`'s budget runs out in a changing hazard group, if it does by month `by`.
#[inline]
fn runs_out(hz: &Hazard, w: &Worker, by: usize) -> Option<usize> {
    hz.runs_out(w.group, usize::from(w.since), w.budget, by)
}

/// `Worker::spent` in a changing hazard group.
#[inline]
fn spent_varying(hz: &Hazard, w: &Worker, m: u32) -> u64 {
    hz.spent(w.group, usize::from(w.since), m as usize)
}

/// Leaving budgets by worker id, as far as any option has needed them.
#[derive(Clone, Debug)]
pub(super) struct Budgets {
    pub(super) leave: Counter,
    pub(super) by_id: Vec<u64>,
}

impl Budgets {
    /// Worker `id`'s leaving budget in `FX` units: `-ln(1 - U)` with U uniform on [0, 1) is
    /// exponential with mean 1, and at most 37. Ids are given in order from 0, so the table grows
    /// an id at a time.
    pub(super) fn get(&mut self, id: u32) -> u64 {
        let i = id as usize;
        while self.by_id.len() <= i {
            let u = self.leave.uniform(self.by_id.len() as u64);
            self.by_id.push((-(1.0 - u).ln() * FX) as u64);
        }
        self.by_id[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hazards the tests' workers do not use: their `delta` is set by hand.
    fn hazard() -> Hazard {
        Hazard::default()
    }

    /// A worker with the given budget and hazard, in post since month `since`, who would
    /// otherwise have no event.
    fn idle(budget: u64, delta: u64, since: u16) -> Worker {
        let mut w = Worker::new(0, 0, budget, since);
        w.delta = delta;
        w.settle::<false>(u32::MAX, &hazard(), 240);
        w
    }

    /// Whether the budget has run out by the end of month `m`.
    fn gone_by(w: &Worker, m: u32) -> bool {
        w.spent::<false>(m, &hazard()) > w.budget
    }

    #[test]
    fn leaving_month_is_the_first_month_the_budget_goes_below_zero() {
        // Month by month, as the budget would be spent: the first month after `since` in which
        // the hazard spent exceeds the budget.
        let by_months = |budget: u64, delta: u64, since: u16| -> u16 {
            let mut left = i128::from(budget);
            let mut m = since;
            while left >= 0 {
                m += 1;
                left -= i128::from(delta);
            }
            m
        };
        let mut staff = Staff::new(240, 8);
        let cases = [
            (0, 1, 0),
            (5, 5, 0),
            (9, 5, 3),
            (10, 5, 3),
            (11, 5, 3),
            (1 << 40, 1 << 36, 7),
            ((1 << 40) - 1, 1 << 36, 7),
            (3_000_000_000_000, 98_765_432_101, 12),
            (7, u64::MAX, 100),
        ];
        for (budget, delta, since) in cases {
            let i = staff.add(idle(budget, delta, since));
            staff.schedule(i, u32::MAX);
            let want = by_months(budget, delta, since);
            let w = staff.workers[i];
            assert_eq!(w.at, want, "budget {budget}, delta {delta}, since {since}");
            // Still in post the month before, gone in it.
            assert!(!gone_by(&w, u32::from(want) - 1) && gone_by(&w, u32::from(want)));
            staff.unlink(i);
            staff.remove(i);
        }
        // No hazard: never leaves; beyond the horizon: no event.
        let i = staff.add(idle(5, 0, 0));
        staff.schedule(i, u32::MAX);
        assert_eq!(staff.workers[i].at, u16::MAX);
        let i = staff.add(idle(5, 1, 236));
        staff.schedule(i, u32::MAX);
        assert_eq!(staff.workers[i].at, u16::MAX);
    }

    #[test]
    fn spending_the_budget_keeps_the_leaving_month() {
        let hz = hazard();
        let mut w = idle(1000, 30, 0);
        let leave = w.leave;
        w.rebase::<false>(20, w.hazard_key(), &hz);
        assert_eq!((w.budget, w.since), (400, 20));
        w.leave = UNKNOWN;
        w.settle::<false>(u32::MAX, &hz, 240);
        assert_eq!(w.leave, leave);
        let mut staff = Staff::new(240, 1);
        let i = staff.add(w);
        staff.schedule(i, u32::MAX);
        // 1000 / 30 = 33.3: the budget is gone in month 34, whenever it was last brought up to date.
        assert_eq!(staff.workers[i].at, 34);
    }

    #[test]
    fn each_month_lists_exactly_the_workers_with_an_event_in_it() {
        let hz = hazard();
        let months = 24;
        let mut staff = Staff::new(months, 4);
        // The next event is the earlier of leaving and reaching service `next`; joined at the end
        // of month 0 (`start` 0), so service `next` is reached in month `next`.
        for k in 0..40u32 {
            let mut w = idle(u64::from(k % 7) * 100 + 50, 100, 0);
            w.id = k;
            w.start = 0;
            let i = staff.add(w);
            staff.schedule(i, 1 + k % 5);
        }
        // Move some to other months, as a promotion does.
        for i in (0..40).step_by(3) {
            staff.unlink(i);
            staff.workers[i].delta = 0;
            staff.workers[i].leave = UNKNOWN;
            staff.workers[i].settle::<false>(u32::MAX, &hz, months);
            staff.schedule(i, 10 + i as u32 % 9);
        }
        let mut seen = [0; 40];
        for m in 0..=months {
            let mut e = staff.take(m);
            while e != NIL {
                let w = staff.workers[e as usize];
                assert_eq!(usize::from(w.at), m, "worker {} listed in month {m}", w.id);
                seen[e as usize] += 1;
                e = w.next;
            }
        }
        for (i, w) in staff.workers.iter().enumerate() {
            let expected = if i % 3 == 0 {
                10 + i as u16 % 9
            } else {
                (1 + i as u16 % 5).min((i as u16 % 7) + 1)
            };
            assert_eq!((w.at, seen[i]), (expected, 1), "worker {i}");
        }
    }
}
