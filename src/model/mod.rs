//! The vocabulary every layer shares: months and financial years, and the metrics wfsim reports.

pub mod date;
pub mod metric;
