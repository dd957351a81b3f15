//! A calibrated starting scenario for any council, from the census: what `wfsim init` writes.
//!
//! A head of service in any council should not have to write a scenario by hand before wfsim can
//! answer a first question, and the backtest must score exactly what users get. So the scenario is
//! built here from the census as it stood at 30 September of one year, reading no later year (the
//! census is cut first, so a later year cannot reach any estimate). This module works out the
//! numbers ([`Inputs`]); [`text`] writes them as annotated TOML.
//!
//! - The starting state (establishment, FTE in post, agency covering vacancies and beyond) is the
//!   council's published figures for that year: in the census a council's latest state predicts
//!   its next years better than its history does. From there its agency and vacancy rates return
//!   part of the way towards the mean over councils, by the share the median council on their side
//!   of the mean closed a year ([`calibrate::Return`]), through establishment and agency beyond
//!   vacancies.
//! - Turnover is the exception: it moves from the council's latest value to its long-run level, as
//!   fast as the census's persistence says. The level is the council's own mean shrunk towards its
//!   region's councils (or England's) by how far its own years can be trusted (empirical Bayes),
//!   so a council with many clean years keeps its own level and one with few leans on its
//!   neighbours.
//! - Hiring is a capacity, not a share of vacancies (councils' starters follow their size, not
//!   their vacancies): enough to replace the expected leavers and grow with establishment, moving
//!   with turnover from its latest value to its level so that hires keep pace with leavers.
//! - Establishment grows at the mean yearly growth of every council's establishment so far.
//! - Cases start from the council's published cases and grow at the mean yearly growth of every
//!   council's cases, moving so that its caseload returns part of the way towards the mean over
//!   councils, as its agency and vacancy rates do. Every grade and agency hold the same share of a
//!   full caseload, set so that the weighted staff at the start are the census's case-holding FTE
//!   (ASYEs at 0.9 of it in their protected year); without usable cases, no `[caseload]`
//!   ([`Caseload`]).
//! - Year-to-year variation is estimated from every council up to that year ([`calibrate`]).
//! - What the census cannot give (grades, pay, service mix, costs, agency rates) comes from
//!   national defaults, each marked `[assumption]` so that the report lists them for local figures.

pub mod caps;
pub mod figures;
pub mod own;
pub(in crate::census) mod text;

use super::calibrate::{self, Estimate, Estimates, Point, Return};
use super::council::{self, FilesError, Request};
use super::{Area, Census, CensusError, Indicator, Level};
use crate::model::date::YearMonth;

/// Months over which init's paths move and its returns towards the mean are reached: three
/// years, to the 30 September three years on (where its target falls, and what the backtest
/// scores).
pub const MONTHS: u32 = 36;

/// Months of the scenario `init` writes from `start`: to the end of the third whole financial
/// year (April to March) after it, so that a finance officer sees three whole years' costs (42
/// from a 30 September start).
pub fn horizon(start: YearMonth) -> u32 {
    // Month 1 is the month after the start; the first whole year opens at the next April.
    let to_april = (4 + 12 - start.month() as i32) % 12;
    let to_april = if to_april == 0 { 12 } else { to_april };
    (to_april + 35) as u32
}

/// The scenario and what it rests on.
#[derive(Clone, Debug)]
pub struct Built {
    /// The scenario file's text.
    pub text: String,
    /// The council, as the census names it.
    pub council: String,
    /// The census year the scenario starts from (30 September).
    pub as_of: i32,
    /// A file name for it: `<council>-<year>.toml` in lower case.
    pub file_name: String,
    /// Things the user should know about the council's files (columns not read, a short period).
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error(transparent)]
    Census(#[from] CensusError),
    #[error(
        "`{name}` is {what} in the census, not a council: init builds a scenario for one council"
    )]
    NotCouncil { name: String, what: &'static str },
    #[error(
        "the census has no year {year} (it runs from {first} to {last}); --as-of must be one of them"
    )]
    Year { year: i32, first: i32, last: i32 },
    #[error(
        "{council} has too little clean census data at 30 September {year} to start a scenario: {missing}. \
         Try an earlier --as-of, or write the scenario from the annotated example"
    )]
    TooLittle {
        council: String,
        year: i32,
        missing: String,
    },
    #[error(transparent)]
    Files(#[from] FilesError),
    #[error("{0}")]
    Empty(String),
}

impl Census {
    /// This census without the years after `last_year`: what was published by then.
    pub fn up_to(&self, last_year: i32) -> Census {
        let mut c = self.clone();
        for a in &mut c.areas {
            a.years.retain(|y| y.year <= last_year);
        }
        c
    }

