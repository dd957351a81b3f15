//! One replication of one option, simulated month by month.
//!
//! A replication is a pure function of (scenario variant, seed, replication index): all randomness
//! comes from `rng::RepStream`, keyed per worker, post and month, so options share their random
//! numbers (common random numbers) and results do not depend on threads.
//!
//! Each month, in this order:
//! 1. pay award (April) to pay points and agency rates;
//! 2. the month's events of permanent workers. Each worker leaves when the cumulative hazard (by
//!    grade and service band) exhausts the exponential budget drawn when they joined, which gives
//!    exactly the monthly leaving probability; the budget and hazards are whole numbers (`FX`), so
//!    the month this happens is worked out exactly, at joining and at each of the worker's
//!    events. A worker staying is paid for the month at their pay point, ages a month,
//!    progresses after `after_months` in a grade (with its pass rate), moves up a pay point every
//!    12 months in a grade, receives a retention payment at the service anniversary, and is
//!    counted. Only the workers with an event in the month are visited (`Staff`); counts by grade
//!    and pay point are kept as workers join, leave and move (`Tally`). Agency assignments end
//!    (churn);
//! 3. ASYE cohort (at most the vacant posts, unless `within_establishment = false`) and
//!    grow-your-own completions join; new trainee cohorts start;
//! 4. for each post group in file order: agency workers convert to permanent, then vacancies are
//!    filled by internal promotion (effective at the end of the month) or external recruitment;
//! 5. agency cover is brought to `agency_cover` x vacancies (new assignments start with the agency
//!    fill probability; assignments above the need end);
//! 6. costs of the month.
//!
//! Workers who join in steps 3 and 4 are paid, aged and counted as in step 2, so a month's joiners
//! and stayers are treated alike. Metrics are recorded at the end of the month.

use crate::model::cost::{Component as C, CostRow};
use crate::model::date::YearMonth;
use crate::model::metric::{self, Metric};
use crate::scenario::{OnCosts, PremiumKind, Spec};
use crate::sim::rng::{Binomial, Counter, Powers, Purpose, RepStream, entity_month};

/// The results of one replication of one variant (empty by default, for `simulate_into` to fill).
#[derive(Clone, Debug, Default)]
pub struct RepResult {
    /// `metrics[month * per_month + metric.index()]`, a row of metrics for each month; NaN where
    /// a metric is not yet defined.
    pub metrics: Vec<f64>,
    /// Metrics in a month's row.
    pub per_month: usize,
    /// Cost components for each month (month 0 is all zero: it is the starting state).
    pub costs: Vec<CostRow>,
    pub months: usize,
}

impl RepResult {
    pub fn metric(&self, m: Metric, month: usize) -> f64 {
        self.metrics[month * self.per_month + m.index()]
    }
}

/// Movements of one grade in one month, for checking conservation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flow {
    pub start: u32,
    /// External hires, agency conversions, ASYE intake and pipeline completions.
    pub joined: u32,
    pub left: u32,
    /// Arrivals from another grade (progression or internal promotion).
    pub moved_in: u32,
    pub moved_out: u32,
    pub end: u32,
}

/// Marks "no premium paid" in a worker's premium fields, and a free place in `Staff`.
const NONE: u8 = u8::MAX;

/// Marks "no worker" in the links of `Staff`'s lists.
const NIL: u32 = u32::MAX;

/// Units of cumulative hazard in the fixed-point leaving budgets: 2^40 to one. Whole numbers make
/// a worker's leaving month exact arithmetic (`Staff::schedule`), so it is worked out at joining
/// and at each of the worker's events, instead of month by month.
const FX: f64 = (1u64 << 40) as f64;

/// One permanent worker. The engine visits a worker only in the months of its events: the month
/// it leaves, and the months `Consts::refresh` marks (progression, a pay point, a retention
/// payment, a new service band). In between nothing about a worker changes but its service and
/// months in grade, which are counted from `start` and `grade_start`.
#[derive(Clone, Copy, Debug)]
struct Worker {
    id: u32,
    /// Leaving budget left at the end of month `since`, in `FX` units: an exponential draw made at
    /// joining, less the cumulative hazard since. The worker leaves in the month it goes below
    /// zero.
    budget: u64,
    /// The cumulative hazard of a month at the worker's grade and service band, in `FX` units
    /// (`Consts::delta`; u64::MAX: certain to leave).
    delta: u64,
    /// Links in the list of workers whose next event falls in month `at` (NIL: none).
    prev: u32,
    next: u32,
    /// Months of service at the end of month `m` are `m - start`.
    start: i16,
    /// Months in the current grade at the end of month `m` are `m - grade_start`.
    grade_start: i16,
    /// The month to which `budget` has been brought.
    since: u16,
    /// The month of the worker's next event (u16::MAX: none within the horizon).
    at: u16,
    /// Where the worker is paid in the pay table: `grade * maxp + point`.
    slot: u16,
    /// NONE for a free place in `Staff`.
    grade: u8,
    point: u8,
    /// The grade whose golden hello this worker was paid at joining, or NONE.
    hello: u8,
    /// The grade whose retention payment this worker was paid, or NONE.
    retention: u8,
}

impl Worker {
    /// A worker joining with no service at the end of month `m - 1`: from month `m` on, service
    /// and months in grade count from 1, and the budget is first spent in month `m + 1`.
    fn new(id: u32, grade: usize, budget: u64, m: u16) -> Self {
        let before = m as i16 - 1;
        Worker {
            id,
            budget,
            // Set with `slot` by `Consts::refresh` before the worker is first counted.
            delta: 0,
            prev: NIL,
            next: NIL,
            start: before,
            grade_start: before,
            since: m,
            at: u16::MAX,
            slot: 0,
            grade: grade as u8,
            point: 0,
            hello: NONE,
            retention: NONE,
        }
    }

    /// Months of service at the end of month `m`.
    fn service(&self, m: u32) -> u16 {
        (m as i32 - i32::from(self.start)) as u16
    }

