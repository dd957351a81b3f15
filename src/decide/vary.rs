//! `PATH=FROM..TO[:STEP]`: an input and the values a sweep or search tries.

use std::str::FromStr;

/// The most values one sweep may run.
pub const MAX_VALUES: usize = 1000;
/// `PATH=FROM..TO[:STEP]`: an input and the range to vary it over.
#[derive(Clone, Debug, PartialEq)]
pub struct Vary {
    pub path: String,
    pub from: f64,
    pub to: f64,
    pub step: Option<f64>,
    /// Whether the input takes whole numbers only (a count, months, a year), once resolved
    /// against the scenario ([`Varied::resolve`](super::Varied::resolve)); before that (`None`),
    /// whole FROM, TO and STEP are taken to say so.
    pub whole_input: Option<bool>,
    /// Whether the variant run states the input as a distribution, which each value fixes,
    /// once resolved against the scenario (false before).
    pub uncertain_input: bool,
}
impl FromStr for Vary {
    type Err = String;

    fn from_str(s: &str) -> Result<Vary, String> {
        let form = "expected PATH=FROM..TO or PATH=FROM..TO:STEP, e.g. intake.asye.size=10..30:5";
        let (path, range) = s.rsplit_once('=').ok_or_else(|| format!("`{s}`: {form}"))?;
        let path = path.trim();
        if path.is_empty() {
            return Err(format!("`{s}`: the key path is missing; {form}"));
        }
        let (range, step) = match range.split_once(':') {
            Some((r, st)) => (r, Some(st)),
            None => (range, None),
        };
        let (from, to) = range
            .split_once("..")
            .ok_or_else(|| format!("`{s}`: {form}"))?;
        let num = |t: &str, what: &str| -> Result<f64, String> {
            t.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("`{s}`: {what} `{}` is not a number; {form}", t.trim()))
        };
        let from = num(from, "FROM")?;
        let to = num(to, "TO")?;
        let step = step.map(|t| num(t, "STEP")).transpose()?;
        if from > to {
            return Err(format!("`{s}`: FROM ({from}) is greater than TO ({to})"));
        }
        if let Some(st) = step
            && st <= 0.0
        {
            return Err(format!("`{s}`: STEP must be greater than 0"));
        }
        let v = Vary {
            path: path.to_string(),
            from,
            to,
            step,
            whole_input: None,
            uncertain_input: false,
        };
        let n = v.values().len();
        if n > MAX_VALUES {
            return Err(format!(
                "`{s}` gives {n} values; at most {MAX_VALUES} are allowed, so use a larger STEP"
            ));
        }
        Ok(v)
    }
}
impl Vary {
    /// True when the values are whole numbers: the input takes only whole numbers, or, before
    /// the input is known, FROM, TO and STEP are whole. A rate whose range is written `0..1` is
    /// not: its values lie between.
    pub fn is_whole(&self) -> bool {
        self.whole_input.unwrap_or_else(|| self.ends_whole())
    }

    /// Whether FROM, TO and STEP (when given) are whole numbers.
    pub fn ends_whole(&self) -> bool {
        let whole = |x: f64| x == x.trunc();
        whole(self.from) && whole(self.to) && self.step.is_none_or(whole)
    }

