//! `[[posts]]`: establishment groups, how their vacancies fill and how agency covers them.

use super::{count, opt_param, param_at, resolve};
use crate::model::format;
use crate::scenario::param::{Allowed, MONEY, Param, RATE};
use crate::scenario::spanned::{self, Node, Reader};
use crate::scenario::{MAX_ESTABLISHMENT, Post};

/// A number of FTE in a post group.
const FTE: Allowed = Allowed {
    lo: 0.0,
    hi: MAX_ESTABLISHMENT,
    what: "FTE from 0 to 100,000",
};

pub(super) fn read_post(r: &mut Reader, n: &Node, grade_names: &[String]) -> Option<Post> {
    let mut t = r.table(n)?;
    let name = t
        .require(r, "name", "the post group's name")
        .and_then(|n| r.name(&n));
    let establishment = t
        .require(r, "establishment", "funded posts in FTE")
        .and_then(|n| param_at(r, &n, FTE));
    let agency = t
        .get("agency")
        .map_or(Some(0), |n| count(r, &n, "agency FTE"));
    let extra = opt_param(r, &mut t, "agency_extra", FTE, 0.0);
    let recruit = t
        .require(
            r,
            "recruit",
            "the grade mix of external recruits, e.g. { \"Level 3\" = 1.0 }",
        )
        .and_then(|rn| {
            let rt = r.table(&rn)?;
            let mut mix = Vec::new();
            let keys: Vec<String> = rt.table.keys().map(|k| k.get_ref().to_string()).collect();
            for k in &keys {
                let v = rt.table.get(k.as_str()).expect("key exists");
                let node = Node {
                    value: v,
                    path: format!("{}.{}", rt.path, k),
                };
                let share = r.number_in(&node, 0.0, 1.0, "a share from 0 to 1");
                match grade_names.iter().position(|g| g == k) {
                    Some(g) => mix.push((g, share?)),
                    None => {
                        let mut known: Vec<&str> = grade_names.iter().map(String::as_str).collect();
                        known.dedup();
                        let hint = spanned::closest(k, &known)
                            .map(|s| format!("did you mean `{s}`? "))
                            .unwrap_or_default();
                        r.node_error(
                            &node,
                            format!(
                                "no grade is named `{k}`; {hint}known grades: {}",
                                known.join(", ")
                            ),
                        );
                    }
                }
            }
            if mix.len() != keys.len() {
                return None;
            }
            let total: f64 = mix.iter().map(|m| m.1).sum();
            if mix.is_empty() || (total - 1.0).abs() > 1e-6 {
                r.node_error(
                    &rn,
                    format!(
                        "recruit shares add up to {}; they must add up to 1",
                        format::fmt_g(total)
                    ),
                );
                return None;
            }
            Some(mix)
        });
    let fill = match (t.get("fill_probability"), t.get("months_to_fill")) {
        (Some(f), None) => param_at(r, &f, RATE),
        (None, Some(m)) if matches!(m.value.get_ref(), toml::de::DeValue::Table(_)) => {
            r.node_error(
                &m,
                "months_to_fill is one number, the mean time to fill; for an uncertain time, give \
                 fill_probability, the monthly chance of filling a vacancy, as a distribution \
                 (1 / months: 6 months is 0.167)",
            );
            None
        }
        (None, Some(m)) => r
            .number_in(
                &m,
                1.0,
                1e6,
                "a mean from 1 to 1,000,000 months (for an uncertain time to fill, give \
                 fill_probability, a monthly chance, as a distribution)",
            )
            .map(|x| Param::fixed(1.0 / x)),
        (Some(f), Some(_)) => {
            r.node_error(
                &f,
                "give either `fill_probability` or `months_to_fill`, not both",
            );
            None
        }
        (None, None) => {
            let (span, path) = (t.span.clone(), format!("{}.fill_probability", t.path));
            r.error(&span, &path, "missing; required: `fill_probability` (chance a vacancy is filled in a month) or `months_to_fill`");
            None
        }
    };
    let promote_from = t
        .get("promote_from")
        .map(|n| resolve(r, &n, grade_names, "grade"));
    let promote_share = opt_param(r, &mut t, "promote_share", RATE, 0.0);
    let cover = opt_param(r, &mut t, "agency_cover", RATE, 1.0);
    let (rate, per_day) = match (t.get("agency_hourly_rate"), t.get("agency_daily_rate")) {
        (Some(h), None) => (param_at(r, &h, MONEY), false),
        (None, Some(d)) => (param_at(r, &d, MONEY), true),
        (Some(h), Some(_)) => {
            r.node_error(
                &h,
                "give either `agency_hourly_rate` or `agency_daily_rate`, not both",
            );
            (None, false)
        }
        (None, None) => (Some(Param::fixed(0.0)), false),
    };
    let cap = match t.get("agency_price_cap") {
        Some(n) => param_at(r, &n, MONEY).map(Some),
        None => Some(None),
    };
    t.get("note");
    r.finish(t);
    let promote_from = match promote_from {
        Some(p) => Some(p?),
        None => None,
    };
    Some(Post {
        name: name?,
        establishment: establishment?,
        agency_extra: extra?,
        agency_start: agency?,
        grades: Vec::new(),
        recruit: recruit?,
        fill_probability: fill?,
        promote_from,
        promote_share: promote_share?,
        agency_cover: cover?,
        agency_rate: rate?,
        agency_rate_per_day: per_day,
        agency_price_cap: cap?,
    })
}
