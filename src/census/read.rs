//! Reading the census file as DfE publishes it: every cell checked, every problem reported at once
//! with its line and column.

use std::collections::HashMap;
use std::path::Path;

use super::{Area, COLUMNS, Census, CensusError, Entry, Indicator, Level, SYMBOLS, Year};
use crate::scenario::diag::{Diagnostic, ScenarioErrors};

/// The longest name of an area (or code) read: a name is printed, and written into a workbook's
/// cell and a report's tables.
const MAX_NAME: usize = 200;

/// At most this many problems are listed; the rest are counted.
pub const MAX_PROBLEMS: usize = 100;

/// Reads and checks the census file at `path`, in UTF-8 (as DfE publishes it), UTF-16 with a
/// byte-order mark, or Windows-1252 (as spreadsheet programs may save it).
/// The largest census file read: the published file is about 0.3 MB, and reading takes several
/// times a file's size in memory, so a file far larger is refused before it is read.
pub const MAX_BYTES: u64 = 32_000_000;

pub fn read(path: &Path) -> Result<Census, CensusError> {
    let file = path.display().to_string();
    let failed = |source| CensusError::Read {
        path: file.clone(),
        source,
    };
    let size = std::fs::metadata(path).map_err(failed)?.len();
    if size > MAX_BYTES {
        return Err(CensusError::TooLarge {
            path: file,
            bytes: size,
        });
    }
    // A device reports no size: the read itself is bounded.
    let bytes =
        crate::scenario::input::read_at_most(path, MAX_BYTES, "the DfE census file (under 1 MB)")
            .map_err(failed)?;
    // Of the file as it is, so that it matches `sha256sum`.
    let sha256 = crate::scenario::diag::sha256_hex(&bytes);
    parse_text(&file, &decode(&bytes), sha256)
}

/// The text of a file's bytes: UTF-16 when it starts with a UTF-16 byte-order mark, UTF-8 when it
/// is valid UTF-8, else Windows-1252 (the encoding of "CSV" saved by Excel on Windows).
pub fn decode(bytes: &[u8]) -> String {
    let utf16 = |big: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if big {
                    u16::from_be_bytes([c[0], c[1]])
                } else {
                    u16::from_le_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(false),
        [0xFE, 0xFF, ..] => utf16(true),
        _ => match std::str::from_utf8(bytes) {
            Ok(t) => t.to_string(),
            Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
        },
    }
}

/// A Windows-1252 byte as a character (0x80 to 0x9F differ from Latin-1).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Parses census text; `file` names it in messages. Every problem is reported at once.
pub fn parse(file: &str, text: &str) -> Result<Census, CensusError> {
    parse_text(
        file,
        text,
        crate::scenario::diag::sha256_hex(text.as_bytes()),
    )
}

fn parse_text(file: &str, text: &str, sha256: String) -> Result<Census, CensusError> {
    // Files saved by spreadsheet programs may start with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Spreadsheets set for a decimal comma save CSV with `;` between cells.
    let header = text.lines().next().unwrap_or("");
    let delimiter = if header.contains(';') && !header.contains(',') {
        b';'
    } else {
        b','
    };
    let problem = |line: usize, column: usize, key: &str, message: String| Diagnostic {
        file: file.to_string(),
        line,
        column,
        key: key.to_string(),
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let index = columns(&mut reader).map_err(|m| errors(file, vec![problem(1, 1, "", m)]))?;
    let numbers = if delimiter == b';' {
        convention(text, &index)
    } else {
        Numbers::Point(None)
    };
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
        let at = |name: &str| {
            index
                .get(name)
                .map_or(1, |&i| column_of(raw, i, char::from(delimiter)))
        };
        let mut report =
            |name: &str, message: String| problems.push(problem(line, at(name), name, message));
        let Some(row) = row(&field, numbers, &mut report) else {
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
        if problems.len() > MAX_PROBLEMS {
            let more = problems.len() - MAX_PROBLEMS;
            problems.truncate(MAX_PROBLEMS);
            let last = problems[MAX_PROBLEMS - 1].line;
            problems.push(problem(
                last,
                1,
                "",
                format!("and {more} more problems after this line, not listed"),
            ));
        }
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
    values: [Entry; Indicator::ALL.len()],
}

/// Reads one line's cells by column name (`field`), reporting each bad cell (`report(column,
/// message)`); `None` if any was bad.
fn row<'a>(
    field: &impl Fn(&str) -> &'a str,
    numbers: Numbers,
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
        parse_value(text, m.is_rate(), numbers).unwrap_or_else(|message| {
            report(m.column(), message);
            bad = true;
            Entry::Symbol(String::new())
        })
    });
    let column = match level {
        Level::National => "country_name",
        Level::Regional => "region_name",
        Level::Council => "la_name",
    };
    // Names are printed: a control character (ESC, BEL) could rewrite what a terminal shows.
    for key in ["country_name", "region_name", "la_name", "new_la_code"] {
        if let Some(c) = field(key).chars().find(|c| c.is_control()) {
            report(
                key,
                format!(
                    "the name holds a control character ({}); allowed: one line of text",
                    crate::scenario::spanned::control_name(c)
                ),
            );
            bad = true;
        } else if field(key).chars().count() > MAX_NAME {
            report(
                key,
                format!(
                    "{} characters; allowed: a name of at most {MAX_NAME} characters (the longest \
                     DfE publishes has 40)",
                    field(key).chars().count()
                ),
            );
            bad = true;
        }
    }
    if name.is_empty() && !bad {
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
        not_run: String::new(),
    })
}

