//! Runs every option of a scenario over many replications in parallel and aggregates the results.
//!
//! Replications run in chunks on rayon's pool; each replication simulates the baseline and every
//! option on the same random stream (common random numbers). Within a chunk, each task simulates a
//! group of consecutive replications and reduces them, while they are in cache, to cell-by-cell
//! values, totals and counts. Groups are collected in replication order and every sketch receives
//! its values in that order, so the output is byte-identical for any thread count.

use rayon::prelude::*;
use serde::Serialize;

use crate::model::comparison::Measure;
use crate::model::cost::{ByComponent, Component, CostRow};
use crate::model::date::{FinancialYear, YearMonth, financial_years};
use crate::model::metric::Metric;
use crate::scenario::{MAX_MONTHS, MAX_REPLICATIONS, Scenario, Target};
use crate::sim::compare::Compared;
use crate::sim::engine::{self, RepResult};
use crate::sim::rng::RepStream;
use crate::stats::finance::{break_even_month, discount_factors, npv};
use crate::stats::{Probability, Sketch, Summary};

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

/// Reports progress in replications (the binary shows it as a progress bar) and carries requests
/// to stop (Ctrl-C), checked between chunks of replications.
pub trait Progress: Sync {
    fn start(&self, _total: u64) {}
    fn advance(&self, _n: u64) {}
    fn finish(&self) {}
    fn cancelled(&self) -> bool {
        false
    }
}

/// Progress that goes nowhere.
pub struct NoProgress;
impl Progress for NoProgress {}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Config(String),
    #[error("interrupted after {done} of {total} replications; nothing was written")]
    Interrupted { done: u32, total: u32 },
    #[error(
        "option `{option}` produced an impossible value for `{metric}` in month {month} (replication {replication}): {value}; \
         this is a fault in wfsim or an extreme input (check the scenario's distributions), and no results were written"
    )]
    InvalidNumber {
        option: String,
        metric: String,
        month: usize,
        replication: u32,
        value: f64,
    },
    #[error("cannot start {threads} worker threads")]
    Threads {
        threads: usize,
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
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
    pub costs: Vec<ByComponent<Summary>>,
    pub npv: Summary,
    pub agency_fte_months: Summary,
    /// Paired differences from the baseline; empty for the baseline itself.
    pub comparison: Vec<Compared>,
}

/// Everything a run produced.
#[derive(Clone, Debug)]
pub struct Results {
    pub scenario: String,
    /// The scenario's one-line description.
    pub description: String,
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
    /// Grade names as the scenario gives them, in the same order as `grade_slugs`.
    pub grade_names: Vec<String>,
    pub targets: Vec<Target>,
    pub financial_years: Vec<FinancialYear>,
    pub variants: Vec<VariantResults>,
    pub notes: Vec<String>,
    /// Inputs stated in the scenario file with their sources.
    pub assumptions: Vec<crate::scenario::assumptions::Assumption>,
}

impl Results {
    pub fn date(&self, month: usize) -> YearMonth {
        self.start.add_months(month as i32)
    }

    pub fn metric_name(&self, m: Metric) -> String {
        m.name(&self.grade_slugs)
    }
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

/// Replications simulated between folds: large enough to keep both cores busy and to fold each
/// sketch many values at a time, small enough that the chunk's values (about 17 KB per
/// replication and option) stay well under 100 MB.
const CHUNK: u32 = 512;

/// Runs the scenario: every variant, every replication.
pub fn run(s: &Scenario, cfg: &RunConfig, progress: &dyn Progress) -> Result<Results, RunError> {
    validate(s, cfg)?;
    match cfg.threads {
        Some(t) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .map_err(|source| RunError::Threads { threads: t, source })?;
            pool.install(|| run_in_pool(s, cfg, progress))
        }
        None => run_in_pool(s, cfg, progress),
    }
}

