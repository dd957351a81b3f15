//! The fixed lookups of a replication: hazards, grades' events, pay tables and premium rules.

use super::draws::{Draws, band_of};
use super::hazard::{HELLO, Hazard, RETAIN};
use super::staff::{NONE, Worker};
use crate::scenario::param::Series;
use crate::scenario::premium::{HelloRule, RetentionRule};
use crate::scenario::{PremiumKind, Spec};

/// When a grade's events fall, for `Consts::refresh` and `progress_and_pay`: the months in grade
/// at which its staff try progression (u16::MAX: never), the months of service at which its
/// retention payment is due (u16::MAX: none), its top pay point and its first slot in the pay
/// table.
#[derive(Clone, Copy, Debug)]
pub(super) struct GradeEvents {
    pub(super) prog_after: u16,
    pub(super) retention_at: u16,
    pub(super) top_point: u8,
    pub(super) first_slot: u16,
    /// The premium status bits that change its staff's hazard (`Hazard::statuses`).
    pub(super) statuses: u8,
}

/// Marks a grade whose pass rate changes from month to month (`Consts::pass`).
pub(super) const VARYING_PASS: u64 = u64::MAX;

/// Lookups that stay fixed through a replication (pay tables change only in April).
pub(super) struct Consts {
    /// The leaving hazards of the option in this replication.
    pub(super) hazard: Hazard,
    /// The service band of each months of service up to `cap`.
    pub(super) band_of: Vec<u8>,
    /// The month's hazard of a worker with no premium status, by `grade * (cap + 1) +
    /// min(service, cap)`, when no hazard changes: the one lookup of most events.
    pub(super) plain: Vec<u64>,
    pub(super) cap: u16,
    /// The first band edge above each months of service up to `cap` (u16::MAX: none).
    pub(super) next_edge: Vec<u16>,
    /// Per grade, when its events fall (what `refresh` and `progress_and_pay` look at).
    pub(super) events: Vec<GradeEvents>,
    /// Progression per grade: the grade staff progress to.
    pub(super) prog: Vec<Option<usize>>,
    /// Per grade, the chance of passing progression, month by month.
    pub(super) pass: Vec<Series>,
    /// Per grade, the threshold on a 53-bit draw below which progression passes (`threshold`),
    /// or [`VARYING_PASS`] when the pass rate changes from month to month.
    pub(super) pass_threshold: Vec<u64>,
    pub(super) npoints: Vec<usize>,
    pub(super) maxp: usize,
    /// Annual pay by `grade * maxp + point`.
    pub(super) pay: Vec<f64>,
    pub(super) hello: Vec<Option<HelloRule>>,
    pub(super) retention: Vec<Option<RetentionRule>>,
}

/// What `Consts::refresh` tells of a worker's coming months, in months of service: the next
/// event (`at`, for `Staff::schedule`), and the first event that may change its hazard group
/// (`regroup`, at or after `at`, for `Worker::settle`: the leaving month found in a group holds
/// until then).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Next {
    pub(super) at: u32,
    pub(super) regroup: u32,
}

impl Consts {
    /// The lowest pay point of `grade` paying at least `salary` (or its top point).
    pub(super) fn point_at_least(&self, grade: usize, salary: f64) -> u8 {
        let row = &self.pay[grade * self.maxp..grade * self.maxp + self.npoints[grade]];
        row.iter()
            .position(|&x| x >= salary)
            .unwrap_or(row.len() - 1) as u8
    }

