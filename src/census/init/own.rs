//! What a council's own files give the scenario `init` writes ([`Own`]): grades with their FTE by
//! service band and pay, leaving rates as posteriors pooled towards the grade's and the council's
//! census rate, starters as hiring capacity, an ASYE cohort and a recruit mix, and case-holding
//! shares. The census fills the rest ([`super::Inputs`]).

use super::as_written;
use crate::census::council::{BAND_EDGES, Cell, Grade, MIN_GROUP, Summary};
use crate::stats::leaving::GammaRate;

/// One band's leaving rate: the posterior of the hazard and the annual rate it gives.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    pub posterior: GammaRate,
    /// The beta written for the annual rate (same mean and variance).
    pub beta: (f64, f64),
    /// The annual rate's mean and its 5th and 95th percentiles.
    pub mean: f64,
    pub range: (f64, f64),
}

impl Rate {
    fn of(posterior: GammaRate) -> Rate {
        let (mean, _) = posterior.annual_moments();
        Rate {
            posterior,
            // A posterior always has a variance below the largest a beta can have.
            beta: posterior.annual_beta().unwrap_or_else(|| {
                // Not reached (a gamma posterior's annual rate always has a beta of its mean and
                // variance); were it, the beta of a tight spread about the mean, never a
                // uniform 0% to 100%.
                let strength = 1_000.0;
                (mean * strength, (1.0 - mean) * strength)
            }),
            mean,
            range: (
                posterior.annual_quantile(0.05),
                posterior.annual_quantile(0.95),
            ),
        }
    }
}

/// Why a band's leaving rate is written as its grade's rather than its own: its own, with the
/// prior's strength and the grade's rate stated, would give back its leavers and time at risk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hidden {
    /// Fewer than [`MIN_GROUP`] people at risk in the band.
    FewAtRisk,
    /// Fewer than [`MIN_GROUP`] leavers in the band.
    FewLeavers,
    /// The band's counts are enough, but with the grade's and the other bands' they would give
    /// back the one band hidden for a small count.
    Complement,
    /// The grade as a whole has 1 to 4 leavers or fewer than [`MIN_GROUP`] people at risk: its
    /// own rate would give its counts back, so the grade and every band take the council's.
    FewInGrade,
}

/// Which bands' rates are the grade's: a band with fewer than [`MIN_GROUP`] people at risk or
/// leavers, and, where that leaves one band with people at risk hidden, the shown band with the
/// fewest leavers too (the grade's counts less the others' would give back the one).
pub fn hidden_bands(bands: &[Cell; 4]) -> [Option<Hidden>; 4] {
    let mut hidden = bands.map(|c| {
        if c.exposed_heads < MIN_GROUP {
            Some(Hidden::FewAtRisk)
        } else if c.leaver_heads < MIN_GROUP {
            Some(Hidden::FewLeavers)
        } else {
            None
        }
    });
    let with_people = (0..4)
        .filter(|&k| hidden[k].is_some() && bands[k].exposed_heads > 0)
        .count();
    if with_people == 1
        && let Some(k) = (0..4)
            .filter(|&k| hidden[k].is_none())
            .min_by(|&a, &b| bands[a].leavers.total_cmp(&bands[b].leavers))
    {
        hidden[k] = Some(Hidden::Complement);
    }
    hidden
}

/// One grade as written.
#[derive(Clone, Debug, PartialEq)]
pub struct OwnGrade {
    pub grade: Grade,
    /// FTE in post and heads at the snapshot.
    pub fte: f64,
    pub heads: usize,
    /// Share of the FTE in each service band, to three decimals, adding to 1.
    pub shares: [f64; 4],
    /// The grade's own rate (its leavers over its time at risk, pooled towards the council's
    /// census rate) and each band's, pooled towards the grade's; `None` without a leavers file.
    pub pooled: Option<Rate>,
    pub leaving: Option<[Rate; 4]>,
    /// Each band's own posterior, pooled towards the grade's: `leaving` where the band is shown.
    pub bands: Option<[GammaRate; 4]>,
    /// The bands written at the grade's rate (`pooled`) instead of their own, and why.
    pub hidden: [Option<Hidden>; 4],
    /// Whether `shares` are the council's over all grades, the grade having fewer than
    /// [`MIN_GROUP`] people in post (its own would show each person's band).
    pub council_shares: bool,
    /// Mean full-time salary (FTE-weighted) and the people it rests on, when at least
    /// [`MIN_GROUP`] people give one.
    pub salary: Option<(f64, usize)>,
    /// People whose salary the file gives, when fewer than [`MIN_GROUP`] (so not used).
    pub few_salaries: bool,
    /// Case-holding FTE per FTE, when the staff file says who holds cases.
    pub weight: Option<f64>,
}

