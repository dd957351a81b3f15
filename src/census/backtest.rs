//! How far wfsim's ranges can be trusted: `wfsim backtest`.
//!
//! A committee paper that quotes a 90% range should be able to say how often such ranges have
//! held what really happened. For every council and every origin year, the backtest builds the
//! scenario `wfsim init --as-of ORIGIN` would write (from the census as published by then),
//! projects its baseline, and scores the projection against what the census published at each
//! later 30 September: agency rate, vacancy rate, turnover, FTE in post and caseload (cases per
//! case-holding FTE, where the census has cases at the origin). Beside it, a forecast of "no
//! change" is scored the same way (see [`NoChange`]).

use rayon::prelude::*;
use serde::Serialize;

use super::{Area, Census, Indicator, Level, Published, calibrate};
use crate::model::metric::Metric;
use crate::scenario::diag::Source;
use crate::sim::engine::{self, Shared};
use crate::sim::run::Progress;
use crate::stats::rng::{RepStream, fnv1a};
use crate::stats::score;

/// The figures scored, each a census measure and the metric that follows its definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scored {
    AgencyRate,
    VacancyRate,
    Turnover,
    InPost,
    Caseload,
}

impl Scored {
    pub const ALL: [Scored; 5] = [
        Scored::AgencyRate,
        Scored::VacancyRate,
        Scored::Turnover,
        Scored::InPost,
        Scored::Caseload,
    ];

    pub fn indicator(self) -> Indicator {
        match self {
            Scored::AgencyRate => Indicator::AgencyRate,
            Scored::VacancyRate => Indicator::VacancyRate,
            Scored::Turnover => Indicator::Turnover,
            Scored::InPost => Indicator::InPost,
            Scored::Caseload => Indicator::Caseload,
        }
    }

    pub fn metric(self) -> Metric {
        match self {
            Scored::AgencyRate => Metric::AgencyShare,
            Scored::VacancyRate => Metric::VacancyRate,
            Scored::Turnover => Metric::TurnoverRate12m,
            Scored::InPost => Metric::PermanentFte,
            Scored::Caseload => Metric::Caseload,
        }
    }

    /// Its name in files (`agency_rate`, ...).
    pub fn key(self) -> &'static str {
        match self {
            Scored::AgencyRate => "agency_rate",
            Scored::VacancyRate => "vacancy_rate",
            Scored::Turnover => "turnover",
            Scored::InPost => "fte_in_post",
            Scored::Caseload => "caseload",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Scored::AgencyRate => "agency rate",
            Scored::VacancyRate => "vacancy rate",
            Scored::Turnover => "turnover",
            Scored::InPost => "FTE in post",
            Scored::Caseload => "caseload",
        }
    }

    /// A share (0-1), which moves by points; else a count (FTE in post) or a caseload (cases per
    /// case-holding FTE), which move in proportion.
    pub fn is_rate(self) -> bool {
        matches!(
            self,
            Scored::AgencyRate | Scored::VacancyRate | Scored::Turnover
        )
    }
}

/// What to backtest.
#[derive(Clone, Debug)]
pub struct Config {
    /// Origin years, first and last.
    pub origins: (i32, i32),
    /// Years ahead scored (1 to 3).
    pub years: u32,
    /// Councils to score (as `wfsim census` finds them); empty: every council.
    pub councils: Vec<String>,
    pub replications: u32,
    pub seed: u64,
}

/// The central ranges whose coverage the reliability chart shows: 10% to 90%.
pub const LEVELS: [f64; 9] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/// One council, origin, figure and year ahead: the projection against what was published.
#[derive(Clone, Debug, Serialize)]
pub struct Case {
    pub council: String,
    pub code: String,
    pub region: String,
    pub origin: i32,
    pub measure: Scored,
    /// Years ahead (1 is the next 30 September).
    pub years: u32,
    pub actual: f64,
    /// The published value at the origin.
    pub at_origin: f64,
    pub p05: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
    pub pit: f64,
    pub crps: f64,
    /// The CRPS of "no change".
    pub crps_no_change: f64,
    /// Whether each central range of [`LEVELS`] holds the actual value.
    #[serde(skip)]
    pub covered: [bool; 9],
}

