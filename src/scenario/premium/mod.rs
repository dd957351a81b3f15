//! A pay premium an option offers: its kinds, one module each (`supplement`, `hello`,
//! `retention`), each holding what the kind states, its rule for the engine (when it is paid and
//! recovered, and whom its effect on leaving reaches) and what is said about it in words. The
//! file's `[[premiums]]` are read by `read::premiums`; the engine applies the rules in
//! `sim::engine::rules`.

pub mod hello;
pub mod retention;
pub mod supplement;

use super::param::Param;
pub use hello::{GoldenHello, HelloRule};
pub use retention::{RetentionPayment, RetentionRule};

#[derive(Clone, Debug, PartialEq)]
pub enum PremiumKind {
    /// Pounds a year on top of salary for everyone in the grades.
    MarketSupplement,
    /// Paid once at joining; recovered if the worker leaves within its clawback.
    GoldenHello(GoldenHello),
    /// Paid at some months of service; recovered if the worker leaves within its clawback after.
    RetentionPayment(RetentionPayment),
}

#[derive(Clone, Debug)]
pub struct Premium {
    pub kind: PremiumKind,
    pub grades: Vec<usize>,
    pub amount: f64,
    /// Proportional change in the leaving rate of staff in the grades (e.g. -0.1).
    pub leaving_effect: Param,
    /// Proportional change in the monthly fill probability of posts recruiting into the grades.
    pub hiring_effect: Param,
}

/// Each question about a premium, answered by its kind's module.
impl PremiumKind {
    /// Its name in files: `market_supplement`, `golden_hello`, `retention_payment`.
    pub fn label(&self) -> &'static str {
        match self {
            PremiumKind::MarketSupplement => supplement::LABEL,
            PremiumKind::GoldenHello(_) => hello::LABEL,
            PremiumKind::RetentionPayment(_) => retention::LABEL,
        }
    }

    /// What a premium of `amount` pounds pays, e.g. `£3,000 a year`, `£2,000 at joining,
    /// clawback 12m`.
    pub fn pays(&self, amount: f64) -> String {
        match self {
            PremiumKind::MarketSupplement => supplement::pays(amount),
            PremiumKind::GoldenHello(h) => h.pays(amount),
            PremiumKind::RetentionPayment(r) => r.pays(amount),
        }
    }

    /// Whom its effect on leaving reaches, in words.
    pub fn reach(&self) -> String {
        match self {
            PremiumKind::MarketSupplement => supplement::REACH.to_string(),
            PremiumKind::GoldenHello(h) => h.reach(),
            PremiumKind::RetentionPayment(r) => r.reach(),
        }
    }
}

/// The amount recovered from a payment made `since` months ago under a clawback of `claw`
/// months: all of it, or with `pro_rata` the part of the clawback still to run.
#[inline]
pub fn clawed_back(amount: f64, since: u16, claw: u16, pro_rata: bool) -> f64 {
    if since >= claw {
        0.0
    } else if pro_rata {
        amount * f64::from(claw - since) / f64::from(claw)
    } else {
        amount
    }
}
