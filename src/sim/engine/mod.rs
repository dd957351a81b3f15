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
//!    (churn). In a month when establishment's yearly shock moves and `staff_share` is above
//!    0, staff are counted in or out with their posts (`Sim::recount`);
//! 3. ASYE cohort (at most the vacant posts, unless `within_establishment = false`) and
//!    grow-your-own completions join; new trainee cohorts start;
//! 4. for each post group in file order: agency workers convert to permanent, then vacancies are
//!    filled by internal promotion (effective at the end of the month) or external recruitment;
//! 5. agency cover is brought to `agency_cover` x vacancies plus `agency_extra` (new assignments
//!    start with the agency fill probability; assignments above the need end). The agency shock
//!    moves `agency_cover` on the odds and `agency_extra` in proportion to itself plus `points`
//!    of establishment (`Draws`);
//! 6. costs of the month.
//!
//! Workers who join in steps 3 and 4 are paid, aged and counted as in step 2, so a month's joiners
//! and stayers are treated alike. Metrics are recorded at the end of the month.

mod draws;
mod hazard;
mod month;
mod rules;
pub mod shocks;
mod staff;
mod tally;

pub use draws::{Draws, apportion, band_of, monthly_hazard, starting_service};

use crate::model::budget::{BudgetRow, Line};
use crate::model::cost::CostRow;
use crate::model::date::YearMonth;
use crate::model::metric::{self, Metric};
use crate::scenario::param::Series;
use crate::scenario::{Spec, Variation};
use crate::stats::rng::{Binomial, Counter, Powers, Purpose, RepStream};
use rules::{Consts, PayTables};
use shocks::{Innovations, Shocks};
use staff::{Budgets, Staff, Worker};
use tally::Tally;

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
    /// The premiums' budget lines for each month (month 0 is all zero).
    pub budget: Vec<BudgetRow>,
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
    /// Counted in or out with their posts by establishment's shock (`staff_share`): neither
    /// starters nor leavers.
    pub counted_in: u32,
    pub counted_out: u32,
    pub end: u32,
}

/// What the options of one replication share. They draw the same random numbers (common random
/// numbers), so what depends on those numbers alone is computed once per replication, by the
/// first option that needs it, instead of once per option: each worker's leaving budget, by
/// worker id, and the powers that start binomial draws.
#[derive(Clone, Debug)]
pub struct Shared {
    stream: RepStream,
    budgets: Budgets,
    powers: Powers,
    /// The yearly shocks' innovations, shared by every option.
    innovations: Innovations,
    /// The last option's shocks, with the `[variation]` and horizon they were worked out for:
    /// options that share both (most do) share the shocks too.
    shocks: Option<(Variation, usize, Shocks)>,
    /// The workers' table, kept between options and replications for its memory only.
    staff: Staff,
    /// The cumulative hazards' table, kept for its memory only.
    cum: Vec<u64>,
}

impl Shared {
    pub fn new(stream: RepStream) -> Self {
        Shared {
            stream,
            budgets: Budgets {
                leave: stream.purpose(Purpose::Leave),
                by_id: Vec::new(),
            },
            powers: Powers::default(),
            innovations: Innovations::new(&stream),
            shocks: None,
            staff: Staff::default(),
            cum: Vec::new(),
        }
    }

    /// Makes this the `Shared` of another replication, on `stream`: the same as `Shared::new`, but
    /// keeping the memory of the budgets and of the workers' table, and the powers of the
    /// probabilities the last replication used (they depend on the probability alone, not on the
    /// stream).
    pub fn renew(&mut self, stream: RepStream) {
        self.stream = stream;
        self.budgets.leave = stream.purpose(Purpose::Leave);
        self.budgets.by_id.clear();
        self.powers.keep_used();
        self.innovations.renew(&stream);
        self.shocks = None;
    }

    /// The shocks of `variation` over `months` months in this replication: those the last option
    /// worked out when it had the same variation and horizon, else new ones.
    fn shocks(&mut self, variation: &Variation, months: usize) -> &Shocks {
        let kept = matches!(&self.shocks, Some((v, m, _)) if v == variation && *m == months);
        if !kept {
            let shocks = if variation.is_none() {
                Shocks::none()
            } else {
                Shocks::new(variation, months, &mut self.innovations)
            };
            self.shocks = Some((variation.clone(), months, shocks));
        }
        &self.shocks.as_ref().expect("kept or just worked out").2
    }
}

