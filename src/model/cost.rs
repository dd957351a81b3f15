//! The cost components a month's workforce cost is split into, in output order.
//!
//! Each component's key (in data files), title (in the report and workbook) and place are here, and
//! amounts by component are held in [`ByComponent`], indexed by the component itself, so that no
//! part of wfsim counts components by number.

use std::ops::{Index, IndexMut};

/// One part of the workforce cost, in pounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Component {
    Salary,
    OnCosts,
    Premiums,
    Agency,
    Recruitment,
    Training,
    /// Income, so negative.
    GrantIncome,
    /// The sum of the others.
    Total,
}

impl Component {
    pub const COUNT: usize = 8;

    /// Every component in output order, the total last.
    pub const ALL: [Component; Component::COUNT] = [
        Component::Salary,
        Component::OnCosts,
        Component::Premiums,
        Component::Agency,
        Component::Recruitment,
        Component::Training,
        Component::GrantIncome,
        Component::Total,
    ];

    /// The components that add up to the total.
    pub fn parts() -> impl Iterator<Item = Component> {
        Component::ALL
            .into_iter()
            .filter(|&c| c != Component::Total)
    }

    /// The name in data files.
    pub fn key(self) -> &'static str {
        match self {
            Component::Salary => "salary",
            Component::OnCosts => "on_costs",
            Component::Premiums => "premiums",
            Component::Agency => "agency",
            Component::Recruitment => "recruitment",
            Component::Training => "training",
            Component::GrantIncome => "grant_income",
            Component::Total => "total",
        }
    }

    /// A heading for readers.
    pub fn title(self) -> &'static str {
        match self {
            Component::Salary => "Salaries",
            Component::OnCosts => "On-costs",
            Component::Premiums => "Premiums",
            Component::Agency => "Agency",
            Component::Recruitment => "Recruitment",
            Component::Training => "Training",
            Component::GrantIncome => "Grant income",
            Component::Total => "Total",
        }
    }
}

/// A value for each component (an amount, a summary), indexed by [`Component`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ByComponent<T>(pub [T; Component::COUNT]);

/// A month's (or a year's) costs.
pub type CostRow = ByComponent<f64>;

impl Default for CostRow {
    fn default() -> Self {
        ByComponent([0.0; Component::COUNT])
    }
}

impl<T> ByComponent<T> {
    /// Each component with its value, in output order.
    pub fn iter(&self) -> impl Iterator<Item = (Component, &T)> {
        Component::ALL.into_iter().zip(&self.0)
    }

    pub fn map<U>(&self, f: impl FnMut(&T) -> U) -> ByComponent<U> {
        ByComponent(self.0.each_ref().map(f))
    }
}

impl CostRow {
    /// Sets the total to the sum of the other components, added in output order.
    pub fn set_total(&mut self) {
        self[Component::Total] = self.0[..Component::COUNT - 1].iter().sum();
    }

    /// Adds `other` component by component.
    pub fn add(&mut self, other: &CostRow) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a += b;
        }
    }
}

impl<T> Index<Component> for ByComponent<T> {
    type Output = T;
    fn index(&self, c: Component) -> &T {
        &self.0[c as usize]
    }
}

impl<T> IndexMut<Component> for ByComponent<T> {
    fn index_mut(&mut self, c: Component) -> &mut T {
        &mut self.0[c as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_in_output_order_and_total_their_parts() {
        for (i, c) in Component::ALL.into_iter().enumerate() {
            assert_eq!(c as usize, i);
        }
        assert_eq!(Component::parts().count(), Component::COUNT - 1);
        let mut row = CostRow::default();
        row[Component::Salary] = 100.0;
        row[Component::OnCosts] = 30.0;
        row[Component::GrantIncome] = -2.0;
        row.set_total();
        assert_eq!(row[Component::Total], 128.0);
        let mut sum = CostRow::default();
        sum.add(&row);
        sum.add(&row);
        assert_eq!(sum[Component::Total], 256.0);
        let keys: Vec<&str> = row.iter().map(|(c, _)| c.key()).collect();
        assert_eq!(keys[6], "grant_income");
    }
}
