//! The steps of a month, in the order the module documentation of `engine` gives them.
//!
//! Each step is a method of [`Sim`]; `simulate_into` calls them in turn. Workers who join are
//! paid, aged and counted as they join, so a month's joiners and stayers are treated alike.

use super::hazard::FX;
use super::rules::{Consts, whole_part};
use super::staff::{Budgets, NIL, NONE, Staff, Worker};
use super::tally::{Tally, change_grade, progress_and_pay};
use super::{Cohort, Shared, Sim};
use crate::model::budget::{BudgetRow, Line};
use crate::model::cost::{Component as C, CostRow};
use crate::model::date::YearMonth;
use crate::model::metric::{self, Metric};
use crate::scenario::MAX_ESTABLISHMENT;
use crate::stats::rng::{Powers, entity_month};

impl Sim<'_> {
    /// Permanent workers holding post group `pi`'s posts.
    fn held(&self, pi: usize) -> u32 {
        self.spec.posts[pi]
            .grades
            .iter()
            .map(|&g| self.t.per_grade[g])
            .sum()
    }

    /// The agency workers post group `pi` calls for this month: `agency_cover` of its vacancies
    /// and `agency_extra`, whole workers (at most the largest establishment a scenario may state,
    /// which only shocks far beyond any council's reach).
    fn agency_need(&self, pi: usize) -> u32 {
        let now = &self.now;
        let vac = (now.establishment[pi] - f64::from(self.held(pi))).max(0.0);
        whole_part((now.cover[pi] * vac + now.extra[pi] + 0.5).min(MAX_ESTABLISHMENT))
    }

    /// Post group `pi`'s vacant posts this month, as whole posts.
    fn vacant(&self, pi: usize) -> u32 {
        whole_part(self.now.establishment[pi] - f64::from(self.held(pi)) + 1e-9)
    }

    /// Step 1: each April, the pay award to every pay point and the agency rates' uplift; and the
    /// month's pay tables and agency rates, where their inputs change.
    pub(super) fn pay_and_rates(&mut self, m: usize, april: bool) {
        let d = &self.d;
        if april {
            let (award, flat) = (d.pay_award.at(m), d.pay_award_flat.at(m));
            for x in self.c.pay.iter_mut() {
                *x = (*x * (1.0 + award) + flat).max(0.0);
            }
            let uplift = 1.0 + d.agency_uplift.at(m);
            for r in &mut self.agency_monthly {
                *r *= uplift;
            }
            self.uplifts *= uplift;
        }
        for (r, rate) in self.agency_monthly.iter_mut().zip(&d.agency_monthly) {
            if !rate.is_const() {
                *r = rate.at(m) * self.uplifts;
            }
        }
        if april || d.on_costs_vary() {
            self.pay.update(&self.c, d, m);
        }
    }

    /// Step 2: the month's events. Leavers go (with any clawback recovered); the others with an
    /// event progress, move up a pay point or receive a retention payment. Everyone else stays as
    /// they were, paid and counted in the tally, a month older.
    pub(super) fn events<const V: bool>(&mut self, m: usize) {
        let m32 = m as u32;
        let months = self.staff.months();
        let (mut left, mut recovered) = (0u32, 0.0);
        let mut e = self.staff.take(m);
        while e != NIL {
            let i = e as usize;
            let w = &mut self.staff.workers[i];
            e = w.next;
            if usize::from(w.leave) == m {
                left += 1;
                let gone = *w;
                recovered += leave(&self.c, &mut self.t, &mut self.staff, i, m);
                if self.d.flows.is_some() {
                    self.back_as_agency(&gone, m);
                }
            } else {
                let before = w.hazard_key();
                let next = progress_and_pay::<V>(w, m32, &self.c, &self.rng.progress, &mut self.t);
                w.regroup::<V>(m32, before, next.regroup, &self.c.hazard, months);
                self.staff.schedule(i, next.at);
            }
        }
        self.t.under2 -= self.t.turns2[m];
        self.leavers[m] += left;
        self.t.one_off -= recovered;
        self.t.recovered += recovered;
    }

    /// Step 2, in a month whose establishment shock moves: `P (e^dz - 1)` staff, whole workers,
    /// counted in (`dz` above 0) or out with their posts (`P` the staff in post). Each counted in
    /// copies the grade, pay point, service and months in grade of a worker chosen at random, with
    /// a leaving budget of its own, so teams counted in look like the staff already in post; those
    /// counted out are workers chosen at random. Neither are starters or leavers, and no golden
    /// hello, grant or clawback applies.
    pub(super) fn recount<const V: bool>(&mut self, budgets: &mut Budgets, m: usize, dz: f64) {
        let p: u32 = self.t.per_grade.iter().sum();
        if p == 0 {
            return;
        }
        let n = (f64::from(p) * dz.exp_m1()).round();
        let r = self.rng.recount.sub(m as u64);
        // A worker chosen at random: places in `Staff` drawn until one holds a worker.
        let mut k = 0u64;
        let mut pick = |staff: &Staff| loop {
            let i = (r.uniform(k) * staff.workers.len() as f64) as usize;
            k += 1;
            if staff.workers[i].grade != NONE {
                return i;
            }
        };
        let m32 = m as u32;
        if n > 0.0 {
            // A shock never brings more staff than the largest establishments a scenario may
            // state, one for each post group (it bites only on inputs far beyond any council's:
            // the census's largest yearly shock to establishment moves it by a tenth).
            let most = MAX_ESTABLISHMENT * self.spec.posts.len() as f64;
            let room = (most - f64::from(p)).max(0.0);
            for _ in 0..n.min(room) as u32 {
                let like = self.staff.workers[pick(&self.staff)];
                let grade = usize::from(like.grade);
                let mut w = Worker::new(self.next_id, grade, budgets.get(self.next_id), m as u16);
                self.next_id += 1;
                (w.start, w.grade_start, w.point) = (like.start, like.grade_start, like.point);
                w.qualified = like.qualified;
                let (los, tig) = (w.service(m32), w.in_grade(m32));
                let next = self.c.refresh::<V>(&mut w, los, tig);
                w.settle::<V>(next.regroup, &self.c.hazard, self.staff.months());
                self.t.flows[grade].counted_in += 1;
                self.t.arrive(&w, los, m);
                let i = self.staff.add(w);
                self.staff.schedule(i, next.at);
            }
        } else {
            for _ in 0..(-n as u32).min(p) {
                let i = pick(&self.staff);
                self.staff.unlink(i);
                let w = self.staff.workers[i];
                self.t.flows[usize::from(w.grade)].counted_out += 1;
                if self.t.protects() {
                    self.t.unprotect(w.grade, w.grade_start, m);
                }
                // After this month's events: counted as they are at its end (unlike a leaver).
                self.t.depart(&w, w.service(m32), m);
                self.staff.remove(i);
            }
        }
    }

    /// The whole hires and agency conversions allowed in month `m`: without a limit, any number;
    /// with one, the capacity accrues month by month and each month gets the whole hires the
    /// total passes (2.5 a month allows 2, 3, 2, 3, ...), unused capacity not carried over.
    fn hires_allowed(&mut self, m: usize) -> u32 {
        let Some(cap) = &self.d.max_hires else {
            return u32::MAX;
        };
        let before = self.hires_accrued;
        self.hires_accrued += cap.at(m);
        let whole = |x: f64| (x + 1e-9).floor();
        (whole(self.hires_accrued) - whole(before)).max(0.0) as u32
    }

    /// Step 2, for agency workers: assignments that end this month.
    pub(super) fn agency_churn(&mut self, powers: &mut Powers, m: usize) {
        for (a, b) in self.agency.iter_mut().zip(&mut self.rng.posts) {
            *a -= b.churn.draw(powers, *a, m);
        }
    }

    /// A worker joining grade `grade` at the start of month `m`: paid, aged and counted like
    /// everyone else, with a golden hello if `with_hello` and the grade pays one.
    fn join<const V: bool>(
        &mut self,
        budgets: &mut Budgets,
        m: usize,
        grade: usize,
        with_hello: bool,
    ) {
        let (c, t) = (&self.c, &mut self.t);
        let mut w = Worker::new(self.next_id, grade, budgets.get(self.next_id), m as u16);
        self.next_id += 1;
        w.qualified -= self.spec.grades[grade].prior_experience_months as i16;
        if with_hello && let Some(hr) = c.hello[grade] {
            w.hello = grade as u8;
            t.one_off += hr.amount;
            t.paid += hr.amount;
            t.paid_n += 1;
        }
        if self.spec.grades[grade].newly_qualified {
            t.grant += self.now.asye_grant;
        }
        t.flows[grade].joined += 1;
        let mut next = c.refresh::<V>(&mut w, 0, 0);
        t.arrive(&w, 1, m);
        if next.at == 1 {
            next = progress_and_pay::<V>(&mut w, m as u32, c, &self.rng.progress, t);
        }
        w.settle::<V>(next.regroup, &c.hazard, self.staff.months());
        let i = self.staff.add(w);
        self.staff.schedule(i, next.at);
    }

    /// Step 2, before the month's events, when caseload bears on leaving: with last month's
    /// caseload `c` above the reference `r`, each worker's leaving hazard in month `m` is
    /// multiplied by `(c / r)^elasticity`. The events leave at the hazard itself; here each
    /// worker in post also leaves with the chance of the extra hazard, `1 - e^(-(k - 1) h)` for
    /// a month's hazard `h` and multiplier `k`, from a stream of its own, so that the rest of the
    /// replication's random numbers stay as they were. Those leaving are leavers like any other.
    pub(super) fn overload<const V: bool>(&mut self, m: usize) {
        let d = &self.d;
        let (Some(e), caseload) = (&d.elasticity, self.last_caseload) else {
            return;
        };
        let Some(reference) = d.reference.as_ref().map(|r| r.at(m)) else {
            return;
        };
        if !(caseload > reference && reference > 0.0) {
            return;
        }
        let extra = (caseload / reference).powf(e.at(m)) - 1.0;
        if extra <= 0.0 {
            return;
        }
        let m32 = m as u32;
        let (mut left, mut recovered) = (0, 0.0);
        let hz = &self.c.hazard;
        let chance = |h: u64| {
            if h == u64::MAX {
                1.0
            } else {
                -(-(h as f64 / FX) * extra).exp_m1()
            }
        };
        // Each worker's chance is at most `most`'s: places in the staff table are picked at that
        // chance, by geometric skips, and a worker picked leaves with its own chance over it, so
        // each leaves with exactly its own chance and only the few picked are looked at.
        let most = chance(hz.largest(m));
        if most <= 0.0 {
            return;
        }
        let r = self.rng.caseload.sub(m as u64);
        let skip = (-most).ln_1p();
        let (mut next, mut k) = (0usize, 0u64);
        // Leavers who may return as agency, dealt with once the search is done.
        let mut gone = Vec::new();
        loop {
            if most < 1.0 {
                let u = 1.0 - r.uniform(2 * k);
                // `as` saturates, so a skip past every place stops the search.
                next = next.saturating_add((u.ln() / skip) as usize);
            }
            if next >= self.staff.workers.len() {
                break;
            }
            let i = next;
            let w = self.staff.workers[i];
            let accept = r.uniform(2 * k + 1);
            k += 1;
            next += 1;
            if w.grade == NONE || accept * most >= chance(w.month_hazard::<V>(m32, hz)) {
                continue;
            }
            left += 1;
            self.staff.unlink(i);
            recovered += leave(&self.c, &mut self.t, &mut self.staff, i, m);
            if self.d.flows.is_some() {
                gone.push(w);
            }
        }
        for w in &gone {
            self.back_as_agency(w, m);
        }
        self.leavers[m] += left;
        self.t.one_off -= recovered;
        self.t.recovered += recovered;
    }

    /// Case-holding FTE at the end of month `m`, permanent and agency, each weighted: by grade,
    /// and in a grade's protected months by its protected weight; less the time supervisors give
    /// newly qualified workers (at most all of the supervisors' own). Called once a month, in
    /// order (it brings the protected counts to the month).
    pub(super) fn case_holding(&mut self, m: usize) -> f64 {
        let d = &self.d;
        let t = &mut self.t;
        let mut fte = 0.0;
        for (g, &n) in t.per_grade.iter().enumerate() {
            fte += d.weight[g].at(m) * f64::from(n);
        }
        if t.protects() {
            let protected = t.protected_at(m);
            for (g, &n) in protected.iter().enumerate() {
                fte += (d.protected_weight[g].at(m) - d.weight[g].at(m)) * f64::from(n);
            }
        }
        let time = d.supervision_time.at(m);
        if time > 0.0
            && let Some(a) = &self.spec.asye
        {
            let own: f64 = a
                .supervisors
                .iter()
                .map(|&g| d.weight[g].at(m) * f64::from(t.per_grade[g]))
                .sum();
            fte -= (time * f64::from(self.newly_qualified())).min(own);
        }
        let agency: u32 = self.agency.iter().sum();
        (fte + d.agency_weight.at(m) * f64::from(agency)).max(0.0)
    }

    /// Permanent workers in grades that pay a market supplement.
    pub(super) fn supplemented_heads(&self) -> u32 {
        self.in_supplemented(self.t.per_grade.iter().copied())
    }

    /// The month's leavers from grades that pay a market supplement.
    pub(super) fn supplemented_leavers(&self) -> u32 {
        self.in_supplemented(self.t.flows.iter().map(|f| f.left))
    }

    /// The sum of a count by grade over the grades that pay a market supplement.
    fn in_supplemented(&self, by_grade: impl Iterator<Item = u32>) -> u32 {
        by_grade
            .zip(&self.t.supplemented)
            .filter(|(_, s)| **s)
            .map(|(n, _)| n)
            .sum()
    }

    /// Permanent workers in newly qualified grades.
    fn newly_qualified(&self) -> u32 {
        self.t
            .per_grade
            .iter()
            .zip(&self.spec.grades)
            .filter(|(_, g)| g.newly_qualified)
            .map(|(&n, _)| n)
            .sum()
    }

    /// How many of a cohort of `n` the service can take in month `m`: at most its vacant posts
    /// (unless `within_establishment` is false), the year's supply of newly qualified recruits,
    /// its supervisors' capacity beyond the newly qualified workers they already supervise, and
    /// as many as keep the newly qualified share of permanent and agency FTE within its cap.
    fn cohort_taken(&self, a: &crate::scenario::AsyeIntake, n: u32, m: usize) -> u32 {
        let d = &self.d;
        let whole = |x: f64| (x + 1e-9).floor().clamp(0.0, f64::from(u32::MAX)) as u32;
        let mut n = n;
        if a.within_establishment {
            n = n.min(self.vacant(self.spec.grades[a.grade].post));
        }
        if let Some(s) = &d.supply {
            n = n.min(whole(s.at(m)));
        }
        let nq = f64::from(self.newly_qualified());
        if let Some(per) = &d.per_supervisor {
            let supervisors: u32 = a.supervisors.iter().map(|&g| self.t.per_grade[g]).sum();
            n = n.min(whole(per.at(m) * f64::from(supervisors) - nq));
        }
        if let Some(s) = &d.max_share {
            let s = s.at(m);
            if s < 1.0 {
                let staff = f64::from(self.t.per_grade.iter().sum::<u32>())
                    + f64::from(self.agency.iter().sum::<u32>());
                // (nq + x) / (staff + x) <= s.
                n = n.min(whole((s * staff - nq) / (1.0 - s)));
            }
        }
        n
    }

    /// Step 3: the ASYE cohort (at most the vacant posts, unless `within_establishment` is false)
    /// and grow-your-own completers join; new trainee cohorts start, and the trainees' cost for
    /// the month is added to `cost`. Returns how many joined.
    pub(super) fn intake<const V: bool>(
        &mut self,
        budgets: &mut Budgets,
        m: usize,
        date: YearMonth,
        cost: &mut CostRow,
    ) -> u32 {
        let spec = self.spec;
        let mut starters = 0;
        if let Some(a) = &spec.asye
            && date.month() == a.month
        {
            let size = a.size_in(date.year());
            let n = self.cohort_taken(a, size, m);
            self.declined[m] = size - n;
            for _ in 0..n {
                self.join::<V>(budgets, m, a.grade, false);
            }
            starters += n;
        }
        for c in 0..self.cohorts.len() {
            let ch = &self.cohorts[c];
            if ch.completes != m {
                continue;
            }
            let r = self.rng.pipeline.sub(ch.pipeline as u64).sub(ch.index);
            let chance = self.d.pipeline_join[ch.pipeline].at(m);
            let joined = (0..ch.trainees)
                .filter(|&k| r.uniform(u64::from(k)) < chance)
                .count() as u32;
            let grade = spec.pipelines[ch.pipeline].grade;
            for _ in 0..joined {
                self.join::<V>(budgets, m, grade, false);
            }
            starters += joined;
        }
        self.cohorts.retain(|ch| ch.completes > m);
        for (pi, p) in spec.pipelines.iter().enumerate() {
            let y = date.year();
            if date.month() == p.month
                && y >= p.first_year
                && (y - p.first_year) % p.every_years as i32 == 0
                && p.intake > 0
            {
                self.cohorts.push(Cohort {
                    pipeline: pi,
                    index: y as u64,
                    trainees: p.intake,
                    completes: m + p.duration_months as usize,
                });
            }
        }
        for ch in &self.cohorts {
            cost[C::Training] +=
                f64::from(ch.trainees) * self.d.pipeline_monthly_cost[ch.pipeline].at(m);
        }
        starters
    }

    /// Step 4, post group by post group in file order: agency workers covering a vacancy convert
    /// to permanent; then vacancies are filled by internal promotion (effective at the end of the
    /// month) or external recruitment, within the month's hiring capacity. Returns how many
    /// joined and the recruitment cost.
    pub(super) fn fill_posts<const V: bool>(
        &mut self,
        shared: &mut Shared,
        m: usize,
    ) -> (u32, f64) {
        let spec = self.spec;
        let m32 = m as u32;
        let mut hires_left = self.hires_allowed(m);
        let (mut starters, mut recruitment) = (0, 0.0);
        for (pi, post) in spec.posts.iter().enumerate() {
            let mut vacant = self.vacant(pi);
            let grade_rng = self.rng.grade.sub(pi as u64);
            let pick_grade = |k: u64| -> usize {
                let u = grade_rng.uniform(entity_month(k, m32));
                let mut acc = 0.0;
                for &(g, share) in &post.recruit {
                    acc += share;
                    if u < acc {
                        return g;
                    }
                }
                post.recruit.last().expect("recruit mix").0
            };
            // Agency workers covering these posts' vacancies take them permanently: those up to
            // the vacancies, not those beyond them (`agency_extra`), who cover no vacancy.
            let converting = self.rng.posts[pi]
                .convert
                .draw(&mut shared.powers, self.agency[pi].min(vacant), m)
                .min(hires_left);
            for k in 0..converting {
                self.join::<V>(
                    &mut shared.budgets,
                    m,
                    pick_grade(1_000_000 + u64::from(k)),
                    true,
                );
                recruitment += self.now.conversion_fee;
            }
            self.agency[pi] -= converting;
            vacant -= converting;
            hires_left -= converting;
            starters += converting;
            // Vacancies filled this month, internally or externally.
            let filled = self.rng.posts[pi].fill.draw(&mut shared.powers, vacant, m);
            let post_internal = self.rng.internal.sub(pi as u64);
            for k in 0..u64::from(filled) {
                let g = pick_grade(k);
                let internal = post.promote_from.filter(|_| {
                    post_internal.uniform(entity_month(k, m32)) < self.now.promote_share[pi]
                });
                if let Some(i) = internal.and_then(|from| self.candidate(from)) {
                    self.promote::<V>(i, g, m);
                } else {
                    if hires_left == 0 {
                        continue;
                    }
                    hires_left -= 1;
                    self.join::<V>(&mut shared.budgets, m, g, true);
                    recruitment += self.now.cost_per_hire;
                    starters += 1;
                }
            }
        }
        (starters, recruitment)
    }

    /// The worker promoted from grade `from`: the longest in grade (earliest `grade_start`), the
    /// lowest id among equals.
    fn candidate(&self, from: usize) -> Option<usize> {
        self.staff
            .workers
            .iter()
            .enumerate()
            .filter(|(_, w)| usize::from(w.grade) == from)
            .min_by_key(|(_, w)| (w.grade_start, w.id))
            .map(|(i, _)| i)
    }

    /// Promotes worker `i` to grade `to`, taking effect at the end of month `m`; the new pay from
    /// the next month.
    fn promote<const V: bool>(&mut self, i: usize, to: usize, m: usize) {
        let m32 = m as u32;
        self.staff.unlink(i);
        let months = self.staff.months();
        let w = &mut self.staff.workers[i];
        let before = w.hazard_key();
        let (from, slot, from_start) = (w.grade, w.slot, w.grade_start);
        change_grade(w, to, &self.c, &mut self.t);
        w.grade_start = m as i16 - 1;
        if self.t.protects() {
            self.t.unprotect(from, from_start, m);
            self.t.protect(w.grade, w.grade_start, m);
        }
        let next = self.c.refresh::<V>(w, w.service(m32), 1);
        w.regroup::<V>(m32, before, next.regroup, &self.c.hazard, months);
        self.t.moved(from, slot, w);
        self.staff.schedule(i, next.at);
    }

    /// A permanent leaver of month `m` takes agency work with this council with the chance
    /// `Flows::returns`, from a stream of its own; the rules then give the month they may start
    /// (`Flows::return_month`), or bar them.
    fn back_as_agency(&mut self, w: &Worker, m: usize) {
        let Some(f) = &self.d.flows else { return };
        let chance = f.returns.at(m);
        let u = self
            .rng
            .rules
            .uniform(entity_month(u64::from(w.id), m as u32));
        if u >= chance {
            return;
        }
        let post = self.spec.grades[usize::from(w.grade)].post;
        match f.return_month(m, w.experience(m as u32 - 1)) {
            Some(r) => {
                if let Some(n) = self.returning[post].get_mut(r) {
                    *n += 1;
                }
            }
            None => self.barred[m] += 1,
        }
    }

    /// Step 5: each post group's agency workers move towards `agency_cover` x vacancies plus
    /// `agency_extra`. Excess assignments end at once; each missing one starts with the agency
    /// fill probability. With agency flows, the council's own leavers due back this month take
    /// missing places first (those finding none go elsewhere), and under the 2024 rules each
    /// start from the market stands only with the share of the market that meets the experience
    /// test.
    pub(super) fn agency_cover(&mut self, powers: &mut Powers, m: usize) {
        if self.d.flows.is_some() {
            return self.agency_cover_with_flows(powers, m);
        }
        for pi in 0..self.spec.posts.len() {
            let need = self.agency_need(pi);
            let now = &self.now;
            if self.agency[pi] > need || now.agency_fill >= 1.0 {
                self.agency[pi] = need;
            } else {
                let gained = self.rng.posts[pi]
                    .agency_fill
                    .draw(powers, need - self.agency[pi], m);
                self.agency[pi] += gained;
            }
        }
    }

    /// Step 5 with agency flows (see `agency_cover`).
    fn agency_cover_with_flows(&mut self, powers: &mut Powers, m: usize) {
        let f = self.d.flows.as_ref().expect("flows");
        for pi in 0..self.spec.posts.len() {
            let need = self.agency_need(pi);
            let now = &self.now;
            if self.agency[pi] >= need {
                self.agency[pi] = need;
                continue;
            }
            let mut missing = need - self.agency[pi];
            let back = self.returning[pi][m].min(missing);
            self.returned[m] += back;
            missing -= back;
            let market = if now.agency_fill >= 1.0 {
                missing
            } else {
                self.rng.posts[pi].agency_fill.draw(powers, missing, m)
            };
            let gained = if m >= f.rules_from {
                let q = f.qualified.at(m);
                if q >= 1.0 {
                    market
                } else {
                    self.rng
                        .rules
                        .sub(1 + pi as u64)
                        .binomial(market, q, m as u64)
                }
            } else {
                market
            };
            self.barred[m] += market - gained;
            self.agency[pi] += back + gained;
        }
    }

    /// An agency FTE-month's charge in post group `pi` in month `m`, and what the price cap
    /// saved on it: from the caps' month, the lower of the market rate and the cap, but for the
    /// share signed off above the cap, paid the market rate.
    fn agency_charge(&self, pi: usize, m: usize) -> (f64, f64) {
        let market = self.agency_monthly[pi];
        let Some(f) = &self.d.flows else {
            return (market, 0.0);
        };
        match &f.caps[pi] {
            Some(cap) if m >= f.caps_from => {
                let s = f.above_cap.at(m);
                let charged = s * market + (1.0 - s) * market.min(cap.at(m));
                (charged, market - charged)
            }
            _ => (market, 0.0),
        }
    }

    /// Step 6: the month's costs, into `cost` (which holds the trainees' cost already).
    pub(super) fn costs(
        &mut self,
        cost: &mut CostRow,
        recruitment: f64,
        budget: &mut BudgetRow,
        m: usize,
    ) {
        let t = &mut self.t;
        // Summed in locals: in memory, each addition would wait for the store of the one before.
        let (mut salary, mut premiums, mut on_costs) =
            (cost[C::Salary], cost[C::Premiums], cost[C::OnCosts]);
        let (mut supplements, mut supplement_on_costs, mut supplement_months) = (0.0, 0.0, 0.0);
        // Slot by slot, in grade and point order; a slot past its grade's last point has nobody.
        for (((((&occupied, moved), &salary_slot), &on_cost_slot), &supp), &supp_on_costs) in t
            .occupied
            .iter()
            .zip(t.paid_moved.iter_mut())
            .zip(&self.pay.salary)
            .zip(&self.pay.on_costs)
            .zip(&self.pay.supplement)
            .zip(&self.pay.supplement_on_costs)
        {
            // `paid_moved` is this month's only: taken, it is zero again for the next.
            let n = i64::from(occupied) + i64::from(std::mem::take(moved));
            if n == 0 {
                continue;
            }
            let n = n as f64;
            salary += n * salary_slot;
            premiums += n * supp / 12.0;
            on_costs += n * on_cost_slot;
            if supp > 0.0 {
                supplements += n * supp / 12.0;
                supplement_on_costs += n * supp_on_costs;
                supplement_months += n;
            }
        }
        (cost[C::Salary], cost[C::Premiums], cost[C::OnCosts]) = (salary, premiums, on_costs);
        cost[C::Premiums] += t.one_off;
        budget[Line::Payments] = supplements + t.paid;
        budget[Line::OnCosts] = supplement_on_costs;
        budget[Line::Clawbacks] = t.recovered;
        budget.set_direct();
        budget[Line::SupplementFte] = supplement_months / 12.0;
        budget[Line::SupplementPeople] += f64::from(t.supplement_entries);
        budget[Line::PaymentsMade] = f64::from(t.paid_n);
        budget[Line::ClawbacksMade] = f64::from(t.recovered_n);
        cost[C::GrantIncome] -= t.grant;
        cost[C::Recruitment] += recruitment;
        if self.d.flows.is_some() {
            let mut saved = 0.0;
            for (pi, &a) in self.agency.iter().enumerate() {
                let (charged, saving) = self.agency_charge(pi, m);
                cost[C::Agency] += f64::from(a) * charged;
                saved += f64::from(a) * saving;
            }
            self.cap_saving[m] = saved;
        } else {
            for (&a, &rate) in self.agency.iter().zip(&self.agency_monthly) {
                cost[C::Agency] += f64::from(a) * rate;
            }
        }
        cost.set_total();
    }

    /// The month's metrics, written into its row (see `RepResult::metrics`).
    pub(super) fn record(&mut self, row: &mut [f64], m: usize, starters: u32, cost: f64) {
        // Case-holding FTE only where there are cases to hold (it also brings the protected
        // counts to the month, which nothing else reads).
        let capacity = if self.d.cases.is_some() {
            self.case_holding(m)
        } else {
            0.0
        };
        let nq = f64::from(self.newly_qualified());
        let spec = self.spec;
        let t = &self.t;
        let p = f64::from(t.per_grade.iter().sum::<u32>());
        let a = f64::from(self.agency.iter().sum::<u32>());
        let (mut vac, mut uncovered, mut est) = (0.0, 0.0, 0.0);
        for pi in 0..spec.posts.len() {
            let pp = f64::from(self.held(pi));
            let e = self.now.establishment[pi];
            vac += (e - pp).max(0.0);
            uncovered += (e - pp - f64::from(self.agency[pi])).max(0.0);
            est += e;
        }
        let ratio = |num: f64, den: f64| if den > 0.0 { num / den } else { 0.0 };
        // Filled in a fixed-size array, then copied to the row at once: a metric not set (one
        // before its first month) stays NaN, as the row was.
        let mut fixed = [f64::NAN; metric::FIXED.len()];
        let mut set = |metric: Metric, x: f64| fixed[metric.index()] = x;
        set(Metric::PermanentFte, p);
        set(Metric::AgencyFte, a);
        set(Metric::VacantFte, vac);
        set(Metric::UncoveredFte, uncovered);
        set(Metric::EstablishmentFte, est);
        set(Metric::AgencyShare, ratio(a, a + p));
        set(Metric::VacancyRate, ratio(vac, vac + p));
        if m >= 12 {
            let left: u32 = self.leavers[m - 11..=m].iter().sum();
            set(Metric::TurnoverRate12m, ratio(f64::from(left), p));
        }
        set(Metric::Under2yShare, ratio(f64::from(t.under2), p));
        set(Metric::AsyeShare, ratio(nq, p + a));
        if let Some(cases) = &self.d.cases {
            let cases = cases.at(m);
            set(Metric::Cases, cases);
            set(Metric::CaseHoldingFte, capacity);
            // With under one case-holding FTE, the cases of one.
            let caseload = cases / capacity.max(1.0);
            set(Metric::Caseload, caseload);
            self.last_caseload = caseload;
        }
        if m >= 12 {
            let declined: u32 = self.declined[m - 11..=m].iter().sum();
            set(Metric::AsyeDeclined, f64::from(declined));
        }
        // Every option records the flows' metrics (0 without flows), as a scenario reports them
        // when any of its options states the flows.
        if m >= 12 {
            let year = |v: &[u32]| f64::from(v[m - 11..=m].iter().sum::<u32>());
            set(Metric::AgencyReturned, year(&self.returned));
            set(Metric::AgencyBarred, year(&self.barred));
            set(
                Metric::AgencyCapSaving,
                self.cap_saving[m - 11..=m].iter().sum(),
            );
        }
        if m >= 1 {
            set(Metric::StartersFte, f64::from(starters));
            set(Metric::LeaversFte, f64::from(self.leavers[m]));
            set(Metric::CostMonth, cost);
        }
        let (head, grades) = row.split_at_mut(metric::FIXED.len());
        head.copy_from_slice(&fixed);
        for (x, &count) in grades.iter_mut().zip(&t.per_grade) {
            *x = f64::from(count);
        }
    }
}

/// Worker `i` leaves in month `m` (out of the month lists already): a leaver of its grade, its
/// protected months and its counts ended, its place freed. Returns what is recovered from it by
/// clawback, counting each clawback made. The one way a worker leaves, whatever made them.
fn leave(c: &Consts, t: &mut Tally, staff: &mut Staff, i: usize, m: usize) -> f64 {
    let w = staff.workers[i];
    let los = w.service(m as u32 - 1);
    let back = c.clawback(&w, los);
    if back > 0.0 {
        t.recovered_n += 1;
    }
    t.flows[usize::from(w.grade)].left += 1;
    if t.protects() {
        t.unprotect(w.grade, w.grade_start, m);
    }
    t.depart(&w, los, m - 1);
    staff.remove(i);
    back
}