/// What the council's files give.
#[derive(Clone, Debug, PartialEq)]
pub struct Own {
    pub summary: Summary,
    pub grades: Vec<OwnGrade>,
    /// The council's census turnover level as a hazard (leavers per FTE-year), the rate every
    /// grade is pooled towards.
    pub census_hazard: f64,
    /// Starters a month beyond the ASYE cohort (FTE), and their mix by grade; `None` without a
    /// leavers file (the census's capacity then holds).
    pub capacity: Option<f64>,
    pub recruit: Vec<(Grade, f64)>,
    /// The ASYE cohort a year (whole workers) and the ASYE starters' FTE a year it comes from.
    pub intake: Option<(u32, f64)>,
    /// Case-holding FTE per FTE of agency workers: permanent staff's beyond the ASYEs.
    pub agency_weight: Option<f64>,
}

/// Parts of `x` in whole units of `1 / unit` adding to exactly `unit` (largest remainders), or
/// `None` where they sum to nothing.
fn rounded(x: &[f64], unit: i64) -> Option<Vec<f64>> {
    let total: f64 = x.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let exact: Vec<f64> = x.iter().map(|v| unit as f64 * v / total).collect();
    let mut k: Vec<i64> = exact.iter().map(|e| e.floor() as i64).collect();
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    let short = unit - k.iter().sum::<i64>();
    for &i in order.iter().take(short.max(0) as usize) {
        k[i] += 1;
    }
    Some(k.into_iter().map(|k| k as f64 / unit as f64).collect())
}

/// Shares to three decimals adding to exactly 1 (largest remainders), or all in the first band
/// where there are none.
pub fn shares(x: [f64; 4]) -> [f64; 4] {
    match rounded(&x, 1000) {
        Some(r) => [r[0], r[1], r[2], r[3]],
        None => [1.0, 0.0, 0.0, 0.0],
    }
}

/// Shares of a mix to two decimals adding to exactly 1, grades with none left out.
fn mix(x: &[(Grade, f64)]) -> Vec<(Grade, f64)> {
    let parts: Vec<f64> = x.iter().map(|p| p.1).collect();
    let Some(r) = rounded(&parts, 100) else {
        return Vec::new();
    };
    x.iter()
        .zip(r)
        .filter(|(_, k)| *k > 0.0)
        .map(|(p, k)| (p.0, k))
        .collect()
}

/// Starters' FTE by grade with each grade whose starters are fewer than [`MIN_GROUP`] people
/// counted in the largest grade's (its share would show a count of one or two people): the
/// largest by FTE among grades of at least [`MIN_GROUP`] starters, else among all.
fn fold_small(x: &[(Grade, f64, usize)]) -> Vec<(Grade, f64)> {
    let largest = |big: bool| {
        x.iter()
            .filter(|p| !big || p.2 >= MIN_GROUP)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|p| p.0)
    };
    let Some(into) = largest(true).or(largest(false)) else {
        return Vec::new();
    };
    let small: f64 = x
        .iter()
        .filter(|p| p.2 < MIN_GROUP && p.0 != into)
        .map(|p| p.1)
        .sum();
    x.iter()
        .map(|p| {
            if p.0 == into {
                (p.0, p.1 + small)
            } else if p.2 < MIN_GROUP {
                (p.0, 0.0)
            } else {
                (p.0, p.1)
            }
        })
        .collect()
}

