//! A scenario: the validated types the engine can trust, and how a file becomes one.
//!
//! A scenario file is read in two stages, as ripgrep reads its configuration: `spanned` reads the
//! TOML into a tree that remembers where every key was written, and `read` turns that tree into
//! these types, section by section, reporting every problem at once with its file, line, column
//! and key (`diag`). Uncertain inputs are `param`s; `keypath` names and changes an input the way
//! options and the decision tools do; `premium` holds the premium kinds, one module each;
//! `variation` the factors of `[variation]`, one row each in its table; `assumptions` lists every stated input with its source for the report.

pub mod assumptions;
pub mod diag;
pub mod input;
pub mod keypath;
pub mod param;
pub mod premium;
mod read;
pub mod spanned;
pub mod variation;

use std::path::Path;

pub use premium::{Premium, PremiumKind};
pub use read::{Document, parse};
pub use variation::{FACTORS, Factor, MAX_TAILS, Variation, Wander};

use crate::model::date::YearMonth;
use crate::model::format;
use crate::model::metric::{self, Metric, Needs};
use crate::scenario::diag::{ScenarioErrors, Source};
use param::Param;

/// Longest horizon accepted, in months (20 years).
pub const MAX_MONTHS: u32 = 240;

/// Most replications accepted in one run.
pub const MAX_REPLICATIONS: u32 = 1_000_000;

/// The largest scenario file read, in bytes (the bundled ones are 10 to 30 KB).
pub const MAX_SCENARIO_BYTES: u64 = 8_000_000;

/// Largest establishment of one post group, in FTE.
pub const MAX_ESTABLISHMENT: f64 = 100_000.0;

/// Most cases a scenario may state the service holds.
pub const MAX_CASES: f64 = 10_000_000.0;

/// Options a scenario may have: each is simulated in full in every replication, so more would
/// make a run of minutes or hours; a study of more belongs in `wfsim sweep`.
pub const MAX_OPTIONS: usize = 50;

/// Most grades in a scenario (the engine stores a grade in one byte).
pub const MAX_GRADES: usize = 200;

/// Most pay points in a grade (the engine stores a pay point in one byte).
pub const MAX_PAY_POINTS: usize = 100;

/// A whole scenario: metadata, targets, and the baseline followed by each option.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub file: String,
    pub name: String,
    pub description: String,
    pub start: YearMonth,
    pub months: u32,
    pub replications: u32,
    pub seed: u64,
    /// How the scenario's inputs were set: by `wfsim init` (`[scenario] calibration`), or by hand
    /// (`None`). The report quotes the backtest's coverage only for the ways the backtest scored.
    pub calibration: Option<Calibration>,
    pub targets: Vec<Target>,
    /// `variants[0]` is the baseline; the rest are the options in file order.
    pub variants: Vec<Variant>,
    /// SHA-256 of the scenario file's bytes.
    pub input_hash: String,
    /// Things the user should know that are not errors (e.g. FTE rounded to whole workers).
    pub notes: Vec<String>,
    /// Every input the file states, with its source note, for the report's assumptions table.
    pub assumptions: Vec<crate::scenario::assumptions::Assumption>,
    /// The key paths of the inputs that take whole numbers only (counts, months, years), as the
    /// reader read them (elements by name where they have one; [`Document::whole_inputs`] gives
    /// them by index).
    pub whole_inputs: Vec<String>,
}

/// How a scenario's inputs were set, as `wfsim init` records it in `[scenario] calibration`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Calibration {
    /// From the DfE census alone, as the backtest builds its scenarios.
    Census,
    /// From the council's own staff, leavers and agency files, the census filling the rest.
    Council,
}

impl Calibration {
    pub const ALL: [Calibration; 2] = [Calibration::Census, Calibration::Council];

    /// The value written in the scenario.
    pub fn key(self) -> &'static str {
        match self {
            Calibration::Census => "census",
            Calibration::Council => "council",
        }
    }

    pub fn parse(s: &str) -> Option<Calibration> {
        Calibration::ALL.into_iter().find(|c| c.key() == s)
    }
}

