//! `[[premiums]]` and an option's premiums: market supplements, golden hellos and retention
//! payments, with their assumed effects on leaving and hiring.

use super::distinct_grades;
use super::param::read_param;
use crate::model::format::fmt_g;
use crate::scenario::param::{EFFECT, Param};
use crate::scenario::premium::{GoldenHello, RetentionPayment};
use crate::scenario::spanned::{self, Node, Reader};
use crate::scenario::{Grade, Post, Premium, PremiumKind};

/// Where a premium read by [`read_premiums`] states its effects, for messages: the spans of its
/// `leaving_effect` and `hiring_effect` (the premium's own where one is not stated).
pub(super) struct EffectSpans {
    leaving: std::ops::Range<usize>,
    hiring: std::ops::Range<usize>,
}

/// The premiums of `n`, appended to `out`, with where each states its effects.
pub(super) fn read_premiums(
    r: &mut Reader,
    n: &Node,
    grade_names: &[String],
    out: &mut Vec<Premium>,
) -> Vec<EffectSpans> {
    let mut spans = Vec::new();
    let Some(items) = r.array(n) else {
        return spans;
    };
    for item in &items {
        let Some(mut t) = r.table(item) else { continue };
        let kind_s = t
            .require(
                r,
                "kind",
                "market_supplement, golden_hello or retention_payment",
            )
            .and_then(|n| {
                let s = r.string(&n)?;
                let known = ["market_supplement", "golden_hello", "retention_payment"];
                if known.contains(&s.as_str()) {
                    Some(s)
                } else {
                    let hint = spanned::closest(&s, &known)
                        .map(|k| format!("did you mean `{k}`? "))
                        .unwrap_or_default();
                    r.node_error(
                        &n,
                        format!(
                            "unknown premium kind `{s}`; {hint}allowed: {}",
                            known.join(", ")
                        ),
                    );
                    None
                }
            });
        let grades = t
            .require(r, "grades", "the grades it applies to")
            .and_then(|gn| distinct_grades(r, &gn, grade_names, "grade the premium applies to"));
        let amount = t
            .require(
                r,
                "amount",
                "pounds (a year for a supplement; once for a payment)",
            )
            .and_then(|n| r.number_in(&n, 0.0, 1e6, "pounds from 0 to 1,000,000"));
        // Keys of another kind of premium are refused, not ignored: a supplement is not clawed
        // back, and only a retention payment is paid at a month of service.
        let kind_keys: &[&str] = match kind_s.as_deref() {
            Some("market_supplement") => {
                &["clawback_months", "clawback", "at_months", "lead_months"]
            }
            Some("golden_hello") => &["at_months", "lead_months"],
            _ => &[],
        };
        for &key in kind_keys {
            if let Some(n) = t.get(key) {
                let why = match key {
                    "at_months" => "only a retention_payment is paid at a month of service",
                    "lead_months" => "only a retention_payment is promised ahead of being paid",
                    _ => "a market supplement is paid each month and not clawed back",
                };
                r.node_error(
                    &n,
                    format!(
                        "does not apply to a {}: {why}",
                        kind_s.as_deref().unwrap_or_default()
                    ),
                );
            }
        }
        let clawback = t
            .get("clawback_months")
            .map_or(Some(0), |n| r.integer_in(&n, 0, 240).map(|x| x as u32));
        let pro_rata = t.get("clawback").map_or(Some(false), |n| {
            let s = r.string(&n)?;
            match s.as_str() {
                "full" => Some(false),
                "pro_rata" => Some(true),
                other => {
                    r.node_error(
                        &n,
                        format!("`{other}` is not a clawback rule; allowed: full, pro_rata"),
                    );
                    None
                }
            }
        });
        let at = t.get("at_months");
        // Only a retention payment is promised ahead.
        let lead = if kind_s.as_deref() == Some("retention_payment") {
            t.get("lead_months")
                .map_or(Some(12), |n| r.integer_in(&n, 0, 600).map(|x| x as u32))
        } else {
            Some(12)
        };
        let kind = match kind_s.as_deref() {
            Some("market_supplement") => Some(PremiumKind::MarketSupplement),
            Some("golden_hello") => Some(PremiumKind::GoldenHello(GoldenHello {
                clawback_months: clawback.unwrap_or(0),
                pro_rata: pro_rata.unwrap_or(false),
            })),
            Some("retention_payment") => match at {
                Some(a) => r.integer_in(&a, 1, 600).map(|m| {
                    PremiumKind::RetentionPayment(RetentionPayment {
                        at_months: m as u32,
                        clawback_months: clawback.unwrap_or(0),
                        pro_rata: pro_rata.unwrap_or(false),
                        lead_months: lead.unwrap_or(12),
                    })
                }),
                None => {
                    let (span, path) = (t.span.clone(), format!("{}.at_months", t.path));
                    r.error(&span, &path, "missing; required for a retention payment: months of service at which it is paid");
                    None
                }
            },
            _ => None,
        };
        let label = kind_s.clone().unwrap_or_default();
        let index = out.iter().filter(|p| p.kind.label() == label).count();
        // Effects of the same kind of premium share a random stream across options (common random
        // numbers): the k-th market supplement's effect is drawn from the same numbers in every option.
        let key = |what: &str| format!("premium.{label}.{index}.{what}");
        let (leaving, hiring) = (t.get("leaving_effect"), t.get("hiring_effect"));
        let span_of = |n: &Option<Node>| n.as_ref().map_or(t.span.clone(), |n| n.value.span());
        let effect_spans = EffectSpans {
            leaving: span_of(&leaving),
            hiring: span_of(&hiring),
        };
        let leaving = match leaving {
            Some(n) => read_param(r, &n, EFFECT, &key("leaving_effect")),
            None => Some(Param::fixed(0.0)),
        };
        let hiring = match hiring {
            Some(n) => read_param(r, &n, EFFECT, &key("hiring_effect")),
            None => Some(Param::fixed(0.0)),
        };
        t.get("note");
        r.finish(t);
        if let (Some(kind), Some(grades), Some(amount), Some(_), Some(_), Some(l), Some(h)) =
            (kind, grades, amount, clawback, pro_rata, leaving, hiring)
        {
            out.push(Premium {
                kind,
                grades,
                amount,
                leaving_effect: l,
                hiring_effect: h,
            });
            spans.push(effect_spans);
        }
    }
    spans
}