    /// The values swept: FROM, FROM + STEP, ... up to TO (TO included when the steps reach it).
    /// Without STEP: whole numbers, every one for a range of at most 20, else about 10 even
    /// whole steps and TO; other numbers, 11 even values.
    pub fn values(&self) -> Vec<f64> {
        let span = self.to - self.from;
        if span == 0.0 {
            return vec![self.from];
        }
        let step = match self.step {
            Some(s) => s,
            None if self.is_whole() && span <= 20.0 => 1.0,
            None if self.is_whole() => {
                let step = (span / 10.0).ceil();
                let mut values: Vec<f64> = (0..)
                    .map(|i| self.from + f64::from(i) * step)
                    .take_while(|&x| x < self.to)
                    .collect();
                values.push(self.to);
                return values;
            }
            None => span / 10.0,
        };
        let n = ((span / step) + 1e-9).floor() as usize;
        if n > MAX_VALUES {
            return vec![0.0; n + 1];
        }
        (0..=n)
            .map(|i| {
                let r = tidy(self.from + i as f64 * step);
                if r > self.to { self.to } else { r }
            })
            .collect()
    }
}
/// `x` without binary noise such as 0.30000000000000004 (rounded to 9 decimals), for values on a
/// grid of steps.
pub(super) fn tidy(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}
/// How to add the table a `--vary` path needs, for a scenario without it: an ASYE cohort's size
/// needs `[intake.asye]`.
pub fn missing_hint(path: &str) -> Option<String> {
    let asye = path == "intake.asye" || path.starts_with("intake.asye.");
    asye.then(|| {
        "this scenario has no [intake.asye] table; add one (size 0 adds nobody, so the baseline \
         does not change), naming the newly qualified grade:\n\n[intake.asye]\ngrade = \"ASYE\"\n\
         month = 9\nsize = 0\n\n(`wfsim init` writes it; docs/scenario.md lists its keys)"
            .to_string()
    })
}
/// Things a user should know about varying this input.
pub fn notes(vary: &Vary) -> Vec<String> {
    let mut out = Vec::new();
    if vary.path.contains("premiums[") && vary.path.ends_with(".amount") {
        out.push(format!(
            "a premium's leaving_effect and hiring_effect are inputs of their own and do not change with `{}`: only its cost does. To model a larger premium working better, vary the effect too (or give each amount its own option).",
            vary.path
        ));
    }
    out
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vary_parses_and_lists_values() {
        let v: Vary = "intake.asye.size=10..30:5".parse().unwrap();
        assert_eq!(v.path, "intake.asye.size");
        assert_eq!(v.values(), [10.0, 15.0, 20.0, 25.0, 30.0]);
        let v: Vary = "a=0..3".parse().unwrap();
        assert_eq!(v.values(), [0.0, 1.0, 2.0, 3.0]);
        let v: Vary = "a=0..0.5".parse().unwrap();
        assert_eq!(v.values().len(), 11);
        assert_eq!(v.values()[3], 0.15);
        assert!(!v.is_whole());
        let v: Vary = "grades[Level 3].leaving[2]=0.1..0.3:0.1".parse().unwrap();
        assert_eq!(v.values(), [0.1, 0.2, 0.3]);
        // The last value never passes TO.
        let v: Vary = "a=0..10:4".parse().unwrap();
        assert_eq!(v.values(), [0.0, 4.0, 8.0]);
    }

    #[test]
    fn what_the_input_takes_decides_whole_values_not_how_the_ends_are_written() {
        let v = |text: &str, whole: bool| Vary {
            whole_input: Some(whole),
            ..text.parse::<Vary>().unwrap()
        };
        // A rate from 0 to 1: ten steps between, not the two whole numbers.
        let rate = v("a=0..1", false);
        assert!(!rate.is_whole());
        assert_eq!(rate.values().len(), 11);
        assert_eq!(rate.values()[2], 0.2);
        // A count over more than 20: whole steps of a tenth of the range, rounded up, and TO.
        assert_eq!(
            v("a=0..25", true).values(),
            [0.0, 3.0, 6.0, 9.0, 12.0, 15.0, 18.0, 21.0, 24.0, 25.0]
        );
        assert_eq!(v("a=0..30", true).values().len(), 11);
        assert_eq!(v("a=2..5", true).values(), [2.0, 3.0, 4.0, 5.0]);
    }

    #[test]
    fn a_missing_intake_says_how_to_add_it() {
        let h = missing_hint("intake.asye.size").unwrap();
        assert!(
            h.contains("[intake.asye]\ngrade = \"ASYE\"\nmonth = 9\nsize = 0"),
            "{h}"
        );
        assert_eq!(missing_hint("grades[Level 3].leaving[2]"), None);
        assert_eq!(missing_hint("intake.asyes"), None);
    }

    #[test]
    fn bad_ranges_say_what_is_expected() {
        for (text, says) in [
            ("a", "expected PATH=FROM..TO"),
            ("=1..2", "key path is missing"),
            ("a=1-2", "expected PATH=FROM..TO"),
            ("a=x..2", "FROM `x` is not a number"),
            ("a=3..2", "greater than TO"),
            ("a=1..2:0", "STEP must be greater than 0"),
            ("a=0..1e6:1", "at most 1000"),
        ] {
            let e = text.parse::<Vary>().unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }
}
