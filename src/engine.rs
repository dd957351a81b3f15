//! One replication of one option, simulated month by month.
//!
//! A replication is a pure function of (scenario variant, seed, replication index): all randomness
//! comes from `rng::RepStream`, keyed per worker, post and month, so options share their random
//! numbers (common random numbers) and results do not depend on threads.
//!
//! Each month, in this order:
//! 1. pay award (April) to pay points and agency rates;
//! 2. permanent leavers, by grade and length of service (monthly hazard from the annual rate);
//!    agency assignments that end (churn);
//! 3. ASYE cohort (at most the vacant posts, unless `within_establishment = false`) and
//!    grow-your-own completions join; new trainee cohorts start;
//! 4. for each post group in file order: agency workers convert to permanent, then vacancies are
//!    filled by internal promotion or external recruitment;
//! 5. agency cover is brought to `agency_cover` x vacancies (new assignments start with the agency
//!    fill probability; assignments above the need end);
//! 6. costs of the month from the staff in post;
//! 7. everyone ages a month; progression after `after_months` in a grade (with its pass rate);
//!    pay-point increments every 12 months in a grade; retention payments at service anniversaries;
//! 8. metrics at the end of the month.

use crate::date::YearMonth;
use crate::metric::{self, Metric};
use crate::rng::{Purpose, RepStream, entity_month};
use crate::scenario::{OnCosts, PremiumKind, Spec};

/// Cost components, in output order.
pub const COMPONENTS: [&str; 8] = [
    "salary",
    "on_costs",
    "premiums",
    "agency",
    "recruitment",
    "training",
    "grant_income",
    "total",
];
pub const SALARY: usize = 0;
pub const ON_COSTS: usize = 1;
pub const PREMIUMS: usize = 2;
pub const AGENCY: usize = 3;
pub const RECRUITMENT: usize = 4;
pub const TRAINING: usize = 5;
pub const GRANT_INCOME: usize = 6;
pub const TOTAL: usize = 7;
pub const N_COMPONENTS: usize = 8;

/// The results of one replication of one variant.
#[derive(Clone, Debug)]
pub struct RepResult {
    /// `metrics[metric.index() * (months + 1) + month]`; NaN where a metric is not yet defined.
    pub metrics: Vec<f64>,
    /// Cost components for each month (month 0 is all zero: it is the starting state).
    pub costs: Vec<[f64; N_COMPONENTS]>,
    pub months: usize,
}

