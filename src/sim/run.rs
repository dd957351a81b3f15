//! Runs every option of a scenario over many replications in parallel and aggregates the results.
//!
//! Replications run in chunks on rayon's pool; each replication simulates the baseline and every
//! option on the same random stream (common random numbers). Within a chunk, each task simulates a
//! group of consecutive replications and reduces them, while they are in cache, to cell-by-cell
//! values, totals and counts. Groups are collected in replication order and every sketch receives
//! its values in that order, so the output is byte-identical for any thread count.
//!
//! For `run`'s report, the first `Settings::without_rules` replications also simulate each option
//! with the 2024 agency rules in force again without them, on the replication's stream, and keep
//! each pair's agency FTE and spend (`aggregate::RulesPair`): what the rules change.

use std::sync::Arc;

use rayon::prelude::*;

use super::aggregate::{
    GROUP, Group, RulesPair, Scalars, VariantAcc, add_trajectory, finish, scalars,
};
pub use super::config::{
    RULES_EFFECT_REPLICATIONS, RunConfig, Settings, payback_months, rules_effect_months,
};
pub use super::results::{Results, RulesEffect, TargetResult, VariantResults};
use crate::model::cost::Component;
use crate::model::date::{FinancialYear, YearMonth, YearSpan, financial_years};
use crate::model::metric::Metric;
use crate::scenario::{MAX_MONTHS, MAX_REPLICATIONS, Scenario, Spec};
use crate::sim::engine::{self, RepResult};
use crate::stats::Sketch;
use crate::stats::finance::{break_even_month, discount_factors};
use crate::stats::rng::RepStream;

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

/// Checks a run's settings against the scenario, once, into [`Settings`]: the counts in range, the
/// year span parsed against the horizon, the worker threads started.
pub fn settle(s: &Scenario, cfg: &RunConfig) -> Result<Settings, RunError> {
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
    let span = span(s, cfg)?;
    Ok(Settings {
        replications: cfg.replications,
        seed: cfg.seed,
        months: cfg.months,
        span,
        pool: pool(cfg.threads)?.map(Arc::new),
        without_rules: 0,
        keep_costs: false,
    })
}

/// [`settle`], and, where some option has the 2024 agency rules in force within the horizon, the
/// first `min(replications, RULES_EFFECT_REPLICATIONS)` replications of each such option run
/// again with the rules set aside (`Settings::without_rules`), for what the rules change: as
/// `wfsim run` settles, for its report. The decision tools and the `serve` page use `settle`,
/// and are not slowed by it.
pub fn settle_comparing_rules(s: &Scenario, cfg: &RunConfig) -> Result<Settings, RunError> {
    let mut settled = settle(s, cfg)?;
    if s.variants
        .iter()
        .any(|v| rules_in_force(&v.spec, s.start, settled.months))
    {
        settled.without_rules = settled.replications.min(RULES_EFFECT_REPLICATIONS);
    }
    Ok(settled)
}

/// Whether `spec`'s `[agency.rules]` apply in some month of a horizon of `months` months from
/// `start`: their experience test and cooling-off from `from`, or a post group's price cap from
/// `caps_from`.
pub fn rules_in_force(spec: &Spec, start: YearMonth, months: u32) -> bool {
    let Some(r) = &spec.agency.rules else {
        return false;
    };
    let within = |d: YearMonth| d.months_since(start) <= months as i32;
    within(r.from)
        || (r.caps_from.is_some_and(within)
            && spec.posts.iter().any(|p| p.agency_price_cap.is_some()))
}

/// `spec` with its `[agency.rules]` set aside, and all else as it is (its leavers who return as
/// agency then come back in the month they leave): the option without the rules, which
/// `Settings::without_rules` replications of it are paired with.
pub fn without_rules(spec: &Spec) -> Spec {
    let mut twin = spec.clone();
    twin.agency.rules = None;
    twin
}

/// The run's span of whole financial years: `--years` checked against the horizon, or the
/// default.
fn span(s: &Scenario, cfg: &RunConfig) -> Result<Option<YearSpan>, RunError> {
    let fys = financial_years(s.start, cfg.months as usize);
    match &cfg.years {
        Some(text) => YearSpan::parse(text, &fys, s.start, cfg.months as usize)
            .map(Some)
            .map_err(|e| RunError::Config(format!("--years: {e}"))),
        None => Ok(YearSpan::default_for(&fys)),
    }
}

