//! Reading an input: a number, a distribution table, or a path from today's value.
//!
//! ```toml
//! leaving = 0.27                                                   # a number
//! leaving = { dist = "triangular", low = 0.2, mode = 0.27, high = 0.35 }  # a distribution
//! leaving = { from = 0.27, to = 0.18, by = "2025-09" }             # a move, in a straight line
//! leaving = { from = 0.27, to = 0.18, starting = "2023-04", over_months = 24 }
//! establishment = { from = 136, change = 8, at = "2024-04" }       # a step
//! establishment = { from = 136, by_year = { "2024/25" = 144, "2025/26" = 150 } }
//! ```
//!
//! Every value an input can take, at any time, must be one it allows; a path's dates must be in
//! order and inside the simulated period.

use crate::model::date::YearMonth;
use crate::model::format::fmt_g;
use crate::scenario::param::{Allowed, Dist, End, Moves, Param, support};
use crate::scenario::spanned::{self, Node, Reader, Table};
use crate::stats::rng::hash_str;
use statrs::distribution::{ContinuousCDF, Normal as StatNormal};

/// The largest shape a beta distribution may have (`alpha`, `beta`).
const MAX_BETA_SHAPE: f64 = 1e5;

const DIST_KINDS: &str = "uniform, triangular, beta, normal, lognormal";

/// What an input may be written as, for messages.
const FORMS: &str = "a number, a distribution table ({ dist = \"triangular\", low = ..., mode = ..., \
high = ... }) or a path ({ from = ..., to = ..., by = \"YYYY-MM\" })";

/// Reads an input whose random stream is keyed by `key_path`: a number, a distribution, or a path
/// whose every value lies in `allowed`.
pub(in crate::scenario) fn read_param(
    r: &mut Reader,
    node: &Node,
    allowed: Allowed,
    key_path: &str,
) -> Option<Param> {
    match node.value.get_ref() {
        toml::de::DeValue::Table(t) if t.contains_key("from") || t.contains_key("by_year") => {
            read_path(r, node, allowed, key_path)
        }
        _ => read_value(r, node, allowed, key_path),
    }
}

/// A number or a distribution (no path), keyed by `key_path`.
fn read_value(r: &mut Reader, node: &Node, allowed: Allowed, key_path: &str) -> Option<Param> {
    let make = |dist| Param {
        dist,
        key: hash_str(key_path),
        path: node.path.clone(),
        moves: None,
    };
    if !matches!(node.value.get_ref(), toml::de::DeValue::Table(_)) {
        let x = r.number(node);
        if x.is_none() {
            if let toml::de::DeValue::String(text) = node.value.get_ref() {
                r.diagnostics.pop();
                let found = spanned::describe(node.value.get_ref());
                // Money written as people write it, "£3,000": say which number to write.
                let hint = spanned::number_in_text(text)
                    .map(spanned::write_instead)
                    .or_else(|| spanned::decimal_comma(text))
                    .unwrap_or_default();
                r.node_error(node, format!("expected {FORMS}, found {found}{hint}"));
            }
            return None;
        }
        let x = x?;
        if x < allowed.lo || x > allowed.hi {
            let hint = spanned::percent_hint(x, allowed.lo, allowed.hi);
            r.node_error(
                node,
                format!(
                    "found {}; allowed: {}{hint}",
                    spanned::outside(x, allowed.lo, allowed.hi),
                    allowed.what
                ),
            );
            return None;
        }
        return Some(make(Dist::Fixed(x)));
    }
    let mut t = r.table(node)?;
    let kind = t.require(r, "dist", DIST_KINDS).and_then(|n| r.string(&n));
    let dist = read_dist(r, &mut t, node, kind.as_deref(), allowed);
    // Read the remaining keys so that only truly unknown ones are reported.
    let known_for_kind = match kind.as_deref() {
        Some("uniform") => ["low", "high"].as_slice(),
        Some("triangular") => &["low", "mode", "high"],
        Some("beta") => &["alpha", "beta", "low", "high"],
        Some("normal") => &["mean", "sd", "low", "high"],
        Some("lognormal") => &["median", "sigma"],
        // The kind is unknown or missing: that is the error; do not also flag its parameters.
        _ => &[
            "low", "high", "mode", "alpha", "beta", "mean", "sd", "median", "sigma",
        ],
    };
    for k in [
        "low", "high", "mode", "alpha", "beta", "mean", "sd", "median", "sigma", "note",
    ] {
        if known_for_kind.contains(&k) || k == "note" {
            t.get(k);
        }
    }
    r.finish(t);
    let dist = dist?;
    let (lo, hi) = support(&dist);
    if lo < allowed.lo || hi > allowed.hi {
        r.node_error(
            node,
            format!(
                "this distribution reaches {}-{}; every value must be {}",
                fmt_g(lo),
                fmt_g(hi),
                allowed.what
            ),
        );
        return None;
    }
    Some(make(dist))
}

