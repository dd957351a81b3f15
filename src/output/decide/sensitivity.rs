//! `wfsim sensitivity`'s files (`sensitivity.csv`, `correlations.csv`, `sensitivity.json`, the
//! tornado) and its terminal table.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{chart_files, csv_file, json_file};
use crate::decide::sensitivity::{Outcomes, RankBy, Sensitivity};
use crate::model::format::{money, num, pc, pct};
use crate::output::charts::draw::{Chart, Scale, TornadoPanel};
use crate::output::provenance::Provenance;
use crate::output::table::layout;
use crate::output::{Exporter, OutFile, OutputError, publish, render};
use crate::scenario::Scenario;
use crate::sim::run::Settings;

/// How many inputs each tornado panel shows.
pub const TORNADO_BARS: usize = 15;

/// The longest bar label that fits the tornado's label area at its font size.
const LABEL_CHARS: usize = 84;

/// An input's tornado label: its name in words, with the key path beside for finding it in the
/// file. The path is kept whole; a name that would not fit drops the option's name (the chart's
/// title gives it), then is cut short with an ellipsis.
fn bar_label(path: &str, option: &str) -> String {
    let mut words = crate::scenario::keypath::in_words(path);
    let room = LABEL_CHARS.saturating_sub(path.chars().count() + 4);
    if words.chars().count() > room
        && let Some(rest) = words.strip_prefix(&format!("{option}: "))
    {
        words = rest.to_string();
    }
    if words.chars().count() > room {
        words = words
            .chars()
            .take(room.saturating_sub(1))
            .collect::<String>()
            + "…";
    }
    format!("{words}  [{path}]")
}

/// One outcome as the tornado and the table show it: its title, scale, how the table writes a
/// value and which field it is.
struct Shown {
    by: RankBy,
    title: String,
    scale: Scale,
    cell: fn(f64) -> String,
}

/// The outcomes shown, the one ranked by first, then the others in their usual order (agency
/// share, chance of the target, cost); the target only when there is one.
fn shown(sens: &Sensitivity, s: &Scenario) -> Vec<Shown> {
    let deadline = s.date(sens.month);
    // For an option, each outcome is its difference from the baseline.
    type Cell = fn(f64) -> String;
    let (versus, share, chance, cost): (&str, Scale, Cell, Cell) = if sens.difference {
        (
            ", option minus baseline",
            Scale::Points,
            points,
            signed_money,
        )
    } else {
        ("", Scale::Percent, pc, money)
    };
    let mut out = vec![Shown {
        by: RankBy::AgencyShare,
        title: format!("Agency share, {deadline}{versus} (mean)"),
        scale: share,
        cell: if sens.difference { points } else { pct },
    }];
    if let Some(t) = &sens.target {
        out.push(Shown {
            by: RankBy::Target,
            title: format!("Chance of meeting {t}{versus}"),
            scale: share,
            cell: chance,
        });
    }
    out.push(Shown {
        by: RankBy::Cost,
        title: if sens.difference {
            "Net cost of the option over the horizon (its total cost less the baseline's; mean)"
                .to_string()
        } else {
            "Total cost over the horizon (mean)".to_string()
        },
        scale: Scale::Pounds,
        cell: cost,
    });
    if let Some(i) = out.iter().position(|o| o.by == sens.rank_by) {
        let first = out.remove(i);
        out.insert(0, first);
    }
    out
}

/// The tornado chart: one panel per outcome, each sorted by its own swing, the outcome the
/// inputs are ranked by first (its bars in the terminal table's order).
pub fn tornado(sens: &Sensitivity, s: &Scenario) -> Chart {
    let mut panels = Vec::new();
    for o in shown(sens, s) {
        let base = o.by.of(&sens.base);
        if !base.is_finite() {
            continue;
        }
        let mut bars: Vec<(String, f64, f64)> = sens
            .swings
            .iter()
            .map(|w| {
                let name = bar_label(&w.input.path, &sens.option);
                (name, o.by.of(&w.at_low), o.by.of(&w.at_high))
            })
            .collect();
        // A stable sort: the ranked panel keeps the swings' own order.
        bars.sort_by(|a, b| (b.2 - b.1).abs().total_cmp(&(a.2 - a.1).abs()));
        bars.truncate(TORNADO_BARS);
        panels.push(TornadoPanel {
            title: o.title,
            scale: o.scale,
            base,
            bars,
        });
    }
    let what = if sens.difference {
        format!("What the effect of {} hangs on", sens.option)
    } else {
        format!("What the results hang on ({})", sens.option)
    };
    Chart::Tornado {
        title: what,
        panels,
    }
}