/// A council and origin not scored, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    pub council: String,
    pub origin: i32,
    pub reason: String,
}

/// The scores of one figure at one number of years ahead, over every case.
#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    pub measure: Scored,
    pub years: u32,
    pub cases: usize,
    /// Share of cases inside the 50% and 90% ranges.
    pub within_50: f64,
    pub within_90: f64,
    /// Mean width of the 90% range, in the figure's unit.
    pub width_90: f64,
    pub crps: f64,
    pub crps_no_change: f64,
    /// `1 - crps / crps_no_change`: the share by which wfsim's score beats no change.
    pub skill: f64,
    /// Mean of median minus actual, in the figure's unit.
    pub bias: f64,
    /// PIT counts in ten bins from 0 to 1.
    pub pit: Vec<usize>,
    /// Coverage of each central range of [`LEVELS`].
    pub coverage: Vec<f64>,
}

/// A whole backtest.
#[derive(Clone, Debug, Serialize)]
pub struct Backtest {
    pub census_file: String,
    pub census_sha256: String,
    pub origins: (i32, i32),
    pub years: u32,
    pub replications: u32,
    pub seed: u64,
    pub councils: usize,
    pub cells: Vec<Cell>,
    pub cases: Vec<Case>,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, thiserror::Error)]
pub enum BacktestError {
    #[error(transparent)]
    Census(#[from] super::CensusError),
    #[error("{0}")]
    Config(String),
    #[error(
        "the scenario init built for {council} at {origin} does not load (a fault in wfsim): {message}"
    )]
    Built {
        council: String,
        origin: i32,
        message: String,
    },
    #[error("interrupted after {done} of {total} councils and origins; nothing was written")]
    Interrupted { done: usize, total: usize },
}