    /// Brings a worker's cached fields up to date after its grade, pay point or service changed,
    /// given its months of service `los` and in grade `tig`: the hazard of its grade and service
    /// band, and its pay slot. Returns the months of service, above `los`, at which
    /// `progress_and_pay` must next look at it (for `Staff::schedule`), and at which its hazard
    /// group may next change (for `Worker::settle`).
    ///
    /// Always inlined, as `progress_and_pay` is: they run at every event, and out of line the
    /// calls' saving and restoring of registers took about a quarter of their instructions.
    #[inline(always)]
    pub(super) fn refresh<const V: bool>(&self, w: &mut Worker, los: u16, tig: u16) -> Next {
        let g = usize::from(w.grade);
        let e = self.events[g];
        let capped = usize::from(los.min(self.cap));
        let status_change = if !V && e.statuses == 0 {
            w.delta = self.plain[g * (usize::from(self.cap) + 1) + capped];
            u32::MAX
        } else if e.statuses == 0 {
            (w.group, w.delta) = self.hazard.group(g, 0, usize::from(self.band_of[capped]));
            u32::MAX
        } else {
            let (status, change) = self.status(w, los);
            (w.group, w.delta) = self
                .hazard
                .group(g, status, usize::from(self.band_of[capped]));
            change
        };
        w.slot = e.first_slot + u16::from(w.point);
        let (retention_due, los, tig) = (e.retention_at > los, u32::from(los), u32::from(tig));
        // A new service band, premium status, grade (progression) or retention payment may
        // change the hazard group; a pay point does not.
        let mut regroup = u32::from(self.next_edge[capped]).min(status_change);
        if e.prog_after != u16::MAX {
            regroup = regroup.min(los + u32::from(e.prog_after).saturating_sub(tig).max(1));
        }
        if retention_due {
            regroup = regroup.min(u32::from(e.retention_at));
        }
        let at = if w.point < e.top_point {
            regroup.min(los + 12 - tig % 12)
        } else {
            regroup
        };
        Next { at, regroup }
    }

    /// Which premiums' effects on leaving reach a worker with `los` months of service: a golden
    /// hello received in this grade while it can be clawed back ([`HELLO`]); this grade's
    /// retention payment in the `lead` months before it is due, or once received in this grade
    /// while it can be clawed back ([`RETAIN`]). Also the months of service, above `los`, at
    /// which that next changes (u32::MAX: never).
    fn status(&self, w: &Worker, los: u16) -> (u8, u32) {
        let g = usize::from(w.grade);
        let (mut status, mut change) = (0, u32::MAX);
        if w.hello == w.grade
            && let Some(h) = self.hello[g]
            && let Some(ends) = h.reaches(los)
        {
            status |= HELLO;
            change = ends;
        }
        if let Some(r) = self.retention[g] {
            let (on, next) = r.reaches(los, w.retention == w.grade, w.retention == NONE);
            if on {
                status |= RETAIN;
            }
            change = change.min(next);
        }
        (status, change)
    }

    /// What is recovered from a worker leaving with `los` months of service.
    pub(super) fn clawback(&self, w: &Worker, los: u16) -> f64 {
        let mut total = 0.0;
        if w.hello != NONE
            && let Some(h) = self.hello[w.hello as usize]
        {
            total += h.recovered(los);
        }
        if w.retention != NONE
            && let Some(r) = self.retention[w.retention as usize]
        {
            total += r.recovered(los);
        }
        total
    }
}

impl Consts {
    /// The lookups of `spec` with the replication's draws `d`.
    pub(super) fn new(spec: &Spec, d: &Draws, months: usize, cum: Vec<u64>) -> Consts {
        let g_n = spec.grades.len();
        let (hello, retention) = payment_rules(spec);
        let cap = *spec.band_edges.last().expect("bands") as u16;
        let maxp = spec
            .grades
            .iter()
            .map(|g| g.pay_points.len())
            .max()
            .unwrap_or(1);
        let mut pay = vec![0.0; g_n * maxp];
        for (gi, g) in spec.grades.iter().enumerate() {
            pay[gi * maxp..gi * maxp + g.pay_points.len()].copy_from_slice(&g.pay_points);
        }
        let hazard = Hazard::new(d, months, cum);
        let statuses = hazard.statuses.clone();
        let band_of: Vec<u8> = (0..=u32::from(cap))
            .map(|los| band_of(&spec.band_edges, los) as u8)
            .collect();
        let plain = (0..g_n)
            .flat_map(|g| band_of.iter().map(move |&b| (g, b)))
            .map(|(g, b)| hazard.group(g, 0, usize::from(b)).1)
            .collect();
        Consts {
            hazard,
            band_of,
            plain,
            cap,
            next_edge: (0..=cap)
                .map(|los| {
                    spec.band_edges
                        .iter()
                        .find(|&&e| e > u32::from(los))
                        .map_or(u16::MAX, |&e| e as u16)
                })
                .collect(),
            events: spec
                .grades
                .iter()
                .zip(&retention)
                .enumerate()
                .map(|(gi, (g, r))| GradeEvents {
                    prog_after: g
                        .progression
                        .as_ref()
                        .map_or(u16::MAX, |p| p.after_months.min(u32::from(u16::MAX)) as u16),
                    retention_at: r.map_or(u16::MAX, |r| r.at),
                    top_point: (g.pay_points.len() - 1) as u8,
                    first_slot: (gi * maxp) as u16,
                    statuses: statuses[gi],
                })
                .collect(),
            prog: spec
                .grades
                .iter()
                .map(|g| g.progression.as_ref().map(|p| p.to))
                .collect(),
            pass: d.pass_rate.clone(),
            pass_threshold: d
                .pass_rate
                .iter()
                .map(|p| match p {
                    Series::Const(p) => threshold(*p),
                    Series::Monthly(_) => VARYING_PASS,
                })
                .collect(),
            npoints: spec.grades.iter().map(|g| g.pay_points.len()).collect(),
            maxp,
            pay,
            hello,
            retention,
        }
    }
}