/// The distribution of kind `kind` from the keys of `t`.
fn read_dist(
    r: &mut Reader,
    t: &mut Table,
    node: &Node,
    kind: Option<&str>,
    allowed: Allowed,
) -> Option<Dist> {
    let num = |t: &mut Table, r: &mut Reader, key: &'static str, what: &str| {
        t.require(r, key, what).and_then(|n| r.number(&n))
    };
    match kind? {
        "uniform" => {
            let low = num(t, r, "low", "the lowest value");
            let high = num(t, r, "high", "the highest value");
            let (low, high) = (low?, high?);
            ordered(r, node, &[low, high], "low <= high").then_some(Dist::Uniform { low, high })
        }
        "triangular" => {
            let low = num(t, r, "low", "the lowest value");
            let mode = num(t, r, "mode", "the most likely value");
            let high = num(t, r, "high", "the highest value");
            let (low, mode, high) = (low?, mode?, high?);
            ordered(r, node, &[low, mode, high], "low <= mode <= high")
                .then_some(Dist::Triangular { low, mode, high })
        }
        "beta" => {
            // Shapes past about 10^6 never return from the sampler; 100,000 already puts 90% of
            // a beta within 0.5% of its mean, far narrower than any input's evidence.
            let shape = |t: &mut Table, r: &mut Reader, key: &'static str| {
                let n = t.require(r, key, "a shape number above 0")?;
                let x = r.number(&n)?;
                if x <= 0.0 || x > MAX_BETA_SHAPE {
                    r.node_error(
                        &n,
                        format!(
                            "found {}; allowed: a shape number above 0 and at most 100,000",
                            fmt_g(x)
                        ),
                    );
                    return None;
                }
                Some(x)
            };
            let alpha = shape(t, r, "alpha");
            let beta = shape(t, r, "beta");
            let low = t.get("low").and_then(|n| r.number(&n)).unwrap_or(0.0);
            let high = t.get("high").and_then(|n| r.number(&n)).unwrap_or(1.0);
            let (alpha, beta) = (alpha?, beta?);
            ordered(r, node, &[low, high], "low <= high").then_some(Dist::Beta {
                alpha,
                beta,
                low,
                high,
            })
        }
        "normal" => read_normal(r, t, node, allowed),
        "lognormal" => {
            let median = num(t, r, "median", "the median, above 0");
            let sigma = num(
                t,
                r,
                "sigma",
                "the standard deviation of the logarithm, above 0",
            );
            let (median, sigma) = (median?, sigma?);
            if median <= 0.0 || sigma <= 0.0 {
                r.node_error(node, "lognormal `median` and `sigma` must both be above 0");
                return None;
            }
            let d = Dist::LogNormal { median, sigma };
            let top = crate::scenario::param::support(&d).1;
            if top > allowed.hi {
                r.node_error(
                    node,
                    format!(
                        "this lognormal reaches {} one draw in a trillion, but this input must be {}; use a smaller median or sigma, or beta, triangular, uniform or normal with bounds",
                        fmt_g(top),
                        allowed.what
                    ),
                );
                return None;
            }
            Some(d)
        }
        other => {
            let known: Vec<&str> = DIST_KINDS.split(", ").collect();
            let hint = spanned::closest(other, &known)
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            r.node_error(
                node,
                format!("unknown distribution `{other}`{hint} (allowed: {DIST_KINDS})"),
            );
            None
        }
    }
}