/// Replications simulated between folds: large enough to keep both cores busy and to fold each
/// sketch many values at a time, small enough that the chunk's values (about 17 KB per
/// replication and option) stay well under 100 MB.
const CHUNK: u32 = 512;

/// Runs the scenario: every variant, every replication.
pub fn run(s: &Scenario, cfg: &RunConfig, progress: &dyn Progress) -> Result<Results, RunError> {
    run_settled(s, &settle(s, cfg)?, progress)
}

/// Runs the scenario with settings already checked against it ([`settle`]).
pub fn run_settled(
    s: &Scenario,
    cfg: &Settings,
    progress: &dyn Progress,
) -> Result<Results, RunError> {
    let trimmed = s.within(cfg.months);
    let s = trimmed.as_ref().unwrap_or(s);
    match &cfg.pool {
        Some(pool) => pool.install(|| run_in_pool(s, cfg, progress)),
        None => run_in_pool(s, cfg, progress),
    }
}

/// Seconds one core takes per person-month simulated, from the reference workload (about 1e9
/// person-months in 2.2 s on 2 cores, outputs included), rounded up: for warning before long runs.
const SECONDS_PER_PERSON_MONTH: f64 = 5e-9;

/// About how long a run of `s` with `cfg` will take on this machine, in seconds: person-months
/// (establishment, or staff when more, times months, options and replications, with the
/// replications run again without the 2024 agency rules) at the reference workload's pace. A
/// rough guide for warning before a long run, not a promise.
pub fn estimated_seconds(s: &Scenario, cfg: &Settings) -> f64 {
    let cores = cfg
        .pool
        .as_ref()
        .map_or_else(cores, |p| p.current_num_threads())
        .max(1) as f64;
    let person_reps: f64 = s
        .variants
        .iter()
        .map(|v| {
            let posts: f64 = v
                .spec
                .posts
                .iter()
                .map(|p| {
                    let hi = p.establishment.range().1;
                    if hi.is_finite() { hi.max(1.0) } else { 1.0 }
                })
                .sum();
            let staff: f64 = v.spec.grades.iter().map(|g| f64::from(g.permanent)).sum();
            let again = cfg.without_rules > 0 && rules_in_force(&v.spec, s.start, cfg.months);
            let reps = cfg.replications + if again { cfg.without_rules } else { 0 };
            posts.max(staff) * f64::from(reps)
        })
        .sum();
    person_reps * f64::from(cfg.months) * SECONDS_PER_PERSON_MONTH / cores
}

/// Worker threads allowed for each core of the machine: results do not depend on threads, and
/// more than a few per core only slow a run (and thousands exhaust the machine).
pub const THREADS_PER_CORE: usize = 8;

/// This machine's cores (1 where the system does not say).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The most worker threads a run may have: [`THREADS_PER_CORE`] for each core.
pub fn most_threads() -> usize {
    THREADS_PER_CORE * cores()
}

/// Refuses a number of threads that is zero or more than [`most_threads`].
pub fn check_threads(threads: Option<usize>) -> Result<(), RunError> {
    let Some(t) = threads else {
        return Ok(());
    };
    let (cores, most) = (cores(), most_threads());
    if t == 0 || t > most {
        return Err(RunError::Config(format!(
            "--threads {t}: give 1 to {most} ({THREADS_PER_CORE} for each of this machine's {cores} cores); results do not depend on it, and more threads than cores only slow a run"
        )));
    }
    Ok(())
}

/// `f` on `threads` worker threads (`None`: rayon's, one per core).
pub fn in_pool<T: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> T + Send,
) -> Result<T, RunError> {
    match pool(threads)? {
        Some(pool) => Ok(pool.install(f)),
        None => Ok(f()),
    }
}

/// A pool of `threads` worker threads, checked (`None`: rayon's own, one per core).
fn pool(threads: Option<usize>) -> Result<Option<rayon::ThreadPool>, RunError> {
    check_threads(threads)?;
    threads
        .map(|t| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .map_err(|source| RunError::Threads { threads: t, source })
        })
        .transpose()
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

