//! What a run produced: for the baseline and each option, every metric's trajectory, each target's
//! chance, the costs and the comparison with the baseline.

use serde::Serialize;

use crate::model::budget::{ByLine, Line};
use crate::model::cost::ByComponent;
use crate::model::date::{FinancialYear, YearMonth, YearSpan};
use crate::model::metric::Metric;
use crate::scenario::Target;
use crate::sim::compare::Compared;
use crate::stats::{Probability, Summary};

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
    /// `budget[year][line]`: the premiums' budget lines for each financial year, then the
    /// whole horizon last.
    pub budget: Vec<ByLine<Summary>>,
    /// The budget lines over the span of whole financial years, if there is one.
    pub span_budget: Option<ByLine<Summary>>,
    /// Costs over the span of whole financial years (`Results::span`), if there is one.
    pub span_costs: Option<ByComponent<Summary>>,
    /// An option's cumulative cost less the baseline's, from the per-replication running sums,
    /// at the start, the end of each quarter and the last month: `(month, summary)` (empty for
    /// the baseline).
    pub cumulative: Vec<(usize, Summary)>,
    pub npv: Summary,
    pub agency_fte_months: Summary,
    /// The premiums the variant pays, as its scenario states them.
    pub premiums: Vec<crate::scenario::Premium>,
    /// An option that changes only how people behave and pays no premium: its cost of its own
    /// is not in the scenario (`Variant::unpriced_changes`).
    pub unpriced: bool,
    /// Paired differences from the baseline; empty for the baseline itself.
    pub comparison: Vec<Compared>,
    /// What the 2024 agency rules change under this variant, where its first replications were
    /// run again without them (`Settings::without_rules`); none otherwise.
    pub rules_effect: Option<RulesEffect>,
    /// Each replication's total cost over the horizon, in replication order, when the run kept
    /// them (`Settings::keep_costs`); empty otherwise.
    pub replication_costs: Vec<f64>,
}

/// What the 2024 agency rules change under one variant: each of its first `replications`
/// replications set beside the same replication with `[agency.rules]` set aside, on the same
/// random numbers (common random numbers). Agency FTE is the mean over the last 12 months of the
/// horizon (`config::rules_effect_months`); agency spend is summed over the span of whole
/// financial years (`Results::span`), or the whole horizon when there is none. Each difference
/// is with the rules less without them.
#[derive(Clone, Debug)]
pub struct RulesEffect {
    pub replications: u32,
    pub fte: Summary,
    pub fte_with: Summary,
    pub fte_without: Summary,
    pub spend: Summary,
    pub spend_with: Summary,
    pub spend_without: Summary,
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
    /// The span of whole financial years the finance view sums over (`--years`, by default the
    /// first three whole years); `None` when the horizon has no whole financial year.
    pub span: Option<YearSpan>,
    pub variants: Vec<VariantResults>,
    pub notes: Vec<String>,
    /// Whether the baseline's inputs wander from year to year (`[variation]`).
    pub wanders: bool,
    /// How the scenario's inputs were set (`[scenario] calibration`; `None`: by hand).
    pub calibration: Option<crate::scenario::Calibration>,
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

    /// A variant's premium budget lines by period: each financial year, then the span of whole
    /// years if there is one of more than one year (as `cost_periods`), then `total`, each with the lines it reports
    /// (the span and the whole horizon only those that add up, `Line::adds_up`); none for a
    /// variant that pays no premium.
    pub fn budget_periods<'a>(
        &'a self,
        v: &'a VariantResults,
    ) -> impl Iterator<Item = (&'a str, Vec<(Line, &'a Summary)>)> {
        let years = self.financial_years.len();
        let pays = !v.premiums.is_empty();
        let by_year = self
            .financial_years
            .iter()
            .map(|f| f.label.as_str())
            .zip(v.budget.get(..years).unwrap_or(&[]))
            .map(|(label, lines)| (label, lines, true));
        let span = self.span_of_years().zip(v.span_budget.as_ref());
        let total = v.budget.get(years).map(|lines| ("total", lines));
        by_year
            .chain(span.into_iter().chain(total).map(|(l, b)| (l, b, false)))
            .filter(move |_| pays)
            .map(|(label, lines, yearly)| {
                let lines = lines
                    .iter()
                    .filter(|(l, _)| yearly || l.adds_up())
                    .collect();
                (label, lines)
            })
    }

    /// A period of `cost_periods` or `budget_periods` for a reader: a financial year's title,
    /// which says when the horizon covers only part of it (`2022/23 (Oct-Mar)`), the span's
    /// years in words, else the key itself.
    pub fn period_title<'a>(&'a self, key: &'a str) -> std::borrow::Cow<'a, str> {
        if let Some(f) = self.financial_years.iter().find(|f| f.label == key) {
            return f.title.as_str().into();
        }
        match &self.span {
            Some(s) if s.label == key => s.words().into(),
            _ => key.into(),
        }
    }

    /// The finance view's span as a period of its own, when it is more than one financial
    /// year: a span of one year is that year, given already under the same label (listed again,
    /// a pivot table over the costs would count it twice).
    fn span_of_years(&self) -> Option<&str> {
        self.span
            .as_ref()
            .map(|s| s.label.as_str())
            .filter(|l| !self.financial_years.iter().any(|f| f.label == *l))
    }

    /// A variant's costs by period, as data files list them: each financial year, then the
    /// span of years (labelled like `2023/24-2025/26`) if it is more than one, then `total`.
    pub fn cost_periods<'a>(
        &'a self,
        v: &'a VariantResults,
    ) -> impl Iterator<Item = (&'a str, &'a ByComponent<Summary>)> {
        let years = self.financial_years.iter().map(|f| f.label.as_str());
        let span = self.span_of_years();
        years
            .zip(&v.costs)
            .chain(span.zip(v.span_costs.as_ref()))
            .chain(std::iter::once((
                "total",
                &v.costs[self.financial_years.len()],
            )))
    }
}
