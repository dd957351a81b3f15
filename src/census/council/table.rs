//! A council's file as a table of text cells, from CSV or the first sheet of an `.xlsx`
//! workbook, with each cell's row and column as the user sees them; and the checks that keep a
//! person's data out: a column headed like a name, an NI number or an email, or a cell holding an
//! NI number or an email, is refused.
//!
//! Councils' HR and payroll extracts live in Excel; reading the workbook itself spares them a
//! conversion that can silently turn dates into numbers. Only the first sheet is read.

use std::path::Path;

use super::Problem;

/// A file's cells: the header row and the rows below it, blank rows left out.
#[derive(Clone, Debug)]
pub struct Table {
    /// The file's name as the user gave it.
    pub file: String,
    pub headers: Vec<String>,
    /// Each row's number in the file (the header is row 1) and its cells, as text.
    pub rows: Vec<(usize, Vec<String>)>,
}

/// A column's letter, as a spreadsheet shows it: 0 is A, 26 is AA.
pub fn letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Reads `path`: `.xlsx` (or `.xlsm`) as a workbook's first sheet, anything else as CSV.
pub fn read(path: &Path) -> Result<Table, Problem> {
    let file = path.display().to_string();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let cells = if ext == "xlsx" || ext == "xlsm" {
        read_xlsx(path, &file)?
    } else if ext == "xls" || ext == "ods" {
        return Err(Problem::file(
            &file,
            "is an older spreadsheet format; save it as .xlsx or .csv".to_string(),
        ));
    } else {
        read_csv(path, &file)?
    };
    let mut rows = cells.into_iter();
    let Some((_, headers)) = rows.next() else {
        return Err(Problem::file(
            &file,
            "is empty: it has no header row".into(),
        ));
    };
    let rows = rows
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .collect();
    Ok(Table {
        file,
        headers: headers.into_iter().map(|h| h.trim().to_string()).collect(),
        rows,
    })
}

/// The largest council file read, in bytes.
const MAX_BYTES: u64 = 50_000_000;

/// What a council file is, for the error of one too large.
const EXTRACT: &str = "a council's extract (a few thousand rows, under 1 MB)";

fn read_csv(path: &Path, file: &str) -> Result<Vec<(usize, Vec<String>)>, Problem> {
    let bytes = crate::scenario::input::read_at_most(path, MAX_BYTES, EXTRACT)
        .map_err(|e| Problem::file(file, format!("cannot be read: {e}")))?;
    // A workbook (a zip archive) saved or renamed as .csv.
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(Problem::file(
            file,
            "is an Excel workbook, not CSV text: name it .xlsx (or save it as \"CSV UTF-8\")"
                .into(),
        ));
    }
    // Excel writes a byte-order mark at the start of "CSV UTF-8" files.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut out = Vec::new();
    // The row a spreadsheet shows: one per record (a cell's own line breaks stay in its row),
    // and one per blank line, which the reader skips. The reader's own line count is not used:
    // with Windows line ends it counts a record's line before the line feed that starts it.
    let (mut row, mut end) = (0, 0);
    let mut rec = csv::ByteRecord::new();
    loop {
        let more = r
            .read_byte_record(&mut rec)
            .map_err(|e| Problem::file(file, format!("is not readable CSV: {e}")))?;
        if !more {
            break;
        }
        let mut start = rec.position().map_or(end, |p| p.byte() as usize).max(end);
        while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            start += 1;
        }
        row += 1 + bytes[end..start.min(bytes.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            .saturating_sub(usize::from(row > 0));
        end = r.position().byte() as usize;
        while end > start
            && bytes
                .get(end - 1)
                .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            end -= 1;
        }
        let line = row;
        let mut cells = Vec::with_capacity(rec.len());
        for (i, c) in rec.iter().enumerate() {
            match std::str::from_utf8(c) {
                Ok(s) => cells.push(s.to_string()),
                Err(_) => {
                    return Err(Problem::at(
                        file,
                        line,
                        i,
                        None,
                        "is not UTF-8 text; save the file as \"CSV UTF-8\"".into(),
                    ));
                }
            }
        }
        out.push((line, cells));
    }
    Ok(out)
}

