//! Paired comparison of an option with the baseline, replication by replication.
//!
//! Every option runs on the same random numbers as the baseline (common random numbers), so the
//! difference in one replication isolates the option's effect; its spread across replications is the
//! honest uncertainty of that effect, far narrower than comparing two independent runs.

use crate::model::comparison::Measure;
use crate::stats::Summary;

/// One comparison of an option with the baseline (a row of `comparison.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct Compared {
    pub measure: Measure,
    /// The measure's key in data files ([`Measure::key`]).
    pub name: String,
    /// Summary across replications; `None` for ratio measures, which have only a mean.
    pub summary: Option<Summary>,
    pub mean: Option<f64>,
    /// Probability the option is better on this measure; `None` where that means nothing.
    pub prob_better: Option<f64>,
}

impl Compared {
    /// A ratio of means, which has no spread.
    pub fn ratio(measure: Measure, name: impl Into<String>, value: Option<f64>) -> Compared {
        Compared {
            measure,
            name: name.into(),
            summary: None,
            mean: value,
            prob_better: None,
        }
    }
}

/// An option's comparison on `measure`.
pub fn find(cs: &[Compared], measure: Measure) -> Option<&Compared> {
    cs.iter().find(|c| c.measure == measure)
}

/// Whether an option's total cost is the baseline's in every replication (its paired difference
/// is zero with no spread), so that it neither saves nor breaks even.
pub fn costs_the_same(cs: &[Compared]) -> bool {
    find(cs, Measure::CostDiffTotal)
        .and_then(|m| m.summary)
        .is_some_and(|s| s.mean == 0.0 && (s.sd == 0.0 || s.n == 1))
}
