//! The DfE children's social work workforce census, read from the file users download.
//!
//! Councils set projections beside their published figures and build scenarios from them (the
//! bundled scenarios' comments quote them). The census file (`csww_indicators_2017_to_2025.csv` and
//! its successors) also holds reporting artefacts, such as a council reporting no leavers in a year
//! with hundreds of social workers in post, and suppressed values. This module reads the file into
//! areas (England, regions, councils) and flags every such value, so that nothing built on the file
//! trusts it silently. It reads and judges; `output::census` prints.

use std::collections::HashMap;
use std::path::Path;

use crate::model::format::{fte, pct};
use crate::scenario::diag::{Diagnostic, ScenarioErrors};

/// The columns wfsim reads; the file may have others, in any order.
pub const COLUMNS: [&str; 15] = [
    "time_period",
    "geographic_level",
    "country_name",
    "region_name",
    "la_name",
    "new_la_code",
    "inpost_fte",
    "starters_fte",
    "leavers_fte",
    "turnover_rate_fte",
    "agency_fte",
    "agency_rate_fte",
    "vacancy_fte",
    "vacancy_rate_fte",
    "caseload_fte",
];

/// The symbols DfE statistics use in place of a number, with their meaning.
pub const SYMBOLS: [(&str, &str); 5] = [
    ("x", "not available"),
    ("c", "confidential"),
    ("z", "not applicable"),
    ("u", "low reliability"),
    ("low", "rounds to zero"),
];

/// A figure as published: a number, or a symbol saying why there is none.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    Number(f64),
    /// One of [`SYMBOLS`], or empty for a blank cell.
    Symbol(String),
}

impl Entry {
    pub fn number(&self) -> Option<f64> {
        match self {
            Entry::Number(x) => Some(*x),
            Entry::Symbol(_) => None,
        }
    }
}

/// The census level of an area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    National,
    Regional,
    Council,
}

/// One of the figures of a census year. Rates are shares (0-1), converted from the file's
/// percentages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Indicator {
    InPost,
    Starters,
    Leavers,
    Turnover,
    Agency,
    AgencyRate,
    Vacancies,
    VacancyRate,
    Caseload,
}

impl Indicator {
    pub const ALL: [Indicator; 9] = [
        Indicator::InPost,
        Indicator::Starters,
        Indicator::Leavers,
        Indicator::Turnover,
        Indicator::Agency,
        Indicator::AgencyRate,
        Indicator::Vacancies,
        Indicator::VacancyRate,
        Indicator::Caseload,
    ];

    /// The file's column for this measure.
    pub fn column(self) -> &'static str {
        match self {
            Indicator::InPost => "inpost_fte",
            Indicator::Starters => "starters_fte",
            Indicator::Leavers => "leavers_fte",
            Indicator::Turnover => "turnover_rate_fte",
            Indicator::Agency => "agency_fte",
            Indicator::AgencyRate => "agency_rate_fte",
            Indicator::Vacancies => "vacancy_fte",
            Indicator::VacancyRate => "vacancy_rate_fte",
            Indicator::Caseload => "caseload_fte",
        }
    }

    /// In words, for tables and flags.
    pub fn label(self) -> &'static str {
        match self {
            Indicator::InPost => "in post",
            Indicator::Starters => "starters",
            Indicator::Leavers => "leavers",
            Indicator::Turnover => "turnover",
            Indicator::Agency => "agency",
            Indicator::AgencyRate => "agency rate",
            Indicator::Vacancies => "vacancies",
            Indicator::VacancyRate => "vacancy rate",
            Indicator::Caseload => "caseload",
        }
    }

    /// Published as a percentage in the file, held here as a share.
    pub fn is_rate(self) -> bool {
        matches!(
            self,
            Indicator::Turnover | Indicator::AgencyRate | Indicator::VacancyRate
        )
    }
}

/// One area's figures at the census date (30 September) of one year.
#[derive(Clone, Debug, PartialEq)]
pub struct Year {
    pub year: i32,
    /// The line of the file it was read from.
    pub line: usize,
    /// In the order of [`Indicator::ALL`].
    pub values: [Entry; 9],
}

