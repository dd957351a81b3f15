//! The vocabulary every layer shares: months and financial years, the metrics wfsim reports, cost
//! components, comparison measures, a premium's budget lines, and how numbers are written.

pub mod budget;
pub mod comparison;
pub mod cost;
pub mod date;
pub mod format;
pub mod metric;
