//! `[variation]`: how inputs wander from year to year around their paths.
//!
//! ```toml
//! [variation]
//! leaving = { sd = 0.25, persistence = 0.3 }        # every leaving rate, on the odds
//! hiring = { sd = 0.3, persistence = 0.3 }          # every post group's fill probability
//! agency = { sd = 0.3, persistence = 0.5, tails = 4, points = 0.04 }  # agency cover and agency beyond vacancies
//! establishment = { sd = 0.04, persistence = 0.9, staff_share = 0.3 }  # every post group's establishment
//! cases = { sd = 0.04, persistence = 0.0 }         # the cases held (needs [caseload])
//! ```
//!
//! `staff_share` belongs to establishment alone: the share of its shock's moves that staff in post
//! make with it (teams counted in or out). `points` belongs to agency alone: the share of
//! establishment agency beyond vacancies moves with as well as with itself, so that its moves are
//! part in points and part in proportion.

use crate::scenario::spanned::{Reader, Table};
use crate::scenario::variation::{Extra, FACTORS};
use crate::scenario::{MAX_TAILS, Variation, Wander};
use crate::stats::tails::Tails;

/// `[variation]`, each factor of [`FACTORS`] under its key; a factor not stated does not wander.
pub(super) fn read_variation(r: &mut Reader, root: &mut Table) -> Option<Variation> {
    let Some(n) = root.get("variation") else {
        return Some(Variation::default());
    };
    let mut t = r.table(&n)?;
    let mut v = Some(Variation::default());
    for d in &FACTORS {
        let read = match t.get(d.key) {
            Some(n) => read_wander(r, &n, d.extra),
            None => Some((Wander::default(), None)),
        };
        match (read, v.as_mut()) {
            (Some((wander, extra)), Some(v)) => {
                v[d.factor] = wander;
                if let (Some(x), Some(value)) = (d.extra, extra) {
                    (x.set)(v, value);
                }
            }
            _ => v = None,
        }
    }
    t.get("note");
    r.finish(t);
    v
}

/// One factor's table, and the value of its `extra` key when stated.
fn read_wander(
    r: &mut Reader,
    n: &crate::scenario::spanned::Node,
    extra: Option<Extra>,
) -> Option<(Wander, Option<f64>)> {
    let mut t = r.table(n)?;
    let extra = match extra.and_then(|x| t.get(x.key).map(|n| (x, n))) {
        Some((x, n)) => r.number_in(&n, 0.0, 1.0, x.allowed).map(Some),
        None => Some(None),
    };
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
    Some((
        Wander {
            sd: sd?,
            persistence: persistence?,
            tails: Tails::new(tails?),
        },
        extra?,
    ))
}