impl Year {
    pub fn get(&self, m: Indicator) -> &Entry {
        &self.values[m as usize]
    }
}

/// England, a region or a council, with its years in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    pub name: String,
    pub level: Level,
    /// The region a council is in; empty for England and the regions.
    pub region: String,
    /// The council's new LA code (e.g. E08000008); empty for England and the regions.
    pub code: String,
    pub years: Vec<Year>,
}

/// The whole census file.
#[derive(Clone, Debug)]
pub struct Census {
    pub file: String,
    /// SHA-256 of the file's text, for reproducing what was read.
    pub sha256: String,
    /// England first, then the regions, then the councils, each in file order.
    pub areas: Vec<Area>,
}

#[derive(Debug, thiserror::Error)]
pub enum CensusError {
    #[error("cannot read census file {path}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Invalid(#[from] ScenarioErrors),
    #[error(
        "{file} has no council, region or England named `{query}`{}",
        if nearest.is_empty() { String::new() } else { format!("; nearest: {}", nearest.join(", ")) }
    )]
    NotFound {
        file: String,
        query: String,
        nearest: Vec<String>,
    },
}

/// Reads and checks the census file at `path`.
pub fn read(path: &Path) -> Result<Census, CensusError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| CensusError::Read {
        path: file.clone(),
        source,
    })?;
    parse(&file, &text)
}

/// Parses census text; `file` names it in messages. Every problem is reported at once.
pub fn parse(file: &str, text: &str) -> Result<Census, CensusError> {
    // Of the file as it is, so that it matches `sha256sum`.
    let sha256 = crate::scenario::diag::sha256_hex(text.as_bytes());
    // Files saved by spreadsheet programs may start with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut problems = Vec::new();
    let problem = |line: usize, column: usize, key: &str, message: String| Diagnostic {
        file: file.to_string(),
        line,
        column,
        key: key.to_string(),
        message,
    };
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(problem(1, 1, "", format!("not a CSV file: {e}")));
            return Err(errors(file, problems));
        }
    };
    let index: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h, i)).collect();
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| !index.contains_key(c))
        .collect();
    if !missing.is_empty() {
        problems.push(problem(
            1,
            1,
            "",
            format!(
                "no column {}; the DfE children's social work workforce census file \
                 (csww_indicators) has them in its first line",
                missing
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
        return Err(errors(file, problems));
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut areas: Vec<Area> = Vec::new();
    let mut seen: HashMap<(Level, String), usize> = HashMap::new();
    let mut first_line: HashMap<(usize, i32), usize> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize);
                problems.push(problem(line, 1, "", format!("not a CSV line: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(1, |p| p.line() as usize);
        let raw = lines.get(line.wrapping_sub(1)).copied().unwrap_or("");
        let field = |name: &str| record.get(index[name]).unwrap_or("").trim();
        let at = |name: &str| column_of(raw, index[name]);
        let mut bad = false;
        let year = match field("time_period").parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => y,
            _ => {
                problems.push(problem(
                    line,
                    at("time_period"),
                    "time_period",
                    format!(
                        "found \"{}\"; allowed: a year such as 2022",
                        field("time_period")
                    ),
                ));
                bad = true;
                0
            }
        };
        let (level, name) = match field("geographic_level") {
            "National" => (Level::National, field("country_name")),
            "Regional" => (Level::Regional, field("region_name")),
            "Local authority" => (Level::Council, field("la_name")),
            other => {
                problems.push(problem(
                    line,
                    at("geographic_level"),
                    "geographic_level",
                    format!("found \"{other}\"; allowed: National, Regional or Local authority"),
                ));
                bad = true;
                (Level::National, "")
            }
        };
        let values = Indicator::ALL.map(|m| {
            let text = field(m.column());
            match parse_value(text, m.is_rate()) {
                Ok(v) => v,
                Err(allowed) => {
                    problems.push(problem(
                        line,
                        at(m.column()),
                        m.column(),
                        format!("found \"{text}\"; allowed: {allowed}"),
                    ));
                    bad = true;
                    Entry::Symbol(String::new())
                }
            }
        });
        if name.is_empty() && !bad {
            let column = match level {
                Level::National => "country_name",
                Level::Regional => "region_name",
                Level::Council => "la_name",
            };
            problems.push(problem(
                line,
                at(column),
                column,
                format!(
                    "empty; a {} row names its area here",
                    field("geographic_level")
                ),
            ));
            bad = true;
        }
        if bad {
            continue;
        }
        let key = (level, name.to_string());
        let ai = *seen.entry(key).or_insert_with(|| {
            areas.push(Area {
                name: name.to_string(),
                level,
                region: if level == Level::Council {
                    field("region_name").to_string()
                } else {
                    String::new()
                },
                code: if level == Level::Council {
                    field("new_la_code").to_string()
                } else {
                    String::new()
                },
                years: Vec::new(),
            });
            areas.len() - 1
        });
        if let Some(&first) = first_line.get(&(ai, year)) {
            problems.push(problem(
                line,
                at("time_period"),
                "time_period",
                format!("a second row for {name} in {year}; the first is on line {first}"),
            ));
            continue;
        }
        first_line.insert((ai, year), line);
        areas[ai].years.push(Year { year, line, values });
    }
    if !problems.is_empty() {
        return Err(errors(file, problems));
    }
    for a in &mut areas {
        a.years.sort_by_key(|y| y.year);
    }
    areas.sort_by_key(|a| match a.level {
        Level::National => 0,
        Level::Regional => 1,
        Level::Council => 2,
    });
    Ok(Census {
        file: file.to_string(),
        sha256,
        areas,
    })
}

fn errors(file: &str, diagnostics: Vec<Diagnostic>) -> CensusError {
    CensusError::Invalid(ScenarioErrors {
        file: file.to_string(),
        diagnostics,
    })
}

/// A cell: a non-negative number (a percentage for rates, at most 100), a DfE symbol or blank.
fn parse_value(text: &str, rate: bool) -> Result<Entry, &'static str> {
    let allowed = if rate {
        "a percentage from 0 to 100, or a DfE symbol (x, c, z, u, low)"
    } else {
        "a number of FTE, at least 0, or a DfE symbol (x, c, z, u, low)"
    };
    if text.is_empty() || SYMBOLS.iter().any(|(s, _)| *s == text) {
        return Ok(Entry::Symbol(text.to_string()));
    }
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 && (!rate || x <= 100.0) => {
            Ok(Entry::Number(if rate { x / 100.0 } else { x }))
        }
        _ => Err(allowed),
    }
}

/// The 1-based character column where field `index` starts in a CSV line (quotes respected).
fn column_of(line: &str, index: usize) -> usize {
    let mut field = 0;
    let mut quoted = false;
    for (col, c) in line.chars().enumerate() {
        if field == index {
            return col + 1;
        }
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => field += 1,
            _ => {}
        }
    }
    line.chars().count() + 1
}

