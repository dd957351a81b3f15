//! The inputs of one option in one replication, month by month, and the service bands.

use super::shocks::{AGENCY, CASES, ESTABLISHMENT, HIRING, LEAVING, Shocks, on_odds};
use crate::model::date::YearMonth;
use crate::scenario::param::{Param, Series};
use crate::scenario::{MAX_CASES, MAX_ESTABLISHMENT, OnCosts, PremiumKind, Spec};
use crate::stats::rng::RepStream;

/// Monthly leaving probability from an annual rate, assuming a constant hazard through the year.
pub fn monthly_hazard(annual: f64) -> f64 {
    let a = annual.clamp(0.0, 1.0);
    if a >= 1.0 {
        1.0
    } else {
        1.0 - (1.0 - a).powf(1.0 / 12.0)
    }
}

/// The inputs of one option in one replication, month by month: every uncertain input drawn,
/// every path laid out, the yearly shocks applied.
#[derive(Clone, Debug)]
pub struct Draws {
    /// Annual leaving rate by grade and service band (with the leaving shock; premium effects
    /// are in `leave_effects`).
    pub leaving: Vec<Vec<Series>>,
    /// Per grade, the proportional change in leaving of its market supplements (everyone in the
    /// grade), its golden hello (while it can be clawed back) and its retention payment (while it
    /// is promised or can be clawed back): `1 + effect`.
    pub leave_effects: Vec<LeaveEffects>,
    pub pass_rate: Vec<Series>,
    /// Chance a vacancy is filled in a month, by post group (with the hiring shock and any
    /// premium's hiring effect).
    pub fill: Vec<Series>,
    pub promote_share: Vec<Series>,
    /// Share of vacancies covered by agency, and agency FTE beyond vacancies, by post group (with
    /// the agency shock).
    pub cover: Vec<Series>,
    pub extra: Vec<Series>,
    /// Establishment by post group (with the establishment shock).
    pub establishment: Vec<Series>,
    /// Agency charge per FTE-month by post group, before April uplifts.
    pub agency_monthly: Vec<Series>,
    pub churn: Series,
    pub conversion: Series,
    pub conversion_fee: Series,
    pub agency_fill: Series,
    pub agency_uplift: Series,
    pub cost_per_hire: Series,
    /// Hiring capacity a month (with the hiring shock, in proportion).
    pub max_hires: Option<Series>,
    pub pay_award: Series,
    pub pay_award_flat: Series,
    pub asye_grant: Series,
    pub on_cost_rate: Series,
    pub ni_rate: Series,
    pub ni_threshold: Series,
    pub pension_rate: Series,
    /// Per pipeline: chance a trainee completes and joins; cost per trainee per month.
    pub pipeline_join: Vec<Series>,
    pub pipeline_monthly_cost: Vec<Series>,
    /// Capacity: case-holding FTE per FTE by grade, and in a grade's protected months; per
    /// agency FTE.
    pub weight: Vec<Series>,
    pub protected_weight: Vec<Series>,
    pub agency_weight: Series,
    /// Cases held (with the cases shock), when the scenario states them.
    pub cases: Option<Series>,
    /// The newly qualified cohort's limits: per supervisor FTE, as a share, recruits a year.
    pub per_supervisor: Option<Series>,
    pub max_share: Option<Series>,
    pub supply: Option<Series>,
    /// Case-holding FTE a supervisor gives up for each newly qualified worker.
    pub supervision_time: Series,
    /// The caseload above which leaving rises, and the elasticity of leaving to caseload above
    /// it (none: caseload does not bear on leaving).
    pub reference: Option<Series>,
    pub elasticity: Option<Series>,
    /// Leavers returning as agency and the 2024 agency rules (none: neither).
    pub flows: Option<Flows>,
}

/// Leavers returning as agency, and the DfE's 2024 agency rules, month by month.
#[derive(Clone, Debug)]
pub struct Flows {
    /// Chance a leaver takes agency work and would take it with this council: `leavers_to_agency`
    /// times `return_share`.
    pub returns: Series,
    /// The first month the rules apply (`usize::MAX`: none within the horizon, or no rules).
    pub rules_from: usize,
    pub min_experience: u32,
    pub cooling_off: u32,
    /// Share of the agency market meeting the experience test.
    pub qualified: Series,
    /// The first month the price caps apply (`usize::MAX`: never).
    pub caps_from: usize,
    pub above_cap: Series,
    /// By post group, its price cap per FTE-month (none: no cap).
    pub caps: Vec<Option<Series>>,
}

