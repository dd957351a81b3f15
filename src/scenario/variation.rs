//! Year-to-year variation: the factors of `[variation]`, one row each in [`FACTORS`], and the
//! shocks a scenario states for them ([`Variation`]).
//!
//! The reader, `wfsim check`, key paths in words, the census estimate and both writers of a
//! `[variation]` (`wfsim init` and `wfsim census`) loop over [`FACTORS`]; the engine applies each
//! factor's shock to its inputs (`sim/engine/draws.rs`), and the census fits each factor in
//! `census/calibrate.rs` (`fit_factor`).

use std::ops::{Index, IndexMut};

use crate::stats::tails::Tails;

/// A factor of `[variation]`: a group of inputs that move together under one yearly shock. Its
/// place in [`FACTORS`] is its index (its random stream and its slot in the engine's shocks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Factor {
    Leaving,
    Hiring,
    Agency,
    Establishment,
    Cases,
}

impl Factor {
    /// How many factors there are.
    pub const COUNT: usize = FACTORS.len();

    /// Its place in [`FACTORS`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Its row of [`FACTORS`].
    pub fn row(self) -> &'static Descriptor {
        &FACTORS[self.index()]
    }
}

/// One factor: its key, its words, the key beside `sd`, `persistence` and `tails` it accepts, and
/// the scale the census estimates it on.
#[derive(Clone, Copy, Debug)]
pub struct Descriptor {
    pub factor: Factor,
    /// Its key in `[variation]` (`variation.<key>.sd` as a key path).
    pub key: &'static str,
    /// The inputs its shock moves, and how.
    pub moves: &'static str,
    /// The scale of the census values its estimate is fitted on, as `wfsim census` prints it.
    pub scale: &'static str,
    /// A key only this factor's table has.
    pub extra: Option<Extra>,
}

/// A key only one factor's table has (elsewhere it is reported as unknown): a share from 0 to 1,
/// 0 when not stated.
#[derive(Clone, Copy, Debug)]
pub struct Extra {
    pub key: &'static str,
    /// What the reader allows, for its message.
    pub allowed: &'static str,
    /// The key in a key path's words (`variation.<factor>.<key>`).
    pub words: &'static str,
    /// The decimals `wfsim init` and `wfsim census` write it with.
    pub decimals: usize,
    /// Where [`Variation`] keeps it.
    pub get: fn(&Variation) -> f64,
    pub set: fn(&mut Variation, f64),
}

/// Every factor, in the order of [`Factor`] (each has its own random stream).
pub const FACTORS: [Descriptor; 5] = [
    Descriptor {
        factor: Factor::Leaving,
        key: "leaving",
        moves: "every grade's leaving rates, in every service band, on the odds: one council's \
                staff face one labour market, so they move together",
        scale: "log-odds of turnover",
        extra: None,
    },
    Descriptor {
        factor: Factor::Hiring,
        key: "hiring",
        moves: "every post group's chance of filling a vacancy in a month (on the odds), and the \
                hiring capacity `max_hires_per_month` (in proportion)",
        scale: "log of starters per FTE in post",
        extra: None,
    },
    Descriptor {
        factor: Factor::Agency,
        key: "agency",
        moves: "every post group's agency cover of vacancies (on the odds), and its agency beyond \
                vacancies (in proportion, in part in points of establishment by `points`)",
        scale: "odds of agency cover of vacancies, from total agency",
        extra: Some(Extra {
            key: "points",
            allowed: "a share of establishment from 0 (agency beyond vacancies moves wholly in \
                      proportion) to 1 (it moves with all of establishment as well), e.g. 0.04",
            words: "share of establishment its moves follow",
            decimals: 3,
            get: |v| v.agency_points,
            set: |v, x| v.agency_points = x,
        }),
    },
    Descriptor {
        factor: Factor::Establishment,
        key: "establishment",
        moves: "every post group's establishment, and the hiring capacity with it (a council's \
                starters follow its size), in proportion",
        scale: "log of establishment",
        extra: Some(Extra {
            key: "staff_share",
            allowed: "a share from 0 (staff in post move only by hiring and leaving) to 1 (staff \
                      in post move with every move of establishment)",
            words: "share staff in post move with it",
            decimals: 2,
            get: |v| v.staff_share,
            set: |v, x| v.staff_share = x,
        }),
    },
    Descriptor {
        factor: Factor::Cases,
        key: "cases",
        moves: "the cases held (`[caseload] cases`), in proportion: demand moves with the \
                council's population and its practice, not with its staff",
        scale: "log of caseload, beyond its staff's moves and its return to the mean",
        extra: None,
    },
];