impl Census {
    pub fn england(&self) -> Option<&Area> {
        self.areas.iter().find(|a| a.level == Level::National)
    }

    pub fn region(&self, name: &str) -> Option<&Area> {
        self.areas
            .iter()
            .find(|a| a.level == Level::Regional && a.name == name)
    }

    /// The area a user means: a council, region or England by name (any case), or a council by its
    /// LA code. A name that is part of exactly one area's name also finds it ("Bristol" finds
    /// "Bristol, City of").
    pub fn find(&self, query: &str) -> Result<&Area, CensusError> {
        let q = query.trim().to_lowercase();
        let exact = self.areas.iter().find(|a| {
            a.name.to_lowercase() == q || (!a.code.is_empty() && a.code.to_lowercase() == q)
        });
        if let Some(a) = exact {
            return Ok(a);
        }
        let partial: Vec<&Area> = if q.is_empty() {
            Vec::new()
        } else {
            self.areas
                .iter()
                .filter(|a| a.name.to_lowercase().contains(&q))
                .collect()
        };
        if let [a] = partial.as_slice() {
            return Ok(a);
        }
        let mut nearest: Vec<(f64, &str)> = if partial.is_empty() {
            self.areas
                .iter()
                .map(|a| {
                    (
                        strsim::jaro_winkler(&q, &a.name.to_lowercase()),
                        a.name.as_str(),
                    )
                })
                .filter(|(score, _)| *score >= 0.8)
                .collect()
        } else {
            // Names that start with the query first, then the shortest.
            partial
                .iter()
                .map(|a| {
                    let n = a.name.to_lowercase();
                    let starts = if n.starts_with(&q) { 1.0 } else { 0.0 };
                    (starts - n.len() as f64 / 1000.0, a.name.as_str())
                })
                .collect()
        };
        nearest.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        nearest.truncate(5);
        Err(CensusError::NotFound {
            file: self.file.clone(),
            query: query.to_string(),
            nearest: nearest.into_iter().map(|(_, n)| n.to_string()).collect(),
        })
    }
}

