//! `summary.json`: the figures a committee paper quotes, with their Monte Carlo errors and the
//! provenance needed to reproduce them (input hash, seed, replications, version).

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::provenance::Provenance;
use super::{Exporter, OutFile, OutputError, Projection, one_file};
use crate::model::comparison::Measure;
use crate::model::metric;
use crate::output::chance::Chance;
use crate::sim::run::{Results, RulesEffect, rules_effect_months};
use crate::stats::Summary;

/// Exporter of `summary.json`.
pub struct SummaryJson;

fn stats(s: &Summary) -> Value {
    json!({ "mean": s.mean, "se": s.se, "p05": s.p05, "p50": s.p50, "p95": s.p95 })
}

/// What the 2024 agency rules change under an option: with the rules, without them, and the
/// paired change (with less without), for agency FTE averaged over the last 12 months and agency
/// spend over the span of whole financial years (`total`: the whole horizon, when it has none).
fn rules_effect(r: &Results, e: &RulesEffect) -> Value {
    let months = rules_effect_months(r.months as usize);
    json!({
        "replications": e.replications,
        "agency_fte": {
            "from": r.date(*months.start()).to_string(),
            "to": r.date(*months.end()).to_string(),
            "with_rules": stats(&e.fte_with),
            "without_rules": stats(&e.fte_without),
            "change": stats(&e.fte),
        },
        "agency_spend": {
            "period": r.span.as_ref().map_or("total", |s| s.label.as_str()),
            "with_rules": stats(&e.spend_with),
            "without_rules": stats(&e.spend_without),
            "change": stats(&e.spend),
        },
    })
}

/// The whole summary as a JSON value.
pub fn summary_value(p: &Projection) -> Value {
    let r = p.results;
    let end = r.months as usize;
    let options: Vec<Value> = r
        .variants
        .iter()
        .map(|v| {
            let targets: Vec<Value> = v
                .targets
                .iter()
                .enumerate()
                .map(|(ti, t)| {
                    let c = Chance::of(r, t, ti);
                    json!({
                        "name": t.name,
                        "probability_met": t.met.p,
                        "probability_se": t.met.se,
                        "probability_met_12_months": c.year,
                        "months_in_window": c.months,
                        "swings_with_season": c.swings(),
                        "value_at_deadline": stats(&t.value),
                    })
                })
                .collect();
            let mut end_values = Map::new();
            for m in metric::key_metrics() {
                if let Some(s) = &v.trajectories[m.index()][end] {
                    end_values.insert(r.metric_name(m), stats(s));
                }
            }
            let mut costs = Map::new();
            for (label, per) in r.cost_periods(v) {
                let mut comps = Map::new();
                for (c, s) in per.iter() {
                    comps.insert(c.key().to_string(), stats(s));
                }
                costs.insert(label.to_string(), Value::Object(comps));
            }
            let mut budget = Map::new();
            for (label, per) in r.budget_periods(v) {
                let mut lines = Map::new();
                for (l, s) in per {
                    lines.insert(l.key().to_string(), stats(s));
                }
                budget.insert(label.to_string(), Value::Object(lines));
            }
            let comparison: Vec<Value> = v
                .comparison
                .iter()
                .map(|m| {
                    let mut row = json!({
                        "measure": m.name,
                        "mean": m.mean,
                        "se": m.summary.map(|s| s.se),
                        "p05": m.summary.map(|s| s.p05),
                        "p50": m.summary.map(|s| s.p50),
                        "p95": m.summary.map(|s| s.p95),
                        "prob_better": m.prob_better,
                    });
                    if m.measure == Measure::BreakEvenMonth {
                        row["prob_never"] = json!(m.prob_better.map(|p| 1.0 - p));
                    }
                    row
                })
                .collect();
            let mut option = json!({
                "name": v.name,
                "description": v.description,
                "targets": targets,
                "end_of_horizon": end_values,
                "costs": costs,
                "premium_budget": budget,
                "npv": stats(&v.npv),
                "agency_fte_months": stats(&v.agency_fte_months),
                "comparison_with_baseline": comparison,
            });
            // Only where the run set the option beside itself without the 2024 agency rules.
            if let Some(e) = &v.rules_effect {
                option["agency_rules_effect"] = rules_effect(r, e);
            }
            option
        })
        .collect();
    let targets: Vec<Value> = r
        .targets
        .iter()
        .map(|t| {
            json!({
                "name": t.name,
                "metric": r.metric_name(t.metric),
                "condition": if t.at_most { "at_most" } else { "at_least" },
                "value": t.value,
                "by": t.by.to_string(),
            })
        })
        .collect();
    let mut out = Provenance::of_results(r).object();
    let rest = json!({
        "end": r.date(end).to_string(),
        "discount_rate": r.discount_rate,
        "financial_years": r.financial_years,
        "span": r.span,
        "targets": targets,
        "notes": r.notes,
        // The census the baseline was set against (`run --census`), or null.
        "census": p.census.map(|c| json!({
            "file": c.file,
            "sha256": c.sha256,
            "area": c.area.name,
            "comparison": crate::census::join::beside(r, c).iter().map(|b| json!({
                "year": b.year,
                "rate": r.metric_name(b.metric),
                "published": b.published.as_ref().and_then(|(v, _)| v.number()),
                "flag": b.published.as_ref().map(|(v, mark)| match v {
                    crate::census::Entry::Number(_) => mark.to_string(),
                    crate::census::Entry::Symbol(sym) => format!("{sym}{mark}"),
                }),
                "projected": b.projected.map(|s| json!({
                    "p05": s.p05, "p25": s.p25, "p50": s.p50, "p75": s.p75, "p95": s.p95,
                })),
            })).collect::<Vec<_>>(),
        })),
        "options": options,
    });
    if let Value::Object(rest) = rest {
        out.extend(rest);
    }
    Value::Object(out)
}

impl Exporter<Projection<'_>> for SummaryJson {
    fn files(&self, p: &Projection) -> Result<Vec<OutFile>, OutputError> {
        one_file("summary.json", |out| {
            serde_json::to_writer_pretty(&mut *out, &summary_value(p)).map_err(io::Error::other)?;
            out.write_all(b"\n")
        })
    }
}
