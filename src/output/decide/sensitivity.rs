//! `wfsim sensitivity`'s files (`sensitivity.csv`, `correlations.csv`, `sensitivity.json`, the
//! tornado) and its terminal table.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{chart_files, csv_file, json_file};
use crate::decide::sensitivity::{Outcomes, Sensitivity};
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

/// The tornado chart: one panel per outcome, each sorted by its own swing.
pub fn tornado(sens: &Sensitivity, s: &Scenario) -> Chart {
    let deadline = s.date(sens.month);
    let mut panels = Vec::new();
    let mut panel = |title: String, scale: Scale, base: f64, pick: fn(&Outcomes) -> f64| {
        if !base.is_finite() {
            return;
        }
        let mut bars: Vec<(String, f64, f64)> = sens
            .swings
            .iter()
            .map(|w| {
                let name = bar_label(&w.input.path, &sens.option);
                (name, pick(&w.at_low), pick(&w.at_high))
            })
            .collect();
        bars.sort_by(|a, b| (b.2 - b.1).abs().total_cmp(&(a.2 - a.1).abs()));
        bars.truncate(TORNADO_BARS);
        panels.push(TornadoPanel {
            title,
            scale,
            base,
            bars,
        });
    };
    // For an option, each outcome is its difference from the baseline.
    let (versus, share) = if sens.difference {
        (", option minus baseline", Scale::Points)
    } else {
        ("", Scale::Percent)
    };
    panel(
        format!("Agency share, {deadline}{versus} (mean)"),
        share,
        sens.base.agency_share,
        |o| o.agency_share,
    );
    if let Some(t) = &sens.target {
        panel(
            format!("Chance of meeting {t}{versus}"),
            share,
            sens.base.p_target,
            |o| o.p_target,
        );
    }
    panel(
        format!("Total cost over the horizon{versus} (mean)"),
        Scale::Pounds,
        sens.base.cost,
        |o| o.cost,
    );
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

/// The terminal table: inputs by the size of their swing in agency share, the largest
/// `TABLE_SWINGS`, with a line saying so when there are more.
pub fn sensitivity_table(sens: &Sensitivity, s: &Scenario) -> String {
    // Levels for the baseline; for an option, its differences from the baseline.
    type Format = fn(f64) -> String;
    let (versus, share, chance): (&str, Format, Format) = if sens.difference {
        (" vs baseline", points, points)
    } else {
        ("", pct, pc)
    };
    let cost = if sens.difference { signed_money } else { money };
    let mut head = vec![
        "input".to_string(),
        "low-high".to_string(),
        format!("agency share {}{versus}", s.date(sens.month)),
    ];
    if let Some(t) = &sens.target {
        head.push(format!("P({t}){versus}"));
    }
    head.push(format!("total cost{versus}"));
    let mut rows = vec![head];
    let mut base = vec![
        "(as stated)".to_string(),
        String::new(),
        share(sens.base.agency_share),
    ];
    if sens.target.is_some() {
        base.push(chance(sens.base.p_target));
    }
    base.push(cost(sens.base.cost));
    rows.push(base);
    for w in sens.swings.iter().take(TABLE_SWINGS) {
        let mut row = vec![
            w.input.path.clone(),
            format!("{} to {}", num(w.input.low, 4), num(w.input.high, 4)),
            format!(
                "{} to {}",
                share(w.at_low.agency_share),
                share(w.at_high.agency_share)
            ),
        ];
        if sens.target.is_some() {
            row.push(format!(
                "{} to {}",
                chance(w.at_low.p_target),
                chance(w.at_high.p_target)
            ));
        }
        row.push(format!(
            "{} to {}",
            cost(w.at_low.cost),
            cost(w.at_high.cost)
        ));
        rows.push(row);
    }
    let mut out = layout(&rows);
    if sens.difference {
        out.push_str(&format!(
            "(each outcome is option {} minus the baseline, on the same random numbers)\n",
            sens.option
        ));
    }
    if sens.swings.len() > TABLE_SWINGS {
        out.push_str(&format!(
            "(the {TABLE_SWINGS} of {} inputs that move the agency share most; all are in sensitivity.csv)\n",
            sens.swings.len()
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
