//! The monthly metrics wfsim reports: one descriptor per metric, with the DfE census definitions
//! the rates follow.
//!
//! Everything the rest of wfsim needs to know about a metric (its name in files and targets, its
//! title on charts, how a sentence names it, its unit, the first month it is defined, whether it is
//! a headline figure) is in its descriptor here, in one list (`metrics!`), so that adding a metric
//! means adding a row to that list and computing it in the engine's month record, nothing else.
//!
//! Rates are computed exactly as the DfE children's social work workforce census defines them, so a
//! projection can be set beside published figures:
//! - agency rate = agency FTE / (agency FTE + in-post permanent FTE);
//! - vacancy rate = vacancies FTE / (vacancies FTE + in-post FTE), where a vacancy is an establishment
//!   post not filled by a permanent worker (including posts covered by agency staff);
//! - turnover = permanent leavers FTE in the last 12 months / in-post FTE.

/// What a metric's values are, which decides how they are printed, drawn and checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Full-time equivalents: never negative.
    Fte,
    /// A share from 0 to 1, shown as a percentage.
    Share,
    /// A rate shown as a percentage that can pass 1 (turnover: a year's leavers over today's staff).
    Rate,
    /// Pounds; negative for income.
    Pounds,
    /// Cases held (the census's `cases`): never negative.
    Cases,
    /// Cases per case-holding FTE (the census's caseload): never negative.
    PerFte,
}

impl Unit {
    /// Decimal places written to data files.
    pub fn decimals(self) -> usize {
        match self {
            Unit::Share | Unit::Rate => 6,
            Unit::Pounds | Unit::Cases => 2,
            Unit::Fte | Unit::PerFte => 4,
        }
    }

    /// Shown as a percentage.
    pub fn is_percent(self) -> bool {
        matches!(self, Unit::Share | Unit::Rate)
    }

    /// The values a metric of this unit can take (`lo <= x && x <= hi` also refuses NaN and
    /// infinities).
    pub fn bounds(self) -> (f64, f64) {
        match self {
            Unit::Pounds => (f64::MIN, f64::MAX),
            Unit::Share => (0.0, 1.0 + 1e-9),
            Unit::Fte | Unit::Rate | Unit::Cases | Unit::PerFte => (0.0, f64::MAX),
        }
    }
}

/// The facts of one metric (see [`Metric::info`]).
#[derive(Debug)]
pub struct Info {
    /// The name in data files and targets.
    pub name: &'static str,
    /// A chart title.
    pub title: &'static str,
    /// How a sentence names it ("the agency share").
    pub subject: &'static str,
    pub unit: Unit,
    /// The first month at which it is defined (turnover needs 12 months of leavers).
    pub first_month: usize,
    /// A headline figure: reported at the end of the horizon in `summary.json`, the workbook and
    /// sweeps.
    pub key: bool,
    /// Names users may know it by (DfE or everyday), suggested when they write them.
    pub aliases: &'static [&'static str],
    /// What a scenario must state for the metric to be reported.
    pub needs: Needs,
}

/// What a scenario must state for a metric to be reported, so that files of scenarios without it
/// gain no empty columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// The cases the service holds (`[caseload]`).
    Cases,
    /// Leavers returning as agency or the 2024 agency rules (`[agency] leavers_to_agency`,
    /// `[agency.rules]`).
    AgencyFlows,
}

/// Declares the metrics from one list, each metric with its descriptor, in output order: the
/// [`Metric`] enum (with every grade's FTE after them), [`FIXED`], their descriptors and
/// [`Metric::index`] all come from it.
macro_rules! metrics {
    ($($metric:ident => $info:expr,)+) => {
        /// One reported metric.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Metric {
            $($metric,)+
            /// A grade's FTE, by the grade's place in the scenario.
            GradeFte(usize),
        }

        /// Each fixed metric's place in the list, and their number (`Count`).
        enum Place {
            $($metric,)+
            Count,
        }

        /// The metrics that do not depend on the scenario's grades, in output order.
        pub const FIXED: [Metric; Place::Count as usize] = [$(Metric::$metric,)+];

        /// Their descriptors, in the same order.
        const FIXED_INFO: [Info; Place::Count as usize] = [$($info,)+];

        impl Metric {
            /// Position in a replication's metric table.
            #[inline]
            pub fn index(self) -> usize {
                match self {
                    $(Metric::$metric => Place::$metric as usize,)+
                    Metric::GradeFte(g) => Place::Count as usize + g,
                }
            }
        }
    };
}

