//! `[[grades]]`: the staff of each grade, their service mix, leaving rates, progression and pay.

use super::{count, opt_param, param_at, resolve};
use crate::model::format;
use crate::model::metric;
use crate::scenario::param::{RATE, WEIGHT};
use crate::scenario::spanned::{self, Node, Reader};
use crate::scenario::{Grade, MAX_MONTHS, MAX_PAY_POINTS, Progression};

pub(super) fn read_grade(
    r: &mut Reader,
    n: &Node,
    grade_names: &[String],
    post_names: &[String],
    nbands: Option<usize>,
) -> Option<Grade> {
    let mut t = r.table(n)?;
    let name = t
        .require(r, "name", "the grade's name")
        .and_then(|n| r.name(&n));
    let post = t
        .require(
            r,
            "post",
            "the name of the [[posts]] group these staff hold",
        )
        .and_then(|n| resolve(r, &n, post_names, "post group"));
    let permanent = t
        .require(r, "permanent", "starting permanent FTE")
        .and_then(|n| count(r, &n, "permanent FTE"));
    let service_shares = t.require(r, "service_shares", "the share of starting staff in each service band").and_then(|sn| {
        let items = r.array(&sn)?;
        let v = spanned::every(items.iter().map(|i| r.number_in(i, 0.0, 1.0, "a share from 0 to 1")));
        let v = v?;
        if let Some(nb) = nbands
            && v.len() != nb
        {
            r.node_error(&sn, format!("has {} shares but there are {nb} service bands (see [service] band_edges_months)", v.len()));
            return None;
        }
        let sum: f64 = v.iter().sum();
        if (sum - 1.0).abs() > 1e-6 {
            r.node_error(&sn, format!("shares add up to {}; they must add up to 1", format::fmt_g(sum)));
            return None;
        }
        Some(v)
    });
    let leaving = t.require(r, "leaving", "the annual leaving rate in each service band").and_then(|ln| {
        let items = r.array(&ln)?;
        let v = spanned::every(items.iter().map(|i| param_at(r, i, RATE)));
        let v = v?;
        if let Some(nb) = nbands
            && v.len() != nb
        {
            r.node_error(&ln, format!("has {} rates but there are {nb} service bands (see [service] band_edges_months)", v.len()));
            return None;
        }
        Some(v)
    });
    let progression = match t.get("progression") {
        Some(pn) => r.table(&pn).and_then(|mut pt| {
            let span = pn.value.span();
            let to = pt
                .require(r, "to", "the grade staff progress to")
                .and_then(|n| resolve(r, &n, grade_names, "grade"));
            let after = pt
                .require(r, "after_months", "months in the grade before progression")
                .and_then(|n| r.integer_in(&n, 1, i64::from(MAX_MONTHS)).map(|x| x as u32));
            let pass = opt_param(r, &mut pt, "pass_rate", RATE, 1.0);
            r.finish(pt);
            Some(Some(Progression {
                to: to?,
                after_months: after?,
                pass_rate: pass?,
                span,
            }))
        }),
        None => Some(None),
    };
    let pay_points = match (t.get("salary"), t.get("pay_points")) {
        (Some(s), None) => r
            .number_in(&s, 0.0, 1e7, "an annual salary in pounds, 0 to 10,000,000")
            .map(|x| vec![x]),
        (None, Some(p)) => r.array(&p).and_then(|items| {
            let v = spanned::every(
                items
                    .iter()
                    .map(|i| r.number_in(i, 0.0, 1e7, "an annual salary in pounds")),
            );
            let v = v?;
            if v.is_empty() || v.len() > MAX_PAY_POINTS {
                r.node_error(
                    &p,
                    format!(
                        "has {} pay points; give from 1 to {MAX_PAY_POINTS}",
                        v.len()
                    ),
                );
                return None;
            }
            Some(v)
        }),
        (Some(s), Some(_)) => {
            r.node_error(&s, "give either `salary` or `pay_points`, not both");
            None
        }
        (None, None) => {
            let (span, path) = (t.span.clone(), format!("{}.salary", t.path));
            r.error(&span, &path, "missing; required: `salary` (pounds a year) or `pay_points` (a list, one step a year)");
            None
        }
    };
    let nq = t
        .get("newly_qualified")
        .map_or(Some(false), |n| r.boolean(&n));
    let weight = opt_param(r, &mut t, "caseload_weight", WEIGHT, 1.0);
    let protected_months = t.get("protected_months").map_or(Some(0), |n| {
        let months = r.integer_in(&n, 0, i64::from(MAX_MONTHS))? as u32;
        // Protection is counted from joining the grade; a failed progression starts the grade's
        // months again, so protection must end by the first try.
        if let Some(Some(p)) = &progression
            && months > p.after_months
        {
            r.node_error(
                &n,
                format!(
                    "is {months} months, longer than the {} months after which staff try progression; give at most {}",
                    p.after_months, p.after_months
                ),
            );
            return None;
        }
        Some(months)
    });
    let protected_weight = match t.get("protected_weight") {
        Some(n) => {
            if protected_months == Some(0) {
                let why = if t.table.contains_key("protected_months") {
                    "applies for `protected_months` months in the grade, which is 0 here; give it \
                     some months (e.g. 12), or leave protected_weight out"
                } else {
                    "applies for `protected_months` months in the grade; give protected_months too \
                     (e.g. 12)"
                };
                r.node_error(&n, why);
            }
            param_at(r, &n, WEIGHT)
        }
        None => weight.clone(),
    };
    // Recruits to a grade past the assessed year have had that year at least.
    let prior = match t.get("prior_experience_months") {
        Some(n) => r.integer_in(&n, 0, 600).map(|x| x as u32),
        None => nq.map(|nq| if nq { 0 } else { 12 }),
    };
    t.get("note");
    r.finish(t);
    let name = name?;
    Some(Grade {
        slug: metric::slug(&name),
        name,
        post: post?,
        permanent: permanent?,
        service_shares: service_shares?,
        leaving: leaving?,
        progression: progression?,
        pay_points: pay_points?,
        newly_qualified: nq?,
        caseload_weight: weight?,
        protected_months: protected_months?,
        protected_weight: protected_weight?,
        prior_experience_months: prior?,
    })
}
pub(super) fn check_progression_cycles(r: &mut Reader, grades: &[Grade]) {
    for (start, g) in grades.iter().enumerate() {
        let mut seen = vec![start];
        let mut cur = g.progression.as_ref().map(|p| p.to);
        while let Some(c) = cur {
            if c == start {
                // Report each cycle once, at the first grade in it.
                if seen.iter().all(|&i| i >= start) {
                    let chain: Vec<&str> = seen
                        .iter()
                        .chain([&start])
                        .map(|&i| grades[i].name.as_str())
                        .collect();
                    let path = format!("grades[{}].progression.to", g.name);
                    let span = g.progression.as_ref().expect("in a cycle").span.clone();
                    r.error(
                        &span,
                        &path,
                        format!("progression goes round in a cycle ({}); it must end at a grade with no progression", chain.join(" -> ")),
                    );
                }
                break;
            }
            if seen.contains(&c) {
                break;
            }
            seen.push(c);
            cur = grades[c].progression.as_ref().map(|p| p.to);
        }
    }
}
