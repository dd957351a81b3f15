//! A target's chance as every output gives it: at its deadline, and over the 12 months up to it.
//!
//! A target judged in one month swings with the season (an ASYE cohort joining in September
//! lowers the agency share for a while; leavers in the summer raise it), so a chance read in one
//! month can differ by tens of points from the month before. Beside the chance at the deadline,
//! every output gives the chance over the 12 months to it: the share of those 12 month-ends at
//! which the target holds, averaged over replications (the mean of the 12 monthly chances). A
//! committee reads it as "in a typical month of the year to the deadline, the target is met with
//! this chance". Where the two differ by more than 20 points the outputs say so, since quoting
//! either alone would mislead. One module, so that the report, the findings, `summary.json`, the
//! workbook and the terminal give the same figures.

use crate::model::format::pc;
use crate::sim::results::{Results, TargetResult};
use crate::stats::Probability;

/// Months in the window before and including the deadline.
pub const WINDOW: usize = 12;

/// How far apart (in chance) the deadline's and the year's chances may be before the outputs say
/// that the chance swings with the season.
pub const SWING: f64 = 0.20;

/// One option's chance of meeting one target.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chance {
    /// At the deadline's month, with its Monte Carlo standard error.
    pub deadline: Probability,
    /// The mean of the monthly chances over the window (its standard error is at most
    /// 0.5 / sqrt(replications), as for any chance).
    pub year: f64,
    /// Months in the window: 12, or fewer when the deadline falls sooner after the start (or
    /// after the metric's first month).
    pub months: usize,
}

impl Chance {
    /// The chance of target `ti` for `v`'s result `t`, in a run `r`.
    pub fn of(r: &Results, t: &TargetResult, ti: usize) -> Chance {
        let target = &r.targets[ti];
        let first = target.metric.first_month();
        let end = target.month.min(t.by_month.len().saturating_sub(1));
        let from = (end + 1).saturating_sub(WINDOW).max(first).min(end);
        let window = &t.by_month[from..=end];
        Chance {
            deadline: t.met,
            year: window.iter().sum::<f64>() / window.len() as f64,
            months: window.len(),
        }
    }

    /// Whether the two chances differ by more than [`SWING`].
    pub fn swings(&self) -> bool {
        (self.deadline.p - self.year).abs() > SWING
    }

    /// The window in words: "the 12 months to it", or "the 5 months to it".
    pub fn window(&self) -> String {
        match self.months {
            1 => "its month alone".to_string(),
            n => format!("the {n} months to it"),
        }
    }

    /// "35% at the deadline, 48% over the 12 months to it".
    pub fn words(&self) -> String {
        format!(
            "{} at the deadline, {} over {}",
            pc(self.deadline.p),
            pc(self.year),
            self.window()
        )
    }
}

/// For a chance met in every one of `n` replications, the least it could be with 95%
/// confidence (`Some((true, "98.5%"))`); in none, the most (`Some((false, "1.5%"))`); else
/// `None`, as its standard error then says how far it could be. The bound is rounded away from
/// 100% or 0% with as many decimals as keep it off them (`99.99%`, never `100.0%`).
pub fn bound(m: &Probability, n: u32) -> Option<(bool, String)> {
    let all = match m.p {
        1.0 => true,
        0.0 => false,
        _ => return None,
    };
    let b = 100.0 * crate::stats::summary::none_seen_bound(u64::from(n));
    for d in 1..=6 {
        let scale = 10f64.powi(d);
        let x = if all {
            ((100.0 - b) * scale).floor() / scale
        } else {
            (b * scale).ceil() / scale
        };
        if x > 0.0 && x < 100.0 {
            return Some((all, format!("{x:.prec$}%", prec = d as usize)));
        }
    }
    Some((all, format!("{:.6}%", if all { 100.0 - b } else { b })))
}

/// Months in target `ti`'s window: 12, or fewer when its deadline falls sooner after the start
/// or after its metric's first month. The same for every option, so headers can say it.
pub fn months(r: &Results, ti: usize) -> usize {
    Chance::of(r, &r.variants[0].targets[ti], ti).months
}

/// A header's words for target `ti`'s window: "12 months", "7 months" or "1 month".
pub fn months_words(r: &Results, ti: usize) -> String {
    match months(r, ti) {
        1 => "1 month".to_string(),
        n => format!("{n} months"),
    }
}

/// Every option's chance of target `ti`, in the order of `r.variants`.
pub fn of_target(r: &Results, ti: usize) -> Vec<Chance> {
    r.variants
        .iter()
        .map(|v| Chance::of(r, &v.targets[ti], ti))
        .collect()
}

/// Sentences for the targets whose chance swings with the season: "asye-25's chance of meeting
/// 80:20 is 39% at its deadline (March 2027) but 62% over the 12 months to it: it swings with
/// the season, so quote both."
pub fn swing_notes(r: &Results) -> Vec<String> {
    let mut out = Vec::new();
    for (ti, t) in r.targets.iter().enumerate() {
        for (v, c) in r.variants.iter().zip(of_target(r, ti)) {
            if c.swings() {
                out.push(format!(
                    "{}'s chance of meeting {} is {} at its deadline ({}) but {} over {}: it swings with the season by more than {:.0} points, so quote both.",
                    v.name,
                    t.name,
                    pc(c.deadline.p),
                    crate::model::format::long_date(t.by),
                    pc(c.year),
                    c.window(),
                    100.0 * SWING,
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_swings() {
        let c = Chance {
            deadline: Probability { p: 0.39, se: 0.015 },
            year: 0.62,
            months: 12,
        };
        assert!(c.swings());
        assert_eq!(
            c.words(),
            "39% at the deadline, 62% over the 12 months to it"
        );
        let close = Chance { year: 0.59, ..c };
        assert!(!close.swings());
        assert_eq!(Chance { months: 1, ..c }.window(), "its month alone");
    }
}
