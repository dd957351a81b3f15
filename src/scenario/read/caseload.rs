//! `[caseload]`: the cases the service holds, so that capacity, not heads, is reported; and how
//! caseload bears on leaving.

use super::{opt_param, optional};
use crate::scenario::param::{Allowed, EFFECT_SIZE};
use crate::scenario::spanned::{Reader, Table};
use crate::scenario::{Caseload, MAX_CASES};

/// Cases held by the service's case-holders.
const CASES: Allowed = Allowed {
    lo: 0.0,
    hi: MAX_CASES,
    what: "cases held, from 0 to 10,000,000",
};

/// A caseload: cases per case-holding FTE.
const CASELOAD: Allowed = Allowed {
    lo: 1.0,
    hi: 1_000.0,
    what: "cases per case-holding FTE, from 1 to 1,000",
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
    let reference = optional(r, &mut t, "reference", CASELOAD);
    let elasticity = opt_param(r, &mut t, "leaving_elasticity", EFFECT_SIZE, 0.0);
    // The reference is the scenario's own statement, the same for every option: a default taken
    // from each option's own start would move with what the option does to the caseload.
    if let (Some(e), Some(None)) = (&elasticity, &reference)
        && e.range().1 > 0.0
    {
        let (span, path) = (t.span.clone(), format!("{}.reference", t.path));
        r.error(
            &span,
            &path,
            "missing; with a leaving_elasticity above 0, give the caseload above which leaving rises, e.g. reference = 16.2 (the census's caseload at the start)",
        );
    }
    t.get("note");
    r.finish(t);
    Some(Some(Caseload {
        cases: cases?,
        reference: reference?,
        leaving_elasticity: elasticity?,
    }))
}