/// Simulates one replication of every variant on the same random stream, computing once what
/// depends on that stream alone (`engine::Shared`).
pub fn simulate_replication(s: &Scenario, seed: u64, rep: u64, months: usize) -> Vec<RepResult> {
    let mut common = engine::Shared::new(RepStream::new(seed, rep));
    let mut out = Vec::new();
    simulate_variants_into(s, months, &mut common, &mut out);
    out
}

/// Every variant on the stream of `common`, into `out`, reusing its memory.
fn simulate_variants_into(
    s: &Scenario,
    months: usize,
    common: &mut engine::Shared,
    out: &mut Vec<RepResult>,
) {
    out.resize_with(s.variants.len(), RepResult::default);
    for (v, r) in s.variants.iter().zip(out.iter_mut()) {
        engine::simulate_into(&v.spec, s.start, months, common, None, r);
    }
}

/// Per-replication totals of one variant.
struct Scalars {
    /// `[year or total][component]`.
    costs: Vec<CostRow>,
    npv: f64,
    agency_months: f64,
    permanent_months: f64,
    targets: Vec<f64>,
}

fn scalars(r: &RepResult, s: &Scenario, fys: &[FinancialYear], discount: &[f64]) -> Scalars {
    let months = r.months;
    let mut costs = vec![CostRow::default(); fys.len() + 1];
    for (yi, fy) in fys.iter().enumerate() {
        for m in fy.first_month..=fy.last_month {
            costs[yi].add(&r.costs[m]);
        }
    }
    for m in 1..=months {
        costs[fys.len()].add(&r.costs[m]);
    }
    Scalars {
        costs,
        npv: npv(r.costs.iter().map(|c| c[Component::Total]), discount),
        agency_months: (1..=months).map(|m| r.metric(Metric::AgencyFte, m)).sum(),
        permanent_months: (1..=months)
            .map(|m| r.metric(Metric::PermanentFte, m))
            .sum(),
        targets: s
            .targets
            .iter()
            .map(|t| r.metric(t.metric, t.month))
            .collect(),
    }
}

/// A paired difference being accumulated: its sketch and how often the option was better.
struct Diff {
    measure: Measure,
    lower_is_better: bool,
    sketch: Sketch,
    better: u64,
}

impl Diff {
    fn new(measure: Measure, lower_is_better: bool) -> Diff {
        Diff {
            measure,
            lower_is_better,
            sketch: Sketch::new(),
            better: 0,
        }
    }

    fn add(&mut self, d: f64) {
        self.sketch.add(d);
        if (self.lower_is_better && d < 0.0) || (!self.lower_is_better && d > 0.0) {
            self.better += 1;
        }
    }
}

/// Everything accumulated for one variant but its trajectories' sketches (`trajs` in
/// `run_in_pool`, kept apart so that both are filled at once); memory does not grow with
/// replications.
struct VariantAcc {
    target_values: Vec<Sketch>,
    target_met: Vec<u64>,
    /// `[target][month]` replications meeting the condition.
    target_months: Vec<Vec<u64>>,
    /// `[year or total][component]`.
    costs: Vec<ByComponent<Sketch>>,
    npv: Sketch,
    agency_months: Sketch,
    /// Paired differences from the baseline, in output order (empty for the baseline).
    diffs: Vec<Diff>,
    break_even: Sketch,
}

impl VariantAcc {
    fn new(s: &Scenario, fys: &[FinancialYear], months: usize, baseline: bool) -> VariantAcc {
        let nt = s.targets.len();
        // The paired differences: every measure but break-even and the ratios, which are
        // derived from them.
        let diffs = if baseline {
            Vec::new()
        } else {
            Measure::all(fys.len(), nt)
                .into_iter()
                .filter(|m| *m != Measure::BreakEvenMonth && !m.is_ratio())
                .map(|m| {
                    let lower_is_better = match m {
                        Measure::TargetDiff(i) => s.targets[i].at_most,
                        Measure::PermanentFteMonthsDiff => false,
                        _ => true,
                    };
                    Diff::new(m, lower_is_better)
                })
                .collect()
        };
        VariantAcc {
            target_values: (0..nt).map(|_| Sketch::new()).collect(),
            target_met: vec![0; nt],
            target_months: vec![vec![0; months + 1]; nt],
            costs: (0..=fys.len())
                .map(|_| ByComponent(std::array::from_fn(|_| Sketch::new())))
                .collect(),
            npv: Sketch::new(),
            agency_months: Sketch::new(),
            diffs,
            break_even: Sketch::new(),
        }
    }

