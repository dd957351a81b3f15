//! `[variation]`: how inputs wander from year to year around their paths.
//!
//! ```toml
//! [variation]
//! leaving = { sd = 0.25, persistence = 0.3 }        # every leaving rate, on the odds
//! hiring = { sd = 0.3, persistence = 0.3 }          # every post group's fill probability
//! agency = { sd = 0.3, persistence = 0.5, tails = 4 }  # agency cover and agency beyond vacancies
//! establishment = { sd = 0.04, persistence = 0.9 }  # every post group's establishment
//! ```

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
        Some(n) => read_wander(r, &n),
        None => Some(Wander::default()),
    };
    let (leaving, hiring, agency, establishment) = (
        factor("leaving"),
        factor("hiring"),
        factor("agency"),
        factor("establishment"),
    );
    t.get("note");
    r.finish(t);
    Some(Variation {
        leaving: leaving?,
        hiring: hiring?,
        agency: agency?,
        establishment: establishment?,
    })
}

fn read_wander(r: &mut Reader, n: &crate::scenario::spanned::Node) -> Option<Wander> {
    let mut t = r.table(n)?;
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
