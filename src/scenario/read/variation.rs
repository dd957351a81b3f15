//! `[variation]`: how inputs wander from year to year around their paths.
//!
//! ```toml
//! [variation]
//! leaving = { sd = 0.25, persistence = 0.3 }        # every leaving rate, on the odds
//! hiring = { sd = 0.3, persistence = 0.3 }          # every post group's fill probability
//! agency = { sd = 0.3, persistence = 0.5, tails = 4, points = 0.04 }  # agency cover and agency beyond vacancies
//! establishment = { sd = 0.04, persistence = 0.9, staff_share = 0.3 }  # every post group's establishment
//! ```
//!
//! `staff_share` belongs to establishment alone: the share of its shock's moves that staff in post
//! make with it (teams counted in or out). `points` belongs to agency alone: the share of
//! establishment agency beyond vacancies moves with as well as with itself, so that its moves are
//! part in points and part in proportion.

use crate::scenario::spanned::{Reader, Table};
use crate::scenario::{MAX_TAILS, Variation, Wander};
use crate::stats::tails::Tails;

/// `[variation]`; a factor not stated does not wander.
pub(super) fn read_variation(r: &mut Reader, root: &mut Table) -> Option<Variation> {
    let Some(n) = root.get("variation") else {
        return Some(Variation::default());
    };
    let mut t = r.table(&n)?;
    let (mut staff_share, mut agency_points) = (Some(0.0), Some(0.0));
    let mut factor = |key: &'static str, own: Option<Own>| match t.get(key) {
        Some(n) => read_wander(r, &n, own),
        None => Some(Wander::default()),
    };
    let (leaving, hiring) = (factor("leaving", None), factor("hiring", None));
    let agency = factor(
        "agency",
        Some(Own {
            key: "points",
            allowed: "a share of establishment from 0 (agency beyond vacancies moves wholly in \
                      proportion) to 1 (it moves with all of establishment as well), e.g. 0.04",
            value: &mut agency_points,
        }),
    );
    let establishment = factor(
        "establishment",
        Some(Own {
            key: "staff_share",
            allowed: "a share from 0 (staff in post move only by hiring and leaving) to 1 (staff \
                      in post move with every move of establishment)",
            value: &mut staff_share,
        }),
    );
    t.get("note");
    r.finish(t);
    Some(Variation {
        leaving: leaving?,
        hiring: hiring?,
        agency: agency?,
        establishment: establishment?,
        staff_share: staff_share?,
        agency_points: agency_points?,
    })
}

/// A key only one factor's table has (elsewhere it is reported as unknown), a share from 0 to 1.
struct Own<'a> {
    key: &'static str,
    allowed: &'static str,
    value: &'a mut Option<f64>,
}

/// One factor's table; `own`, when given, receives the value of its key.
fn read_wander(
    r: &mut Reader,
    n: &crate::scenario::spanned::Node,
    own: Option<Own>,
) -> Option<Wander> {
    let mut t = r.table(n)?;
    if let Some(own) = own
        && let Some(n) = t.get(own.key)
    {
        *own.value = r.number_in(&n, 0.0, 1.0, own.allowed);
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