metrics! {
    PermanentFte => Info {
        name: "permanent_fte",
        title: "Permanent social workers (FTE)",
        subject: "permanent FTE",
        unit: Unit::Fte,
        first_month: 0,
        key: true,
        aliases: &["permanent", "in_post_fte"],
        needs: Needs::Nothing,
    },
    AgencyFte => Info {
        name: "agency_fte",
        title: "Agency social workers (FTE)",
        subject: "agency FTE",
        unit: Unit::Fte,
        first_month: 0,
        key: true,
        aliases: &[],
        needs: Needs::Nothing,
    },
    VacantFte => Info {
        name: "vacant_fte",
        title: "Vacant posts (FTE)",
        subject: "vacant FTE",
        unit: Unit::Fte,
        first_month: 0,
        key: false,
        aliases: &["vacancies", "vacancy"],
        needs: Needs::Nothing,
    },
    UncoveredFte => Info {
        name: "uncovered_fte",
        title: "Vacancies without agency cover (FTE)",
        subject: "vacant FTE without agency cover",
        unit: Unit::Fte,
        first_month: 0,
        key: false,
        aliases: &[],
        needs: Needs::Nothing,
    },
    EstablishmentFte => Info {
        name: "establishment_fte",
        title: "Establishment (FTE)",
        subject: "the establishment",
        unit: Unit::Fte,
        first_month: 0,
        key: false,
        aliases: &[],
        needs: Needs::Nothing,
    },
    AgencyShare => Info {
        name: "agency_share",
        title: "Agency share (DfE agency rate)",
        subject: "the agency share",
        unit: Unit::Share,
        first_month: 0,
        key: true,
        aliases: &["agency_rate", "agency", "agency_percent"],
        needs: Needs::Nothing,
    },
    VacancyRate => Info {
        name: "vacancy_rate",
        title: "Vacancy rate (DfE)",
        subject: "the vacancy rate",
        unit: Unit::Share,
        first_month: 0,
        key: true,
        aliases: &[],
        needs: Needs::Nothing,
    },
    TurnoverRate12m => Info {
        name: "turnover_rate_12m",
        title: "Turnover rate, last 12 months (DfE)",
        subject: "12-month turnover",
        unit: Unit::Rate,
        first_month: 12,
        key: true,
        aliases: &["turnover", "turnover_rate"],
        needs: Needs::Nothing,
    },
    Under2yShare => Info {
        name: "under_2y_share",
        title: "Permanent staff with under 2 years' service",
        subject: "the share of permanent staff with under 2 years' service",
        unit: Unit::Share,
        first_month: 0,
        key: true,
        aliases: &[],
        needs: Needs::Nothing,
    },
    AsyeShare => Info {
        name: "asye_share",
        title: "Newly qualified share",
        subject: "the newly qualified share",
        unit: Unit::Share,
        first_month: 0,
        key: true,
        aliases: &["nq_share", "newly_qualified_share"],
        needs: Needs::Nothing,
    },
    Caseload => Info {
        name: "caseload",
        title: "Caseload per case-holding FTE (DfE)",
        subject: "the caseload",
        unit: Unit::PerFte,
        first_month: 0,
        key: true,
        aliases: &["caseload_fte", "caseloads", "cases_per_fte", "average_caseload"],
        needs: Needs::Cases,
    },
    Cases => Info {
        name: "cases",
        title: "Cases held",
        subject: "cases held",
        unit: Unit::Cases,
        first_month: 0,
        key: false,
        aliases: &["demand", "cases_held"],
        needs: Needs::Cases,
    },
    CaseHoldingFte => Info {
        name: "case_holding_fte",
        title: "Case-holding FTE, weighted (permanent and agency)",
        subject: "weighted case-holding FTE",
        unit: Unit::Fte,
        first_month: 0,
        key: false,
        aliases: &["case_holders_fte", "case_holders", "capacity"],
        needs: Needs::Cases,
    },
    AsyeDeclined => Info {
        name: "asye_declined_12m",
        title: "Newly qualified places declined, last 12 months",
        subject: "newly qualified places declined in the last 12 months",
        unit: Unit::Fte,
        first_month: 12,
        key: false,
        aliases: &["declined", "places_declined", "asye_declined"],
        needs: Needs::Nothing,
    },
    StartersFte => Info {
        name: "starters_fte",
        title: "Starters in the month (FTE)",
        subject: "starters in the month",
        unit: Unit::Fte,
        first_month: 1,
        key: false,
        aliases: &[],
        needs: Needs::Nothing,
    },
    LeaversFte => Info {
        name: "leavers_fte",
        title: "Leavers in the month (FTE)",
        subject: "leavers in the month",
        unit: Unit::Fte,
        first_month: 1,
        key: false,
        aliases: &[],
        needs: Needs::Nothing,
    },
    CostMonth => Info {
        name: "cost_month",
        title: "Workforce cost per month",
        subject: "the monthly workforce cost",
        unit: Unit::Pounds,
        first_month: 1,
        key: true,
        aliases: &[],
        needs: Needs::Nothing,
    },
    AgencyReturned => Info {
        name: "agency_returned_12m",
        title: "Own leavers back as agency, last 12 months",
        subject: "the council's own leavers who started as its agency workers in the last 12 months",
        unit: Unit::Fte,
        first_month: 12,
        key: false,
        aliases: &["returners", "agency_returned"],
        needs: Needs::AgencyFlows,
    },
    AgencyBarred => Info {
        name: "agency_barred_12m",
        title: "Agency starts the rules stopped, last 12 months",
        subject: "agency starts the 2024 rules stopped in the last 12 months (leavers without the experience, and market starts lost to the experience test)",
        unit: Unit::Fte,
        first_month: 12,
        key: false,
        aliases: &["agency_barred", "barred"],
        needs: Needs::AgencyFlows,
    },
    AgencyCapSaving => Info {
        name: "agency_cap_saving_12m",
        title: "Agency spend the price caps saved, last 12 months",
        subject: "the agency spend the price caps saved in the last 12 months",
        unit: Unit::Pounds,
        first_month: 12,
        key: false,
        aliases: &["cap_saving"],
        needs: Needs::AgencyFlows,
    },
}

