//! `[costs]`: on-costs, pay awards, the ASYE grant and the discount rate.

use super::{opt_param, param_at};
use crate::scenario::param::{Allowed, MONEY, Param, RATE};
use crate::scenario::spanned::{Reader, Table};
use crate::scenario::{Costs, OnCosts};

/// `[costs]`, each input with its default when the table or the key is absent.
pub(super) fn read_costs(r: &mut Reader, root: &mut Table) -> Option<Costs> {
    let Some(n) = root.get("costs") else {
        return Some(Costs {
            on_costs: OnCosts::Rate(Param::fixed(0.0)),
            pay_award: Param::fixed(0.0),
            pay_award_flat: Param::fixed(0.0),
            asye_grant: Param::fixed(0.0),
            discount_rate: 0.035,
        });
    };
    let mut t = r.table(&n)?;
    let costs = read_costs_table(r, &mut t);
    r.finish(t);
    costs
}

fn read_costs_table(r: &mut Reader, t: &mut Table) -> Option<Costs> {
    let on_costs = read_on_costs(r, t);
    let award = opt_param(
        r,
        t,
        "pay_award",
        Allowed {
            lo: -0.5,
            hi: 1.0,
            what: "a proportion from -0.5 to 1",
        },
        0.0,
    );
    let flat = opt_param(
        r,
        t,
        "pay_award_flat",
        // Not below 0: flat cuts year after year would take pay below nothing (a cut is a
        // negative `pay_award`, which cannot).
        Allowed {
            lo: 0.0,
            hi: 1e5,
            what: "pounds a year added to each salary, from 0 to 100,000 (a pay cut is a negative pay_award)",
        },
        0.0,
    );
    let grant = opt_param(r, t, "asye_grant", MONEY, 0.0);
    // One rate for the whole horizon: the Green Book's 3.5% holds for 30 years, longer than
    // any horizon (240 months), so a path would describe no real schedule.
    let discount = t.get("discount_rate").map_or(Some(0.035), |n| {
        r.number_in(
            &n,
            0.0,
            1.0,
            "a yearly rate from 0 to 1 (one rate for the whole horizon)",
        )
    });
    Some(Costs {
        on_costs: on_costs?,
        pay_award: award?,
        pay_award_flat: flat?,
        asye_grant: grant?,
        discount_rate: discount?,
    })
}

/// The on-costs: one rate, or employer NI above a threshold and pension. Every key is read
/// before any problem ends the reading, so that one bad value gives one error, not "unknown key"
/// for each key after it.
fn read_on_costs(r: &mut Reader, t: &mut Table) -> Option<OnCosts> {
    let single = t.get("on_cost_rate");
    let ni = t.get("employer_ni_rate");
    let threshold = t.get("ni_threshold");
    let pension = t.get("pension_rate");
    match (single, ni) {
        (Some(s), None) => {
            let rate = param_at(r, &s, RATE);
            for n in [&threshold, &pension].into_iter().flatten() {
                r.node_error(
                    n,
                    "goes with `employer_ni_rate`; `on_cost_rate` already holds every on-cost",
                );
            }
            rate.filter(|_| threshold.is_none() && pension.is_none())
                .map(OnCosts::Rate)
        }
        (None, Some(n)) => {
            let ni_rate = param_at(r, &n, RATE);
            let threshold = match &threshold {
                Some(n) => param_at(r, n, NI_THRESHOLD),
                None => Some(Param::fixed(0.0)),
            };
            let pension = match &pension {
                Some(n) => param_at(r, n, RATE),
                None => Some(Param::fixed(0.0)),
            };
            Some(OnCosts::Separate {
                ni_rate: ni_rate?,
                ni_threshold: threshold?,
                pension_rate: pension?,
            })
        }
        (Some(s), Some(_)) => {
            r.node_error(
                &s,
                "give either `on_cost_rate` or `employer_ni_rate` with `pension_rate`, not both",
            );
            None
        }
        (None, None) => {
            if let Some(n) = &threshold {
                r.node_error(n, "goes with `employer_ni_rate`, which is not given");
            }
            match &pension {
                Some(p) => {
                    param_at(r, p, RATE)
                        .filter(|_| threshold.is_none())
                        .map(|pension_rate| OnCosts::Separate {
                            ni_rate: Param::fixed(0.0),
                            ni_threshold: Param::fixed(0.0),
                            pension_rate,
                        })
                }
                None if threshold.is_some() => None,
                None => Some(OnCosts::Rate(Param::fixed(0.0))),
            }
        }
    }
}

/// The employer NI secondary threshold: pounds a year of pay on which no employer NI is due.
const NI_THRESHOLD: Allowed = Allowed {
    lo: 0.0,
    hi: 1e7,
    what: "pounds a year, at least 0",
};