fn read_xlsx(path: &Path, file: &str) -> Result<Vec<(usize, Vec<String>)>, Problem> {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    // Read once, within the bound CSV has, and the workbook opened from the bytes.
    let bytes = crate::scenario::input::read_at_most(path, MAX_BYTES, EXTRACT)
        .map_err(|e| Problem::file(file, format!("cannot be read: {e}")))?;
    // A text file (CSV, most often) named .xlsx: a workbook is a zip archive.
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(Problem::file(
            file,
            "is not an Excel workbook (it looks like text, such as CSV): name it .csv".into(),
        ));
    }
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| Problem::file(file, format!("cannot be read as a workbook: {e}")))?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            return Err(Problem::file(
                file,
                format!("its first sheet cannot be read: {e}"),
            ));
        }
        None => return Err(Problem::file(file, "has no sheets".into())),
    };
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut out = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells = vec![String::new(); col0 as usize];
        for c in row {
            cells.push(match c {
                Data::Empty => String::new(),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                Data::Int(n) => n.to_string(),
                Data::Float(x) => x.to_string(),
                Data::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
                Data::DateTime(d) => super::Date::from_excel(d.as_f64())
                    .map_or_else(|| d.as_f64().to_string(), |d| d.to_string()),
                Data::Error(e) => format!("#{e:?}"),
            });
        }
        out.push((row0 as usize + i + 1, cells));
    }
    Ok(out)
}

/// What a header says the column holds, once lower-cased, with spaces, hyphens and dots as
/// underscores: `Start date` is `start_date`.
pub fn key(header: &str) -> String {
    let mut k = String::new();
    for ch in header.trim().to_lowercase().chars() {
        if ch.is_alphanumeric() {
            k.push(ch);
        } else if !k.ends_with('_') && !k.is_empty() {
            k.push('_');
        }
    }
    k.trim_end_matches('_').to_string()
}

/// Why a header looks like a person's data, if it does: a name, an NI number, an email, a date
/// of birth.
pub fn personal_header(key: &str) -> Option<&'static str> {
    let words: Vec<&str> = key.split('_').collect();
    let has = |w: &str| words.contains(&w);
    let joined = words.concat();
    const NAMES: [&str; 10] = [
        "name",
        "names",
        "surname",
        "forename",
        "forenames",
        "firstname",
        "lastname",
        "fullname",
        "givenname",
        "middlename",
    ];
    // "team name" and "grade name" name a team and a grade, not a person.
    let names_a_thing = ["team", "grade", "post", "role", "job", "service", "unit"]
        .iter()
        .any(|w| has(w));
    if NAMES.iter().any(|n| has(n) || joined == *n) && !names_a_thing {
        return Some("a person's name");
    }
    if has("email") || joined.contains("email") {
        return Some("an email address");
    }
    if has("nino")
        || joined.contains("nationalinsurance")
        || (has("ni") && (has("number") || has("no") || has("num")))
    {
        return Some("a National Insurance number");
    }
    if joined.contains("dateofbirth") || has("dob") || joined == "birthdate" {
        return Some("a date of birth");
    }
    None
}

/// Why a cell's value looks like a person's data, if it does, anywhere within it (free text such
/// as `Temp (NI: AB123456C)` or `cover for j.smith@council.gov.uk` too): an NI number (two
/// letters, six digits and a letter from A to D, spaces allowed) or an email address.
pub fn personal_value(cell: &str) -> Option<&'static str> {
    if let Some(why) = whole_value(cell) {
        return Some(why);
    }
    // An NI number within the text, standing apart from letters and digits (a space, as between
    // words, parts it from them), with any spaces within it (`QQ 12 34 56 C`) passed over.
    let c: Vec<char> = cell.chars().collect();
    let apart = |x: Option<&char>| x.is_none_or(|x| !x.is_alphanumeric());
    for i in 0..c.len() {
        if !c[i].is_ascii_alphabetic() || (i > 0 && !apart(c.get(i - 1))) {
            continue;
        }
        let (mut nine, mut end) = (String::new(), i);
        while end < c.len() && nine.len() < 9 {
            if !c[end].is_whitespace() {
                nine.push(c[end]);
            }
            end += 1;
        }
        if nine.len() == 9 && apart(c.get(end)) && whole_value(&nine).is_some() {
            return Some("a National Insurance number");
        }
    }
    // An email address among its words, stripped of the punctuation around them.
    cell.split_whitespace()
        .map(|w| w.trim_matches(|c: char| "()[]<>{},;:'\"".contains(c)))
        .find_map(|w| whole_value(w).filter(|why| why.contains("email")))
}