impl Flows {
    /// The month a permanent leaver of month `m` with `experience` months of post-qualifying
    /// experience may start as this council's agency worker: the same month before the rules; under
    /// them, after the cooling-off, and never without the experience the rules ask.
    pub fn return_month(&self, m: usize, experience: i32) -> Option<usize> {
        if m < self.rules_from {
            Some(m)
        } else if experience >= self.min_experience as i32 {
            Some(m + self.cooling_off as usize)
        } else {
            None
        }
    }
}

/// The month index of `date` for a run from `start` (0 for a date before it).
fn month_of(date: YearMonth, start: YearMonth) -> usize {
    date.months_since(start).max(0) as usize
}

/// One of the newly qualified cohort's limits, when the scenario states it.
fn asye_limit(
    spec: &Spec,
    get: impl Fn(&crate::scenario::AsyeIntake) -> Option<&Param>,
    series: &impl Fn(&Param) -> Series,
) -> Option<Series> {
    spec.asye.as_ref().and_then(get).map(series)
}

/// A grade's premium effects on leaving, each `1 + effect` month by month.
#[derive(Clone, Debug)]
pub struct LeaveEffects {
    pub supplement: Series,
    pub hello: Series,
    pub retention: Series,
}

impl Draws {
    /// `spec`'s inputs over `months` months from `start`, in the replication of `stream`, with
    /// the yearly `shocks`.
    pub fn new(
        spec: &Spec,
        stream: &RepStream,
        start: YearMonth,
        months: usize,
        shocks: &Shocks,
    ) -> Self {
        let series = |p: &Param| p.series(stream, start, months);
        let proportional = |x: f64, e: f64| x * e;
        let (leave_effects, hire_mult_grade) = premium_effects(spec, &series, months);
        let fill = spec
            .posts
            .iter()
            .map(|p| {
                let mult = strongest(p.recruit.iter().map(|&(g, _)| &hire_mult_grade[g]), months);
                let base = shocks.apply(HIRING, series(&p.fill_probability), on_odds);
                match mult {
                    None => base.map_const(|f| f.clamp(0.0, 1.0)),
                    Some(mult) => base.zip(&mult, months, |f, m| (f * m).clamp(0.0, 1.0)),
                }
            })
            .collect();
        let (on_cost_rate, ni_rate, ni_threshold, pension_rate) = match &spec.costs.on_costs {
            OnCosts::Rate(r) => (
                series(r),
                Series::Const(0.0),
                Series::Const(0.0),
                Series::Const(0.0),
            ),
            OnCosts::Separate {
                ni_rate,
                ni_threshold,
                pension_rate,
            } => (
                Series::Const(0.0),
                series(ni_rate),
                series(ni_threshold),
                series(pension_rate),
            ),
        };
        let a = &spec.agency;
        let establishment: Vec<Series> = spec
            .posts
            .iter()
            .map(|p| {
                shocks.apply(
                    ESTABLISHMENT,
                    series(&p.establishment),
                    at_most(MAX_ESTABLISHMENT),
                )
            })
            .collect();
        let points = spec.variation.agency_points;
        Draws {
            leaving: spec
                .grades
                .iter()
                .map(|g| {
                    g.leaving
                        .iter()
                        .map(|p| shocks.apply(LEAVING, series(p), on_odds))
                        .collect()
                })
                .collect(),
            leave_effects,
            pass_rate: spec
                .grades
                .iter()
                .map(|g| {
                    g.progression
                        .as_ref()
                        .map_or(Series::Const(0.0), |p| series(&p.pass_rate))
                })
                .collect(),
            fill,
            promote_share: spec
                .posts
                .iter()
                .map(|p| series(&p.promote_share))
                .collect(),
            cover: spec
                .posts
                .iter()
                .map(|p| shocks.apply(AGENCY, series(&p.agency_cover), on_odds))
                .collect(),
            extra: spec
                .posts
                .iter()
                .zip(&establishment)
                .map(|(p, e)| agency_extra(shocks, series(&p.agency_extra), e, points, months))
                .collect(),
            establishment,
            agency_monthly: spec
                .posts
                .iter()
                .map(|p| {
                    // A daily rate is charged for 5 days a week; an hourly one for hours_per_week.
                    let units = if p.agency_rate_per_day {
                        5.0
                    } else {
                        a.hours_per_week
                    };
                    series(&p.agency_rate).map_const(|x| x * units * a.weeks_per_year / 12.0)
                })
                .collect(),
            churn: series(&a.monthly_churn),
            conversion: series(&a.monthly_conversion),
            conversion_fee: series(&a.conversion_fee),
            agency_fill: series(&a.fill_probability),
            agency_uplift: series(&a.annual_rate_uplift),
            cost_per_hire: series(&spec.cost_per_hire),
            max_hires: spec.max_hires_per_month.as_ref().map(|p| {
                let hiring = shocks.apply(HIRING, series(p), proportional);
                shocks.apply(ESTABLISHMENT, hiring, proportional)
            }),
            pay_award: series(&spec.costs.pay_award),
            pay_award_flat: series(&spec.costs.pay_award_flat),
            asye_grant: series(&spec.costs.asye_grant),
            on_cost_rate,
            ni_rate,
            ni_threshold,
            pension_rate,
            pipeline_join: spec
                .pipelines
                .iter()
                .map(|p| {
                    series(&p.completion_rate).zip(&series(&p.join_rate), months, |c, j| c * j)
                })
                .collect(),
            pipeline_monthly_cost: spec
                .pipelines
                .iter()
                .map(|p| {
                    series(&p.cost_per_trainee).map_const(|x| x / f64::from(p.duration_months))
                })
                .collect(),
            weight: spec
                .grades
                .iter()
                .map(|g| series(&g.caseload_weight))
                .collect(),
            protected_weight: spec
                .grades
                .iter()
                .map(|g| series(&g.protected_weight))
                .collect(),
            agency_weight: series(&a.caseload_weight),
            cases: spec
                .caseload
                .as_ref()
                .map(|c| shocks.apply(CASES, series(&c.cases), at_most(MAX_CASES))),
            flows: a.has_flows().then(|| {
                let rules = a.rules.as_ref();
                let hours = a.hours_per_week * a.weeks_per_year / 12.0;
                Flows {
                    returns: series(&a.leavers_to_agency).zip(
                        &series(&a.return_share),
                        months,
                        |l, r| l * r,
                    ),
                    rules_from: rules.map_or(usize::MAX, |r| month_of(r.from, start)),
                    min_experience: rules.map_or(0, |r| r.min_experience_months),
                    cooling_off: rules.map_or(0, |r| r.cooling_off_months),
                    qualified: rules.map_or(Series::Const(1.0), |r| series(&r.qualified_share)),
                    caps_from: rules
                        .and_then(|r| r.caps_from)
                        .map_or(usize::MAX, |c| month_of(c, start)),
                    above_cap: rules.map_or(Series::Const(0.0), |r| series(&r.above_cap_share)),
                    caps: spec
                        .posts
                        .iter()
                        .map(|p| {
                            p.agency_price_cap
                                .as_ref()
                                .map(|c| series(c).map_const(|x| x * hours))
                        })
                        .collect(),
                }
            }),
            per_supervisor: asye_limit(spec, |a| a.per_supervisor.as_ref(), &series),
            max_share: asye_limit(spec, |a| a.max_share.as_ref(), &series),
            supply: asye_limit(spec, |a| a.supply.as_ref(), &series),
            supervision_time: spec
                .asye
                .as_ref()
                .map_or(Series::Const(0.0), |a| series(&a.supervision_time)),
            reference: spec
                .caseload
                .as_ref()
                .and_then(|c| c.reference.as_ref())
                .map(series),
            elasticity: spec
                .caseload
                .as_ref()
                .map(|c| series(&c.leaving_elasticity))
                .filter(|e| !matches!(e, Series::Const(x) if *x == 0.0)),
        }
    }