    /// Adds a chunk's groups of replications of variant `v` (all but the trajectories, see
    /// `add_trajectory`), in replication order.
    fn add_chunk(&mut self, s: &Scenario, v: usize, groups: &[Group]) {
        let nt = s.targets.len();
        for g in groups {
            for (ti, row) in self.target_months.iter_mut().enumerate() {
                let h = row.len();
                let counts = &g.target_months[(v * nt + ti) * h..][..h];
                for (total, count) in row.iter_mut().zip(counts) {
                    *total += count;
                }
            }
            for (totals, break_even) in g.totals.iter().zip(&g.break_even) {
                self.add_scalars(s, v, totals, break_even[v]);
            }
        }
    }

    /// Adds one replication's totals and, for an option, its paired differences from the baseline.
    fn add_scalars(
        &mut self,
        s: &Scenario,
        v: usize,
        totals: &[Scalars],
        break_even: Option<usize>,
    ) {
        let own = &totals[v];
        for (ti, t) in s.targets.iter().enumerate() {
            self.target_values[ti].add(own.targets[ti]);
            self.target_met[ti] += u64::from(t.met(own.targets[ti]));
        }
        for (yi, per) in own.costs.iter().enumerate() {
            for (c, x) in per.iter() {
                self.costs[yi][c].add(*x);
            }
        }
        self.npv.add(own.npv);
        self.agency_months.add(own.agency_months);
        if v == 0 {
            return;
        }
        let base = &totals[0];
        for d in &mut self.diffs {
            d.add(difference(d.measure, own, base));
        }
        if let Some(be) = break_even {
            self.break_even.add(be as f64);
        }
    }
}

/// A paired difference of one replication's totals: the option's less the baseline's.
fn difference(m: Measure, own: &Scalars, base: &Scalars) -> f64 {
    let total = own.costs.len() - 1;
    let t = Component::Total;
    match m {
        Measure::CostDiffTotal => own.costs[total][t] - base.costs[total][t],
        Measure::CostDiffYear(y) => own.costs[y][t] - base.costs[y][t],
        Measure::ComponentDiff(c) => own.costs[total][c] - base.costs[total][c],
        Measure::NpvDiff => own.npv - base.npv,
        Measure::AgencyFteMonthsDiff => own.agency_months - base.agency_months,
        Measure::PermanentFteMonthsDiff => own.permanent_months - base.permanent_months,
        Measure::TargetDiff(i) => own.targets[i] - base.targets[i],
        Measure::BreakEvenMonth
        | Measure::CostPerAgencyFteYearAvoided
        | Measure::CostPerExtraPermanentFteYear => f64::NAN,
    }
}

