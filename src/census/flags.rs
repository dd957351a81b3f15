//! The checks every census value passes before wfsim trusts it: reporting artefacts are left out,
//! doubtful values flagged, and what is left summarised.

use super::{Area, Indicator};
use crate::model::format::{fte, pct};

/// How far a flagged value can be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trust {
    /// Taken as a reporting artefact: left out of [`summary`].
    LeftOut,
    /// Plausible but worth checking before quoting: kept.
    Check,
}

/// Something wrong, or worth checking, in one year's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Flag {
    pub year: i32,
    /// The measures it concerns, each marked in the table `wfsim census` prints.
    pub measures: Vec<Indicator>,
    pub trust: Trust,
    pub message: String,
}

/// Below this many FTE in post, a year with no starters or no leavers is plausible: flagged to check,
/// not left out. (At 15% turnover, 20 FTE expect 3 leavers a year, and none in 5% of years.)
pub const SMALL: f64 = 20.0;

/// A published rate further than this (a share: 0.1 percentage point) from the rate its own counts
/// give, beyond what rounding the counts can explain, is flagged. The file rounds rates to 0.1 point,
/// which moves a rate by at most half this.
pub const RATE_TOLERANCE: f64 = 0.001;

/// Half the 0.1 FTE to which the file rounds counts.
const COUNT_ROUNDING: f64 = 0.05;

/// In-post FTE changing by more than this share from one year to the next is flagged for checking:
/// a council's count rarely moves so far unless what it counts changed.
pub const JUMP: f64 = 1.0 / 3.0;

/// Every flag on an area's figures, year by year. The rules, in order:
/// 1. a turnover rate published with no staff in post, where it is not defined: left out;
/// 2. no starters, no leavers, no cases or no case-holders, with [`SMALL`] FTE or more in post:
///    taken as a reporting artefact; the count (and what is worked out from it: for leavers the
///    turnover rate, for cases and case-holders each other and the caseload) are left out. With
///    fewer in post, kept, to check;
/// 3. a published rate more than [`RATE_TOLERANCE`], plus what rounding the counts can move it, from
///    the rate its counts give under the DfE definitions: kept, to check (a region's rate may be
///    over the councils that gave both counts);
/// 4. in-post FTE changing by more than [`JUMP`] from the year before: kept, to check.
///
/// Symbols (not published) need no flag: they are shown as published and left out.
pub fn flags(area: &Area) -> Vec<Flag> {
    let mut out = Vec::new();
    let mut before: Option<(i32, f64)> = None;
    for y in &area.years {
        let n = |m: Indicator| y.get(m).number();
        let in_post = n(Indicator::InPost);
        match in_post {
            Some(p) if p <= 0.0 => {
                if let Some(t) = n(Indicator::Turnover) {
                    out.push(Flag {
                        year: y.year,
                        measures: vec![Indicator::Turnover],
                        trust: Trust::LeftOut,
                        message: format!(
                            "turnover published as {} with no staff in post, where it is not \
                             defined: left out",
                            pct(t)
                        ),
                    });
                }
            }
            Some(p) => {
                // Each count, and the figures worked out from it that go with it.
                let counts: [(Indicator, &[Indicator]); 4] = [
                    (Indicator::Starters, &[]),
                    (Indicator::Leavers, &[Indicator::Turnover]),
                    (
                        Indicator::Cases,
                        &[Indicator::CaseHolders, Indicator::Caseload],
                    ),
                    (
                        Indicator::CaseHolders,
                        &[Indicator::Cases, Indicator::Caseload],
                    ),
                ];
                for (m, also) in counts {
                    if n(m) != Some(0.0) {
                        continue;
                    }
                    let with = if also.is_empty() {
                        String::new()
                    } else {
                        let labels: Vec<&str> = also.iter().map(|a| a.label()).collect();
                        format!(", with the year's {}", labels.join(" and "))
                    };
                    out.push(if p >= SMALL {
                        Flag {
                            year: y.year,
                            measures: std::iter::once(m).chain(also.iter().copied()).collect(),
                            trust: Trust::LeftOut,
                            message: format!(
                                "0 {} reported with {} FTE in post: taken as a reporting \
                                 artefact and left out{with}",
                                m.label(),
                                fte(p)
                            ),
                        }
                    } else {
                        Flag {
                            year: y.year,
                            measures: vec![m],
                            trust: Trust::Check,
                            message: format!(
                                "0 {} reported with {} FTE in post: possible with so few staff, \
                                 but worth checking",
                                m.label(),
                                fte(p)
                            ),
                        }
                    });
                }
                let leavers_ok = n(Indicator::Leavers).is_some_and(|l| l > 0.0);
                // Each rate from its counts, with how far rounding each count by up to
                // COUNT_ROUNDING can move it (the sum of its partial derivatives' sizes).
                let checks = [
                    (
                        Indicator::Turnover,
                        n(Indicator::Leavers)
                            .filter(|_| leavers_ok)
                            .map(|l| (l / p, COUNT_ROUNDING * (1.0 / p + l / (p * p)))),
                        "leavers / in post",
                    ),
                    (
                        Indicator::AgencyRate,
                        n(Indicator::Agency).map(|a| (a / (a + p), COUNT_ROUNDING / (a + p))),
                        "agency / (agency + in post)",
                    ),
                    (
                        Indicator::VacancyRate,
                        n(Indicator::Vacancies).map(|v| (v / (v + p), COUNT_ROUNDING / (v + p))),
                        "vacancies / (vacancies + in post)",
                    ),
                ];
                for (m, from_counts, how) in checks {
                    if let (Some(published), Some((computed, rounding))) = (n(m), from_counts)
                        && (published - computed).abs() > RATE_TOLERANCE + rounding
                    {
                        out.push(Flag {
                            year: y.year,
                            measures: vec![m],
                            trust: Trust::Check,
                            message: format!(
                                "{} published as {}, but {how} gives {}; check which base \
                                 the published rate uses",
                                m.label(),
                                pct(published),
                                pct(computed)
                            ),
                        });
                    }
                }
                if let Some((year, last)) = before
                    && year == y.year - 1
                    && last > 0.0
                    && (p / last - 1.0).abs() > JUMP
                {
                    out.push(Flag {
                        year: y.year,
                        measures: vec![Indicator::InPost],
                        trust: Trust::Check,
                        message: format!(
                            "in post {} from {} to {} FTE ({:+.0}%) in a year; check whether \
                             what is counted changed",
                            if p > last { "rises" } else { "falls" },
                            fte(last),
                            fte(p),
                            100.0 * (p / last - 1.0)
                        ),
                    });
                }
            }
            None => {}
        }
        before = in_post.map(|p| (y.year, p));
    }
    out
}