/// The backtest of `cfg` on `census`.
pub fn run(
    census: &Census,
    cfg: &Config,
    progress: &dyn Progress,
) -> Result<Backtest, BacktestError> {
    let (first, last) = census.span().unwrap_or((0, 0));
    if !(1..=3).contains(&cfg.years) {
        return Err(BacktestError::Config(format!(
            "--years is {}; it must be 1, 2 or 3",
            cfg.years
        )));
    }
    if cfg.origins.0 > cfg.origins.1 || cfg.origins.0 <= first || cfg.origins.1 >= last {
        return Err(BacktestError::Config(format!(
            "--origins {}..{} must lie after the census's first year {first} (its history) and \
             before its last year {last} (what is scored)",
            cfg.origins.0, cfg.origins.1
        )));
    }
    if cfg.replications < 20 || cfg.replications > crate::scenario::MAX_REPLICATIONS {
        return Err(BacktestError::Config(format!(
            "--reps is {}; give 20 to {} (a backtest needs at least 20 replications for its \
             ranges, and takes at most as many as `run`)",
            cfg.replications,
            crate::scenario::MAX_REPLICATIONS
        )));
    }
    let areas: Vec<&Area> = if cfg.councils.is_empty() {
        census
            .areas
            .iter()
            .filter(|a| a.level == Level::Council)
            .collect()
    } else {
        let mut v = Vec::new();
        for q in &cfg.councils {
            let a = census.find(q)?;
            if a.level != Level::Council {
                return Err(BacktestError::Config(format!(
                    "`{}` is not a council; --council names councils",
                    a.name
                )));
            }
            // `v` holds one area for each query before `q`, in order.
            if let Some(i) = v.iter().position(|b: &&Area| std::ptr::eq(*b, a)) {
                return Err(BacktestError::Config(format!(
                    "--council {} and --council {q} both name {}; name each council once",
                    cfg.councils[i], a.name
                )));
            }
            v.push(a);
        }
        v
    };
    let origins: Vec<i32> = (cfg.origins.0..=cfg.origins.1).collect();
    let changes: Vec<NoChange> = origins
        .iter()
        .map(|&o| NoChange::of(census, o, cfg.years))
        .collect();
    let jobs: Vec<(&Area, usize)> = areas
        .iter()
        .flat_map(|a| (0..origins.len()).map(move |o| (*a, o)))
        .collect();
    progress.start(jobs.len() as u64);
    let done: Vec<Option<Result<Job, BacktestError>>> = jobs
        .par_iter()
        .map(|&(a, o)| {
            if progress.cancelled() {
                return None;
            }
            let r = job(census, a, origins[o], &changes[o], cfg, progress)?;
            progress.advance(1);
            Some(r)
        })
        .collect();
    progress.finish();
    // A stop asked for while the last jobs ran still stops the backtest: nothing is written.
    if progress.cancelled() && !done.is_empty() {
        let finished = done.iter().filter(|d| d.is_some()).count();
        return Err(BacktestError::Interrupted {
            done: finished,
            total: jobs.len(),
        });
    }
    let mut cases = Vec::new();
    let mut skipped = Vec::new();
    let finished = done.iter().filter(|d| d.is_some()).count();
    for d in done {
        match d {
            None => {
                return Err(BacktestError::Interrupted {
                    done: finished,
                    total: jobs.len(),
                });
            }
            Some(Err(e)) => return Err(e),
            Some(Ok(Job::Scored(c))) => cases.extend(c),
            Some(Ok(Job::Skipped(s))) => skipped.push(s),
        }
    }
    let cells = Scored::ALL
        .iter()
        .flat_map(|&m| (1..=cfg.years).map(move |y| (m, y)))
        .map(|(m, y)| cell(&cases, m, y))
        .collect();
    Ok(Backtest {
        census_file: census.file.clone(),
        census_sha256: census.sha256.clone(),
        origins: cfg.origins,
        years: cfg.years,
        replications: cfg.replications,
        seed: cfg.seed,
        councils: areas.len(),
        cells,
        cases,
        skipped,
    })
}

enum Job {
    Scored(Vec<Case>),
    Skipped(Skipped),
}