/// How a file writes decimals, decided from its cells, with the line of a cell that shows it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Numbers {
    /// `171.3` (with `,` between thousands, if any): every `,`-separated file, and a `;` file
    /// whose cells say so.
    Point(Option<usize>),
    /// `171,3` (with `.` between thousands, if any): a `;` file whose cells say so.
    Comma(Option<usize>),
    /// A `;` file with no number that shows which: `1.713` or `1,713` could be either.
    Unknown,
}

/// Which mark a number's decimals take, if its text shows it: a point or comma followed by other
/// than three digits is a decimal mark (`171.3`, `36186,3`); both marks in one number put the
/// decimal mark last (`36,186.3`, `36.186,3`). `1.713` and `1,713` show nothing alone.
fn shows(text: &str) -> Option<char> {
    let last = text.rfind(['.', ','])?;
    let mark = text[last..].chars().next()?;
    let digits = &text[last + 1..];
    let both = text.contains('.') && text.contains(',');
    (both || digits.len() != 3).then_some(mark)
}

/// The decimal mark of a `;` file: that of most of its numbers that show one (the other mark,
/// where a number shows it, contradicts the file and is refused).
fn convention(text: &str, index: &HashMap<String, usize>) -> Numbers {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let columns: Vec<usize> = Indicator::ALL
        .iter()
        .filter_map(|m| index.get(m.column()).copied())
        .collect();
    let (mut points, mut commas) = ((0, None), (0, None));
    for record in reader.records().flatten() {
        let line = record.position().map_or(1, |p| p.line() as usize);
        for &i in &columns {
            let cell = record.get(i).unwrap_or("").trim();
            if !cell
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
            {
                continue;
            }
            let seen = match shows(cell) {
                Some('.') => &mut points,
                Some(_) => &mut commas,
                None => continue,
            };
            seen.0 += 1;
            seen.1.get_or_insert(line);
        }
    }
    match (points.0, commas.0) {
        (0, 0) => Numbers::Unknown,
        (p, c) if p > c => Numbers::Point(points.1),
        _ => Numbers::Comma(commas.1),
    }
}

/// A cell: a non-negative number (a percentage for rates, at most 100), a DfE symbol or blank.
/// Numbers as spreadsheets may save them are read too: with thousands separators (`36,186.3`),
/// or, in a file with `;` between cells, with a decimal comma (`36186,3`, `36.186,3`). A number
/// whose decimal mark contradicts the file's, or that could be read two ways in a file that does
/// not say which, is refused: `1.713` beside `171,3` might be 1713 or 1.713.
fn parse_value(text: &str, rate: bool, numbers: Numbers) -> Result<Entry, String> {
    let allowed = if rate {
        "a percentage from 0 to 100, or a DfE symbol (x, c, z, u, low)"
    } else {
        "a number of FTE, at least 0, or a DfE symbol (x, c, z, u, low)"
    };
    let found = |why: String| format!("found \"{text}\"; {why}");
    if text.is_empty() || SYMBOLS.iter().any(|(s, _)| *s == text) {
        return Ok(Entry::Symbol(text.to_string()));
    }
    let by = |line: Option<usize>| line.map_or(String::new(), |l| format!(", as on line {l}"));
    // Only digits and marks can be read two ways; anything else is read (or refused) as it is.
    let marks = text.contains(['.', ','])
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',');
    let plain = match numbers {
        _ if !marks => text.to_string(),
        Numbers::Point(line) => {
            if shows(text) == Some(',') {
                return Err(found(format!(
                    "a decimal comma, but this file writes decimals with a point{}; write the \
                     number as the file's others are",
                    by(line)
                )));
            }
            if thousands(text) {
                text.replace(',', "")
            } else {
                text.to_string()
            }
        }
        Numbers::Comma(line) => {
            let (whole, decimals) = text.split_once(',').unwrap_or((text, ""));
            let grouped = thousands(&whole.replace('.', ","));
            if !whole.contains('.') {
                format!("{whole}.{decimals}")
            } else if !text.contains(',') && grouped {
                return Err(found(format!(
                    "this file writes decimals with a comma{}, so it could be {} (a point \
                     between thousands) or {text} (a decimal point); write it without the point, \
                     or with a decimal comma",
                    by(line),
                    whole.replace('.', "")
                )));
            } else if !text.contains(',') {
                return Err(found(format!(
                    "a decimal point, but this file writes decimals with a comma{}; write the \
                     number as the file's others are",
                    by(line)
                )));
            } else if grouped {
                format!("{}.{decimals}", whole.replace('.', ""))
            } else {
                text.to_string()
            }
        }
        Numbers::Unknown => {
            return Err(found(format!(
                "it could be {} or {}, and no other number in this file has decimals to tell \
                 which; write it without a thousands separator, or with one decimal (as DfE \
                 publishes it)",
                text.replace([',', '.'], ""),
                text.replace(',', ".")
            )));
        }
    };
    match plain.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 && (!rate || x <= 100.0) => {
            Ok(Entry::Number(if rate { x / 100.0 } else { x }))
        }
        _ => Err(found(format!("allowed: {allowed}"))),
    }
}

/// Whether `text` is a number written with thousands separators: `1,234` or `36,186.3`.
fn thousands(text: &str) -> bool {
    let whole = text.split('.').next().unwrap_or("");
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    whole.contains(',')
        && (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// The 1-based character column where field `index` starts in a CSV line (quotes respected).
fn column_of(line: &str, index: usize, delimiter: char) -> usize {
    let mut field = 0;
    let mut quoted = false;
    for (col, c) in line.chars().enumerate() {
        if field == index {
            return col + 1;
        }
        match c {
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => field += 1,
            _ => {}
        }
    }
    line.chars().count() + 1
}