    /// Months in the current grade at the end of month `m`.
    fn in_grade(&self, m: u32) -> u16 {
        (m as i32 - i32::from(self.grade_start)) as u16
    }

    /// Spends the budget up to the end of month `m`, in which the worker is still in post.
    fn spend_to(&mut self, m: u32) {
        self.budget -= self.delta * u64::from(m - u32::from(self.since));
        self.since = m as u16;
    }

    /// Whether the budget runs out by the end of month `m`.
    fn gone_by(&self, m: u32) -> bool {
        self.delta
            .saturating_mul(u64::from(m - u32::from(self.since)))
            > self.budget
    }
}

/// The permanent workers of one option, and for each month the list of those with an event in it.
/// Places of workers who left are reused; nothing is allocated once the staff reach their largest
/// number, and `Common` keeps the memory for the next option and replication.
#[derive(Clone, Debug, Default)]
struct Staff {
    workers: Vec<Worker>,
    free: Vec<u32>,
    /// The first worker of each month's list (NIL: none).
    head: Vec<u32>,
}

impl Staff {
    #[cfg(test)]
    fn new(months: usize, capacity: usize) -> Staff {
        let mut staff = Staff::default();
        staff.reset(months, capacity);
        staff
    }

    /// Empties the staff for a run of `months`, keeping the memory.
    fn reset(&mut self, months: usize, capacity: usize) {
        self.workers.clear();
        self.workers.reserve(capacity);
        self.free.clear();
        self.head.clear();
        self.head.resize(months + 1, NIL);
    }