/// Adds a chunk's values of one metric `m` of one variant, whose cells start at `cell0` (see
/// `Group::values`), to its month-by-month sketches, in replication order.
fn add_trajectory(
    m: &Metric,
    cell0: usize,
    groups: &[Group],
    cells: &mut [Sketch],
    by_month: &mut Vec<f64>,
) {
    // First the metric's values are gathered month by month into one buffer, reading each
    // group's months in one sequential sweep; then each month's sketch, which stays in cache,
    // receives its values in replication order.
    let reps: usize = groups.iter().map(|g| g.reps).sum();
    let h = cells.len();
    // Every element is written below; the buffer is the thread's, reused from task to task.
    by_month.resize(h * reps, 0.0);
    let mut first = 0;
    for g in groups {
        let slab = &g.values[cell0 * GROUP..(cell0 + h) * GROUP];
        if g.reps == GROUP {
            // A whole group's cell is one fixed-size copy, which compiles to a few moves instead
            // of a call to `memmove` for every cell.
            for (month, values) in slab.chunks_exact(GROUP).enumerate() {
                let from: &[f64; GROUP] = values.try_into().expect("a cell");
                let to: &mut [f64; GROUP] = (&mut by_month[month * reps + first..][..GROUP])
                    .try_into()
                    .expect("a group's slice");
                *to = *from;
            }
        } else {
            for (month, values) in slab.chunks_exact(GROUP).enumerate() {
                by_month[month * reps + first..][..g.reps].copy_from_slice(&values[..g.reps]);
            }
        }
        first += g.reps;
    }
    for (month, sketch) in cells.iter_mut().enumerate().skip(m.first_month()) {
        sketch.warm();
        sketch.add_all(&by_month[month * reps..(month + 1) * reps]);
    }
}

/// The first value of a replication that no metric can take (see `Metric::bounds`).
fn impossible(s: &Scenario, metrics: &[Metric], reps: &[RepResult], rep: u32) -> Option<RunError> {
    for (v, r) in reps.iter().enumerate() {
        for m in metrics {
            let (lo, hi) = m.bounds();
            for month in m.first_month()..=r.months {
                let x = r.metric(*m, month);
                if !(lo <= x && x <= hi) {
                    return Some(RunError::InvalidNumber {
                        option: s.variants[v].name.clone(),
                        metric: m.name(&s.grade_slugs()),
                        month,
                        replication: rep,
                        value: x,
                    });
                }
            }
        }
        for (month, c) in r.costs.iter().enumerate() {
            if let Some(x) = c.0.iter().find(|x| !x.is_finite()) {
                return Some(RunError::InvalidNumber {
                    option: s.variants[v].name.clone(),
                    metric: "cost".into(),
                    month,
                    replication: rep,
                    value: *x,
                });
            }
        }
    }
    None
}

/// Replications one task simulates one after another. Their results are reduced where they were
/// simulated, while still in cache, to what the ordered fold needs (a `Group`).
const GROUP: usize = 8;

/// What a group of up to `GROUP` consecutive replications hands to the ordered fold.
#[derive(Default)]
struct Group {
    /// Replications in the group (the last group of a run may have fewer than `GROUP`).
    reps: usize,
    /// Every metric's values cell by cell: `values[cell * GROUP + k]` is replication `k`'s, where
    /// `cell = (variant * metrics + metric) * (months + 1) + month`. A cell's values are
    /// adjacent (64 bytes), so the fold reads them together.
    values: Vec<f64>,
    /// `totals[k][variant]`.
    totals: Vec<Vec<Scalars>>,
    /// `break_even[k][variant]`: the month an option's cumulative extra cost last turns
    /// negative (None for the baseline, and for an option that never breaks even).
    break_even: Vec<Vec<Option<usize>>>,
    /// `target_months[(variant * targets + target) * (months + 1) + month]`: replications of
    /// the group meeting the target in that month (a count, so adding them in any order is
    /// exact).
    target_months: Vec<u64>,
}

/// A task's working memory, reused from one group to the next while the task runs (and not kept
/// with every group: a group's replications' results are about 1 MB at 120 months, which would
/// be held for each of a chunk's 64 groups).
#[derive(Default)]
struct Scratch {
    /// What the variants of a replication share, renewed for each replication (`Shared::renew`).
    common: Option<engine::Shared>,
    /// `results[k]`: the variants of the group's replication `k`, kept until the group's values
    /// are laid out together.
    results: Vec<Vec<RepResult>>,
}

/// The fixed inputs of every group of a run.
struct Plan<'a> {
    s: &'a Scenario,
    seed: u64,
    months: usize,
    metrics: &'a [Metric],
    /// Per metric: the values it can take (`Metric::bounds`) and its first month.
    bounds: &'a [(f64, f64, usize)],
    fys: &'a [FinancialYear],
    discount: &'a [f64],
}