/// Swings the terminal table shows; `sensitivity.csv` has them all.
const TABLE_SWINGS: usize = 20;

/// The terminal table: inputs by the size of their swing in the outcome ranked by (the tornado's
/// first panel, in the same order), each named in words with its key path, the largest
/// `TABLE_SWINGS`, with a line saying so when there are more.
pub fn sensitivity_table(sens: &Sensitivity, s: &Scenario) -> String {
    let versus = if sens.difference { " vs baseline" } else { "" };
    let outcomes = shown(sens, s);
    let mut head = vec!["input".to_string(), "low-high".to_string()];
    for o in &outcomes {
        head.push(match o.by {
            RankBy::AgencyShare => format!("agency share {}, mean{versus}", s.date(sens.month)),
            RankBy::Target => format!("P({}){versus}", sens.target.as_deref().unwrap_or_default()),
            RankBy::Cost if sens.difference => "net cost over the horizon, mean".to_string(),
            RankBy::Cost => "total cost, mean".to_string(),
        });
    }
    let mut rows = vec![head];
    let mut base = vec!["(as stated)".to_string(), String::new()];
    base.extend(outcomes.iter().map(|o| (o.cell)(o.by.of(&sens.base))));
    rows.push(base);
    for w in sens.swings.iter().take(TABLE_SWINGS) {
        let mut row = vec![
            crate::scenario::keypath::for_reader(&w.input.path),
            format!("{} to {}", num(w.input.low, 4), num(w.input.high, 4)),
        ];
        row.extend(outcomes.iter().map(|o| {
            format!(
                "{} to {}",
                (o.cell)(o.by.of(&w.at_low)),
                (o.cell)(o.by.of(&w.at_high))
            )
        }));
        rows.push(row);
    }
    let mut out = layout(&rows);
    if sens.difference {
        out.push_str(&format!(
            "(each outcome is option {} minus the baseline, on the same random numbers)\n",
            sens.option
        ));
    }
    let what = sens.rank_by.words(sens.difference);
    if sens.swings.len() > TABLE_SWINGS {
        out.push_str(&format!(
            "(the {TABLE_SWINGS} of {} inputs that move {what} most, as the tornado's first panel; all are in sensitivity.csv)\n",
            sens.swings.len()
        ));
    } else {
        out.push_str(&format!(
            "(inputs in order of how much they move {what}, as the tornado's first panel)\n"
        ));
    }
    out
}

/// A difference of shares in percentage points, `-2.5 pts`.
fn points(x: f64) -> String {
    if x.is_nan() {
        "-".into()
    } else {
        Scale::Points.label(x)
    }
}

/// A difference in pounds with its sign, `+£12k`, `-£3k`.
fn signed_money(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", money(x))
    } else {
        money(x)
    }
}

/// A sensitivity analysis's files are made from the scenario, its settings and the analysis.
pub struct SensitivityRun<'a> {
    pub scenario: &'a Scenario,
    pub cfg: &'a Settings,
    pub sens: &'a Sensitivity,
}

/// `sensitivity.csv`: each input's swing of each outcome.
pub struct SwingsCsv;

impl Exporter<SensitivityRun<'_>> for SwingsCsv {
    fn files(&self, d: &SensitivityRun) -> Result<Vec<OutFile>, OutputError> {
        let sens = d.sens;
        let mut rows = Vec::new();
        // For an option the outcomes are differences from the baseline, and are named so.
        let versus = if sens.difference { "_vs_baseline" } else { "" };
        for w in &sens.swings {
            for (name, pick, places) in [
                (
                    "agency_share",
                    (|o: &Outcomes| o.agency_share) as fn(&Outcomes) -> f64,
                    6,
                ),
                ("prob_target", |o: &Outcomes| o.p_target, 6),
                ("cost_total", |o: &Outcomes| o.cost, 2),
            ] {
                if !pick(&sens.base).is_finite() {
                    continue;
                }
                rows.push(vec![
                    w.input.path.clone(),
                    w.input.basis.clone(),
                    num(w.input.low, 9),
                    num(w.input.high, 9),
                    format!("{name}{versus}"),
                    num(pick(&sens.base), places),
                    num(pick(&w.at_low), places),
                    num(pick(&w.at_high), places),
                    num(pick(&w.at_high) - pick(&w.at_low), places),
                ]);
            }
        }
        csv_file(
            "sensitivity.csv",
            &[
                "input",
                "basis",
                "low",
                "high",
                "outcome",
                "as_stated",
                "at_low",
                "at_high",
                "swing",
            ],
            rows,
        )
    }
}

