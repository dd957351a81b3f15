//! The report's charts, built from a run's results: which figures are drawn and how they are labelled.
//!
//! Drawing lives in `crate::output::charts::draw`; this module only chooses the data. Each chart has a file stem
//! (`charts/<stem>.svg` and `.png`) and a caption that says in words what it shows.

pub mod draw;
pub mod text;

use rayon::prelude::*;
use std::path::Path;

use crate::model::comparison::Measure;
use crate::model::cost::Component;
use crate::model::metric::{Metric, Unit};
use crate::output::charts::draw::{Chart, Fan, Scale, ScatterPoint, TargetLine, TimeAxis};
use crate::output::{Exporter, OutFile, OutputError, Projection};
use crate::sim::run::Results;

/// A chart with its file stem and caption.
#[derive(Clone, Debug)]
pub struct Figure {
    pub stem: String,
    pub caption: String,
    pub chart: Chart,
}

/// A figure drawn in both formats.
#[derive(Clone, Debug)]
pub struct Drawn {
    pub figure: Figure,
    pub svg: String,
    pub png: Vec<u8>,
}

/// Fan charts are drawn for these metrics, in this order, and for the caseload after the first
/// two where the scenario reports it ([`fan_metrics`]).
pub const FAN_METRICS: [Metric; 5] = [
    Metric::AgencyShare,
    Metric::PermanentFte,
    Metric::VacancyRate,
    Metric::Under2yShare,
    Metric::CostMonth,
];

fn scale_of(m: Metric) -> Scale {
    match m.unit() {
        Unit::Share | Unit::Rate => Scale::Percent,
        Unit::Pounds => Scale::Pounds,
        Unit::Fte | Unit::Cases | Unit::PerFte => Scale::Number,
    }
}

fn time(r: &Results) -> TimeAxis {
    TimeAxis {
        start: r.start,
        months: r.months as usize,
    }
}

fn fan(r: &Results, v: usize, m: Metric) -> Fan {
    let traj = &r.variants[v].trajectories[m.index()];
    let pick = |f: fn(&crate::stats::Summary) -> f64| -> Vec<f64> {
        traj.iter()
            .map(|s| s.as_ref().map_or(f64::NAN, f))
            .collect()
    };
    Fan {
        name: r.variants[v].name.clone(),
        description: text::clip(&r.variants[v].description),
        colour: v,
        p05: pick(|s| s.p05),
        p25: pick(|s| s.p25),
        p50: pick(|s| s.p50),
        p75: pick(|s| s.p75),
        p95: pick(|s| s.p95),
    }
}

/// The report's charts drawn, with what they were drawn from: what the chart files and the report
/// are made from.
pub struct Drawing<'a> {
    pub projection: Projection<'a>,
    pub drawn: Vec<Drawn>,
}

impl Drawing<'_> {
    pub fn figures(&self) -> Vec<Figure> {
        self.drawn.iter().map(|d| d.figure.clone()).collect()
    }
}

/// Every figure of the report, in report order.
pub fn figures(p: &Projection) -> Vec<Figure> {
    let r = p.results;
    let mut out = fans(p);
    out.extend(target_lines(r));
    out.extend(cost_figures(r));
    out.extend(payback(r));
    out.push(composition(r));
    out
}

/// The metrics fan charts are drawn for: [`FAN_METRICS`], with the caseload third where the
/// scenario reports it.
pub fn fan_metrics(r: &Results) -> Vec<Metric> {
    let mut out = FAN_METRICS.to_vec();
    let reported = r.variants[0].trajectories[Metric::Caseload.index()]
        .iter()
        .any(Option::is_some);
    if reported {
        out.insert(2, Metric::Caseload);
    }
    out
}