/// The first value of a replication that no metric can take (see `Metric::bounds`).
fn impossible(s: &Scenario, metrics: &[Metric], reps: &[RepResult], rep: u32) -> Option<RunError> {
    for (v, r) in reps.iter().enumerate() {
        for m in metrics {
            let (lo, hi) = m.bounds();
            for month in s.first_month(*m).min(r.months + 1)..=r.months {
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
    /// A variant's replication with the 2024 agency rules set aside.
    twin: RepResult,
}

/// The fixed inputs of every group of a run.
struct Plan<'a> {
    s: &'a Scenario,
    /// By variant, the variant with the 2024 agency rules set aside (`without_rules`), for one
    /// with the rules in force whose first `without_rules` replications are run again without
    /// them; otherwise `None`.
    twins: &'a [Option<Spec>],
    without_rules: u32,
    seed: u64,
    months: usize,
    metrics: &'a [Metric],
    /// Per metric: the values it can take (`Metric::bounds`) and its first month.
    bounds: &'a [(f64, f64, usize)],
    fys: &'a [FinancialYear],
    span: Option<&'a YearSpan>,
    /// The months at which an option's cumulative net cost is summarised (`payback_months`).
    payback: &'a [usize],
    discount: &'a [f64],
    /// Asked between replications whether to stop (Ctrl-C).
    progress: &'a dyn Progress,
    replications: u32,
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
        // Ctrl-C stops between replications: even a very large one stops within seconds.
        if p.progress.cancelled() {
            return Err(RunError::Interrupted {
                done: first,
                total: p.replications,
            });
        }
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
        let mut totals: Vec<Scalars> = results
            .iter()
            .map(|r| scalars(r, s, p.fys, p.span, p.discount))
            .collect();
        let mut break_even = vec![None; results.len()];
        if rep < p.without_rules {
            for (v, twin) in p.twins.iter().enumerate() {
                let Some(twin) = twin else { continue };
                // On the replication's stream, as its option was: common random numbers.
                engine::simulate_into(twin, s.start, p.months, common, None, &mut scratch.twin);
                let pair = RulesPair::of(&results[v], &totals[v], &scratch.twin, p.fys, p.span);
                totals[v].rules = Some(pair);
            }
        }
        for (v, r) in results.iter().enumerate().skip(1) {
            let diff: Vec<f64> = r
                .costs
                .iter()
                .zip(&results[0].costs)
                .map(|(a, b)| a[Component::Total] - b[Component::Total])
                .collect();
            break_even[v] = break_even_month(&diff);
            // The running sum from month 1, as break-even reads it, at the payback chart's months.
            let mut sum = 0.0;
            let mut at = Vec::with_capacity(p.payback.len());
            let mut next = p.payback.iter().peekable();
            for (m, d) in diff.iter().enumerate() {
                if m > 0 {
                    sum += d;
                }
                if next.next_if(|&&pm| pm == m).is_some() {
                    at.push(sum);
                }
            }
            totals[v].cumulative = at;
        }
        g.totals.push(totals);
        g.break_even.push(break_even);
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

fn run_in_pool(s: &Scenario, cfg: &Settings, progress: &dyn Progress) -> Result<Results, RunError> {
    let months = cfg.months as usize;
    let metrics = s.metrics();
    let fys = financial_years(s.start, months);
    let span = cfg.span.clone();
    let discount = discount_factors(s.baseline().costs.discount_rate, months);
    let mut accs: Vec<VariantAcc> = (0..s.variants.len())
        .map(|v| VariantAcc::new(s, &fys, span.as_ref(), months, v == 0, cfg.keep_costs))
        .collect();
    // `trajs[variant][metric][month]`, apart from `accs` so that both fill at once.
    let mut trajs: Vec<Vec<Vec<Sketch>>> = (0..s.variants.len())
        .map(|_| {
            metrics
                .iter()
                .map(|m| (0..=months).map(|_| Sketch::for_unit(m.unit())).collect())
                .collect()
        })
        .collect();
    let bounds: Vec<(f64, f64, usize)> = metrics
        .iter()
        .map(|&m| {
            let (lo, hi) = m.bounds();
            (lo, hi, s.first_month(m))
        })
        .collect();
    // Each variant with the rules in force, without them: built once for the run.
    let twins: Vec<Option<Spec>> = s
        .variants
        .iter()
        .map(|v| {
            (cfg.without_rules > 0 && rules_in_force(&v.spec, s.start, cfg.months))
                .then(|| without_rules(&v.spec))
        })
        .collect();
    let plan = Plan {
        s,
        twins: &twins,
        without_rules: cfg.without_rules.min(cfg.replications),
        seed: cfg.seed,
        months,
        metrics: &metrics,
        bounds: &bounds,
        fys: &fys,
        span: span.as_ref(),
        payback: &payback_months(months),
        discount: &discount,
        progress,
        replications: cfg.replications,
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
                        add_trajectory(s.first_month(**m), *cell0, &groups, cells, by_month)
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
    Ok(finish(s, cfg, metrics, fys, span, accs, trajs))
}