/// A post group's binomial draws, each from its own sub-stream with its own probability.
struct PostDraws {
    /// Agency assignments ending.
    churn: Draw,
    /// Agency workers taking the post permanently.
    convert: Draw,
    /// Vacancies filled.
    fill: Draw,
    /// New agency assignments starting.
    agency_fill: Draw,
}

/// Binomial draws from one sub-stream with a probability that may change from month to month:
/// the same numbers as `Counter::binomial` with the month's probability.
struct Draw {
    counter: Counter,
    /// The probability by month, when it changes.
    p: Option<Series>,
    /// The draws of the probability in force, with its powers remembered: the one that holds,
    /// or the last month's, kept while the probability stays the same (a yearly shock moves it
    /// once a year; finding its table every month was a search through every table of powers).
    current: Binomial,
    /// The probability `current` draws with, as bits.
    bits: u64,
}

impl Draw {
    fn new(counter: Counter, p: &Series, powers: &mut Powers) -> Draw {
        let first = p.at(0);
        Draw {
            counter,
            p: (!p.is_const()).then(|| p.clone()),
            current: Binomial::new(counter, first, powers),
            bits: first.to_bits(),
        }
    }

    /// Successes in `n` trials in month `m`.
    #[inline]
    fn draw(&mut self, powers: &mut Powers, n: u32, m: usize) -> u32 {
        if let Some(p) = &self.p {
            let x = p.at(m);
            if x.to_bits() != self.bits {
                self.current = Binomial::new(self.counter, x, powers);
                self.bits = x.to_bits();
            }
        }
        self.current.draw(powers, n, m as u64)
    }
}

/// The month's values of the inputs the month's steps read often, set at the start of each month.
#[derive(Clone, Debug, Default)]
struct Now {
    /// By post group.
    establishment: Vec<f64>,
    cover: Vec<f64>,
    extra: Vec<f64>,
    promote_share: Vec<f64>,
    cost_per_hire: f64,
    conversion_fee: f64,
    asye_grant: f64,
    agency_fill: f64,
}

impl Now {
    /// Whether any of these inputs changes over the horizon in `d`.
    fn varies(d: &Draws) -> bool {
        let any = |s: &[Series]| s.iter().any(|x| !x.is_const());
        any(&d.establishment)
            || any(&d.cover)
            || any(&d.extra)
            || any(&d.promote_share)
            || !(d.cost_per_hire.is_const()
                && d.conversion_fee.is_const()
                && d.asye_grant.is_const()
                && d.agency_fill.is_const())
    }

    /// The values in month `m`.
    fn set(&mut self, d: &Draws, m: usize) {
        let at = |v: &mut Vec<f64>, s: &[Series]| {
            v.clear();
            v.extend(s.iter().map(|x| x.at(m)));
        };
        at(&mut self.establishment, &d.establishment);
        at(&mut self.cover, &d.cover);
        at(&mut self.extra, &d.extra);
        at(&mut self.promote_share, &d.promote_share);
        self.cost_per_hire = d.cost_per_hire.at(m);
        self.conversion_fee = d.conversion_fee.at(m);
        self.asye_grant = d.asye_grant.at(m);
        self.agency_fill = d.agency_fill.at(m);
    }
}

/// A cohort of grow-your-own trainees in their programme.
struct Cohort {
    pipeline: usize,
    /// The cohort's year of intake, which names its random numbers.
    index: u64,
    trainees: u32,
    /// The month its trainees complete and may join.
    completes: usize,
}

/// The sub-streams of a replication that the month's steps draw from.
struct Streams {
    progress: Counter,
    recount: Counter,
    internal: Counter,
    grade: Counter,
    pipeline: Counter,
    caseload: Counter,
    /// Leavers who return as agency, and the experience test's thinning of agency starts.
    rules: Counter,
    posts: Vec<PostDraws>,
}

