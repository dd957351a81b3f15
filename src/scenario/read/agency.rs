//! `[recruitment]` and `[agency]`: how many can be hired in a month and at what cost, and how agency
//! workers come, go, convert and are charged.

use super::read_month;
use super::{opt_param, param_at};
use crate::scenario::param::{Allowed, MONEY, Param, RATE, WEIGHT};
use crate::scenario::spanned::{Node, Reader, Table};
use crate::scenario::{Agency, AgencyRules};

/// Hires a month: any number from 0, fractions accruing from month to month.
const HIRES: Allowed = Allowed {
    lo: 0.0,
    hi: 100_000.0,
    what: "hires a month from 0 to 100,000 (fractions accrue: 2.5 allows 2, 3, 2, 3, ...)",
};

/// `[recruitment]`: the most hires a month (none: no limit) and the cost of each.
pub(super) fn read_recruitment(
    r: &mut Reader,
    root: &mut Table,
) -> (Option<Option<Param>>, Option<Param>) {
    let (mut max_hires, mut cost_per_hire) = (Some(None), Some(Param::fixed(0.0)));
    if let Some(n) = root.get("recruitment")
        && let Some(mut t) = r.table(&n)
    {
        max_hires = match t.get("max_hires_per_month") {
            Some(n) => param_at(r, &n, HIRES).map(Some),
            None => Some(None),
        };
        cost_per_hire = opt_param(r, &mut t, "cost_per_hire", MONEY, 0.0);
        r.finish(t);
    }
    (max_hires, cost_per_hire)
}

/// `[agency]`, each input with its default when the table or the key is absent.
pub(super) fn read_agency(r: &mut Reader, root: &mut Table) -> Option<Agency> {
    let Some(n) = root.get("agency") else {
        return Some(Agency {
            monthly_churn: Param::fixed(0.0),
            fill_probability: Param::fixed(1.0),
            annual_rate_uplift: Param::fixed(0.0),
            monthly_conversion: Param::fixed(0.0),
            conversion_fee: Param::fixed(0.0),
            hours_per_week: 37.0,
            weeks_per_year: 52.0,
            caseload_weight: Param::fixed(1.0),
            leavers_to_agency: Param::fixed(0.0),
            return_share: Param::fixed(1.0),
            rules: None,
        });
    };
    let mut t = r.table(&n)?;
    let churn = opt_param(r, &mut t, "monthly_churn", RATE, 0.0);
    let agency_fill = opt_param(r, &mut t, "fill_probability", RATE, 1.0);
    let uplift = opt_param(
        r,
        &mut t,
        "annual_rate_uplift",
        Allowed {
            lo: -0.5,
            hi: 1.0,
            what: "a proportion from -0.5 to 1",
        },
        0.0,
    );
    let conversion = opt_param(r, &mut t, "monthly_conversion", RATE, 0.0);
    let fee = opt_param(r, &mut t, "conversion_fee", MONEY, 0.0);
    let hours = t.get("hours_per_week").map_or(Some(37.0), |n| {
        r.number_in(&n, 1.0, 168.0, "hours from 1 to 168")
    });
    let weeks = t.get("weeks_per_year").map_or(Some(52.0), |n| {
        r.number_in(&n, 1.0, 53.0, "weeks from 1 to 53")
    });
    let weight = opt_param(r, &mut t, "caseload_weight", WEIGHT, 1.0);
    let to_agency = opt_param(r, &mut t, "leavers_to_agency", RATE, 0.0);
    let return_share = opt_param(r, &mut t, "return_share", RATE, 1.0);
    let rules = match t.get("rules") {
        Some(n) => read_rules(r, &n).map(Some),
        None => Some(None),
    };
    r.finish(t);
    Some(Agency {
        leavers_to_agency: to_agency?,
        return_share: return_share?,
        rules: rules?,
        caseload_weight: weight?,
        monthly_churn: churn?,
        fill_probability: agency_fill?,
        annual_rate_uplift: uplift?,
        monthly_conversion: conversion?,
        conversion_fee: fee?,
        hours_per_week: hours?,
        weeks_per_year: weeks?,
    })
}

/// `[agency.rules]`: the DfE's 2024 rules, from the month they apply.
fn read_rules(r: &mut Reader, n: &Node) -> Option<AgencyRules> {
    let mut t = r.table(n)?;
    let region = t
        .get("region")
        .and_then(|n| r.label(&n))
        .unwrap_or_default();
    let from = t
        .require(
            r,
            "from",
            "the first month the rules apply to new assignments, e.g. \"2024-11\" (in force from 31 October 2024)",
        )
        .and_then(|n| read_month(r, &n));
    let experience = months(r, &mut t, "min_experience_months", 36);
    let cooling = months(r, &mut t, "cooling_off_months", 3);
    let qualified = opt_param(r, &mut t, "qualified_share", RATE, 1.0);
    let caps_from = match t.get("caps_from") {
        Some(n) => read_month(r, &n).map(Some),
        None => Some(None),
    };
    let above = opt_param(r, &mut t, "above_cap_share", RATE, 0.0);
    r.finish(t);
    Some(AgencyRules {
        region,
        from: from?,
        min_experience_months: experience?,
        cooling_off_months: cooling?,
        qualified_share: qualified?,
        caps_from: caps_from?,
        above_cap_share: above?,
    })
}

/// A whole number of months from 0 to 600 at `key`, or `default`.
fn months(r: &mut Reader, t: &mut Table, key: &'static str, default: u32) -> Option<u32> {
    match t.get(key) {
        Some(n) => r.integer_in(&n, 0, 600).map(|x| x as u32),
        None => Some(default),
    }
}
