//! Aggregation: each replication's results reduced, in replication order, to streaming summaries,
//! and each option's paired comparison with the baseline.

use rayon::prelude::*;

use super::compare::Compared;
use super::config::{Settings, payback_months, rules_effect_months};
use super::engine::RepResult;
use super::results::{Results, RulesEffect, TargetResult, VariantResults};
use crate::model::budget::{BudgetRow, ByLine, Line};
use crate::model::comparison::Measure;
use crate::model::cost::{ByComponent, Component, CostRow};
use crate::model::date::{FinancialYear, YearSpan};
use crate::model::metric::{Metric, Unit};
use crate::scenario::Scenario;
use crate::stats::finance::npv;
use crate::stats::{Probability, Sketch, Summary};

/// Per-replication totals of one variant.
pub(super) struct Scalars {
    /// `[year or total][component]`.
    costs: Vec<CostRow>,
    /// `[year or total][line]`: the premiums' budget lines.
    budget: Vec<BudgetRow>,
    /// The budget lines over the span of whole financial years, if there is one.
    span_budget: Option<BudgetRow>,
    /// Over the span of whole financial years, if there is one.
    span: Option<CostRow>,
    /// An option's cumulative cost less the baseline's at the end of each of the payback chart's
    /// months (`config::payback_months`); empty for the baseline.
    pub(super) cumulative: Vec<f64>,
    npv: f64,
    agency_months: f64,
    permanent_months: f64,
    targets: Vec<f64>,
    /// For one of the first `Settings::without_rules` replications of a variant with the 2024
    /// agency rules in force: its agency with and without the rules.
    pub(super) rules: Option<RulesPair>,
}

impl Scalars {
    /// The replication's total cost over the horizon.
    pub(super) fn total_cost(&self) -> f64 {
        self.costs.last().expect("the horizon's total")[Component::Total]
    }
}

/// One replication of a variant with the 2024 agency rules and the same replication with them
/// set aside: each one's agency FTE (the mean over `rules_effect_months`) and agency spend (over
/// the finance view's span, as `Scalars::agency_spend`), `[with, without]`.
#[derive(Clone, Copy, Debug)]
pub(super) struct RulesPair {
    fte: [f64; 2],
    spend: [f64; 2],
}

impl RulesPair {
    /// The pair of replication `with` (whose totals are `with_totals`) and `without`.
    pub(super) fn of(
        with: &RepResult,
        with_totals: &Scalars,
        without: &RepResult,
        fys: &[FinancialYear],
        span: Option<&YearSpan>,
    ) -> RulesPair {
        let fte = |r: &RepResult| {
            let months = rules_effect_months(r.months);
            let n = months.clone().count() as f64;
            months.map(|m| r.metric(Metric::AgencyFte, m)).sum::<f64>() / n
        };
        let (years, span_costs) = by_period(&without.costs, fys, span, CostRow::add);
        RulesPair {
            fte: [fte(with), fte(without)],
            spend: [
                with_totals.agency_spend(),
                agency_over(&years, span_costs.as_ref()),
            ],
        }
    }
}

/// The agency spend over the span of whole financial years, or over the whole horizon where
/// there is no such span, from costs summed `by_period`.
fn agency_over(years: &[CostRow], span: Option<&CostRow>) -> f64 {
    span.unwrap_or(&years[years.len() - 1])[Component::Agency]
}

/// Monthly rows (month 0 the start, which holds nothing) summed by financial year, each of
/// `fys` in turn and then the whole horizon; and over the span of whole years, if there is one,
/// as its years' sums added. Costs and the premiums' budget lines are summed alike.
fn by_period<T: Clone + Default>(
    rows: &[T],
    fys: &[FinancialYear],
    span: Option<&YearSpan>,
    add: impl Fn(&mut T, &T),
) -> (Vec<T>, Option<T>) {
    let mut sums = vec![T::default(); fys.len() + 1];
    for (yi, fy) in fys.iter().enumerate() {
        for row in &rows[fy.first_month..=fy.last_month] {
            add(&mut sums[yi], row);
        }
    }
    for row in &rows[1..] {
        add(&mut sums[fys.len()], row);
    }
    let span = span.map(|sp| {
        let mut total = T::default();
        for year in &sums[sp.first..=sp.last] {
            add(&mut total, year);
        }
        total
    });
    (sums, span)
}