/// The baseline or one option.
#[derive(Clone, Debug)]
pub struct Variant {
    pub name: String,
    pub description: String,
    /// The inputs the option's `set` replaces, with their new values as written; empty for the
    /// baseline.
    pub sets: Vec<(String, String)>,
    pub spec: Spec,
}

/// The inputs whose change says how people behave (leave, are hired, convert from agency, pass,
/// complete), not what anything costs: an option that changes only these, with no premium,
/// states no cost for bringing the change about.
const BEHAVIOUR: &[&str] = &[
    "leaving",
    "fill_probability",
    "months_to_fill",
    "max_hires_per_month",
    "monthly_conversion",
    "monthly_churn",
    "pass_rate",
    "completion_rate",
    "join_rate",
    "leavers_to_agency",
    "return_share",
    "elasticity",
    "supply",
];

impl Variant {
    /// For an option that pays no premium and whose `set` changes only how people behave (fewer
    /// leavers, more hires): the inputs it changes. Its cost differs from the baseline's only
    /// through the workforce it changes; what it costs to bring about is not in the scenario.
    /// `None` for the baseline and for any other option.
    pub fn unpriced_changes(&self) -> Option<Vec<&str>> {
        // Any key of the path, so that a path's end (`fill_probability.to`) counts as its input.
        let behaviour = |path: &str| {
            path.split('.').any(|seg| {
                let key = seg.split('[').next().unwrap_or(seg).trim_matches('"');
                BEHAVIOUR.contains(&key)
            })
        };
        // A premium of nothing costs nothing.
        (self.spec.premiums.iter().all(|p| p.amount == 0.0)
            && !self.sets.is_empty()
            && self.sets.iter().all(|(p, _)| behaviour(p)))
        .then(|| self.sets.iter().map(|(p, _)| p.as_str()).collect())
    }
}

/// Where the open last service band ends for the starting staff spread over it: twice its lower
/// edge, the last of `edges` (0 with no edges). The engine places starting staff up to it, and
/// the reader's notes ask who can reach a month of service by it.
pub fn open_band_end(edges: &[u32]) -> u32 {
    edges.last().map_or(0, |&e| 2 * e)
}

/// Everything the engine needs to simulate one variant.
#[derive(Clone, Debug)]
pub struct Spec {
    /// Upper edges (months of service) of the service bands; `n` edges make `n + 1` bands.
    pub band_edges: Vec<u32>,
    pub posts: Vec<Post>,
    pub grades: Vec<Grade>,
    pub asye: Option<AsyeIntake>,
    pub pipelines: Vec<Pipeline>,
    /// External hires and agency conversions a month, at most (none: no limit). A fraction
    /// accrues from month to month: 2.5 allows 2, 3, 2, 3, ... hires.
    pub max_hires_per_month: Option<Param>,
    pub cost_per_hire: Param,
    pub agency: Agency,
    pub costs: Costs,
    pub premiums: Vec<Premium>,
    /// How the inputs wander from year to year around their paths.
    pub variation: Variation,
    /// The cases the service holds, when the scenario states them (`[caseload]`): without them
    /// no caseload is reported.
    pub caseload: Option<Caseload>,
}

impl Spec {
    /// Every input that may be uncertain, in a fixed order, each path's parts after it (those not
    /// stated in the file have an empty `path`).
    pub fn params(&self) -> Vec<&Param> {
        self.inputs().into_iter().flat_map(Param::parts).collect()
    }

