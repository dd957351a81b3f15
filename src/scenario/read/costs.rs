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
    let single = t.get("on_cost_rate");
    let ni = t.get("employer_ni_rate");
    let on_costs = match (single, ni) {
        (Some(s), None) => param_at(r, &s, RATE).map(OnCosts::Rate),
        (None, Some(n)) => {
            let ni_rate = param_at(r, &n, RATE);
            let threshold = t.get("ni_threshold").map_or(Some(0.0), |n| {
                r.number_in(&n, 0.0, 1e7, "pounds a year, at least 0")
            });
            let pension = opt_param(r, t, "pension_rate", RATE, 0.0);
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
            if let Some(p) = t.get("pension_rate") {
                param_at(r, &p, RATE).map(|pension_rate| OnCosts::Separate {
                    ni_rate: Param::fixed(0.0),
                    ni_threshold: 0.0,
                    pension_rate,
                })
            } else {
                Some(OnCosts::Rate(Param::fixed(0.0)))
            }
        }
    };
    t.get("ni_threshold");
    t.get("pension_rate");
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
        Allowed {
            lo: -1e5,
            hi: 1e5,
            what: "pounds a year",
        },
        0.0,
    );
    let grant = opt_param(r, t, "asye_grant", MONEY, 0.0);
    let discount = t.get("discount_rate").map_or(Some(0.035), |n| {
        r.number_in(&n, 0.0, 1.0, "a yearly rate from 0 to 1")
    });
    Some(Costs {
        on_costs: on_costs?,
        pay_award: award?,
        pay_award_flat: flat?,
        asye_grant: grant?,
        discount_rate: discount?,
    })
}
