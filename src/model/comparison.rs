//! The measures on which an option is compared with the baseline, in output order.
//!
//! Each is a paired difference (option minus baseline, replication by replication) or a figure
//! derived from them. The measure's key in data files, its decimals and which direction is better
//! are here, so that everything that reads a comparison names it by this enum, not by text.

use super::cost::Component;
use super::date::{FinancialYear, YearSpan};
use super::metric::Unit;

/// One measure of an option against the baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Total cost over the horizon, pounds.
    CostDiffTotal,
    /// Total cost in the horizon's financial year `i`, pounds.
    CostDiffYear(usize),
    /// The option's gross cost over the span of financial years: every component's difference
    /// but agency's (extra salaries and on-costs, premiums, recruitment, training, less grant
    /// income), pounds.
    SpanGross,
    /// The agency spend the option avoids over the span (the baseline's agency cost less the
    /// option's), pounds; higher is better.
    SpanAvoided,
    /// The option's net cost over the span: gross cost less agency spend avoided, pounds.
    SpanNet,
    /// One component's cost over the horizon (never the total), pounds.
    ComponentDiff(Component),
    /// Net present value of the costs, pounds.
    NpvDiff,
    /// Agency FTE summed over the horizon's months.
    AgencyFteMonthsDiff,
    /// Permanent FTE summed over the horizon's months (higher is better).
    PermanentFteMonthsDiff,
    /// The first month from which the option's cumulative extra cost stays at or below zero.
    BreakEvenMonth,
    /// Target `i`'s metric at its deadline.
    TargetDiff(usize),
    /// Mean extra cost over mean agency FTE-years avoided (a ratio of means).
    CostPerAgencyFteYearAvoided,
    /// Mean extra cost over mean permanent FTE-years gained (a ratio of means).
    CostPerExtraPermanentFteYear,
}

impl Measure {
    /// Every measure for a horizon of `years` financial years and `targets` targets, with or
    /// without a span of whole years, in output order.
    pub fn all(years: usize, targets: usize, span: bool) -> Vec<Measure> {
        let mut out = vec![Measure::CostDiffTotal];
        out.extend((0..years).map(Measure::CostDiffYear));
        if span {
            out.extend([Measure::SpanGross, Measure::SpanAvoided, Measure::SpanNet]);
        }
        out.extend(Component::parts().map(Measure::ComponentDiff));
        out.extend([
            Measure::NpvDiff,
            Measure::AgencyFteMonthsDiff,
            Measure::PermanentFteMonthsDiff,
            Measure::BreakEvenMonth,
        ]);
        out.extend((0..targets).map(Measure::TargetDiff));
        out.extend([
            Measure::CostPerAgencyFteYearAvoided,
            Measure::CostPerExtraPermanentFteYear,
        ]);
        out
    }

    /// The measure's key in data files, e.g. `cost_diff_2023/24`, `net_cost_2023/24-2025/26` or
    /// `target_80:20_diff`.
    pub fn key(
        self,
        years: &[FinancialYear],
        targets: &[impl AsRef<str>],
        span: Option<&YearSpan>,
    ) -> String {
        let span = span.map_or("", |s| s.label.as_str());
        match self {
            Measure::CostDiffTotal => "cost_diff_total".into(),
            Measure::CostDiffYear(i) => format!("cost_diff_{}", years[i].label),
            Measure::SpanGross => format!("gross_cost_{span}"),
            Measure::SpanAvoided => format!("agency_avoided_{span}"),
            Measure::SpanNet => format!("net_cost_{span}"),
            // The total's difference is `cost_diff_total`.
            Measure::ComponentDiff(c) => format!("{}_diff_total", c.key()),
            Measure::NpvDiff => "npv_diff".into(),
            Measure::AgencyFteMonthsDiff => "agency_fte_months_diff".into(),
            Measure::PermanentFteMonthsDiff => "permanent_fte_months_diff".into(),
            Measure::BreakEvenMonth => "break_even_month".into(),
            Measure::TargetDiff(i) => format!("target_{}_diff", targets[i].as_ref()),
            Measure::CostPerAgencyFteYearAvoided => "cost_per_agency_fte_year_avoided".into(),
            Measure::CostPerExtraPermanentFteYear => "cost_per_extra_permanent_fte_year".into(),
        }
    }

    /// The comparison measure of a cost component (the total's is [`Measure::CostDiffTotal`]).
    pub fn of_component(c: Component) -> Measure {
        if c == Component::Total {
            Measure::CostDiffTotal
        } else {
            Measure::ComponentDiff(c)
        }
    }

    /// What the measure's values are; a target's difference is in the unit of its metric,
    /// `target_unit(i)`. Break-even is a month number and FTE-months are counts, both shown as
    /// numbers ([`Unit::Fte`]).
    pub fn unit(self, target_unit: impl Fn(usize) -> Unit) -> Unit {
        match self {
            Measure::TargetDiff(i) => target_unit(i),
            Measure::AgencyFteMonthsDiff
            | Measure::PermanentFteMonthsDiff
            | Measure::BreakEvenMonth => Unit::Fte,
            _ => Unit::Pounds,
        }
    }

    /// Decimal places written to data files: a target's difference in its metric's decimals, the
    /// others (pounds, FTE-months, months) to 2.
    pub fn decimals(self, target_unit: impl Fn(usize) -> Unit) -> usize {
        match self {
            Measure::TargetDiff(i) => target_unit(i).decimals(),
            _ => 2,
        }
    }

    /// A ratio of means, with no spread across replications.
    pub fn is_ratio(self) -> bool {
        matches!(
            self,
            Measure::CostPerAgencyFteYearAvoided | Measure::CostPerExtraPermanentFteYear
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::{YearMonth, YearSpan, financial_years};

    #[test]
    fn keys_in_output_order() {
        let fys = financial_years(YearMonth::new(2023, 1).unwrap(), 14);
        let span = YearSpan::default_for(&fys);
        let keys: Vec<String> = Measure::all(fys.len(), 1, true)
            .into_iter()
            .map(|m| m.key(&fys, &["80:20"], span.as_ref()))
            .collect();
        assert_eq!(
            keys,
            [
                "cost_diff_total",
                "cost_diff_2022/23",
                "cost_diff_2023/24",
                "gross_cost_2022/23-2023/24",
                "agency_avoided_2022/23-2023/24",
                "net_cost_2022/23-2023/24",
                "salary_diff_total",
                "on_costs_diff_total",
                "premiums_diff_total",
                "agency_diff_total",
                "recruitment_diff_total",
                "training_diff_total",
                "grant_income_diff_total",
                "npv_diff",
                "agency_fte_months_diff",
                "permanent_fte_months_diff",
                "break_even_month",
                "target_80:20_diff",
                "cost_per_agency_fte_year_avoided",
                "cost_per_extra_permanent_fte_year",
            ]
        );
        assert_eq!(
            Measure::of_component(Component::Total),
            Measure::CostDiffTotal
        );
    }
}