impl Scalars {
    /// The agency spend over the finance view's span of whole financial years, or over the whole
    /// horizon where it has none.
    pub(super) fn agency_spend(&self) -> f64 {
        agency_over(&self.costs, self.span.as_ref())
    }
}

pub(super) fn scalars(
    r: &RepResult,
    s: &Scenario,
    fys: &[FinancialYear],
    span: Option<&YearSpan>,
    discount: &[f64],
) -> Scalars {
    let months = r.months;
    let (costs, span_costs) = by_period(&r.costs, fys, span, CostRow::add);
    let (budget, span_budget) = by_period(&r.budget, fys, span, BudgetRow::add);
    Scalars {
        costs,
        budget,
        span_budget,
        span: span_costs,
        cumulative: Vec::new(),
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
        rules: None,
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
    pub(super) fn new(measure: Measure, unit: Unit, lower_is_better: bool) -> Diff {
        Diff {
            measure,
            lower_is_better,
            sketch: Sketch::for_unit(unit),
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
pub(super) struct VariantAcc {
    target_values: Vec<Sketch>,
    target_met: Vec<u64>,
    /// `[target][month]` replications meeting the condition.
    target_months: Vec<Vec<u64>>,
    /// `[year or total][component]`.
    costs: Vec<ByComponent<Sketch>>,
    /// `[year or total][line]`.
    budget: Vec<ByLine<Sketch>>,
    /// Over the span of whole financial years, if there is one.
    span_budget: Option<ByLine<Sketch>>,
    /// Over the span of whole financial years, if there is one.
    span_costs: Option<ByComponent<Sketch>>,
    /// An option's cumulative cost less the baseline's at each of the payback chart's months
    /// (empty for the baseline).
    cumulative: Vec<Sketch>,
    npv: Sketch,
    agency_months: Sketch,
    /// Paired differences from the baseline, in output order (empty for the baseline).
    diffs: Vec<Diff>,
    break_even: Sketch,
    /// The replications run again without the 2024 agency rules, in replication order (at most
    /// `RULES_EFFECT_REPLICATIONS`, so kept whole and summarised exactly).
    rules: Vec<RulesPair>,
    /// Each replication's total cost over the horizon, in replication order, when the run keeps
    /// them (`Settings::keep_costs`).
    kept_costs: Option<Vec<f64>>,
}
impl VariantAcc {
    pub(super) fn new(
        s: &Scenario,
        fys: &[FinancialYear],
        span: Option<&YearSpan>,
        months: usize,
        baseline: bool,
        keep_costs: bool,
    ) -> VariantAcc {
        let nt = s.targets.len();
        // The paired differences: every measure but break-even and the ratios, which are
        // derived from them.
        let diffs = if baseline {
            Vec::new()
        } else {
            Measure::all(fys.len(), nt, span.is_some())
                .into_iter()
                .filter(|m| *m != Measure::BreakEvenMonth && !m.is_ratio())
                .map(|m| {
                    let lower_is_better = match m {
                        Measure::TargetDiff(i) => s.targets[i].at_most,
                        Measure::PermanentFteMonthsDiff | Measure::SpanAvoided => false,
                        _ => true,
                    };
                    Diff::new(m, m.unit(|i| s.targets[i].metric.unit()), lower_is_better)
                })
                .collect()
        };
        VariantAcc {
            target_values: s
                .targets
                .iter()
                .map(|t| Sketch::for_unit(t.metric.unit()))
                .collect(),
            target_met: vec![0; nt],
            target_months: vec![vec![0; months + 1]; nt],
            costs: (0..=fys.len())
                .map(|_| ByComponent(std::array::from_fn(|_| Sketch::for_unit(Unit::Pounds))))
                .collect(),
            budget: (0..=fys.len()).map(|_| budget_sketches()).collect(),
            span_budget: span.map(|_| budget_sketches()),
            span_costs: span
                .map(|_| ByComponent(std::array::from_fn(|_| Sketch::for_unit(Unit::Pounds)))),
            cumulative: if baseline {
                Vec::new()
            } else {
                payback_months(months)
                    .iter()
                    .map(|_| Sketch::for_unit(Unit::Pounds))
                    .collect()
            },
            npv: Sketch::for_unit(Unit::Pounds),
            // FTE-months, and months.
            agency_months: Sketch::for_unit(Unit::Fte),
            diffs,
            break_even: Sketch::for_unit(Unit::Fte),
            rules: Vec::new(),
            kept_costs: keep_costs.then(Vec::new),
        }
    }

    /// Adds a chunk's groups of replications of variant `v` (all but the trajectories, see
    /// `add_trajectory`), in replication order.
    pub(super) fn add_chunk(&mut self, s: &Scenario, v: usize, groups: &[Group]) {
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
        if let Some(kept) = &mut self.kept_costs {
            kept.push(own.total_cost());
        }
        for (ti, t) in s.targets.iter().enumerate() {
            self.target_values[ti].add(own.targets[ti]);
            self.target_met[ti] += u64::from(t.met(own.targets[ti]));
        }
        for (yi, per) in own.costs.iter().enumerate() {
            for (c, x) in per.iter() {
                self.costs[yi][c].add(*x);
            }
        }
        for (yi, per) in own.budget.iter().enumerate() {
            for (l, x) in per.iter() {
                self.budget[yi][l].add(*x);
            }
        }
        if let (Some(acc), Some(row)) = (&mut self.span_budget, &own.span_budget) {
            for (l, x) in row.iter() {
                acc[l].add(*x);
            }
        }
        if let (Some(acc), Some(row)) = (&mut self.span_costs, &own.span) {
            for (c, x) in row.iter() {
                acc[c].add(*x);
            }
        }
        self.npv.add(own.npv);
        self.agency_months.add(own.agency_months);
        self.rules.extend(own.rules);
        if v == 0 {
            return;
        }
        for (sketch, x) in self.cumulative.iter_mut().zip(&own.cumulative) {
            sketch.add(*x);
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
/// A summary for each budget line: pounds, or counts and FTE-years.
fn budget_sketches() -> ByLine<Sketch> {
    ByLine(Line::ALL.map(|l| {
        Sketch::for_unit(if l.is_money() {
            Unit::Pounds
        } else {
            Unit::Fte
        })
    }))
}

/// A paired difference of one replication's totals: the option's less the baseline's.
fn difference(m: Measure, own: &Scalars, base: &Scalars) -> f64 {
    let total = own.costs.len() - 1;
    let t = Component::Total;
    match m {
        Measure::CostDiffTotal => own.costs[total][t] - base.costs[total][t],
        Measure::CostDiffYear(y) => own.costs[y][t] - base.costs[y][t],
        Measure::SpanGross | Measure::SpanAvoided | Measure::SpanNet => {
            let (Some(own), Some(base)) = (&own.span, &base.span) else {
                return f64::NAN;
            };
            let agency = Component::Agency;
            let avoided = base[agency] - own[agency];
            let net = own[t] - base[t];
            match m {
                Measure::SpanGross => net + avoided,
                Measure::SpanAvoided => avoided,
                _ => net,
            }
        }
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
/// Adds a chunk's values of one metric of one variant, reported from `first_month`, whose cells
/// start at `cell0` (see `Group::values`), to its month-by-month sketches, in replication order.
pub(super) fn add_trajectory(
    first_month: usize,
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
    for (month, sketch) in cells.iter_mut().enumerate().skip(first_month) {
        sketch.add_all(&by_month[month * reps..(month + 1) * reps]);
    }
}
/// Replications one task simulates one after another. Their results are reduced where they were
/// simulated, while still in cache, to what the ordered fold needs (a `Group`).
pub(super) const GROUP: usize = 8;
/// What a group of up to `GROUP` consecutive replications hands to the ordered fold.
#[derive(Default)]
pub(super) struct Group {
    /// Replications in the group (the last group of a run may have fewer than `GROUP`).
    pub(super) reps: usize,
    /// Every metric's values cell by cell: `values[cell * GROUP + k]` is replication `k`'s, where
    /// `cell = (variant * metrics + metric) * (months + 1) + month`. A cell's values are
    /// adjacent (64 bytes), so the fold reads them together.
    pub(super) values: Vec<f64>,
    /// `totals[k][variant]`.
    pub(super) totals: Vec<Vec<Scalars>>,
    /// `break_even[k][variant]`: the month an option's cumulative extra cost last turns
    /// negative (None for the baseline, and for an option that never breaks even).
    pub(super) break_even: Vec<Vec<Option<usize>>>,
    /// `target_months[(variant * targets + target) * (months + 1) + month]`: replications of
    /// the group meeting the target in that month (a count, so adding them in any order is
    /// exact).
    pub(super) target_months: Vec<u64>,
}
pub(super) fn finish(
    s: &Scenario,
    cfg: &Settings,
    metrics: Vec<Metric>,
    fys: Vec<FinancialYear>,
    span: Option<YearSpan>,
    accs: Vec<VariantAcc>,
    trajs: Vec<Vec<Vec<Sketch>>>,
) -> Results {
    let n = cfg.replications as usize;
    let months = cfg.months as usize;
    let mut variants = Vec::new();
    for ((var, mut acc), traj) in s.variants.iter().zip(accs).zip(&trajs) {
        // Summaries sort each sketch's buckets: metrics in parallel, collected in order.
        let trajectories = metrics
            .par_iter()
            .enumerate()
            .map(|(mi, m)| {
                (0..=months)
                    .map(|month| (month >= s.first_month(*m)).then(|| traj[mi][month].summary()))
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
            budget: acc
                .budget
                .iter()
                .map(|per| per.map(Sketch::summary))
                .collect(),
            span_budget: acc.span_budget.as_ref().map(|per| per.map(Sketch::summary)),
            span_costs: acc.span_costs.as_ref().map(|per| per.map(Sketch::summary)),
            cumulative: payback_months(months)
                .into_iter()
                .zip(&acc.cumulative)
                .map(|(m, sk)| (m, sk.summary()))
                .collect(),
            npv: acc.npv.summary(),
            agency_fte_months: acc.agency_months.summary(),
            premiums: var.spec.premiums.clone(),
            unpriced: var.unpriced_changes().is_some(),
            comparison: comparison(s, &fys, span.as_ref(), &acc, n),
            rules_effect: rules_effect(&acc.rules),
            replication_costs: acc.kept_costs.take().unwrap_or_default(),
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
        span,
        variants,
        notes: s.notes.clone(),
        wanders: !s.baseline().variation.is_none(),
        calibration: s.calibration,
        assumptions: s.assumptions.clone(),
    }
}
/// What the 2024 agency rules change under a variant, from its replications run again without
/// them (none: it was not run again).
fn rules_effect(pairs: &[RulesPair]) -> Option<RulesEffect> {
    if pairs.is_empty() {
        return None;
    }
    let of = |f: &dyn Fn(&RulesPair) -> f64| Summary::of(&pairs.iter().map(f).collect::<Vec<_>>());
    Some(RulesEffect {
        replications: pairs.len() as u32,
        fte: of(&|p| p.fte[0] - p.fte[1]),
        fte_with: of(&|p| p.fte[0]),
        fte_without: of(&|p| p.fte[1]),
        spend: of(&|p| p.spend[0] - p.spend[1]),
        spend_with: of(&|p| p.spend[0]),
        spend_without: of(&|p| p.spend[1]),
    })
}

/// An option's comparison with the baseline, every measure in output order.
fn comparison(
    s: &Scenario,
    fys: &[FinancialYear],
    span: Option<&YearSpan>,
    acc: &VariantAcc,
    n: usize,
) -> Vec<Compared> {
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
    Measure::all(fys.len(), targets.len(), span.is_some())
        .into_iter()
        .map(|m| {
            let name = m.key(fys, &targets, span);
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
        let mut lower = Diff::new(Measure::CostDiffTotal, Unit::Pounds, true);
        let mut higher = Diff::new(Measure::PermanentFteMonthsDiff, Unit::Fte, false);
        for d in [-1.0, 0.0, 2.0, -3.0] {
            lower.add(d);
            higher.add(d);
        }
        assert_eq!(lower.better, 2);
        assert_eq!(higher.better, 1);
        assert_eq!(lower.sketch.mean(), -0.5);
    }
}