    /// Every input, as stated (a path as one input), in the order of [`Spec::params`].
    pub fn inputs(&self) -> Vec<&Param> {
        let mut out = vec![&self.cost_per_hire];
        out.extend(self.max_hires_per_month.iter());
        for p in &self.posts {
            out.extend([
                &p.establishment,
                &p.agency_extra,
                &p.fill_probability,
                &p.promote_share,
                &p.agency_cover,
                &p.agency_rate,
            ]);
        }
        for g in &self.grades {
            out.extend(g.leaving.iter());
            if let Some(pr) = &g.progression {
                out.push(&pr.pass_rate);
            }
        }
        for p in &self.pipelines {
            out.extend([&p.completion_rate, &p.join_rate, &p.cost_per_trainee]);
        }
        let a = &self.agency;
        out.extend([
            &a.monthly_churn,
            &a.fill_probability,
            &a.annual_rate_uplift,
            &a.monthly_conversion,
            &a.conversion_fee,
        ]);
        let c = &self.costs;
        out.extend([&c.pay_award, &c.pay_award_flat, &c.asye_grant]);
        match &c.on_costs {
            OnCosts::Rate(r) => out.push(r),
            OnCosts::Separate {
                ni_rate,
                pension_rate,
                ..
            } => out.extend([ni_rate, pension_rate]),
        }
        for p in &self.premiums {
            out.extend([&p.leaving_effect, &p.hiring_effect]);
        }
        // Capacity's inputs come last: adding them left every other input where it was.
        for g in &self.grades {
            out.extend([&g.caseload_weight, &g.protected_weight]);
        }
        out.push(&self.agency.caseload_weight);
        if let Some(a) = &self.asye {
            out.extend(a.per_supervisor.iter());
            out.extend(a.max_share.iter());
            out.extend(a.supply.iter());
            out.push(&a.supervision_time);
        }
        if let Some(c) = &self.caseload {
            out.push(&c.cases);
            out.extend(c.reference.iter());
            out.push(&c.leaving_elasticity);
        }
        // The NI threshold became an input that may move after the rest: last, so the others
        // kept their places.
        if let OnCosts::Separate { ni_threshold, .. } = &self.costs.on_costs {
            out.push(ni_threshold);
        }
        // The agency rules' inputs after those: adding them left every other input where it was.
        out.extend([&a.leavers_to_agency, &a.return_share]);
        if let Some(r) = &a.rules {
            out.extend([&r.qualified_share, &r.above_cap_share]);
        }
        for p in &self.posts {
            out.extend(p.agency_price_cap.iter());
        }
        out
    }

    /// Whether the scenario reports caseloads (it states `[caseload]`).
    pub fn has_caseload(&self) -> bool {
        self.caseload.is_some()
    }

    /// Whether the scenario states what a metric needs to be reported.
    pub fn states(&self, needs: Needs) -> bool {
        match needs {
            Needs::Nothing => true,
            Needs::Cases => self.has_caseload(),
            Needs::AgencyFlows => self.agency.has_flows(),
        }
    }
}

/// A group of establishment posts that any of its grades can fill (e.g. social worker posts held by
/// ASYE, Level 2 and Level 3 staff).
#[derive(Clone, Debug)]
pub struct Post {
    pub name: String,
    /// Funded posts, in FTE.
    pub establishment: Param,
    /// Agency FTE beyond those covering vacancies: covering absence, extra posts or projects.
    pub agency_extra: Param,
    /// Agency workers at the start.
    pub agency_start: u32,
    /// The grades whose staff hold these posts.
    pub grades: Vec<usize>,
    /// Grade mix of external recruits: (grade, share), shares summing to 1.
    pub recruit: Vec<(usize, f64)>,
    /// Chance a vacant post is filled in a month.
    pub fill_probability: Param,
    pub promote_from: Option<usize>,
    /// Share of fills made by internal promotion when a candidate exists.
    pub promote_share: Param,
    /// Share of vacancies covered by agency staff.
    pub agency_cover: Param,
    /// Agency charge for these posts, per hour or (if `agency_rate_per_day`) per day.
    pub agency_rate: Param,
    pub agency_rate_per_day: bool,
    /// The regional price cap on an hour of agency work in these posts, as the council pays it
    /// (`[agency.rules] caps_from` on): none, no cap.
    pub agency_price_cap: Option<Param>,
}

