//! A council's own staff, leavers and agency files, for `wfsim init --staff ...`.
//!
//! The census gives a council's totals; its HR and payroll extracts give the real split by grade
//! and length of service, its pay, and who left when. This module reads those files (CSV or the
//! first sheet of an `.xlsx`, [`table`]), checks every row (all problems at once, each with its
//! file, row and column), refuses anything that looks like a person's data, and reduces the rows
//! to the aggregates a scenario needs ([`Summary`]): FTE by grade and service band, each grade's
//! pay, leavers and FTE-years at risk by grade and band, starters, agency. No row, name or date
//! leaves this module; init writes only the aggregates, and no comment shows a group of fewer
//! than [`MIN_GROUP`] people.

pub mod table;
mod template;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use template::TEMPLATE_FILES;

use crate::model::format::pounds;
use table::{Table, letter};

/// The smallest group of people a comment may show: a count, a mean salary or a range of a
/// smaller group is not shown.
pub const MIN_GROUP: usize = 5;

/// The largest FTE a row may hold: more than 1.5 is an error in the extract, not a worker.
pub const MAX_FTE: f64 = 1.5;

/// The strength of each leaving rate's prior, in FTE-years (`--prior-fte-years`): a cell with
/// this much time at risk weighs as much as the rate it is pooled towards.
pub const PRIOR_FTE_YEARS: f64 = 10.0;

/// Service band edges in months, as `init` writes them: under 1 year, 1-2, 2-5, 5+.
pub const BAND_EDGES: [u32; 3] = [12, 24, 60];

/// The grades a council's rows map to, in the order `init` writes them: the ladder of children's
/// social work (DOMAIN: ASYE / Level 1, Level 2, Level 3, senior or advanced practitioner, team
/// manager).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grade {
    Asye,
    Level2,
    Level3,
    Senior,
    Manager,
}

impl Grade {
    pub const ALL: [Grade; 5] = [
        Grade::Asye,
        Grade::Level2,
        Grade::Level3,
        Grade::Senior,
        Grade::Manager,
    ];

    /// The grade's name in the scenario.
    pub fn name(self) -> &'static str {
        match self {
            Grade::Asye => "ASYE",
            Grade::Level2 => "Level 2",
            Grade::Level3 => "Level 3",
            Grade::Senior => "Senior practitioner",
            Grade::Manager => "Team manager",
        }
    }

    /// Other names councils give the grade, read as the grade without a `--grades` map.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Grade::Asye => &[
                "level 1",
                "nqsw",
                "newly qualified social worker",
                "asye social worker",
            ],
            Grade::Level2 => &["social worker", "level 2 social worker"],
            Grade::Level3 => &["experienced social worker", "level 3 social worker"],
            Grade::Senior => &[
                "senior social worker",
                "advanced practitioner",
                "senior practitioner social worker",
            ],
            Grade::Manager => &["team leader", "practice manager"],
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Names as compared: lower case, runs of spaces, hyphens and underscores as one space.
fn fold(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether a leaver's destination is agency social work: `Some(true)` for a word starting
/// `agency` or `locum` (`agency`, `Locum agency`, `agency/locum`, `Locum`); `Some(false)` for any
/// other destination, and for one that denies it anywhere (`not agency`, `non-agency`, `Other LA
/// (not via agency)`, `Agency? No`) or names a fostering or adoption agency (`Fostering agency`,
/// `Independent agency (IFA)`), where social workers go to other work; `None` when blank or not
/// known (`Unknown`, `N/A`), so
/// that the share is taken over the leavers whose destination is known.
fn went_to_agency(destination: &str) -> Option<bool> {
    let folded = destination.to_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // No answer, or one that says it is not known, is not a destination.
    let unknown = matches!(
        words.as_slice(),
        [] | ["unknown"]
            | ["not", "known"]
            | ["n", "a"]
            | ["na"]
            | ["not", "stated"]
            | ["not", "recorded"]
    );
    if unknown {
        return None;
    }
    let denied = words.iter().any(|w| matches!(*w, "not" | "non" | "no"));
    let other_agency = words
        .iter()
        .any(|w| w.starts_with("foster") || w.starts_with("adopt") || matches!(*w, "ifa" | "vaa"));
    let agency = words
        .iter()
        .any(|w| w.starts_with("agency") || w.starts_with("locum"));
    Some(agency && !denied && !other_agency)
}

/// A warning where part-time staff's salaries look pro rata (a salary for the hours worked)
/// rather than the full-time salary the column asks for: over the grades with full-time staff,
/// part-timers' salaries as a share of their grade's full-time mean come out at their FTE, not
/// at about 1. Pro rata salaries would cost everyone's pay at too little.
fn pro_rata(staff: &[Staff], pay_column: Option<&'static str>) -> Option<String> {
    if pay_column != Some("salary") {
        return None;
    }
    let full_mean = |g: Grade| {
        let full: Vec<f64> = staff
            .iter()
            .filter(|x| x.grade == g && x.fte >= 0.999)
            .filter_map(|x| x.salary)
            .collect();
        (full.len() >= MIN_GROUP).then(|| full.iter().sum::<f64>() / full.len() as f64)
    };
    let means: Vec<(Grade, f64)> = Grade::ALL
        .into_iter()
        .filter_map(|g| full_mean(g).map(|m| (g, m)))
        .collect();
    // Each part-timer's salary over their grade's full-time mean, beside their FTE.
    let part: Vec<(f64, f64)> = staff
        .iter()
        .filter(|x| x.fte < 0.9)
        .filter_map(|x| {
            let mean = means.iter().find(|(g, _)| *g == x.grade)?.1;
            Some((x.salary? / mean, x.fte))
        })
        .collect();
    if part.len() < MIN_GROUP {
        return None;
    }
    let n = part.len() as f64;
    let ratio = part.iter().map(|p| p.0).sum::<f64>() / n;
    let fte = part.iter().map(|p| p.1).sum::<f64>() / n;
    ((ratio - fte).abs() < 0.1 && ratio < 0.9).then(|| {
        format!(
            "part-time staff's salaries look pro rata: {} part-timers' salaries are on average \
             {:.0}% of their grade's full-time mean, as their FTE is {:.0}% of full time; \
             `salary` is the full-time annual salary (a half-time worker on a £40,000 full-time \
             salary is £40,000 in it, not the £20,000 paid), else every cost is too low",
            part.len(),
            100.0 * ratio,
            100.0 * fte
        )
    })
}

/// Why `v` is not a date, with the slips spreadsheets make most: a date kept as its count of days
/// (a cell formatted as a number), or a day its month does not have.
fn not_a_date(v: &str) -> String {
    let t = v.trim();
    if let Ok(n) = t.parse::<u32>()
        && (7_306..=73_050).contains(&n)
    {
        // 1920 to 2099 in a spreadsheet's count of days from 1899-12-30.
        let d = Date::from_days(i64::from(n) - 25_569);
        return format!(
            "`{v}` is not a date: it looks like a spreadsheet's count of days ({d}); format the \
             column as dates, YYYY-MM-DD, and save the file again"
        );
    }
    // A day first with dashes, `31-07-2008`: the year is last.
    if let Some([d, m, y]) = Date::fields(t)
        && d.len() <= 2
        && y.len() == 4
        && let (Ok(dd), Ok(mm), Ok(yy)) = (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>())
        && let Some(date) = Date::new(yy, mm, dd)
    {
        return format!(
            "`{v}` is not a date as wfsim reads them: it is written day first; write dates as \
             YYYY-MM-DD ({date})"
        );
    }
    if let Some([y, m, d]) = Date::fields(t)
        && y.len() == 4
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>())
        && (1..=12).contains(&m)
        && d > days_in(y, m)
    {
        return format!(
            "`{v}` is not a date: {} {y} has {} days",
            crate::model::date::month_name(m),
            days_in(y, m)
        );
    }
    format!("`{v}` is not a date; write dates as YYYY-MM-DD, e.g. 2021-09-06")
}

