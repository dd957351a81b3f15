//! `wfsim sweep`: the scenario at every value of one input.

use serde::Serialize;

use super::{DecideError, Progress, Settings, Varied, Within, scenario_at};
use crate::model::cost::Component;
use crate::model::metric;
use crate::scenario::Document;
use crate::sim::run::{self, Results};
use crate::stats::{Probability, Summary};

/// The results at one value.
#[derive(Clone, Debug)]
pub struct Point {
    pub value: f64,
    pub results: Results,
    /// The total cost over the horizon less that at the sweep's first value, replication by
    /// replication: both ran on the same random numbers, so the difference is the value's own
    /// effect, with little of the chance both share. `None` at the first value.
    pub cost_diff: Option<Summary>,
}
/// Runs the scenario in `doc` at every value of the varied input, in the variant resolved for it.
/// Every value is validated before any is simulated.
pub fn sweep(
    doc: &Document,
    varied: &Varied,
    cfg: &Settings,
    progress: &dyn Progress,
) -> Result<Vec<Point>, DecideError> {
    let (vary, option) = (varied.vary(), varied.option());
    let values = vary.values();
    let scenarios = values
        .iter()
        .map(|&x| scenario_at(doc, &vary.path, x, option))
        .collect::<Result<Vec<_>, DecideError>>()?;
    progress.start(values.len() as u64 * u64::from(cfg.replications));
    let cfg = Settings {
        keep_costs: true,
        ..cfg.clone()
    };
    let mut points: Vec<Point> = Vec::new();
    // The first value's costs by replication; each later value's are summarised against them and
    // dropped, so that memory does not grow with values times replications.
    let mut first: Option<Vec<f64>> = None;
    for (x, s) in values.into_iter().zip(&scenarios) {
        let mut results = run::run_settled(s, &cfg, &Within(progress))?;
        let costs = std::mem::take(&mut results.variants[0].replication_costs);
        for v in &mut results.variants {
            v.replication_costs = Vec::new();
        }
        let cost_diff = match &first {
            None => {
                first = Some(costs);
                None
            }
            Some(first) => Some(paired_difference(&costs, first)),
        };
        points.push(Point {
            value: x,
            results,
            cost_diff,
        });
    }
    progress.finish();
    Ok(points)
}

/// Costs `a` less costs `b`, replication by replication, summarised.
fn paired_difference(a: &[f64], b: &[f64]) -> Summary {
    debug_assert_eq!(a.len(), b.len(), "runs of the same settings");
    let diffs: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    Summary::of(&diffs)
}
/// One row of `sweep.csv`.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub value: f64,
    /// `target:<name>` (the target's metric at its deadline), `<metric>_end` (at the end of the
    /// horizon), `cost_total`, `cost_diff_total` (`Point::cost_diff`, from the second value on)
    /// or `agency_fte_months`.
    pub measure: String,
    pub summary: Summary,
    /// For targets: the probability the target is met, with its standard error.
    pub met: Option<Probability>,
    /// Decimal places in `sweep.csv`: a metric at the end of the horizon its own, the total cost 2,
    /// the rest 4.
    #[serde(skip)]
    pub decimals: usize,
}
/// The measures reported for each value, in a fixed order.
pub fn rows(points: &[Point]) -> Vec<Row> {
    let mut out = Vec::new();
    for p in points {
        let r = &p.results;
        let v = &r.variants[0];
        for t in &v.targets {
            out.push(Row {
                value: p.value,
                measure: format!("target:{}", t.name),
                summary: t.value,
                met: Some(t.met),
                decimals: 4,
            });
        }
        let end = r.months as usize;
        for m in metric::key_metrics() {
            if let Some(s) = v.trajectories[m.index()][end] {
                out.push(Row {
                    value: p.value,
                    measure: format!("{}_end", r.metric_name(m)),
                    summary: s,
                    met: None,
                    decimals: m.decimals(),
                });
            }
        }
        out.push(Row {
            value: p.value,
            measure: "cost_total".into(),
            summary: v.costs[r.financial_years.len()][Component::Total],
            met: None,
            decimals: 2,
        });
        if let Some(d) = p.cost_diff {
            out.push(Row {
                value: p.value,
                measure: "cost_diff_total".into(),
                summary: d,
                met: None,
                decimals: 2,
            });
        }
        out.push(Row {
            value: p.value,
            measure: "agency_fte_months".into(),
            summary: v.agency_fte_months,
            met: None,
            decimals: 4,
        });
    }
    out
}
