//! Calendar months (`YYYY-MM`) and financial years (April to March).
//!
//! The model steps one month at a time; every date a user reads or writes is a month, and every cost
//! is also reported by the financial year it falls in, labelled like `2023/24`.

use std::fmt;

/// A calendar month, stored as months since year 0 so arithmetic is exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth(i32);

impl YearMonth {
    /// A month from its year and month number (1-12); `None` outside years 1900-2200 or bad months.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        if !(1900..=2200).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        Some(YearMonth(year * 12 + month as i32 - 1))
    }

    /// Parses `YYYY-MM`, explaining what is wrong otherwise.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("`{text}` is not a month; write it as YYYY-MM, e.g. 2022-09");
        let (y, m) = text.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(format!(
                "`{text}` has month {month}; months run from 01 to 12"
            ));
        }
        YearMonth::new(year, month)
            .ok_or_else(|| format!("`{text}` is outside the years 1900-2200"))
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// Month number, 1 = January.
    pub fn month(self) -> u32 {
        (self.0.rem_euclid(12) + 1) as u32
    }

    pub fn add_months(self, n: i32) -> Self {
        YearMonth(self.0 + n)
    }

    /// Whole months from `earlier` to `self` (negative when `self` is earlier).
    pub fn months_since(self, earlier: YearMonth) -> i32 {
        self.0 - earlier.0
    }

    /// The calendar year in which this month's financial year starts (April to March).
    pub fn financial_year(self) -> i32 {
        if self.month() >= 4 {
            self.year()
        } else {
            self.year() - 1
        }
    }

    /// The financial year label, e.g. `2023/24` for any month from April 2023 to March 2024.
    pub fn financial_year_label(self) -> String {
        financial_year_label(self.financial_year())
    }
}

/// `2023/24` for the financial year starting in April 2023.
pub fn financial_year_label(start_year: i32) -> String {
    format!("{}/{:02}", start_year, (start_year + 1).rem_euclid(100))
}

/// A financial year (April to March) within the horizon.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FinancialYear {
    pub label: String,
    pub first_month: usize,
    pub last_month: usize,
    /// True if the horizon covers only part of the year.
    pub partial: bool,
}

/// The financial years that months 1..=`months` after `start` fall in.
pub fn financial_years(start: YearMonth, months: usize) -> Vec<FinancialYear> {
    let mut out: Vec<FinancialYear> = Vec::new();
    for m in 1..=months {
        let fy = start.add_months(m as i32).financial_year();
        let label = financial_year_label(fy);
        match out.last_mut() {
            Some(last) if last.label == label => last.last_month = m,
            _ => out.push(FinancialYear {
                label,
                first_month: m,
                last_month: m,
                partial: false,
            }),
        }
    }
    for fy in &mut out {
        fy.partial = fy.last_month + 1 - fy.first_month < 12;
    }
    out
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

/// The name of calendar month `m` (1 = January; out of range is clamped).
pub fn month_name(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(m as usize).clamp(1, 12) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let m = YearMonth::parse("2022-09").unwrap();
        assert_eq!((m.year(), m.month()), (2022, 9));
        assert_eq!(m.to_string(), "2022-09");
        assert_eq!(m.add_months(4).to_string(), "2023-01");
        assert_eq!(m.add_months(-9).to_string(), "2021-12");
        assert_eq!(YearMonth::parse("2027-03").unwrap().months_since(m), 54);
        assert_eq!(
            (month_name(1), month_name(9), month_name(12)),
            ("January", "September", "December")
        );
    }

    #[test]
    fn rejects_impossible_months() {
        assert!(
            YearMonth::parse("2022-13")
                .unwrap_err()
                .contains("month 13")
        );
        assert!(YearMonth::parse("2022-00").is_err());
        assert!(YearMonth::parse("22-09").is_err());
        assert!(YearMonth::parse("2022/09").is_err());
        assert!(
            YearMonth::parse("3000-01")
                .unwrap_err()
                .contains("1900-2200")
        );
    }

    #[test]
    fn financial_years_run_april_to_march() {
        let label = |s: &str| YearMonth::parse(s).unwrap().financial_year_label();
        assert_eq!(label("2023-03"), "2022/23");
        assert_eq!(label("2023-04"), "2023/24");
        assert_eq!(label("2024-03"), "2023/24");
        assert_eq!(label("1999-12"), "1999/00");
    }

    #[test]
    fn financial_years_split_the_horizon() {
        let fys = financial_years(YearMonth::parse("2022-09").unwrap(), 60);
        let labels: Vec<&str> = fys.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "2022/23", "2023/24", "2024/25", "2025/26", "2026/27", "2027/28"
            ]
        );
        // Months 1-6 are Oct 2022 - Mar 2023; the last year has Apr - Sep 2027.
        assert_eq!(
            (fys[0].first_month, fys[0].last_month, fys[0].partial),
            (1, 6, true)
        );
        assert_eq!(
            (fys[1].first_month, fys[1].last_month, fys[1].partial),
            (7, 18, false)
        );
        assert_eq!(
            (fys[5].first_month, fys[5].last_month, fys[5].partial),
            (55, 60, true)
        );
    }
}