/// A fan chart for each of [`fan_metrics`], with any target on it and the census's rates.
fn fans(p: &Projection) -> Vec<Figure> {
    let r = p.results;
    let grade_names = &r.grade_names[..];
    let n = r.variants.len();
    let mut out = Vec::new();
    let mut together = Vec::new();
    for m in fan_metrics(r) {
        let targets: Vec<TargetLine> = r
            .targets
            .iter()
            .filter(|t| t.metric == m)
            .map(|t| TargetLine {
                label: format!("{} by {}", t.name, t.by),
                value: t.value,
                deadline: t.month,
            })
            .collect();
        let name = r.metric_name(m);
        let observed = p
            .census
            .map_or_else(Vec::new, |c| crate::census::join::observed(r, c, m));
        if n > 1 {
            together.push(Figure {
                stem: format!("compare_{name}"),
                caption: format!(
                    "{}: every option's median (line) and 90% range (shaded) on one chart, to compare the options directly{}.",
                    m.title(grade_names),
                    if targets.is_empty() {
                        ""
                    } else {
                        "; the dashed red lines mark the target and its deadline"
                    },
                ),
                chart: Chart::Together {
                    title: format!("{}: the options together", m.title(grade_names)),
                    scale: scale_of(m),
                    time: time(r),
                    fans: (0..n).map(|v| fan(r, v, m)).collect(),
                    targets: targets.clone(),
                },
            });
        }
        out.push(Figure {
            stem: format!("fan_{name}"),
            caption: format!(
                "{}: median (line), 50% and 90% ranges (shaded) across {} replications, one panel per option{}{}.",
                m.title(grade_names),
                r.replications,
                if targets.is_empty() {
                    ""
                } else {
                    "; the dashed red lines mark the target and its deadline"
                },
                match (p.census, observed.is_empty()) {
                    (Some(p), false) => format!(
                        "; the open circles are {}'s published census rates at 30 September",
                        p.area.name
                    ),
                    _ => String::new(),
                }
            ),
            chart: Chart::Fans {
                title: m.title(grade_names),
                scale: scale_of(m),
                time: time(r),
                fans: (0..n).map(|v| fan(r, v, m)).collect(),
                targets,
                observed,
                own_scales: false,
            },
        });
    }
    // The options together first, each metric's fans after: the comparison a paper quotes, then
    // each option alone with its 50% range.
    together.extend(out);
    together
}

/// The chance of meeting each target month by month, by option.
fn target_lines(r: &Results) -> Vec<Figure> {
    let mut out = Vec::new();
    for (ti, t) in r.targets.iter().enumerate() {
        let first = t.metric.first_month();
        let lines = r
            .variants
            .iter()
            .map(|v| {
                let p = v.targets[ti]
                    .by_month
                    .iter()
                    .enumerate()
                    .map(|(m, &p)| if m < first { f64::NAN } else { p })
                    .collect();
                (v.name.clone(), p)
            })
            .collect();
        out.push(Figure {
            stem: format!("target_{}", crate::model::metric::slug(&t.name)),
            caption: format!(
                "Probability that target `{}` ({}) holds in each month, by option; its deadline is {}.",
                t.name,
                t.condition(&r.grade_names),
                t.by
            ),
            chart: Chart::Lines {
                title: format!("Chance of meeting target: {}", t.name),
                scale: Scale::Percent,
                time: time(r),
                lines,
                y_range: Some((0.0, 1.0)),
                marker: Some((format!("deadline {}", t.by), t.month)),
            },
        });
    }
    out
}

