//! A premium's own budget lines: what the premiums themselves cost, apart from the knock-on cost
//! of the staff they keep, as a finance officer puts them in a budget.
//!
//! The cost components (`model::cost`) split the whole workforce cost; these lines follow the
//! premiums alone: what is paid (market supplements and one-off payments), the on-costs of the
//! supplements (the employer NI and pension a supplement adds), what is recovered by clawback,
//! the direct cost they make up, and who is paid. Every line is zero or more but the direct
//! cost, below zero in a year whose clawbacks exceed its payments.

use std::ops::{Index, IndexMut};

/// One budget line of the premiums.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Line {
    /// Market supplements and one-off payments (golden hellos, retention payments) paid, pounds.
    Payments,
    /// The on-costs the market supplements add (one-off payments carry none), pounds.
    OnCosts,
    /// One-off payments recovered from workers who left within their clawback, pounds.
    Clawbacks,
    /// Payments plus on-costs less clawbacks, pounds: the premiums' direct cost.
    Direct,
    /// FTE-years paid a market supplement (person-months / 12).
    SupplementFte,
    /// People paid a market supplement at some time in the period.
    SupplementPeople,
    /// One-off payments made (each to one person).
    PaymentsMade,
    /// Clawbacks made.
    ClawbacksMade,
}

impl Line {
    pub const COUNT: usize = 8;

    /// Every line in output order.
    pub const ALL: [Line; Line::COUNT] = [
        Line::Payments,
        Line::OnCosts,
        Line::Clawbacks,
        Line::Direct,
        Line::SupplementFte,
        Line::SupplementPeople,
        Line::PaymentsMade,
        Line::ClawbacksMade,
    ];

    /// The name in data files.
    pub fn key(self) -> &'static str {
        match self {
            Line::Payments => "premium_payments",
            Line::OnCosts => "premium_on_costs",
            Line::Clawbacks => "premium_clawbacks",
            Line::Direct => "premium_direct_cost",
            Line::SupplementFte => "supplement_fte_years",
            Line::SupplementPeople => "supplement_recipients",
            Line::PaymentsMade => "one_off_payments_made",
            Line::ClawbacksMade => "clawbacks_made",
        }
    }

    /// A heading for readers.
    pub fn title(self) -> &'static str {
        match self {
            Line::Payments => "Premiums paid",
            Line::OnCosts => "On-costs of supplements",
            Line::Clawbacks => "Clawbacks recovered",
            Line::Direct => "Direct cost of premiums",
            Line::SupplementFte => "FTE-years paid a supplement",
            Line::SupplementPeople => "People paid a supplement",
            Line::PaymentsMade => "One-off payments made",
            Line::ClawbacksMade => "Clawbacks made",
        }
    }

    /// Whether the line of a longer period is the sum of its years' (people paid a supplement
    /// are counted once a year, so the horizon's total of them would count those who stay once
    /// for each year: data files leave it out of the whole horizon's lines).
    pub fn adds_up(self) -> bool {
        self != Line::SupplementPeople
    }

    /// Whether the line is in pounds (else a count).
    pub fn is_money(self) -> bool {
        matches!(
            self,
            Line::Payments | Line::OnCosts | Line::Clawbacks | Line::Direct
        )
    }
}

/// A value for each line, indexed by [`Line`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ByLine<T>(pub [T; Line::COUNT]);

/// A month's (or a year's) budget lines.
pub type BudgetRow = ByLine<f64>;

impl Default for BudgetRow {
    fn default() -> Self {
        ByLine([0.0; Line::COUNT])
    }
}

impl<T> ByLine<T> {
    /// Each line with its value, in output order.
    pub fn iter(&self) -> impl Iterator<Item = (Line, &T)> {
        Line::ALL.into_iter().zip(&self.0)
    }

    pub fn map<U>(&self, f: impl FnMut(&T) -> U) -> ByLine<U> {
        ByLine(self.0.each_ref().map(f))
    }
}

impl BudgetRow {
    /// Sets the direct cost: payments plus on-costs less clawbacks.
    pub fn set_direct(&mut self) {
        self[Line::Direct] = self[Line::Payments] + self[Line::OnCosts] - self[Line::Clawbacks];
    }

    /// Adds `other` line by line.
    pub fn add(&mut self, other: &BudgetRow) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a += b;
        }
    }
}

impl<T> Index<Line> for ByLine<T> {
    type Output = T;
    fn index(&self, l: Line) -> &T {
        &self.0[l as usize]
    }
}

impl<T> IndexMut<Line> for ByLine<T> {
    fn index_mut(&mut self, l: Line) -> &mut T {
        &mut self.0[l as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_in_output_order_and_the_direct_cost_is_their_sum() {
        for (i, l) in Line::ALL.into_iter().enumerate() {
            assert_eq!(l as usize, i);
        }
        let mut row = BudgetRow::default();
        row[Line::Payments] = 3000.0;
        row[Line::OnCosts] = 800.0;
        row[Line::Clawbacks] = 500.0;
        row.set_direct();
        assert_eq!(row[Line::Direct], 3300.0);
        let mut sum = BudgetRow::default();
        sum.add(&row);
        sum.add(&row);
        assert_eq!(sum[Line::Direct], 6600.0);
        assert!(Line::Direct.is_money() && !Line::SupplementPeople.is_money());
    }
}