/// Simulates replications `first..first + reps` and reduces them into `g`, whose memory is
/// reused from the previous chunk, working in `scratch`; the first impossible value, in
/// replication order, is an error.
fn simulate_group(
    p: &Plan,
    first: u32,
    reps: usize,
    g: &mut Group,
    scratch: &mut Scratch,
) -> Result<(), RunError> {
    let s = p.s;
    let (h, nm, nt) = (p.months + 1, p.metrics.len(), s.targets.len());
    g.reps = reps;
    // Every cell a sketch reads is written below: each metric from its first month, for the
    // group's replications (`add_trajectory` reads no others).
    g.values.resize(s.variants.len() * nm * h * GROUP, 0.0);
    g.totals.clear();
    g.break_even.clear();
    g.target_months.clear();
    g.target_months.resize(s.variants.len() * nt * h, 0);
    scratch.results.resize_with(GROUP, Vec::new);
    // Whether replication `k`'s values are all possible.
    let mut ok = [true; GROUP];
    for (k, (results, ok)) in scratch
        .results
        .iter_mut()
        .zip(&mut ok)
        .take(reps)
        .enumerate()
    {
        let rep = first + k as u32;
        let stream = RepStream::new(p.seed, u64::from(rep));
        let common = scratch
            .common
            .get_or_insert_with(|| engine::Shared::new(stream));
        common.renew(stream);
        simulate_variants_into(s, p.months, common, results);
        let results = &*results;
        *ok = results
            .iter()
            .all(|r| r.costs.iter().all(|c| c.0.iter().all(|x| x.is_finite())));
        for (v, r) in results.iter().enumerate() {
            for (ti, t) in s.targets.iter().enumerate() {
                let row = &mut g.target_months[(v * nt + ti) * h..][..h];
                for (month, count) in row.iter_mut().enumerate().skip(t.metric.first_month()) {
                    *count += u64::from(t.met(r.metric(t.metric, month)));
                }
            }
        }
        g.totals.push(
            results
                .iter()
                .map(|r| scalars(r, s, p.fys, p.discount))
                .collect(),
        );
        g.break_even.push(
            results
                .iter()
                .enumerate()
                .map(|(v, r)| {
                    if v == 0 {
                        return None;
                    }
                    let diff: Vec<f64> = r
                        .costs
                        .iter()
                        .zip(&results[0].costs)
                        .map(|(a, b)| a[Component::Total] - b[Component::Total])
                        .collect();
                    break_even_month(&diff)
                })
                .collect(),
        );
    }
    // The values are laid out cell by cell once the group's replications are simulated, so that
    // each cell's `GROUP` values (one cache line) are written together, not one by each
    // replication in turn: a group's cells do not stay in cache from one replication to the next.
    for v in 0..s.variants.len() {
        let rows: Vec<&[f64]> = scratch.results[..reps]
            .iter()
            .map(|r| &r[v].metrics[..])
            .collect();
        // Metric `mi` (`p.metrics[mi].index() == mi`) from its first month; one first defined
        // after the horizon (turnover over 12 months in a shorter run) has no values.
        for (mi, &(lo, hi, first_month)) in p.bounds.iter().enumerate() {
            let cell0 = (v * nm + mi) * h;
            for month in first_month..h {
                let line = &mut g.values[(cell0 + month) * GROUP..][..reps];
                for ((to, row), ok) in line.iter_mut().zip(&rows).zip(ok.iter_mut()) {
                    let x = row[month * nm + mi];
                    *ok &= lo <= x && x <= hi;
                    *to = x;
                }
            }
        }
    }
    // The first impossible value, in replication order.
    for (k, &ok) in ok[..reps].iter().enumerate() {
        if !ok && let Some(e) = impossible(s, p.metrics, &scratch.results[k], first + k as u32) {
            return Err(e);
        }
    }
    Ok(())
}