/// A normal distribution truncated to `low`-`high` (by default the input's allowed range), which
/// must hold at least 0.1% of its mass.
fn read_normal(r: &mut Reader, t: &mut Table, node: &Node, allowed: Allowed) -> Option<Dist> {
    let mean = t.require(r, "mean", "the mean").and_then(|n| r.number(&n));
    let sd = t
        .require(r, "sd", "the standard deviation, above 0")
        .and_then(|n| r.number(&n));
    let low = t
        .get("low")
        .and_then(|n| r.number(&n))
        .unwrap_or(allowed.lo);
    let high = t
        .get("high")
        .and_then(|n| r.number(&n))
        .unwrap_or(allowed.hi);
    let (mean, sd) = (mean?, sd?);
    if sd <= 0.0 {
        r.node_error(
            node,
            format!("normal `sd` is {}; it must be above 0", fmt_g(sd)),
        );
        return None;
    }
    let n = StatNormal::new(mean, sd).expect("sd > 0");
    let mass = n.cdf(high) - n.cdf(low);
    if !ordered(r, node, &[low, high], "low <= high") {
        return None;
    }
    if mass < 1e-3 {
        r.node_error(
            node,
            format!(
                "only {:.4}% of normal(mean {}, sd {}) lies between {} and {}; move the mean or widen the bounds",
                mass * 100.0,
                fmt_g(mean),
                fmt_g(sd),
                fmt_g(low),
                fmt_g(high)
            ),
        );
        return None;
    }
    Some(Dist::Normal {
        mean,
        sd,
        low,
        high,
    })
}

fn ordered(r: &mut Reader, node: &Node, xs: &[f64], rule: &str) -> bool {
    if xs.windows(2).all(|w| w[0] <= w[1]) {
        true
    } else {
        let found: Vec<String> = xs.iter().map(|x| fmt_g(*x)).collect();
        r.node_error(node, format!("needs {rule}; found {}", found.join(", ")));
        false
    }
}

/// Any change, however large, for a path's `change` (the end value is checked instead).
const ANY: Allowed = Allowed {
    lo: f64::NEG_INFINITY,
    hi: f64::INFINITY,
    what: "a number",
};

