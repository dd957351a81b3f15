//! How councils' rates wander from year to year, as the census shows it: the spread and
//! persistence of each factor of a scenario's `[variation]`, estimated from every council.
//!
//! Leaving and hiring wander about a council's own level. Every council's yearly value is put on the
//! scale its shock works on: the log-odds of turnover (leaving), the logarithm of starters per FTE
//! in post (hiring). Each council's mean is taken away, so what is left is how the council moves
//! about its own level, the country's year-to-year movements included. Then, pooled over councils:
//!
//! - the variance of what is left, scaled by `T / (T - 1)` for the mean each council's `T` years
//!   used up, less the variance chance among individuals alone would give (binomial or Poisson, by
//!   the council's size), is the variance `s^2` of the wandering itself;
//! - the covariance of consecutive years over `s^2` is the persistence `rho`, corrected for the
//!   bias of a short panel by `(1 + rho) / (T - 1)` and kept from 0 to 0.95;
//! - the spread of one year's new shock is `sd = s * sqrt(1 - rho^2)`, so that a shock that
//!   starts from nothing reaches the stationary spread `s` in time.
//!
//! Establishment, agency and cases start from a council's latest value, so their shocks are instead
//! fitted to how far councils moved over 1 to 3 years: the logarithm of establishment (in post plus
//! vacancies, [`fit_changes`]), of total agency beyond what its vacancies give it ([`fit_agency`]),
//! and of caseload beyond what its staff's moves and its return towards the mean give it
//! ([`fit_caseload`]), with the tails of their shocks from the one-year changes' kurtosis.
//!
//! How far staff in post move with establishment at once ([`fit_staff_share`]) is the slope of
//! councils' one-year moves in staff in post on those in establishment, less what the model's
//! hiring gives. How far agency's moves are in points of establishment rather than in proportion
//! ([`fit_agency_points`]) comes from how its median one-year move grows with its level; it is
//! fitted first, as the agency shock's spread depends on it. How far councils' agency and vacancy
//! rates and caseloads return towards the year's mean over councils ([`fit_return`]) is the median
//! share of the gap a council closed in a year; the caseload's is fitted before the cases shock,
//! which is what is left beyond it.
//!
//! Only council years up to the stated last year are read, values the census flags as artefacts
//! are left out, and councils with fewer than [`SMALL_COUNCIL`] FTE in post, or fewer usable years
//! than a method needs (three about the own level, two for changes), do not count.

use std::ops::Index;

use super::{Area, Census, Indicator, Level, left_out};
use crate::scenario::{FACTORS, Factor, MAX_TAILS, Variation, Wander};
use crate::stats::summary::quantile_sorted;
use crate::stats::tails::Tails;

/// Councils smaller than this (FTE in post) are left out: their rates move by chance alone.
pub const SMALL_COUNCIL: f64 = 20.0;

/// What the estimate of one factor rests on, beside the estimate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub wander: Wander,
    /// The stationary spread `s`.
    pub stationary: f64,
    pub councils: usize,
    pub observations: usize,
}

/// The estimates of every factor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimates {
    /// Each factor's estimate, by [`Factor::index`] (`estimates[Factor::Leaving]`).
    pub factors: [Estimate; Factor::COUNT],
    pub staff_share: StaffShare,
    pub agency_points: AgencyPoints,
    /// How far councils' agency and vacancy rates returned towards the mean over councils.
    pub agency_return: Return,
    pub vacancy_return: Return,
    /// How far councils' caseload returned towards the mean over councils.
    pub caseload_return: Return,
    /// The census years read: the first and the last.
    pub years: (i32, i32),
}

impl Estimates {
    pub fn variation(&self) -> Variation {
        Variation {
            wanders: self.factors.map(|e| e.wander),
            staff_share: self.staff_share.share,
            agency_points: self.agency_points.points,
        }
    }
}

impl Index<Factor> for Estimates {
    type Output = Estimate;
    fn index(&self, f: Factor) -> &Estimate {
        &self.factors[f.index()]
    }
}

/// How far councils' staff in post moved with their establishment within a year ([`fit_staff_share`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StaffShare {
    /// The share of establishment's shock that staff in post move with at once: `slope - hiring`,
    /// from 0 to 1.
    pub share: f64,
    /// The slope of one-year moves in the logarithm of staff in post on those of establishment.
    pub slope: f64,
    /// How far the model's hiring moves staff in post with establishment within a year: mean
    /// turnover plus mean growth of establishment.
    pub hiring: f64,
    /// The council-years the slope rests on.
    pub pairs: usize,
}

/// How far councils' agency beyond their vacancies moved in points of establishment rather than
/// in proportion ([`fit_agency_points`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AgencyPoints {
    /// The share of establishment agency beyond vacancies moves with as well as with itself:
    /// `intercept / slope`, from 0 to 1.
    pub points: f64,
    /// The line through the median one-year moves of six groups of council-years, in points of
    /// establishment, against their median level `k A / E`: `intercept + slope x level`.
    pub intercept: f64,
    pub slope: f64,
    /// The council-years the line rests on.
    pub pairs: usize,
}

/// How far councils' rate returned towards the year's mean over councils in a year
/// ([`fit_return`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Return {
    /// The mean of the rate over councils in the last year read.
    pub mean: f64,
    /// The median share of its gap from the year's mean that a council closed by the next year,
    /// where its rate was above the mean and where below (gaps of more than [`RETURN_GAP`]), from
    /// 0 to 1.
    pub above: f64,
    pub below: f64,
    /// The council-years each median rests on, above and below.
    pub pairs: (usize, usize),
}

impl Return {
    /// The rate expected `years` on from `rate`, closing the share of its gap from the mean that
    /// councils on its side of the mean closed each year.
    pub fn after(&self, rate: f64, years: f64) -> f64 {
        let share = if rate > self.mean {
            self.above
        } else {
            self.below
        };
        self.mean + (rate - self.mean) * (1.0 - share).powf(years)
    }
}

/// The smallest gap from the year's mean (in points of the rate) whose share closed counts in
/// [`fit_return`]: on smaller gaps a year's ordinary move is many times the gap.
pub const RETURN_GAP: f64 = 0.03;

/// The same for caseload, in cases per case-holding FTE: about half a year's ordinary move
/// (councils' caseload moves about 12% of its level in a year, some 2 cases per FTE).
pub const CASELOAD_GAP: f64 = 1.0;

/// One council-year's staff in post, for [`fit_staff_share`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct StaffYear {
    pub(crate) year: i32,
    /// The logarithms of FTE in post and of establishment (in post plus vacancies).
    pub(crate) in_post: f64,
    pub(crate) establishment: f64,
    /// Turnover (leavers over FTE in post), when usable.
    pub(crate) turnover: Option<f64>,
}

/// A council's staff in post and establishment in `year`, when both are usable and above 0.
pub(crate) fn staff_year(a: &Area, year: i32) -> Option<StaffYear> {
    let in_post = usable(a, year, Indicator::InPost)?;
    let e = in_post + usable(a, year, Indicator::Vacancies)?;
    (in_post > 0.0).then(|| StaffYear {
        year,
        in_post: in_post.ln(),
        establishment: e.ln(),
        turnover: usable(a, year, Indicator::Turnover),
    })
}

