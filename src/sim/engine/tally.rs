//! Counts kept as workers join, leave and move, and a worker's events other than leaving.

use super::Flow;
use super::rules::{Consts, Next, VARYING_PASS, threshold};
use super::staff::Worker;
use crate::stats::rng::{Counter, entity_month};

/// Counts kept up to date as workers join, leave and move, so a month visits no worker to whom
/// nothing happens in it; and this month's sums.
pub(super) struct Tally {
    /// Workers by grade (at the end of the month, once its events are over).
    pub(super) per_grade: Vec<u32>,
    /// Workers with under 24 months of service.
    pub(super) under2: u32,
    /// By month: how many of the workers counted in `under2` reach 24 months' service in it.
    pub(super) turns2: Vec<u32>,
    /// Workers by pay slot (`grade * maxp + point`) they will be paid at next.
    pub(super) occupied: Vec<u32>,
    /// Workers paid at each slot this month who have since moved from it, less those who moved
    /// to it: this month's pay by slot is `occupied + paid_moved`.
    pub(super) paid_moved: Vec<i32>,
    /// One-off premiums paid this month, less clawbacks.
    pub(super) one_off: f64,
    /// This month's budget lines of the premiums: one-off payments and their number, clawbacks
    /// and their number, and workers who came to be paid a supplement (joining or moving into
    /// a grade that pays one).
    pub(super) paid: f64,
    pub(super) paid_n: u32,
    pub(super) recovered: f64,
    pub(super) recovered_n: u32,
    pub(super) supplement_entries: u32,
    /// Workers who moved into a grade that pays a supplement this month: paid it from the next
    /// (this month they are paid as they were), so counted then.
    pub(super) supplement_movers: u32,
    /// Per grade, whether it pays a market supplement.
    pub(super) supplemented: Vec<bool>,
    /// Grant income for newly qualified joiners this month.
    pub(super) grant: f64,
    pub(super) flows: Vec<Flow>,
    /// Per grade, the months in grade its staff hold a protected caseload (0: none); empty when
    /// no grade protects, and then nothing below is kept.
    protect: Vec<u16>,
    /// Workers by grade in their protected months, as of the last month recorded.
    pub(super) protected: Vec<u32>,
    /// `ends[month * grades + grade]`: how many of those counted in `protected` leave their
    /// protected months in that month (`Tally::protected_at`).
    ends: Vec<u32>,
}

impl Tally {
    pub(super) fn new(grades: usize, maxp: usize, months: usize, protect: Vec<u16>) -> Tally {
        let protect = if protect.iter().any(|&p| p > 0) {
            protect
        } else {
            Vec::new()
        };
        let g = if protect.is_empty() { 0 } else { grades };
        Tally {
            protected: vec![0; g],
            ends: vec![0; g * (months + 1)],
            protect,
            per_grade: vec![0; grades],
            under2: 0,
            turns2: vec![0; months + 1],
            occupied: vec![0; grades * maxp],
            paid_moved: vec![0; grades * maxp],
            one_off: 0.0,
            paid: 0.0,
            paid_n: 0,
            recovered: 0.0,
            recovered_n: 0,
            supplement_entries: 0,
            supplement_movers: 0,
            supplemented: vec![false; grades],
            grant: 0.0,
            flows: vec![Flow::default(); grades],
        }
    }

    /// Starts a month: no payments or flows yet; with `track`, each grade's flow starts from its
    /// count.
    pub(super) fn new_month(&mut self, track: bool) {
        for f in self.flows.iter_mut() {
            *f = Flow::default();
        }
        if track {
            for (f, &count) in self.flows.iter_mut().zip(&self.per_grade) {
                f.start = count;
            }
        }
        self.one_off = 0.0;
        self.grant = 0.0;
        self.paid = 0.0;
        self.paid_n = 0;
        self.recovered = 0.0;
        self.recovered_n = 0;
        self.supplement_entries = 0;
    }

    /// The month's flows, each ending at its grade's count.
    pub(super) fn end_flows(&mut self) -> Vec<Flow> {
        for (f, &count) in self.flows.iter_mut().zip(&self.per_grade) {
            f.end = count;
        }
        self.flows.clone()
    }

    /// Counts a worker who has joined (or is there at the start) with `los` months of service at
    /// the end of month `m`.
    pub(super) fn arrive(&mut self, w: &Worker, los: u16, m: usize) {
        if self.protects() {
            self.protect(w.grade, w.grade_start, m);
        }
        if self.supplemented[usize::from(w.grade)] {
            self.supplement_entries += 1;
        }
        self.per_grade[usize::from(w.grade)] += 1;
        self.occupied[usize::from(w.slot)] += 1;
        if los < 24 {
            self.under2 += 1;
            if let Some(n) = self.turns2.get_mut(m + usize::from(24 - los)) {
                *n += 1;
            }
        }
    }

    /// Stops counting a worker who left in month `m + 1`, with `los` months of service at the end
    /// of month `m`.
    pub(super) fn depart(&mut self, w: &Worker, los: u16, m: usize) {
        self.per_grade[usize::from(w.grade)] -= 1;
        self.occupied[usize::from(w.slot)] -= 1;
        if los < 24 {
            self.under2 -= 1;
            if let Some(n) = self.turns2.get_mut(m + usize::from(24 - los)) {
                *n -= 1;
            }
        }
    }