    /// Employer on-costs in month `m` on an annual pay figure.
    pub(super) fn on_costs(&self, m: usize, annual_pay: f64) -> f64 {
        self.on_cost_rate.at(m) * annual_pay
            + self.ni_rate.at(m) * (annual_pay - self.ni_threshold.at(m)).max(0.0)
            + self.pension_rate.at(m) * annual_pay
    }

    /// Whether the on-cost rates change over the horizon (the monthly pay tables then follow
    /// them).
    pub(super) fn on_costs_vary(&self) -> bool {
        !(self.on_cost_rate.is_const()
            && self.ni_rate.is_const()
            && self.ni_threshold.is_const()
            && self.pension_rate.is_const())
    }
}

/// A post group's agency beyond vacancies, `extra`, under the agency shock: in proportion to
/// itself plus `points` times its `establishment`, at least 0 (`(x + points E) e^z - points E`);
/// wholly in proportion when `points` is 0.
fn agency_extra(
    shocks: &Shocks,
    extra: Series,
    establishment: &Series,
    points: f64,
    months: usize,
) -> Series {
    if points == 0.0 || !shocks.wanders(AGENCY) {
        return shocks.apply(AGENCY, extra, at_most(MAX_ESTABLISHMENT));
    }
    Series::Monthly(
        (0..=months)
            .map(|m| {
                let shift = points * establishment.at(m);
                ((extra.at(m) + shift) * shocks.factor(AGENCY, m) - shift)
                    .clamp(0.0, MAX_ESTABLISHMENT)
            })
            .collect(),
    )
}