/// The descriptor of every grade's FTE (its name, title and subject add the grade's).
const GRADE_INFO: Info = Info {
    name: "fte_",
    title: " (FTE)",
    subject: " FTE",
    unit: Unit::Fte,
    first_month: 0,
    key: false,
    aliases: &[],
    needs: Needs::Nothing,
};

impl Metric {
    /// The metric's descriptor.
    pub fn info(self) -> &'static Info {
        match self {
            Metric::GradeFte(_) => &GRADE_INFO,
            fixed => &FIXED_INFO[fixed.index()],
        }
    }

    /// The name used in files and in targets; grade metrics are `fte_<grade slug>`.
    pub fn name(self, grade_slugs: &[String]) -> String {
        match self {
            Metric::GradeFte(g) => format!("{}{}", GRADE_INFO.name, grade_slugs[g]),
            m => m.info().name.to_string(),
        }
    }

    /// A chart title in plain words; a grade's keeps the grade's name as written.
    pub fn title(self, grade_names: &[String]) -> String {
        match self {
            Metric::GradeFte(g) => format!("{}{}", grade(grade_names, g), GRADE_INFO.title),
            m => m.info().title.to_string(),
        }
    }

    /// The metric in words for a sentence, e.g. "the agency share".
    pub fn subject(self, grade_names: &[String]) -> String {
        match self {
            Metric::GradeFte(g) => format!("{}{}", grade(grade_names, g), GRADE_INFO.subject),
            m => m.info().subject.to_string(),
        }
    }

    pub fn unit(self) -> Unit {
        self.info().unit
    }

    /// The first month at which the metric is defined.
    pub fn first_month(self) -> usize {
        self.info().first_month
    }

    /// Decimal places written to files.
    pub fn decimals(self) -> usize {
        self.unit().decimals()
    }

    /// True for shares and rates (shown as percentages).
    pub fn is_share(self) -> bool {
        self.unit().is_percent()
    }

    /// The values the metric can take.
    pub fn bounds(self) -> (f64, f64) {
        self.unit().bounds()
    }

    /// Finds a metric by name.
    pub fn parse(name: &str, grade_slugs: &[String]) -> Option<Metric> {
        all(grade_slugs.len())
            .into_iter()
            .find(|m| m.name(grade_slugs) == name)
    }

    /// The metric a user means by a DfE or everyday name (`agency rate`, `turnover`), if any.
    pub fn alias(name: &str) -> Option<Metric> {
        let name = name.to_lowercase().replace([' ', '-'], "_");
        FIXED
            .into_iter()
            .find(|m| m.info().aliases.contains(&name.as_str()))
    }
}

fn grade(grade_names: &[String], g: usize) -> &str {
    grade_names.get(g).map_or("grade", String::as_str)
}

/// The headline metrics, in output order: reported at the end of the horizon.
pub fn key_metrics() -> impl Iterator<Item = Metric> {
    FIXED.into_iter().filter(|m| m.info().key)
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
        assert_eq!(Metric::alias("Agency rate"), Some(Metric::AgencyShare));
        assert_eq!(Metric::alias("turnover"), Some(Metric::TurnoverRate12m));
        assert_eq!(Metric::alias("caseload"), None);
        assert_eq!(Metric::alias("caseload fte"), Some(Metric::Caseload));
        assert_eq!(Metric::Caseload.info().needs, Needs::Cases);
        assert_eq!(Metric::AsyeDeclined.info().needs, Needs::Nothing);
        assert_eq!(Metric::AgencyBarred.info().needs, Needs::AgencyFlows);
    }

    #[test]
    fn descriptors_follow_the_census_definitions() {
        let names = ["ASYE".to_string()];
        assert_eq!(Metric::GradeFte(0).title(&names), "ASYE (FTE)");
        assert_eq!(Metric::GradeFte(0).subject(&names), "ASYE FTE");
        assert_eq!(Metric::AgencyShare.bounds(), (0.0, 1.0 + 1e-9));
        // Turnover is a year's leavers over today's staff: a percentage that can pass 100%.
        assert!(Metric::TurnoverRate12m.is_share());
        assert_eq!(Metric::TurnoverRate12m.bounds().1, f64::MAX);
        assert_eq!(Metric::TurnoverRate12m.first_month(), 12);
        assert_eq!(Metric::CostMonth.bounds().0, f64::MIN);
        let key: Vec<&str> = key_metrics().map(|m| m.info().name).collect();
        assert_eq!(
            key,
            [
                "permanent_fte",
                "agency_fte",
                "agency_share",
                "vacancy_rate",
                "turnover_rate_12m",
                "under_2y_share",
                "asye_share",
                "caseload",
                "cost_month"
            ]
        );
    }
}