/// A path: `from` today's value, then a move (`to` or `change` with `by` or `over_months`, and
/// optionally `starting`), a step (`to` or `change` with `at`), or values by year (`by_year`).
fn read_path(r: &mut Reader, node: &Node, allowed: Allowed, key_path: &str) -> Option<Param> {
    let mut t = r.table(node)?;
    let from = t.get("from").map(|n| read_value(r, &n, allowed, key_path));
    let (to, change) = (t.get("to"), t.get("change"));
    let by_year = t.get("by_year");
    let (by, over, starting, at) = (
        t.get("by"),
        t.get("over_months"),
        t.get("starting"),
        t.get("at"),
    );
    t.get("note");
    let span = t.span.clone();
    let path = t.path.clone();
    r.finish(t);
    if let Some(years) = by_year {
        for (key, n) in [("to", &to), ("change", &change), ("by", &by), ("at", &at)] {
            if let Some(n) = n {
                r.node_error(
                    n,
                    format!("`by_year` gives each year's value; `{key}` cannot go with it"),
                );
                return None;
            }
        }
        let from = match from {
            Some(f) => Some(f?),
            None => None,
        };
        return read_by_year(r, &years, from, allowed, key_path, &node.path);
    }
    let from = from.expect("a path table has `from` or `by_year`")?;
    let end = match (to, change) {
        (Some(n), None) => End::To(read_value(r, &n, allowed, &format!("{key_path}.to"))?),
        (None, Some(n)) => {
            let change = read_value(r, &n, ANY, &format!("{key_path}.change"))?;
            let (lo, hi) = support(&from.dist);
            let (a, b) = support(&change.dist);
            if lo + a < allowed.lo || hi + b > allowed.hi {
                let reach = if lo + a == hi + b {
                    fmt_g(lo + a)
                } else {
                    format!("{}-{}", fmt_g(lo + a), fmt_g(hi + b))
                };
                r.node_error(
                    &n,
                    format!(
                        "`from` with this change reaches {reach}; every value must be {}",
                        allowed.what
                    ),
                );
                return None;
            }
            End::Change(change)
        }
        (Some(n), Some(_)) => {
            r.node_error(
                &n,
                "give either `to` (the value reached) or `change` (how much it changes), not both",
            );
            return None;
        }
        (None, None) => {
            r.error(&span, &format!("{path}.to"), "missing; a path needs `to` (the value reached) or `change` (how much it changes), or `by_year`");
            return None;
        }
    };
    let moves = match (at, by, over) {
        (Some(at_node), None, None) => {
            if let Some(s) = &starting {
                r.node_error(
                    s,
                    "`starting` goes with a move (`by` or `over_months`), not a step (`at`)",
                );
                return None;
            }
            let at = read_date(r, &at_node, false)?;
            Moves::Step { end, at }
        }
        (None, by, over) => {
            let starting = match &starting {
                Some(s) => Some(read_date(r, s, true)?),
                None => None,
            };
            let by = read_end_date(r, by, over, starting, &span, &path)?;
            Moves::Line { end, starting, by }
        }
        (Some(at_node), _, _) => {
            r.node_error(
                &at_node,
                "give `at` for a step, or `by` or `over_months` for a move, not both",
            );
            return None;
        }
    };
    Some(Param {
        // The start value is the input's own: its path and its stream are the input's.
        path: node.path.clone(),
        moves: Some(Box::new(moves)),
        ..from
    })
}

/// The month a move ends: `by`, or `over_months` after `starting` (or the start).
fn read_end_date(
    r: &mut Reader,
    by: Option<Node>,
    over: Option<Node>,
    starting: Option<YearMonth>,
    span: &std::ops::Range<usize>,
    path: &str,
) -> Option<YearMonth> {
    let first = starting.or(r.horizon.map(|(s, _)| s));
    let end = match (by, over) {
        (Some(n), None) => {
            let by = read_date(r, &n, false)?;
            if first.is_some_and(|f| by <= f) {
                r.node_error(
                    &n,
                    format!(
                        "{by} is not after the move starts ({}); the dates must be in order",
                        first.expect("checked")
                    ),
                );
                return None;
            }
            by
        }
        (None, Some(n)) => {
            let m = r.integer_in(&n, 1, i64::from(crate::scenario::MAX_MONTHS))?;
            let first = first?;
            let by = first.add_months(m as i32);
            if let Some((_, end)) = r.horizon
                && by > end
            {
                let room = end.months_since(first);
                let message = if room < 1 {
                    format!(
                        "the move starts in {first}, when the simulated period ends, so it has no \
                         month to move in; start it before {end}"
                    )
                } else {
                    format!(
                        "the move would end in {by}, after the simulated period ends ({end}); \
                         allowed: at most {room} months"
                    )
                };
                r.node_error(&n, message);
                return None;
            }
            by
        }
        (Some(n), Some(_)) => {
            r.node_error(&n, "give either `by` (a date) or `over_months`, not both");
            return None;
        }
        (None, None) => {
            r.error(
                span,
                &format!("{path}.by"),
                "missing; a move needs `by` (the month it ends, \"YYYY-MM\") or `over_months`, and a step needs `at`",
            );
            return None;
        }
    };
    Some(end)
}