/// The share of establishment's shock that staff in post make at once (teams counted in or out
/// with their posts), from every council's pairs of consecutive usable years.
///
/// Over a year, the logarithm of staff in post moves with that of establishment by the slope
/// `b = cov(dP, dE) / var(dE)` (pooled over councils). In the model, staff in post follow
/// establishment's shock within a year in two ways: by the share counted in or out at once, and by
/// hiring, whose capacity the shock scales. The capacity replaces a year's expected leavers and
/// grows with establishment, so a shock `dz` adds about `(T + g) dz` of staff in post over the year
/// (`T` turnover, `g` establishment's growth): the slope hiring gives is `T + g`, with the means
/// over the pairs. The share is the rest, `b - (T + g)`, kept from 0 to 1. With fewer than 30
/// pairs, or establishment that does not move, it is 0.
pub(crate) fn fit_staff_share(councils: &[Vec<StaffYear>]) -> StaffShare {
    let pairs: Vec<(f64, f64, Option<f64>)> = councils
        .iter()
        .flat_map(|c| {
            c.windows(2)
                .filter(|w| w[1].year == w[0].year + 1)
                .map(|w| {
                    (
                        w[1].establishment - w[0].establishment,
                        w[1].in_post - w[0].in_post,
                        w[0].turnover,
                    )
                })
        })
        .collect();
    let none = StaffShare {
        pairs: pairs.len(),
        ..StaffShare::default()
    };
    if pairs.len() < 30 {
        return none;
    }
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = pairs.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pairs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let turnover: Vec<f64> = pairs.iter().filter_map(|p| p.2).collect();
    if sxx <= 0.0 || turnover.is_empty() {
        return none;
    }
    let slope = sxy / sxx;
    let hiring = turnover.iter().sum::<f64>() / turnover.len() as f64 + mx;
    StaffShare {
        share: (slope - hiring).clamp(0.0, 1.0),
        slope,
        hiring,
        pairs: pairs.len(),
    }
}

/// One council-year's value on its shock's scale, and the variance chance alone gives it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Point {
    pub(crate) year: i32,
    pub(crate) x: f64,
    pub(crate) noise: f64,
}

/// A council's usable values of one factor (`f`: [`leaving`], [`hiring`], [`agency`] or
/// [`establishment`]) in the years up to `last_year`, in order.
pub(crate) fn points(
    a: &Area,
    last_year: i32,
    f: fn(&Area, i32) -> Option<(f64, f64)>,
) -> Vec<Point> {
    a.years
        .iter()
        .filter(|y| y.year <= last_year)
        .filter_map(|y| {
            f(a, y.year).map(|(x, noise)| Point {
                year: y.year,
                x,
                noise,
            })
        })
        .collect()
}

/// Estimates every factor from the councils of `c`, reading census years up to `last_year`.
pub fn estimate(c: &Census, last_year: i32) -> Estimates {
    let councils: Vec<&Area> = c
        .areas
        .iter()
        .filter(|a| a.level == Level::Council)
        .collect();
    let series = |f: fn(&Area, i32) -> Option<(f64, f64)>| -> Vec<Vec<Point>> {
        councils.iter().map(|a| points(a, last_year, f)).collect()
    };
    let first = councils
        .iter()
        .flat_map(|a| a.years.iter().map(|y| y.year))
        .filter(|&y| y <= last_year)
        .min()
        .unwrap_or(last_year);
    // Each council's usable years up to `last_year`, in order, as `f` gives them.
    fn by_year<T>(
        councils: &[&Area],
        last_year: i32,
        f: fn(&Area, i32) -> Option<T>,
    ) -> Vec<Vec<T>> {
        councils
            .iter()
            .map(|a| {
                a.years
                    .iter()
                    .filter(|y| y.year <= last_year)
                    .filter_map(|y| f(a, y.year))
                    .collect()
            })
            .collect()
    }
    let agency = by_year(&councils, last_year, agency_year);
    let points = fit_agency_points(&agency);
    let rates = by_year(&councils, last_year, rate_year);
    let caseloads = by_year(&councils, last_year, caseload_year);
    let caseload_return = fit_return(&caseloads, |r| r.caseload, CASELOAD_GAP);
    // How each factor is estimated: about each council's own level on its shock's scale, or from
    // how far councils moved (see the module's documentation).
    let fit_factor = |f: Factor| match f {
        Factor::Leaving => fit(&series(leaving)),
        Factor::Hiring => fit(&series(hiring)),
        Factor::Agency => fit_agency(&agency, points.points),
        Factor::Establishment => fit_changes(&series(establishment)),
        Factor::Cases => fit_caseload(&caseloads, &caseload_return),
    };
    Estimates {
        factors: FACTORS.map(|d| fit_factor(d.factor)),
        staff_share: fit_staff_share(&by_year(&councils, last_year, staff_year)),
        agency_points: points,
        agency_return: fit_return(&rates, |r| r.agency, RETURN_GAP),
        vacancy_return: fit_return(&rates, |r| r.vacancy, RETURN_GAP),
        caseload_return,
        years: (first, last_year),
    }
}

/// A council's usable value of indicator `m` in `year`: published, not left out, and the council
/// not too small that year.
pub fn usable(a: &Area, year: i32, m: Indicator) -> Option<f64> {
    let y = a.years.iter().find(|y| y.year == year)?;
    let in_post = y.get(Indicator::InPost).number()?;
    if in_post < SMALL_COUNCIL {
        return None;
    }
    let flags = super::flags(a);
    if left_out(&flags, year, m) {
        return None;
    }
    y.get(m).number()
}

fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

/// Turnover on the log-odds scale, with the binomial variance `1 / (n p (1 - p))`.
pub(crate) fn leaving(a: &Area, year: i32) -> Option<(f64, f64)> {
    let t = usable(a, year, Indicator::Turnover)?;
    let n = usable(a, year, Indicator::InPost)?;
    let leavers = usable(a, year, Indicator::Leavers)?;
    (t > 0.0 && t < 1.0 && leavers > 0.0).then(|| (logit(t), 1.0 / (n * t * (1.0 - t))))
}

/// Starters per FTE in post (the mean of the year's first and last) on the log scale, with the
/// Poisson variance `1 / starters`. Councils' starters follow their size, not their vacancies
/// (within a council, starters rise about 0.1% for each 1% more vacancies), so this is the rate
/// whose year-to-year movement a council's hiring shows.
pub(crate) fn hiring(a: &Area, year: i32) -> Option<(f64, f64)> {
    let s = usable(a, year, Indicator::Starters)?;
    let n = usable(a, year, Indicator::InPost)?;
    let before = usable(a, year - 1, Indicator::InPost)?;
    let mean = (n + before) / 2.0;
    (s > 0.0 && mean > 0.0).then(|| ((s / mean).ln(), 1.0 / s))
}

/// The share of vacancies agency covers on the log-odds scale, with the binomial variance: the
/// level `wfsim init` gives a council without vacancies at the origin (the agency shock's spread
/// comes from [`agency_year`]).
pub(crate) fn agency(a: &Area, year: i32) -> Option<(f64, f64)> {
    let cover = usable(a, year, Indicator::AgencyCover)?;
    let v = usable(a, year, Indicator::Vacancies)?;
    if v <= 0.0 {
        return None;
    }
    let c = cover / v;
    (c > 0.0 && c < 1.0).then(|| (logit(c), 1.0 / (v * c * (1.0 - c))))
}

/// Establishment (in post plus vacancies) on the log scale; no chance among individuals.
pub(crate) fn establishment(a: &Area, year: i32) -> Option<(f64, f64)> {
    let e = usable(a, year, Indicator::InPost)? + usable(a, year, Indicator::Vacancies)?;
    (e > 0.0).then(|| (e.ln(), 0.0))
}

