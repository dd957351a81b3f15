//! A retention payment: paid at some months of service to staff in its grades, recovered if they
//! leave within its clawback after; its effect on leaving reaches staff in the months before it
//! is due (its promise) and those paid it while it can be clawed back.

use super::clawed_back;
use crate::model::format;

/// Its name in files.
pub const LABEL: &str = "retention_payment";

/// A retention payment as the scenario states it.
#[derive(Clone, Debug, PartialEq)]
pub struct RetentionPayment {
    /// Months of service at which it is paid.
    pub at_months: u32,
    pub clawback_months: u32,
    pub pro_rata: bool,
    /// Months before the payment from which its promise holds staff (its effect on leaving).
    pub lead_months: u32,
}

impl RetentionPayment {
    /// Its rule for the engine, paying `amount`.
    pub fn rule(&self, amount: f64) -> RetentionRule {
        RetentionRule {
            amount,
            at: self.at_months as u16,
            claw: self.clawback_months as u16,
            pro_rata: self.pro_rata,
            lead: self.lead_months.min(u32::from(u16::MAX)) as u16,
        }
    }

    /// What it pays, `£2,000 at 24m service, clawback 12m`.
    pub fn pays(&self, amount: f64) -> String {
        format!(
            "{} at {}m service, clawback {}m",
            format::pounds(amount),
            self.at_months,
            self.clawback_months
        )
    }

    /// Whom its effect on leaving reaches.
    pub fn reach(&self) -> String {
        format!(
            "staff within {} months of being paid it, and those paid it for the {} months it can be clawed back",
            self.lead_months, self.clawback_months
        )
    }
}

/// A grade's retention payment as the engine applies it.
#[derive(Clone, Copy, Debug)]
pub struct RetentionRule {
    pub amount: f64,
    pub at: u16,
    pub claw: u16,
    pub pro_rata: bool,
    /// Months before `at` from which its promise reaches the worker.
    pub lead: u16,
}

impl RetentionRule {
    /// For a worker with `los` months of service, `paid` it in their grade or `unpaid` any:
    /// whether its effect on leaving reaches them now, and the months of service, above `los`,
    /// at which that next changes (u32::MAX: never).
    #[inline]
    pub fn reaches(&self, los: u16, paid: bool, unpaid: bool) -> (bool, u32) {
        let (los, at) = (u32::from(los), u32::from(self.at));
        let ends = at + u32::from(self.claw);
        if paid && los < ends {
            (true, ends)
        } else if unpaid && los < at {
            let lead = at.saturating_sub(u32::from(self.lead));
            if los >= lead {
                (true, u32::MAX)
            } else {
                (false, lead)
            }
        } else {
            (false, u32::MAX)
        }
    }

    /// What is recovered from a worker paid it who leaves with `los` months of service.
    #[inline]
    pub fn recovered(&self, los: u16) -> f64 {
        clawed_back(
            self.amount,
            los.saturating_sub(self.at),
            self.claw,
            self.pro_rata,
        )
    }
}