/// A calendar date (day precision), for start and leaving dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let ok = (1..=12).contains(&month) && day >= 1 && day <= days_in(year, month);
        ok.then_some(Date { year, month, day })
    }

    /// `YYYY-MM-DD` (a time after it, as spreadsheets export, is ignored).
    pub fn parse(s: &str) -> Option<Date> {
        let [y, m, d] = Date::fields(s)?;
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// The three parts of `s` between dashes, before any time after it.
    fn fields(s: &str) -> Option<[&str; 3]> {
        let s = s.trim();
        let s = s.split(['T', ' ']).next().unwrap_or(s);
        let mut parts = s.split('-');
        let fields = [parts.next()?, parts.next()?, parts.next()?];
        parts.next().is_none().then_some(fields)
    }

    /// A workbook's date cell, in the workbook's own count of days: from 1899-12-30, or from
    /// 1904-01-01 where the workbook says so (as older Excel for Mac saved them). None for a
    /// number no date has (negative, or past 9999) and for Excel's 1900-02-29, which never was.
    pub fn from_excel(d: &calamine::ExcelDateTime) -> Option<Date> {
        // Checked before the conversion, which does not check it.
        let serial = d.as_f64();
        if !(serial.is_finite() && (0.0..2_958_466.0).contains(&serial)) {
            return None;
        }
        let (y, m, day, ..) = d.to_ymd_hms_milli();
        Date::new(i32::from(y), u32::from(m), u32::from(day))
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn days(self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date {
            year: y as i32,
            month: m,
            day: d,
        }
    }

    /// 1 April of the financial year (April to March) the date falls in.
    pub fn financial_year_start(self) -> Date {
        Date {
            year: if self.month >= 4 {
                self.year
            } else {
                self.year - 1
            },
            month: 4,
            day: 1,
        }
    }

    /// The same day `n` months on (the month's last day where it is shorter).
    pub fn add_months(self, n: u32) -> Date {
        let total = self.year * 12 + self.month as i32 - 1 + n as i32;
        let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
        Date {
            year,
            month,
            day: self.day.min(days_in(year, month)),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A date after any service band's end.
const FAR: Date = Date {
    year: 9999,
    month: 12,
    day: 31,
};

/// Years between two dates: days over 365.25.
fn years(from: Date, to: Date) -> f64 {
    (to.days() - from.days()) as f64 / 365.25
}

/// One problem with a council's file: where (file, row, column) and what.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub file: String,
    /// Row number in the file (the header is row 1), when the problem is in a row.
    pub row: Option<usize>,
    /// Column letter and header, when the problem is in a column.
    pub column: Option<(String, String)>,
    pub message: String,
}

impl Problem {
    fn file(file: &str, message: String) -> Problem {
        Problem {
            file: file.to_string(),
            row: None,
            column: None,
            message,
        }
    }

    fn at(file: &str, row: usize, col: usize, header: Option<&str>, message: String) -> Problem {
        Problem {
            file: file.to_string(),
            row: Some(row),
            column: Some((letter(col), header.unwrap_or("").to_string())),
            message,
        }
    }

    fn column(file: &str, col: usize, header: &str, message: String) -> Problem {
        Problem {
            file: file.to_string(),
            row: None,
            column: Some((letter(col), header.to_string())),
            message,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(r) = self.row {
            write!(f, ", row {r}")?;
        }
        match &self.column {
            Some((l, h)) if h.is_empty() => write!(f, ", column {l}")?,
            Some((l, h)) => write!(f, ", column {l} (`{h}`)")?,
            None => {}
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in a council's files, reported at once.
#[derive(Clone, Debug, PartialEq)]
pub struct FilesError(pub Vec<Problem>);

/// At most this many problems are listed; the rest are counted.
const MAX_LISTED: usize = 40;

impl fmt::Display for FilesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "{n} problem{} in the council's files; nothing was written",
            if n == 1 { "" } else { "s" }
        )?;
        for p in self.0.iter().take(MAX_LISTED) {
            write!(f, "\n  {p}")?;
        }
        if n > MAX_LISTED {
            write!(f, "\n  ... and {} more", n - MAX_LISTED)?;
        }
        Ok(())
    }
}

impl std::error::Error for FilesError {}

/// The three kinds of file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Staff,
    Leavers,
    Agency,
}

impl Kind {
    /// Required columns, then optional ones.
    pub fn columns(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Kind::Staff => (
                &["grade", "fte", "start_date"],
                &["salary", "pay_point", "team", "case_holding"],
            ),
            Kind::Leavers => (
                &["grade", "fte", "start_date", "leave_date"],
                &["reason", "destination"],
            ),
            Kind::Agency => (
                &["grade", "fte", "start_date"],
                &["hourly_rate", "daily_rate"],
            ),
        }
    }

    fn what(self) -> &'static str {
        match self {
            Kind::Staff => "staff",
            Kind::Leavers => "leavers",
            Kind::Agency => "agency",
        }
    }
}

/// What `init` is asked to read: the files and how to read them.
#[derive(Clone, Debug)]
pub struct Request {
    pub staff: PathBuf,
    pub leavers: Option<PathBuf>,
    pub agency: Option<PathBuf>,
    /// A TOML table of local grade names to the scenario's (`"Senior SW" = "Level 3"`).
    pub grades: Option<PathBuf>,
    /// The start of the leavers file's period (`--leavers-from`, its first day); else 1 April of
    /// the financial year its earliest leaver left in.
    pub leavers_from: Option<Date>,
    /// The prior's strength in FTE-years ([`PRIOR_FTE_YEARS`]).
    pub prior_fte_years: f64,
}

impl Request {
    pub fn new(staff: PathBuf) -> Request {
        Request {
            staff,
            leavers: None,
            agency: None,
            grades: None,
            leavers_from: None,
            prior_fte_years: PRIOR_FTE_YEARS,
        }
    }
}

/// A staff member in post at the snapshot.
#[derive(Clone, Debug)]
struct Staff {
    grade: Grade,
    fte: f64,
    start: Date,
    /// Full-time annual salary in pounds, from `salary` or `pay_point`.
    salary: Option<f64>,
    case_holding: Option<bool>,
}

#[derive(Clone, Debug)]
struct Leaver {
    grade: Grade,
    fte: f64,
    start: Date,
    leave: Date,
    /// `None` where the file gives no destination for the leaver.
    to_agency: Option<bool>,
}

#[derive(Clone, Debug)]
struct Agency {
    grade: Grade,
    fte: f64,
    start: Date,
    /// Hourly rate in pounds (a daily rate over 7.4 hours).
    hourly: Option<f64>,
}

/// The lowest and highest amount in pounds `init` accepts for a column, and what it is: checks of
/// plausibility, not of policy. A full-time annual salary below £10,000 is almost always monthly
/// pay, one above £200,000 a typo; an agency rate outside £15 to £200 an hour or £100 to £1,500 a
/// day is the other rate, or a typo.
pub type Bounds = (f64, f64, &'static str);
pub const SALARY: Bounds = (10_000.0, 200_000.0, "full-time annual salary");
pub const HOURLY_RATE: Bounds = (15.0, 200.0, "agency hourly rate");
pub const DAILY_RATE: Bounds = (100.0, 1_500.0, "agency daily rate");

/// Hours in an agency day: 37 a week over 5 days, as `[agency]` counts them.
pub const HOURS_PER_DAY: f64 = 7.4;

/// One grade and service band: staff at the snapshot, and leavers and time at risk over the
/// leavers file's period.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cell {
    /// FTE in post at the snapshot, and heads.
    pub fte: f64,
    pub heads: usize,
    /// Leavers in the period, in FTE and heads.
    pub leavers: f64,
    pub leaver_heads: usize,
    /// FTE-years at risk in the period, and the people they come from.
    pub exposure: f64,
    pub exposed_heads: usize,
}

/// One grade's figures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GradeSummary {
    /// By service band ([`BAND_EDGES`]).
    pub bands: [Cell; 4],
    /// FTE-weighted mean full-time salary of those with one, and how many people it rests on.
    pub salary: Option<(f64, usize)>,
    /// Case-holding FTE, when every row of the grade says.
    pub case_holding: Option<f64>,
    /// Starters in the period (staff and leavers whose start date falls in it, its first day
    /// included), FTE and heads.
    pub starters: f64,
    pub starter_heads: usize,
    /// People at risk of leaving in the period, each once (a band's count holds those who
    /// crossed into it too).
    pub exposed_heads: usize,
}