impl Own {
    /// From the files' summary and the council's census turnover level `turnover` (leavers over
    /// staff in post, a hazard per FTE-year).
    pub fn of(summary: Summary, turnover: f64) -> Own {
        let k = summary.prior_fte_years;
        let census_hazard = turnover.max(1e-3);
        // The ASYEs always (the cohort joins them), and a qualified grade for them to progress
        // to.
        let any_qualified = Grade::ALL[1..].iter().any(|g| summary.present[*g as usize]);
        let written: Vec<Grade> = Grade::ALL
            .into_iter()
            .filter(|g| {
                *g == Grade::Asye
                    || summary.present[*g as usize]
                    || (*g == Grade::Level2 && !any_qualified)
            })
            .collect();
        // The qualified staff's case-holding, which agency workers and any grade of fewer than 5
        // people take: over the grades of 5 or more only, so that a small grade's own cannot be
        // worked back from it and the others' (over all the grades when none has 5).
        let agency_weight = summary.has_case_holding().then(|| {
            let over = |least: usize| {
                written
                    .iter()
                    .filter(|g| **g != Grade::Asye)
                    .map(|&g| summary.grade(g))
                    .filter(|s| s.heads() >= least)
                    .fold((0.0, 0.0), |(h, f), s| {
                        (h + s.case_holding.unwrap_or(0.0), f + s.fte())
                    })
            };
            let (held, fte) = match over(MIN_GROUP) {
                (_, 0.0) => over(0),
                enough => enough,
            };
            if fte > 0.0 {
                as_written(held / fte, 3)
            } else {
                1.0
            }
        });
        let grades: Vec<OwnGrade> = written
            .iter()
            .map(|&g| {
                let s = summary.grade(g);
                let period = summary.period.is_some();
                let few = (1..MIN_GROUP).contains(&s.leaver_heads()) || s.exposed_heads < MIN_GROUP;
                let pooled = period.then(|| {
                    let prior = GammaRate::prior(census_hazard, k);
                    if few {
                        prior
                    } else {
                        prior.update(s.leavers(), s.exposure())
                    }
                });
                let hidden = match (period, few) {
                    (false, _) => [None; 4],
                    (true, true) => [Some(Hidden::FewInGrade); 4],
                    (true, false) => hidden_bands(&s.bands),
                };
                let bands = pooled.map(|p| {
                    s.bands
                        .map(|c| GammaRate::prior(p.mean(), k).update(c.leavers, c.exposure))
                });
                let leaving = pooled.zip(bands).map(|(p, b)| {
                    [0, 1, 2, 3].map(|i| Rate::of(if hidden[i].is_none() { b[i] } else { p }))
                });
                let fte = s.fte();
                let council_shares = s.heads() < MIN_GROUP;
                let band_fte = if council_shares {
                    [0, 1, 2, 3].map(|b| summary.grades.iter().map(|x| x.bands[b].fte).sum())
                } else {
                    s.bands.map(|c| c.fte)
                };
                OwnGrade {
                    grade: g,
                    fte,
                    heads: s.heads(),
                    shares: shares(band_fte),
                    pooled: pooled.map(Rate::of),
                    leaving,
                    bands,
                    hidden,
                    council_shares,
                    salary: s.salary.filter(|x| x.1 >= MIN_GROUP),
                    few_salaries: s.salary.is_some_and(|x| x.1 < MIN_GROUP),
                    // The file's case-holding, used whole or not at all: a grade whose rows all
                    // say beside one whose rows do not would mix the file's with the census's.
                    // A grade of fewer than 5 people holds cases as the council's qualified
                    // staff do, as its service shares are the council's: its own weight would
                    // show whether each of them holds cases.
                    weight: match s.case_holding {
                        Some(c) if !council_shares && agency_weight.is_some() => {
                            Some(as_written(c / fte, 3))
                        }
                        _ => agency_weight,
                    },
                }
            })
            .collect();
        let (capacity, recruit, intake) = match summary.period {
            Some(p) => {
                let years = p.years();
                let asye = summary.grade(Grade::Asye).starters / years;
                let others: Vec<(Grade, f64, usize)> = written
                    .iter()
                    .filter(|g| **g != Grade::Asye)
                    .map(|&g| {
                        let s = summary.grade(g);
                        (g, s.starters, s.starter_heads)
                    })
                    .collect();
                let others = fold_small(&others);
                let per_year: f64 = others.iter().map(|p| p.1).sum::<f64>() / years;
                (
                    Some(per_year / 12.0),
                    mix(&others),
                    Some((asye.round() as u32, asye)),
                )
            }
            None => (None, Vec::new(), None),
        };
        Own {
            summary,
            grades,
            census_hazard,
            capacity,
            recruit,
            intake,
            agency_weight,
        }
    }