    /// The first and last years of the file.
    pub fn span(&self) -> Option<(i32, i32)> {
        let years = self
            .areas
            .iter()
            .flat_map(|a| a.years.iter().map(|y| y.year));
        let (lo, hi) = years.fold((i32::MAX, i32::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
        (lo <= hi).then_some((lo, hi))
    }
}

/// A scenario for the council `query` names, from `census` as at 30 September of `as_of` (the
/// file's latest year when `None`). `source` names the census in the scenario's comments.
pub fn build(
    census: &Census,
    query: &str,
    as_of: Option<i32>,
    source: &str,
) -> Result<Built, InitError> {
    build_with(census, query, as_of, source, None)
}

/// As [`build`], from the council's own files as well (`own`): the staff file is the staff in
/// post at the scenario's start, 30 September of the year; the census fills what the files do
/// not give.
pub fn build_with(
    census: &Census,
    query: &str,
    as_of: Option<i32>,
    source: &str,
    own: Option<&Request>,
) -> Result<Built, InitError> {
    let (first, last) = census.span().unwrap_or((0, 0));
    let year = as_of.unwrap_or(last);
    if year < first || year > last {
        return Err(InitError::Year { year, first, last });
    }
    let cut = census.up_to(year);
    let area = cut.find(query)?;
    if area.level != Level::Council {
        return Err(InitError::NotCouncil {
            name: area.name.clone(),
            what: if area.level == Level::National {
                "England"
            } else {
                "a region"
            },
        });
    }
    let start = start_of(area, year)?;
    let pooled = Pooled::of(&cut, year);
    let pay = figures::pay(year);
    let files = match own {
        None => None,
        Some(req) => {
            let snapshot = council::Date::new(year, 9, 30).expect("30 September");
            let mut summary = council::read(req, snapshot, &pay.points)?;
            if summary.fte() <= 0.0 {
                return Err(InitError::Empty(format!(
                    "{} holds no staff in post; init needs the staff in post at the start",
                    summary.staff_file
                )));
            }
            // The census's vacancies and agency are scaled to the files' staff: a file of the
            // whole council's staff would scale them far beyond its social workers.
            let times = summary.fte() / start.in_post;
            let establishment = summary.fte() + start.vacancies * times;
            if establishment > crate::scenario::MAX_ESTABLISHMENT {
                return Err(InitError::Empty(format!(
                    "{} holds {:.0} FTE, {:.0} times the census's {:.1} FTE children's social \
                     workers in post at 30 September {year}: with the census's vacancies scaled \
                     alike, more than a scenario may hold ({} FTE). Give the children's social \
                     workers alone",
                    summary.staff_file,
                    summary.fte(),
                    times,
                    start.in_post,
                    crate::scenario::MAX_ESTABLISHMENT
                )));
            }
            if !(0.5..=1.5).contains(&times) {
                summary.warnings.push(format!(
                    "{} holds {:.1} FTE, {} the census's {:.1} FTE children's social workers in \
                     post at 30 September {year}; the census's vacancies, agency and cases are \
                     scaled to the files' staff. If the file holds more (or fewer) than the \
                     children's social workers the census counts, the scenario is of them",
                    summary.staff_file,
                    summary.fte(),
                    if times > 1.0 {
                        format!("{times:.1} times")
                    } else {
                        format!("{:.0}% of", 100.0 * times)
                    },
                    start.in_post
                ));
            }
            Some(summary)
        }
    };
    let warnings = files.as_ref().map_or_else(Vec::new, |f| f.warnings.clone());
    let inputs = Inputs::of(area, year, source, &start, &pooled, &cut, files, pay);
    Ok(Built {
        text: text::write(&inputs),
        council: area.name.clone(),
        as_of: year,
        // From the council's own files, a name of its own, as the scenario's (`text::scenario`).
        file_name: format!(
            "{}-{year}{}.toml",
            slug(&area.name),
            if own.is_some() { "-own-data" } else { "" }
        ),
        warnings,
    })
}

/// The council's published state at 30 September of the origin year.
#[derive(Clone, Debug)]
struct Start {
    in_post: f64,
    vacancies: f64,
    agency: f64,
    /// Agency covering vacancies, when the file has it.
    agency_cover: Option<f64>,
    /// Cases held and case-holding FTE, both above 0; else why the year has none to use.
    cases: Result<(f64, f64), String>,
}

fn start_of(a: &Area, year: i32) -> Result<Start, InitError> {
    let flags = super::flags(a);
    let value = |m: Indicator| -> Option<f64> {
        let y = a.years.iter().find(|y| y.year == year)?;
        if super::left_out(&flags, year, m) {
            return None;
        }
        y.get(m).number().filter(|x| *x >= 0.0)
    };
    let needed = [
        (Indicator::InPost, "FTE in post"),
        (Indicator::Vacancies, "vacancies"),
        (Indicator::Agency, "agency FTE"),
    ];
    let missing: Vec<&str> = needed
        .iter()
        .filter(|(m, _)| value(*m).is_none())
        .map(|(_, label)| *label)
        .collect();
    let in_post = value(Indicator::InPost).unwrap_or(0.0);
    if !missing.is_empty() || in_post < 1.0 {
        return Err(InitError::TooLittle {
            council: a.name.clone(),
            year,
            missing: if missing.is_empty() {
                "no FTE in post".to_string()
            } else {
                format!("no usable {}", missing.join(", "))
            },
        });
    }
    Ok(Start {
        in_post,
        vacancies: value(Indicator::Vacancies).unwrap_or(0.0),
        agency: value(Indicator::Agency).unwrap_or(0.0),
        agency_cover: value(Indicator::AgencyCover),
        cases: cases_of(a, year, &flags),
    })
}

/// A council's cases and case-holding FTE in `year`, or why there are none to use: a figure not
/// published (its DfE symbol), 0, or left out as a reporting artefact (`flags`).
fn cases_of(a: &Area, year: i32, flags: &[super::Flag]) -> Result<(f64, f64), String> {
    let y = a.years.iter().find(|y| y.year == year);
    let one = |m: Indicator| -> Result<f64, String> {
        let column = m.column();
        if super::left_out(flags, year, m) {
            return Err(format!(
                "`{column}` is left out as a reporting artefact (see `wfsim census`)"
            ));
        }
        match y.map(|y| y.get(m)) {
            Some(super::Entry::Number(x)) if *x > 0.0 => Ok(*x),
            Some(super::Entry::Number(_)) => Err(format!("`{column}` is 0")),
            Some(super::Entry::Symbol(s)) if !s.is_empty() => {
                let meaning = super::SYMBOLS
                    .iter()
                    .find(|(symbol, _)| symbol == s)
                    .map_or("", |(_, meaning)| meaning);
                Err(format!("`{column}` is `{s}` ({meaning})"))
            }
            _ => Err(format!("`{column}` is blank")),
        }
    };
    let (cases, holders) = (one(Indicator::Cases), one(Indicator::CaseHolders));
    match (cases, holders) {
        (Ok(c), Ok(h)) => Ok((c, h)),
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
        (Err(a), Err(b)) => Err(format!("{a} and {b}")),
    }
}

/// What every council's years up to the origin say about one factor.
#[derive(Clone, Debug)]
struct Factor {
    estimate: Estimate,
    /// Each council's mean and its number of years, by council name.
    means: Vec<(String, String, f64, usize, f64)>,
    /// England's mean of councils' means.
    england: f64,
    /// The variance of councils' long-run levels about England's mean (beyond what their
    /// means' own error explains).
    between: f64,
}

impl Factor {
    /// The variance of a council's mean of `n` years with mean chance variance `noise`: the
    /// wandering's, inflated by its persistence, plus chance, over `n`.
    fn error(&self, n: usize, noise: f64) -> f64 {
        let s2 = self.estimate.stationary.powi(2);
        let rho = self.estimate.wander.persistence.min(0.9);
        (s2 * (1.0 + rho) / (1.0 - rho) + noise) / n as f64
    }

    /// The mean of the councils of `region` (with at least three councils), else England's.
    fn pool(&self, region: &str) -> (f64, bool) {
        let mine: Vec<f64> = self
            .means
            .iter()
            .filter(|m| m.1 == region)
            .map(|m| m.2)
            .collect();
        if mine.len() >= 3 {
            (mine.iter().sum::<f64>() / mine.len() as f64, true)
        } else {
            (self.england, false)
        }
    }
}

/// The pooled estimates of every factor at the origin, and establishment's growth.
#[derive(Clone, Debug)]
struct Pooled {
    estimates: Estimates,
    leaving: Factor,
    agency: Factor,
    /// Mean yearly change in the logarithm of councils' establishment, and its number of
    /// council-years.
    growth: (f64, usize),
    /// The same for councils' cases held.
    cases_growth: (f64, usize),
}

impl Pooled {
    fn of(c: &Census, year: i32) -> Pooled {
        let estimates = calibrate::estimate(c, year);
        let factor = |f: fn(&Area, i32) -> Option<(f64, f64)>, e: Estimate| {
            let councils: Vec<(&Area, Vec<Point>)> = c
                .areas
                .iter()
                .filter(|a| a.level == Level::Council)
                .map(|a| (a, calibrate::points(a, year, f)))
                .filter(|(_, p)| !p.is_empty())
                .collect();
            let means: Vec<(String, String, f64, usize, f64)> = councils
                .iter()
                .map(|(a, p)| {
                    let n = p.len();
                    let mean = p.iter().map(|q| q.x).sum::<f64>() / n as f64;
                    let noise = p.iter().map(|q| q.noise).sum::<f64>() / n as f64;
                    (a.name.clone(), a.region.clone(), mean, n, noise)
                })
                .collect();
            let england = if means.is_empty() {
                0.0
            } else {
                means.iter().map(|m| m.2).sum::<f64>() / means.len() as f64
            };
            let mut f = Factor {
                estimate: e,
                means,
                england,
                between: 0.0,
            };
            let settled: Vec<&(String, String, f64, usize, f64)> =
                f.means.iter().filter(|m| m.3 >= 3).collect();
            if settled.len() >= 2 {
                let k = settled.len() as f64;
                let centre = settled.iter().map(|m| m.2).sum::<f64>() / k;
                let spread =
                    settled.iter().map(|m| (m.2 - centre).powi(2)).sum::<f64>() / (k - 1.0);
                let error = settled.iter().map(|m| f.error(m.3, m.4)).sum::<f64>() / k;
                f.between = (spread - error).max(0.0);
            }
            f
        };
        Pooled {
            leaving: factor(
                calibrate::leaving,
                estimates[crate::scenario::Factor::Leaving],
            ),
            agency: factor(
                calibrate::agency,
                estimates[crate::scenario::Factor::Agency],
            ),
            growth: growth(c, year, calibrate::establishment),
            cases_growth: growth(c, year, calibrate::cases),
            estimates,
        }
    }
}

/// Mean yearly change of a logarithm (`f`: [`calibrate::establishment`] or [`calibrate::cases`])
/// over every council's consecutive usable years.
fn growth(c: &Census, year: i32, f: fn(&Area, i32) -> Option<(f64, f64)>) -> (f64, usize) {
    let (mut sum, mut n) = (0.0, 0usize);
    for a in c.areas.iter().filter(|a| a.level == Level::Council) {
        let p = calibrate::points(a, year, f);
        for w in p.windows(2) {
            if w[1].year == w[0].year + 1 {
                sum += w[1].x - w[0].x;
                n += 1;
            }
        }
    }
    (if n == 0 { 0.0 } else { sum / n as f64 }, n)
}

/// One factor's level for the council, on the factor's scale, and where it came from.
#[derive(Clone, Debug)]
struct CouncilLevel {
    /// The origin year's value, when usable.
    latest: Option<f64>,
    /// The council's own mean, its years (first, last, count).
    own: Option<(f64, i32, i32, usize)>,
    /// The pool's mean, and whether it is the region's (else England's).
    pool: (f64, bool),
    /// The weight on the council's own mean.
    weight: f64,
    /// The long-run level: `weight x own + (1 - weight) x pool`.
    level: f64,
    persistence: f64,
}

fn level(
    c: &Census,
    a: &Area,
    f: &Factor,
    measure: fn(&Area, i32) -> Option<(f64, f64)>,
) -> CouncilLevel {
    let year = c.span().map_or(0, |s| s.1);
    let points = calibrate::points(a, year, measure);
    let latest = points.iter().find(|p| p.year == year).map(|p| p.x);
    let pool = f.pool(&a.region);
    let persistence = f.estimate.wander.persistence;
    if points.is_empty() {
        return CouncilLevel {
            latest,
            own: None,
            pool,
            weight: 0.0,
            level: pool.0,
            persistence,
        };
    }
    let n = points.len();
    let mean = points.iter().map(|p| p.x).sum::<f64>() / n as f64;
    let noise = points.iter().map(|p| p.noise).sum::<f64>() / n as f64;
    let error = f.error(n, noise);
    let weight = if f.between + error > 0.0 {
        f.between / (f.between + error)
    } else {
        1.0
    };
    CouncilLevel {
        latest,
        own: Some((mean, points[0].year, points[n - 1].year, n)),
        pool,
        weight,
        level: weight * mean + (1.0 - weight) * pool.0,
        persistence,
    }
}

/// Every number of the scenario `init` writes, and what each rests on.
#[derive(Clone, Debug)]
pub struct Inputs {
    pub council: String,
    pub region: String,
    /// The census year the scenario starts from.
    pub year: i32,
    /// The census file, as the scenario's comments name it.
    pub source: String,
    pub start: YearMonth,
    pub end: YearMonth,
    pub in_post: f64,
    pub vacancies: f64,
    pub agency: f64,
    /// Whole workers in post, and how many of them are ASYEs.
    pub permanent: u32,
    pub asye: u32,
    /// Establishment at the start and at the end of the horizon.
    pub establishment: (f64, f64),
    /// Mean yearly growth of log establishment, and the council-years it rests on.
    pub growth: (f64, usize),
    /// Share of vacancies agency covers, and whether the file gave agency covering vacancies.
    pub cover: f64,
    pub cover_column: bool,
    /// The published agency covering vacancies, when it is more than the vacancies or the
    /// agency ([`calibrate::agency_split`] takes at most either).
    pub cover_over: Option<f64>,
    /// Agency FTE beyond vacancies.
    pub extra: f64,
    /// Agency beyond vacancies and the share of vacancies agency covers at the end of the
    /// horizon, and the agency and vacancy rates they make there with the expected staff in post.
    pub extra_to: f64,
    pub cover_to: f64,
    pub rates_to: (f64, f64),
    /// Turnover: its long-run level, the council's latest value, and where the level came from.
    turnover: CouncilLevel,
    /// Hiring capacity, hires a month: at the start, and once turnover has reached its level
    /// ([`CouncilLevel::months_to_level`] months on), where it then stays.
    pub capacity: (f64, f64),
    /// The council's latest starters per FTE in post, for comparison.
    pub starters_rate: Option<f64>,
    pub variation: Estimates,
    /// The cases held and how much of a caseload each FTE holds; else why the scenario has no
    /// `[caseload]`.
    pub caseload: Result<Caseload, String>,
    /// Months of the scenario ([`horizon`]).
    pub horizon: u32,
    /// Pay points and employer National Insurance in force at the start, from the figures file.
    pub pay: figures::Pay,
    pub ni: figures::Ni,
    /// What the council's own files give, when given; `in_post`, `vacancies`, `agency` and the
    /// caseload are then the files' staff and the census's rates scaled to them (`scale`: the
    /// files' FTE over the census's FTE in post; 1 without files).
    pub own: Option<own::Own>,
    pub scale: f64,
    /// The census's own FTE in post, vacancies and agency, for comments.
    pub census: (f64, f64, f64),
}

/// What `init` writes for caseload: the cases the council holds, and the case-holding FTE per
/// FTE that makes its weighted staff at the start the census's case-holders ([`Caseload::of`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Caseload {
    /// Cases held at the start and at the end of the horizon.
    pub cases: (f64, f64),
    /// Caseload (cases per case-holding FTE) at the start, and where it returns to by the end of
    /// the horizon ([`calibrate::Return`]).
    pub caseload: (f64, f64),
    /// Mean yearly change of log cases over every council's consecutive usable years, and its
    /// number of council-years.
    pub growth: (f64, usize),
    /// Case-holding FTE at the start, as the census counts them.
    pub holders: f64,
    /// Case-holding FTE per FTE of every grade and of agency (`caseload_weight`), and of the
    /// ASYEs in their protected year (`protected_weight`), as written.
    pub weight: f64,
    pub protected: f64,
}

impl Caseload {
    /// From cases and case-holding FTE at the start, the whole workers the scenario starts
    /// with (permanent, of whom ASYEs, and agency) and the yearly growth of log cases.
    ///
    /// The census counts case-holders apart from staff in post and agency, so each FTE holds the
    /// share `w` of a full caseload, the same for permanent and agency staff (the census gives
    /// no split), and ASYEs in their protected year [`PROTECTED`] of it: `w` is set so that the
    /// weighted FTE at the start, `w (permanent - ASYEs + agency) + PROTECTED w ASYEs`, is the
    /// census's case-holding FTE, and the model's caseload at the start the census's. Weights
    /// are written to three decimals, and computed from them. `None` when no weight up to
    /// [`MAX_WEIGHT`] gives it (the staff are too few for the case-holders counted).
    pub fn of(
        cases: f64,
        holders: f64,
        permanent: u32,
        asye: u32,
        agency: u32,
        growth: (f64, usize),
        back: Return,
    ) -> Option<Caseload> {
        let staff = f64::from(permanent - asye) + f64::from(agency) + PROTECTED * f64::from(asye);
        let weight = as_written(holders / staff, 3);
        let years = f64::from(MONTHS) / 12.0;
        let now = cases / holders;
        let to = back.after(now, years).max(0.0);
        (staff > 0.0 && weight > 0.0 && weight <= MAX_WEIGHT).then(|| Caseload {
            cases: (cases, cases * (growth.0 * years).exp() * to / now),
            caseload: (now, to),
            growth,
            holders,
            weight,
            protected: as_written(PROTECTED * weight, 3),
        })
    }
}

/// `x` to `places` decimals, as the scenario writes it (the weights to three).
pub(super) fn as_written(x: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (x * k).round() / k
}

/// The share of a full caseload ASYEs hold in their protected year: the DfE's ASYE framework
/// asks for about a 10% reduction in workload (with development time), so 0.9.
pub const PROTECTED: f64 = 0.9;

/// The highest case-holding FTE per FTE a scenario accepts (`caseload_weight`).
pub const MAX_WEIGHT: f64 = crate::scenario::param::WEIGHT.hi;

impl Inputs {
    #[allow(clippy::too_many_arguments)]
    fn of(
        a: &Area,
        year: i32,
        source: &str,
        census_start: &Start,
        p: &Pooled,
        cut: &Census,
        files: Option<council::Summary>,
        pay: figures::Pay,
    ) -> Inputs {
        let start = YearMonth::new(year, 9).unwrap_or(YearMonth::new(2000, 9).expect("a date"));
        let end = start.add_months(MONTHS as i32);
        let turnover = level(cut, a, &p.leaving, calibrate::leaving);
        let (t_level, t_latest) = turnover.rates();
        // With the council's files, its staff are the files' and the census's rates apply to
        // them: vacancies, agency (unless the agency file gives it) and cases in proportion.
        let scale = files
            .as_ref()
            .map_or(1.0, |f| f.fte() / census_start.in_post);
        let s = &match &files {
            None => census_start.clone(),
            Some(f) => Start {
                in_post: f.fte(),
                vacancies: census_start.vacancies * scale,
                agency: f
                    .agency
                    .as_ref()
                    .map_or(census_start.agency * scale, |a| a.fte),
                agency_cover: census_start.agency_cover.map(|c| c * scale),
                cases: census_start
                    .cases
                    .clone()
                    .map(|(c, h)| (c * scale, h * scale)),
            },
        };
        let own = files.map(|f| own::Own::of(f, t_level));
        let permanent = s.in_post.round() as u32;
        let asye = match &own {
            Some(o) => (o.summary.grade(council::Grade::Asye).fte().round() as u32).min(permanent),
            None => ((f64::from(permanent) * ASYE_SHARE).round() as u32).min(permanent),
        };
        let (g, _) = p.growth;
        let grown = (g * f64::from(MONTHS) / 12.0).exp();
        let establishment = s.in_post + s.vacancies;
        let (cover, extra) = if s.vacancies > 0.0 {
            calibrate::agency_split(s.agency, s.vacancies, s.agency_cover)
        } else {
            let agency_level = level(cut, a, &p.agency, calibrate::agency);
            (logistic(agency_level.level), s.agency)
        };
        let at_level = (g * f64::from(turnover.months_to_level()) / 12.0).exp();
        let e = &p.estimates;
        let to = returned(s, grown, cover, e.vacancy_return, e.agency_return);
        let capacity = match own.as_ref().and_then(|o| o.capacity) {
            Some(c) => (c, c),
            None => (
                (t_latest + g) * s.in_post / 12.0,
                (t_level + g) * s.in_post * at_level / 12.0,
            ),
        };
        let agency_whole = s.agency.round() as u32;
        // Agency beyond vacancies such that the model's agency need at the start, from the
        // inputs as the scenario writes them (establishment to 0.1 FTE, agency_cover to 0.001,
        // whole staff in post), is the whole starting agency: else rounding alone released a
        // worker in month 1 (22.6 agency FTE, written as 23, met a need of 22), with a note.
        // The whole workers the model holds at the start: each grade's FTE from the council's
        // files is written to 0.1 and read as whole workers grade by grade.
        let held: f64 = match &own {
            Some(o) => o.grades.iter().map(|g| as_written(g.fte, 1).round()).sum(),
            None => f64::from(permanent),
        };
        let extra = if s.vacancies > 0.0 {
            let vacant = (as_written(establishment, 1) - held).max(0.0);
            (f64::from(agency_whole) - as_written(cover, 3) * vacant).max(0.0)
        } else {
            extra
        };
        let caseload = s.cases.clone().and_then(|(cases, holders)| {
            let back = p.estimates.caseload_return;
            // With case-holding from the staff file, the case-holders are the files' weighted
            // staff, holding the census's caseload.
            let (cases, holders) = match own.as_ref().filter(|o| o.agency_weight.is_some()) {
                Some(o) => {
                    let weighted = own_holders(o, agency_whole);
                    (cases / holders * weighted, weighted)
                }
                None => (cases, holders),
            };
            Caseload::of(
                cases,
                holders,
                permanent,
                asye,
                agency_whole,
                p.cases_growth,
                back,
            )
            .ok_or_else(|| {
                format!(
                    "its {} case-holding FTE are more than {MAX_WEIGHT} times its {} \
                         staff in post and agency",
                    crate::model::format::toml_num(holders, 1),
                    permanent + agency_whole
                )
            })
        });
        Inputs {
            council: a.name.clone(),
            region: a.region.clone(),
            year,
            source: source.to_string(),
            start,
            end,
            in_post: s.in_post,
            vacancies: s.vacancies,
            agency: s.agency,
            permanent,
            asye,
            establishment: (establishment, to.establishment),
            extra_to: to.extra,
            cover_to: to.cover,
            rates_to: (to.agency_rate, to.vacancy_rate),
            growth: p.growth,
            cover,
            cover_column: s.agency_cover.is_some(),
            cover_over: s
                .agency_cover
                .filter(|&c| c > s.agency.min(s.vacancies) && s.vacancies > 0.0),
            extra,
            capacity,
            starters_rate: calibrate::hiring(a, year).map(|(x, _)| x.exp()),
            turnover,
            variation: p.estimates,
            caseload,
            horizon: horizon(start),
            ni: figures::ni(year),
            pay,
            own,
            scale,
            census: (
                census_start.in_post,
                census_start.vacancies,
                census_start.agency,
            ),
        }
    }
}

/// The case-holding FTE the scenario starts with from the staff file's case-holding shares: each
/// grade's whole workers at its share (the ASYEs at [`PROTECTED`] of it in their protected year),
/// and agency at permanent staff's share.
fn own_holders(o: &own::Own, agency: u32) -> f64 {
    let mut h = 0.0;
    for g in &o.grades {
        let w = g.weight.unwrap_or(0.0);
        let k = if g.grade == council::Grade::Asye {
            PROTECTED
        } else {
            1.0
        };
        h += k * w * g.fte.round();
    }
    h + o.agency_weight.unwrap_or(0.0) * f64::from(agency)
}

/// Where establishment and agency go by the end of the horizon ([`returned`]).
struct Returned {
    establishment: f64,
    cover: f64,
    extra: f64,
    agency_rate: f64,
    vacancy_rate: f64,
}

/// Establishment and agency at the end of the horizon, so that with staff in post grown as
/// establishment grows (`grown` times the start) the council's agency and vacancy rates close the
/// share of their gap from the mean over councils that councils on their side of it closed each
/// year ([`calibrate::Return`]). The vacancy rate's return moves establishment (from its growth
/// alone); the agency rate's moves agency beyond vacancies, and where that would fall below 0,
/// the share of vacancies agency covers (`cover` at the start) instead. `s` has FTE in post
/// ([`start_of`] refuses a council without).
fn returned(s: &Start, grown: f64, cover: f64, vacancy: Return, agency: Return) -> Returned {
    let years = f64::from(MONTHS) / 12.0;
    let start = s.in_post + s.vacancies;
    let in_post = s.in_post * grown;
    let vacancy_rate = vacancy
        .after(s.vacancies / start, years)
        .clamp(0.0, MAX_RATE);
    let agency_rate = agency
        .after(s.agency / (s.agency + s.in_post), years)
        .clamp(0.0, MAX_RATE);
    let establishment = in_post / (1.0 - vacancy_rate);
    let agency = agency_rate / (1.0 - agency_rate) * in_post;
    let vacancies = establishment - in_post;
    let (cover, extra) = if agency >= cover * vacancies {
        (cover, agency - cover * vacancies)
    } else {
        ((agency / vacancies).min(1.0), 0.0)
    };
    Returned {
        establishment,
        cover,
        extra,
        agency_rate,
        vacancy_rate,
    }
}

/// The highest agency or vacancy rate `init` projects a return to.
const MAX_RATE: f64 = 0.9;

impl CouncilLevel {
    /// The level and the latest value as rates (the level where there is no usable latest
    /// value).
    fn rates(&self) -> (f64, f64) {
        let level = logistic(self.level);
        (level, self.latest.map_or(level, logistic))
    }