/// The row of the factor with `key` in `[variation]`.
pub fn by_key(key: &str) -> Option<&'static Descriptor> {
    FACTORS.iter().find(|d| d.key == key)
}

/// Year-to-year variation: for each factor (a group of inputs that move together, see
/// [`FACTORS`]), a yearly shock. In year `y` of the horizon (months `12y - 11` to `12y`) the
/// shock is `z_y = persistence * z_(y-1) + sd * e_y`, with `z_0 = 0` and `e_y` of mean 0 and
/// variance 1 (normal, or heavier-tailed by `tails`), drawn per replication and year and shared
/// by every option. Rates move on the odds (`odds x e^z`), counts in proportion (`x e^z`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Variation {
    /// Each factor's shock, by [`Factor::index`] (`variation[Factor::Leaving]`).
    pub wanders: [Wander; Factor::COUNT],
    /// The share of each yearly move of establishment's shock that staff in post make at once,
    /// from 0 to 1: teams counted in or out with their posts. A move of `dz` in the shock counts
    /// `P (e^(staff_share dz) - 1)` workers (`P` the staff in post) in or out, whole workers,
    /// looking like the staff already in post; they are neither starters nor leavers.
    pub staff_share: f64,
    /// How far agency's yearly moves are in points rather than in proportion, from 0 to 1: agency
    /// beyond vacancies moves with the agency shock as `(x + agency_points E) e^z - agency_points
    /// E` (`x` its path, `E` the post group's establishment, at least 0), so a post group with
    /// little agency still moves by some points of establishment. 0: wholly in proportion.
    pub agency_points: f64,
}

/// The largest excess kurtosis a shock may have (`tails`).
pub const MAX_TAILS: f64 = 20.0;

/// The spread of one year's new shock, how much of it persists into the next year, and how
/// heavy its tails are.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Wander {
    pub sd: f64,
    pub persistence: f64,
    /// The shape of a year's new shock, of excess kurtosis 0 for normal; more for shocks that
    /// are mostly small and sometimes large, with the same spread `sd` (see [`Tails`]).
    pub tails: Tails,
}

impl Variation {
    /// Each factor's row and shock, in the order of [`FACTORS`].
    pub fn factors(&self) -> impl Iterator<Item = (&'static Descriptor, Wander)> + '_ {
        FACTORS.iter().map(|d| (d, self[d.factor]))
    }

    /// True when no input wanders.
    pub fn is_none(&self) -> bool {
        self.wanders.iter().all(|w| w.sd == 0.0)
    }
}

impl Index<Factor> for Variation {
    type Output = Wander;
    fn index(&self, f: Factor) -> &Wander {
        &self.wanders[f.index()]
    }
}

impl IndexMut<Factor> for Variation {
    fn index_mut(&mut self, f: Factor) -> &mut Wander {
        &mut self.wanders[f.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_factor_has_its_row() {
        // The match names every variant (the compiler says when one is added); each must have
        // its row at its place.
        let every = [
            Factor::Leaving,
            Factor::Hiring,
            Factor::Agency,
            Factor::Establishment,
            Factor::Cases,
        ];
        for f in every {
            match f {
                Factor::Leaving
                | Factor::Hiring
                | Factor::Agency
                | Factor::Establishment
                | Factor::Cases => {}
            }
            assert_eq!(f.row().factor, f);
        }
        assert_eq!(every.len(), Factor::COUNT);
    }

    #[test]
    fn each_row_is_at_its_factors_place_with_its_own_keys() {
        for (i, d) in FACTORS.iter().enumerate() {
            assert_eq!(d.factor.index(), i, "{}", d.key);
            assert_eq!(by_key(d.key).map(|r| r.factor), Some(d.factor));
        }
        let mut keys: Vec<&str> = FACTORS
            .iter()
            .flat_map(|d| std::iter::once(d.key).chain(d.extra.map(|x| x.key)))
            .collect();
        keys.extend(["sd", "persistence", "tails", "note"]);
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "every key is its own");
    }

    #[test]
    fn an_extra_key_is_kept_where_it_is_read() {
        for x in FACTORS.iter().filter_map(|d| d.extra) {
            let mut v = Variation::default();
            (x.set)(&mut v, 0.25);
            assert_eq!((x.get)(&v), 0.25, "{}", x.key);
            let others: Vec<f64> = FACTORS
                .iter()
                .filter_map(|d| d.extra)
                .filter(|o| o.key != x.key)
                .map(|o| (o.get)(&v))
                .collect();
            assert!(others.iter().all(|&o| o == 0.0), "{}", x.key);
        }
    }
}