fn run_in_pool(
    s: &Scenario,
    cfg: &RunConfig,
    progress: &dyn Progress,
) -> Result<Results, RunError> {
    let months = cfg.months as usize;
    let metrics = s.metrics();
    let fys = financial_years(s.start, months);
    let discount = discount_factors(s.baseline().costs.discount_rate, months);
    let mut accs: Vec<VariantAcc> = (0..s.variants.len())
        .map(|v| VariantAcc::new(s, &fys, months, v == 0))
        .collect();
    // `trajs[variant][metric][month]`, apart from `accs` so that both fill at once.
    let mut trajs: Vec<Vec<Vec<Sketch>>> = (0..s.variants.len())
        .map(|_| {
            (0..metrics.len())
                .map(|_| (0..=months).map(|_| Sketch::new()).collect())
                .collect()
        })
        .collect();
    let bounds: Vec<(f64, f64, usize)> = metrics
        .iter()
        .map(|&m| {
            let (lo, hi) = m.bounds();
            (lo, hi, m.first_month())
        })
        .collect();
    let plan = Plan {
        s,
        seed: cfg.seed,
        months,
        metrics: &metrics,
        bounds: &bounds,
        fys: &fys,
        discount: &discount,
    };
    progress.start(u64::from(cfg.replications));
    // The chunk's groups, whose memory each chunk reuses.
    let mut groups: Vec<Group> = Vec::new();
    let mut lo = 0;
    while lo < cfg.replications {
        let hi = (lo + CHUNK).min(cfg.replications);
        if progress.cancelled() {
            progress.finish();
            return Err(RunError::Interrupted {
                done: lo,
                total: cfg.replications,
            });
        }
        let n = (hi - lo) as usize;
        groups.resize_with(n.div_ceil(GROUP), Group::default);
        let done: Vec<Result<(), RunError>> = groups
            .par_iter_mut()
            .enumerate()
            .map_init(Scratch::default, |scratch, (gi, g)| {
                let first = gi * GROUP;
                simulate_group(&plan, lo + first as u32, GROUP.min(n - first), g, scratch)
            })
            .collect();
        // The first impossible value in replication order.
        if let Some(Err(e)) = done.into_iter().find(Result::is_err) {
            progress.finish();
            return Err(e);
        }
        // Every sketch receives the chunk's values in replication order; the sketches of different
        // options and metrics, and the options' totals, are filled in parallel, all at once.
        let nm = metrics.len();
        let mut tasks: Vec<(usize, &Metric, &mut Vec<Sketch>)> = Vec::new();
        for (v, traj) in trajs.iter_mut().enumerate() {
            for (mi, cells) in traj.iter_mut().enumerate() {
                tasks.push(((v * nm + mi) * (months + 1), &metrics[mi], cells));
            }
        }
        rayon::join(
            || {
                tasks
                    .par_iter_mut()
                    .for_each_init(Vec::new, |by_month, (cell0, m, cells)| {
                        add_trajectory(m, *cell0, &groups, cells, by_month)
                    })
            },
            || {
                accs.par_iter_mut()
                    .enumerate()
                    .for_each(|(v, acc)| acc.add_chunk(s, v, &groups))
            },
        );
        progress.advance(u64::from(hi - lo));
        lo = hi;
    }
    progress.finish();
    Ok(finish(s, cfg, metrics, fys, accs, trajs))
}