/// Cases held on the log scale, when the council's cases and case-holders are both usable and
/// above 0; no chance among individuals (the model's cases have none of their own).
pub(crate) fn cases(a: &Area, year: i32) -> Option<(f64, f64)> {
    let c = usable(a, year, Indicator::Cases)?;
    let holders = usable(a, year, Indicator::CaseHolders)?;
    (c > 0.0 && holders > 0.0).then(|| (c.ln(), 0.0))
}

/// One council-year's caseload and staff, for [`fit_caseload`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct CaseloadYear {
    pub(crate) year: i32,
    /// Cases over case-holding FTE, and FTE in post plus agency FTE.
    pub(crate) caseload: f64,
    pub(crate) staff: f64,
}

/// A council's caseload and staff in `year`, when its cases, case-holders, FTE in post and agency
/// are usable (cases and case-holders above 0).
pub(crate) fn caseload_year(a: &Area, year: i32) -> Option<CaseloadYear> {
    let cases = usable(a, year, Indicator::Cases)?;
    let holders = usable(a, year, Indicator::CaseHolders)?;
    let staff = usable(a, year, Indicator::InPost)? + usable(a, year, Indicator::Agency)?;
    (cases > 0.0 && holders > 0.0 && staff > 0.0).then(|| CaseloadYear {
        year,
        caseload: cases / holders,
        staff,
    })
}

/// The cases shock, fitted to how far councils' caseload moved over 1 to 3 years beyond what
/// their staff's moves and its return towards the mean (`back`, [`fit_return`]) give it.
///
/// In the model a council's caseload is its cases over its case-holding FTE, and the case-holding
/// FTE are its staff in post and agency at a fixed weight ([`crate::census::init::Caseload`]). The
/// cases shock `dz` moves cases alone, drawn apart from the staff, so over `h` years the logarithm
/// of the model's caseload moves by `dz - s`, `s` the move in the logarithm of its staff, with
/// variance `var(dz) + var(s)`. The model's staff move as much as the published ones (the
/// backtest's ranges for FTE in post and the agency rate hold the published figures about as
/// often as they should), so the shock's variance after `h` years is what councils' caseload moved
/// beyond what their staff's moves give it:
///
/// `V_h = var(l) - var(s)`,
///
/// over every council's pairs of usable years `h` apart (both about their means, so a common trend
/// is not counted), fitted by [`fit_spans`] as for establishment. `l` is the logarithm of the
/// caseload (cases over case-holders) `h` years on over the caseload the return expects then from
/// the first year's, with that year's mean over councils ([`Return::after`]): `wfsim init` sets
/// each council's caseload to return so, and the shock moves it about that centre. Fitted to
/// moves that include the return, the shock was wider, and the backtest's 90% ranges for
/// caseload three years ahead held 94.9% of published figures (93.4% without). Not from councils' cases alone: the census counts a
/// council's cases with those who hold them (their one-year moves on the log scale correlate
/// 0.8), so much of a move in cases is counting that moves the case-holders with it, while the
/// model's case-holders follow its staff. Fitted to cases alone (a spread of about 0.23 with
/// persistence 0.5), the shock counted those moves in the caseload as well, and the backtest's
/// 90% ranges for caseload held 98% to 99% of published figures. Nothing is taken off for chance:
/// the model's cases have none of their own. The tails are the one-year moves' fourth cumulants,
/// the caseload's less the staff's, over `V_1^2`.
fn fit_caseload(councils: &[Vec<CaseloadYear>], back: &Return) -> Estimate {
    let used: Vec<&Vec<CaseloadYear>> = councils.iter().filter(|c| c.len() >= 2).collect();
    let nothing = unfitted(&used);
    let means = year_means(councils, |r| r.caseload);
    // The caseload expected `h` years after `p`, returning towards `p`'s year's mean.
    let expected = |p: &CaseloadYear, h: i32| {
        let mean = means.iter().find(|m| m.0 == p.year).map_or(0.0, |m| m.1);
        let r = Return { mean, ..*back };
        r.after(p.caseload, f64::from(h))
    };
    let mut tails = 0.0;
    let spans: Vec<(f64, f64)> = (1..=CHANGE_YEARS)
        .filter_map(|h| {
            let (l, s): (Vec<f64>, Vec<f64>) = used
                .iter()
                .flat_map(|c| {
                    c.iter().filter_map(move |p| {
                        let q = c.iter().find(|q| q.year == p.year + h)?;
                        let to = expected(p, h);
                        (to > 0.0).then(|| ((q.caseload / to).ln(), (q.staff / p.staff).ln()))
                    })
                })
                .unzip();
            if l.len() < 30 {
                return None;
            }
            let v = variance(&l) - variance(&s);
            if h == 1 && v > 0.0 {
                tails =
                    ((fourth_cumulant(&l) - fourth_cumulant(&s)) / (v * v)).clamp(0.0, MAX_TAILS);
            }
            (v > 0.0).then_some((f64::from(h), v))
        })
        .collect();
    fit_spans(&spans, tails, nothing)
}

/// The variance of `x` about its mean, over `n - 1`.
fn variance(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
}

/// An estimate of nothing wandering, counting the councils `used` and their years.
fn unfitted<T>(used: &[&Vec<T>]) -> Estimate {
    Estimate {
        wander: Wander::default(),
        stationary: 0.0,
        councils: used.len(),
        observations: used.iter().map(|c| c.len()).sum(),
    }
}

/// The spread and persistence of councils' values about their own means (see the module's
/// documentation); nothing wanders when fewer than two councils have three usable years.
fn fit(councils: &[Vec<Point>]) -> Estimate {
    let used: Vec<&Vec<Point>> = councils.iter().filter(|c| c.len() >= 3).collect();
    let nothing = unfitted(&used);
    if used.len() < 2 {
        return nothing;
    }
    let (mut sq, mut noise, mut n, mut cross, mut pairs) = (0.0, 0.0, 0usize, 0.0, 0usize);
    for c in &used {
        let mean = c.iter().map(|p| p.x).sum::<f64>() / c.len() as f64;
        for (i, p) in c.iter().enumerate() {
            let r = p.x - mean;
            sq += r * r;
            noise += p.noise;
            n += 1;
            if i > 0 && c[i - 1].year == p.year - 1 {
                cross += r * (c[i - 1].x - mean);
                pairs += 1;
            }
        }
    }
    let t = n as f64 / used.len() as f64;
    let s2 = (sq / n as f64 * t / (t - 1.0) - noise / n as f64).max(0.0);
    if s2 == 0.0 || pairs == 0 {
        return nothing;
    }
    let raw = cross / pairs as f64 / s2;
    let rho = (raw + (1.0 + raw) / (t - 1.0)).clamp(0.0, 0.95);
    let s = s2.sqrt();
    Estimate {
        wander: Wander {
            sd: s * (1.0 - rho * rho).sqrt(),
            persistence: rho,
            // About each council's own level, tails are not estimated: normal shocks.
            tails: Tails::NORMAL,
        },
        stationary: s,
        ..nothing
    }
}

/// The longest change, in years, [`fit_changes`] reads.
pub const CHANGE_YEARS: i32 = 3;