/// A path's date, which must lie inside the simulated period (from its start when `from_start`,
/// otherwise after it).
fn read_date(r: &mut Reader, n: &Node, from_start: bool) -> Option<YearMonth> {
    let d = super::read_month(r, n)?;
    if let Some((start, end)) = r.horizon {
        let first = if from_start {
            start
        } else {
            start.add_months(1)
        };
        if d < first || d > end {
            r.node_error(
                n,
                format!("{d} is outside the simulated period; allowed: {first} to {end}"),
            );
            return None;
        }
    }
    Some(d)
}

/// `by_year = { "2023/24" = 0.3, "2024/25" = 0.25 }` (financial years) or
/// `{ "2024" = 0.3, "2025" = 0.25 }` (calendar years), in order, each overlapping the simulated
/// period.
fn read_by_year(
    r: &mut Reader,
    n: &Node,
    from: Option<Param>,
    allowed: Allowed,
    key_path: &str,
    path: &str,
) -> Option<Param> {
    let t = r.table(n)?;
    let mut years: Vec<(i32, Param)> = Vec::new();
    let mut financial = None;
    let mut ok = true;
    for (k, v) in t.table.iter() {
        let label = k.get_ref().to_string();
        let node = Node {
            value: v,
            path: format!("{}.{label}", t.path),
        };
        let Some((year, fy)) = year_key(&label) else {
            r.error(&k.span(), &node.path, format!("`{label}` is not a year; write financial years as \"2024/25\" (April to March) or calendar years as \"2024\""));
            ok = false;
            continue;
        };
        if financial.is_some_and(|f| f != fy) {
            r.error(&k.span(), &node.path, "all years must be financial years (\"2024/25\") or all calendar years (\"2024\"), not both");
            ok = false;
            continue;
        }
        financial = Some(fy);
        if years.last().is_some_and(|(y, _)| *y >= year) {
            r.error(&k.span(), &node.path, "years must be in order, each once");
            ok = false;
            continue;
        }
        if let Some((start, end)) = r.horizon {
            let (first, last) = if fy {
                (YearMonth::new(year, 4), YearMonth::new(year + 1, 3))
            } else {
                (YearMonth::new(year, 1), YearMonth::new(year, 12))
            };
            if last.is_none_or(|l| l <= start) || first.is_none_or(|f| f > end) {
                r.error(
                    &k.span(),
                    &node.path,
                    format!(
                        "`{label}` is outside the simulated period ({} to {end})",
                        start.add_months(1)
                    ),
                );
                ok = false;
                continue;
            }
        }
        match read_value(r, &node, allowed, &format!("{key_path}.by_year.{label}")) {
            Some(p) => years.push((year, p)),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    let Some((_, first)) = years.first() else {
        r.node_error(
            n,
            "give at least one year's value, e.g. { \"2024/25\" = 0.3 }",
        );
        return None;
    };
    let from_stated = from.is_some();
    let base = from.unwrap_or_else(|| Param {
        path: path.to_string(),
        ..first.clone()
    });
    Some(Param {
        moves: Some(Box::new(Moves::ByYear {
            financial: financial.unwrap_or(true),
            years,
            from_stated,
        })),
        ..base
    })
}

/// `2024/25` as (2024, financial), `2024` as (2024, calendar).
fn year_key(label: &str) -> Option<(i32, bool)> {
    let year = |y: &str| y.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y));
    match label.split_once('/') {
        Some((a, b)) => {
            let y = year(a)?;
            (b.len() == 2 && b.parse::<i32>().ok()? == (y + 1).rem_euclid(100)).then_some((y, true))
        }
        None => Some((year(label)?, false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_keys_are_financial_or_calendar() {
        assert_eq!(year_key("2024/25"), Some((2024, true)));
        assert_eq!(year_key("1999/00"), Some((1999, true)));
        assert_eq!(year_key("2024"), Some((2024, false)));
        assert_eq!(year_key("2024/26"), None);
        assert_eq!(year_key("24/25"), None);
        assert_eq!(year_key("next"), None);
    }
}
