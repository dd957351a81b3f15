//! A market supplement: pounds a year on top of salary for everyone in its grades, paid with
//! salary (`sim::engine::rules::PayTables`) and never recovered; its effect on leaving reaches
//! everyone in its grades.

use crate::model::format;

/// Its name in files.
pub const LABEL: &str = "market_supplement";

/// Whom its effect on leaving reaches.
pub const REACH: &str = "everyone in its grades";

/// What it pays, `£3,000 a year`.
pub fn pays(amount: f64) -> String {
    format!("{} a year", format::pounds(amount))
}