/// The spread and persistence of a shock that starts from nothing at the origin, fitted to how far
/// councils' values moved from a year to 1, 2 and 3 years later: for an input that starts from a
/// council's latest value (establishment) rather than its long-run level.
///
/// For each span `h`, `V_h` is the variance of the changes `x_(t+h) - x_t` over every council's
/// pairs of usable years (about their mean, so a common trend is not counted), less the variance
/// chance among individuals gives the two values. A shock `z_y = rho z_(y-1) + sd e_y` from
/// `z_0 = 0` has variance `sd^2 a_h` after `h` years, `a_h = 1 + rho^2 + ... + rho^(2(h-1))`.
/// For each `rho` from 0 to 0.99 in steps of 0.01 the `sd^2` minimising the squared relative
/// errors `sum_h ((sd^2 a_h - V_h) / V_h)^2` is `sum_h (a_h / V_h) / sum_h (a_h / V_h)^2`; the
/// pair with the least error is kept. Spans with fewer than 30 pairs are not used; with none,
/// nothing wanders, and with one span the persistence is 0.
fn fit_changes(councils: &[Vec<Point>]) -> Estimate {
    let used: Vec<&Vec<Point>> = councils.iter().filter(|c| c.len() >= 2).collect();
    let nothing = unfitted(&used);
    let mut tails = 0.0;
    let spans: Vec<(f64, f64)> = (1..=CHANGE_YEARS)
        .filter_map(|h| {
            let mut d = Vec::new();
            let mut noise = 0.0;
            for c in &used {
                for p in c.iter() {
                    if let Some(q) = c.iter().find(|q| q.year == p.year + h) {
                        d.push(q.x - p.x);
                        noise += p.noise + q.noise;
                    }
                }
            }
            if d.len() < 30 {
                return None;
            }
            let n = d.len() as f64;
            let mean = d.iter().sum::<f64>() / n;
            let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0) - noise / n;
            if h == 1 && var > 0.0 {
                tails = excess_kurtosis(&d, var);
            }
            (var > 0.0).then_some((f64::from(h), var))
        })
        .collect();
    fit_spans(&spans, tails, nothing)
}

/// The shock from nothing whose variance after `h` years, `sd^2 a_h`, best matches each span's
/// `(h, V_h)` (see [`fit_changes`]); `nothing` (with its counts) when no span is usable.
fn fit_spans(spans: &[(f64, f64)], tails: f64, nothing: Estimate) -> Estimate {
    if spans.is_empty() {
        return nothing;
    }
    let a = |rho: f64, h: f64| (0..h as i32).map(|k| rho.powi(2 * k)).sum::<f64>();
    let fit = |rho: f64| {
        let num: f64 = spans.iter().map(|&(h, v)| a(rho, h) / v).sum();
        let den: f64 = spans.iter().map(|&(h, v)| (a(rho, h) / v).powi(2)).sum();
        let sd2 = num / den;
        let err: f64 = spans
            .iter()
            .map(|&(h, v)| ((sd2 * a(rho, h) - v) / v).powi(2))
            .sum();
        (err, sd2, rho)
    };
    let rhos: Vec<f64> = if spans.len() == 1 {
        vec![0.0]
    } else {
        (0..100).map(|k| f64::from(k) / 100.0).collect()
    };
    let (_, sd2, rho) = rhos
        .into_iter()
        .map(fit)
        .fold((f64::INFINITY, 0.0, 0.0), |best, x| {
            if x.0 < best.0 { x } else { best }
        });
    let sd = sd2.sqrt();
    Estimate {
        wander: Wander {
            sd,
            persistence: rho,
            tails: Tails::new(tails),
        },
        stationary: sd / (1.0 - rho * rho).sqrt(),
        ..nothing
    }
}

/// One council-year's agency, for [`fit_agency`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct AgencyYear {
    pub(crate) year: i32,
    /// The logarithms of agency FTE and of vacancies.
    pub(crate) agency: f64,
    pub(crate) vacancies: f64,
    /// Agency FTE over establishment (in post plus vacancies), `A / E`.
    pub(crate) per_establishment: f64,
    /// The share `w` of agency covering vacancies, as `wfsim init` sets it.
    pub(crate) covering: f64,
    /// How far the logarithm of agency moves for a small agency shock, `k = w (1 - c) + (1 - w)`:
    /// the covering part moves on the odds of the share `c` of vacancies it covers, so by `1 - c` in
    /// proportion, and the rest in proportion.
    pub(crate) response: f64,
}

impl AgencyYear {
    /// From agency FTE, vacancies (both above 0) and FTE in post, and agency covering vacancies,
    /// where the census gives it (else agency up to vacancies, as `wfsim init` takes it; at most
    /// agency and vacancies).
    pub(crate) fn new(
        year: i32,
        agency: f64,
        vacancies: f64,
        in_post: f64,
        cover: Option<f64>,
    ) -> AgencyYear {
        let (c, beyond) = agency_split(agency, vacancies, cover);
        let w = (agency - beyond) / agency;
        AgencyYear {
            year,
            agency: agency.ln(),
            vacancies: vacancies.ln(),
            per_establishment: agency / (in_post + vacancies),
            covering: w,
            response: w * (1.0 - c) + (1.0 - w),
        }
    }

    /// How far the logarithm of agency moves for a small agency shock when agency beyond vacancies
    /// moves with `points` of establishment as well: `k + points E / A`.
    fn response_with(&self, points: f64) -> f64 {
        self.response + points / self.per_establishment
    }
}

/// How a council's agency splits as the model starts from it: `(agency_cover, agency_extra)`, the
/// share of vacancies agency covers and the agency beyond them. Agency covering vacancies is the
/// census's count where it gives one (else the agency), at most the agency and the vacancies, so
/// the two always make up the published agency. `vacancies` above 0.
pub(crate) fn agency_split(agency: f64, vacancies: f64, covering: Option<f64>) -> (f64, f64) {
    let covering = covering
        .unwrap_or(agency)
        .min(agency)
        .min(vacancies)
        .max(0.0);
    (covering / vacancies, agency - covering)
}

/// A council's agency in `year`, when its agency FTE and vacancies are usable and above 0.
pub(crate) fn agency_year(a: &Area, year: i32) -> Option<AgencyYear> {
    let agency = usable(a, year, Indicator::Agency)?;
    let vacancies = usable(a, year, Indicator::Vacancies)?;
    let in_post = usable(a, year, Indicator::InPost)?;
    (agency > 0.0 && vacancies > 0.0).then(|| {
        AgencyYear::new(
            year,
            agency,
            vacancies,
            in_post,
            usable(a, year, Indicator::AgencyCover),
        )
    })
}

