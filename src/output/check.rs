//! The one-screen summary `wfsim check` prints for a valid scenario.

use std::fmt::Write;

use super::table::layout;
use crate::model::date::YearMonth;
use crate::model::format::fmt_g;
use crate::model::format::{money, pct};
use crate::scenario::param::Shown;
use crate::scenario::{OnCosts, Scenario, Spec};

pub fn render(s: &Scenario) -> String {
    let b = s.baseline();
    let mut o = String::new();
    let _ = writeln!(o, "{} ({})", s.name, s.file);
    if !s.description.is_empty() {
        let _ = writeln!(o, "{}", s.description);
    }
    let _ = writeln!(
        o,
        "{} to {} ({} months), {} replications, seed {}\n",
        s.start,
        s.date(s.months as usize),
        s.months,
        s.replications,
        s.seed
    );
    posts(&mut o, b);
    grades(&mut o, b);
    intake_and_costs(&mut o, b, s.start);
    agency_rules(&mut o, b, s.start);
    targets(&mut o, s);
    options(&mut o, s);
    if !s.notes.is_empty() {
        let _ = writeln!(o, "\nnotes:");
        for n in &s.notes {
            let _ = writeln!(o, "  - {n}");
        }
    }
    let uncertain = count_uncertain(s);
    let _ = writeln!(
        o,
        "\n{uncertain} uncertain inputs are drawn once per replication{}. The scenario is valid.",
        if b.variation.is_none() {
            ""
        } else {
            ", and shocks once per replication and year"
        }
    );
    o
}

/// The post groups: establishment, staff and how vacancies fill.
fn posts(o: &mut String, b: &Spec) {
    let mut rows = vec![vec![
        "post group".into(),
        "establishment".into(),
        "permanent".into(),
        "agency".into(),
        "agency share".into(),
        "fill/month".into(),
    ]];
    for p in &b.posts {
        let perm: u32 = p.grades.iter().map(|&g| b.grades[g].permanent).sum();
        let share = f64::from(p.agency_start) / f64::from(p.agency_start + perm).max(1.0);
        rows.push(vec![
            p.name.clone(),
            p.establishment.describe(),
            perm.to_string(),
            p.agency_start.to_string(),
            pct(share),
            p.fill_probability.describe(),
        ]);
    }
    o.push_str(&layout(&rows));
}

/// Leavers returning as agency, and the 2024 agency rules in force.
fn agency_rules(o: &mut String, b: &Spec, start: YearMonth) {
    let a = &b.agency;
    if !a.has_flows() {
        return;
    }
    if !a.leavers_to_agency.is_zero() {
        let _ = writeln!(
            o,
            "leavers to agency work: {}; of them, working for this council as agency: {}",
            a.leavers_to_agency.words(Shown::Percent, start),
            a.return_share.words(Shown::Percent, start)
        );
    }
    if let Some(r) = &a.rules {
        let _ = writeln!(
            o,
            "DfE agency rules{} from {}: agency workers need {} months' post-qualifying experience (the share of the market with it: {}); no leaver back as agency within {} months",
            if r.region.is_empty() {
                String::new()
            } else {
                format!(" ({})", r.region)
            },
            r.from,
            r.min_experience_months,
            r.qualified_share.words(Shown::Percent, start),
            r.cooling_off_months
        );
        match r.caps_from {
            Some(c) => {
                let caps: Vec<String> = b
                    .posts
                    .iter()
                    .filter_map(|p| {
                        p.agency_price_cap.as_ref().map(|cap| {
                            format!("{}: {} an hour", p.name, cap.words(Shown::Pounds, start))
                        })
                    })
                    .collect();
                let _ = writeln!(
                    o,
                    "  price caps from {c}: {}; assignments signed off above the cap: {}",
                    if caps.is_empty() {
                        "none stated".to_string()
                    } else {
                        caps.join("; ")
                    },
                    r.above_cap_share.words(Shown::Percent, start)
                );
            }
            None => {
                let _ = writeln!(o, "  no price caps");
            }
        }
    }
}