fn finish(
    s: &Scenario,
    cfg: &RunConfig,
    metrics: Vec<Metric>,
    fys: Vec<FinancialYear>,
    accs: Vec<VariantAcc>,
    trajs: Vec<Vec<Vec<Sketch>>>,
) -> Results {
    let n = cfg.replications as usize;
    let months = cfg.months as usize;
    let mut variants = Vec::new();
    for ((var, acc), traj) in s.variants.iter().zip(&accs).zip(&trajs) {
        // Summaries sort each sketch's buckets: metrics in parallel, collected in order.
        let trajectories = metrics
            .par_iter()
            .enumerate()
            .map(|(mi, m)| {
                (0..=months)
                    .map(|month| (month >= m.first_month()).then(|| traj[mi][month].summary()))
                    .collect()
            })
            .collect();
        let targets = s
            .targets
            .iter()
            .enumerate()
            .map(|(ti, t)| TargetResult {
                name: t.name.clone(),
                met: Probability::of(acc.target_met[ti] as usize, n),
                value: acc.target_values[ti].summary(),
                by_month: acc.target_months[ti]
                    .iter()
                    .map(|&c| c as f64 / n as f64)
                    .collect(),
            })
            .collect();
        let costs = acc
            .costs
            .iter()
            .map(|per| per.map(Sketch::summary))
            .collect();
        variants.push(VariantResults {
            name: var.name.clone(),
            description: var.description.clone(),
            trajectories,
            targets,
            costs,
            npv: acc.npv.summary(),
            agency_fte_months: acc.agency_months.summary(),
            comparison: comparison(s, &fys, acc, n),
        });
    }
    Results {
        scenario: s.name.clone(),
        description: s.description.clone(),
        file: s.file.clone(),
        input_hash: s.input_hash.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        seed: cfg.seed,
        replications: cfg.replications,
        months: cfg.months,
        start: s.start,
        discount_rate: s.baseline().costs.discount_rate,
        metrics,
        grade_slugs: s.grade_slugs(),
        grade_names: s.baseline().grades.iter().map(|g| g.name.clone()).collect(),
        targets: s.targets.clone(),
        financial_years: fys,
        variants,
        notes: s.notes.clone(),
        assumptions: s.assumptions.clone(),
    }
}

/// An option's comparison with the baseline, every measure in output order.
fn comparison(s: &Scenario, fys: &[FinancialYear], acc: &VariantAcc, n: usize) -> Vec<Compared> {
    if acc.diffs.is_empty() {
        return Vec::new();
    }
    let targets: Vec<&str> = s.targets.iter().map(|t| t.name.as_str()).collect();
    let diff = |m: Measure| acc.diffs.iter().find(|d| d.measure == m);
    let mean_of = |m: Measure| diff(m).map_or(f64::NAN, |d| d.sketch.mean());
    let cost = mean_of(Measure::CostDiffTotal);
    let agency_years = mean_of(Measure::AgencyFteMonthsDiff) / 12.0;
    let permanent_years = mean_of(Measure::PermanentFteMonthsDiff) / 12.0;
    let be = &acc.break_even;
    Measure::all(fys.len(), targets.len())
        .into_iter()
        .map(|m| {
            let name = m.key(fys, &targets);
            match m {
                Measure::BreakEvenMonth => Compared {
                    measure: m,
                    name,
                    summary: (be.count() > 0).then(|| be.summary()),
                    mean: (be.count() > 0).then(|| be.mean()),
                    prob_better: Some(be.count() as f64 / n as f64),
                },
                Measure::CostPerAgencyFteYearAvoided => Compared::ratio(
                    m,
                    name,
                    (agency_years.abs() > 1e-9).then(|| cost / -agency_years),
                ),
                Measure::CostPerExtraPermanentFteYear => Compared::ratio(
                    m,
                    name,
                    (permanent_years.abs() > 1e-9).then(|| cost / permanent_years),
                ),
                _ => {
                    let d = diff(m).expect("every paired measure is accumulated");
                    Compared {
                        measure: m,
                        name,
                        summary: Some(d.sketch.summary()),
                        mean: Some(d.sketch.mean()),
                        prob_better: Some(d.better as f64 / n as f64),
                    }
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prob_better_counts_strict_improvements_only() {
        let mut lower = Diff::new(Measure::CostDiffTotal, true);
        let mut higher = Diff::new(Measure::PermanentFteMonthsDiff, false);
        for d in [-1.0, 0.0, 2.0, -3.0] {
            lower.add(d);
            higher.add(d);
        }
        assert_eq!(lower.better, 2);
        assert_eq!(higher.better, 1);
        assert_eq!(lower.sketch.mean(), -0.5);
    }
}