/// The agency shock, fitted to how far councils' total agency moved over 1 to 3 years beyond
/// what their vacancies' moves give it.
///
/// In the model a post group's agency is `agency_cover x vacancies + agency_extra`, and agency
/// beyond vacancies moves with `points` of establishment as well as with itself
/// ([`fit_agency_points`]). Over `h` years the logarithm of a council's agency moves by about
/// `y = w x + k' dz`: `x` the move in the logarithm of vacancies, `w` the council's
/// [`AgencyYear`] share, `k' = k + points / a` its response (`a` its agency over establishment),
/// `dz` the agency shock. The model's vacancies move as much as the published ones (their spread
/// comes from the census's establishment and turnover), and the shock is drawn apart from them, so
/// the shock's variance after `h` years is what councils' agency moves have beyond their
/// vacancies', in points of establishment (the scale the agency rate is published on, where a
/// council with little agency and a large move in proportion counts by the points it moved):
///
/// `V_h = n / (n - 1) x sum(((y - mean y)^2 - w^2 (x - mean x)^2) a^2) / sum((k' a)^2)`,
///
/// over every council's `n` pairs of usable years `h` apart (`w`, `k'` and `a` of the first),
/// fitted by [`fit_spans`] as for establishment. Nothing is taken off for chance: in the model a
/// council's agency follows its need, with next to no chance of its own. The census's own split
/// (agency covering vacancies over vacancies) is not used for the spread: it moves far more from
/// year to year than councils' total agency, a sign that councils split their agency workers
/// between covering vacancies and other work inconsistently. The tails are the one-year moves'
/// excess kurtosis on the log scale, their fourth cumulant over the square of `var(y)`.
fn fit_agency(councils: &[Vec<AgencyYear>], points: f64) -> Estimate {
    // (move in agency, move in vacancies, the first year's share, response and agency over
    // establishment)
    type Pair = (f64, f64, f64, f64, f64);
    let used: Vec<&Vec<AgencyYear>> = councils.iter().filter(|c| c.len() >= 2).collect();
    let nothing = unfitted(&used);
    let mut tails = 0.0;
    let spans: Vec<(f64, f64)> = (1..=CHANGE_YEARS)
        .filter_map(|h| {
            let pairs: Vec<Pair> = agency_moves(&used, h)
                .into_iter()
                .map(|(p, y, x)| {
                    (
                        y,
                        x,
                        p.covering,
                        p.response_with(points),
                        p.per_establishment,
                    )
                })
                .collect();
            if pairs.len() < 30 {
                return None;
            }
            let n = pairs.len() as f64;
            let my = pairs.iter().map(|d| d.0).sum::<f64>() / n;
            let mx = pairs.iter().map(|d| d.1).sum::<f64>() / n;
            let var = pairs.iter().map(|d| (d.0 - my).powi(2)).sum::<f64>() / (n - 1.0);
            if h == 1 && var > 0.0 {
                let y: Vec<f64> = pairs.iter().map(|d| d.0).collect();
                tails = excess_kurtosis(&y, var);
            }
            let beyond: f64 = pairs
                .iter()
                .map(|d| ((d.0 - my).powi(2) - (d.2 * (d.1 - mx)).powi(2)) * d.4 * d.4)
                .sum();
            let response: f64 = pairs.iter().map(|d| (d.3 * d.4).powi(2)).sum();
            let own = beyond / response * n / (n - 1.0);
            (own > 0.0 && response > 0.0).then_some((f64::from(h), own))
        })
        .collect();
    fit_spans(&spans, tails, nothing)
}

/// Every council's pairs of usable years `h` apart: the first year, and the moves in the
/// logarithms of agency and of vacancies.
fn agency_moves<'a>(used: &[&'a Vec<AgencyYear>], h: i32) -> Vec<(&'a AgencyYear, f64, f64)> {
    used.iter()
        .flat_map(|c| {
            c.iter().filter_map(move |p| {
                let q = c.iter().find(|q| q.year == p.year + h)?;
                Some((p, q.agency - p.agency, q.vacancies - p.vacancies))
            })
        })
        .collect()
}

/// How far agency beyond vacancies moves in points of establishment as well as in proportion.
///
/// When agency beyond vacancies moves with a shock `dz` as `(x + p E) e^dz - p E`, a council's
/// agency moves by about `(k A + p E) dz` beyond what its vacancies give it (`A` agency, `E`
/// establishment, `k` its [`AgencyYear`] response). Its one-year move beyond its vacancies on the
/// log scale, `u = (y - mean y) - w (x - mean x)` as in [`fit_agency`], times `A / E`, is then
/// `|dz| (k A / E + p)` points of establishment. Council-years sorted by their level `k A / E`
/// are cut into six groups of equal size; the line through each group's median level and median
/// `|u| A / E` has intercept `median|dz| p` and slope `median|dz|`, so `p = intercept / slope`,
/// kept from 0 to 1. Medians, not variances: the log moves of councils with little agency are
/// now and then huge. Fewer than 30 pairs, or a slope not above 0: 0, wholly in proportion.
fn fit_agency_points(councils: &[Vec<AgencyYear>]) -> AgencyPoints {
    const GROUPS: usize = 6;
    let used: Vec<&Vec<AgencyYear>> = councils.iter().filter(|c| c.len() >= 2).collect();
    let moves = agency_moves(&used, 1);
    let n = moves.len();
    if n < 30 {
        return AgencyPoints {
            pairs: n,
            ..AgencyPoints::default()
        };
    }
    let my = moves.iter().map(|m| m.1).sum::<f64>() / n as f64;
    let mx = moves.iter().map(|m| m.2).sum::<f64>() / n as f64;
    // (level k A / E, move |u| A / E), by level.
    let mut at: Vec<(f64, f64)> = moves
        .iter()
        .map(|&(p, y, x)| {
            let u = (y - my) - p.covering * (x - mx);
            (
                p.response * p.per_establishment,
                u.abs() * p.per_establishment,
            )
        })
        .collect();
    at.sort_by(|a, b| a.0.total_cmp(&b.0));
    let medians: Vec<(f64, f64)> = (0..GROUPS)
        .map(|g| {
            let group = &at[g * n / GROUPS..(g + 1) * n / GROUPS];
            let mut level: Vec<f64> = group.iter().map(|a| a.0).collect();
            let mut moved: Vec<f64> = group.iter().map(|a| a.1).collect();
            (median(&mut level), median(&mut moved))
        })
        .collect();
    let k = GROUPS as f64;
    let ml = medians.iter().map(|m| m.0).sum::<f64>() / k;
    let mm = medians.iter().map(|m| m.1).sum::<f64>() / k;
    let sxx: f64 = medians.iter().map(|m| (m.0 - ml).powi(2)).sum();
    let sxy: f64 = medians.iter().map(|m| (m.0 - ml) * (m.1 - mm)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let intercept = mm - slope * ml;
    AgencyPoints {
        points: if slope > 0.0 {
            (intercept / slope).clamp(0.0, 1.0)
        } else {
            0.0
        },
        intercept,
        slope,
        pairs: n,
    }
}

/// The median of `x`, sorting it.
fn median(x: &mut [f64]) -> f64 {
    x.sort_by(f64::total_cmp);
    quantile_sorted(x, 0.5)
}

/// One council-year's agency and vacancy rates as the census defines them: agency over agency
/// plus FTE in post, vacancies over vacancies plus FTE in post.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct RateYear {
    pub(crate) year: i32,
    pub(crate) agency: f64,
    pub(crate) vacancy: f64,
}

/// A council's agency and vacancy rates in `year`, when FTE in post, agency and vacancies are
/// usable.
pub(crate) fn rate_year(a: &Area, year: i32) -> Option<RateYear> {
    let in_post = usable(a, year, Indicator::InPost)?;
    let agency = usable(a, year, Indicator::Agency)?;
    let vacancies = usable(a, year, Indicator::Vacancies)?;
    (in_post > 0.0).then(|| RateYear {
        year,
        agency: agency / (agency + in_post),
        vacancy: vacancies / (vacancies + in_post),
    })
}

/// A council-year's figures, which know their year.
pub(crate) trait Dated {
    fn year(&self) -> i32;
}

impl Dated for RateYear {
    fn year(&self) -> i32 {
        self.year
    }
}

impl Dated for CaseloadYear {
    fn year(&self) -> i32 {
        self.year
    }
}

