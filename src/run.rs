//! Runs every option of a scenario over many replications in parallel and aggregates the results.
//!
//! Replications run in chunks on rayon's pool; each replication simulates the baseline and every
//! option on the same random stream (common random numbers). Chunk results are collected in
//! replication order and folded sequentially, so the output is byte-identical for any thread count.

use rayon::prelude::*;
use serde::Serialize;

use crate::compare::{Measure, break_even_month, npv};
use crate::date::{YearMonth, financial_year_label};
use crate::engine::{self, COMPONENTS, N_COMPONENTS, RepResult, TOTAL};
use crate::metric::Metric;
use crate::rng::RepStream;
use crate::scenario::{MAX_MONTHS, MAX_REPLICATIONS, Scenario, Target};
use crate::stats::{Probability, Summary};

/// How many replications, with which seed, over how many months, on how many threads.
#[derive(Clone, Debug)]
pub struct RunConfig {
    pub replications: u32,
    pub seed: u64,
    pub months: u32,
    /// `None`: one thread per core.
    pub threads: Option<usize>,
}

impl RunConfig {
    /// The scenario's own defaults.
    pub fn from_scenario(s: &Scenario) -> RunConfig {
        RunConfig {
            replications: s.replications,
            seed: s.seed,
            months: s.months,
            threads: None,
        }
    }
}

/// Reports progress in replications; the binary shows it as a progress bar.
pub trait Progress: Sync {
    fn start(&self, _total: u64) {}
    fn advance(&self, _n: u64) {}
    fn finish(&self) {}
}

/// Progress that goes nowhere.
pub struct NoProgress;
impl Progress for NoProgress {}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Config(String),
    #[error("cannot start {threads} worker threads")]
    Threads {
        threads: usize,
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
}

/// A financial year (April to March) within the horizon.
#[derive(Clone, Debug, Serialize)]
pub struct FinancialYear {
    pub label: String,
    pub first_month: usize,
    pub last_month: usize,
    /// True if the horizon covers only part of the year.
    pub partial: bool,
}

/// Results of one target for one option.
#[derive(Clone, Debug, Serialize)]
pub struct TargetResult {
    pub name: String,
    /// Probability the target is met at its deadline.
    pub met: Probability,
    /// The metric at the deadline across replications.
    pub value: Summary,
    /// Probability the target's condition holds at each month (from its metric's first month).
    pub by_month: Vec<f64>,
}

/// Results of the baseline or one option.
#[derive(Clone, Debug)]
pub struct VariantResults {
    pub name: String,
    pub description: String,
    /// `trajectories[metric.index()][month]`, `None` before the metric's first month.
    pub trajectories: Vec<Vec<Option<Summary>>>,
    pub targets: Vec<TargetResult>,
    /// `costs[year][component]` for each financial year, then the whole horizon last.
    pub costs: Vec<Vec<Summary>>,
    pub npv: Summary,
    pub agency_fte_months: Summary,
    /// Paired differences from the baseline; empty for the baseline itself.
    pub comparison: Vec<Measure>,
}

/// Everything a run produced.
#[derive(Clone, Debug)]
pub struct Results {
    pub scenario: String,
    pub file: String,
    pub input_hash: String,
    pub version: String,
    pub seed: u64,
    pub replications: u32,
    pub months: u32,
    pub start: YearMonth,
    pub discount_rate: f64,
    pub metrics: Vec<Metric>,
    pub grade_slugs: Vec<String>,
    pub targets: Vec<Target>,
    pub financial_years: Vec<FinancialYear>,
    pub variants: Vec<VariantResults>,
    pub notes: Vec<String>,
}

impl Results {
    pub fn date(&self, month: usize) -> YearMonth {
        self.start.add_months(month as i32)
    }

    pub fn metric_name(&self, m: Metric) -> String {
        m.name(&self.grade_slugs)
    }
}

