//! The DfE children's social work workforce census, read from the file users download.
//!
//! Councils set projections beside their published figures and build scenarios from them (the
//! bundled scenarios' comments quote them). The census file (`csww_indicators_2017_to_2025.csv` and
//! its successors) also holds reporting artefacts, such as a council reporting no leavers in a year
//! with hundreds of social workers in post, and suppressed values. This module reads the file into
//! areas (England, regions, councils) and flags every such value, so that nothing built on the file
//! trusts it silently. It reads (`read`) and judges (`flags`); `join` sets a projection beside it;
//! `variation` writes the `[variation]` `calibrate` estimates; `output::census` prints.

pub mod backtest;
pub mod calibrate;
pub mod council;
mod flags;
pub mod init;
pub mod join;
pub mod read;
pub mod variation;

pub use flags::{Flag, Trust, Usable, flags, left_out, mark, summary};
pub use read::{parse, read};

/// The name of the census file wfsim ships in `assets/census/`, so that `init` needs no download.
pub const SHIPPED_NAME: &str = "csww_indicators_2017_to_2025.csv";

const SHIPPED: &str = include_str!("../../assets/census/csww_indicators_2017_to_2025.csv");

/// The census wfsim ships (DfE, Open Government Licence v3.0).
pub fn shipped() -> Result<Census, CensusError> {
    parse(SHIPPED_NAME, SHIPPED)
}

use crate::model::format::grouped;
use crate::scenario::diag::ScenarioErrors;

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

/// Columns wfsim reads when the file has them; a file without one reads as if its cells were
/// blank.
pub const OPTIONAL_COLUMNS: [&str; 3] = ["agency_cover_fte", "case_holders_fte", "cases"];

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
    /// Agency FTE covering vacancies (the rest cover absence or extra work).
    AgencyCover,
    Vacancies,
    VacancyRate,
    /// Case-holding FTE, permanent and agency (siblings' cases count apart).
    CaseHolders,
    /// Cases held by the case-holders.
    Cases,
    /// Cases per case-holding FTE.
    Caseload,
}

impl Indicator {
    pub const ALL: [Indicator; 12] = [
        Indicator::InPost,
        Indicator::Starters,
        Indicator::Leavers,
        Indicator::Turnover,
        Indicator::Agency,
        Indicator::AgencyRate,
        Indicator::AgencyCover,
        Indicator::Vacancies,
        Indicator::VacancyRate,
        Indicator::CaseHolders,
        Indicator::Cases,
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
            Indicator::AgencyCover => "agency_cover_fte",
            Indicator::Vacancies => "vacancy_fte",
            Indicator::VacancyRate => "vacancy_rate_fte",
            Indicator::CaseHolders => "case_holders_fte",
            Indicator::Cases => "cases",
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
            Indicator::AgencyCover => "agency cover",
            Indicator::Vacancies => "vacancies",
            Indicator::VacancyRate => "vacancy rate",
            Indicator::CaseHolders => "case holders",
            Indicator::Cases => "cases",
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
    pub values: [Entry; Indicator::ALL.len()],
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
    #[error(
        "{path} is {:.1} MB ({} bytes); the DfE census file is under 1 MB, and wfsim reads census files of at most {:.1} MB ({} bytes): is it the right file?",
        *bytes as f64 / 1e6,
        grouped(*bytes),
        read::MAX_BYTES as f64 / 1e6,
        grouped(read::MAX_BYTES)
    )]
    TooLarge { path: String, bytes: u64 },
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
    #[error(
        "`{query}` is part of {count} names in {file} ({}{}); give more of the name, or its LA code",
        matching.join(", "),
        if *count > matching.len() { ", ..." } else { "" }
    )]
    Ambiguous {
        file: String,
        query: String,
        count: usize,
        matching: Vec<String>,
    },
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
        if partial.len() > 1 {
            return Err(CensusError::Ambiguous {
                file: self.file.clone(),
                query: query.to_string(),
                count: partial.len(),
                matching: nearest.into_iter().map(|(_, n)| n.to_string()).collect(),
            });
        }
        Err(CensusError::NotFound {
            file: self.file.clone(),
            query: query.to_string(),
            nearest: nearest.into_iter().map(|(_, n)| n.to_string()).collect(),
        })
    }
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
        // A part of several names: said, with them.
        let e = c.find("i").unwrap_err().to_string();
        assert!(e.starts_with("`i` is part of "), "{e}");
        assert!(
            e.ends_with("; give more of the name, or its LA code"),
            "{e}"
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
    fn no_cases_or_no_case_holders_are_left_out_with_the_caseload() {
        // A file with the optional case columns after the others.
        let with_cases = |figures: &str| {
            format!(
                "{HEADER},case_holders_fte,cases\n{}",
                row(2022, "Local authority", "North", "Town", figures)
            )
        };
        let flags_of =
            |figures: &str| flags(&parse("c.csv", &with_cases(figures)).unwrap().areas[0]);
        // 100 FTE in post and 60 case-holding FTE holding no cases: not counted, so the cases,
        // the case-holders and the caseload are all left out.
        let f = flags_of("100.0,20.0,20.0,20.0,0,0,0,0,0,60.0,0");
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].measures,
            [
                Indicator::Cases,
                Indicator::CaseHolders,
                Indicator::Caseload
            ]
        );
        assert_eq!(
            f[0].message,
            "0 cases reported with 100.0 FTE in post: taken as a reporting artefact and left out, \
             with the year's case holders and caseload"
        );
        assert!(left_out(&f, 2022, Indicator::Caseload));
        // 1,500 cases held by no one.
        let f = flags_of("100.0,20.0,20.0,20.0,0,0,0,0,0,0,1500");
        assert_eq!(
            (f.len(), f[0].measures[0], f[0].trust),
            (1, Indicator::CaseHolders, Trust::LeftOut)
        );
        assert!(left_out(&f, 2022, Indicator::Cases));
        // Fewer than 20 in post: possible, so kept, to check.
        let f = flags_of("10.0,2.0,2.0,20.0,0,0,0,0,0,6.0,0");
        assert_eq!((f.len(), f[0].trust), (1, Trust::Check));
        // Cases, case-holders and caseload as they should be: nothing to flag.
        assert_eq!(flags_of("100.0,20.0,20.0,20.0,0,0,0,0,16.0,60.0,960"), []);
        let town = parse(
            "c.csv",
            &with_cases("100.0,20.0,20.0,20.0,0,0,0,0,16.0,60.0,960"),
        )
        .unwrap()
        .areas
        .remove(0);
        assert_eq!(town.years[0].get(Indicator::Cases), &Entry::Number(960.0));
        assert_eq!(
            town.years[0].get(Indicator::CaseHolders),
            &Entry::Number(60.0)
        );
        // Without the columns, their cells read as blank.
        let c = parse("c.csv", &sample()).unwrap();
        assert_eq!(
            c.areas[2].years[0].get(Indicator::Cases),
            &Entry::Symbol(String::new())
        );
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
