//! How numbers are written for people and files: one place for every number's format.
//!
//! Data files take [`num`] (a fixed number of decimals, trailing zeros dropped); messages take
//! [`fmt_g`]; tables, reports and sentences take percentages ([`pct`], [`pc`]), pounds ([`money`])
//! and dates in words ([`long_date`]), and a metric's value or range in its own unit.

use super::date::{YearMonth, month_name};
use super::metric::{Metric, Unit};

/// A number with at most `decimals` places and no trailing zeros; empty for NaN.
pub fn num(x: f64, decimals: usize) -> String {
    if x.is_nan() {
        return String::new();
    }
    // A whole number (most values: headcounts and their percentiles) is printed as one: the same
    // digits as the general way below, without its exact decimal expansion, which for many
    // values, whole numbers among them, falls back to the standard library's slowest algorithm.
    const EXACT: f64 = (1u64 << 53) as f64;
    if x.abs() < EXACT && x == (x as i64) as f64 {
        return (x as i64).to_string();
    }
    let mut s = format!("{x:.decimals$}");
    if s.contains('.') {
        let kept = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(kept);
    }
    if s == "-0" { "0".into() } else { s }
}

/// A number without needless trailing zeros.
pub fn fmt_g(x: f64) -> String {
    if x.is_finite() && x.abs() >= 1e15 {
        // Too many digits to read: 1e308, not 309 of them.
        return format!("{x:e}");
    }
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

pub fn pct(x: f64) -> String {
    if x.is_nan() {
        "-".into()
    } else {
        format!("{:.1}%", 100.0 * x)
    }
}

/// A whole percentage, `31%`.
pub fn pc(x: f64) -> String {
    if x.is_nan() {
        "-".into()
    } else {
        format!("{:.0}%", 100.0 * x)
    }
}

/// FTE to one decimal place, `171.3`.
pub fn fte(x: f64) -> String {
    format!("{x:.1}")
}

/// A mean in pounds with its 90% range (`lo` to `hi`), e.g. `£387k (-£19k to £756k)`; the mean
/// alone when all three read the same (`£0`, not `£0 (£0 to £0)`).
pub fn money_range(mean: f64, lo: f64, hi: f64) -> String {
    let (m, a, b) = (money(mean), money(lo), money(hi));
    if m == a && a == b {
        m
    } else {
        format!("{m} ({a} to {b})")
    }
}

/// Pounds in thousands or millions, e.g. `£12.3m`, `£450k`, `-£1.2m`.
pub fn money(x: f64) -> String {
    if x.is_nan() {
        return "-".into();
    }
    let a = x.abs();
    // The unit is chosen by the value as shown: £999,999.99 is `£1.00m`, not `£1000k`.
    let shown = if a >= 999_500.0 {
        format!("£{:.2}m", a / 1e6)
    } else if a >= 999.5 {
        format!("£{:.0}k", a / 1e3)
    } else {
        format!("£{a:.0}")
    };
    // A negative amount that rounds to nothing has no sign.
    if x < 0.0 && shown.contains(|c: char| matches!(c, '1'..='9')) {
        format!("-{shown}")
    } else {
        shown
    }
}

/// Pounds exactly, with thousands separators: `£1,500`, `£2,499.50`.
pub fn pounds(x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let pence = (x.abs() * 100.0).round() as u64;
    let (whole, p) = (pence / 100, pence % 100);
    let grouped = grouped(whole);
    if p == 0 {
        format!("{sign}£{grouped}")
    } else {
        format!("{sign}£{grouped}.{p:02}")
    }
}

/// A whole number with thousands separators: `1,856`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `March 2027`.
pub fn long_date(d: YearMonth) -> String {
    format!("{} {}", month_name(d.month()), d.year())
}

/// A metric's value in words: percentages for shares, pounds for costs, FTE otherwise.
pub fn metric_value(m: Metric, x: f64) -> String {
    match metric_number(m, x) {
        (n, Some(unit)) => format!("{n} {unit}"),
        (n, None) => n,
    }
}

/// How a metric goes from `start` to `end` ([`movement`]), its unit written once at the end:
/// "falls from 17.7 to 15.8 cases per case-holding FTE", "rises from 26% to 28%".
pub fn metric_movement(m: Metric, start: f64, end: f64) -> String {
    let moves = movement(start, end, |x| metric_number(m, x).0);
    match metric_number(m, end).1 {
        Some(unit) => format!("{moves} {unit}"),
        None => moves,
    }
}

/// A metric's value as a number and the unit written after it, if any: (`17.7`, `cases per
/// case-holding FTE`), or (`31%`, None).
fn metric_number(m: Metric, x: f64) -> (String, Option<&'static str>) {
    match m.unit() {
        Unit::Share | Unit::Rate => (pc(x), None),
        Unit::Pounds => (money(x), None),
        Unit::Fte => (format!("{x:.1}"), Some("FTE")),
        Unit::Cases => (grouped(x.max(0.0).round() as u64), Some("cases")),
        // The census's caseload: not per FTE of all staff, since not all of them hold cases.
        Unit::PerFte => (format!("{x:.1}"), Some("cases per case-holding FTE")),
    }
}

/// A 90% range (`lo` to `hi`) as the findings give it, e.g. `19-35%` or `12.0 to 20.5 cases per
/// case-holding FTE`; one value when both ends read the same (`18.0 FTE`, not `18.0 FTE to 18.0
/// FTE`).
pub fn metric_range(m: Metric, lo: f64, hi: f64) -> String {
    if metric_value(m, lo) == metric_value(m, hi) {
        return metric_value(m, lo);
    }
    if m.is_share() {
        return format!("{:.0}-{:.0}%", 100.0 * lo, 100.0 * hi);
    }
    match (metric_number(m, lo), metric_number(m, hi)) {
        ((a, Some(unit)), (b, _)) => format!("{a} to {b} {unit}"),
        ((a, None), (b, None)) | ((a, None), (b, Some(_))) => format!("{a} to {b}"),
    }
}

/// How a figure goes from `start` to `end`, written as `show` writes each: "stays at 31%" when
/// they are equal, "stays at about 31%" when they differ but read the same, else "falls from 31%
/// to 18%" or "rises from ...". What reads the same never "falls from 31% to 31%".
pub fn movement(start: f64, end: f64, show: impl Fn(f64) -> String) -> String {
    let (a, b) = (show(start), show(end));
    if (end - start).abs() < 1e-9 * start.abs().max(1.0) {
        format!("stays at {b}")
    } else if a == b {
        format!("stays at about {b}")
    } else if end < start {
        format!("falls from {a} to {b}")
    } else {
        format!("rises from {a} to {b}")
    }
}

/// Two chances side by side, as the findings compare an option with the baseline: `35%, against
/// 11% in the baseline`, or `82%, about the same as the baseline` when both read the same.
pub fn against_baseline(option: f64, baseline: f64) -> String {
    if pc(option) == pc(baseline) {
        if option == baseline {
            format!("{}, the same as the baseline", pc(option))
        } else {
            format!("{}, about the same as the baseline", pc(option))
        }
    } else {
        format!("{}, against {} in the baseline", pc(option), pc(baseline))
    }
}

/// A number as TOML writes it (a decimal point always, no trailing zeros), to `decimals` places
/// at most: what `init` and `wfsim census` write into a scenario.
pub fn toml_num(x: f64, decimals: i32) -> String {
    let f = 10f64.powi(decimals);
    let r = (x * f).round() / f;
    if r.fract() == 0.0 {
        format!("{r:.1}")
    } else {
        let s = format!("{r:.*}", decimals as usize);
        s.trim_end_matches('0').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pounds_are_exact() {
        assert_eq!(pounds(1500.0), "£1,500");
        assert_eq!(pounds(2500.0), "£2,500");
        assert_eq!(pounds(2499.5), "£2,499.50");
        assert_eq!(pounds(1_234_567.0), "£1,234,567");
        assert_eq!(pounds(-40.0), "-£40");
        assert_eq!(pounds(0.0), "£0");
    }

    #[test]
    fn numbers_are_trimmed() {
        assert_eq!(num(0.25, 6), "0.25");
        assert_eq!(num(12.0, 4), "12");
        assert_eq!(num(-0.0000001, 4), "0");
        assert_eq!(num(1234.5678, 2), "1234.57");
        assert_eq!(num(f64::NAN, 2), "");
    }

    #[test]
    fn whole_numbers_print_as_the_general_way_prints_them() {
        // The general way alone, as `num` was before whole numbers were printed directly.
        let general = |x: f64, d: usize| {
            let s = format!("{x:.d$}");
            let s = if s.contains('.') {
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                s
            };
            if s == "-0" { "0".to_string() } else { s }
        };
        let two53 = (1u64 << 53) as f64;
        let mut xs: Vec<f64> = (-1000..=1000).map(f64::from).collect();
        xs.extend([
            -0.0,
            1e15,
            -1e15,
            two53 - 1.0,
            -(two53 - 1.0),
            two53,
            2.0 * two53,
            1e300,
        ]);
        xs.extend([
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.5,
            -0.5,
            94.0004,
            93.9996,
            1e-9,
        ]);
        for &x in &xs {
            for d in 0..=6 {
                assert_eq!(num(x, d), general(x, d), "{x} to {d} places");
            }
        }
        assert_eq!(num(94.0, 3), "94");
        assert_eq!(num(-0.0, 2), "0");
    }

    #[test]
    fn money_and_percent() {
        assert_eq!(money(12_345_678.0), "£12.35m");
        assert_eq!(money(-450_400.0), "-£450k");
        assert_eq!(money(12.4), "£12");
        // At the edge of a unit, the larger unit, as the value rounds.
        assert_eq!(money(999_999.999_999_996_3), "£1.00m");
        assert_eq!(money(999_499.0), "£999k");
        assert_eq!(money(-999.7), "-£1k");
        assert_eq!(money(-0.3), "£0");
        assert_eq!(money(-0.5), "£0");
        assert_eq!(money(-0.6), "-£1");
        assert_eq!(pct(0.1834), "18.3%");
    }
}