impl RepResult {
    pub fn metric(&self, m: Metric, month: usize) -> f64 {
        self.metrics[m.index() * (self.months + 1) + month]
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

#[derive(Clone, Copy, Debug)]
struct Worker {
    id: u32,
    grade: u16,
    point: u16,
    los: u16,
    tig: u16,
    /// Golden hello paid at joining, and its clawback rule.
    hello: f32,
    hello_claw: u16,
    hello_pro_rata: bool,
    /// Retention payment paid, the service month it was paid at, and its clawback rule.
    retention: f32,
    retention_at: u16,
    retention_claw: u16,
    retention_pro_rata: bool,
}

impl Worker {
    fn new(id: u32, grade: usize) -> Self {
        Worker {
            id,
            grade: grade as u16,
            point: 0,
            los: 0,
            tig: 0,
            hello: 0.0,
            hello_claw: 0,
            hello_pro_rata: false,
            retention: 0.0,
            retention_at: 0,
            retention_claw: 0,
            retention_pro_rata: false,
        }
    }

    /// Money recovered if this worker leaves now.
    fn clawback(&self) -> f64 {
        let recover = |amount: f32, since: u16, claw: u16, pro: bool| -> f64 {
            if amount == 0.0 || since >= claw {
                0.0
            } else if pro {
                f64::from(amount) * f64::from(claw - since) / f64::from(claw)
            } else {
                f64::from(amount)
            }
        };
        recover(self.hello, self.los, self.hello_claw, self.hello_pro_rata)
            + recover(
                self.retention,
                self.los.saturating_sub(self.retention_at),
                self.retention_claw,
                self.retention_pro_rata,
            )
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
                let annual: Vec<f64> = g
                    .leaving
                    .iter()
                    .map(|p| p.draw(stream) * leave_mult[gi])
                    .collect();
                (0..=cap)
                    .map(|los| monthly_hazard(annual[band_of(&spec.band_edges, los as u32)]))
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

fn add_workers(workers: &mut Vec<Worker>, next_id: &mut u32, grade: usize, n: u32) {
    for _ in 0..n {
        workers.push(Worker::new(*next_id, grade));
        *next_id += 1;
    }
}

struct Cohort {
    pipeline: usize,
    index: u64,
    trainees: u32,
    completes: usize,
}

/// Simulates one replication of `spec`. `flows`, when given, receives each month's movements per
/// grade (`flows[month - 1][grade]`).
pub fn simulate(
    spec: &Spec,
    start: YearMonth,
    months: usize,
    stream: &RepStream,
    mut flows: Option<&mut Vec<Vec<Flow>>>,
) -> RepResult {
    let d = Draws::new(spec, stream);
    let g_n = spec.grades.len();
    let cap = *spec.band_edges.last().expect("bands") as u16;
    let leave_rng = stream.purpose(Purpose::Leave);
    let progress_rng = stream.purpose(Purpose::Progress);
    let fill_rng = stream.purpose(Purpose::Fill);
    let internal_rng = stream.purpose(Purpose::Internal);
    let grade_rng = stream.purpose(Purpose::HireGrade);
    let churn_rng = stream.purpose(Purpose::AgencyChurn);
    let convert_rng = stream.purpose(Purpose::AgencyConvert);
    let pipe_rng = stream.purpose(Purpose::Pipeline);

    // Premium lookups by grade.
    let mut supplement = vec![0.0; g_n];
    let mut hello: Vec<Option<(f32, u16, bool)>> = vec![None; g_n];
    let mut retention: Vec<Option<(f32, u16, u16, bool)>> = vec![None; g_n];
    for p in &spec.premiums {
        for &g in &p.grades {
            match p.kind {
                PremiumKind::MarketSupplement => supplement[g] += p.amount,
                PremiumKind::GoldenHello {
                    clawback_months,
                    pro_rata,
                } => {
                    hello[g] = Some((p.amount as f32, clawback_months as u16, pro_rata));
                }
                PremiumKind::RetentionPayment {
                    at_months,
                    clawback_months,
                    pro_rata,
                } => {
                    retention[g] = Some((
                        p.amount as f32,
                        at_months as u16,
                        clawback_months as u16,
                        pro_rata,
                    ))
                }
            }
        }
    }

    // Starting staff.
    let mut workers: Vec<Worker> = Vec::new();
    let mut next_id: u32 = 0;
    for (gi, g) in spec.grades.iter().enumerate() {
        let per_band = apportion(g.permanent, &g.service_shares);
        for (band, &n) in per_band.iter().enumerate() {
            for los in starting_service(&spec.band_edges, band, n) {
                let mut w = Worker::new(next_id, gi);
                next_id += 1;
                w.los = los;
                w.tig = match &g.progression {
                    Some(p) => los % p.after_months.min(u32::from(u16::MAX)) as u16,
                    None => los,
                };
                w.point = (w.tig / 12).min(g.pay_points.len() as u16 - 1);
                workers.push(w);
            }
        }
    }
    let mut agency: Vec<u32> = spec.posts.iter().map(|p| p.agency_start).collect();
    let mut pay: Vec<Vec<f64>> = spec.grades.iter().map(|g| g.pay_points.clone()).collect();
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

    let n_metrics = metric::FIXED.len() + g_n;
    let mut metrics = vec![f64::NAN; n_metrics * (months + 1)];
    let mut costs = vec![[0.0; N_COMPONENTS]; months + 1];
    let mut leavers_hist = vec![0u32; months + 1];
    let mut counts = vec![0u32; g_n];
    let mut perm_by_post = vec![0u32; spec.posts.len()];
    let mut point_counts: Vec<Vec<u32>> = spec
        .grades
        .iter()
        .map(|g| vec![0; g.pay_points.len()])
        .collect();
    let mut month_flows = vec![Flow::default(); g_n];

    let record = |metrics: &mut Vec<f64>,
                  m: usize,
                  workers: &[Worker],
                  agency: &[u32],
                  leavers_hist: &[u32],
                  starters: u32,
                  cost: f64| {
        let mut per_grade = vec![0u32; g_n];
        let mut under2 = 0u32;
        for w in workers {
            per_grade[w.grade as usize] += 1;
            under2 += u32::from(w.los < 24);
        }
        let mut perm_post = vec![0u32; spec.posts.len()];
        for (gi, &c) in per_grade.iter().enumerate() {
            perm_post[post_of[gi]] += c;
        }
        let p = workers.len() as f64;
        let a: f64 = agency.iter().map(|&x| f64::from(x)).sum();
        let est: f64 = spec.posts.iter().map(|p| p.establishment).sum();
        let vac: f64 = spec
            .posts
            .iter()
            .zip(&perm_post)
            .map(|(post, &pp)| (post.establishment - f64::from(pp)).max(0.0))
            .sum();
        let uncovered: f64 = spec
            .posts
            .iter()
            .zip(&perm_post)
            .zip(agency)
            .map(|((post, &pp), &ag)| (post.establishment - f64::from(pp) - f64::from(ag)).max(0.0))
            .sum();
        let nq: f64 = spec
            .grades
            .iter()
            .zip(&per_grade)
            .filter(|(g, _)| g.newly_qualified)
            .map(|(_, &c)| f64::from(c))
            .sum();
        let ratio = |num: f64, den: f64| if den > 0.0 { num / den } else { 0.0 };
        let h = months + 1;
        let mut set = |metric: Metric, x: f64| metrics[metric.index() * h + m] = x;
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
        set(Metric::Under2yShare, ratio(f64::from(under2), p));
        set(Metric::AsyeShare, ratio(nq, p + a));
        if m >= 1 {
            set(Metric::StartersFte, f64::from(starters));
            set(Metric::LeaversFte, f64::from(leavers_hist[m]));
            set(Metric::CostMonth, cost);
        }
        for (gi, &c) in per_grade.iter().enumerate() {
            set(Metric::GradeFte(gi), f64::from(c));
        }
    };
    record(&mut metrics, 0, &workers, &agency, &leavers_hist, 0, 0.0);

    for m in 1..=months {
        let date = start.add_months(m as i32);
        let m32 = m as u32;
        let cost = &mut costs[m];
        let mut starters = 0u32;
        if flows.is_some() {
            counts.iter_mut().for_each(|c| *c = 0);
            for w in &workers {
                counts[w.grade as usize] += 1;
            }
            for (f, &c) in month_flows.iter_mut().zip(&counts) {
                *f = Flow {
                    start: c,
                    ..Flow::default()
                };
            }
        }

        // 1. Pay award each April.
        if date.month() == 4 {
            for points in &mut pay {
                for x in points.iter_mut() {
                    *x = (*x * (1.0 + d.pay_award) + d.pay_award_flat).max(0.0);
                }
            }
            for r in &mut agency_monthly {
                *r *= 1.0 + d.agency_uplift;
            }
        }

        // 2. Leavers.
        let mut left = 0u32;
        let mut recovered = 0.0;
        workers.retain(|w| {
            let h = d.hazard[w.grade as usize][w.los.min(cap) as usize];
            let leaves = h > 0.0 && leave_rng.uniform(entity_month(u64::from(w.id), m32)) < h;
            if leaves {
                left += 1;
                recovered += w.clawback();
                month_flows[w.grade as usize].left += 1;
            }
            !leaves
        });
        leavers_hist[m] = left;
        cost[PREMIUMS] -= recovered;
        for (pi, a) in agency.iter_mut().enumerate() {
            let post_rng = churn_rng.sub(pi as u64);
            let ended = (0..*a)
                .filter(|&k| post_rng.uniform(entity_month(u64::from(k), m32)) < d.churn)
                .count() as u32;
            *a -= ended;
        }

        // 3. Intake and grow-your-own.
        let nq_grant = |grade: usize, n: u32, cost: &mut [f64; N_COMPONENTS]| {
            if spec.grades[grade].newly_qualified {
                cost[GRANT_INCOME] -= d.asye_grant * f64::from(n);
            }
        };
        if let Some(a) = &spec.asye
            && date.month() == a.month
        {
            let mut n = a.size_in(date.year());
            if a.within_establishment {
                let post = post_of[a.grade];
                let held = workers
                    .iter()
                    .filter(|w| post_of[w.grade as usize] == post)
                    .count();
                let vacant = (spec.posts[post].establishment - held as f64 + 1e-9)
                    .floor()
                    .max(0.0) as u32;
                n = n.min(vacant);
            }
            add_workers(&mut workers, &mut next_id, a.grade, n);
            month_flows[a.grade].joined += n;
            nq_grant(a.grade, n, cost);
            starters += n;
        }
        for c in cohorts.iter_mut() {
            if c.completes == m {
                let r = pipe_rng.sub(c.pipeline as u64).sub(c.index);
                let joined = (0..c.trainees)
                    .filter(|&k| r.uniform(u64::from(k)) < d.pipeline_join[c.pipeline])
                    .count() as u32;
                let g = spec.pipelines[c.pipeline].grade;
                add_workers(&mut workers, &mut next_id, g, joined);
                month_flows[g].joined += joined;
                nq_grant(g, joined, cost);
                starters += joined;
            }
        }
        cohorts.retain(|c| c.completes > m);
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
        for c in &cohorts {
            cost[TRAINING] += f64::from(c.trainees) * d.pipeline_monthly_cost[c.pipeline];
        }

        // 4. Conversions, promotions and recruitment, post by post.
        let mut hires_left = spec.max_hires_per_month.unwrap_or(u32::MAX);
        for (pi, post) in spec.posts.iter().enumerate() {
            perm_by_post.iter_mut().for_each(|c| *c = 0);
            for w in &workers {
                perm_by_post[post_of[w.grade as usize]] += 1;
            }
            let mut vacant = (post.establishment - f64::from(perm_by_post[pi]) + 1e-9)
                .floor()
                .max(0.0) as u32;
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
            let new_hire = |workers: &mut Vec<Worker>,
                            next_id: &mut u32,
                            grade: usize,
                            cost: &mut [f64; N_COMPONENTS]| {
                add_workers(workers, next_id, grade, 1);
                let w = workers.last_mut().expect("just added");
                if let Some((amount, claw, pro)) = hello[grade] {
                    w.hello = amount;
                    w.hello_claw = claw;
                    w.hello_pro_rata = pro;
                    cost[PREMIUMS] += f64::from(amount);
                }
                nq_grant(grade, 1, cost);
            };
            // Agency workers covering these posts take them permanently.
            let conv_rng = convert_rng.sub(pi as u64);
            let mut converted = 0u32;
            for k in 0..agency[pi] {
                if vacant == 0 || hires_left == 0 {
                    break;
                }
                if conv_rng.uniform(entity_month(u64::from(k), m32)) < d.conversion {
                    let g = pick_grade(1_000_000 + u64::from(k));
                    new_hire(&mut workers, &mut next_id, g, cost);
                    month_flows[g].joined += 1;
                    cost[RECRUITMENT] += d.conversion_fee;
                    converted += 1;
                    vacant -= 1;
                    hires_left -= 1;
                }
            }
            agency[pi] -= converted;
            starters += converted;
            // Vacancies filled this month, internally or externally.
            let post_fill = fill_rng.sub(pi as u64);
            let post_internal = internal_rng.sub(pi as u64);
            for k in 0..u64::from(vacant) {
                if post_fill.uniform(entity_month(k, m32)) >= d.fill[pi] {
                    continue;
                }
                let g = pick_grade(k);
                let internal = post
                    .promote_from
                    .filter(|_| post_internal.uniform(entity_month(k, m32)) < d.promote_share[pi]);
                let candidate = internal.and_then(|from| {
                    workers
                        .iter()
                        .enumerate()
                        .filter(|(_, w)| w.grade as usize == from)
                        .max_by_key(|(_, w)| (w.tig, std::cmp::Reverse(w.id)))
                        .map(|(i, _)| i)
                });
                if let Some(i) = candidate {
                    let w = &mut workers[i];
                    month_flows[w.grade as usize].moved_out += 1;
                    month_flows[g].moved_in += 1;
                    let salary = pay[w.grade as usize][w.point as usize];
                    w.point = pay[g]
                        .iter()
                        .position(|&x| x >= salary)
                        .unwrap_or(pay[g].len() - 1) as u16;
                    w.grade = g as u16;
                    w.tig = 0;
                } else {
                    if hires_left == 0 {
                        continue;
                    }
                    hires_left -= 1;
                    new_hire(&mut workers, &mut next_id, g, cost);
                    month_flows[g].joined += 1;
                    cost[RECRUITMENT] += d.cost_per_hire;
                    starters += 1;
                }
            }
        }

        // 5. Agency cover of what stays vacant.
        perm_by_post.iter_mut().for_each(|c| *c = 0);
        for w in &workers {
            perm_by_post[post_of[w.grade as usize]] += 1;
        }
        for (pi, post) in spec.posts.iter().enumerate() {
            let vac = (post.establishment - f64::from(perm_by_post[pi])).max(0.0);
            let need = (d.cover[pi] * vac + 0.5).floor() as u32;
            if agency[pi] > need || d.agency_fill >= 1.0 {
                agency[pi] = need;
            } else {
                let r = churn_rng.sub(1_000 + pi as u64);
                let gained = (0..need - agency[pi])
                    .filter(|&k| r.uniform(entity_month(u64::from(k), m32)) < d.agency_fill)
                    .count() as u32;
                agency[pi] += gained;
            }
        }

        // 6. Costs of the month.
        for pc in point_counts.iter_mut() {
            pc.iter_mut().for_each(|c| *c = 0);
        }
        for w in &workers {
            point_counts[w.grade as usize][w.point as usize] += 1;
        }
        for (gi, pc) in point_counts.iter().enumerate() {
            for (pt, &n) in pc.iter().enumerate() {
                if n == 0 {
                    continue;
                }
                let n = f64::from(n);
                let salary = pay[gi][pt];
                let with_supp = salary + supplement[gi];
                cost[SALARY] += n * salary / 12.0;
                cost[PREMIUMS] += n * supplement[gi] / 12.0;
                cost[ON_COSTS] += n * d.on_costs(with_supp) / 12.0;
            }
        }
        for (pi, &a) in agency.iter().enumerate() {
            cost[AGENCY] += f64::from(a) * agency_monthly[pi];
        }

        // 7. Ageing, progression, increments, retention payments.
        for w in workers.iter_mut() {
            w.los = w.los.saturating_add(1);
            w.tig = w.tig.saturating_add(1);
            let g = w.grade as usize;
            if let Some(p) = &spec.grades[g].progression
                && u32::from(w.tig) >= p.after_months
            {
                if progress_rng.uniform(entity_month(u64::from(w.id), m32)) < d.pass_rate[g] {
                    month_flows[g].moved_out += 1;
                    month_flows[p.to].moved_in += 1;
                    let salary = pay[g][w.point as usize];
                    w.point = pay[p.to]
                        .iter()
                        .position(|&x| x >= salary)
                        .unwrap_or(pay[p.to].len() - 1) as u16;
                    w.grade = p.to as u16;
                }
                w.tig = 0;
            } else if w.tig % 12 == 0 && usize::from(w.point) + 1 < pay[g].len() {
                w.point += 1;
            }
            if let Some((amount, at, claw, pro)) = retention[w.grade as usize]
                && w.los == at
            {
                w.retention = amount;
                w.retention_at = at;
                w.retention_claw = claw;
                w.retention_pro_rata = pro;
                cost[PREMIUMS] += f64::from(amount);
            }
        }

        cost[TOTAL] = cost[..TOTAL].iter().sum();
        let total = cost[TOTAL];
        record(
            &mut metrics,
            m,
            &workers,
            &agency,
            &leavers_hist,
            starters,
            total,
        );
        if let Some(f) = flows.as_deref_mut() {
            counts.iter_mut().for_each(|c| *c = 0);
            for w in &workers {
                counts[w.grade as usize] += 1;
            }
            for (fl, &c) in month_flows.iter_mut().zip(&counts) {
                fl.end = c;
            }
            f.push(month_flows.clone());
        }
        month_flows.iter_mut().for_each(|f| *f = Flow::default());
    }
    RepResult {
        metrics,
        costs,
        months,
    }
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