/// Cost per financial year, and (with options) extra cost against agency avoided.
fn cost_figures(r: &Results) -> Vec<Figure> {
    let n = r.variants.len();
    let mut out = Vec::new();
    let groups: Vec<String> = r.financial_years.iter().map(|f| f.title.clone()).collect();
    out.push(Figure {
        stem: "costs_by_year".into(),
        caption: "Total workforce cost per financial year (April to March) by option: mean, with the 90% range as a bar. A year only partly inside the horizon names the months it covers, e.g. 2022/23 (Oct-Mar).".into(),
        chart: Chart::Bars {
            title: "Cost per financial year".into(),
            scale: Scale::Pounds,
            groups,
            series: r
                .variants
                .iter()
                .map(|v| {
                    (
                        v.name.clone(),
                        (0..r.financial_years.len())
                            .map(|y| {
                                let s = v.costs[y][Component::Total];
                                (s.mean, s.p05, s.p95)
                            })
                            .collect(),
                    )
                })
                .collect(),
        },
    });
    if n > 1 {
        let points = r
            .variants
            .iter()
            .enumerate()
            .skip(1)
            .filter_map(|(i, v)| {
                let find = |m: Measure| crate::sim::compare::find(&v.comparison, m)?.summary;
                let cost = find(Measure::CostDiffTotal)?;
                let agency = find(Measure::AgencyFteMonthsDiff)?;
                // Avoided is the negative of the difference; its 90% range flips with it.
                Some(ScatterPoint {
                    name: v.name.clone(),
                    colour: i,
                    x: (-agency.mean, -agency.p95, -agency.p05),
                    y: (cost.mean, cost.p05, cost.p95),
                })
            })
            .collect();
        out.push(Figure {
            stem: "cost_vs_agency_avoided".into(),
            caption: "Each option against the baseline over the whole horizon: extra cost (up; below zero saves money) against agency FTE-months avoided (right), means with 90% ranges of the paired differences.".into(),
            chart: Chart::Scatter {
                title: "Extra cost against agency avoided".into(),
                x_label: "Agency FTE-months avoided".into(),
                y_label: "Extra cost over the horizon".into(),
                x_scale: Scale::Number,
                y_scale: Scale::Pounds,
                points,
            },
        });
    }
    out
}

/// Each option's cumulative net cost against the baseline month by month: its payback curve,
/// with the 50% and 90% ranges of the per-replication running sums.
fn payback(r: &Results) -> Option<Figure> {
    if r.variants.len() < 2 {
        return None;
    }
    let fans = r.variants[1..]
        .iter()
        .enumerate()
        .map(|(i, v)| {
            // Straight lines between the quarters' summaries, month by month.
            let pick = |f: fn(&crate::stats::Summary) -> f64| joined(&v.cumulative, f);
            Fan {
                name: v.name.clone(),
                description: text::clip(&v.description),
                // Each option keeps its colour from the other charts; the baseline has none here.
                colour: i + 1,
                p05: pick(|s| s.p05),
                p25: pick(|s| s.p25),
                p50: pick(|s| s.p50),
                p75: pick(|s| s.p75),
                p95: pick(|s| s.p95),
            }
        })
        .collect();
    Some(Figure {
        stem: "cumulative_net_cost".into(),
        caption: format!(
            "Payback: each option's cumulative cost less the baseline's from {}, at the end of each quarter: median (line), 50% and 90% ranges (shaded) of each replication's running sum, one panel per option, each on its own scale. Below zero the option has saved money so far; where the line crosses zero for good it has paid for itself.",
            r.start
        ),
        chart: Chart::Fans {
            title: "Cumulative net cost against the baseline".into(),
            scale: Scale::Pounds,
            time: time(r),
            fans,
            targets: Vec::new(),
            observed: Vec::new(),
            // One option's running sums can be many times another's: each on its own scale, so
            // that every option's crossing of zero can be read.
            own_scales: true,
        },
    })
}

/// A value for every month from values at some months, `(month, summary)` in month order,
/// joined by straight lines.
fn joined(
    points: &[(usize, crate::stats::Summary)],
    f: fn(&crate::stats::Summary) -> f64,
) -> Vec<f64> {
    let Some(&(last, _)) = points.last() else {
        return Vec::new();
    };
    let mut out = vec![f64::NAN; last + 1];
    for pair in points.windows(2) {
        let ((m0, s0), (m1, s1)) = (pair[0], pair[1]);
        let (y0, y1) = (f(&s0), f(&s1));
        for (m, slot) in out.iter_mut().enumerate().take(m1 + 1).skip(m0) {
            *slot = y0 + (y1 - y0) * (m - m0) as f64 / (m1 - m0) as f64;
        }
    }
    if let [(m, s)] = points {
        out[*m] = f(s);
    }
    out
}