    /// Adds a worker and returns their place.
    fn add(&mut self, w: Worker) -> usize {
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
    fn remove(&mut self, i: usize) {
        self.workers[i].grade = NONE;
        self.free.push(i as u32);
    }

    /// Takes month `m`'s list: its first worker, the rest following `Worker::next`.
    fn take(&mut self, m: usize) -> u32 {
        std::mem::replace(&mut self.head[m], NIL)
    }

    /// Puts worker `i` in the list of the month of their next event: the month their budget runs
    /// out, or the month their service reaches `next` (from `Consts::refresh`), whichever is first.
    /// The budget runs out in the first month `k` after `since` with `k * delta > budget`; in
    /// whole numbers that is `budget / delta + 1`.
    fn schedule(&mut self, i: usize, next: u32) {
        let months = self.head.len() - 1;
        let w = &mut self.workers[i];
        let progress = i64::from(w.start) + i64::from(next);
        let leave = match w.delta {
            0 => i64::MAX,
            d => i64::from(w.since) + (w.budget / d) as i64 + 1,
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
    fn unlink(&mut self, i: usize) {
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

/// What the options of one replication share. They draw the same random numbers (common random
/// numbers), so what depends on those numbers alone is computed once per replication, by the
/// first option that needs it, instead of once per option: each worker's leaving budget, by
/// worker id, and the powers that start binomial draws.
#[derive(Clone, Debug)]
pub struct Common {
    stream: RepStream,
    budgets: Budgets,
    powers: Powers,
    /// The workers' table, kept between options and replications for its memory only.
    staff: Staff,
}

impl Common {
    pub fn new(stream: RepStream) -> Self {
        Common {
            stream,
            budgets: Budgets {
                leave: stream.purpose(Purpose::Leave),
                by_id: Vec::new(),
            },
            powers: Powers::default(),
            staff: Staff::default(),
        }
    }

    /// Makes this the `Common` of another replication, on `stream`: the same as `Common::new`, but
    /// keeping the memory of the budgets and of the workers' table, and the powers of the
    /// probabilities the last replication used (they depend on the probability alone, not on the
    /// stream).
    pub fn renew(&mut self, stream: RepStream) {
        self.stream = stream;
        self.budgets.leave = stream.purpose(Purpose::Leave);
        self.budgets.by_id.clear();
        self.powers.keep_used();
    }
}

/// Leaving budgets by worker id, as far as any option has needed them.
#[derive(Clone, Debug)]
struct Budgets {
    leave: Counter,
    by_id: Vec<u64>,
}

impl Budgets {
    /// Worker `id`'s leaving budget in `FX` units: `-ln(1 - U)` with U uniform on [0, 1) is
    /// exponential with mean 1, and at most 37. Ids are given in order from 0, so the table grows
    /// an id at a time.
    fn get(&mut self, id: u32) -> u64 {
        let i = id as usize;
        while self.by_id.len() <= i {
            let u = self.leave.uniform(self.by_id.len() as u64);
            self.by_id.push((-(1.0 - u).ln() * FX) as u64);
        }
        self.by_id[i]
    }
}

#[derive(Clone, Copy, Debug)]
struct HelloRule {
    amount: f64,
    claw: u16,
    pro_rata: bool,
}

#[derive(Clone, Copy, Debug)]
struct RetentionRule {
    amount: f64,
    at: u16,
    claw: u16,
    pro_rata: bool,
}

/// The amount recovered from a payment made `since` months ago under a clawback of `claw` months.
fn recover(amount: f64, since: u16, claw: u16, pro_rata: bool) -> f64 {
    if since >= claw {
        0.0
    } else if pro_rata {
        amount * f64::from(claw - since) / f64::from(claw)
    } else {
        amount
    }
}

/// Monthly leaving probability from an annual rate, assuming a constant hazard through the year.
pub fn monthly_hazard(annual: f64) -> f64 {
    let a = annual.clamp(0.0, 1.0);
    if a >= 1.0 {
        1.0
    } else {
        1.0 - (1.0 - a).powf(1.0 / 12.0)
    }
}

/// The parameters of one replication: every uncertain input drawn once.
#[derive(Clone, Debug)]
pub struct Draws {
    /// Monthly leaving probability by grade and months of service (capped at the last band edge).
    pub hazard: Vec<Vec<f64>>,
    pub pass_rate: Vec<f64>,
    pub fill: Vec<f64>,
    pub promote_share: Vec<f64>,
    pub cover: Vec<f64>,
    /// Agency charge per FTE-month by post group, before April uplifts.
    pub agency_monthly: Vec<f64>,
    pub churn: f64,
    pub conversion: f64,
    pub conversion_fee: f64,
    pub agency_fill: f64,
    pub agency_uplift: f64,
    pub cost_per_hire: f64,
    pub pay_award: f64,
    pub pay_award_flat: f64,
    pub asye_grant: f64,
    pub on_cost_rate: f64,
    pub ni_rate: f64,
    pub ni_threshold: f64,
    pub pension_rate: f64,
    /// Per pipeline: chance a trainee completes and joins; cost per trainee per month.
    pub pipeline_join: Vec<f64>,
    pub pipeline_monthly_cost: Vec<f64>,
}

impl Draws {
    pub fn new(spec: &Spec, stream: &RepStream) -> Self {
        let cap = *spec.band_edges.last().expect("at least one band edge") as usize;
        let g_n = spec.grades.len();
        // Premium effects: proportional changes, combined multiplicatively.
        let mut leave_mult = vec![1.0; g_n];
        let mut hire_mult_grade = vec![1.0; g_n];
        for p in &spec.premiums {
            let l = 1.0 + p.leaving_effect.draw(stream);
            let h = 1.0 + p.hiring_effect.draw(stream);
            for &g in &p.grades {
                leave_mult[g] *= l;
                hire_mult_grade[g] *= h;
            }
        }
        let hazard = spec
            .grades
            .iter()
            .enumerate()
            .map(|(gi, g)| {
                // One hazard per band, then spread over months of service: the same numbers as
                // computing each month's, with far fewer powers.
                let per_band: Vec<f64> = g
                    .leaving
                    .iter()
                    .map(|p| monthly_hazard(p.draw(stream) * leave_mult[gi]))
                    .collect();
                (0..=cap)
                    .map(|los| per_band[band_of(&spec.band_edges, los as u32)])
                    .collect()
            })
            .collect();
        let pass_rate = spec
            .grades
            .iter()
            .map(|g| {
                g.progression
                    .as_ref()
                    .map_or(0.0, |p| p.pass_rate.draw(stream))
            })
            .collect();
        let fill =
            spec.posts
                .iter()
                .map(|p| {
                    let mult = p.recruit.iter().map(|&(g, _)| hire_mult_grade[g]).fold(
                        1.0,
                        |acc: f64, m| {
                            if (m - 1.0).abs() > (acc - 1.0).abs() {
                                m
                            } else {
                                acc
                            }
                        },
                    );
                    (p.fill_probability.draw(stream) * mult).clamp(0.0, 1.0)
                })
                .collect();
        let (on_cost_rate, ni_rate, ni_threshold, pension_rate) = match &spec.costs.on_costs {
            OnCosts::Rate(r) => (r.draw(stream), 0.0, 0.0, 0.0),
            OnCosts::Separate {
                ni_rate,
                ni_threshold,
                pension_rate,
            } => (
                0.0,
                ni_rate.draw(stream),
                *ni_threshold,
                pension_rate.draw(stream),
            ),
        };
        Draws {
            hazard,
            pass_rate,
            fill,
            promote_share: spec
                .posts
                .iter()
                .map(|p| p.promote_share.draw(stream))
                .collect(),
            cover: spec
                .posts
                .iter()
                .map(|p| p.agency_cover.draw(stream))
                .collect(),
            agency_monthly: spec
                .posts
                .iter()
                .map(|p| {
                    // A daily rate is charged for 5 days a week; an hourly one for hours_per_week.
                    let units = if p.agency_rate_per_day {
                        5.0
                    } else {
                        spec.agency.hours_per_week
                    };
                    p.agency_rate.draw(stream) * units * spec.agency.weeks_per_year / 12.0
                })
                .collect(),
            churn: spec.agency.monthly_churn.draw(stream),
            conversion: spec.agency.monthly_conversion.draw(stream),
            conversion_fee: spec.agency.conversion_fee.draw(stream),
            agency_fill: spec.agency.fill_probability.draw(stream),
            agency_uplift: spec.agency.annual_rate_uplift.draw(stream),
            cost_per_hire: spec.cost_per_hire.draw(stream),
            pay_award: spec.costs.pay_award.draw(stream),
            pay_award_flat: spec.costs.pay_award_flat.draw(stream),
            asye_grant: spec.costs.asye_grant.draw(stream),
            on_cost_rate,
            ni_rate,
            ni_threshold,
            pension_rate,
            pipeline_join: spec
                .pipelines
                .iter()
                .map(|p| p.completion_rate.draw(stream) * p.join_rate.draw(stream))
                .collect(),
            pipeline_monthly_cost: spec
                .pipelines
                .iter()
                .map(|p| p.cost_per_trainee.draw(stream) / f64::from(p.duration_months))
                .collect(),
        }
    }

    /// Employer on-costs on an annual pay figure.
    fn on_costs(&self, annual_pay: f64) -> f64 {
        self.on_cost_rate * annual_pay
            + self.ni_rate * (annual_pay - self.ni_threshold).max(0.0)
            + self.pension_rate * annual_pay
    }
}

/// The service band of `los` months: the number of band edges at or below it.
pub fn band_of(edges: &[u32], los: u32) -> usize {
    edges.iter().take_while(|&&e| e <= los).count()
}

/// Splits `n` workers over `shares` by largest remainder, so the counts add up to `n` exactly.
pub fn apportion(n: u32, shares: &[f64]) -> Vec<u32> {
    let raw: Vec<f64> = shares.iter().map(|s| s * f64::from(n)).collect();
    let mut counts: Vec<u32> = raw.iter().map(|x| x.floor() as u32).collect();
    let mut left = n - counts.iter().sum::<u32>().min(n);
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        (raw[b] - raw[b].floor())
            .total_cmp(&(raw[a] - raw[a].floor()))
            .then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        counts[i] += 1;
        left -= 1;
    }
    counts
}

/// The starting months of service of `count` workers in band `band`, spread evenly across it.
/// The open last band is taken to run from its lower edge to twice that edge.
pub fn starting_service(edges: &[u32], band: usize, count: u32) -> impl Iterator<Item = u16> {
    let lo = if band == 0 { 0 } else { edges[band - 1] };
    let hi = if band < edges.len() {
        edges[band]
    } else {
        2 * edges[edges.len() - 1]
    };
    let width = f64::from(hi - lo);
    (0..count).map(move |k| {
        (f64::from(lo) + ((f64::from(k) + 0.5) * width / f64::from(count)).floor()) as u16
    })
}

struct Cohort {
    pipeline: usize,
    index: u64,
    trainees: u32,
    completes: usize,
}

/// When a grade's events fall, for `Consts::refresh` and `progress_and_pay`: the months in grade
/// at which its staff try progression (u16::MAX: never), the months of service at which its
/// retention payment is due (u16::MAX: none), its top pay point and its first slot in the pay
/// table.
#[derive(Clone, Copy, Debug)]
struct GradeEvents {
    prog_after: u16,
    retention_at: u16,
    top_point: u8,
    first_slot: u16,
}

/// Lookups that stay fixed through a replication (pay tables change only in April).
struct Consts {
    /// Cumulative hazard of a month, `-ln(1 - h)` in `FX` units, by `grade * cap1 + min(service,
    /// cap)`: a worker whose exponential budget this takes below zero leaves, which happens with
    /// probability `h` given they were still in post (u64::MAX for `h = 1`).
    delta: Vec<u64>,
    cap: u16,
    cap1: usize,
    /// The first band edge above each months of service up to `cap` (u16::MAX: none).
    next_edge: Vec<u16>,
    /// Per grade, when its events fall (what `refresh` and `progress_and_pay` look at).
    events: Vec<GradeEvents>,
    /// Progression per grade: (to, pass threshold).
    prog: Vec<Option<(usize, u64)>>,
    npoints: Vec<usize>,
    maxp: usize,
    /// Annual pay by `grade * maxp + point`.
    pay: Vec<f64>,
    hello: Vec<Option<HelloRule>>,
    retention: Vec<Option<RetentionRule>>,
}

impl Consts {
    /// The lowest pay point of `grade` paying at least `salary` (or its top point).
    fn point_at_least(&self, grade: usize, salary: f64) -> u8 {
        let row = &self.pay[grade * self.maxp..grade * self.maxp + self.npoints[grade]];
        row.iter()
            .position(|&x| x >= salary)
            .unwrap_or(row.len() - 1) as u8
    }

    /// Brings a worker's cached fields up to date after its grade, pay point or service changed,
    /// given its months of service `los` and in grade `tig`: the hazard of its grade and service
    /// band, and its pay slot. Returns the months of service, above `los`, at which
    /// `progress_and_pay` must next look at it (for `Staff::schedule`).
    ///
    /// Always inlined, as `progress_and_pay` is: they run at every event, and out of line the
    /// calls' saving and restoring of registers took about a quarter of their instructions.
    #[inline(always)]
    fn refresh(&self, w: &mut Worker, los: u16, tig: u16) -> u32 {
        let g = usize::from(w.grade);
        let e = self.events[g];
        let capped = usize::from(los.min(self.cap));
        w.delta = self.delta[g * self.cap1 + capped];
        w.slot = e.first_slot + u16::from(w.point);
        let (retention_due, los, tig) = (e.retention_at > los, u32::from(los), u32::from(tig));
        let mut next = u32::from(self.next_edge[capped]);
        if e.prog_after != u16::MAX {
            next = next.min(los + u32::from(e.prog_after).saturating_sub(tig).max(1));
        }
        if w.point < e.top_point {
            next = next.min(los + 12 - tig % 12);
        }
        if retention_due {
            next = next.min(u32::from(e.retention_at));
        }
        next
    }

    /// What is recovered from a worker leaving with `los` months of service.
    fn clawback(&self, w: &Worker, los: u16) -> f64 {
        let mut total = 0.0;
        if w.hello != NONE
            && let Some(h) = self.hello[w.hello as usize]
        {
            total += recover(h.amount, los, h.claw, h.pro_rata);
        }
        if w.retention != NONE
            && let Some(r) = self.retention[w.retention as usize]
        {
            total += recover(r.amount, los.saturating_sub(r.at), r.claw, r.pro_rata);
        }
        total
    }
}

/// `x` rounded down to a whole number, and 0 when `x` is negative or NaN: the same as
/// `x.floor().max(0.0) as u32`, because `as` rounds toward zero and saturates, without the call
/// to `floor` (which is not an instruction on baseline x86-64).
#[inline]
fn whole_part(x: f64) -> u32 {
    x as u32
}

/// Converts a probability into the threshold on a 53-bit draw that gives the same decisions as
/// comparing the uniform `draw / 2^53` with it.
fn threshold(p: f64) -> u64 {
    (p.clamp(0.0, 1.0) * (1u64 << 53) as f64).ceil() as u64
}

/// Counts kept up to date as workers join, leave and move, so a month visits no worker to whom
/// nothing happens in it; and this month's sums.
struct Tally {
    /// Workers by grade (at the end of the month, once its events are over).
    per_grade: Vec<u32>,
    /// Workers with under 24 months of service.
    under2: u32,
    /// By month: how many of the workers counted in `under2` reach 24 months' service in it.
    turns2: Vec<u32>,
    /// Workers by pay slot (`grade * maxp + point`) they will be paid at next.
    occupied: Vec<u32>,
    /// Workers paid at each slot this month who have since moved from it, less those who moved
    /// to it: this month's pay by slot is `occupied + paid_moved`.
    paid_moved: Vec<i32>,
    /// One-off premiums paid this month, less clawbacks.
    one_off: f64,
    /// Grant income for newly qualified joiners this month.
    grant: f64,
    flows: Vec<Flow>,
}

impl Tally {
    /// Counts a worker who has joined (or is there at the start) with `los` months of service at
    /// the end of month `m`.
    fn arrive(&mut self, w: &Worker, los: u16, m: usize) {
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
    fn depart(&mut self, w: &Worker, los: u16, m: usize) {
        self.per_grade[usize::from(w.grade)] -= 1;
        self.occupied[usize::from(w.slot)] -= 1;
        if los < 24 {
            self.under2 -= 1;
            if let Some(n) = self.turns2.get_mut(m + usize::from(24 - los)) {
                *n -= 1;
            }
        }
    }

    /// Moves a worker's counts from the grade and pay slot they were paid at this month.
    fn moved(&mut self, grade: u8, slot: u16, w: &Worker) {
        if w.grade != grade {
            self.per_grade[usize::from(grade)] -= 1;
            self.per_grade[usize::from(w.grade)] += 1;
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
/// Returns what `Consts::refresh` returns, for `Staff::schedule`.
#[inline(always)]
fn progress_and_pay(w: &mut Worker, m: u32, c: &Consts, progress: &Counter, t: &mut Tally) -> u32 {
    let (grade, slot) = (w.grade, w.slot);
    let (los, mut tig) = (w.service(m), w.in_grade(m));
    let g = w.grade as usize;
    if tig >= c.events[g].prog_after {
        if let Some((to, pass)) = c.prog[g]
            && progress.bits53(entity_month(u64::from(w.id), m)) < pass
        {
            change_grade(w, to, c, t);
        }
        w.grade_start = m as i16;
        tig = 0;
    } else if w.point < c.events[g].top_point && tig % 12 == 0 {
        w.point += 1;
    }
    let g = w.grade as usize;
    if los == c.events[g].retention_at
        && let Some(r) = c.retention[g]
    {
        w.retention = g as u8;
        t.one_off += r.amount;
    }
    let next = c.refresh(w, los, tig);
    t.moved(grade, slot, w);
    next
}

/// Moves a worker to grade `to` (progression or promotion), at its lowest pay point paying at
/// least what they are paid now, and counts the move in the month's flows.
fn change_grade(w: &mut Worker, to: usize, c: &Consts, t: &mut Tally) {
    let from = usize::from(w.grade);
    t.flows[from].moved_out += 1;
    t.flows[to].moved_in += 1;
    let salary = c.pay[from * c.maxp + usize::from(w.point)];
    w.point = c.point_at_least(to, salary);
    w.grade = to as u8;
}

/// A post group's binomial draws, each from its own sub-stream with its own probability.
struct PostDraws {
    /// Agency assignments ending.
    churn: Binomial,
    /// Agency workers taking the post permanently.
    convert: Binomial,
    /// Vacancies filled.
    fill: Binomial,
    /// New agency assignments starting.
    agency_fill: Binomial,
}

/// Simulates one replication of `spec`. `flows`, when given, receives each month's movements per
/// grade (`flows[month - 1][grade]`).
pub fn simulate(
    spec: &Spec,
    start: YearMonth,
    months: usize,
    stream: &RepStream,
    flows: Option<&mut Vec<Vec<Flow>>>,
) -> RepResult {
    simulate_with(spec, start, months, &mut Common::new(*stream), flows)
}

/// `simulate` on the stream of `common`, sharing with the replication's other options what
/// `Common` holds. The result is the same as `simulate`'s.
pub fn simulate_with(
    spec: &Spec,
    start: YearMonth,
    months: usize,
    common: &mut Common,
    flows: Option<&mut Vec<Vec<Flow>>>,
) -> RepResult {
    let mut out = RepResult::default();
    simulate_into(spec, start, months, common, flows, &mut out);
    out
}

/// `simulate_with`, writing the result into `out` and reusing its memory and that of the
/// workers' table kept in `common` (a run simulates many replications one after another).
pub fn simulate_into(
    spec: &Spec,
    start: YearMonth,
    months: usize,
    common: &mut Common,
    mut flows: Option<&mut Vec<Vec<Flow>>>,
    out: &mut RepResult,
) {
    let stream = common.stream;
    let d = Draws::new(spec, &stream);
    let g_n = spec.grades.len();
    let progress_rng = stream.purpose(Purpose::Progress);
    let fill_rng = stream.purpose(Purpose::Fill);
    let internal_rng = stream.purpose(Purpose::Internal);
    let grade_rng = stream.purpose(Purpose::HireGrade);
    let churn_rng = stream.purpose(Purpose::AgencyChurn);
    let convert_rng = stream.purpose(Purpose::AgencyConvert);
    let pipe_rng = stream.purpose(Purpose::Pipeline);
    let powers = &mut common.powers;
    let posts_rng: Vec<PostDraws> = (0..spec.posts.len())
        .map(|pi| PostDraws {
            churn: Binomial::new(churn_rng.sub(pi as u64), d.churn, powers),
            convert: Binomial::new(convert_rng.sub(pi as u64), d.conversion, powers),
            fill: Binomial::new(fill_rng.sub(pi as u64), d.fill[pi], powers),
            agency_fill: Binomial::new(churn_rng.sub(1_000 + pi as u64), d.agency_fill, powers),
        })
        .collect();

    // Premium rules by grade.
    let mut supplement = vec![0.0; g_n];
    let mut hello: Vec<Option<HelloRule>> = vec![None; g_n];
    let mut retention: Vec<Option<RetentionRule>> = vec![None; g_n];
    for p in &spec.premiums {
        for &g in &p.grades {
            match p.kind {
                PremiumKind::MarketSupplement => supplement[g] += p.amount,
                PremiumKind::GoldenHello {
                    clawback_months,
                    pro_rata,
                } => {
                    hello[g] = Some(HelloRule {
                        amount: p.amount,
                        claw: clawback_months as u16,
                        pro_rata,
                    })
                }
                PremiumKind::RetentionPayment {
                    at_months,
                    clawback_months,
                    pro_rata,
                } => {
                    retention[g] = Some(RetentionRule {
                        amount: p.amount,
                        at: at_months as u16,
                        claw: clawback_months as u16,
                        pro_rata,
                    })
                }
            }
        }
    }
    let cap = *spec.band_edges.last().expect("bands") as u16;
    let cap1 = usize::from(cap) + 1;
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
    let mut c = Consts {
        delta: d
            .hazard
            .iter()
            .flat_map(|h| {
                // Runs of equal hazards (one per band) share one logarithm.
                let mut last = (f64::NAN, 0u64);
                h.iter().map(move |&p| {
                    if p.to_bits() != last.0.to_bits() {
                        let delta = if p >= 1.0 {
                            u64::MAX
                        } else {
                            (-(1.0 - p).ln() * FX).round() as u64
                        };
                        last = (p, delta);
                    }
                    last.1
                })
            })
            .collect(),
        cap,
        cap1,
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
            })
            .collect(),
        prog: spec
            .grades
            .iter()
            .enumerate()
            .map(|(gi, g)| {
                g.progression
                    .as_ref()
                    .map(|p| (p.to, threshold(d.pass_rate[gi])))
            })
            .collect(),
        npoints: spec.grades.iter().map(|g| g.pay_points.len()).collect(),
        maxp,
        pay,
        hello,
        retention,
    };
    // The market supplement by pay slot (`grade * maxp + point`).
    let supplement_slot: Vec<f64> = (0..c.pay.len()).map(|i| supplement[i / maxp]).collect();
    // Monthly salary and on-costs by grade and point; recomputed after each April award.
    let monthly_tables = |c: &Consts, salary: &mut [f64], on_costs: &mut [f64]| {
        for ((&x, &supp), (s, o)) in c
            .pay
            .iter()
            .zip(&supplement_slot)
            .zip(salary.iter_mut().zip(on_costs))
        {
            *s = x / 12.0;
            *o = d.on_costs(x + supp) / 12.0;
        }
    };
    let (mut salary_month, mut on_cost_month) = (vec![0.0; c.pay.len()], vec![0.0; c.pay.len()]);
    monthly_tables(&c, &mut salary_month, &mut on_cost_month);

    let n_metrics = metric::FIXED.len() + g_n;
    let h = months + 1;
    let mut t = Tally {
        per_grade: vec![0; g_n],
        under2: 0,
        turns2: vec![0; h],
        occupied: vec![0; g_n * maxp],
        paid_moved: vec![0; g_n * maxp],
        one_off: 0.0,
        grant: 0.0,
        flows: vec![Flow::default(); g_n],
    };

    // Starting staff.
    let starting: usize = spec.grades.iter().map(|g| g.permanent as usize).sum();
    let mut staff = std::mem::take(&mut common.staff);
    staff.reset(months, starting * 2 + 16);
    let mut next_id: u32 = 0;
    for (gi, g) in spec.grades.iter().enumerate() {
        let per_band = apportion(g.permanent, &g.service_shares);
        for (band, &n) in per_band.iter().enumerate() {
            for los in starting_service(&spec.band_edges, band, n) {
                let mut w = Worker::new(next_id, gi, common.budgets.get(next_id), 0);
                next_id += 1;
                let tig = match &g.progression {
                    Some(p) => los % p.after_months.min(u32::from(u16::MAX)) as u16,
                    None => los,
                };
                // Starting service is at most twice the last band edge, 1,200 months (validated).
                w.start = -(los as i16);
                w.grade_start = -(tig as i16);
                w.point = (tig / 12).min(g.pay_points.len() as u16 - 1) as u8;
                let next = c.refresh(&mut w, los, tig);
                t.arrive(&w, los, 0);
                let i = staff.add(w);
                staff.schedule(i, next);
            }
        }
    }
    let mut agency: Vec<u32> = spec.posts.iter().map(|p| p.agency_start).collect();
    let mut agency_monthly = d.agency_monthly.clone();
    let post_of: Vec<usize> = spec.grades.iter().map(|g| g.post).collect();

    // Trainees already in programmes that started before the simulation.
    let mut cohorts: Vec<Cohort> = Vec::new();
    for (pi, p) in spec.pipelines.iter().enumerate() {
        let mut year = p.first_year;
        while let Some(intake) = YearMonth::new(year, p.month) {
            let since = start.months_since(intake);
            if since <= 0 {
                break;
            }
            if since < p.duration_months as i32 {
                cohorts.push(Cohort {
                    pipeline: pi,
                    index: year as u64,
                    trainees: p.intake,
                    completes: (p.duration_months as i32 - since) as usize,
                });
            }
            year += p.every_years as i32;
        }
    }

    let mut metrics = std::mem::take(&mut out.metrics);
    metrics.clear();
    metrics.resize(n_metrics * h, f64::NAN);
    let mut costs = std::mem::take(&mut out.costs);
    costs.clear();
    costs.resize(h, CostRow::default());
    let mut leavers_hist = vec![0u32; h];
    let est: f64 = spec.posts.iter().map(|p| p.establishment).sum();
    let held = |per_grade: &[u32], pi: usize| -> u32 {
        spec.posts[pi].grades.iter().map(|&g| per_grade[g]).sum()
    };
    let nq_grades: Vec<usize> = (0..g_n)
        .filter(|&g| spec.grades[g].newly_qualified)
        .collect();
    // One month's metrics, written into its row of `metrics` (see `RepResult::metrics`).
    let record = |metrics: &mut [f64],
                  m: usize,
                  t: &Tally,
                  agency: &[u32],
                  leavers_hist: &[u32],
                  starters: u32,
                  cost: f64| {
        let p = f64::from(t.per_grade.iter().sum::<u32>());
        let a = f64::from(agency.iter().sum::<u32>());
        let (mut vac, mut uncovered) = (0.0, 0.0);
        for (pi, post) in spec.posts.iter().enumerate() {
            let pp = f64::from(held(&t.per_grade, pi));
            vac += (post.establishment - pp).max(0.0);
            uncovered += (post.establishment - pp - f64::from(agency[pi])).max(0.0);
        }
        let nq = f64::from(nq_grades.iter().map(|&g| t.per_grade[g]).sum::<u32>());
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
            let left: u32 = leavers_hist[m - 11..=m].iter().sum();
            set(Metric::TurnoverRate12m, ratio(f64::from(left), p));
        }
        set(Metric::Under2yShare, ratio(f64::from(t.under2), p));
        set(Metric::AsyeShare, ratio(nq, p + a));
        if m >= 1 {
            set(Metric::StartersFte, f64::from(starters));
            set(Metric::LeaversFte, f64::from(leavers_hist[m]));
            set(Metric::CostMonth, cost);
        }
        let row = &mut metrics[m * n_metrics..(m + 1) * n_metrics];
        let (head, grades) = row.split_at_mut(metric::FIXED.len());
        head.copy_from_slice(&fixed);
        for (x, &count) in grades.iter_mut().zip(&t.per_grade) {
            *x = f64::from(count);
        }
    };
    record(&mut metrics, 0, &t, &agency, &leavers_hist, 0, 0.0);

    for m in 1..=months {
        let date = start.add_months(m as i32);
        let m32 = m as u32;
        let cost = &mut costs[m];
        let mut starters = 0u32;
        for f in t.flows.iter_mut() {
            *f = Flow::default();
        }
        if flows.is_some() {
            for (f, &count) in t.flows.iter_mut().zip(&t.per_grade) {
                f.start = count;
            }
        }
        t.one_off = 0.0;
        t.grant = 0.0;

        // 1. Pay award each April.
        if date.month() == 4 {
            for x in c.pay.iter_mut() {
                *x = (*x * (1.0 + d.pay_award) + d.pay_award_flat).max(0.0);
            }
            for r in &mut agency_monthly {
                *r *= 1.0 + d.agency_uplift;
            }
            monthly_tables(&c, &mut salary_month, &mut on_cost_month);
        }

        // 2. The month's events: leavers go; progression, pay points and retention payments.
        // Everyone else stays as they were, paid and counted in `t`, a month older.
        let mut left = 0u32;
        let mut recovered = 0.0;
        let mut e = staff.take(m);
        while e != NIL {
            let i = e as usize;
            let w = &mut staff.workers[i];
            e = w.next;
            if w.gone_by(m32) {
                let los = w.service(m32 - 1);
                left += 1;
                recovered += c.clawback(w, los);
                t.flows[usize::from(w.grade)].left += 1;
                t.depart(w, los, m - 1);
                staff.remove(i);
            } else {
                w.spend_to(m32);
                let next = progress_and_pay(w, m32, &c, &progress_rng, &mut t);
                staff.schedule(i, next);
            }
        }
        t.under2 -= t.turns2[m];
        leavers_hist[m] = left;
        t.one_off -= recovered;
        for (a, b) in agency.iter_mut().zip(&posts_rng) {
            *a -= b.churn.draw(&mut common.powers, *a, u64::from(m32));
        }

        // New workers join at the start of the month: paid, aged and counted like everyone else.
        let mut join = |staff: &mut Staff, t: &mut Tally, grade: usize, with_hello: bool| {
            let mut w = Worker::new(next_id, grade, common.budgets.get(next_id), m as u16);
            next_id += 1;
            if with_hello && let Some(hr) = c.hello[grade] {
                w.hello = grade as u8;
                t.one_off += hr.amount;
            }
            if spec.grades[grade].newly_qualified {
                t.grant += d.asye_grant;
            }
            t.flows[grade].joined += 1;
            let mut next = c.refresh(&mut w, 0, 0);
            t.arrive(&w, 1, m);
            if next == 1 {
                next = progress_and_pay(&mut w, m32, &c, &progress_rng, t);
            }
            let i = staff.add(w);
            staff.schedule(i, next);
        };

        // 3. Intake and grow-your-own.
        if let Some(a) = &spec.asye
            && date.month() == a.month
        {
            let mut n = a.size_in(date.year());
            if a.within_establishment {
                let post = post_of[a.grade];
                let vacant = whole_part(
                    spec.posts[post].establishment - f64::from(held(&t.per_grade, post)) + 1e-9,
                );
                n = n.min(vacant);
            }
            for _ in 0..n {
                join(&mut staff, &mut t, a.grade, false);
            }
            starters += n;
        }
        for ch in cohorts.iter_mut() {
            if ch.completes == m {
                let r = pipe_rng.sub(ch.pipeline as u64).sub(ch.index);
                let joined = (0..ch.trainees)
                    .filter(|&k| r.uniform(u64::from(k)) < d.pipeline_join[ch.pipeline])
                    .count() as u32;
                for _ in 0..joined {
                    join(&mut staff, &mut t, spec.pipelines[ch.pipeline].grade, false);
                }
                starters += joined;
            }
        }
        cohorts.retain(|ch| ch.completes > m);
        for (pi, p) in spec.pipelines.iter().enumerate() {
            let y = date.year();
            if date.month() == p.month
                && y >= p.first_year
                && (y - p.first_year) % p.every_years as i32 == 0
                && p.intake > 0
            {
                cohorts.push(Cohort {
                    pipeline: pi,
                    index: y as u64,
                    trainees: p.intake,
                    completes: m + p.duration_months as usize,
                });
            }
        }
        for ch in &cohorts {
            cost[C::Training] += f64::from(ch.trainees) * d.pipeline_monthly_cost[ch.pipeline];
        }

        // 4. Conversions, promotions and recruitment, post by post.
        let mut hires_left = spec.max_hires_per_month.unwrap_or(u32::MAX);
        let mut recruitment = 0.0;
        for (pi, post) in spec.posts.iter().enumerate() {
            let mut vacant =
                whole_part(post.establishment - f64::from(held(&t.per_grade, pi)) + 1e-9);
            let pick_grade = |k: u64| -> usize {
                let u = grade_rng.sub(pi as u64).uniform(entity_month(k, m32));
                let mut acc = 0.0;
                for &(g, share) in &post.recruit {
                    acc += share;
                    if u < acc {
                        return g;
                    }
                }
                post.recruit.last().expect("recruit mix").0
            };
            // Agency workers covering these posts take them permanently.
            let converting = posts_rng[pi]
                .convert
                .draw(&mut common.powers, agency[pi], u64::from(m32))
                .min(vacant)
                .min(hires_left);
            for k in 0..converting {
                join(
                    &mut staff,
                    &mut t,
                    pick_grade(1_000_000 + u64::from(k)),
                    true,
                );
                recruitment += d.conversion_fee;
            }
            agency[pi] -= converting;
            vacant -= converting;
            hires_left -= converting;
            starters += converting;
            // Vacancies filled this month, internally or externally.
            let filled = posts_rng[pi]
                .fill
                .draw(&mut common.powers, vacant, u64::from(m32));
            let post_internal = internal_rng.sub(pi as u64);
            for k in 0..u64::from(filled) {
                let g = pick_grade(k);
                let internal = post
                    .promote_from
                    .filter(|_| post_internal.uniform(entity_month(k, m32)) < d.promote_share[pi]);
                // The longest in grade (earliest `grade_start`), the lowest id among equals.
                let candidate = internal.and_then(|from| {
                    staff
                        .workers
                        .iter()
                        .enumerate()
                        .filter(|(_, w)| usize::from(w.grade) == from)
                        .min_by_key(|(_, w)| (w.grade_start, w.id))
                        .map(|(i, _)| i)
                });
                if let Some(i) = candidate {
                    // Promotion takes effect at the end of the month; the new pay from next month.
                    staff.unlink(i);
                    let w = &mut staff.workers[i];
                    w.spend_to(m32);
                    let (from, slot) = (w.grade, w.slot);
                    change_grade(w, g, &c, &mut t);
                    w.grade_start = m as i16 - 1;
                    let next = c.refresh(w, w.service(m32), 1);
                    t.moved(from, slot, w);
                    staff.schedule(i, next);
                } else {
                    if hires_left == 0 {
                        continue;
                    }
                    hires_left -= 1;
                    join(&mut staff, &mut t, g, true);
                    recruitment += d.cost_per_hire;
                    starters += 1;
                }
            }
        }

        // 5. Agency cover of what stays vacant.
        for (pi, post) in spec.posts.iter().enumerate() {
            let vac = (post.establishment - f64::from(held(&t.per_grade, pi))).max(0.0);
            let need = whole_part(d.cover[pi] * vac + 0.5);
            if agency[pi] > need || d.agency_fill >= 1.0 {
                agency[pi] = need;
            } else {
                let gained = posts_rng[pi].agency_fill.draw(
                    &mut common.powers,
                    need - agency[pi],
                    u64::from(m32),
                );
                agency[pi] += gained;
            }
        }

        // 6. Costs of the month, summed in locals (in memory, each addition would wait for the
        // store of the one before).
        let (mut salary, mut premiums, mut on_costs) =
            (cost[C::Salary], cost[C::Premiums], cost[C::OnCosts]);
        // Slot by slot, in grade and point order; a slot past its grade's last point has nobody.
        for ((((&occupied, moved), &salary_slot), &on_cost_slot), &supp) in t
            .occupied
            .iter()
            .zip(t.paid_moved.iter_mut())
            .zip(&salary_month)
            .zip(&on_cost_month)
            .zip(&supplement_slot)
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
        }
        (cost[C::Salary], cost[C::Premiums], cost[C::OnCosts]) = (salary, premiums, on_costs);
        cost[C::Premiums] += t.one_off;
        cost[C::GrantIncome] -= t.grant;
        cost[C::Recruitment] += recruitment;
        for (pi, &a) in agency.iter().enumerate() {
            cost[C::Agency] += f64::from(a) * agency_monthly[pi];
        }
        cost.set_total();
        let total = cost[C::Total];

        // 8. Metrics.
        record(&mut metrics, m, &t, &agency, &leavers_hist, starters, total);
        if let Some(f) = flows.as_deref_mut() {
            for (fl, &count) in t.flows.iter_mut().zip(&t.per_grade) {
                fl.end = count;
            }
            f.push(t.flows.clone());
        }
    }
    common.staff = staff;
    *out = RepResult {
        metrics,
        per_month: n_metrics,
        costs,
        months,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hazard_compounds_to_the_annual_rate() {
        for a in [0.0, 0.1, 0.25, 0.9] {
            let h = monthly_hazard(a);
            assert!((1.0 - (1.0 - h).powi(12) - a).abs() < 1e-12);
        }
        assert_eq!(monthly_hazard(1.0), 1.0);
    }

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

    /// A worker with the given budget and hazard, in post since month `since`, who would
    /// otherwise have no event.
    fn idle(budget: u64, delta: u64, since: u16) -> Worker {
        let mut w = Worker::new(0, 0, budget, since);
        w.delta = delta;
        w
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
            assert!(!w.gone_by(u32::from(want) - 1) && w.gone_by(u32::from(want)));
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
        let mut w = idle(1000, 30, 0);
        w.spend_to(20);
        assert_eq!((w.budget, w.since), (400, 20));
        let mut staff = Staff::new(240, 1);
        let i = staff.add(w);
        staff.schedule(i, u32::MAX);
        // 1000 / 30 = 33.3: the budget is gone in month 34, whenever it was last brought up to date.
        assert_eq!(staff.workers[i].at, 34);
    }

    #[test]
    fn each_month_lists_exactly_the_workers_with_an_event_in_it() {
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

    #[test]
    fn apportion_keeps_the_total() {
        assert_eq!(apportion(10, &[0.25, 0.25, 0.5]), vec![3, 2, 5]);
        assert_eq!(apportion(39, &[1.0, 0.0, 0.0, 0.0]), vec![39, 0, 0, 0]);
        assert_eq!(apportion(7, &[0.3, 0.3, 0.4]).iter().sum::<u32>(), 7);
        assert_eq!(apportion(0, &[0.5, 0.5]), vec![0, 0]);
    }

    #[test]
    fn bands_and_starting_service() {
        let edges = [12, 24, 60];
        assert_eq!(band_of(&edges, 0), 0);
        assert_eq!(band_of(&edges, 11), 0);
        assert_eq!(band_of(&edges, 12), 1);
        assert_eq!(band_of(&edges, 60), 3);
        let v: Vec<u16> = starting_service(&edges, 0, 4).collect();
        assert_eq!(v, vec![1, 4, 7, 10]);
        let v: Vec<u16> = starting_service(&edges, 3, 2).collect();
        assert_eq!(v, vec![75, 105]);
    }
}
