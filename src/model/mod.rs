//! The vocabulary every layer shares: months and financial years, and the metrics wfsim reports.

pub mod budget;
pub mod comparison;
pub mod cost;
pub mod date;
pub mod format;
pub mod metric;