/// Workforce composition by grade, agency and vacant posts, stacked.
fn composition(r: &Results) -> Figure {
    let grade_names = &r.grade_names[..];
    let n = r.variants.len();
    let mut layer_names: Vec<String> = grade_names.to_vec();
    layer_names.extend(["Agency".to_string(), "Vacant, not covered".to_string()]);
    let layers = |v: usize| -> Vec<Vec<f64>> {
        let median = |m: Metric| -> Vec<f64> {
            r.variants[v].trajectories[m.index()]
                .iter()
                .map(|s| s.as_ref().map_or(f64::NAN, |s| s.p50))
                .collect()
        };
        (0..grade_names.len())
            .map(Metric::GradeFte)
            // Uncovered vacancies, not the DfE's vacancies (which include posts agency staff
            // cover), so that the layers add up to the establishment, not above it.
            .chain([Metric::AgencyFte, Metric::UncoveredFte])
            .map(median)
            .collect()
    };
    Figure {
        stem: "composition".into(),
        caption: "Workforce composition: median FTE by grade, agency, and vacant posts not covered by agency, stacked, one panel per option; together they make the establishment (agency covering absence or posts beyond it shows above). Medians of parts need not add up exactly to the median establishment.".into(),
        chart: Chart::Stacks {
            title: "Workforce composition (median FTE)".into(),
            time: time(r),
            layer_names,
            panels: (0..n)
                .map(|v| {
                    let variant = &r.variants[v];
                    (
                        variant.name.clone(),
                        text::clip(&variant.description),
                        layers(v),
                    )
                })
                .collect(),
        },
    }
}

/// Draws every figure in both formats, figures and formats in parallel (drawing is most of the
/// time the report takes); the first error, in figure order, is returned.
pub fn draw_all(
    figures: Vec<Figure>,
) -> Result<Vec<Drawn>, crate::output::charts::draw::ChartError> {
    let drawn: Vec<Result<Drawn, crate::output::charts::draw::ChartError>> = figures
        .into_par_iter()
        .map(|f| {
            let (svg, png) = rayon::join(|| f.chart.svg(), || f.chart.png());
            Ok(Drawn {
                svg: svg?,
                png: png?,
                figure: f,
            })
        })
        .collect();
    drawn.into_iter().collect()
}

/// Exporter of `charts/<stem>.svg` and `.png` for each figure of the report.
pub struct ChartFiles;

impl Exporter<Drawing<'_>> for ChartFiles {
    fn files(&self, d: &Drawing) -> Result<Vec<OutFile>, OutputError> {
        Ok(d.drawn
            .iter()
            .flat_map(|d| {
                let charts = Path::new("charts");
                [
                    OutFile {
                        path: charts.join(format!("{}.svg", d.figure.stem)),
                        bytes: d.svg.clone().into_bytes(),
                    },
                    OutFile {
                        path: charts.join(format!("{}.png", d.figure.stem)),
                        bytes: d.png.clone(),
                    },
                ]
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Summary;

    #[test]
    fn quarterly_points_are_joined_by_straight_lines() {
        let at = |x: f64| Summary::of(&[x]);
        let points = [(0, at(0.0)), (3, at(30.0)), (6, at(0.0)), (7, at(10.0))];
        let line = joined(&points, |s| s.p50);
        assert_eq!(line, [0.0, 10.0, 20.0, 30.0, 20.0, 10.0, 0.0, 10.0]);
        assert_eq!(joined(&[(0, at(5.0))], |s| s.p50), [5.0]);
        assert!(joined(&[], |s| s.p50).is_empty());
        assert_eq!(crate::sim::run::payback_months(7), [0, 3, 6, 7]);
        assert_eq!(crate::sim::run::payback_months(6), [0, 3, 6]);
    }
}