impl GradeSummary {
    pub fn fte(&self) -> f64 {
        self.bands.iter().map(|c| c.fte).sum()
    }
    pub fn heads(&self) -> usize {
        self.bands.iter().map(|c| c.heads).sum()
    }
    pub fn leavers(&self) -> f64 {
        self.bands.iter().map(|c| c.leavers).sum()
    }
    pub fn leaver_heads(&self) -> usize {
        self.bands.iter().map(|c| c.leaver_heads).sum()
    }
    pub fn exposure(&self) -> f64 {
        self.bands.iter().map(|c| c.exposure).sum()
    }
}

/// The leavers file's period.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
    /// Whether `from` was given (`--leavers-from`), else 1 April of the financial year of the
    /// earliest leaving date.
    pub given: bool,
    /// Leavers before `from`, left out.
    pub before: usize,
}

impl Period {
    pub fn years(&self) -> f64 {
        years(self.from, self.to)
    }
    pub fn months(&self) -> f64 {
        12.0 * self.years()
    }
}

/// The agency file's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct AgencySummary {
    pub fte: f64,
    pub heads: usize,
    /// FTE-weighted mean hourly rate and the people it rests on.
    pub hourly: Option<(f64, usize)>,
    /// The FTE of the workers behind `hourly`, by grade (`Grade::ALL`'s order): the weights of
    /// their grades in the rate, for weighting anything else by grade alike (a price cap).
    pub rated_fte: [f64; 5],
    /// Median months on assignment at the snapshot.
    pub median_months: f64,
}

/// What a council's files say, as aggregates: nothing here names or dates a person.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// The files' names, for comments.
    pub staff_file: String,
    pub leavers_file: Option<String>,
    pub agency_file: Option<String>,
    /// The snapshot: the scenario's start.
    pub snapshot: Date,
    /// By grade, in [`Grade::ALL`] order; a grade no row maps to is all zeros.
    pub grades: [GradeSummary; 5],
    /// Which grades any file names.
    pub present: [bool; 5],
    pub period: Option<Period>,
    /// Leavers over the period whose destination was agency work, and those whose destination
    /// is given (heads), when the file has a destination column.
    pub to_agency: Option<(usize, usize)>,
    pub agency: Option<AgencySummary>,
    pub prior_fte_years: f64,
    /// Where each salary came from: `salary`, `pay_point` or neither.
    pub pay_column: Option<&'static str>,
    /// Each grade name the files use and the scenario's grade it was read as, in the order of
    /// first use.
    pub names: Vec<LocalName>,
    /// Things the user should know (columns not read, leavers before the period).
    pub warnings: Vec<String>,
}

/// A grade name as the files write it, the scenario's grade it was read as, and the rows (people)
/// of all three files that use it.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalName {
    pub name: String,
    pub grade: Grade,
    pub people: usize,
    /// Whether the `--grades` map gave the grade (else its name or an alias did).
    pub mapped: bool,
}

impl Summary {
    pub fn grade(&self, g: Grade) -> &GradeSummary {
        &self.grades[g.index()]
    }
    pub fn fte(&self) -> f64 {
        self.grades.iter().map(GradeSummary::fte).sum()
    }
    pub fn heads(&self) -> usize {
        self.grades.iter().map(GradeSummary::heads).sum()
    }
    /// Whether every staff row said whether it holds cases.
    pub fn has_case_holding(&self) -> bool {
        self.grades
            .iter()
            .all(|g| g.heads() == 0 || g.case_holding.is_some())
    }
}

/// The grade each local name maps to, and the names the files used.
#[derive(Default)]
struct GradeMap {
    local: BTreeMap<String, Grade>,
    /// The map's local names as it spells them.
    keys: Vec<String>,
    seen: Vec<LocalName>,
}

impl GradeMap {
    fn read(path: Option<&Path>, problems: &mut Vec<Problem>) -> GradeMap {
        let mut local = BTreeMap::new();
        let Some(path) = path else {
            return GradeMap::default();
        };
        let file = path.display().to_string();
        let text = match crate::scenario::input::read_at_most(path, 1_000_000, "a grade map")
            .and_then(|b| String::from_utf8(b).map_err(std::io::Error::other))
        {
            Ok(t) => t,
            Err(e) => {
                problems.push(Problem::file(&file, format!("cannot be read: {e}")));
                return GradeMap::default();
            }
        };
        let table: toml::Table = match text.parse() {
            Ok(t) => t,
            Err(e) => {
                // The line, and the usual slip: a local name with spaces left unquoted.
                let line = e
                    .span()
                    .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
                problems.push(Problem::file(
                    &file,
                    format!(
                        "{}is not a grade map: {}; write one line for each local name, in \
                         quotes where it has spaces, e.g. \"Social Worker\" = \"Level 2\"",
                        line.map_or(String::new(), |l| format!("line {l} ")),
                        e.message().trim()
                    ),
                ));
                return GradeMap::default();
            }
        };
        let keys: Vec<String> = table.keys().cloned().collect();
        for (k, v) in table {
            let to = v
                .as_str()
                .and_then(|s| Grade::ALL.into_iter().find(|g| fold(g.name()) == fold(s)));
            match to {
                // Names are compared folded (case, spaces, hyphens): two spellings of one name
                // mapped to different grades cannot both hold.
                Some(g) => match local.insert(fold(&k), g) {
                    Some(was) if was != g => problems.push(Problem::file(
                        &file,
                        format!(
                            "`{k}` is mapped to {} and, spelled another way, to {}; names are \
                             read whatever their case, spaces and hyphens, so give it once",
                            g.name(),
                            was.name()
                        ),
                    )),
                    _ => {}
                },
                None => problems.push(Problem::file(
                    &file,
                    match v.as_str() {
                        Some(s) => format!(
                            "`{k}` maps to `{s}`, which is not one of the scenario's grades ({})",
                            grade_list()
                        ),
                        None => format!(
                            "`{k}` must map to one of the scenario's grades ({}) in quotes, as \
                             `\"{k}\" = \"Level 2\"`",
                            grade_list()
                        ),
                    },
                )),
            }
        }
        GradeMap {
            local,
            keys,
            seen: Vec::new(),
        }
    }