/// The financial years that months 1..=`months` after `start` fall in.
pub fn financial_years(start: YearMonth, months: usize) -> Vec<FinancialYear> {
    let mut out: Vec<FinancialYear> = Vec::new();
    for m in 1..=months {
        let fy = start.add_months(m as i32).financial_year();
        let label = financial_year_label(fy);
        match out.last_mut() {
            Some(last) if last.label == label => last.last_month = m,
            _ => out.push(FinancialYear {
                label,
                first_month: m,
                last_month: m,
                partial: false,
            }),
        }
    }
    for fy in &mut out {
        fy.partial = fy.last_month + 1 - fy.first_month < 12;
    }
    out
}

/// Checks a run's settings against the scenario.
pub fn validate(s: &Scenario, cfg: &RunConfig) -> Result<(), RunError> {
    if cfg.replications == 0 || cfg.replications > MAX_REPLICATIONS {
        return Err(RunError::Config(format!(
            "replications must be from 1 to {MAX_REPLICATIONS}; got {}",
            cfg.replications
        )));
    }
    if cfg.months == 0 || cfg.months > MAX_MONTHS {
        return Err(RunError::Config(format!(
            "months must be from 1 to {MAX_MONTHS}; got {}",
            cfg.months
        )));
    }
    if cfg.threads == Some(0) {
        return Err(RunError::Config("threads must be at least 1".into()));
    }
    for t in &s.targets {
        if t.month > cfg.months as usize {
            return Err(RunError::Config(format!(
                "target `{}` has its deadline {} after the last simulated month {}; run at least {} months",
                t.name,
                t.by,
                s.date(cfg.months as usize),
                t.month
            )));
        }
    }
    Ok(())
}

const CHUNK: u32 = 256;

/// Runs the scenario: every variant, every replication.
pub fn run(s: &Scenario, cfg: &RunConfig, progress: &dyn Progress) -> Result<Results, RunError> {
    validate(s, cfg)?;
    match cfg.threads {
        Some(t) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .map_err(|source| RunError::Threads { threads: t, source })?;
            Ok(pool.install(|| run_in_pool(s, cfg, progress)))
        }
        None => Ok(run_in_pool(s, cfg, progress)),
    }
}

/// Simulates one replication of every variant on the same random stream.
pub fn simulate_replication(s: &Scenario, seed: u64, rep: u64, months: usize) -> Vec<RepResult> {
    let stream = RepStream::new(seed, rep);
    s.variants
        .iter()
        .map(|v| engine::simulate(&v.spec, s.start, months, &stream, None))
        .collect()
}

struct Accum {
    /// `[variant][metric][month]` values across replications.
    values: Vec<Vec<Vec<Vec<f64>>>>,
    /// `[variant][target]` metric at the deadline.
    target_values: Vec<Vec<Vec<f64>>>,
    /// `[variant][target][month]` replications meeting the condition.
    target_months: Vec<Vec<Vec<usize>>>,
    /// `[variant][year or total][component]`.
    costs: Vec<Vec<Vec<Vec<f64>>>>,
    npv: Vec<Vec<f64>>,
    agency_months: Vec<Vec<f64>>,
    permanent_months: Vec<Vec<f64>>,
    /// `[variant]` break-even months of replications that break even.
    break_even: Vec<Vec<f64>>,
    /// `[variant][month]` monthly total cost, kept only for the current replication.
    monthly_totals: Vec<Vec<f64>>,
}