/// Each grade's golden hello and retention payment, if it has one.
fn payment_rules(spec: &Spec) -> (Vec<Option<HelloRule>>, Vec<Option<RetentionRule>>) {
    let g_n = spec.grades.len();
    let mut hello: Vec<Option<HelloRule>> = vec![None; g_n];
    let mut retention: Vec<Option<RetentionRule>> = vec![None; g_n];
    for p in &spec.premiums {
        for &g in &p.grades {
            match &p.kind {
                PremiumKind::MarketSupplement => {}
                PremiumKind::GoldenHello(h) => hello[g] = Some(h.rule(p.amount)),
                PremiumKind::RetentionPayment(r) => retention[g] = Some(r.rule(p.amount)),
            }
        }
    }
    (hello, retention)
}

/// A month's pay by slot (`grade * maxp + point`): salary, the market supplement and the
/// on-costs on both, in pounds a month. Renewed after each April's pay award.
pub(super) struct PayTables {
    /// The market supplement by slot, pounds a year (supplements of a grade add up).
    pub(super) supplement: Vec<f64>,
    pub(super) salary: Vec<f64>,
    pub(super) on_costs: Vec<f64>,
    /// The monthly on-costs the slot's supplement adds to those of its salary alone.
    pub(super) supplement_on_costs: Vec<f64>,
}

impl PayTables {
    pub(super) fn new(spec: &Spec, c: &Consts, d: &Draws) -> PayTables {
        let mut by_grade = vec![0.0; spec.grades.len()];
        for p in &spec.premiums {
            if p.kind == PremiumKind::MarketSupplement {
                for &g in &p.grades {
                    by_grade[g] += p.amount;
                }
            }
        }
        let n = c.pay.len();
        let mut tables = PayTables {
            supplement: (0..n).map(|i| by_grade[i / c.maxp]).collect(),
            salary: vec![0.0; n],
            on_costs: vec![0.0; n],
            supplement_on_costs: vec![0.0; n],
        };
        tables.update(c, d, 0);
        tables
    }

    /// Renews the monthly figures from the pay points in `c`.
    pub(super) fn update(&mut self, c: &Consts, d: &Draws, m: usize) {
        for (((&x, &supp), (s, o)), so) in c
            .pay
            .iter()
            .zip(&self.supplement)
            .zip(self.salary.iter_mut().zip(&mut self.on_costs))
            .zip(&mut self.supplement_on_costs)
        {
            *s = x / 12.0;
            *o = d.on_costs(m, x + supp) / 12.0;
            if supp > 0.0 {
                *so = *o - d.on_costs(m, x) / 12.0;
            }
        }
    }
}

/// `x` rounded down to a whole number, and 0 when `x` is negative or NaN: the same as
/// `x.floor().max(0.0) as u32`, because `as` rounds toward zero and saturates, without the call
/// to `floor` (which is not an instruction on baseline x86-64).
#[inline]
pub(super) fn whole_part(x: f64) -> u32 {
    x as u32
}

/// Converts a probability into the threshold on a 53-bit draw that gives the same decisions as
/// comparing the uniform `draw / 2^53` with it.
pub(super) fn threshold(p: f64) -> u64 {
    (p.clamp(0.0, 1.0) * (1u64 << 53) as f64).ceil() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_part_is_the_floor_clamped_at_zero() {
        for x in [
            0.0,
            -0.0,
            0.3,
            0.999_999,
            1.0,
            7.5,
            12.000_000_001,
            -0.2,
            -1.0,
            -3.7,
            4.0e9,
            5.0e9,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(whole_part(x), x.floor().max(0.0) as u32, "{x}");
        }
    }
}