/// How far councils' rate (`rate` of each council-year: [`RateYear`]'s agency or vacancy rate,
/// [`CaseloadYear`]'s caseload) returned towards the year's mean over councils: for each
/// council-year with a next year whose gap from the year's mean (over every council with the rate
/// that year) is more than `least_gap` ([`RETURN_GAP`], [`CASELOAD_GAP`]), the share of the gap closed by the
/// next year, `-(next - rate) / (rate - mean)`; the median of those above the mean and of those
/// below, each kept from 0 to 1 (0 with none). Medians, because the model's median is what is set
/// to return: councils below the mean rise on average mostly by a few large jumps, and the median
/// council below it closes much less of its gap than the mean does. `mean` is the last year's.
fn fit_return<T: Dated>(councils: &[Vec<T>], rate: fn(&T) -> f64, least_gap: f64) -> Return {
    let means = year_means(councils, rate);
    let (mut above, mut below) = (Vec::new(), Vec::new());
    for c in councils {
        for p in c {
            let Some(q) = c.iter().find(|q| q.year() == p.year() + 1) else {
                continue;
            };
            let m = means
                .iter()
                .find(|(y, _)| *y == p.year())
                .map_or(0.0, |x| x.1);
            let gap = rate(p) - m;
            if gap.abs() > least_gap {
                let closed = -(rate(q) - rate(p)) / gap;
                if gap > 0.0 { &mut above } else { &mut below }.push(closed);
            }
        }
    }
    let share = |x: &mut Vec<f64>| {
        if x.is_empty() {
            0.0
        } else {
            median(x).clamp(0.0, 1.0)
        }
    };
    Return {
        mean: means.last().map_or(0.0, |x| x.1),
        pairs: (above.len(), below.len()),
        above: share(&mut above),
        below: share(&mut below),
    }
}

/// Each year's mean of `rate` over the councils that have it, by year.
fn year_means<T: Dated>(councils: &[Vec<T>], rate: fn(&T) -> f64) -> Vec<(i32, f64)> {
    let mut years: Vec<i32> = councils.iter().flatten().map(Dated::year).collect();
    years.sort_unstable();
    years.dedup();
    let mean = |year: i32| {
        let x: Vec<f64> = councils
            .iter()
            .flatten()
            .filter(|r| r.year() == year)
            .map(rate)
            .collect();
        x.iter().sum::<f64>() / x.len() as f64
    };
    years.iter().map(|&y| (y, mean(y))).collect()
}

/// The excess kurtosis of the wandering in one-year changes `d`, whose variance less chance is
/// `wander_var`: the changes' fourth cumulant over `wander_var^2` (chance among individuals is
/// near normal and adds no fourth cumulant), from 0 to [`MAX_TAILS`]. A year's change is the
/// year's new shock, so this is the shock's own excess kurtosis. Pooled over councils of
/// different spreads, it also carries how much more some councils move than others, which a
/// single spread for every council must allow for.
fn excess_kurtosis(d: &[f64], wander_var: f64) -> f64 {
    (fourth_cumulant(d) / (wander_var * wander_var)).clamp(0.0, MAX_TAILS)
}

