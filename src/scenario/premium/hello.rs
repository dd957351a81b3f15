//! A golden hello: paid once to a recruit at joining, recovered if they leave within its
//! clawback; its effect on leaving reaches recruits paid it while it can be clawed back.

use super::clawed_back;
use crate::model::format;

/// Its name in files.
pub const LABEL: &str = "golden_hello";

/// A golden hello as the scenario states it.
#[derive(Clone, Debug, PartialEq)]
pub struct GoldenHello {
    pub clawback_months: u32,
    pub pro_rata: bool,
}

impl GoldenHello {
    /// Its rule for the engine, paying `amount`.
    pub fn rule(&self, amount: f64) -> HelloRule {
        HelloRule {
            amount,
            claw: self.clawback_months as u16,
            pro_rata: self.pro_rata,
        }
    }

    /// What it pays, `£2,000 at joining, clawback 12m`.
    pub fn pays(&self, amount: f64) -> String {
        format!(
            "{} at joining, clawback {}m",
            format::pounds(amount),
            self.clawback_months
        )
    }

    /// Whom its effect on leaving reaches.
    pub fn reach(&self) -> String {
        format!(
            "recruits paid it, for the {} months it can be clawed back",
            self.clawback_months
        )
    }
}

/// A grade's golden hello as the engine applies it.
#[derive(Clone, Copy, Debug)]
pub struct HelloRule {
    pub amount: f64,
    pub claw: u16,
    pub pro_rata: bool,
}

impl HelloRule {
    /// For a worker paid it in their grade with `los` months of service: the months of service
    /// until which its effect on leaving reaches them, if it still does. A recruit has 1 month
    /// of service at the end of the month they join, so the `claw` months they may leave in
    /// after it are those with 1 to `claw` months of service before them.
    #[inline]
    pub fn reaches(&self, los: u16) -> Option<u32> {
        let ends = u32::from(self.claw) + 1;
        (u32::from(los) < ends).then_some(ends)
    }

    /// What is recovered from a worker paid it who leaves with `los` months of service before
    /// their leaving month: `los - 1` months after the month they joined.
    #[inline]
    pub fn recovered(&self, los: u16) -> f64 {
        clawed_back(self.amount, los.saturating_sub(1), self.claw, self.pro_rata)
    }
}