    /// A warning for each local name in the map that no row of the files uses: a name mistyped
    /// in the map leaves the files' own name to be read by its built-in meaning, or not at all.
    fn unused(&self) -> Vec<String> {
        let used: Vec<String> = self.seen.iter().map(|n| fold(&n.name)).collect();
        let names: Vec<&str> = self.seen.iter().map(|n| n.name.as_str()).collect();
        self.keys
            .iter()
            .filter(|k| !used.contains(&fold(k)))
            .map(|k| {
                let hint = crate::scenario::spanned::closest(k, &names)
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default();
                format!("the grade map's `{k}` is a name no row of the files uses{hint}")
            })
            .collect()
    }

    fn find(&self, name: &str) -> Option<Grade> {
        let f = fold(name);
        if let Some(g) = self.local.get(&f) {
            return Some(*g);
        }
        Grade::ALL
            .into_iter()
            .find(|g| fold(g.name()) == f || g.aliases().contains(&f.as_str()))
    }

    /// Notes one row's use of `name`, read as `grade`.
    fn note(&mut self, name: &str, grade: Grade) {
        let f = fold(name);
        match self.seen.iter_mut().find(|n| fold(&n.name) == f) {
            Some(n) => n.people += 1,
            None => self.seen.push(LocalName {
                // As written, on one line.
                name: name.split_whitespace().collect::<Vec<_>>().join(" "),
                grade,
                people: 1,
                mapped: self.local.contains_key(&f),
            }),
        }
    }

    /// A warning for each scenario grade that two or more names fell into without the map
    /// saying so: they may be different grades.
    fn merged(&self) -> Vec<String> {
        let mut out = Vec::new();
        for g in Grade::ALL {
            let names: Vec<&LocalName> = self.seen.iter().filter(|n| n.grade == g).collect();
            if names.len() < 2 || names.iter().all(|n| n.mapped) {
                continue;
            }
            let listed: Vec<String> = names
                .iter()
                .map(|n| {
                    let count = if n.people >= MIN_GROUP {
                        format!("{} people", n.people)
                    } else {
                        format!("fewer than {MIN_GROUP}")
                    };
                    format!("`{}` ({count})", n.name)
                })
                .collect();
            // An example that separates them: the first name to the grade next to this one.
            let other = Grade::ALL[if g.index() > 0 { g.index() - 1 } else { 1 }];
            out.push(format!(
                "grade names {} were all read as {}; if they are different grades, map each \
                 to its own with --grades map.toml, as `\"{}\" = \"{}\"` (docs/init.md)",
                listed.join(", "),
                g.name(),
                names[0].name,
                other.name()
            ));
        }
        out
    }
}

fn grade_list() -> String {
    Grade::ALL.map(Grade::name).join(", ")
}

/// A file's columns: where each column wfsim reads is, by its key.
struct Columns {
    at: BTreeMap<&'static str, usize>,
}

impl Columns {
    fn get<'r>(&self, row: &'r [String], key: &str) -> Option<&'r str> {
        self.at
            .get(key)
            .and_then(|&i| row.get(i))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }
}

/// Checks a table's headers and every cell for a person's data, and finds its columns.
fn columns(
    t: &Table,
    kind: Kind,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<String>,
) -> Columns {
    let (required, optional) = kind.columns();
    let mut at = BTreeMap::new();
    let mut ignored = Vec::new();
    for (i, h) in t.headers.iter().enumerate() {
        let k = table::key(h);
        if let Some(why) = table::personal_header(&k) {
            problems.push(Problem::column(
                &t.file,
                i,
                h,
                format!(
                    "looks like {why}: wfsim never reads a person's data, so remove the column \
                     and run again"
                ),
            ));
            continue;
        }
        match required.iter().chain(optional).find(|c| **c == k) {
            Some(c) if at.contains_key(c) => problems.push(Problem::column(
                &t.file,
                i,
                h,
                format!("is a second `{c}` column; give each column once"),
            )),
            Some(c) => {
                at.insert(*c, i);
            }
            None if h.is_empty() => {}
            None => ignored.push(format!("`{h}` ({})", letter(i))),
        }
    }
    // A file with none of the columns: say why where it can be seen.
    if required.iter().all(|c| !at.contains_key(c)) {
        let first: Vec<&String> = t.headers.iter().filter(|h| !h.is_empty()).collect();
        let hint = if first.iter().any(|h| h.contains(';')) {
            Some(
                "its first row seems to use `;` between values: save it as CSV (comma delimited)"
                    .to_string(),
            )
        } else if first.len() == 1 {
            Some("its first row holds one cell, like a title: the first row must hold the column names".to_string())
        } else {
            None
        };
        if let Some(h) = hint {
            problems.push(Problem::file(&t.file, h));
        }
    }
    for c in required {
        if !at.contains_key(c) {
            problems.push(Problem::file(
                &t.file,
                format!(
                    "has no `{c}` column; a {} file needs {} (and may have {})",
                    kind.what(),
                    required.join(", "),
                    optional.join(", ")
                ),
            ));
        }
    }
    if !ignored.is_empty() {
        warnings.push(format!(
            "{}: column{} {} not read (wfsim reads {}, {})",
            t.file,
            if ignored.len() == 1 { "" } else { "s" },
            ignored.join(", "),
            required.join(", "),
            optional.join(", ")
        ));
    }
    // A person's data in any cell, whatever its column.
    for (row, cells) in &t.rows {
        for (i, c) in cells.iter().enumerate() {
            if let Some(why) = table::personal_value(c) {
                problems.push(Problem::at(
                    &t.file,
                    *row,
                    i,
                    t.headers.get(i).map(String::as_str),
                    format!(
                        "holds what looks like {why}: wfsim never reads a person's data, so \
                         remove it and run again"
                    ),
                ));
            }
        }
    }
    // A file pasted into itself reads as twice the people. Rows alike in every column are
    // common (a cohort starting on one day), so what is said is a copy of the file's first rows
    // at its end, row for row, as a paste leaves it.
    let cells: Vec<&Vec<String>> = t.rows.iter().map(|(_, c)| c).collect();
    let n = cells.len();
    if let Some(k) = (2..=n / 2).rev().find(|&k| cells[n - k..] == cells[..k]) {
        warnings.push(format!(
            "{}: its last {k} rows repeat its first {k}, row for row; each row is read as one \
             person, so if the file holds a copy of its rows, remove the copy",
            t.file
        ));
    }
    // No agency workers, or no leavers over a stated period, is something a council can say;
    // no staff is not.
    if t.rows.is_empty() && kind == Kind::Staff {
        problems.push(Problem::file(
            &t.file,
            "has no rows below its header".into(),
        ));
    }
    Columns { at }
}

/// Reads one row's cells, noting each problem.
struct RowReader<'a> {
    t: &'a Table,
    cols: &'a Columns,
    row: usize,
    cells: &'a [String],
    problems: &'a mut Vec<Problem>,
}

/// Reads every row of `t` with `read`, given each row's reader, and keeps what it returns.
fn each_row<T>(
    t: &Table,
    cols: &Columns,
    problems: &mut Vec<Problem>,
    mut read: impl FnMut(&mut RowReader) -> Option<T>,
) -> Vec<T> {
    t.rows
        .iter()
        .filter_map(|(row, cells)| {
            read(&mut RowReader {
                t,
                cols,
                row: *row,
                cells,
                problems,
            })
        })
        .collect()
}

