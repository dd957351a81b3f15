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
    /// `2023/24`: its key in data files.
    pub label: String,
    /// For readers: the label, with the months the horizon covers when it covers only part of
    /// the year, `2022/23 (Oct-Mar)`.
    pub title: String,
    pub first_month: usize,
    pub last_month: usize,
    /// True if the horizon covers only part of the year.
    pub partial: bool,
}

/// The financial years that months 1..=`months` after `start` fall in.
/// `text` with each financial year written `2024-25` (four digits, a hyphen, two digits) as
/// `2024/25`, the way wfsim labels it; anything else as it is.
fn fy_with_slashes(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let digits = |r: std::ops::Range<usize>| {
            b.get(r.clone())
                .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
        };
        let starts_alone = i == 0 || !b[i - 1].is_ascii_digit();
        let ends_alone = b.get(i + 7).is_none_or(|c| !c.is_ascii_digit());
        if starts_alone
            && ends_alone
            && digits(i..i + 4)
            && b.get(i + 4) == Some(&b'-')
            && digits(i + 5..i + 7)
        {
            out.push_str(&text[i..i + 4]);
            out.push('/');
            out.push_str(&text[i + 5..i + 7]);
            i += 7;
        } else {
            let c = text[i..].chars().next().expect("within the text");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

pub fn financial_years(start: YearMonth, months: usize) -> Vec<FinancialYear> {
    let mut out: Vec<FinancialYear> = Vec::new();
    for m in 1..=months {
        let fy = start.add_months(m as i32).financial_year();
        let label = financial_year_label(fy);
        match out.last_mut() {
            Some(last) if last.label == label => last.last_month = m,
            _ => out.push(FinancialYear {
                title: label.clone(),
                label,
                first_month: m,
                last_month: m,
                partial: false,
            }),
        }
    }
    for fy in &mut out {
        fy.partial = fy.last_month + 1 - fy.first_month < 12;
        if fy.partial {
            let month = |m: usize| &month_name(start.add_months(m as i32).month())[..3];
            fy.title = if fy.first_month == fy.last_month {
                format!("{} ({})", fy.label, month(fy.first_month))
            } else {
                format!(
                    "{} ({}-{})",
                    fy.label,
                    month(fy.first_month),
                    month(fy.last_month)
                )
            };
        }
    }
    out
}

/// A span of financial years of the horizon, over which a finance officer asks what an option
/// costs in all ("the years to 2026/27"): whole years, and the horizon's first year when the
/// horizon covers only its last months (the current year).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct YearSpan {
    /// Index of its first and last financial year in the horizon's list.
    pub first: usize,
    pub last: usize,
    /// `2023/24-2025/26`, or `2023/24` for one year: the key in data files.
    pub label: String,
    /// For readers: `2022/23 (Oct-Mar) to 2026/27`.
    pub title: String,
    /// Its first and last month (1-based, as the financial years').
    pub first_month: usize,
    pub last_month: usize,
}

impl YearSpan {
    fn new(fys: &[FinancialYear], first: usize, last: usize) -> YearSpan {
        let (label, title) = if first == last {
            (fys[first].label.clone(), fys[first].title.clone())
        } else {
            (
                format!("{}-{}", fys[first].label, fys[last].label),
                format!("{} to {}", fys[first].title, fys[last].title),
            )
        };
        YearSpan {
            first,
            last,
            label,
            title,
            first_month: fys[first].first_month,
            last_month: fys[last].last_month,
        }
    }

    /// The span in words, `2022/23 (Oct-Mar) to 2025/26`.
    pub fn words(&self) -> String {
        self.title.clone()
    }

    /// Its number of financial years, a part year counted as one.
    pub fn years(&self) -> usize {
        self.last + 1 - self.first
    }

    /// Whether its first year is only part of a year.
    pub fn starts_in_part(&self, fys: &[FinancialYear]) -> bool {
        fys[self.first].partial
    }

    /// The years a span may hold: the horizon's first year (whole or not: the current year) and
    /// every whole year after it. The last year, when only part of it is inside the horizon, is
    /// left out: its cost would read as a whole year's.
    fn allowed(fys: &[FinancialYear]) -> Vec<usize> {
        (0..fys.len())
            .filter(|&i| i == 0 || !fys[i].partial)
            .collect()
    }

    /// The default: the current financial year (the horizon's first, usually part of a year) and
    /// every whole year to the horizon's end.
    pub fn default_for(fys: &[FinancialYear]) -> Option<YearSpan> {
        let allowed = YearSpan::allowed(fys);
        let (&first, &last) = (allowed.first()?, allowed.last()?);
        // A horizon with no whole year that runs on past its first: the first year's months
        // alone would read as the horizon's cost, so there is no span (the whole horizon is used).
        if fys.len() > 1 && allowed.iter().all(|&i| fys[i].partial) {
            return None;
        }
        Some(YearSpan::new(fys, first, last))
    }

    /// Parses `2023/24..2025/26` (or `2023/24-2025/26`, or one year, `2024/25`, each year also
    /// as `2024-25`) against the
    /// financial years of a horizon of `months` months from `start`, explaining what is allowed
    /// otherwise; a year the horizon does not reach, or reaches only in part at its end, is
    /// answered with the `--months` that would cover it.
    pub fn parse(
        text: &str,
        fys: &[FinancialYear],
        start: YearMonth,
        months: usize,
    ) -> Result<YearSpan, String> {
        let allowed_years = YearSpan::allowed(fys);
        let allowed = match allowed_years.as_slice() {
            [] => "the horizon has no financial year".to_string(),
            [one] => format!("the horizon's only financial year is {}", fys[*one].title),
            [a, .., b] => format!(
                "the horizon's financial years are {} to {}",
                fys[*a].title, fys[*b].title
            ),
        };
        // A year as finance teams often write it, `2024-25`, is `2024/25`, alone or in a span.
        let text = fy_with_slashes(text);
        let text = text.as_str();
        let (from, to) = text
            .split_once("..")
            .or_else(|| text.split_once('-'))
            .unwrap_or((text, text));
        let find = |label: &str| {
            let label = label.trim();
            if let Some(i) = fys
                .iter()
                .position(|fy| fy.label == label)
                .filter(|i| allowed_years.contains(i))
            {
                return Ok(i);
            }
            let year = label
                .split_once('/')
                .and_then(|(y, _)| y.parse::<i32>().ok())
                .filter(|_| label.len() == 7 && label.as_bytes()[4] == b'/');
            match year {
                Some(y) => {
                    let end = start.add_months(months as i32);
                    let march = YearMonth::new(y + 1, 3).filter(|m| *m > end);
                    Err(match march {
                        Some(march) => format!(
                            "`{label}` runs past the horizon, which ends {end}; to cost it whole, run to {march} with --months {} ({allowed})",
                            march.months_since(start)
                        ),
                        None => format!(
                            "`{label}` is not a financial year of the horizon that can be costed; {allowed}"
                        ),
                    })
                }
                None => Err(format!(
                    "`{label}` is not a financial year; write one as 2023/24, or a span as 2023/24..2025/26 ({allowed})"
                )),
            }
        };
        let (first, last) = (find(from)?, find(to)?);
        if last < first {
            return Err(format!(
                "`{text}` runs backwards; give the earlier year first, e.g. {}..{}",
                fys[last].label, fys[first].label
            ));
        }
        Ok(YearSpan::new(fys, first, last))
    }
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

    #[test]
    fn year_spans_cover_the_current_part_year_and_whole_years_and_parse_against_the_horizon() {
        // 2022-09 for 60 months: 2022/23 (months 1-6, October to March) is partial, 2027/28
        // (months 55-60, April to September) too.
        let fys = financial_years(YearMonth::new(2022, 9).unwrap(), 60);
        let titles: Vec<&str> = fys.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "2022/23 (Oct-Mar)",
                "2023/24",
                "2024/25",
                "2025/26",
                "2026/27",
                "2027/28 (Apr-Sep)"
            ]
        );
        let d = YearSpan::default_for(&fys).unwrap();
        assert_eq!(
            (d.first, d.last, d.label.as_str()),
            (0, 4, "2022/23-2026/27")
        );
        assert_eq!((d.first_month, d.last_month), (1, 54));
        assert_eq!(
            (d.words(), d.years()),
            ("2022/23 (Oct-Mar) to 2026/27".to_string(), 5)
        );
        assert!(d.starts_in_part(&fys));
        let parse = |text: &str| YearSpan::parse(text, &fys, YearMonth::new(2022, 9).unwrap(), 60);
        for text in [
            "2022/23..2026/27",
            "2022/23-2026/27",
            " 2022/23 .. 2026/27 ",
            "2022-23..2026-27",
        ] {
            assert_eq!(parse(text).unwrap(), d, "{text}");
        }
        assert_eq!(parse("2024-25").unwrap(), parse("2024/25").unwrap());
        assert_eq!(fy_with_slashes("2024-2025"), "2024-2025");
        let one = parse("2024/25").unwrap();
        assert_eq!(
            (one.label.as_str(), one.first_month, one.last_month),
            ("2024/25", 19, 30)
        );
        // The last year is only half inside the horizon; the next not at all: run longer.
        let e = parse("2023/24..2027/28").unwrap_err();
        assert!(
            e.contains("runs past the horizon, which ends 2027-09; to cost it whole, run to 2028-03 with --months 66"),
            "{e}"
        );
        let e = parse("2028/29").unwrap_err();
        assert!(e.contains("run to 2029-03 with --months 78"), "{e}");
        assert!(
            e.contains("financial years are 2022/23 (Oct-Mar) to 2026/27"),
            "{e}"
        );
        assert!(parse("2025/26..2023/24").unwrap_err().contains("backwards"));
        assert!(parse("2024").unwrap_err().contains("write one as 2023/24"));
        // Before the start.
        assert!(
            parse("2021/22")
                .unwrap_err()
                .contains("not a financial year of the horizon")
        );
        // A start in March: the current year is one month; a year inside one financial year
        // is that part year alone.
        let short = financial_years(YearMonth::new(2023, 3).unwrap(), 24);
        assert_eq!(
            YearSpan::default_for(&short).unwrap().words(),
            "2023/24 to 2024/25"
        );
        let within = financial_years(YearMonth::new(2023, 9).unwrap(), 6);
        assert_eq!(
            YearSpan::default_for(&within).unwrap().words(),
            "2023/24 (Oct-Mar)"
        );
        // Twelve months from January: two part years and no whole one. February and March alone
        // are not the horizon's cost: no span.
        let parts = financial_years(YearMonth::new(2023, 1).unwrap(), 12);
        assert_eq!(parts.len(), 2);
        assert_eq!(YearSpan::default_for(&parts), None);
    }
}