/// A count moved in proportion to a shock's `e^z`, at most `largest`, the most a scenario may
/// state of it (`MAX_ESTABLISHMENT` for establishment and agency, `MAX_CASES` for cases): a
/// shock far beyond any council's (a large `sd` that persists over a long horizon) cannot take
/// it past what a scenario could state, nor the run with it past any bound of time or memory.
fn at_most(largest: f64) -> impl Fn(f64, f64) -> f64 {
    move |x, e| {
        // Nothing stays nothing, even under a factor that overflowed.
        if x == 0.0 {
            return 0.0;
        }
        (x * e).min(largest)
    }
}

/// Each grade's premium effects on leaving, and on hiring into it: proportional changes combined
/// multiplicatively, market supplements (which add up) in premium order.
fn premium_effects(
    spec: &Spec,
    series: &impl Fn(&Param) -> Series,
    months: usize,
) -> (Vec<LeaveEffects>, Vec<Series>) {
    let g_n = spec.grades.len();
    let one = || Series::Const(1.0);
    let mut leave: Vec<LeaveEffects> = (0..g_n)
        .map(|_| LeaveEffects {
            supplement: one(),
            hello: one(),
            retention: one(),
        })
        .collect();
    let mut hire: Vec<Series> = (0..g_n).map(|_| one()).collect();
    for p in &spec.premiums {
        let l = series(&p.leaving_effect).map_const(|e| 1.0 + e);
        let h = series(&p.hiring_effect).map_const(|e| 1.0 + e);
        for &g in &p.grades {
            let slot = match p.kind {
                PremiumKind::MarketSupplement => &mut leave[g].supplement,
                PremiumKind::GoldenHello { .. } => &mut leave[g].hello,
                PremiumKind::RetentionPayment { .. } => &mut leave[g].retention,
            };
            *slot = slot.zip(&l, months, |a, b| a * b);
            hire[g] = hire[g].zip(&h, months, |a, b| a * b);
        }
    }
    (leave, hire)
}

/// The hiring multiplier of the recruited grades furthest from 1 (month by month), or `None`
/// when every one is exactly 1.
fn strongest<'a>(mults: impl Iterator<Item = &'a Series>, months: usize) -> Option<Series> {
    let mults: Vec<&Series> = mults.collect();
    if mults
        .iter()
        .all(|m| matches!(m, Series::Const(x) if *x == 1.0))
    {
        return None;
    }
    let pick = |m: usize| {
        mults.iter().map(|s| s.at(m)).fold(1.0, |acc: f64, x| {
            if (x - 1.0).abs() > (acc - 1.0).abs() {
                x
            } else {
                acc
            }
        })
    };
    Some(if mults.iter().all(|m| m.is_const()) {
        Series::Const(pick(0))
    } else {
        Series::Monthly((0..=months).map(pick).collect())
    })
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
        crate::scenario::open_band_end(edges)
    };
    let width = f64::from(hi - lo);
    (0..count).map(move |k| {
        (f64::from(lo) + ((f64::from(k) + 0.5) * width / f64::from(count)).floor()) as u16
    })
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
