//! `[variation]`: how inputs wander from year to year around their paths.
//!
//! ```toml
//! [variation]
//! leaving = { sd = 0.25, persistence = 0.3 }        # every leaving rate, on the odds
//! hiring = { sd = 0.3, persistence = 0.3 }          # every post group's fill probability
//! agency = { sd = 0.3, persistence = 0.5, tails = 4 }  # agency cover and agency beyond vacancies
//! establishment = { sd = 0.04, persistence = 0.9, staff_share = 0.3 }  # every post group's establishment
//! ```
//!
//! `staff_share` belongs to establishment alone: the share of its shock's moves that staff in post
//! make with it (teams counted in or out).

use crate::scenario::spanned::{Reader, Table};
use crate::scenario::{MAX_TAILS, Variation, Wander};
use crate::stats::tails::Tails;

/// `[variation]`; a factor not stated does not wander.
pub(super) fn read_variation(r: &mut Reader, root: &mut Table) -> Option<Variation> {
    let Some(n) = root.get("variation") else {
        return Some(Variation::default());
    };
    let mut t = r.table(&n)?;
    let mut factor = |key: &'static str| match t.get(key) {
        Some(n) => read_wander(r, &n, None),
        None => Some(Wander::default()),
    };
    let (leaving, hiring, agency) = (factor("leaving"), factor("hiring"), factor("agency"));
    let mut staff_share = Some(0.0);
    let establishment = match t.get("establishment") {
        Some(n) => read_wander(r, &n, Some(&mut staff_share)),
        None => Some(Wander::default()),
    };
    t.get("note");
    r.finish(t);
    Some(Variation {
        leaving: leaving?,
        hiring: hiring?,
        agency: agency?,
        establishment: establishment?,
        staff_share: staff_share?,
    })
}

/// One factor's table; `staff_share`, when given, receives the table's `staff_share` (a key only
/// establishment's table has; elsewhere it is reported as unknown).
fn read_wander(
    r: &mut Reader,
    n: &crate::scenario::spanned::Node,
    staff_share: Option<&mut Option<f64>>,
) -> Option<Wander> {
    let mut t = r.table(n)?;
    if let Some(share) = staff_share
        && let Some(n) = t.get("staff_share")
    {
        *share = r.number_in(
            &n,
            0.0,
            1.0,
            "a share from 0 (staff in post move only by hiring and leaving) to 1 (staff in post \
             move with every move of establishment)",
        );
    }
    let sd = t
        .require(
            r,
            "sd",
            "the spread of one year's shock (on the odds for rates, in proportion for counts), e.g. 0.25",
        )
        .and_then(|n| r.number_in(&n, 0.0, 3.0, "a spread from 0 to 3"));
    let persistence = t.get("persistence").map_or(Some(0.0), |n| {
        r.number_in(
            &n,
            0.0,
            1.0,
            "a share from 0 (each year's shock is new) to 1 (each year's shock stays)",
        )
    });
    let tails = t.get("tails").map_or(Some(0.0), |n| {
        r.number_in(
            &n,
            0.0,
            MAX_TAILS,
            "an excess kurtosis from 0 (normal shocks) to 20 (mostly small, sometimes very large)",
        )
    });
    t.get("note");
    r.finish(t);
    Some(Wander {
        sd: sd?,
        persistence: persistence?,
        tails: Tails::new(tails?),
    })
}
