//! A pay premium an option offers (a market supplement, a golden hello or a retention payment):
//! its kinds, and everything said about each kind in words, in one place. The file's
//! `[[premiums]]` are read by `read::premiums`; the engine pays them by `sim::engine::rules`.

use super::param::Param;
use crate::model::format;

#[derive(Clone, Debug, PartialEq)]
pub enum PremiumKind {
    /// Pounds a year on top of salary for everyone in the grades.
    MarketSupplement,
    /// Paid once at joining; recovered if the worker leaves within `clawback_months`.
    GoldenHello {
        clawback_months: u32,
        pro_rata: bool,
    },
    /// Paid at `at_months` of service; recovered if the worker leaves within `clawback_months` after.
    RetentionPayment {
        at_months: u32,
        clawback_months: u32,
        pro_rata: bool,
        /// Months before the payment from which its promise holds staff (its effect on leaving).
        lead_months: u32,
    },
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

/// Everything said about a premium in words, by kind, in one place: its label in files, what it
/// pays, whom its effect on leaving reaches, and what its recipients are counted as.
impl PremiumKind {
    pub fn label(&self) -> &'static str {
        match self {
            PremiumKind::MarketSupplement => "market_supplement",
            PremiumKind::GoldenHello { .. } => "golden_hello",
            PremiumKind::RetentionPayment { .. } => "retention_payment",
        }
    }

    /// What a premium of `amount` pounds pays, e.g. `£3,000 a year`, `£2,000 at joining,
    /// clawback 12m`.
    pub fn pays(&self, amount: f64) -> String {
        let amount = format::pounds(amount);
        match self {
            PremiumKind::MarketSupplement => format!("{amount} a year"),
            PremiumKind::GoldenHello {
                clawback_months, ..
            } => format!("{amount} at joining, clawback {clawback_months}m"),
            PremiumKind::RetentionPayment {
                at_months,
                clawback_months,
                ..
            } => format!("{amount} at {at_months}m service, clawback {clawback_months}m"),
        }
    }

    /// Whom its effect on leaving reaches, in words.
    pub fn reach(&self) -> String {
        match self {
            PremiumKind::MarketSupplement => "everyone in its grades".to_string(),
            PremiumKind::GoldenHello {
                clawback_months, ..
            } => {
                format!("recruits paid it, for the {clawback_months} months it can be clawed back")
            }
            PremiumKind::RetentionPayment {
                clawback_months,
                lead_months,
                ..
            } => format!(
                "staff within {lead_months} months of being paid it, and those paid it for the {clawback_months} months it can be clawed back"
            ),
        }
    }

    /// What its recipients in a year are counted as.
    pub fn recipients(&self) -> &'static str {
        match self {
            PremiumKind::MarketSupplement => "FTE paid a market supplement",
            PremiumKind::GoldenHello { .. } => "golden hellos paid",
            PremiumKind::RetentionPayment { .. } => "retention payments made",
        }
    }

    /// Pounds one recipient is paid over `months` months: a supplement monthly, a payment once.
    pub fn paid_over(&self, amount: f64, months: f64) -> f64 {
        match self {
            PremiumKind::MarketSupplement => amount * months / 12.0,
            PremiumKind::GoldenHello { .. } | PremiumKind::RetentionPayment { .. } => amount,
        }
    }
}