/// The service bands, and each grade's staff, leaving, progression and pay.
fn grades(o: &mut String, b: &Spec) {
    let edges: Vec<String> = b.band_edges.iter().map(|e| e.to_string()).collect();
    let _ = writeln!(
        o,
        "\nservice bands (months): under {}, then {}+",
        edges.join(", "),
        b.band_edges.last().expect("bands")
    );
    let mut rows = vec![vec![
        "grade".into(),
        "post".into(),
        "permanent".into(),
        "annual leaving by band".into(),
        "progression".into(),
        "pay".into(),
    ]];
    for g in &b.grades {
        let leaving: Vec<String> = g.leaving.iter().map(|p| p.describe()).collect();
        let prog = g.progression.as_ref().map_or("-".into(), |p| {
            format!(
                "{} after {}m ({})",
                b.grades[p.to].name,
                p.after_months,
                p.pass_rate.describe()
            )
        });
        let pay = match g.pay_points.as_slice() {
            [x] => money(*x),
            v => format!("{}-{}", money(v[0]), money(v[v.len() - 1])),
        };
        rows.push(vec![
            format!("{}{}", g.name, if g.newly_qualified { " (NQ)" } else { "" }),
            b.posts[g.post].name.clone(),
            g.permanent.to_string(),
            leaving.join(" / "),
            prog,
            pay,
        ]);
    }
    o.push('\n');
    o.push_str(&layout(&rows));
}

/// Intakes, grow-your-own pipelines and costs.
fn intake_and_costs(o: &mut String, b: &Spec, start: YearMonth) {
    if let Some(a) = &b.asye {
        let _ = writeln!(
            o,
            "\nASYE intake: {} into {} each {}{}",
            a.size,
            b.grades[a.grade].name,
            crate::model::date::month_name(a.month),
            if a.sizes_by_year.is_empty() {
                ""
            } else {
                " (some years differ)"
            }
        );
        let mut limits = Vec::new();
        if a.within_establishment {
            limits.push("the vacant posts".to_string());
        }
        if let Some(per) = &a.per_supervisor {
            let who: Vec<&str> = a
                .supervisors
                .iter()
                .map(|&g| b.grades[g].name.as_str())
                .collect();
            limits.push(format!("{} per {} FTE", per.describe(), who.join(" or ")));
        }
        if let Some(s) = &a.max_share {
            limits.push(format!("a newly qualified share of {}", s.describe()));
        }
        if let Some(s) = &a.supply {
            limits.push(format!("a supply of {} a year", s.describe()));
        }
        if !limits.is_empty() {
            let _ = writeln!(o, "  taking at most {}", limits.join(", "));
        }
    }
    for p in &b.pipelines {
        let _ = writeln!(
            o,
            "pipeline {}: {} trainees every {} from {}-{:02}, {} months, completion {}, join {}",
            p.name,
            p.intake,
            if p.every_years == 1 {
                "year".to_string()
            } else {
                format!("{} years", p.every_years)
            },
            p.first_year,
            p.month,
            p.duration_months,
            p.completion_rate.describe(),
            p.join_rate.describe()
        );
    }
    if let Some(c) = &b.caseload {
        let mut weights: Vec<String> = b
            .grades
            .iter()
            .map(|g| {
                let protected = if g.protected_months > 0 {
                    format!(
                        " ({} in its first {} months)",
                        g.protected_weight.describe(),
                        g.protected_months
                    )
                } else {
                    String::new()
                };
                format!("{} {}{protected}", g.name, g.caseload_weight.describe())
            })
            .collect();
        weights.push(format!("agency {}", b.agency.caseload_weight.describe()));
        let _ = writeln!(o, "cases held: {}", c.cases.describe());
        let _ = writeln!(o, "  case-holding FTE per FTE: {}", weights.join("; "));
        if let Some(a) = &b.asye
            && a.supervision_time.range() != (0.0, 0.0)
        {
            let _ = writeln!(
                o,
                "  supervisors give {} FTE of casework to each newly qualified worker",
                a.supervision_time.describe()
            );
        }
        let _ = writeln!(
            o,
            "  leaving elasticity to caseload {} above {}",
            c.leaving_elasticity.describe(),
            c.reference
                .as_ref()
                .map_or("no reference".to_string(), |r| r.describe())
        );
    }
    // In words, as the report's assumptions table gives them: percentages, pounds, dates.
    use crate::scenario::param::Shown;
    let words = |p: &crate::scenario::param::Param, shown| p.words(shown, start);
    let oc = match &b.costs.on_costs {
        OnCosts::Rate(r) => format!("on-costs {}", words(r, Shown::Percent)),
        OnCosts::Separate {
            ni_rate,
            ni_threshold,
            pension_rate,
        } => format!(
            "employer NI {} above {}, pension {}",
            words(ni_rate, Shown::Percent),
            words(ni_threshold, Shown::Pounds),
            words(pension_rate, Shown::Percent)
        ),
    };
    let _ = writeln!(
        o,
        "costs: {oc}; pay award {} + {} each April; discount rate {}",
        words(&b.costs.pay_award, Shown::Percent),
        words(&b.costs.pay_award_flat, Shown::Pounds),
        Shown::Percent.value(b.costs.discount_rate)
    );
    if let Some(max) = &b.max_hires_per_month {
        let _ = writeln!(o, "hiring capacity: {} hires a month", max.describe());
    }
    if !b.variation.is_none() {
        let each: Vec<String> = b
            .variation
            .factors()
            .filter(|(_, w)| w.sd > 0.0)
            .map(|(d, w)| {
                let extra = match d.extra.map(|x| (x.key, (x.get)(&b.variation))) {
                    Some((key, value)) if value > 0.0 => format!(" {key} {}", fmt_g(value)),
                    _ => String::new(),
                };
                let k = w.tails.excess_kurtosis();
                let tails = if k > 0.0 {
                    format!(" tails {}", fmt_g(k))
                } else {
                    String::new()
                };
                format!(
                    "{} sd {} persistence {}{tails}{extra}",
                    d.key,
                    fmt_g(w.sd),
                    fmt_g(w.persistence)
                )
            })
            .collect();
        let _ = writeln!(o, "year-to-year variation: {}", each.join("; "));
    }
}