/// As [`personal_value`], for the cell's whole value.
fn whole_value(cell: &str) -> Option<&'static str> {
    let t: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    let b = t.as_bytes();
    if b.len() == 9
        && b[..2].iter().all(u8::is_ascii_alphabetic)
        && b[2..8].iter().all(u8::is_ascii_digit)
        && matches!(b[8].to_ascii_uppercase(), b'A'..=b'D')
    {
        return Some("a National Insurance number");
    }
    if let Some((user, domain)) = cell.trim().split_once('@')
        && !user.is_empty()
        && !user.contains(char::is_whitespace)
        && domain.contains('.')
        && !domain.contains(char::is_whitespace)
        && !domain.starts_with('.')
        && !domain.ends_with('.')
    {
        return Some("an email address");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_numbered_as_a_spreadsheet_shows_them() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        let rows = |text: &str| -> Vec<usize> {
            std::fs::write(&p, text).unwrap();
            read(&p).unwrap().rows.iter().map(|r| r.0).collect()
        };
        // The header is row 1, the first row below it row 2, with either line end.
        assert_eq!(rows("a,b\n1,2\n3,4\n"), [2, 3]);
        assert_eq!(rows("a,b\r\n1,2\r\n3,4\r\n"), [2, 3]);
        assert_eq!(rows("\u{FEFF}a,b\r\n1,2\r\n3,4"), [2, 3]);
        // A blank line is a row; a cell's own line break is not.
        assert_eq!(rows("a,b\r\n1,2\r\n\r\n3,4\r\n"), [2, 4]);
        assert_eq!(rows("a,b\n\"x\ny\",2\n3,4\n"), [2, 3]);
        assert_eq!(rows("a,b\n1,\n,\n5,6\n"), [2, 4]);
    }

    #[test]
    fn letters_and_keys() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(27), "AB");
        assert_eq!(key(" Start date "), "start_date");
        assert_eq!(key("Hourly-Rate (£)"), "hourly_rate");
        assert_eq!(key("FTE"), "fte");
    }

    #[test]
    fn personal_headers_and_values_are_recognised() {
        for h in [
            "Name",
            "Surname",
            "First name",
            "Employee name",
            "E-mail",
            "Email address",
            "NI number",
            "NI No",
            "National Insurance",
            "NINO",
            "Date of birth",
            "DOB",
        ] {
            assert!(personal_header(&key(h)).is_some(), "{h}");
        }
        for h in [
            "Team name",
            "Grade name",
            "team",
            "start_date",
            "fte",
            "destination",
        ] {
            assert_eq!(personal_header(&key(h)), None, "{h}");
        }
        assert_eq!(
            personal_value("QQ 12 34 56 C"),
            Some("a National Insurance number")
        );
        assert_eq!(
            personal_value("ab123456d"),
            Some("a National Insurance number")
        );
        assert_eq!(
            personal_value("j.smith@council.gov.uk"),
            Some("an email address")
        );
        // Within free text, in any column.
        assert_eq!(
            personal_value("Temp (NI: AB123456C)"),
            Some("a National Insurance number")
        );
        // Beside a name or another word, before it or after it.
        for v in [
            "Smith AB123456C",
            "Team AB123456C",
            "AB123456C Smith",
            "J Smith QQ 12 34 56 A",
        ] {
            assert_eq!(
                personal_value(v),
                Some("a National Insurance number"),
                "{v}"
            );
        }
        assert_eq!(
            personal_value("cover for jane.smith@council.gov.uk"),
            Some("an email address")
        );
        assert_eq!(
            personal_value("<j.smith@council.gov.uk>;"),
            Some("an email address")
        );
        for v in [
            "Cover for maternity leave (Level 3)",
            "Team 4 AB123456",
            "XAB123456C",
            "Team XAB123456C",
            "AB123456CD",
            "AB123456 Cover",
            "Level 3",
            "2024-03-31",
            "0.8",
            "AB1234567",
            "agency",
            "@",
            "a@b",
        ] {
            assert_eq!(personal_value(v), None, "{v}");
        }
    }
}