    /// Months for turnover to move from its latest value to its level along a straight line:
    /// `12 / (1 - persistence)`, so that a year on the share `persistence` of the gap is left on
    /// average, as in the census. Leaving and hiring capacity move together over them.
    fn months_to_level(&self) -> u32 {
        ((12.0 / (1.0 - self.persistence.min(0.95))).round() as u32).clamp(1, MONTHS)
    }
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// The annual leaving rate whose hazard gives turnover `t` (leavers over staff in post) when
/// leavers are replaced: `1 - e^-t`.
fn leaving_rate(t: f64) -> f64 {
    1.0 - (-t).exp()
}

/// The monthly chance of filling a vacancy when the council can hire: councils take 55.4 days on
/// average from advert to offer [figures time_to_hire.councils_average_days, verified], so
/// `1 - e^(-30.4 / 55.4)`.
const FILL_PROBABILITY: f64 = 0.422;

/// Share of a council's permanent staff in their ASYE year [assumption]: no published figure.
const ASYE_SHARE: f64 = 0.10;

fn slug(name: &str) -> String {
    let mut s = String::new();
    for ch in name.to_lowercase().chars() {
        if ch.is_ascii_alphanumeric() {
            s.push(ch);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    s.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_return_towards_the_mean_by_the_horizon() {
        // 900 in post, 385.7 vacancies (a vacancy rate of 30%) and 300 agency (an agency rate of
        // 25%); agency starts covering half the vacancies (cover 0.5).
        let s = Start {
            in_post: 900.0,
            vacancies: 900.0 * 0.3 / 0.7,
            agency: 300.0,
            agency_cover: None,
            cases: Err(String::new()),
        };
        let r = |mean, above| Return {
            mean,
            above,
            below: 0.0,
            pairs: (30, 30),
        };
        // Both rates close half their gap from a mean of 10% a year: after 3 years an eighth is
        // left. Vacancies 10% + 20% / 8 = 12.5%, so establishment 900 / 0.875; agency 10% + 15% / 8
        // = 11.875%, so 0.11875 / 0.88125 x 900 agency, of which 0.5 x the vacancies cover them.
        let to = returned(&s, 1.0, 0.5, r(0.1, 0.5), r(0.1, 0.5));
        assert!((to.vacancy_rate - 0.125).abs() < 1e-12);
        assert!((to.establishment - 900.0 / 0.875).abs() < 1e-9);
        assert!((to.agency_rate - 0.118_75).abs() < 1e-12);
        let agency = 0.118_75 / 0.881_25 * 900.0;
        let vacancies = 900.0 / 0.875 - 900.0;
        assert_eq!(to.cover, 0.5);
        assert!((to.extra - (agency - 0.5 * vacancies)).abs() < 1e-9);
        // Staff in post grown by a tenth: establishment and agency grow with them.
        let grown = returned(&s, 1.1, 0.5, r(0.1, 0.5), r(0.1, 0.5));
        assert!((grown.establishment - 990.0 / 0.875).abs() < 1e-9);
        // Agency falling to 2% is less than half the vacancies: cover takes it all, none beyond.
        let low = returned(&s, 1.0, 0.5, r(0.1, 0.5), r(0.02, 1.0));
        assert_eq!((low.agency_rate, low.extra), (0.02, 0.0));
        assert!((low.cover - 0.02 / 0.98 * 900.0 / vacancies).abs() < 1e-12);
        // Nothing closed: the rates hold, and agency still covers half the vacancies.
        let held = returned(&s, 1.0, 0.5, r(0.1, 0.0), r(0.1, 0.0));
        assert!((held.establishment - (900.0 + s.vacancies)).abs() < 1e-9);
        assert!((held.agency_rate - 0.25).abs() < 1e-12);
        assert_eq!(held.cover, 0.5);
    }

    #[test]
    fn caseload_weights_make_the_census_case_holders_and_cases_return_with_the_caseload() {
        // 1,800 cases held by 100 case-holding FTE (a caseload of 18), 90 in post of whom 9
        // ASYEs, and 10 agency: the weighted staff 81 + 10 + 0.9 x 9 = 99.1, so each FTE holds
        // 100 / 99.1 = 1.009 of a full caseload, and ASYEs in their protected year 0.9 x 1.009.
        let back = Return {
            mean: 16.0,
            above: 0.5,
            below: 0.1,
            pairs: (30, 30),
        };
        let growth = (1.02f64.ln(), 50);
        let c = Caseload::of(1800.0, 100.0, 90, 9, 10, growth, back).unwrap();
        assert_eq!((c.weight, c.protected, c.holders), (1.009, 0.908, 100.0));
        // The caseload closes half its gap of 2 above the mean a year: 16 + 2 / 8 = 16.25 after
        // three years. Cases grow 2% a year and move with it: 1800 x 1.02^3 x 16.25 / 18.
        assert_eq!(c.caseload, (18.0, 16.25));
        let to = 1800.0 * 1.02f64.powi(3) * 16.25 / 18.0;
        assert_eq!(c.cases.0, 1800.0);
        assert!((c.cases.1 - to).abs() < 1e-9, "{c:?}");
        assert_eq!(c.growth, growth);
        // Nothing returns and nothing grows: the cases hold.
        let held = Caseload::of(1800.0, 100.0, 90, 9, 10, (0.0, 0), Return::default()).unwrap();
        assert_eq!(held.cases, (1800.0, 1800.0));
        // More case-holders than twice the weighted staff: no weight a scenario allows gives
        // them.
        assert_eq!(Caseload::of(1800.0, 250.0, 90, 9, 10, growth, back), None);
    }

    #[test]
    fn names_and_rates() {
        assert_eq!(slug("Bristol, City of"), "bristol-city-of");
        assert_eq!(slug("St. Helens"), "st-helens");
        // Turnover 20% from a leaving rate of 1 - e^-0.2 = 18.1%.
        assert!((leaving_rate(0.2) - 0.181_269).abs() < 1e-6);
        // Level 10%, latest 20%, persistence 0.5.
        let l = CouncilLevel {
            latest: Some((0.2f64 / 0.8).ln()),
            own: None,
            pool: (0.0, false),
            weight: 0.0,
            level: (0.1f64 / 0.9).ln(),
            persistence: 0.5,
        };
        let (level, latest) = l.rates();
        assert!((level - 0.1).abs() < 1e-12 && (latest - 0.2).abs() < 1e-12);
        // The straight line to the level takes 24 months, so a year on half the gap is left
        // (15%), as persistence 0.5 says; very persistent turnover is capped at the horizon.
        let months = f64::from(l.months_to_level());
        assert_eq!(months, 24.0);
        assert!((latest + (level - latest) * 12.0 / months - 0.15).abs() < 1e-12);
        let slow = CouncilLevel {
            persistence: 0.95,
            ..l
        };
        assert_eq!(slow.months_to_level(), MONTHS);
    }
}