/// How far a flagged value can be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trust {
    /// Taken as a reporting artefact: left out of [`summary`].
    LeftOut,
    /// Plausible but worth checking before quoting: kept.
    Check,
}

/// Something wrong, or worth checking, in one year's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Flag {
    pub year: i32,
    /// The measures it concerns, each marked in the table `wfsim census` prints.
    pub measures: Vec<Indicator>,
    pub trust: Trust,
    pub message: String,
}

/// Below this many FTE in post, a year with no starters or no leavers is plausible: flagged to check,
/// not left out. (At 15% turnover, 20 FTE expect 3 leavers a year, and none in 5% of years.)
pub const SMALL: f64 = 20.0;

/// A published rate further than this (a share: 0.1 percentage point) from the rate its own counts
/// give, beyond what rounding the counts can explain, is flagged. The file rounds rates to 0.1 point,
/// which moves a rate by at most half this.
pub const RATE_TOLERANCE: f64 = 0.001;

/// Half the 0.1 FTE to which the file rounds counts.
const COUNT_ROUNDING: f64 = 0.05;

/// In-post FTE changing by more than this share from one year to the next is flagged for checking:
/// a council's count rarely moves so far unless what it counts changed.
pub const JUMP: f64 = 1.0 / 3.0;

/// Every flag on an area's figures, year by year. The rules, in order:
/// 1. a turnover rate published with no staff in post, where it is not defined: left out;
/// 2. no starters, or no leavers, with [`SMALL`] FTE or more in post: taken as a reporting artefact;
///    the count (and, for leavers, the turnover rate) are left out. With fewer in post, kept, to
///    check;
/// 3. a published rate more than [`RATE_TOLERANCE`], plus what rounding the counts can move it, from
///    the rate its counts give under the DfE definitions: kept, to check (a region's rate may be
///    over the councils that gave both counts);
/// 4. in-post FTE changing by more than [`JUMP`] from the year before: kept, to check.
///
/// Symbols (not published) need no flag: they are shown as published and left out.
pub fn flags(area: &Area) -> Vec<Flag> {
    let mut out = Vec::new();
    let mut before: Option<(i32, f64)> = None;
    for y in &area.years {
        let n = |m: Indicator| y.get(m).number();
        let in_post = n(Indicator::InPost);
        match in_post {
            Some(p) if p <= 0.0 => {
                if let Some(t) = n(Indicator::Turnover) {
                    out.push(Flag {
                        year: y.year,
                        measures: vec![Indicator::Turnover],
                        trust: Trust::LeftOut,
                        message: format!(
                            "turnover published as {} with no staff in post, where it is not \
                             defined: left out",
                            pct(t)
                        ),
                    });
                }
            }
            Some(p) => {
                for (m, also) in [
                    (Indicator::Starters, None),
                    (Indicator::Leavers, Some(Indicator::Turnover)),
                ] {
                    if n(m) != Some(0.0) {
                        continue;
                    }
                    let with = if also.is_some() {
                        ", with the year's turnover"
                    } else {
                        ""
                    };
                    out.push(if p >= SMALL {
                        Flag {
                            year: y.year,
                            measures: std::iter::once(m).chain(also).collect(),
                            trust: Trust::LeftOut,
                            message: format!(
                                "0 {} reported with {} FTE in post: taken as a reporting \
                                 artefact and left out{with}",
                                m.label(),
                                fte(p)
                            ),
                        }
                    } else {
                        Flag {
                            year: y.year,
                            measures: vec![m],
                            trust: Trust::Check,
                            message: format!(
                                "0 {} reported with {} FTE in post: possible with so few staff, \
                                 but worth checking",
                                m.label(),
                                fte(p)
                            ),
                        }
                    });
                }
                let leavers_ok = n(Indicator::Leavers).is_some_and(|l| l > 0.0);
                // Each rate from its counts, with how far rounding each count by up to
                // COUNT_ROUNDING can move it (the sum of its partial derivatives' sizes).
                let checks = [
                    (
                        Indicator::Turnover,
                        n(Indicator::Leavers)
                            .filter(|_| leavers_ok)
                            .map(|l| (l / p, COUNT_ROUNDING * (1.0 / p + l / (p * p)))),
                        "leavers / in post",
                    ),
                    (
                        Indicator::AgencyRate,
                        n(Indicator::Agency).map(|a| (a / (a + p), COUNT_ROUNDING / (a + p))),
                        "agency / (agency + in post)",
                    ),
                    (
                        Indicator::VacancyRate,
                        n(Indicator::Vacancies).map(|v| (v / (v + p), COUNT_ROUNDING / (v + p))),
                        "vacancies / (vacancies + in post)",
                    ),
                ];
                for (m, from_counts, how) in checks {
                    if let (Some(published), Some((computed, rounding))) = (n(m), from_counts)
                        && (published - computed).abs() > RATE_TOLERANCE + rounding
                    {
                        out.push(Flag {
                            year: y.year,
                            measures: vec![m],
                            trust: Trust::Check,
                            message: format!(
                                "{} published as {}, but {how} gives {}; check which base \
                                 the published rate uses",
                                m.label(),
                                pct(published),
                                pct(computed)
                            ),
                        });
                    }
                }
                if let Some((year, last)) = before
                    && year == y.year - 1
                    && last > 0.0
                    && (p / last - 1.0).abs() > JUMP
                {
                    out.push(Flag {
                        year: y.year,
                        measures: vec![Indicator::InPost],
                        trust: Trust::Check,
                        message: format!(
                            "in post {} from {} to {} FTE ({:+.0}%) in a year; check whether \
                             what is counted changed",
                            if p > last { "rises" } else { "falls" },
                            fte(last),
                            fte(p),
                            100.0 * (p / last - 1.0)
                        ),
                    });
                }
            }
            None => {}
        }
        before = in_post.map(|p| (y.year, p));
    }
    out
}

