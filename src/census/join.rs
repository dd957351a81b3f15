//! A projection set beside the census: at each 30 September of the horizon, the baseline's
//! projected rates and what the census published for the same year, under the same definitions.

use super::{Entry, Indicator, Published};
use crate::model::metric::Metric;
use crate::sim::run::Results;
use crate::stats::Summary;

/// The rates set against the census: the census measure and the metric that follows its definition.
pub const RATES: [(Indicator, Metric); 3] = [
    (Indicator::Turnover, Metric::TurnoverRate12m),
    (Indicator::AgencyRate, Metric::AgencyShare),
    (Indicator::VacancyRate, Metric::VacancyRate),
];

/// The census's published values of the rate that `metric` follows, at each 30 September inside
/// the horizon, as `(month, value)`: for drawing beside the projection. Values left out as
/// artefacts are not drawn. Empty without a census or for a metric the census does not publish.
pub fn observed(r: &Results, p: &Published, metric: Metric) -> Vec<(usize, f64)> {
    beside(r, p)
        .into_iter()
        .filter(|b| b.metric == metric)
        .filter_map(|b| Some((b.month?, b.usable()?)))
        .collect()
}

/// `(year, month)` of each 30 September inside the horizon (month 0 is the end of the start month).
fn septembers(r: &Results) -> Vec<(i32, usize)> {
    (0..=r.months as usize)
        .map(|m| (r.date(m), m))
        .filter(|(d, _)| d.month() == 9)
        .map(|(d, m)| (d.year(), m))
        .collect()
}

/// One year and rate of the comparison: what the census published and what the baseline projects
/// at that year's 30 September.
#[derive(Clone, Debug, PartialEq)]
pub struct Beside {
    pub year: i32,
    pub measure: Indicator,
    /// The metric that follows the measure's census definition.
    pub metric: Metric,
    /// The month of the year's 30 September, when it is inside the horizon.
    pub month: Option<usize>,
    /// The published value and its mark (`*` left out, `?` to check, else empty); `None` when the
    /// census has no row for the year.
    pub published: Option<(Entry, &'static str)>,
    /// The baseline's summary at the year's 30 September; `None` outside the horizon or before the
    /// metric is defined (turnover needs 12 months).
    pub projected: Option<Summary>,
}

impl Beside {
    /// The published value, unless it is a symbol or left out as an artefact.
    pub fn usable(&self) -> Option<f64> {
        let (v, mark) = self.published.as_ref()?;
        if *mark == "*" { None } else { v.number() }
    }

    /// Whether the published value lies in the projection's 90% range, give or take the
    /// rounding of what the census publishes (rates to 0.1 of a percentage point, counts and
    /// caseloads to 0.1): a start year's single projected value, 27.35%, holds the published
    /// 27.3%. `None` where either is missing.
    pub fn within_90(&self) -> Option<bool> {
        let (x, s) = (self.usable()?, self.projected?);
        let half_unit = if self.metric.is_share() { 0.0005 } else { 0.05 };
        Some(s.p05 - half_unit <= x && x <= s.p95 + half_unit)
    }
}

/// The comparison as data, year by year (each year the census or the horizon covers) and rate by
/// rate in the order of [`RATES`].
pub fn beside(r: &Results, p: &Published) -> Vec<Beside> {
    let base = &r.variants[0];
    let septembers = septembers(r);
    let mut years: Vec<i32> = p
        .area
        .years
        .iter()
        .map(|y| y.year)
        .chain(septembers.iter().map(|&(y, _)| y))
        .collect();
    years.sort_unstable();
    years.dedup();
    let mut out = Vec::new();
    for year in years {
        let month = septembers
            .iter()
            .find(|&&(y, _)| y == year)
            .map(|&(_, m)| m);
        for (measure, metric) in RATES {
            out.push(Beside {
                year,
                measure,
                metric,
                month,
                published: p.marked(year, measure),
                projected: month.and_then(|m| base.trajectories[metric.index()][m]),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_figure_within_its_rounding_of_the_range_is_within_it() {
        let at = |published: f64, values: &[f64], metric: Metric| Beside {
            year: 2017,
            measure: Indicator::AgencyRate,
            metric,
            month: Some(0),
            published: Some((Entry::Number(published), "")),
            projected: Some(Summary::of(values)),
        };
        // Lewisham's start: 27.3% published, 27.35% projected in every replication.
        assert_eq!(
            at(0.273, &[0.2735], Metric::AgencyShare).within_90(),
            Some(true)
        );
        assert_eq!(
            at(0.2725, &[0.2735], Metric::AgencyShare).within_90(),
            Some(false)
        );
        // Counts to 0.1 FTE.
        assert_eq!(
            at(112.0, &[112.04], Metric::PermanentFte).within_90(),
            Some(true)
        );
        assert_eq!(
            at(112.0, &[112.2], Metric::PermanentFte).within_90(),
            Some(false)
        );
        // Left out as an artefact: no verdict.
        let mut b = at(0.273, &[0.2735], Metric::AgencyShare);
        b.published = Some((Entry::Number(0.273), "*"));
        assert_eq!(b.within_90(), None);
    }
}