#[derive(Clone, Debug)]
pub struct Grade {
    pub name: String,
    pub slug: String,
    pub post: usize,
    /// Permanent workers at the start (whole-time equivalents).
    pub permanent: u32,
    /// Share of the starting staff in each service band.
    pub service_shares: Vec<f64>,
    /// Annual leaving rate in each service band.
    pub leaving: Vec<Param>,
    pub progression: Option<Progression>,
    /// Annual salary at each pay point; staff move up one point per 12 months in the grade.
    pub pay_points: Vec<f64>,
    pub newly_qualified: bool,
    /// Case-holding FTE for each FTE of the grade: 1 a full caseload, 0 none (managers).
    pub caseload_weight: Param,
    /// Months in the grade for which its staff hold a protected caseload (0: none).
    pub protected_months: u32,
    /// The weight of a worker in those months (the grade's own weight when not stated).
    pub protected_weight: Param,
    /// Months of post-qualifying experience its recruits bring (the agency rules' experience
    /// test counts them with their service).
    pub prior_experience_months: u32,
}

#[derive(Clone, Debug)]
pub struct Progression {
    pub to: usize,
    pub after_months: u32,
    pub pass_rate: Param,
    /// Where `progression` is written, for messages.
    pub span: std::ops::Range<usize>,
}

#[derive(Clone, Debug)]
pub struct AsyeIntake {
    pub grade: usize,
    /// Calendar month (1-12) of each cohort's start.
    pub month: u32,
    pub size: u32,
    /// Sizes for particular years, overriding `size`.
    pub sizes_by_year: Vec<(i32, u32)>,
    /// Take at most as many as there are vacant posts in the grade's post group.
    pub within_establishment: bool,
    /// The grades whose staff supervise newly qualified workers.
    pub supervisors: Vec<usize>,
    /// Most newly qualified workers for each supervisor FTE (none: no limit).
    pub per_supervisor: Option<Param>,
    /// Most newly qualified share of permanent and agency FTE once a cohort joins (none: no
    /// limit).
    pub max_share: Option<Param>,
    /// Most newly qualified recruits the council can find in a year (none: no limit).
    pub supply: Option<Param>,
    /// Case-holding FTE a supervisor gives up for each newly qualified worker supervised.
    pub supervision_time: Param,
}

impl AsyeIntake {
    pub fn size_in(&self, year: i32) -> u32 {
        self.sizes_by_year
            .iter()
            .find(|(y, _)| *y == year)
            .map_or(self.size, |(_, s)| *s)
    }
}

/// A grow-your-own programme: trainees start, some complete, some of those join as newly qualified.
#[derive(Clone, Debug)]
pub struct Pipeline {
    pub name: String,
    pub grade: usize,
    pub intake: u32,
    /// Trainees in each of its cohorts already in training at the start: the baseline's
    /// `intake`, since an option decided at the start cannot change who is already training.
    pub intake_at_start: u32,
    pub month: u32,
    pub every_years: u32,
    pub first_year: i32,
    pub duration_months: u32,
    pub completion_rate: Param,
    pub join_rate: Param,
    /// Council's cost per trainee over the whole programme, spread evenly over its months.
    pub cost_per_trainee: Param,
}

#[derive(Clone, Debug)]
pub struct Agency {
    pub monthly_churn: Param,
    /// Chance an uncovered vacancy gets an agency worker in a month.
    pub fill_probability: Param,
    /// Proportional rise in agency hourly rates each April.
    pub annual_rate_uplift: Param,
    pub monthly_conversion: Param,
    pub conversion_fee: Param,
    pub hours_per_week: f64,
    pub weeks_per_year: f64,
    /// Case-holding FTE for each agency FTE.
    pub caseload_weight: Param,
    /// Share of permanent leavers who go to agency work.
    pub leavers_to_agency: Param,
    /// Share of those who would take agency work with this council, where it has a place.
    pub return_share: Param,
    /// The DfE's 2024 rules on agency social workers, when the scenario states them.
    pub rules: Option<AgencyRules>,
}

