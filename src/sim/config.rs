//! What a run is asked to do (replications, seed, months, threads, financial years), apart from
//! the runner, so that the runner and the aggregation it feeds both read it without importing
//! each other.
//!
//! As ripgrep turns its `LowArgs` into `HiArgs`, a [`RunConfig`] (what the user asked for) is
//! checked once against the scenario by `run::settle` into [`Settings`] (checked values: the year
//! span parsed, the worker threads started); everything that runs takes `Settings` and checks
//! nothing again.

use std::sync::Arc;

use crate::model::date::YearSpan;
use crate::scenario::Scenario;

/// How many replications, with which seed, over how many months, on how many threads.
#[derive(Clone, Debug)]
pub struct RunConfig {
    pub replications: u32,
    pub seed: u64,
    pub months: u32,
    /// `None`: one thread per core.
    pub threads: Option<usize>,
    /// The span of whole financial years the finance view sums over, as the user wrote it
    /// (`2023/24..2025/26`, see [`crate::model::date::YearSpan::parse`]); `None`: the current year and every whole year to the horizon's end.
    pub years: Option<String>,
}

impl RunConfig {
    /// The scenario's own defaults.
    pub fn from_scenario(s: &Scenario) -> RunConfig {
        RunConfig {
            replications: s.replications,
            seed: s.seed,
            months: s.months,
            threads: None,
            years: None,
        }
    }
}

/// A run's settings, checked against its scenario by `run::settle`: what the runner and the
/// decision tools take.
#[derive(Clone, Debug)]
pub struct Settings {
    /// From 1 to `MAX_REPLICATIONS`.
    pub replications: u32,
    pub seed: u64,
    /// From 1 to `MAX_MONTHS`.
    pub months: u32,
    /// The span of whole financial years the finance view sums over (`None`: the horizon has no
    /// whole financial year).
    pub span: Option<YearSpan>,
    /// The worker threads asked for, started once for every run made with these settings;
    /// `None`: rayon's own, one per core.
    pub pool: Option<Arc<rayon::ThreadPool>>,
    /// How many of the first replications run each option with the 2024 agency rules in force
    /// again with `[agency.rules]` set aside, on the same random numbers, for what the rules
    /// change (`run::settle_comparing_rules`): 0 for none, as `run::settle` leaves it; at most
    /// `replications` and [`RULES_EFFECT_REPLICATIONS`], and above 0 only when some option has
    /// the rules in force within the horizon.
    pub without_rules: u32,
    /// Whether the results keep each replication's total cost over the horizon
    /// (`VariantResults::replication_costs`), for differences paired by replication between runs
    /// on the same seed, as `sweep` reports.
    pub keep_costs: bool,
}

/// The most replications run again without the 2024 agency rules: a paired difference needs far
/// fewer replications than the ranges of the figures themselves, and each costs a simulation of
/// every option with the rules.
pub const RULES_EFFECT_REPLICATIONS: u32 = 1_000;

/// The months over which agency FTE is averaged for what the 2024 agency rules change: the last
/// 12 of a horizon of `months` (all of a shorter one).
pub fn rules_effect_months(months: usize) -> std::ops::RangeInclusive<usize> {
    months.saturating_sub(11).max(1)..=months
}

/// The months at which each option's cumulative net cost is summarised for the payback chart:
/// the start, the end of every quarter of the horizon and its last month. Monthly summaries would
/// cost about a tenth more time and half as much memory again for a curve that a quarterly one
/// draws as well.
pub fn payback_months(months: usize) -> Vec<usize> {
    (0..=months)
        .filter(|m| m % 3 == 0 || *m == months)
        .collect()
}
