//! Reading the census file as DfE publishes it: every cell checked, every problem reported at once
//! with its line and column.

use std::collections::HashMap;
use std::path::Path;

use super::{Area, COLUMNS, Census, CensusError, Entry, Indicator, Level, SYMBOLS, Year};
use crate::scenario::diag::{Diagnostic, ScenarioErrors};

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
    let problem = |line: usize, column: usize, key: &str, message: String| Diagnostic {
        file: file.to_string(),
        line,
        column,
        key: key.to_string(),
        message,
    };
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let index = columns(&mut reader).map_err(|m| errors(file, vec![problem(1, 1, "", m)]))?;
    let lines: Vec<&str> = text.lines().collect();
    let mut problems = Vec::new();
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
        let field = |name: &str| {
            index
                .get(name)
                .and_then(|&i| record.get(i))
                .unwrap_or("")
                .trim()
        };
        let at = |name: &str| index.get(name).map_or(1, |&i| column_of(raw, i));
        let mut report =
            |name: &str, message: String| problems.push(problem(line, at(name), name, message));
        let Some(row) = row(&field, &mut report) else {
            continue;
        };
        let ai = *seen
            .entry((row.level, row.name.to_string()))
            .or_insert_with(|| {
                let council = row.level == Level::Council;
                areas.push(Area {
                    name: row.name.to_string(),
                    level: row.level,
                    region: if council {
                        field("region_name").to_string()
                    } else {
                        String::new()
                    },
                    code: if council {
                        field("new_la_code").to_string()
                    } else {
                        String::new()
                    },
                    years: Vec::new(),
                });
                areas.len() - 1
            });
        if let Some(&first) = first_line.get(&(ai, row.year)) {
            report(
                "time_period",
                format!(
                    "a second row for {} in {}; the first is on line {first}",
                    row.name, row.year
                ),
            );
            continue;
        }
        first_line.insert((ai, row.year), line);
        areas[ai].years.push(Year {
            year: row.year,
            line,
            values: row.values,
        });
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

/// The position of each column by name, or what is wrong with the first line.
fn columns<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
) -> Result<HashMap<String, usize>, String> {
    let headers = reader
        .headers()
        .map_err(|e| format!("not a CSV file: {e}"))?;
    let index: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.to_string(), i))
        .collect();
    let missing: Vec<String> = COLUMNS
        .iter()
        .filter(|c| !index.contains_key(**c))
        .map(|c| format!("`{c}`"))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "no column {}; the DfE children's social work workforce census file \
             (csww_indicators) has them in its first line",
            missing.join(", ")
        ));
    }
    Ok(index)
}

/// One line's area, year and figures.
struct Row<'a> {
    year: i32,
    level: Level,
    name: &'a str,
    values: [Entry; 10],
}

/// Reads one line's cells by column name (`field`), reporting each bad cell (`report(column,
/// message)`); `None` if any was bad.
fn row<'a>(
    field: &impl Fn(&str) -> &'a str,
    report: &mut impl FnMut(&str, String),
) -> Option<Row<'a>> {
    let mut bad = false;
    let year = match field("time_period").parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => y,
        _ => {
            report(
                "time_period",
                format!(
                    "found \"{}\"; allowed: a year such as 2022",
                    field("time_period")
                ),
            );
            bad = true;
            0
        }
    };
    let (level, name) = match field("geographic_level") {
        "National" => (Level::National, field("country_name")),
        "Regional" => (Level::Regional, field("region_name")),
        "Local authority" => (Level::Council, field("la_name")),
        other => {
            report(
                "geographic_level",
                format!("found \"{other}\"; allowed: National, Regional or Local authority"),
            );
            bad = true;
            (Level::National, "")
        }
    };
    let values = Indicator::ALL.map(|m| {
        let text = field(m.column());
        parse_value(text, m.is_rate()).unwrap_or_else(|allowed| {
            report(m.column(), format!("found \"{text}\"; allowed: {allowed}"));
            bad = true;
            Entry::Symbol(String::new())
        })
    });
    if name.is_empty() && !bad {
        let column = match level {
            Level::National => "country_name",
            Level::Regional => "region_name",
            Level::Council => "la_name",
        };
        report(
            column,
            format!(
                "empty; a {} row names its area here",
                field("geographic_level")
            ),
        );
        bad = true;
    }
    (!bad).then_some(Row {
        year,
        level,
        name,
        values,
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