/// `[agency.rules]`: the DfE's statutory guidance on agency child and family social workers
/// (31 October 2024): an experience test, a cooling-off period and regional price caps.
#[derive(Clone, Debug)]
pub struct AgencyRules {
    /// The region whose alliance agreed the caps (for readers; empty: not stated).
    pub region: String,
    /// The first month the rules apply to new assignments.
    pub from: YearMonth,
    /// Post-qualifying experience an agency worker needs, in months.
    pub min_experience_months: u32,
    /// Months after leaving a permanent post before the worker may be engaged as agency.
    pub cooling_off_months: u32,
    /// Share of the agency market that meets the experience test: new assignments from the market
    /// start at this share of the chance they had.
    pub qualified_share: Param,
    /// The first month the posts' price caps apply (none: no caps).
    pub caps_from: Option<YearMonth>,
    /// Share of assignments signed off above the cap, paid the market rate.
    pub above_cap_share: Param,
}

impl Agency {
    /// Whether any leaver may return as agency or any rule applies: the runs then report the
    /// agency flows' metrics.
    pub fn has_flows(&self) -> bool {
        self.rules.is_some() || !self.leavers_to_agency.is_zero()
    }
}

/// `[caseload]`: the cases the service holds, and how caseload bears on leaving.
#[derive(Clone, Debug)]
pub struct Caseload {
    /// Cases held by case-holding staff (the census's `cases`): a number, a distribution or a
    /// path, moved by the `cases` factor of `[variation]`.
    pub cases: Param,
    /// The caseload above which leaving rises with `leaving_elasticity` (stated whenever the
    /// elasticity can be above 0).
    pub reference: Option<Param>,
    /// The proportional rise in leaving for each proportional rise of caseload above
    /// `reference` (0: caseload does not bear on leaving).
    pub leaving_elasticity: Param,
}

#[derive(Clone, Debug)]
pub struct Costs {
    pub on_costs: OnCosts,
    /// Proportional pay award each April.
    pub pay_award: Param,
    /// Flat pay award in pounds a year added to every pay point each April.
    pub pay_award_flat: Param,
    pub asye_grant: Param,
    pub discount_rate: f64,
}

#[derive(Clone, Debug)]
pub enum OnCosts {
    /// One rate on all pay.
    Rate(Param),
    /// Employer National Insurance above a threshold, and employer pension on all pay.
    Separate {
        ni_rate: Param,
        /// Pounds a year of pay on which no employer NI is due.
        ni_threshold: Param,
        pension_rate: Param,
    },
}

#[derive(Clone, Debug)]
pub struct Target {
    pub name: String,
    pub metric: Metric,
    pub at_most: bool,
    pub value: f64,
    pub by: YearMonth,
    /// Month index of the deadline (0 = start).
    pub month: usize,
}

impl Target {
    /// The threshold in words, e.g. "at most 20.0%".
    pub fn threshold(&self) -> String {
        let v = if self.metric.is_share() {
            format::pct(self.value)
        } else {
            format::num(self.value, 4)
        };
        format!("{} {v}", if self.at_most { "at most" } else { "at least" })
    }

    /// The condition in words, e.g. "agency share at most 20.0%", for readers of the report (the
    /// data files name the metric by its key).
    pub fn condition(&self, grade_names: &[String]) -> String {
        let subject = self.metric.subject(grade_names);
        format!(
            "{} {}",
            subject.strip_prefix("the ").unwrap_or(&subject),
            self.threshold()
        )
    }

    pub fn met(&self, x: f64) -> bool {
        if self.at_most {
            x <= self.value
        } else {
            x >= self.value
        }
    }
}