    /// The lowest grade above the ASYEs written: where ASYEs progress to, and recruits go when
    /// the files show none.
    pub fn first_qualified(&self) -> Option<Grade> {
        self.grades
            .iter()
            .map(|g| g.grade)
            .find(|g| *g != Grade::Asye)
    }

    /// Whether every grade's pay is the council's own.
    pub fn own_pay(&self) -> bool {
        self.grades
            .iter()
            .filter(|g| g.fte > 0.0)
            .all(|g| g.salary.is_some())
    }
}

/// The bands' names, for comments.
pub fn band_name(k: usize) -> String {
    let years = |m: u32| m / 12;
    match k {
        0 => format!("under {} year", years(BAND_EDGES[0])),
        k if k < BAND_EDGES.len() => format!(
            "{}-{} years",
            years(BAND_EDGES[k - 1]),
            years(BAND_EDGES[k])
        ),
        _ => format!("{}+ years", years(BAND_EDGES[BAND_EDGES.len() - 1])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_to_one() {
        assert_eq!(shares([1.0, 1.0, 1.0, 0.0]), [0.334, 0.333, 0.333, 0.0]);
        assert_eq!(shares([0.0; 4]), [1.0, 0.0, 0.0, 0.0]);
        let s = shares([0.3, 2.7, 5.0, 13.4]);
        assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{s:?}");
        let m = mix(&[(Grade::Level2, 2.0), (Grade::Level3, 1.0)]);
        assert_eq!(m, [(Grade::Level2, 0.67), (Grade::Level3, 0.33)]);
        // Grades of fewer than 5 starters count in the largest grade of 5 or more.
        let f = fold_small(&[
            (Grade::Level2, 3.0, 4),
            (Grade::Level3, 6.0, 7),
            (Grade::Senior, 5.5, 6),
            (Grade::Manager, 1.0, 1),
        ]);
        assert_eq!(
            f,
            [
                (Grade::Level2, 0.0),
                (Grade::Level3, 10.0),
                (Grade::Senior, 5.5),
                (Grade::Manager, 0.0)
            ]
        );
        assert_eq!(mix(&f), [(Grade::Level3, 0.65), (Grade::Senior, 0.35)]);
        // All small: all in the largest.
        let f = fold_small(&[(Grade::Level2, 3.0, 4), (Grade::Level3, 1.0, 1)]);
        assert_eq!(f, [(Grade::Level2, 4.0), (Grade::Level3, 0.0)]);
        assert_eq!(band_name(0), "under 1 year");
        assert_eq!(band_name(2), "2-5 years");
        assert_eq!(band_name(3), "5+ years");
    }

    #[test]
    fn small_bands_are_hidden_and_a_lone_one_is_not_left_to_subtraction() {
        let cell = |heads: usize, leavers: usize| Cell {
            exposed_heads: heads,
            leaver_heads: leavers,
            leavers: leavers as f64,
            exposure: heads as f64,
            ..Cell::default()
        };
        // One band with 3 leavers: hidden, and so is the band with the fewest leavers of the
        // others (the grade's count less the others' would give back its 3).
        let h = hidden_bands(&[cell(20, 6), cell(15, 3), cell(30, 9), cell(40, 5)]);
        assert_eq!(
            h,
            [
                None,
                Some(Hidden::FewLeavers),
                None,
                Some(Hidden::Complement)
            ]
        );
        // Two hidden for small counts: their sum is all subtraction gives, so no more.
        let h = hidden_bands(&[cell(4, 0), cell(15, 3), cell(30, 9), cell(40, 5)]);
        assert_eq!(
            h,
            [
                Some(Hidden::FewAtRisk),
                Some(Hidden::FewLeavers),
                None,
                None
            ]
        );
        // A band nobody was at risk in hides nothing: a lone small band beside it still takes a
        // second.
        let h = hidden_bands(&[cell(0, 0), cell(15, 3), cell(30, 9), cell(40, 6)]);
        assert_eq!(h[3], Some(Hidden::Complement));
        assert_eq!(hidden_bands(&[cell(9, 5); 4]), [None; 4]);
    }
}