/// The fourth cumulant of `d`, `m4 - 3 m2^2` from its central moments.
fn fourth_cumulant(d: &[f64]) -> f64 {
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let m2 = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let m4 = d.iter().map(|x| (x - mean).powi(4)).sum::<f64>() / n;
    m4 - 3.0 * m2 * m2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn council(xs: &[f64]) -> Vec<Point> {
        xs.iter()
            .enumerate()
            .map(|(i, &x)| Point {
                year: 2017 + i as i32,
                x,
                noise: 0.0,
            })
            .collect()
    }

    #[test]
    fn the_tails_are_the_fourth_cumulant_of_the_changes_over_their_variance_squared() {
        // Changes 2, -2 and six 0s: mean 0, second moment 1, fourth moment 4, so a fourth
        // cumulant of 4 - 3 = 1; over a wandering variance of 1 that is 1, over 0.5 (the rest
        // being chance) it is 4.
        let d = [2.0, -2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        assert!((excess_kurtosis(&d, 1.0) - 1.0).abs() < 1e-12);
        assert!((excess_kurtosis(&d, 0.5) - 4.0).abs() < 1e-12);
        // Lighter tails than normal count as normal; heavier than allowed stop at the limit.
        assert_eq!(excess_kurtosis(&[1.0, -1.0, 1.0, -1.0], 1.0), 0.0);
        assert_eq!(excess_kurtosis(&d, 0.01), MAX_TAILS);
    }

    #[test]
    fn an_agency_years_share_and_response() {
        // Agency 10 of which 5 cover 20 vacancies: w = 0.5, c = 0.25, k = 0.5 x 0.75 + 0.5.
        let y = AgencyYear::new(2020, 10.0, 20.0, 80.0, Some(5.0));
        assert_eq!((y.covering, y.response), (0.5, 0.875));
        // Agency 10 over establishment 100; with 0.05 of establishment, the response gains
        // 0.05 / 0.1.
        assert_eq!(y.per_establishment, 0.1);
        assert_eq!(y.response_with(0.05), 1.375);
        assert!((y.agency - 10f64.ln()).abs() < 1e-15 && (y.vacancies - 20f64.ln()).abs() < 1e-15);
        // Without the split, agency covers vacancies as far as it can: w = 1, c = 0.5.
        let y = AgencyYear::new(2020, 10.0, 20.0, 80.0, None);
        assert_eq!((y.covering, y.response), (1.0, 0.5));
        // Cover above vacancies is cut to them: 8 of 10 cover every vacancy, so k = 0.2.
        let y = AgencyYear::new(2020, 10.0, 8.0, 92.0, Some(12.0));
        assert!((y.covering - 0.8).abs() < 1e-15 && (y.response - 0.2).abs() < 1e-15);
        // As the model starts: the share covered and the agency beyond, which make up the agency.
        assert_eq!(agency_split(10.0, 8.0, Some(12.0)), (1.0, 2.0));
        assert_eq!(agency_split(10.0, 20.0, Some(5.0)), (0.25, 5.0));
        // Cover above the agency is cut to it: all 10 cover 10 of 20 vacancies, none beyond.
        assert_eq!(agency_split(10.0, 20.0, Some(12.0)), (0.5, 0.0));
        assert_eq!(agency_split(10.0, 20.0, None), (0.5, 0.0));
    }

    /// 40 councils of two years whose agency and vacancies move together by `+-1` on the log
    /// scale, with share `w` and response `k`, and agency a tenth of establishment.
    fn agency_panel(w: f64, k: f64) -> Vec<Vec<AgencyYear>> {
        (0..40)
            .map(|i| {
                let d = if i % 2 == 0 { 1.0 } else { -1.0 };
                let year = |year, x| AgencyYear {
                    year,
                    agency: x,
                    vacancies: x,
                    per_establishment: 0.1,
                    covering: w,
                    response: k,
                };
                vec![year(2020, 0.0), year(2021, d)]
            })
            .collect()
    }

    #[test]
    fn the_agency_shock_is_what_agency_moved_beyond_its_vacancies() {
        // Moves of +-1 about a mean of 0: var(y) = var(x) = 40/39. With half the agency covering
        // vacancies, their part is 0.25 x 40/39, and the rest over k^2 = 0.25 is 3 x 40/39. One
        // span only, so the persistence is 0.
        let e = fit_agency(&agency_panel(0.5, 0.5), 0.0);
        assert!((e.wander.sd - (120.0f64 / 39.0).sqrt()).abs() < 1e-12);
        assert_eq!(e.wander.persistence, 0.0);
        assert!((e.stationary - e.wander.sd).abs() < 1e-12);
        // Two values of +-1 have a fourth cumulant below 0: normal tails.
        assert_eq!(e.wander.tails, Tails::NORMAL);
        assert_eq!((e.councils, e.observations), (40, 80));
        // With no agency covering vacancies, all of agency's move is its own: 40/39.
        let e = fit_agency(&agency_panel(0.0, 1.0), 0.0);
        assert!((e.wander.sd - (40.0f64 / 39.0).sqrt()).abs() < 1e-12);
        // With agency beyond vacancies moving with 0.05 of establishment too, agency of a tenth of
        // establishment responds by k' = 0.5 + 0.05 / 0.1 = 1: its own part 0.75 x 40/39 is all.
        let e = fit_agency(&agency_panel(0.5, 0.5), 0.05);
        assert!((e.wander.sd - (30.0f64 / 39.0).sqrt()).abs() < 1e-12);
        // Moves count by the points of establishment they make: 20 councils with agency a tenth of
        // establishment moving by +-2, 20 with three tenths moving by +-1, none of it covering
        // vacancies. sum(y^2 a^2) = 20 x 4 x 0.01 + 20 x 0.09 = 2.6 over sum(a^2) = 2: 1.3 x
        // 40/39 (each council-year alike would give 2.5 x 40/39).
        let mixed: Vec<Vec<AgencyYear>> = agency_panel(0.0, 1.0)
            .into_iter()
            .enumerate()
            .map(|(i, mut c)| {
                let (a, size) = if i < 20 { (0.1, 2.0) } else { (0.3, 1.0) };
                for y in &mut c {
                    y.per_establishment = a;
                    y.agency *= size;
                }
                c
            })
            .collect();
        let e = fit_agency(&mixed, 0.0);
        assert!((e.wander.sd - (52.0f64 / 39.0).sqrt()).abs() < 1e-12);
        // Agency that only follows its vacancies has no shock of its own.
        assert_eq!(
            fit_agency(&agency_panel(1.0, 0.5), 0.0).wander,
            Wander::default()
        );
        // Fewer than 30 pairs: nothing wanders.
        let few: Vec<Vec<AgencyYear>> = agency_panel(0.5, 0.5).into_iter().take(29).collect();
        assert_eq!(fit_agency(&few, 0.0).wander, Wander::default());
    }

    /// 40 councils of two years, half at a caseload of 20 and half at 12 in 2020 (a mean of 16),
    /// whose caseload in 2021 is `to(level)` moved by `+-a` on the log scale, and whose staff move
    /// by `+-b`.
    fn caseload_panel(a: f64, b: f64, to: impl Fn(f64) -> f64) -> Vec<Vec<CaseloadYear>> {
        (0..40)
            .map(|i| {
                let d = if i % 2 == 0 { 1.0 } else { -1.0 };
                let level = if i % 4 < 2 { 20.0 } else { 12.0 };
                vec![
                    CaseloadYear {
                        year: 2020,
                        caseload: level,
                        staff: 100.0,
                    },
                    CaseloadYear {
                        year: 2021,
                        caseload: to(level) * (d * a).exp(),
                        staff: 100.0 * (d * b).exp(),
                    },
                ]
            })
            .collect()
    }

    #[test]
    fn the_cases_shock_is_what_caseload_moved_beyond_its_staff_and_its_return() {
        let held = Return::default();
        // Caseloads that hold, moving by +-0.2 while staff move by +-0.1: var(l) = 0.04 x 40/39
        // less var(s) = 0.01 x 40/39. One span only, so the persistence is 0; two values of +-a
        // have a fourth cumulant below 0, so normal tails.
        let e = fit_caseload(&caseload_panel(0.2, 0.1, |x| x), &held);
        assert!(
            (e.wander.sd - (1.2f64 / 39.0).sqrt()).abs() < 1e-12,
            "{e:?}"
        );
        assert_eq!((e.wander.persistence, e.wander.tails), (0.0, Tails::NORMAL));
        assert_eq!((e.councils, e.observations), (40, 80));
        // Caseloads returning half their gap from the mean above it (20 to 18) and a quarter
        // below (12 to 13), as the return says: what is left is the same +-0.2.
        let back = Return {
            mean: 16.0,
            above: 0.5,
            below: 0.25,
            pairs: (20, 20),
        };
        let returning = caseload_panel(0.2, 0.1, |x| if x > 16.0 { 18.0 } else { 13.0 });
        let e = fit_caseload(&returning, &back);
        assert!(
            (e.wander.sd - (1.2f64 / 39.0).sqrt()).abs() < 1e-12,
            "{e:?}"
        );
        // Without the return taken off, the return counts as spread.
        assert!(fit_caseload(&returning, &held).wander.sd > e.wander.sd + 0.01);
        // Staff moving as much as the caseload leave nothing to the cases shock.
        let e = fit_caseload(&caseload_panel(0.1, 0.1, |x| x), &held);
        assert_eq!(e.wander, Wander::default());
        // Fewer than 30 pairs: nothing wanders.
        let few: Vec<Vec<CaseloadYear>> = caseload_panel(0.2, 0.1, |x| x)
            .into_iter()
            .take(29)
            .collect();
        assert_eq!(fit_caseload(&few, &held).wander, Wander::default());
    }

    #[test]
    fn the_return_is_the_median_share_of_the_gap_closed_on_each_side_of_the_mean() {
        // 2020's agency rates 40%, 10%, 10% and 20% have a mean of 20%. A closes 0.1 of its gap
        // of 0.2 (half); B 0.03 of -0.1 (0.3); C moves away, -0.5; D is within 3 points, left
        // out. Below the mean the median of 0.3 and -0.5 is -0.1, kept at 0. The mean is 2021's:
        // (30% + 13% + 5% + 22%) / 4. Vacancy rates hold, so nothing of theirs is closed.
        let council = |a0: f64, a1: f64| {
            vec![
                RateYear {
                    year: 2020,
                    agency: a0,
                    vacancy: 0.1,
                },
                RateYear {
                    year: 2021,
                    agency: a1,
                    vacancy: 0.1,
                },
            ]
        };
        let c = vec![
            council(0.4, 0.3),
            council(0.1, 0.13),
            council(0.1, 0.05),
            council(0.2, 0.22),
        ];
        let r = fit_return(&c, |r| r.agency, RETURN_GAP);
        assert!((r.above - 0.5).abs() < 1e-12, "{r:?}");
        assert_eq!((r.below, r.pairs), (0.0, (1, 2)));
        assert!((r.mean - 0.175).abs() < 1e-12);
        assert_eq!(fit_return(&c, |r| r.vacancy, RETURN_GAP).pairs, (0, 0));
        // Two years on from 40%, halving the gap to a mean of 20% each year: 20% + 20% / 4.
        let half = Return {
            mean: 0.2,
            above: 0.5,
            below: 0.1,
            pairs: (1, 1),
        };
        assert!((half.after(0.4, 2.0) - 0.25).abs() < 1e-12);
        // Below the mean the share below applies: 10% closes a tenth of its gap in a year.
        assert!((half.after(0.1, 1.0) - 0.11).abs() < 1e-12);
    }

    /// Six councils at each of six levels of agency over establishment, none of it covering
    /// vacancies (so `k = 1`), whose agency moves in a year by `+-move(level)` on the log scale,
    /// half up and half down at each level.
    fn points_panel(move_at: impl Fn(f64) -> f64) -> Vec<Vec<AgencyYear>> {
        [0.02, 0.05, 0.1, 0.15, 0.2, 0.3]
            .into_iter()
            .flat_map(|level| (0..6).map(move |i| (level, i)))
            .map(|(level, i)| {
                let d = if i % 2 == 0 { 1.0 } else { -1.0 } * move_at(level);
                let year = |year, x| AgencyYear {
                    year,
                    agency: x,
                    vacancies: 0.0,
                    per_establishment: level,
                    covering: 0.0,
                    response: 1.0,
                };
                vec![year(2020, 0.0), year(2021, d)]
            })
            .collect()
    }

    #[test]
    fn agency_points_are_where_the_line_of_median_moves_meets_level_0() {
        // Moves of 0.3 (1 + 0.05 / level) on the log scale are 0.3 (level + 0.05) points of
        // establishment: each group's median lies on the line 0.015 + 0.3 x level.
        let p = fit_agency_points(&points_panel(|level| 0.3 * (1.0 + 0.05 / level)));
        assert!((p.slope - 0.3).abs() < 1e-12 && (p.intercept - 0.015).abs() < 1e-12);
        assert!((p.points - 0.05).abs() < 1e-12);
        assert_eq!(p.pairs, 36);
        // Moves wholly in proportion (0.3 on the log scale at every level): no points.
        let p = fit_agency_points(&points_panel(|_| 0.3));
        assert!(p.points.abs() < 1e-12 && (p.slope - 0.3).abs() < 1e-12);
        // Moves shrinking faster than in proportion meet level 0 below 0: kept at 0.
        let p = fit_agency_points(&points_panel(|level| 0.3 * (1.0 - 0.01 / level)));
        assert!(p.intercept < 0.0);
        assert_eq!(p.points, 0.0);
        // Moves the same in points at every level: no line to divide by, so 0.
        let p = fit_agency_points(&points_panel(|level| 0.01 / level));
        assert!(p.slope.abs() < 1e-12);
        assert_eq!(p.points, 0.0);
        // Fewer than 30 pairs: none.
        let few: Vec<Vec<AgencyYear>> = points_panel(|_| 0.3).into_iter().take(29).collect();
        assert_eq!(fit_agency_points(&few).points, 0.0);
        assert_eq!(fit_agency_points(&few).pairs, 29);
    }

    #[test]
    fn a_hand_computed_panel() {
        // Two councils of four years, means 1 and 5: residuals -1, 1, -1, 1 and 1, -1, 1, -1.
        // Variance 1 x 4/3; consecutive products all -1, so raw persistence -1 / (4/3) = -0.75,
        // corrected by (1 - 0.75) / 3 to -0.6667 and kept at 0.
        let e = fit(&[
            council(&[0.0, 2.0, 0.0, 2.0]),
            council(&[6.0, 4.0, 6.0, 4.0]),
        ]);
        assert!((e.stationary - (4.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(e.wander.persistence, 0.0);
        assert!((e.wander.sd - e.stationary).abs() < 1e-12);
        assert_eq!((e.councils, e.observations), (2, 8));
        // Steady trends: residuals -1.5, -0.5, 0.5, 1.5 in both; variance 1.25 x 4/3 = 5/3,
        // consecutive products 0.75, -0.25, 0.75 (mean 5/12), raw 0.25, corrected to 0.6667.
        let e = fit(&[
            council(&[0.0, 1.0, 2.0, 3.0]),
            council(&[10.0, 11.0, 12.0, 13.0]),
        ]);
        assert!((e.stationary - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert!((e.wander.persistence - (0.25 + 1.25 / 3.0)).abs() < 1e-12);
        // Chance among individuals is taken away: noise of 0.5 per value leaves 5/3 - 0.5.
        let noisy: Vec<Vec<Point>> = [
            council(&[0.0, 1.0, 2.0, 3.0]),
            council(&[10.0, 11.0, 12.0, 13.0]),
        ]
        .into_iter()
        .map(|c| c.into_iter().map(|p| Point { noise: 0.5, ..p }).collect())
        .collect();
        assert!((fit(&noisy).stationary - (5.0f64 / 3.0 - 0.5).sqrt()).abs() < 1e-12);
        // Too little to go on: nothing wanders.
        assert_eq!(fit(&[council(&[1.0, 2.0])]).wander, Wander::default());
    }

    /// `n` councils with two consecutive years: establishment moves by `g + 0.1` or `g - 0.1`
    /// (alternately), staff in post by `b` times that plus 0.03; turnover `t` in the first year.
    fn staff_panel(n: usize, g: f64, b: f64, t: Option<f64>) -> Vec<Vec<StaffYear>> {
        (0..n)
            .map(|i| {
                let x = g + if i % 2 == 0 { 0.1 } else { -0.1 };
                let first = StaffYear {
                    year: 2018,
                    in_post: 90f64.ln(),
                    establishment: 100f64.ln(),
                    turnover: t,
                };
                let second = StaffYear {
                    year: 2019,
                    in_post: first.in_post + b * x + 0.03,
                    establishment: first.establishment + x,
                    turnover: None,
                };
                vec![first, second]
            })
            .collect()
    }

    #[test]
    fn the_staff_share_is_the_slope_of_staff_on_establishment_less_what_hiring_gives() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        // Slope 0.5, turnover 0.1, no growth: hiring gives 0.1, so the share is 0.4.
        let s = fit_staff_share(&staff_panel(30, 0.0, 0.5, Some(0.1)));
        assert_eq!(s.pairs, 30);
        assert!(
            close(s.slope, 0.5) && close(s.hiring, 0.1) && close(s.share, 0.4),
            "{s:?}"
        );
        // Growth of 0.02 a year adds to what hiring gives: 0.5 - 0.12 = 0.38.
        let s = fit_staff_share(&staff_panel(30, 0.02, 0.5, Some(0.1)));
        assert!(close(s.hiring, 0.12) && close(s.share, 0.38), "{s:?}");
        // Staff in post that move with establishment only by hiring: no share (kept from 0).
        let s = fit_staff_share(&staff_panel(30, 0.0, 0.05, Some(0.1)));
        assert!(close(s.slope, 0.05) && s.share == 0.0, "{s:?}");
        // Turnover is averaged over the pairs that have it: half at 0.1, half at 0.3; a 31st
        // council without it moves establishment by 0.1, so growth is 0.1 / 31.
        let mut panel = staff_panel(30, 0.0, 0.5, Some(0.1));
        for c in panel.iter_mut().skip(15) {
            c[0].turnover = Some(0.3);
        }
        panel.push(staff_panel(2, 0.0, 0.5, None).remove(0));
        let s = fit_staff_share(&panel);
        assert_eq!(s.pairs, 31);
        assert!(close(s.hiring, 0.2 + 0.1 / 31.0), "{s:?}");
        // Fewer than 30 pairs, or years that are not consecutive: nothing to go on.
        assert_eq!(
            fit_staff_share(&staff_panel(29, 0.0, 0.5, Some(0.1))).share,
            0.0
        );
        let mut gaps = staff_panel(30, 0.0, 0.5, Some(0.1));
        for c in &mut gaps {
            c[1].year = 2020;
        }
        assert_eq!(fit_staff_share(&gaps), StaffShare::default());
    }
}