/// `correlations.csv`: each uncertain input's rank correlation with each outcome.
pub struct CorrelationsCsv;

impl Exporter<SensitivityRun<'_>> for CorrelationsCsv {
    fn files(&self, d: &SensitivityRun) -> Result<Vec<OutFile>, OutputError> {
        let sens = d.sens;
        let versus = if sens.difference { "_vs_baseline" } else { "" };
        let head: Vec<String> = ["agency_share", "met_target", "cost_total"]
            .iter()
            .map(|h| format!("{h}{versus}"))
            .collect();
        csv_file(
            "correlations.csv",
            &["input", &head[0], &head[1], &head[2]],
            sens.correlations
                .iter()
                .map(|c| {
                    vec![
                        c.path.clone(),
                        num(c.agency_share, 4),
                        num(c.met_target, 4),
                        num(c.cost, 4),
                    ]
                })
                .collect(),
        )
    }
}

/// `sensitivity.json`: the provenance, the outcomes as stated, every swing and correlation.
pub struct SensitivityJson;

impl Exporter<SensitivityRun<'_>> for SensitivityJson {
    fn files(&self, d: &SensitivityRun) -> Result<Vec<OutFile>, OutputError> {
        let (s, cfg, sens) = (d.scenario, d.cfg, d.sens);
        let mut summary = Value::Object(Provenance::of_scenario(s, cfg).object());
        summary["option"] = json!(sens.option);
        summary["outcomes"] = json!(if sens.difference {
            "option minus baseline, on the same random numbers"
        } else {
            "levels"
        });
        summary["target"] = json!(sens.target);
        summary["at"] = json!(s.date(sens.month).to_string());
        summary["as_stated"] = json!(sens.base);
        summary["ranked_by"] = json!(sens.rank_by);
        // Targets beyond the horizon, which have no chance to swing, as the terminal says.
        summary["notes"] = json!(crate::decide::unassessed(s, cfg.months));
        summary["swings"] = json!(sens.swings);
        summary["skipped"] = json!(
            sens.skipped
                .iter()
                .map(|(p, why)| json!({"input": p, "reason": why}))
                .collect::<Vec<_>>()
        );
        summary["rank_correlations"] = json!(sens.correlations);
        json_file("sensitivity.json", &summary)
    }
}

/// `tornado.svg` and `tornado.png`: [`tornado`].
pub struct TornadoChart;

impl Exporter<SensitivityRun<'_>> for TornadoChart {
    fn files(&self, d: &SensitivityRun) -> Result<Vec<OutFile>, OutputError> {
        chart_files("tornado", &tornado(d.sens, d.scenario))
    }
}

/// Writes `sensitivity.csv` (swings), `correlations.csv`, `sensitivity.json` and
/// `tornado.svg`/`.png`.
pub fn write_sensitivity(
    dir: &Path,
    s: &Scenario,
    cfg: &Settings,
    sens: &Sensitivity,
) -> Result<Vec<PathBuf>, OutputError> {
    let run = SensitivityRun {
        scenario: s,
        cfg,
        sens,
    };
    let files = render(
        &run,
        &[
            &SwingsCsv,
            &CorrelationsCsv,
            &SensitivityJson,
            &TornadoChart,
        ],
    )?;
    Ok(publish(dir, &files)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_labels_fit_and_keep_the_whole_path() {
        assert_eq!(
            bar_label("grades[Level 3].leaving[3]", "baseline"),
            "Level 3: leaving rate, service band 4  [grades[Level 3].leaving[3]]"
        );
        // Too long with the option's name, which the title gives: it is dropped.
        let path = "options[supplement-3k].premiums[0].leaving_effect";
        assert_eq!(
            bar_label(path, "supplement-3k"),
            format!("premium 1 effect on leaving  [{path}]")
        );
        // Still too long: the words are cut, never the path.
        let path = "options[a-very-long-option-name-indeed].premiums[0].leaving_effect";
        let label = bar_label(path, "baseline");
        assert!(label.ends_with(&format!("…  [{path}]")), "{label}");
        assert_eq!(label.chars().count(), LABEL_CHARS);
    }
}