/// A rate a premium's effect could take past 1 is an error, as any input's is, rather than
/// something the engine clips: each grade's leaving rate times the leaving effects of every
/// premium on the grade, and each post group's fill probability times the largest hiring effect
/// of the grades it recruits into (effects multiply: `1 + effect` each). Reported at the effects
/// of `premiums[first..]`, read with `spans`; the variant's other premiums count towards them.
pub(super) fn check_premium_rates(
    r: &mut Reader,
    grades: &[Grade],
    posts: &[Post],
    premiums: &[Premium],
    first: usize,
    spans: &[EffectSpans],
) {
    // A market supplement's effect reaches everyone in its grades; a golden hello's or retention
    // payment's on leaving only those in its status, so one that lowers leaving lowers no one
    // else's (others' rates are the grade's with the supplements alone).
    // (Hiring effects reach everyone recruited into the grade.)
    let most = |g: usize, leaving: bool| -> f64 {
        premiums
            .iter()
            .filter(|p| p.grades.contains(&g))
            .map(|p| {
                let effect = if leaving {
                    &p.leaving_effect
                } else {
                    &p.hiring_effect
                };
                let m = 1.0 + effect.range().1;
                if leaving && p.kind != PremiumKind::MarketSupplement {
                    m.max(1.0)
                } else {
                    m
                }
            })
            .product()
    };
    for (p, at) in premiums[first..].iter().zip(spans) {
        if p.leaving_effect.range().1 > 0.0
            && let Some((g, stated, rate)) = p
                .grades
                .iter()
                .map(|&g| {
                    let stated = grades[g]
                        .leaving
                        .iter()
                        .map(|l| l.range().1)
                        .fold(0.0, f64::max);
                    (g, stated, stated * most(g, true))
                })
                .find(|&(.., rate)| rate > 1.0)
        {
            // An effect of 1 or more is most likely a percentage meant as fewer leavers.
            let hi = p.leaving_effect.range().1;
            let meant = if hi >= 1.0 {
                format!(
                    "; for {}% fewer leavers, write -{}",
                    fmt_g(hi),
                    fmt_g(hi / 100.0)
                )
            } else {
                String::new()
            };
            r.error(
                &at.leaving,
                &p.leaving_effect.path,
                format!(
                    "with grade `{}`'s leaving rates up to {} and every effect on the grade, \
                     leaving could reach {} a year; a rate must be at most 1{meant}",
                    grades[g].name,
                    fmt_g(stated),
                    fmt_g(rate)
                ),
            );
        }
        if p.hiring_effect.range().1 > 0.0
            && let Some((post, rate)) = posts
                .iter()
                .filter(|post| post.recruit.iter().any(|(g, _)| p.grades.contains(g)))
                .map(|post| {
                    let mult = post
                        .recruit
                        .iter()
                        .map(|&(g, _)| most(g, false))
                        .fold(1.0, f64::max);
                    (post, post.fill_probability.range().1 * mult)
                })
                .find(|&(_, rate)| rate > 1.0)
        {
            r.error(
                &at.hiring,
                &p.hiring_effect.path,
                format!(
                    "with post `{}`'s fill_probability up to {} and every effect on the grades it \
                     recruits into, the monthly chance of filling a vacancy could reach {}; a \
                     rate must be at most 1",
                    post.name,
                    fmt_g(post.fill_probability.range().1),
                    fmt_g(rate)
                ),
            );
        }
    }
}

/// A worker can receive one golden hello and one retention payment: two of the same kind covering
/// one grade would be ambiguous, so they are refused. Market supplements add up.
pub(super) fn check_premium_overlap(
    r: &mut Reader,
    span: &std::ops::Range<usize>,
    path: &str,
    premiums: &[Premium],
    grade_names: &[String],
) {
    for (i, a) in premiums.iter().enumerate() {
        for b in &premiums[i + 1..] {
            if a.kind == PremiumKind::MarketSupplement || a.kind.label() != b.kind.label() {
                continue;
            }
            if let Some(&g) = a.grades.iter().find(|g| b.grades.contains(g)) {
                r.error(
                    span,
                    path,
                    format!("two {} premiums cover grade `{}`; a worker can receive only one of each kind (market supplements may be combined)", a.kind.label(), grade_names[g]),
                );
            }
        }
    }
}