/// Whether one of `flags` with the given trust concerns a year's value of a measure.
fn flagged(flags: &[Flag], year: i32, m: Indicator, trust: Trust) -> bool {
    flags
        .iter()
        .any(|f| f.year == year && f.trust == trust && f.measures.contains(&m))
}

/// Whether a year's value of a measure is left out by one of `flags`.
pub fn left_out(flags: &[Flag], year: i32, m: Indicator) -> bool {
    flagged(flags, year, m, Trust::LeftOut)
}

/// A measure over the years whose value is published and not left out.
#[derive(Clone, Debug, PartialEq)]
pub struct Usable {
    /// The years used, in order.
    pub years: Vec<i32>,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    /// The last usable year and its value.
    pub latest: (i32, f64),
}

/// Mean, range and latest value of each measure over the usable years; `None` for a measure with
/// no usable year.
pub fn summary(area: &Area, flags: &[Flag], m: Indicator) -> Option<Usable> {
    let used: Vec<(i32, f64)> = area
        .years
        .iter()
        .filter(|y| !left_out(flags, y.year, m))
        .filter_map(|y| y.get(m).number().map(|x| (y.year, x)))
        .collect();
    if used.is_empty() {
        return None;
    }
    let values = || used.iter().map(|&(_, x)| x);
    Some(Usable {
        years: used.iter().map(|&(y, _)| y).collect(),
        mean: values().sum::<f64>() / used.len() as f64,
        min: values().fold(f64::INFINITY, f64::min),
        max: values().fold(f64::NEG_INFINITY, f64::max),
        latest: used[used.len() - 1],
    })
}