fn run_in_pool(s: &Scenario, cfg: &RunConfig, progress: &dyn Progress) -> Results {
    let months = cfg.months as usize;
    let metrics = s.metrics();
    let fys = financial_years(s.start, months);
    let nv = s.variants.len();
    let nt = s.targets.len();
    let mut acc = Accum {
        values: vec![vec![vec![Vec::new(); months + 1]; metrics.len()]; nv],
        target_values: vec![vec![Vec::new(); nt]; nv],
        target_months: vec![vec![vec![0; months + 1]; nt]; nv],
        costs: vec![vec![vec![Vec::new(); N_COMPONENTS]; fys.len() + 1]; nv],
        npv: vec![Vec::new(); nv],
        agency_months: vec![Vec::new(); nv],
        permanent_months: vec![Vec::new(); nv],
        break_even: vec![Vec::new(); nv],
        monthly_totals: vec![vec![0.0; months + 1]; nv],
    };
    let discount = s.baseline().costs.discount_rate;
    progress.start(u64::from(cfg.replications));
    let mut lo = 0;
    while lo < cfg.replications {
        let hi = (lo + CHUNK).min(cfg.replications);
        let chunk: Vec<Vec<RepResult>> = (lo..hi)
            .into_par_iter()
            .map(|rep| simulate_replication(s, cfg.seed, u64::from(rep), months))
            .collect();
        for reps in &chunk {
            fold(&mut acc, s, &metrics, &fys, discount, reps);
        }
        progress.advance(u64::from(hi - lo));
        lo = hi;
    }
    progress.finish();
    finish(s, cfg, metrics, fys, acc)
}

fn fold(
    acc: &mut Accum,
    s: &Scenario,
    metrics: &[Metric],
    fys: &[FinancialYear],
    discount: f64,
    reps: &[RepResult],
) {
    for (v, r) in reps.iter().enumerate() {
        let months = r.months;
        for m in metrics {
            for month in m.first_month()..=months {
                acc.values[v][m.index()][month].push(r.metric(*m, month));
            }
        }
        for (ti, t) in s.targets.iter().enumerate() {
            acc.target_values[v][ti].push(r.metric(t.metric, t.month));
            for month in t.metric.first_month()..=months {
                if t.met(r.metric(t.metric, month)) {
                    acc.target_months[v][ti][month] += 1;
                }
            }
        }
        for (yi, fy) in fys.iter().enumerate() {
            for c in 0..N_COMPONENTS {
                let total: f64 = (fy.first_month..=fy.last_month)
                    .map(|m| r.costs[m][c])
                    .sum();
                acc.costs[v][yi][c].push(total);
            }
        }
        for c in 0..N_COMPONENTS {
            let total: f64 = (1..=months).map(|m| r.costs[m][c]).sum();
            acc.costs[v][fys.len()][c].push(total);
        }
        for (m, slot) in acc.monthly_totals[v].iter_mut().enumerate() {
            *slot = r.costs[m][TOTAL];
        }
        acc.npv[v].push(npv(&acc.monthly_totals[v], discount));
        acc.agency_months[v].push((1..=months).map(|m| r.metric(Metric::AgencyFte, m)).sum());
        acc.permanent_months[v].push(
            (1..=months)
                .map(|m| r.metric(Metric::PermanentFte, m))
                .sum(),
        );
        if v > 0 {
            let diff: Vec<f64> = acc.monthly_totals[v]
                .iter()
                .zip(&acc.monthly_totals[0])
                .map(|(a, b)| a - b)
                .collect();
            if let Some(be) = break_even_month(&diff) {
                acc.break_even[v].push(be as f64);
            }
        }
    }
}