impl RowReader<'_> {
    fn bad(&mut self, key: &str, message: String) {
        let i = self.cols.at.get(key).copied().unwrap_or(0);
        self.problems.push(Problem::at(
            &self.t.file,
            self.row,
            i,
            self.t.headers.get(i).map(String::as_str),
            message,
        ));
    }

    fn text(&mut self, key: &str, required: bool) -> Option<&str> {
        let v = self.cols.get(self.cells, key);
        if v.is_none() && required && self.cols.at.contains_key(key) {
            self.bad(key, "is blank; it is required".into());
        }
        v
    }

    fn number(&mut self, key: &str, lo: f64, hi: f64, what: &str, required: bool) -> Option<f64> {
        let v = self.text(key, required)?.to_string();
        let cleaned: String = v.chars().filter(|c| !matches!(c, '£' | ',')).collect();
        match cleaned.trim().parse::<f64>() {
            Ok(x) if x.is_finite() && x > lo && x <= hi => Some(x),
            Ok(x) if x.is_finite() => {
                self.bad(key, format!("is {v}; {what}"));
                None
            }
            _ => {
                self.bad(key, format!("`{v}` is not a number; {what}"));
                None
            }
        }
    }

    /// An optional amount in pounds that must lie within `bounds` (a check of plausibility):
    /// below it `low` is said, above it `high`, each with the bounds.
    fn plausible(&mut self, key: &str, bounds: Bounds, low: &str, high: &str) -> Option<f64> {
        let (lo, hi, what) = bounds;
        let x = self.number(
            key,
            0.0,
            f64::MAX,
            &format!("{what} in pounds, from {} to {}", pounds(lo), pounds(hi)),
            false,
        )?;
        let v = self
            .cols
            .get(self.cells, key)
            .unwrap_or_default()
            .to_string();
        let range = format!("a plausible {what} ({} to {})", pounds(lo), pounds(hi));
        if x < lo {
            self.bad(key, format!("is {v}, below {range}: {low}"));
            None
        } else if x > hi {
            self.bad(key, format!("is {v}, above {range}: {high}"));
            None
        } else {
            Some(x)
        }
    }

    /// The date at `key`, which must not fall after `snapshot`: what the file holds says why.
    fn date_by(&mut self, key: &str, snapshot: Date, file_holds: &str) -> Option<Date> {
        let d = self.date(key)?;
        if d > snapshot {
            self.bad(
                key,
                format!("{d} {AFTER_START}, {snapshot}: {file_holds} (--as-of)"),
            );
        }
        Some(d)
    }

    fn date(&mut self, key: &str) -> Option<Date> {
        let v = self.text(key, true)?.to_string();
        match Date::parse(&v) {
            Some(d) if d.year >= 1950 => Some(d),
            Some(_) => {
                self.bad(key, format!("{v} is before 1950; dates are YYYY-MM-DD"));
                None
            }
            None => {
                self.bad(key, not_a_date(&v));
                None
            }
        }
    }

    fn grade(&mut self, map: &mut GradeMap) -> Option<Grade> {
        let v = self.text("grade", true)?.to_string();
        let g = map.find(&v);
        if let Some(g) = g {
            map.note(&v, g);
        } else {
            self.bad(
                "grade",
                format!(
                    "`{v}` is not one of the scenario's grades ({}); name it so, or map local \
                     names with --grades map.toml (docs/init.md)",
                    grade_list()
                ),
            );
        }
        g
    }

    fn fte(&mut self) -> Option<f64> {
        self.number(
            "fte",
            0.0,
            MAX_FTE,
            &format!("FTE must be above 0 and at most {MAX_FTE}"),
            true,
        )
    }
}

/// How a date after the scenario's start is said, and found again by [`summarised`].
const AFTER_START: &str = "is after the scenario's start";

/// More than this many of one column's dates written day first are said once for the column.
const DAY_FIRST_ROWS: usize = 3;

/// The problems as a reader can act on them: a column whose dates are written day first
/// (DD/MM/YYYY) in many rows is one problem, not one a row; and where most dates fall after the
/// scenario's start, one hint first that the files may be for a later year (`--as-of`).
fn summarised(problems: Vec<Problem>, snapshot: Date) -> Vec<Problem> {
    let day_first = |p: &Problem| {
        p.message.contains("is not a date")
            && p.message.split('`').nth(1).is_some_and(|v| {
                let parts: Vec<&str> = v.split('/').collect();
                parts.len() == 3 && parts.iter().all(|x| x.chars().all(|c| c.is_ascii_digit()))
            })
    };
    let mut per_column: BTreeMap<(String, String), usize> = BTreeMap::new();
    for p in problems.iter().filter(|p| day_first(p)) {
        if let Some((letter, _)) = &p.column {
            *per_column
                .entry((p.file.clone(), letter.clone()))
                .or_default() += 1;
        }
    }
    let many = |p: &Problem| {
        p.column.as_ref().is_some_and(|(letter, _)| {
            per_column
                .get(&(p.file.clone(), letter.clone()))
                .is_some_and(|&n| n > DAY_FIRST_ROWS)
        })
    };
    let mut out = Vec::new();
    let mut said = std::collections::BTreeSet::new();
    for p in problems {
        if day_first(&p) && many(&p) {
            let (letter, header) = p.column.clone().expect("a column");
            let n = per_column[&(p.file.clone(), letter.clone())];
            if said.insert((p.file.clone(), letter.clone())) {
                out.push(Problem {
                    file: p.file.clone(),
                    row: None,
                    column: Some((letter, header)),
                    message: format!(
                        "{n} dates are written with slashes (DD/MM/YYYY, or MM/DD/YYYY); format the column's cells as YYYY-MM-DD (in Excel: Format Cells, Custom, yyyy-mm-dd) and save again"
                    ),
                });
            }
        } else {
            out.push(p);
        }
    }
    let late = out
        .iter()
        .filter(|p| p.message.contains(AFTER_START))
        .count();
    if late > DAY_FIRST_ROWS && late * 2 >= out.len() {
        out.insert(
            0,
            Problem {
                file: "the files".into(),
                row: None,
                column: None,
                message: format!(
                    "{late} dates fall after the scenario's start, {snapshot}: if the files are for a later 30 September, give that year with --as-of"
                ),
            },
        );
    }
    out
}

/// The NJC pay points a `pay_point` column may name, with their full-time salary in the pay year
/// of the snapshot.
pub type PayPoints = BTreeMap<u32, f64>;