/// One option's replication as its months run: the fixed lookups, the staff and their counts, the
/// agency workers and the trainees.
struct Sim<'a> {
    spec: &'a Spec,
    d: Draws,
    c: Consts,
    pay: PayTables,
    rng: Streams,
    t: Tally,
    staff: Staff,
    /// The id the next worker to join is given.
    next_id: u32,
    /// Agency workers by post group.
    agency: Vec<u32>,
    /// Agency charge per FTE-month by post group, after the April uplifts so far.
    agency_monthly: Vec<f64>,
    /// The April uplifts of agency rates so far, multiplied together.
    uplifts: f64,
    /// Hiring capacity accrued so far (with a limit on hires a month).
    hires_accrued: f64,
    cohorts: Vec<Cohort>,
    /// This month's inputs.
    now: Now,
    /// Whether `now` changes from month to month (else it is set once).
    now_varies: bool,
    /// Whether agency rates or on-costs change from month to month (else they change only in
    /// April).
    rates_vary: bool,
    /// Leavers by month.
    leavers: Vec<u32>,
    /// Newly qualified places not taken, by month.
    declined: Vec<u32>,
    /// The caseload at the end of the month before (NaN without cases).
    last_caseload: f64,
    /// Leavers returning as agency, by post group and the month they may start (empty without
    /// agency flows).
    returning: Vec<Vec<u32>>,
    /// By month, the council's own leavers who started as its agency workers, and the agency
    /// starts the 2024 rules stopped.
    returned: Vec<u32>,
    barred: Vec<u32>,
    /// By month, the agency spend the price caps saved.
    cap_saving: Vec<f64>,
    /// By month, the logarithm of how far staff in post are counted in (above 0) or out at its
    /// start: `staff_share` times the move in establishment's shock; empty when none are.
    recount: Vec<f64>,
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
    simulate_with(spec, start, months, &mut Shared::new(*stream), flows)
}

/// `simulate` on the stream of `shared`, sharing with the replication's other options what
/// `Shared` holds. The result is the same as `simulate`'s.
pub fn simulate_with(
    spec: &Spec,
    start: YearMonth,
    months: usize,
    shared: &mut Shared,
    flows: Option<&mut Vec<Vec<Flow>>>,
) -> RepResult {
    let mut out = RepResult::default();
    simulate_into(spec, start, months, shared, flows, &mut out);
    out
}

/// `simulate_with`, writing the result into `out` and reusing its memory and that of the
/// workers' table kept in `shared` (a run simulates many replications one after another).
pub fn simulate_into(
    spec: &Spec,
    start: YearMonth,
    months: usize,
    shared: &mut Shared,
    mut flows: Option<&mut Vec<Vec<Flow>>>,
    out: &mut RepResult,
) {
    let mut sim = Sim::new(spec, start, months, shared);
    let n_metrics = metric::FIXED.len() + spec.grades.len();
    let h = months + 1;
    let mut metrics = std::mem::take(&mut out.metrics);
    metrics.clear();
    metrics.resize(n_metrics * h, f64::NAN);
    let mut costs = std::mem::take(&mut out.costs);
    costs.clear();
    costs.resize(h, CostRow::default());
    let mut budget = std::mem::take(&mut out.budget);
    budget.clear();
    budget.resize(h, BudgetRow::default());
    sim.now.set(&sim.d, 0);
    sim.record(&mut metrics[..n_metrics], 0, 0, 0.0);
    for m in 1..=months {
        let date = start.add_months(m as i32);
        sim.t.new_month(flows.is_some());
        if sim.now_varies {
            sim.now.set(&sim.d, m);
        }
        // 1. Pay award each April, and the month's pay tables and agency rates.
        let april = date.month() == 4;
        if april || sim.rates_vary {
            sim.pay_and_rates(m, april);
        }
        let cost = &mut costs[m];
        // Everyone paid a supplement as a financial year (or the horizon) starts is one of its
        // recipients; those who come to be paid one later are counted as they do: joiners in
        // their first month, those who moved into a grade paying one in the month after.
        let movers = std::mem::take(&mut sim.t.supplement_movers);
        budget[m][Line::SupplementPeople] = if m == 1 || date.month() == 4 {
            f64::from(sim.supplemented_heads())
        } else {
            f64::from(movers)
        };
        // 2. The month's events: leavers go; progression, pay points and retention payments.
        // 3. Intake and grow-your-own. 4. Conversions, promotions and recruitment, post by post.
        let (starters, recruitment) = if sim.c.hazard.varies {
            sim.workers_month::<true>(shared, m, date, cost)
        } else {
            sim.workers_month::<false>(shared, m, date, cost)
        };
        // Those in post as the year starts who left in its first month were never paid in it.
        if m == 1 || date.month() == 4 {
            budget[m][Line::SupplementPeople] -= f64::from(sim.supplemented_leavers());
        }
        // 5. Agency cover of what stays vacant.
        sim.agency_cover(&mut shared.powers, m);
        // 6. Costs of the month.
        sim.costs(cost, recruitment, &mut budget[m], m);
        // 7. Metrics.
        let row = &mut metrics[m * n_metrics..(m + 1) * n_metrics];
        sim.record(row, m, starters, cost[crate::model::cost::Component::Total]);
        if let Some(f) = flows.as_deref_mut() {
            f.push(sim.t.end_flows());
        }
    }
    shared.staff = sim.staff;
    shared.cum = sim.c.hazard.take_cum();
    *out = RepResult {
        metrics,
        per_month: n_metrics,
        costs,
        budget,
        months,
    };
}