    /// Whether any grade's staff hold a protected caseload.
    #[inline]
    pub(super) fn protects(&self) -> bool {
        !self.protect.is_empty()
    }

    /// Counts, in month `m`, a worker of grade `g` whose months in grade count from
    /// `grade_start` among the protected while its months in grade are at most the grade's
    /// protected months: until month `grade_start + protect + 1`.
    #[inline]
    pub(super) fn protect(&mut self, g: u8, grade_start: i16, m: usize) {
        if let Some(e) = self.protected_until(g, grade_start, m) {
            let g = usize::from(g);
            self.protected[g] += 1;
            if let Some(n) = self.ends.get_mut(e * self.protect.len() + g) {
                *n += 1;
            }
        }
    }

    /// Stops counting, in month `m`, a worker counted by `protect` with the same grade and
    /// `grade_start` (if they are still counted: their protected months not over by the month
    /// before).
    #[inline]
    pub(super) fn unprotect(&mut self, g: u8, grade_start: i16, m: usize) {
        if let Some(e) = self.protected_until(g, grade_start, m) {
            let g = usize::from(g);
            self.protected[g] -= 1;
            if let Some(n) = self.ends.get_mut(e * self.protect.len() + g) {
                *n -= 1;
            }
        }
    }

    /// The month a worker of grade `g` and `grade_start` stops being protected, if that is month
    /// `m` or later (it is counted until it is recorded).
    #[inline]
    fn protected_until(&self, g: u8, grade_start: i16, m: usize) -> Option<usize> {
        let p = *self.protect.get(usize::from(g))?;
        let e = i64::from(grade_start) + i64::from(p) + 1;
        (p > 0 && e >= m as i64).then_some(e as usize)
    }

    /// The workers by grade in their protected months at the end of month `m`, once those whose
    /// protection ends in it are taken off (called once a month, in order).
    pub(super) fn protected_at(&mut self, m: usize) -> &[u32] {
        let g = self.protect.len();
        if g > 0 {
            for (p, &e) in self
                .protected
                .iter_mut()
                .zip(&self.ends[m * g..(m + 1) * g])
            {
                *p -= e;
            }
        }
        &self.protected
    }

    /// Moves a worker's counts from the grade and pay slot they were paid at this month.
    pub(super) fn moved(&mut self, grade: u8, slot: u16, w: &Worker) {
        if w.grade != grade {
            self.per_grade[usize::from(grade)] -= 1;
            self.per_grade[usize::from(w.grade)] += 1;
            if self.supplemented[usize::from(w.grade)] && !self.supplemented[usize::from(grade)] {
                self.supplement_movers += 1;
            }
        }
        if w.slot != slot {
            self.occupied[usize::from(slot)] -= 1;
            self.occupied[usize::from(w.slot)] += 1;
            self.paid_moved[usize::from(slot)] += 1;
            self.paid_moved[usize::from(w.slot)] -= 1;
        }
    }
}

/// A worker's event in month `m` other than leaving (the months `Consts::refresh` marks):
/// progression, a pay point, a retention payment; then the worker's cached fields are renewed.
/// Returns what `Consts::refresh` returns, for `Worker::settle` and `Staff::schedule`.
#[inline(always)]
pub(super) fn progress_and_pay<const V: bool>(
    w: &mut Worker,
    m: u32,
    c: &Consts,
    progress: &Counter,
    t: &mut Tally,
) -> Next {
    let (grade, slot) = (w.grade, w.slot);
    let (los, mut tig) = (w.service(m), w.in_grade(m));
    let g = w.grade as usize;
    if tig >= c.events[g].prog_after {
        let before = w.grade_start;
        let pass = match c.pass_threshold[g] {
            VARYING_PASS => threshold(c.pass[g].at(m as usize)),
            t => t,
        };
        if let Some(to) = c.prog[g]
            && progress.bits53(entity_month(u64::from(w.id), m)) < pass
        {
            change_grade(w, to, c, t);
        } else if w.point < c.events[g].top_point && tig % 12 == 0 {
            // A failed attempt starts the months in grade again (for the next attempt and the
            // protected months) but not the pay points: the step due with it is taken.
            w.point += 1;
        }
        w.grade_start = m as i16;
        tig = 0;
        if t.protects() {
            t.unprotect(grade, before, m as usize);
            t.protect(w.grade, w.grade_start, m as usize);
        }
    } else if w.point < c.events[g].top_point && tig % 12 == 0 {
        w.point += 1;
    }
    let g = w.grade as usize;
    if los == c.events[g].retention_at
        && let Some(r) = c.retention[g]
    {
        w.retention = g as u8;
        t.one_off += r.amount;
        t.paid += r.amount;
        t.paid_n += 1;
    }
    let next = c.refresh::<V>(w, los, tig);
    t.moved(grade, slot, w);
    next
}

/// Moves a worker to grade `to` (progression or promotion), at its lowest pay point paying at
/// least what they are paid now, and counts the move in the month's flows.
pub(super) fn change_grade(w: &mut Worker, to: usize, c: &Consts, t: &mut Tally) {
    let from = usize::from(w.grade);
    t.flows[from].moved_out += 1;
    t.flows[to].moved_in += 1;
    let salary = c.pay[from * c.maxp + usize::from(w.point)];
    w.point = c.point_at_least(to, salary);
    w.grade = to as u8;
}