/// The targets in words.
fn targets(o: &mut String, s: &Scenario) {
    let names: Vec<String> = s.baseline().grades.iter().map(|g| g.name.clone()).collect();
    if !s.targets.is_empty() {
        let _ = writeln!(o, "\ntargets:");
        for t in &s.targets {
            // A deadline after the horizon is allowed; a run reports it as not assessed.
            let beyond = if t.month > s.months as usize {
                format!(
                    " (beyond the horizon, which ends {}: not assessed unless run for {} months)",
                    s.date(s.months as usize),
                    t.month
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                o,
                "  {}: {} by {}{beyond}",
                t.name,
                t.condition(&names),
                t.by
            );
        }
    }
}

/// Each option with what it changes: its premiums and the inputs its `set` replaces.
fn options(o: &mut String, s: &Scenario) {
    let b = s.baseline();
    let _ = writeln!(o, "\noptions (each compared with the baseline):");
    for v in &s.variants[1..] {
        let _ = writeln!(o, "  {}: {}", v.name, v.description);
        for (path, value) in &v.sets {
            let _ = writeln!(o, "    sets {path} = {value}");
        }
        for p in &v.spec.premiums {
            let grades: Vec<&str> = p
                .grades
                .iter()
                .map(|&g| b.grades[g].name.as_str())
                .collect();
            let (what, reach) = (p.kind.pays(p.amount), p.kind.reach());
            let _ = writeln!(
                o,
                "    {} for {}: {}; effect on leaving {} (reaching {reach}), on hiring {}",
                p.kind.label(),
                grades.join(", "),
                what,
                p.leaving_effect.describe(),
                p.hiring_effect.describe()
            );
        }
    }
}

fn count_uncertain(s: &Scenario) -> usize {
    let mut seen: Vec<&str> = Vec::new();
    for v in &s.variants {
        for p in v.spec.params() {
            if p.is_uncertain() && !p.path.is_empty() && !seen.contains(&p.path.as_str()) {
                seen.push(&p.path);
            }
        }
    }
    seen.len()
}