/// A replication stream for a council and origin of its own, so that councils' errors are not
/// tied together by shared random numbers.
fn job_seed(seed: u64, a: &Area, origin: i32) -> u64 {
    let h = fnv1a(a.code.bytes().chain(a.name.bytes()));
    seed ^ h ^ (origin as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn job(
    census: &Census,
    a: &Area,
    origin: i32,
    changes: &NoChange,
    cfg: &Config,
    progress: &dyn Progress,
) -> Option<Result<Job, BacktestError>> {
    let query = if a.code.is_empty() { &a.name } else { &a.code };
    let built = match super::init::build(census, query, Some(origin), &census.file) {
        Ok(b) => b,
        Err(e) => {
            return Some(Ok(Job::Skipped(Skipped {
                council: a.name.clone(),
                origin,
                reason: e.to_string(),
            })));
        }
    };
    let s = match crate::scenario::parse(&Source::new(built.file_name.clone(), built.text)) {
        Ok(s) => s,
        Err(e) => {
            return Some(Err(BacktestError::Built {
                council: a.name.clone(),
                origin,
                message: e.to_string(),
            }));
        }
    };
    let spec = &s.variants[0].spec;
    let months = 12 * cfg.years as usize;
    let seed = job_seed(cfg.seed, a, origin);
    let n = cfg.replications as usize;
    // values[measure][years - 1][replication]
    let mut values = vec![vec![Vec::with_capacity(n); cfg.years as usize]; Scored::ALL.len()];
    let mut shared = Shared::new(RepStream::new(seed, 0));
    for rep in 0..cfg.replications {
        // Ctrl-C stops within a few hundred replications, not at the end of the projection.
        if rep % STOP_CHECK == 0 && progress.cancelled() {
            return None;
        }
        shared.renew(RepStream::new(seed, u64::from(rep)));
        let r = engine::simulate_with(spec, s.start, months, &mut shared, None);
        for (mi, m) in Scored::ALL.iter().enumerate() {
            for y in 1..=cfg.years as usize {
                values[mi][y - 1].push(r.metric(m.metric(), 12 * y));
            }
        }
    }
    let published = Published::of(census, a);
    let value = |year: i32, m: Scored| -> Option<f64> {
        let (e, mark) = published.marked(year, m.indicator())?;
        if mark == "*" { None } else { e.number() }
    };
    let mut cases = Vec::new();
    for (mi, &m) in Scored::ALL.iter().enumerate() {
        // Caseload only where the scenario holds cases (init writes none where the census has no
        // usable cases at the origin).
        if !s.reports(m.metric()) {
            continue;
        }
        let Some(at_origin) = value(origin, m) else {
            continue;
        };
        for y in 1..=cfg.years {
            let Some(actual) = value(origin + y as i32, m) else {
                continue;
            };
            let mut xs = std::mem::take(&mut values[mi][y as usize - 1]);
            xs.sort_by(f64::total_cmp);
            let q = |p: f64| crate::stats::quantile_sorted(&xs, p);
            let nc = changes.ensemble(m, y, at_origin);
            let mut covered = [false; 9];
            for (c, &level) in covered.iter_mut().zip(&LEVELS) {
                *c = score::covers(&xs, level, actual);
            }
            cases.push(Case {
                council: a.name.clone(),
                code: a.code.clone(),
                region: a.region.clone(),
                origin,
                measure: m,
                years: y,
                actual,
                at_origin,
                p05: q(0.05),
                p25: q(0.25),
                p50: q(0.5),
                p75: q(0.75),
                p95: q(0.95),
                pit: score::pit(&xs, actual),
                crps: score::crps(&xs, actual),
                crps_no_change: score::crps(&nc, actual),
                covered,
            });
        }
    }
    Some(Ok(Job::Scored(cases)))
}

/// Replications of one council and origin between checks for a request to stop.
const STOP_CHECK: u32 = 256;

/// The forecast of "no change" at an origin: the published value at the origin, spread by the
/// changes every council showed over the same number of years in the census up to the origin
/// (all pairs of years `t` and `t + h` with `t + h` no later than the origin, councils of at
/// least 20 FTE in post, values not left out). Rates change by points; FTE in post and caseload
/// by their logarithm (in proportion). Where the census before the origin has no `h`-year changes, the
/// 1-year changes times the square root of `h` stand in.
#[derive(Clone, Debug)]
pub struct NoChange {
    /// `by[measure][years - 1]`: the changes.
    by: Vec<Vec<Vec<f64>>>,
}

impl NoChange {
    pub fn of(c: &Census, origin: i32, years: u32) -> NoChange {
        let councils: Vec<&Area> = c
            .areas
            .iter()
            .filter(|a| a.level == Level::Council)
            .collect();
        let by = Scored::ALL
            .iter()
            .map(|&m| {
                let diffs = |h: i32| -> Vec<f64> {
                    let mut d = Vec::new();
                    for a in &councils {
                        for y in &a.years {
                            let t = y.year;
                            if t + h > origin {
                                continue;
                            }
                            let (Some(x0), Some(x1)) = (
                                calibrate::usable(a, t, m.indicator()),
                                calibrate::usable(a, t + h, m.indicator()),
                            ) else {
                                continue;
                            };
                            if m.is_rate() {
                                d.push(x1 - x0);
                            } else if x0 > 0.0 && x1 > 0.0 {
                                d.push((x1 / x0).ln());
                            }
                        }
                    }
                    d
                };
                let one = diffs(1);
                (1..=years as i32)
                    .map(|h| {
                        let d = diffs(h);
                        if d.is_empty() {
                            let k = f64::from(h).sqrt();
                            one.iter().map(|x| x * k).collect()
                        } else {
                            d
                        }
                    })
                    .collect()
            })
            .collect();
        NoChange { by }
    }

    /// The ensemble for `measure`, `years` ahead, from the published `at_origin`, sorted.
    pub fn ensemble(&self, m: Scored, years: u32, at_origin: f64) -> Vec<f64> {
        let i = Scored::ALL.iter().position(|x| *x == m).unwrap_or(0);
        let mut v: Vec<f64> = self.by[i][years as usize - 1]
            .iter()
            .map(|d| {
                if m.is_rate() {
                    (at_origin + d).clamp(0.0, 1.0)
                } else {
                    at_origin * d.exp()
                }
            })
            .collect();
        if v.is_empty() {
            v.push(at_origin);
        }
        v.sort_by(f64::total_cmp);
        v
    }
}

/// The scores of `measure` at `years` ahead over `cases`.
pub fn cell(cases: &[Case], measure: Scored, years: u32) -> Cell {
    let c: Vec<&Case> = cases
        .iter()
        .filter(|c| c.measure == measure && c.years == years)
        .collect();
    let n = c.len();
    let mean = |f: &dyn Fn(&Case) -> f64| -> f64 {
        if n == 0 {
            f64::NAN
        } else {
            c.iter().map(|x| f(x)).sum::<f64>() / n as f64
        }
    };
    let share = |f: &dyn Fn(&Case) -> bool| mean(&|x| if f(x) { 1.0 } else { 0.0 });
    let crps = mean(&|x| x.crps);
    let crps_no_change = mean(&|x| x.crps_no_change);
    let pits: Vec<f64> = c.iter().map(|x| x.pit).collect();
    Cell {
        measure,
        years,
        cases: n,
        within_50: share(&|x| x.p25 <= x.actual && x.actual <= x.p75),
        within_90: share(&|x| x.p05 <= x.actual && x.actual <= x.p95),
        width_90: mean(&|x| x.p95 - x.p05),
        crps,
        crps_no_change,
        skill: 1.0 - crps / crps_no_change,
        bias: mean(&|x| x.p50 - x.actual),
        pit: score::histogram(&pits, 10),
        coverage: (0..LEVELS.len())
            .map(|i| share(&|x| x.covered[i]))
            .collect(),
    }
}

/// One row of the shipped scores: how often the default backtest's 90% ranges held the published
/// figure, for one figure at one number of years ahead.
#[derive(Clone, Debug, PartialEq)]
pub struct Quoted {
    pub measure: Scored,
    pub years: u32,
    pub cases: usize,
    pub origins: String,
    pub within_90: f64,
}

const SHIPPED_SCORES: &str = include_str!("../../assets/backtest/scores.csv");

/// The scores of the default backtest that wfsim ships (`assets/backtest/scores.csv`, written by
/// `wfsim backtest`), for the report to quote. Rows it cannot read are left out.
pub fn shipped_scores() -> Vec<Quoted> {
    let mut r = ::csv::Reader::from_reader(SHIPPED_SCORES.as_bytes());
    r.records()
        .filter_map(|rec| {
            let rec = rec.ok()?;
            let key = rec.get(0)?;
            let measure = Scored::ALL.into_iter().find(|m| m.key() == key)?;
            Some(Quoted {
                measure,
                years: rec.get(1)?.parse().ok()?,
                cases: rec.get(2)?.parse().ok()?,
                origins: rec.get(3)?.replace("..", "-"),
                within_90: rec.get(5)?.parse().ok()?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_scores_cover_every_figure_and_year() {
        let q = shipped_scores();
        assert_eq!(q.len(), 3 * Scored::ALL.len());
        for m in Scored::ALL {
            for y in 1..=3 {
                let row = q.iter().find(|r| r.measure == m && r.years == y).unwrap();
                assert!(row.cases > 500 && (0.0..=1.0).contains(&row.within_90));
                assert_eq!(row.origins, "2019-2022");
            }
        }
    }
}