impl<'a> Sim<'a> {
    /// The replication at its start: the draws and lookups, the starting staff and agency, and
    /// the trainees already in programmes.
    fn new(spec: &'a Spec, start: YearMonth, months: usize, shared: &mut Shared) -> Sim<'a> {
        let stream = shared.stream;
        let shocks = shared.shocks(&spec.variation, months);
        let d = Draws::new(spec, &stream, start, months, shocks);
        let recount = recounts(spec.variation.staff_share, shocks, months);
        let c = Consts::new(spec, &d, months, std::mem::take(&mut shared.cum));
        let pay = PayTables::new(spec, &c, &d);
        let rng = streams(spec, &stream, &d, &mut shared.powers);
        let g_n = spec.grades.len();
        let mut sim = Sim {
            spec,
            // Protected months are counted only for the case-holding FTE they weight.
            t: Tally::new(
                g_n,
                c.maxp,
                months,
                spec.grades
                    .iter()
                    .map(|g| match spec.caseload {
                        Some(_) => g.protected_months.min(u32::from(u16::MAX)) as u16,
                        None => 0,
                    })
                    .collect(),
            ),
            staff: std::mem::take(&mut shared.staff),
            next_id: 0,
            agency: spec.posts.iter().map(|p| p.agency_start).collect(),
            agency_monthly: d.agency_monthly.iter().map(|r| r.at(0)).collect(),
            uplifts: 1.0,
            hires_accrued: 0.0,
            cohorts: cohorts_in_training(spec, start),
            now: Now::default(),
            now_varies: Now::varies(&d),
            rates_vary: d.agency_monthly.iter().any(|r| !r.is_const()) || d.on_costs_vary(),
            leavers: vec![0; months + 1],
            declined: vec![0; months + 1],
            last_caseload: f64::NAN,
            returning: match &d.flows {
                Some(_) => vec![vec![0; months + 1]; spec.posts.len()],
                None => Vec::new(),
            },
            returned: vec![0; months + 1],
            barred: vec![0; months + 1],
            cap_saving: vec![0.0; months + 1],
            recount,
            d,
            c,
            pay,
            rng,
        };
        for (g, paid) in sim.t.supplemented.iter_mut().enumerate() {
            *paid = sim.pay.supplement[g * sim.c.maxp] > 0.0;
        }
        sim.starting_staff(months, &mut shared.budgets);
        sim
    }

    /// Steps 2 to 4 of month `m`, for an option whose hazards change (`V`) or hold: the workers'
    /// events, agency churn, intake, and filling posts. Returns the month's starters and its
    /// recruitment cost.
    fn workers_month<const V: bool>(
        &mut self,
        shared: &mut Shared,
        m: usize,
        date: YearMonth,
        cost: &mut CostRow,
    ) -> (u32, f64) {
        if self.d.elasticity.is_some() {
            self.overload::<V>(m);
        }
        self.events::<V>(m);
        if let Some(&dz) = self.recount.get(m)
            && dz != 0.0
        {
            self.recount::<V>(&mut shared.budgets, m, dz);
        }
        self.agency_churn(&mut shared.powers, m);
        let starters = self.intake::<V>(&mut shared.budgets, m, date, cost);
        let (hired, recruitment) = self.fill_posts::<V>(shared, m);
        (starters + hired, recruitment)
    }

    /// The starting staff of every grade, spread over its service bands.
    fn starting_staff(&mut self, months: usize, budgets: &mut Budgets) {
        let spec = self.spec;
        let starting: usize = spec.grades.iter().map(|g| g.permanent as usize).sum();
        self.staff.reset(months, starting * 2 + 16);
        for (gi, g) in spec.grades.iter().enumerate() {
            let per_band = apportion(g.permanent, &g.service_shares);
            for (band, &n) in per_band.iter().enumerate() {
                for los in starting_service(&spec.band_edges, band, n) {
                    let mut w = Worker::new(self.next_id, gi, budgets.get(self.next_id), 0);
                    self.next_id += 1;
                    let tig = match &g.progression {
                        Some(p) => los % p.after_months.min(u32::from(u16::MAX)) as u16,
                        None => los,
                    };
                    // Starting service is at most twice the last band edge, 1,200 months
                    // (validated).
                    w.start = -(los as i16);
                    w.qualified = w.start - g.prior_experience_months as i16;
                    w.grade_start = -(tig as i16);
                    w.point = (tig / 12).min(g.pay_points.len() as u16 - 1) as u8;
                    // Starting staff are few and placed once: the general case serves them all.
                    let next = self.c.refresh::<true>(&mut w, los, tig);
                    w.settle::<true>(next.regroup, &self.c.hazard, months);
                    self.t.arrive(&w, los, 0);
                    let i = self.staff.add(w);
                    self.staff.schedule(i, next.at);
                }
            }
        }
    }
}

/// The replication's sub-streams, and each post group's binomial draws.
fn streams(spec: &Spec, stream: &RepStream, d: &Draws, powers: &mut Powers) -> Streams {
    let fill = stream.purpose(Purpose::Fill);
    let churn = stream.purpose(Purpose::AgencyChurn);
    let convert = stream.purpose(Purpose::AgencyConvert);
    Streams {
        progress: stream.purpose(Purpose::Progress),
        recount: stream.purpose(Purpose::Recount),
        internal: stream.purpose(Purpose::Internal),
        grade: stream.purpose(Purpose::HireGrade),
        pipeline: stream.purpose(Purpose::Pipeline),
        caseload: stream.purpose(Purpose::Caseload),
        rules: stream.purpose(Purpose::AgencyRules),
        posts: (0..spec.posts.len())
            .map(|pi| PostDraws {
                churn: Draw::new(churn.sub(pi as u64), &d.churn, powers),
                convert: Draw::new(convert.sub(pi as u64), &d.conversion, powers),
                fill: Draw::new(fill.sub(pi as u64), &d.fill[pi], powers),
                agency_fill: Draw::new(churn.sub(1_000 + pi as u64), &d.agency_fill, powers),
            })
            .collect(),
    }
}

/// By month, `share` times the move in establishment's shock since the month before: the
/// logarithm of how far staff in post are counted in or out (empty when none ever are).
fn recounts(share: f64, shocks: &Shocks, months: usize) -> Vec<f64> {
    if share == 0.0 || !shocks.wanders(shocks::ESTABLISHMENT) {
        return Vec::new();
    }
    let z = &shocks.by_month[shocks::ESTABLISHMENT];
    (0..=months)
        .map(|m| {
            if m == 0 {
                0.0
            } else {
                share * (z[m] - z[m - 1])
            }
        })
        .collect()
}

/// Trainees already in programmes that started before the simulation or in its first month,
/// month 0, which the month's steps (from month 1) do not start.
fn cohorts_in_training(spec: &Spec, start: YearMonth) -> Vec<Cohort> {
    let mut cohorts = Vec::new();
    for (pi, p) in spec.pipelines.iter().enumerate() {
        let mut year = p.first_year;
        while let Some(intake) = YearMonth::new(year, p.month) {
            let since = start.months_since(intake);
            if since < 0 {
                break;
            }
            if since < p.duration_months as i32 {
                cohorts.push(Cohort {
                    pipeline: pi,
                    index: year as u64,
                    trainees: p.intake_at_start,
                    completes: (p.duration_months as i32 - since) as usize,
                });
            }
            year += p.every_years as i32;
        }
    }
    cohorts
}