fn finish(
    s: &Scenario,
    cfg: &RunConfig,
    metrics: Vec<Metric>,
    fys: Vec<FinancialYear>,
    acc: Accum,
) -> Results {
    let n = cfg.replications as usize;
    let months = cfg.months as usize;
    let slugs = s.grade_slugs();
    let mut variants = Vec::new();
    for (v, var) in s.variants.iter().enumerate() {
        let trajectories = metrics
            .iter()
            .map(|m| {
                (0..=months)
                    .map(|month| {
                        (month >= m.first_month())
                            .then(|| Summary::of(&acc.values[v][m.index()][month]))
                    })
                    .collect()
            })
            .collect();
        let targets = s
            .targets
            .iter()
            .enumerate()
            .map(|(ti, t)| TargetResult {
                name: t.name.clone(),
                met: Probability::of(
                    acc.target_values[v][ti]
                        .iter()
                        .filter(|&&x| t.met(x))
                        .count(),
                    n,
                ),
                value: Summary::of(&acc.target_values[v][ti]),
                by_month: acc.target_months[v][ti]
                    .iter()
                    .map(|&c| c as f64 / n as f64)
                    .collect(),
            })
            .collect();
        let costs = acc.costs[v]
            .iter()
            .map(|per| per.iter().map(|vals| Summary::of(vals)).collect())
            .collect();
        let comparison = if v == 0 {
            Vec::new()
        } else {
            compare(s, &fys, &acc, v, n)
        };
        variants.push(VariantResults {
            name: var.name.clone(),
            description: var.description.clone(),
            trajectories,
            targets,
            costs,
            npv: Summary::of(&acc.npv[v]),
            agency_fte_months: Summary::of(&acc.agency_months[v]),
            comparison,
        });
    }
    Results {
        scenario: s.name.clone(),
        file: s.file.clone(),
        input_hash: s.input_hash.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        seed: cfg.seed,
        replications: cfg.replications,
        months: cfg.months,
        start: s.start,
        discount_rate: s.baseline().costs.discount_rate,
        metrics,
        grade_slugs: slugs,
        targets: s.targets.clone(),
        financial_years: fys,
        variants,
        notes: s.notes.clone(),
    }
}

fn diffs(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

fn compare(s: &Scenario, fys: &[FinancialYear], acc: &Accum, v: usize, n: usize) -> Vec<Measure> {
    let total = fys.len();
    let mut out = Vec::new();
    let cost_diff = diffs(&acc.costs[v][total][TOTAL], &acc.costs[0][total][TOTAL]);
    out.push(Measure::diff("cost_diff_total", &cost_diff, true));
    for (yi, fy) in fys.iter().enumerate() {
        let d = diffs(&acc.costs[v][yi][TOTAL], &acc.costs[0][yi][TOTAL]);
        out.push(Measure::diff(format!("cost_diff_{}", fy.label), &d, true));
    }
    for (c, name) in COMPONENTS.iter().enumerate().take(TOTAL) {
        let d = diffs(&acc.costs[v][total][c], &acc.costs[0][total][c]);
        out.push(Measure::diff(format!("{name}_diff_total"), &d, true));
    }
    out.push(Measure::diff(
        "npv_diff",
        &diffs(&acc.npv[v], &acc.npv[0]),
        true,
    ));
    let agency = diffs(&acc.agency_months[v], &acc.agency_months[0]);
    out.push(Measure::diff("agency_fte_months_diff", &agency, true));
    let permanent = diffs(&acc.permanent_months[v], &acc.permanent_months[0]);
    out.push(Measure::diff(
        "permanent_fte_months_diff",
        &permanent,
        false,
    ));
    let be = &acc.break_even[v];
    out.push(Measure {
        measure: "break_even_month".into(),
        summary: (!be.is_empty()).then(|| Summary::of(be)),
        mean: (!be.is_empty()).then(|| Summary::of(be).mean),
        prob_better: Some(be.len() as f64 / n as f64),
    });
    for (ti, t) in s.targets.iter().enumerate() {
        let d = diffs(&acc.target_values[v][ti], &acc.target_values[0][ti]);
        out.push(Measure::diff(
            format!("target_{}_diff", t.name),
            &d,
            t.at_most,
        ));
    }
    let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    let years = |fte_months: f64| fte_months / 12.0;
    let avoided = -years(mean(&agency));
    out.push(Measure::ratio(
        "cost_per_agency_fte_year_avoided",
        (avoided.abs() > 1e-9).then(|| mean(&cost_diff) / avoided),
    ));
    let extra = years(mean(&permanent));
    out.push(Measure::ratio(
        "cost_per_extra_permanent_fte_year",
        (extra.abs() > 1e-9).then(|| mean(&cost_diff) / extra),
    ));
    out
}
