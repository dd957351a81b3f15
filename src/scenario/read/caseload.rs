//! `[caseload]`: the cases the service holds, so that capacity, not heads, is reported; and how
//! caseload bears on leaving.

use super::opt_param;
use crate::scenario::Caseload;
use crate::scenario::param::{Allowed, EFFECT_SIZE};
use crate::scenario::spanned::{Reader, Table};

/// Cases held by the service's case-holders.
const CASES: Allowed = Allowed {
    lo: 0.0,
    hi: 10_000_000.0,
    what: "cases held, from 0 to 10,000,000",
};

/// A caseload: cases per case-holding FTE.
const CASELOAD: Allowed = Allowed {
    lo: 0.0,
    hi: 1_000.0,
    what: "cases per case-holding FTE, from 0 to 1,000",
};

/// `[caseload]`, when the scenario states it.
pub(super) fn read_caseload(r: &mut Reader, root: &mut Table) -> Option<Option<Caseload>> {
    let Some(n) = root.get("caseload") else {
        return Some(None);
    };
    let mut t = r.table(&n)?;
    let cases = t
        .require(
            r,
            "cases",
            "cases held by case-holding staff (the census's `cases`), e.g. 1856",
        )
        .and_then(|n| super::param_at(r, &n, CASES));
    let reference = match t.get("reference") {
        Some(n) => super::param_at(r, &n, CASELOAD).map(Some),
        None => Some(None),
    };
    let elasticity = opt_param(r, &mut t, "leaving_elasticity", EFFECT_SIZE, 0.0);
    t.get("note");
    r.finish(t);
    Some(Some(Caseload {
        cases: cases?,
        reference: reference?,
        leaving_elasticity: elasticity?,
    }))
}