/// Reads and checks the files of `req` for a scenario starting at `snapshot`, and sums them.
/// `pay_points` turns a `pay_point` column into salaries.
pub fn read(req: &Request, snapshot: Date, pay_points: &PayPoints) -> Result<Summary, FilesError> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut map = GradeMap::read(req.grades.as_deref(), &mut problems);
    let mut load = |p: &Path| match table::read(p) {
        Ok(t) => Some(t),
        Err(e) => {
            problems.push(e);
            None
        }
    };
    let staff_t = load(&req.staff);
    let leavers_t = req.leavers.as_deref().and_then(&mut load);
    let agency_t = req.agency.as_deref().and_then(&mut load);

    let mut present = [false; 5];
    let mut staff = Vec::new();
    let mut pay_column = None;
    if let Some(t) = &staff_t {
        let cols = columns(t, Kind::Staff, &mut problems, &mut warnings);
        if cols.at.contains_key("salary") && cols.at.contains_key("pay_point") {
            problems.push(Problem::file(
                &t.file,
                "has both `salary` and `pay_point`; give one".into(),
            ));
        }
        pay_column = ["salary", "pay_point"]
            .into_iter()
            .find(|c| cols.at.contains_key(c));
        staff = each_row(t, &cols, &mut problems, |r| {
            let grade = r.grade(&mut map);
            let fte = r.fte();
            let start = r.date_by(
                "start_date",
                snapshot,
                "the staff file is the staff in post at the start",
            );
            let salary = r.plausible(
                "salary",
                SALARY,
                "it looks like monthly pay; give the full-time annual salary",
                "check for a typo",
            );
            let point = match r.text("pay_point", false).map(str::to_string) {
                None => None,
                Some(v) => {
                    // `SCP 29`, `29`, or `29.0` as a spreadsheet writes a whole number.
                    let found = v
                        .trim()
                        .trim_start_matches(|c: char| c.is_alphabetic() || c == ' ')
                        .parse::<f64>()
                        .ok()
                        .filter(|p| p.fract() == 0.0 && (0.0..=1000.0).contains(p))
                        .and_then(|p| pay_points.get(&(p as u32)).copied());
                    if found.is_none() {
                        let known: Vec<String> =
                            pay_points.keys().map(ToString::to_string).collect();
                        r.bad(
                            "pay_point",
                            format!(
                                "`{v}` is not an NJC pay point wfsim has a sourced value for ({}); \
                                 give `salary` instead",
                                known.join(", ")
                            ),
                        );
                    }
                    found
                }
            };
            let case_holding = match r.text("case_holding", false).map(str::to_lowercase) {
                None => None,
                Some(v) => match v.as_str() {
                    "yes" | "y" | "true" | "1" => Some(true),
                    "no" | "n" | "false" | "0" => Some(false),
                    _ => {
                        r.bad("case_holding", format!("`{v}` is not yes or no"));
                        None
                    }
                },
            };
            let (grade, fte, start) = (grade?, fte?, start?);
            present[grade.index()] = true;
            Some(Staff {
                grade,
                fte,
                start,
                salary: salary.or(point),
                case_holding,
            })
        });
    }

    let mut leavers = Vec::new();
    let mut destination = false;
    if let Some(t) = &leavers_t {
        let cols = columns(t, Kind::Leavers, &mut problems, &mut warnings);
        destination = cols.at.contains_key("destination");
        leavers = each_row(t, &cols, &mut problems, |r| {
            let grade = r.grade(&mut map);
            let fte = r.fte();
            let start = r.date("start_date");
            let leave = r.date_by(
                "leave_date",
                snapshot,
                "the leavers file holds those who left before the start",
            );
            if let (Some(s), Some(l)) = (start, leave)
                && s > l
            {
                r.bad("start_date", format!("{s} is after the leaving date, {l}"));
            }
            let to_agency = r.text("destination", false).and_then(went_to_agency);
            let _ = r.text("reason", false);
            let (grade, fte, start, leave) = (grade?, fte?, start?, leave?);
            present[grade.index()] = true;
            Some(Leaver {
                grade,
                fte,
                start,
                leave,
                to_agency,
            })
        });
    }

    let mut agency = Vec::new();
    if let Some(t) = &agency_t {
        let cols = columns(t, Kind::Agency, &mut problems, &mut warnings);
        agency = each_row(t, &cols, &mut problems, |r| {
            let grade = r.grade(&mut map);
            let fte = r.fte();
            let start = r.date_by(
                "start_date",
                snapshot,
                "the agency file is the agency workers in post at the start",
            );
            let hourly = r.plausible(
                "hourly_rate",
                HOURLY_RATE,
                "check for a typo",
                "is it a daily rate? Those go in `daily_rate`",
            );
            let daily = r.plausible(
                "daily_rate",
                DAILY_RATE,
                "is it an hourly rate? Those go in `hourly_rate`",
                "check for a typo",
            );
            if r.cols.get(r.cells, "hourly_rate").is_some()
                && r.cols.get(r.cells, "daily_rate").is_some()
            {
                r.bad(
                    "daily_rate",
                    "the row has both `hourly_rate` and `daily_rate`; give one".into(),
                );
            }
            Some(Agency {
                grade: grade?,
                fte: fte?,
                start: start?,
                hourly: hourly.or(daily.map(|d| d / HOURS_PER_DAY)),
            })
        });
    }

    // The period the leavers cover.
    let period = if leavers_t.is_some() {
        // Without --leavers-from, the financial year the earliest leaver left in: the earliest
        // date itself would be one person's, and the time at risk before it would be left out.
        let earliest = leavers.iter().map(|l| l.leave).min();
        let from = req
            .leavers_from
            .or(earliest.map(Date::financial_year_start));
        match from {
            Some(from) if from < snapshot => {
                let before = leavers.iter().filter(|l| l.leave < from).count();
                Some(Period {
                    from,
                    to: snapshot,
                    given: req.leavers_from.is_some(),
                    before,
                })
            }
            Some(from) if problems.is_empty() => {
                problems.push(Problem::file(
                    &req.leavers
                        .as_deref()
                        .map_or(String::new(), |p| p.display().to_string()),
                    format!(
                        "covers no time before the start ({snapshot}): its period would start \
                         on {from}; give --leavers-from YYYY-MM"
                    ),
                ));
                None
            }
            None if problems.is_empty() => {
                problems.push(Problem::file(
                    &req.leavers
                        .as_deref()
                        .map_or(String::new(), |p| p.display().to_string()),
                    "has no leavers, so the period it covers is not known: give --leavers-from \
                     YYYY-MM, the month it starts from"
                        .into(),
                ));
                None
            }
            _ => None,
        }
    } else {
        None
    };
    if !problems.is_empty() {
        return Err(FilesError(summarised(problems, snapshot)));
    }
    if let Some(p) = &period {
        if p.before > 0 {
            warnings.push(format!(
                "{} leaver{} left before {} (--leavers-from) and {} not counted",
                p.before,
                if p.before == 1 { "" } else { "s" },
                p.from,
                if p.before == 1 { "is" } else { "are" }
            ));
        }
        // The earliest leaving date, which starts the period, a year or more before the next:
        // one leaver far older than the rest stretches everyone's time at risk back to then.
        let mut dates: Vec<Date> = leavers.iter().map(|l| l.leave).collect();
        dates.sort();
        if !p.given
            && let [first, next, ..] = dates[..]
            && next.days() - first.days() > 366
        {
            warnings.push(format!(
                "the leavers file's period starts {}, {:.1} years before the start, at the \
                 financial year of its earliest leaving date, which is more than a year before \
                 the next: one leaver much older than the rest stretches everyone's time at risk \
                 back to then and lowers every leaving rate; if so, give --leavers-from YYYY-MM",
                p.from,
                p.months() / 12.0
            ));
        }
        // The files' latest date (a leaving or a start) long before the start: an extract taken
        // then, read against a later start (`--as-of` left out, say), counts the months since as
        // time at risk with no one leaving or starting, and lowers every rate.
        let latest = leavers
            .iter()
            .map(|l| l.leave)
            .chain(staff.iter().map(|x| x.start))
            .max();
        if let Some(latest) = latest
            && snapshot.days() - latest.days() > 183
        {
            warnings.push(format!(
                "the files' latest date, a leaving or a start, is {latest}, {:.0} months before \
                 the start ({snapshot}): if the extract was taken then, give the census year it \
                 was taken in (--as-of); otherwise the months since count as time at risk in which \
                 no one left or started, which lowers every leaving rate and the hiring",
                years(latest, snapshot) * 12.0
            ));
        }
        // No one leaving a sizeable staff over a period: more likely a file cut short than a
        // year without leavers (a fifth of the country's councils' social workers leave in two
        // years).
        let left = leavers.iter().filter(|l| l.leave >= p.from).count();
        if left == 0 && staff.len() >= 20 {
            warnings.push(format!(
                "no one in the leavers file left over the period's {:.0} months, of {} staff: \
                 every leaving rate is then far below any council's; check that the file holds \
                 every leaver since {}",
                p.months(),
                staff.len(),
                p.from
            ));
        }
        // `--leavers-from` long before the first leaver: the file may start later.
        if p.given
            && let Some(first) = leavers
                .iter()
                .map(|l| l.leave)
                .filter(|&d| d >= p.from)
                .min()
            && first.days() - p.from.days() > 183
        {
            warnings.push(format!(
                "the first leaver over the period left on {first}, {:.0} months after \
                 --leavers-from ({}): if the file starts later, give that month, since the months \
                 before count as time at risk in which no one left",
                years(p.from, first) * 12.0,
                p.from
            ));
        }
        if p.months() < 11.5 {
            warnings.push(format!(
                "the leavers file covers {:.1} months; a year or more gives leaving rates free of \
                 the season",
                p.months()
            ));
        }
    }
    let to_agency = (destination && period.is_some()).then(|| {
        let within: Vec<Option<bool>> = leavers
            .iter()
            .filter(|l| period.is_some_and(|p| l.leave >= p.from))
            .map(|l| l.to_agency)
            .collect();
        let known = within.iter().flatten().count();
        let blank = within.len() - known;
        if blank > 0 && known == 0 {
            warnings.push(format!(
                "none of the {} leavers over the period has a known `destination`: the share who \
                 went to agency work is the national figure",
                within.len()
            ));
        } else if blank > 0 {
            warnings.push(format!(
                "{blank} of the {} leavers over the period have no known `destination` (blank or \
                 not known): the share who went to agency work is taken over the {known} whose \
                 destination is given",
                within.len()
            ));
        }
        (within.iter().filter(|&&d| d == Some(true)).count(), known)
    });
    warnings.extend(map.unused());
    warnings.extend(map.merged());
    let name = |p: &Option<PathBuf>| {
        p.as_deref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    };
    let mut s = Summary {
        staff_file: name(&Some(req.staff.clone())).unwrap_or_default(),
        leavers_file: name(&req.leavers),
        agency_file: name(&req.agency),
        snapshot,
        grades: Default::default(),
        present,
        period,
        to_agency,
        agency: None,
        prior_fte_years: req.prior_fte_years,
        pay_column,
        names: map.seen,
        warnings,
    };
    sum_staff(&mut s, &staff);
    s.warnings.extend(pro_rata(&staff, s.pay_column));
    if let Some(p) = period {
        sum_exposure(&mut s, &staff, &leavers, p);
    }
    if agency_t.is_some() {
        s.agency = Some(sum_agency(&agency, snapshot));
    }
    Ok(s)
}