/// Whether one of `flags` with the given trust concerns a year's value of a measure.
fn flagged(flags: &[Flag], year: i32, m: Indicator, trust: Trust) -> bool {
    flags
        .iter()
        .any(|f| f.year == year && f.trust == trust && f.measures.contains(&m))
}

/// Whether a year's value of a measure is left out by one of `flags`.
pub fn left_out(flags: &[Flag], year: i32, m: Indicator) -> bool {
    flagged(flags, year, m, Trust::LeftOut)
}

/// A measure over the years whose value is published and not left out.
#[derive(Clone, Debug, PartialEq)]
pub struct Usable {
    /// The years used, in order.
    pub years: Vec<i32>,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    /// The last usable year and its value.
    pub latest: (i32, f64),
}

/// Mean, range and latest value of each measure over the usable years; `None` for a measure with
/// no usable year.
pub fn summary(area: &Area, flags: &[Flag], m: Indicator) -> Option<Usable> {
    let used: Vec<(i32, f64)> = area
        .years
        .iter()
        .filter(|y| !left_out(flags, y.year, m))
        .filter_map(|y| y.get(m).number().map(|x| (y.year, x)))
        .collect();
    if used.is_empty() {
        return None;
    }
    let values = || used.iter().map(|&(_, x)| x);
    Some(Usable {
        years: used.iter().map(|&(y, _)| y).collect(),
        mean: values().sum::<f64>() / used.len() as f64,
        min: values().fold(f64::INFINITY, f64::min),
        max: values().fold(f64::NEG_INFINITY, f64::max),
        latest: used[used.len() - 1],
    })
}

/// `*` for a value left out by `flags`, `?` for one worth checking, else empty.
pub fn mark(flags: &[Flag], year: i32, m: Indicator) -> &'static str {
    if left_out(flags, year, m) {
        "*"
    } else if flagged(flags, year, m, Trust::Check) {
        "?"
    } else {
        ""
    }
}