impl Variant {
    /// Whether the option's `set` replaces the input at key path `path`.
    pub fn sets_input(&self, path: &str) -> bool {
        self.sets.iter().any(|(k, _)| keypath::same_path(k, path))
    }
}

impl Scenario {
    pub fn baseline(&self) -> &Spec {
        &self.variants[0].spec
    }

    pub fn grade_slugs(&self) -> Vec<String> {
        self.baseline()
            .grades
            .iter()
            .map(|g| g.slug.clone())
            .collect()
    }

    /// Every metric a run records, in output order (a metric's place is its `Metric::index`).
    pub fn metrics(&self) -> Vec<Metric> {
        metric::all(self.baseline().grades.len())
    }

    /// Whether the scenario reports metric `m`: caseload's only when it states `[caseload]`, the
    /// agency flows' only when it states them.
    pub fn reports(&self, m: Metric) -> bool {
        let needs = m.info().needs;
        self.variants.iter().any(|v| v.spec.states(needs))
    }

    /// The first month the scenario reports `m` (usize::MAX: never), as the runner summarises
    /// it: a metric it does not report has no values in any month.
    pub fn first_month(&self, m: Metric) -> usize {
        if self.reports(m) {
            m.first_month()
        } else {
            usize::MAX
        }
    }

    pub fn date(&self, month: usize) -> YearMonth {
        self.start.add_months(month as i32)
    }

    /// The scenario as a run of `months` months assesses it: targets whose deadline falls after
    /// the horizon are left out, each with a note saying so. `None` when every target is within.
    pub fn within(&self, months: u32) -> Option<Scenario> {
        let months = months as usize;
        if self.targets.iter().all(|t| t.month <= months) {
            return None;
        }
        let mut s = self.clone();
        let end = self.date(months);
        for t in self.targets.iter().filter(|t| t.month > months) {
            s.notes.push(format!(
                "Target `{}` (by {}) is beyond the horizon, which ends {end}, so it is not assessed; run at least {} months to assess it.",
                t.name, t.by, t.month
            ));
        }
        s.targets.retain(|t| t.month <= months);
        Some(s)
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read scenario file {file}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Invalid(#[from] ScenarioErrors),
}

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, LoadError> {
    Ok(parse(&read_source(path)?)?)
}

/// Reads a scenario file's text, which must be UTF-8.
pub fn read_source(path: &Path) -> Result<Source, LoadError> {
    let file = path.display().to_string();
    let bytes = input::read_at_most(path, MAX_SCENARIO_BYTES, "a scenario (tens of KB)").map_err(
        |source| LoadError::Io {
            file: file.clone(),
            source,
        },
    )?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let source = Source::new(&file, String::from_utf8_lossy(e.as_bytes()).into_owned());
            let at = e.utf8_error().valid_up_to();
            return Err(ScenarioErrors {
                file: file.clone(),
                diagnostics: vec![source.diagnostic(
                    &(at..at),
                    "",
                    "the file is not UTF-8 text; save it as UTF-8",
                )],
                not_run: String::new(),
            }
            .into());
        }
    };
    Ok(Source::new(file, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_are_in_words_with_grade_names_as_written() {
        let target = |metric, at_most, value| Target {
            name: "t".into(),
            metric,
            at_most,
            value,
            by: YearMonth::new(2027, 3).unwrap(),
            month: 54,
        };
        let grades = ["ASYE".to_string(), "Level 3".to_string()];
        assert_eq!(
            target(Metric::AgencyShare, true, 0.2).condition(&grades),
            "agency share at most 20.0%"
        );
        assert_eq!(
            target(Metric::Under2yShare, true, 0.32).condition(&grades),
            "share of permanent staff with under 2 years' service at most 32.0%"
        );
        assert_eq!(
            target(Metric::GradeFte(1), false, 40.0).condition(&grades),
            "Level 3 FTE at least 40"
        );
        assert_eq!(
            target(Metric::PermanentFte, false, 112.5).condition(&grades),
            "permanent FTE at least 112.5"
        );
    }
}