/// One area's census figures with their flags, carried beside a run's results so that the
/// projection can be set against what was published.
#[derive(Clone, Debug, PartialEq)]
pub struct Published {
    /// The census file, as given.
    pub file: String,
    /// SHA-256 of the census file.
    pub sha256: String,
    pub area: Area,
    pub flags: Vec<Flag>,
}

impl Published {
    pub fn of(census: &Census, area: &Area) -> Published {
        Published {
            file: census.file.clone(),
            sha256: census.sha256.clone(),
            area: area.clone(),
            flags: flags(area),
        }
    }

    /// The year's published value of a measure, with `*` when it is left out as an artefact or `?`
    /// when it is worth checking; `None` when the census has no row for the year.
    pub fn marked(&self, year: i32, m: Indicator) -> Option<(Entry, &'static str)> {
        let y = self.area.years.iter().find(|y| y.year == year)?;
        Some((y.get(m).clone(), mark(&self.flags, year, m)))
    }
}

/// `*` for a value left out by `flags`, `?` for one worth checking, else empty.
pub fn mark(flags: &[Flag], year: i32, m: Indicator) -> &'static str {
    if left_out(flags, year, m) {
        "*"
    } else if flagged(flags, year, m, Trust::Check) {
        "?"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "time_period,time_identifier,geographic_level,country_code,country_name,\
region_code,region_name,old_la_code,new_la_code,la_name,inpost_fte,starters_fte,leavers_fte,\
turnover_rate_fte,agency_fte,agency_rate_fte,vacancy_fte,vacancy_rate_fte,caseload_fte";

    fn row(year: i32, level: &str, region: &str, la: &str, figures: &str) -> String {
        format!(
            "{year},Reporting year,{level},E92000001,England,E1,{region},1,E0{},{la},{figures}",
            la.len()
        )
    }

    /// A file of the header and `rows`.
    fn file(rows: &[String]) -> String {
        std::iter::once(HEADER.to_string())
            .chain(rows.iter().cloned())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Rows of a council in the North, one per `(year, figures)`.
    fn council_rows(name: &str, years: &[(i32, &str)]) -> Vec<String> {
        years
            .iter()
            .map(|&(year, figures)| row(year, "Local authority", "North", name, figures))
            .collect()
    }

    /// The one council such rows read as.
    fn council(name: &str, years: &[(i32, &str)]) -> Area {
        parse("c.csv", &file(&council_rows(name, years)))
            .unwrap()
            .areas
            .remove(0)
    }

    fn sample() -> String {
        file(&[
            row(
                2022,
                "National",
                "",
                "",
                "100.0,20.0,10.0,10.0,25.0,20.0,11.1,10.0,15.0",
            ),
            row(
                2022,
                "Regional",
                "North",
                "",
                "50.0,5.0,5.0,10.0,10.0,14.0,5.0,9.1,16.0",
            ),
            row(
                2021,
                "Local authority",
                "North",
                "\"Town, City of\"",
                "100.0,20.0,25.0,25.0,25.0,20.0,25.0,20.0,x",
            ),
            row(
                2022,
                "Local authority",
                "North",
                "\"Town, City of\"",
                "140.0,0,14.0,10.0,60.0,30.0,35.0,20.0,17.5",
            ),
            row(
                2023,
                "Local authority",
                "North",
                "\"Town, City of\"",
                "140.0,30.0,0,0,x,x,35.0,20.0,18.0",
            ),
            row(
                2022,
                "Local authority",
                "North",
                "Village",
                "0,0,0,z,0,z,0,z,z",
            ),
        ])
    }

    #[test]
    fn reads_areas_years_and_shares() {
        let c = parse("c.csv", &sample()).unwrap();
        let names: Vec<(&str, Level)> =
            c.areas.iter().map(|a| (a.name.as_str(), a.level)).collect();
        assert_eq!(
            names,
            [
                ("England", Level::National),
                ("North", Level::Regional),
                ("Town, City of", Level::Council),
                ("Village", Level::Council)
            ]
        );
        let town = &c.areas[2];
        assert_eq!(town.region, "North");
        assert_eq!(
            town.years.iter().map(|y| y.year).collect::<Vec<_>>(),
            [2021, 2022, 2023]
        );
        // Rates become shares; counts stay FTE; symbols stay as published.
        assert_eq!(
            town.years[1].get(Indicator::AgencyRate),
            &Entry::Number(0.3)
        );
        assert_eq!(town.years[1].get(Indicator::Agency), &Entry::Number(60.0));
        assert_eq!(
            town.years[0].get(Indicator::Caseload),
            &Entry::Symbol("x".into())
        );
        assert_eq!(town.years[1].line, 5);
    }

    #[test]
    fn finds_by_name_code_or_a_unique_part_and_suggests_otherwise() {
        let c = parse("c.csv", &sample()).unwrap();
        assert_eq!(c.find("town, city of").unwrap().name, "Town, City of");
        assert_eq!(c.find("Town").unwrap().name, "Town, City of");
        assert_eq!(c.find("e015").unwrap().name, "Town, City of");
        assert_eq!(c.find("ENGLAND").unwrap().level, Level::National);
        let e = c.find("Vilage").unwrap_err().to_string();
        assert_eq!(
            e,
            "c.csv has no council, region or England named `Vilage`; nearest: Village"
        );
        let e = c.find("Metropolis").unwrap_err().to_string();
        assert_eq!(
            e,
            "c.csv has no council, region or England named `Metropolis`"
        );
    }

    #[test]
    fn flags_artefacts_inconsistent_rates_and_jumps() {
        let c = parse("c.csv", &sample()).unwrap();
        let town = &c.areas[2];
        let f = flags(town);
        let got: Vec<(i32, Indicator, Trust)> =
            f.iter().map(|f| (f.year, f.measures[0], f.trust)).collect();
        assert_eq!(
            got,
            [
                // 2021: 25 / 100 = 25% turnover, 25 / 125 = 20% agency and vacancy: consistent.
                // 2022: no starters; agency 60 / 200 = 30% as published; turnover 14 / 140 = 10%;
                // vacancies 35 / 175 = 20%; in post rises 40%.
                (2022, Indicator::Starters, Trust::LeftOut),
                (2022, Indicator::InPost, Trust::Check),
                // 2023: no leavers, so the 0% turnover goes too; the rest is consistent.
                (2023, Indicator::Leavers, Trust::LeftOut),
            ]
        );
        assert_eq!(f[2].measures, [Indicator::Leavers, Indicator::Turnover]);
        assert_eq!(
            f[0].message,
            "0 starters reported with 140.0 FTE in post: taken as a reporting artefact and left out"
        );
        assert_eq!(
            f[1].message,
            "in post rises from 100.0 to 140.0 FTE (+40%) in a year; check whether what is \
             counted changed"
        );
        // The region's agency rate: 10 / 60 = 16.7% against 14.0% published.
        let region = flags(&c.areas[1]);
        assert_eq!(region.len(), 1);
        assert_eq!(
            region[0].message,
            "agency rate published as 14.0%, but agency / (agency + in post) gives 16.7%; check \
             which base the published rate uses"
        );
        // No staff in post and turnover `z`: nothing to flag. A number there instead is left out.
        assert_eq!(flags(&c.areas[3]), []);
        let village = council("Village", &[(2022, "0,0,0,5.0,0,z,0,z,z")]);
        let f = flags(&village);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "turnover published as 5.0% with no staff in post, where it is not defined: left out"
        );
        assert!(left_out(&f, 2022, Indicator::Turnover));
        // 1 leaver of 10 FTE is 10.0%, but 10.3% published is within what rounding both counts to
        // 0.1 FTE can give (up to 0.1 + 100 x 0.05 x (1/10 + 1/100) = 0.65 points away).
        let f = flags(&council(
            "Hamlet",
            &[
                (2022, "10.0,1.0,1.0,10.3,0,0,0,0,9"),
                (2023, "10.0,1.0,1.0,10.7,0,0,0,0,9"),
            ],
        ));
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].year, f[0].measures[0]), (2023, Indicator::Turnover));
        // A small service with no leavers: plausible, so kept and flagged to check.
        let hamlet = council("Hamlet", &[(2022, "8.0,1.0,0,0,1,11.1,0,0,9")]);
        let f = flags(&hamlet);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "0 leavers reported with 8.0 FTE in post: possible with so few staff, but worth checking"
        );
        assert_eq!(summary(&hamlet, &f, Indicator::Turnover).unwrap().mean, 0.0);
    }

    #[test]
    fn summary_leaves_out_flagged_and_unpublished_values() {
        let c = parse("c.csv", &sample()).unwrap();
        let town = &c.areas[2];
        let f = flags(town);
        // Turnover: 25% (2021) and 10% (2022); 2023's 0% goes with its zero leavers.
        let t = summary(town, &f, Indicator::Turnover).unwrap();
        assert_eq!(t.years, [2021, 2022]);
        assert!((t.mean - 0.175).abs() < 1e-12);
        assert_eq!((t.min, t.max), (0.1, 0.25));
        assert_eq!(t.latest, (2022, 0.1));
        // Agency rate: 2023 is `x`.
        let a = summary(town, &f, Indicator::AgencyRate).unwrap();
        assert_eq!(a.years, [2021, 2022]);
        // Starters: 2022's zero is left out; in post's jump is only to check, so it stays.
        assert_eq!(
            summary(town, &f, Indicator::Starters).unwrap().years,
            [2021, 2023]
        );
        assert_eq!(
            summary(town, &f, Indicator::InPost).unwrap().years,
            [2021, 2022, 2023]
        );
        assert_eq!(
            summary(&c.areas[3], &flags(&c.areas[3]), Indicator::Turnover),
            None
        );
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_line_and_column() {
        let text = file(&[
            row(
                2022,
                "Local authority",
                "North",
                "Town",
                "100,10,-1,10,0,0,0,0,1",
            ),
            row(20222, "County", "North", "Town", "100,10,1,101,0,0,0,0,1"),
        ]);
        let lines: Vec<&str> = text.lines().collect();
        let col = |line: usize, cell: &str| lines[line - 1].find(cell).unwrap() + 2;
        let e = parse("c.csv", &text).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "c.csv has 4 problems:\n  c.csv:2:{}: `leavers_fte`: found \"-1\"; allowed: a \
                 number of FTE, at least 0, or a DfE symbol (x, c, z, u, low)\n  c.csv:3:1: \
                 `time_period`: found \"20222\"; allowed: a year such as 2022\n  c.csv:3:22: \
                 `geographic_level`: found \"County\"; allowed: National, Regional or Local \
                 authority\n  c.csv:3:{}: `turnover_rate_fte`: found \"101\"; allowed: a \
                 percentage from 0 to 100, or a DfE symbol (x, c, z, u, low)",
                col(2, ",-1,"),
                col(3, ",101,"),
            )
        );
    }

    #[test]
    fn missing_columns_and_repeated_rows_are_errors() {
        let e = parse("c.csv", "time_period,la_name\n2022,Town\n").unwrap_err();
        assert!(
            e.to_string().starts_with(
                "c.csv has 1 problem:\n  c.csv:1:1: no column `geographic_level`, `country_name`"
            ),
            "{e}"
        );
        let text = file(&council_rows(
            "Town",
            &[(2022, "1,1,1,1,1,1,1,1,1"), (2022, "1,1,1,1,1,1,1,1,1")],
        ));
        let e = parse("c.csv", &text).unwrap_err().to_string();
        assert!(
            e.ends_with("`time_period`: a second row for Town in 2022; the first is on line 2"),
            "{e}"
        );
        // A council row without its council's name.
        let text = file(&council_rows("", &[(2022, "1,1,1,1,1,1,1,1,1")]));
        let e = parse("c.csv", &text).unwrap_err().to_string();
        assert!(
            e.ends_with("`la_name`: empty; a Local authority row names its area here"),
            "{e}"
        );
        // A byte-order mark before the header is not part of the first column's name.
        let text = format!("\u{feff}{}", sample());
        assert_eq!(parse("c.csv", &text).unwrap().areas.len(), 4);
        // A line cut short is reported, not read as blanks.
        let text = format!("{HEADER}\n2022,Reporting year,National\n");
        let e = parse("c.csv", &text).unwrap_err().to_string();
        assert!(
            e.starts_with("c.csv has 1 problem:\n  c.csv:2:1: not a CSV line: "),
            "{e}"
        );
    }
}