/// The service band of `months` of service.
pub fn band(months: f64) -> usize {
    BAND_EDGES
        .iter()
        .take_while(|&&e| months >= f64::from(e))
        .count()
}

/// Whole months of service from `start` to `at`.
fn months_between(start: Date, at: Date) -> u32 {
    let mut m = ((at.year - start.year) * 12 + at.month as i32 - start.month as i32).max(0) as u32;
    if m > 0 && start.add_months(m) > at {
        m -= 1;
    }
    m
}

fn sum_staff(s: &mut Summary, staff: &[Staff]) {
    let mut pay: [(f64, f64, usize); 5] = [(0.0, 0.0, 0); 5];
    let mut holding: [(f64, bool); 5] = [(0.0, true); 5];
    for p in staff {
        let g = p.grade.index();
        let b = band(f64::from(months_between(p.start, s.snapshot)));
        let c = &mut s.grades[g].bands[b];
        c.fte += p.fte;
        c.heads += 1;
        if let Some(x) = p.salary {
            pay[g].0 += x * p.fte;
            pay[g].1 += p.fte;
            pay[g].2 += 1;
        }
        match p.case_holding {
            Some(true) => holding[g].0 += p.fte,
            Some(false) => {}
            None => holding[g].1 = false,
        }
    }
    for (g, gs) in s.grades.iter_mut().enumerate() {
        gs.salary = (pay[g].2 > 0).then(|| (pay[g].0 / pay[g].1, pay[g].2));
        gs.case_holding = (holding[g].1 && gs.heads() > 0).then_some(holding[g].0);
    }
    // Some rows say and some do not: the file's case-holding is used only whole.
    let blank = staff.iter().filter(|p| p.case_holding.is_none()).count();
    if blank > 0 && blank < staff.len() {
        s.warnings.push(format!(
            "{}: case_holding is blank in {blank} of {} staff rows; the file's case-holding is used only when every row says yes or no, so the census's is used for every grade: fill it in to use the file's",
            s.staff_file,
            staff.len()
        ));
    }
}

/// Time at risk and leavers by grade and band over the period, and starters.
///
/// Exposure comes from the staff in post at the snapshot and from the leavers, each counted from
/// the later of the period's start and their start date to the earlier of their leaving date
/// and the snapshot, in FTE-years at their FTE, split by service band as their service accrues.
/// Someone who joined and left within the period is in the leavers file; someone who joined in it
/// and stayed is in the staff file; so nobody at risk is missed. Each is counted in the grade the
/// file gives (at the snapshot, or at leaving): time in an earlier grade counts in the later one.
fn sum_exposure(s: &mut Summary, staff: &[Staff], leavers: &[Leaver], p: Period) {
    let spans = staff
        .iter()
        .map(|x| (x.grade, x.fte, x.start, s.snapshot, None))
        .chain(
            leavers
                .iter()
                .filter(|l| l.leave >= p.from)
                .map(|l| (l.grade, l.fte, l.start, l.leave, Some(l.leave))),
        );
    for (grade, fte, start, end, left) in spans {
        let g = grade.index();
        let from = start.max(p.from);
        let to = end.min(p.to);
        // Band k runs from start + edge[k-1] months to start + edge[k] months.
        let mut lo = start;
        let mut at_risk = false;
        for (k, cell) in s.grades[g].bands.iter_mut().enumerate() {
            let hi = BAND_EDGES.get(k).map_or(FAR, |&e| start.add_months(e));
            let (a, b) = (from.max(lo), to.min(hi));
            if b > a {
                cell.exposure += fte * years(a, b);
                cell.exposed_heads += 1;
                at_risk = true;
            }
            lo = hi;
        }
        if at_risk {
            s.grades[g].exposed_heads += 1;
        }
        if let Some(l) = left {
            let k = band(f64::from(months_between(start, l)));
            s.grades[g].bands[k].leavers += fte;
            s.grades[g].bands[k].leaver_heads += 1;
        }
        if start >= p.from {
            s.grades[g].starters += fte;
            s.grades[g].starter_heads += 1;
        }
    }
}

