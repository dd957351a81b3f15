//! The `[variation]` the census estimates, line by line: one writer for the scenario `wfsim init`
//! writes and for what `wfsim census` prints, each factor of `scenario::FACTORS` in turn with its
//! extra key.

use super::calibrate::Estimates;
use crate::model::format::toml_num as num;
use crate::scenario::{FACTORS, Factor};

/// Who the lines are for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// The scenario `wfsim init` writes: numbers without trailing zeros, each source marked
    /// `[census]`.
    Init,
    /// What `wfsim census` prints: numbers to fixed decimals, each source after its scale.
    Census,
}

impl Style {
    fn num(self, x: f64, decimals: usize) -> String {
        match self {
            Style::Init => num(x, decimals as i32),
            Style::Census => format!("{x:.decimals$}"),
        }
    }
}

/// One factor's line of `[variation]`: `key = value`, and what it rests on.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub key: &'static str,
    /// The factor's table, e.g. `{ sd = 0.3, persistence = 0.5, tails = 4.0, points = 0.04 }`.
    pub value: String,
    pub source: String,
}

/// The lines of `[variation]` the estimates `e` give, one a factor in the order of [`FACTORS`].
pub fn lines(e: &Estimates, style: Style) -> Vec<Line> {
    let v = e.variation();
    FACTORS
        .iter()
        .map(|d| {
            let est = &e[d.factor];
            let n = |x: f64, decimals: usize| style.num(x, decimals);
            let mut value = format!(
                "{{ sd = {}, persistence = {}",
                n(est.wander.sd, 3),
                n(est.wander.persistence, 2)
            );
            let tails = est.wander.tails.excess_kurtosis();
            if tails > 0.0 {
                value.push_str(&format!(", tails = {}", n(tails, 1)));
            }
            let mut source = match style {
                Style::Init => format!(
                    "[census: {} councils, {} years]",
                    est.councils, est.observations
                ),
                Style::Census => format!(
                    "{}: {} councils, {} years",
                    d.scale, est.councils, est.observations
                ),
            };
            if let Some(x) = d.extra {
                value.push_str(&format!(", {} = {}", x.key, n((x.get)(&v), x.decimals)));
                if let Some(rests) = extra_rests_on(e, d.factor, style) {
                    let mark = if style == Style::Init {
                        " [census]"
                    } else {
                        ""
                    };
                    source.push_str(&format!("; {}: {rests}{mark}", x.key));
                }
            }
            value.push_str(" }");
            Line {
                key: d.key,
                value,
                source,
            }
        })
        .collect()
}

/// What the census estimate of factor `f`'s extra key rests on, in words; `None` for a factor
/// without one.
fn extra_rests_on(e: &Estimates, f: Factor, style: Style) -> Option<String> {
    let n = |x: f64, decimals: usize| style.num(x, decimals);
    match f {
        Factor::Leaving | Factor::Hiring | Factor::Cases => None,
        Factor::Agency => {
            let p = e.agency_points;
            Some(format!(
                "agency beyond vacancies moved a median {} + {} x its level in a year, in points \
                 of establishment ({} council-years)",
                n(p.intercept, 4),
                n(p.slope, 3),
                p.pairs
            ))
        }
        Factor::Establishment => {
            let s = e.staff_share;
            // The scenario's comment stands on its own; `wfsim census` prints it on
            // establishment's line.
            let whose = match style {
                Style::Init => "establishment's",
                Style::Census => "its",
            };
            Some(format!(
                "staff in post moved {} times {whose} move within a year ({} council-years), \
                 less {} that hiring gives",
                n(s.slope, 2),
                s.pairs,
                n(s.hiring, 2)
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::census::calibrate;

    #[test]
    fn one_line_a_factor_with_its_extra_key_in_either_style() {
        let e = calibrate::estimate(&crate::census::shipped().unwrap(), 2025);
        for style in [Style::Init, Style::Census] {
            let l = lines(&e, style);
            assert_eq!(l.len(), FACTORS.len());
            for (line, d) in l.iter().zip(&FACTORS) {
                assert_eq!(line.key, d.key);
                assert!(line.value.starts_with("{ sd = ") && line.value.ends_with(" }"));
                match d.extra {
                    Some(x) => {
                        assert!(line.value.contains(&format!(", {} = ", x.key)), "{line:?}");
                        assert!(line.source.contains(&format!("; {}: ", x.key)), "{line:?}");
                    }
                    None => assert!(!line.source.contains(';'), "{line:?}"),
                }
                assert_eq!(style == Style::Census, line.source.starts_with(d.scale));
            }
        }
    }
}
