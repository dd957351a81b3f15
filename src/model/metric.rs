//! The monthly metrics wfsim reports, with the DfE census definitions they follow.
//!
//! Rates are computed exactly as the DfE children's social work workforce census defines them, so a
//! projection can be set beside published figures:
//! - agency rate = agency FTE / (agency FTE + in-post permanent FTE);
//! - vacancy rate = vacancies FTE / (vacancies FTE + in-post FTE), where a vacancy is an establishment
//!   post not filled by a permanent worker (including posts covered by agency staff);
//! - turnover = permanent leavers FTE in the last 12 months / in-post FTE.

/// One reported metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    PermanentFte,
    AgencyFte,
    VacantFte,
    UncoveredFte,
    EstablishmentFte,
    AgencyShare,
    VacancyRate,
    TurnoverRate12m,
    Under2yShare,
    AsyeShare,
    StartersFte,
    LeaversFte,
    CostMonth,
    GradeFte(usize),
}

/// The metrics that do not depend on the scenario's grades, in output order.
pub const FIXED: [Metric; 13] = [
    Metric::PermanentFte,
    Metric::AgencyFte,
    Metric::VacantFte,
    Metric::UncoveredFte,
    Metric::EstablishmentFte,
    Metric::AgencyShare,
    Metric::VacancyRate,
    Metric::TurnoverRate12m,
    Metric::Under2yShare,
    Metric::AsyeShare,
    Metric::StartersFte,
    Metric::LeaversFte,
    Metric::CostMonth,
];

impl Metric {
    /// Position in a replication's metric table.
    pub fn index(self) -> usize {
        match self {
            Metric::PermanentFte => 0,
            Metric::AgencyFte => 1,
            Metric::VacantFte => 2,
            Metric::UncoveredFte => 3,
            Metric::EstablishmentFte => 4,
            Metric::AgencyShare => 5,
            Metric::VacancyRate => 6,
            Metric::TurnoverRate12m => 7,
            Metric::Under2yShare => 8,
            Metric::AsyeShare => 9,
            Metric::StartersFte => 10,
            Metric::LeaversFte => 11,
            Metric::CostMonth => 12,
            Metric::GradeFte(g) => FIXED.len() + g,
        }
    }

    /// The name used in files and in targets; grade metrics are `fte_<grade slug>`.
    pub fn name(self, grade_slugs: &[String]) -> String {
        match self {
            Metric::PermanentFte => "permanent_fte".into(),
            Metric::AgencyFte => "agency_fte".into(),
            Metric::VacantFte => "vacant_fte".into(),
            Metric::UncoveredFte => "uncovered_fte".into(),
            Metric::EstablishmentFte => "establishment_fte".into(),
            Metric::AgencyShare => "agency_share".into(),
            Metric::VacancyRate => "vacancy_rate".into(),
            Metric::TurnoverRate12m => "turnover_rate_12m".into(),
            Metric::Under2yShare => "under_2y_share".into(),
            Metric::AsyeShare => "asye_share".into(),
            Metric::StartersFte => "starters_fte".into(),
            Metric::LeaversFte => "leavers_fte".into(),
            Metric::CostMonth => "cost_month".into(),
            Metric::GradeFte(g) => format!("fte_{}", grade_slugs[g]),
        }
    }

    /// The first month at which the metric is defined.
    pub fn first_month(self) -> usize {
        match self {
            Metric::TurnoverRate12m => 12,
            Metric::StartersFte | Metric::LeaversFte | Metric::CostMonth => 1,
            _ => 0,
        }
    }

    /// Decimal places written to files.
    pub fn decimals(self) -> usize {
        match self {
            Metric::AgencyShare
            | Metric::VacancyRate
            | Metric::TurnoverRate12m
            | Metric::Under2yShare
            | Metric::AsyeShare => 6,
            Metric::CostMonth => 2,
            _ => 4,
        }
    }

    /// True for shares and rates (shown as percentages).
    pub fn is_share(self) -> bool {
        self.decimals() == 6
    }

    /// Finds a metric by name.
    pub fn parse(name: &str, grade_slugs: &[String]) -> Option<Metric> {
        all(grade_slugs.len())
            .into_iter()
            .find(|m| m.name(grade_slugs) == name)
    }
}

/// Every metric for a scenario with `grades` grades, in output order.
pub fn all(grades: usize) -> Vec<Metric> {
    FIXED
        .iter()
        .copied()
        .chain((0..grades).map(Metric::GradeFte))
        .collect()
}

/// A name usable in metric names: lower case, other characters as `_`.
pub fn slug(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    s.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        let slugs = vec![slug("ASYE"), slug("Level 3 / senior")];
        assert_eq!(slugs[1], "level_3_senior");
        for m in all(2) {
            assert_eq!(Metric::parse(&m.name(&slugs), &slugs), Some(m));
            assert_eq!(all(2)[m.index()], m);
        }
        assert_eq!(
            Metric::parse("fte_level_3_senior", &slugs),
            Some(Metric::GradeFte(1))
        );
        assert_eq!(Metric::parse("agency_rate", &slugs), None);
    }
}