fn sum_agency(a: &[Agency], snapshot: Date) -> AgencySummary {
    // `+ 0.0`: the sum of no values is -0.0, which would be written "-0".
    let fte = a.iter().map(|x| x.fte).sum::<f64>() + 0.0;
    let rated: Vec<&Agency> = a.iter().filter(|x| x.hourly.is_some()).collect();
    let rated_fte: f64 = rated.iter().map(|x| x.fte).sum();
    let hourly = (!rated.is_empty()).then(|| {
        (
            rated
                .iter()
                .map(|x| x.hourly.unwrap_or(0.0) * x.fte)
                .sum::<f64>()
                / rated_fte,
            rated.len(),
        )
    });
    let mut rated_by_grade = [0.0; 5];
    for x in &rated {
        rated_by_grade[x.grade.index()] += x.fte;
    }
    let mut months: Vec<f64> = a.iter().map(|x| 12.0 * years(x.start, snapshot)).collect();
    months.sort_by(f64::total_cmp);
    let median_months = if months.is_empty() {
        0.0
    } else {
        crate::stats::quantile_sorted(&months, 0.5)
    };
    AgencySummary {
        fte,
        heads: a.len(),
        hourly,
        rated_fte: rated_by_grade,
        median_months,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_destination_is_agency_work_unless_it_says_not() {
        for yes in [
            "agency",
            "Agency",
            "Locum agency",
            "agency/locum",
            "Locum/agency",
            "Agency social work",
        ] {
            assert_eq!(went_to_agency(yes), Some(true), "{yes}");
        }
        for no in [
            "Other LA - not agency",
            "non-agency",
            "Non agency role",
            "another council",
            "no agency work",
            // Fostering and adoption agencies are other work; a question answered no is no.
            "Fostering agency",
            "Adoption agency",
            "Independent agency (IFA)",
            "Other LA (not via agency)",
            "Not to agency",
            "Agency? No",
        ] {
            assert_eq!(went_to_agency(no), Some(false), "{no}");
        }
        assert_eq!(went_to_agency("Locum"), Some(true));
        // Blank: not known, so left out of the share.
        assert_eq!(went_to_agency(""), None);
        assert_eq!(went_to_agency(" - "), None);
        for unknown in [
            "Unknown",
            "Not known",
            "N/A",
            "n/a",
            "Not stated",
            "not recorded",
        ] {
            assert_eq!(went_to_agency(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn a_date_that_is_not_one_says_why() {
        assert_eq!(
            not_a_date("31-07-2008"),
            "`31-07-2008` is not a date as wfsim reads them: it is written day first; write \
             dates as YYYY-MM-DD (2008-07-31)"
        );
        assert_eq!(
            not_a_date("2023-02-30"),
            "`2023-02-30` is not a date: February 2023 has 28 days"
        );
        assert!(not_a_date("45000").contains("a spreadsheet's count of days (2023-03-15)"));
        assert_eq!(
            not_a_date("soon"),
            "`soon` is not a date; write dates as YYYY-MM-DD, e.g. 2021-09-06"
        );
    }

    #[test]
    fn dates_count_days_and_months() {
        let d = Date::parse("2024-02-29").unwrap();
        assert_eq!(Date::from_days(d.days()), d);
        assert_eq!(Date::new(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2023-2-28"), None);
        assert_eq!(Date::parse("2023-09-30 00:00:00"), Date::new(2023, 9, 30));
        // 45,199 is 30 September 2023 in Excel's count from 1900, 1 October 2027 in its count
        // from 1904 (1,462 days later).
        let excel = |serial: f64, is_1904: bool| {
            Date::from_excel(&calamine::ExcelDateTime::new(
                serial,
                calamine::ExcelDateTimeType::DateTime,
                is_1904,
            ))
        };
        assert_eq!(excel(45_199.0, false), Date::new(2023, 9, 30));
        assert_eq!(excel(45_199.0, true), Date::new(2027, 10, 1));
        assert_eq!(excel(45_199.75, false), Date::new(2023, 9, 30));
        assert_eq!(excel(0.0, true), Date::new(1904, 1, 1));
        // Excel's 1900-02-29, and numbers no date has.
        assert_eq!(excel(60.0, false), None);
        for x in [-1.0, 3e6, 1.8e19, f64::INFINITY, f64::NAN] {
            assert_eq!(excel(x, false), None, "{x}");
        }
        assert_eq!(d.add_months(12), Date::new(2025, 2, 28).unwrap());
        assert_eq!(d.financial_year_start(), Date::new(2023, 4, 1).unwrap());
        let april = Date::new(2024, 4, 1).unwrap();
        assert_eq!(april.financial_year_start(), april);
        let a = Date::new(2020, 1, 31).unwrap();
        assert_eq!(a.add_months(1), Date::new(2020, 2, 29).unwrap());
        assert_eq!(months_between(a, Date::new(2021, 1, 30).unwrap()), 11);
        assert_eq!(months_between(a, Date::new(2021, 1, 31).unwrap()), 12);
        assert_eq!(band(11.0), 0);
        assert_eq!(band(12.0), 1);
        assert_eq!(band(59.0), 2);
        assert_eq!(band(60.0), 3);
    }

    #[test]
    fn exposure_splits_by_band_as_service_accrues() {
        // One full-time Level 2 worker who started on 2022-04-01 and is in post at 2024-04-01,
        // over a period from 2023-04-01: a year at risk, 2023-04-01 to 2024-04-01, all in band
        // 1-2 years (service 12 to 24 months). A 0.5 FTE leaver who started 2022-10-01 and left
        // 2023-10-01: at risk from 2023-04-01 to 2023-10-01, half a year at 0.5 FTE, band 0 until
        // 2023-10-01 (service reaches 12 months that day), leaving in band 1.
        let snap = Date::new(2024, 4, 1).unwrap();
        let p = Period {
            from: Date::new(2023, 4, 1).unwrap(),
            to: snap,
            given: true,
            before: 0,
        };
        let staff = [Staff {
            grade: Grade::Level2,
            fte: 1.0,
            start: Date::new(2022, 4, 1).unwrap(),
            salary: None,
            case_holding: None,
        }];
        let leavers = [Leaver {
            grade: Grade::Level2,
            fte: 0.5,
            start: Date::new(2022, 10, 1).unwrap(),
            leave: Date::new(2023, 10, 1).unwrap(),
            to_agency: Some(false),
        }];
        let mut s = Summary {
            staff_file: String::new(),
            leavers_file: None,
            agency_file: None,
            snapshot: snap,
            grades: Default::default(),
            present: [false; 5],
            period: Some(p),
            to_agency: None,
            agency: None,
            prior_fte_years: PRIOR_FTE_YEARS,
            pay_column: None,
            names: Vec::new(),
            warnings: Vec::new(),
        };
        sum_exposure(&mut s, &staff, &leavers, p);
        let g = s.grade(Grade::Level2);
        // 2023-04-01 to 2024-04-01 is 366 days (2024 is a leap year).
        let leaver_band0 = 0.5 * 183.0 / 365.25; // 2023-04-01 to 2023-10-01: 183 days
        assert!((g.bands[0].exposure - leaver_band0).abs() < 1e-12, "{g:?}");
        assert!(
            (g.bands[1].exposure - 366.0 / 365.25).abs() < 1e-12,
            "{g:?}"
        );
        assert_eq!((g.bands[1].leavers, g.bands[1].leaver_heads), (0.5, 1));
        assert_eq!(g.bands[0].leavers, 0.0);
        // Neither started in the period.
        assert_eq!(g.starters, 0.0);
    }
}
