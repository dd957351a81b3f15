//! A council's file as a table of text cells, from CSV or the first sheet of an `.xlsx`
//! workbook, with each cell's row and column as the user sees them; and the checks that keep a
//! person's data out: a column headed like a name, an NI number or an email, or a cell holding an
//! NI number or an email, is refused.
//!
//! Councils' HR and payroll extracts live in Excel; reading the workbook itself spares them a
//! conversion that can silently turn dates into numbers. Only the first sheet is read.

use std::path::Path;

use crate::model::format::grouped;

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

/// The most one part of a workbook may unzip to, and all of them together, in bytes: many
/// times any council's extract, and a bound on the memory and time a crafted archive (a "zip
/// bomb", a small file that unzips to gigabytes) may take.
const MAX_PART: u64 = 250_000_000;
const MAX_PARTS: u64 = 1_000_000_000;

/// The most cells read from a workbook's sheet, counting the blank ones before each row's last
/// value (each row is kept as far as its last value), and the last column read (`ALL`, the
/// 1,000th): a council's extract has a few thousand rows of a few dozen columns.
const MAX_CELLS: usize = 2_000_000;
const MAX_COLUMNS: u32 = 1_000;

/// The most text read from a workbook's sheet, in bytes: a string shared by many cells is read
/// once for each.
const MAX_TEXT: usize = 100_000_000;

fn read_xlsx(path: &Path, file: &str) -> Result<Vec<(usize, Vec<String>)>, Problem> {
    use calamine::{DataRef, Reader, Xlsx, XlsxError, open_workbook_from_rs};
    // Read once, within the bound CSV has, and the workbook opened from the bytes.
    let bytes = crate::scenario::input::read_at_most(path, MAX_BYTES, EXTRACT)
        .map_err(|e| Problem::file(file, format!("cannot be read: {e}")))?;
    // A workbook is a zip archive; Excel saves one with a password, and an old .xls, in its
    // older compound format.
    if bytes.is_empty() {
        return Err(Problem::file(file, "is empty".into()));
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Err(Problem::file(
            file,
            "is a password-protected workbook or an older .xls file: remove the password, or save it as .xlsx or .csv".into(),
        ));
    }
    // A text file (CSV, most often) named .xlsx.
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(Problem::file(
            file,
            "is not an Excel workbook (it looks like text, such as CSV): name it .csv".into(),
        ));
    }
    unzips_within(&bytes, file, MAX_PART, MAX_PARTS, MAX_CELLS as u64)?;
    let unreadable =
        |e: XlsxError| Problem::file(file, format!("cannot be read as a workbook: {e}"));
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let Some(first) = book.sheet_names().first().cloned() else {
        return Err(Problem::file(file, "has no sheets".into()));
    };
    // The sheet's cells one by one, not as the rectangle they span: a value far down or far to
    // the right (XFD1048576) would make that rectangle billions of cells.
    let mut cells = match book.worksheet_cells_reader(&first) {
        Ok(cells) => cells,
        Err(XlsxError::NotAWorksheet(_)) => {
            return Err(Problem::file(
                file,
                format!(
                    "its first sheet, {first}, is a chart, not cells: put the extract's sheet first"
                ),
            ));
        }
        Err(e) => {
            return Err(Problem::file(
                file,
                format!("its first sheet cannot be read: {e}"),
            ));
        }
    };
    // Each row as far as its last value; None where no cell was given.
    let mut rows: std::collections::BTreeMap<u32, Vec<Option<String>>> = Default::default();
    let (mut n, mut text_bytes) = (0, 0);
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(e) => {
                return Err(Problem::file(
                    file,
                    format!("its first sheet cannot be read: {e}"),
                ));
            }
        };
        let text = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
            DataRef::SharedString(s) => s.to_string(),
            DataRef::Int(n) => n.to_string(),
            DataRef::Float(x) => x.to_string(),
            DataRef::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            DataRef::DateTime(d) => {
                super::Date::from_excel(d).map_or_else(|| d.as_f64().to_string(), |d| d.to_string())
            }
            DataRef::Error(e) => format!("#{e:?}"),
        };
        text_bytes += text.len();
        if text_bytes > MAX_TEXT {
            return Err(Problem::file(
                file,
                format!(
                    "holds more than {} of text in its first sheet; {EXTRACT} holds far less: copy the extract's own rows and columns to a new workbook",
                    size(MAX_TEXT as u64)
                ),
            ));
        }
        let (row, col) = cell.get_position();
        if col >= MAX_COLUMNS {
            return Err(Problem::at(
                file,
                row as usize + 1,
                col as usize,
                None,
                format!(
                    "holds a value, past the {} columns wfsim reads (to {}): delete it, or copy the extract's own columns to a new sheet",
                    grouped(u64::from(MAX_COLUMNS)),
                    letter(MAX_COLUMNS as usize - 1)
                ),
            ));
        }
        let cells = rows.entry(row).or_default();
        if cells.len() <= col as usize {
            n += col as usize + 1 - cells.len();
            if n > MAX_CELLS {
                return Err(Problem::file(
                    file,
                    format!(
                        "has more than {} cells in its first sheet, counting the blank ones before each row's last value; {EXTRACT} has far fewer: copy the extract's own rows and columns to a new workbook",
                        grouped(MAX_CELLS as u64)
                    ),
                ));
            }
            cells.resize(col as usize + 1, None);
        }
        // Excel writes each cell once; a second value for one (or a reference past the sheet's
        // last row, which the reader wraps onto a cell above) is not a workbook Excel made.
        if cells[col as usize].is_some() {
            return Err(Problem::at(
                file,
                row as usize + 1,
                col as usize,
                None,
                "is given two values in the workbook (Excel writes each cell once): save it again from Excel".into(),
            ));
        }
        cells[col as usize] = Some(text);
    }
    Ok(rows
        .into_iter()
        .map(|(row, cells)| {
            let cells = cells.into_iter().map(Option::unwrap_or_default).collect();
            (row as usize + 1, cells)
        })
        .collect())
}

/// Refuses a workbook one of whose parts unzips to more than `part` bytes, or all of them to
/// more than `parts`, each part unzipped (and thrown away) only as far as the bounds: the sizes an
/// archive states for its parts may be false. A part that cannot be unzipped (encrypted, or in a
/// method calamine cannot read either) counts only as far as it could be. The shared strings'
/// first element must come in their first 64 KB, as every spreadsheet program writes it, and may
/// claim at most `strings` strings: calamine makes room for as many as it claims before reading
/// any. Nor may it hold more than `strings`, whatever it claims: calamine keeps each one, and
/// millions of tiny ones took many times the part's size.
fn unzips_within(
    bytes: &[u8],
    file: &str,
    part: u64,
    parts: u64,
    strings: u64,
) -> Result<(), Problem> {
    use std::io::Read;
    const HEAD: usize = 64 * 1024;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| Problem::file(file, format!("cannot be read as a workbook: {e}")))?;
    let too_big = |what: String, most: u64| {
        Problem::file(
            file,
            format!(
                "{what} unzips to more than {}; {EXTRACT} unzips to a few MB: save the extract's own sheet as a new workbook or as CSV",
                size(most)
            ),
        )
    };
    let mut total = 0u64;
    let mut buf = vec![0u8; HEAD];
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else {
            continue;
        };
        let name = entry.name().to_string();
        // As calamine finds its parts: in any case, with either slash.
        let shared = name
            .replace('\\', "/")
            .eq_ignore_ascii_case("xl/sharedStrings.xml");
        let mut entry = entry.take(part.min(parts - total) + 1);
        let mut unzipped = 0u64;
        let mut head = Vec::new();
        let mut held = Elements::named(b"si");
        // Unzipped a buffer at a time and counted; an error ends the part where it is.
        while let Ok(n @ 1..) = entry.read(&mut buf) {
            if shared {
                if head.len() < HEAD {
                    head.extend_from_slice(&buf[..n.min(HEAD - head.len())]);
                }
                held.feed(&buf[..n]);
            }
            unzipped += n as u64;
        }
        let too_many = |what: &str, n: u64| {
            Problem::file(
                file,
                format!(
                    "{what} {} different pieces of text, more than the {} cells wfsim reads: save the extract's own sheet as a new workbook or as CSV",
                    grouped(n),
                    grouped(strings)
                ),
            )
        };
        if shared && held.count > strings {
            return Err(too_many("holds", held.count));
        }
        if shared {
            match unique_count(&head) {
                Err(()) => {
                    return Err(Problem::file(
                        file,
                        "is not laid out as Excel writes a workbook (its list of shared text does not start at its beginning): save it again from Excel".into(),
                    ));
                }
                Ok(Some(claimed)) if claimed > strings => {
                    return Err(too_many("says it holds", claimed));
                }
                Ok(_) => {}
            }
        }
        total += unzipped;
        if unzipped > part {
            return Err(too_big(format!("a part of it ({name})"), part));
        }
        if total > parts {
            return Err(too_big("all together it".into(), parts));
        }
    }
    Ok(())
}

/// Counts the elements of one name (with or without a namespace prefix, however long) in XML
/// given a piece at a time, as a reader that keeps one thing for each would find them: a tag
/// split between two pieces is read whole. Text that looks like a tag inside a comment or CDATA
/// is counted too, which only ever counts more (Excel writes neither there).
struct Elements {
    name: &'static [u8],
    /// The start of a tag the last piece ended in: its `<` and the end of its name so far, read
    /// again with the next piece.
    carry: Vec<u8>,
    count: u64,
}

impl Elements {
    /// The end of a tag's name kept when a piece ends within it: enough to hold the name counted
    /// after its last `:`. A longer local name is not the one counted however it ends, so what
    /// went before is not needed.
    const KEPT: usize = 8;

    fn named(name: &'static [u8]) -> Elements {
        Elements {
            name,
            carry: Vec::new(),
            count: 0,
        }
    }

    fn feed(&mut self, piece: &[u8]) {
        let joined;
        let data = if self.carry.is_empty() {
            piece
        } else {
            let mut d = std::mem::take(&mut self.carry);
            d.extend_from_slice(piece);
            joined = d;
            &joined[..]
        };
        let mut at = 0;
        while let Some(p) = data[at..].iter().position(|&b| b == b'<') {
            let name = at + p + 1;
            let ends = |&b: &u8| b == b'>' || b == b'/' || b.is_ascii_whitespace();
            match data[name..].iter().position(ends) {
                Some(len) => {
                    let qname = &data[name..name + len];
                    let local = qname.rsplit(|&b| b == b':').next().unwrap_or(qname);
                    self.count += u64::from(local == self.name);
                    at = name + len;
                }
                None => {
                    let kept = &data[data.len().max(name + Self::KEPT) - Self::KEPT..];
                    self.carry = [b"<", kept].concat();
                    return;
                }
            }
        }
    }
}

/// The shared strings' `uniqueCount`, from the first bytes of their part: as calamine reads it,
/// the exact attribute of the first element named `sst` (with or without a namespace prefix),
/// a whole number or nothing (calamine ignores anything else). `Err` when no such element starts
/// there.
fn unique_count(head: &[u8]) -> Result<Option<u64>, ()> {
    let text = String::from_utf8_lossy(head);
    // The first start tag whose local name is `sst`.
    let mut at = 0;
    let tag = loop {
        let lt = at + text[at..].find('<').ok_or(())?;
        let rest = &text[lt + 1..];
        // A comment is passed over whole, as the reader passes it.
        if let Some(comment) = rest.strip_prefix("!--") {
            at = lt + 4 + comment.find("-->").ok_or(())? + 3;
            continue;
        }
        let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/');
        let name = &rest[..end.ok_or(())?];
        if name.rsplit(':').next() == Some("sst") {
            break &rest[name.len()..rest.find('>').ok_or(())?];
        }
        at = lt + 1;
    };
    // Its attributes, name="value" or name='value', in turn.
    let mut rest = tag.trim_start();
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let quote = after
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .ok_or(())?;
        let value_end = after[1..].find(quote).ok_or(())?;
        let value = &after[1..1 + value_end];
        if name == "uniqueCount" {
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Ok(None);
            }
            return Ok(Some(value.parse().unwrap_or(u64::MAX)));
        }
        rest = after[value_end + 2..].trim_start();
    }
    Ok(None)
}

/// `bytes` in GB or MB, or in bytes when under one MB.
fn size(bytes: u64) -> String {
    if bytes >= 1_000_000_000 && bytes.is_multiple_of(1_000_000_000) {
        format!("{} GB", bytes / 1_000_000_000)
    } else if bytes >= 1_000_000 {
        format!("{} MB", bytes / 1_000_000)
    } else {
        format!("{bytes} bytes")
    }
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

    /// A workbook of `cells` (row, column, text) in `dir`.
    fn workbook(dir: &Path, cells: &[(u32, u16, &str)]) -> std::path::PathBuf {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for &(r, c, text) in cells {
            ws.write_string(r, c, text).unwrap();
        }
        let p = dir.join("t.xlsx");
        wb.save(&p).unwrap();
        p
    }

    #[test]
    fn a_workbook_is_read_cell_by_cell_however_far_its_cells_lie() {
        let dir = tempfile::tempdir().unwrap();
        // A value in the last row of a sheet: read as its row, without the rectangle of a
        // million rows it spans (which a whole-sheet read would make of it).
        let p = workbook(
            dir.path(),
            &[
                (0, 0, "grade"),
                (0, 2, "fte"),
                (1, 0, "L2"),
                (1, 2, "1"),
                (1_048_575, 1, "x"),
            ],
        );
        let t = read(&p).unwrap();
        assert_eq!(t.headers, ["grade", "", "fte"]);
        assert_eq!(
            t.rows,
            [
                (2, vec!["L2".to_string(), String::new(), "1".to_string()]),
                (1_048_576, vec![String::new(), "x".to_string()])
            ]
        );
        // A value past the columns read names its cell.
        let p = workbook(dir.path(), &[(0, 0, "grade"), (4, 16_383, "x")]);
        let e = read(&p).unwrap_err().to_string();
        assert!(
            e.contains("XFD") && e.contains("row 5") && e.contains("1,000 columns"),
            "{e}"
        );
        // Rows are kept as far as their last value, and the blanks before it count towards the
        // cells read: 2,001 rows with a value in column ALL are more than 2,000,000 cells.
        let far: Vec<(u32, u16, &str)> = (0..2_001).map(|r| (r, 999, "x")).collect();
        let e = read(&workbook(dir.path(), &far)).unwrap_err().to_string();
        assert!(e.contains("more than 2,000,000 cells"), "{e}");
        let near: Vec<(u32, u16, &str)> = (0..1_999).map(|r| (r, 999, "x")).collect();
        assert_eq!(
            read(&workbook(dir.path(), &near)).unwrap().rows.len(),
            1_998
        );
    }

    #[test]
    fn a_workbook_that_unzips_past_the_bound_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        // Ten different strings of 30,000 characters (a cell holds at most 32,767).
        let long: Vec<String> = (0..10).map(|i| format!("{i}").repeat(30_000)).collect();
        let mut cells = vec![(0, 0, "grade")];
        cells.extend(
            long.iter()
                .enumerate()
                .map(|(i, x)| (i as u32 + 1, 0, x.as_str())),
        );
        let p = workbook(dir.path(), &cells);
        let bytes = std::fs::read(&p).unwrap();
        // The workbook is some KB zipped and 300 KB unzipped.
        assert!(bytes.len() < 100_000);
        unzips_within(&bytes, "t.xlsx", 10_000_000, 10_000_000, 100).unwrap();
        // The shared strings are one part of 300 KB.
        let e = unzips_within(&bytes, "t.xlsx", 200_000, 10_000_000, 100)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("t.xlsx")
                && e.contains(
                    "a part of it (xl/sharedStrings.xml) unzips to more than 200000 bytes"
                ),
            "{e}"
        );
        let e = unzips_within(&bytes, "t.xlsx", 10_000_000, 250_000, 100)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("all together it unzips to more than 250000 bytes"),
            "{e}"
        );
        // Not a zip archive at all, though it starts as one.
        let e = unzips_within(
            b"PK\x03\x04 and then nothing",
            "t.xlsx",
            200_000,
            200_000,
            100,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("cannot be read as a workbook"), "{e}");
    }

    #[test]
    fn files_that_are_not_workbooks_say_what_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.xlsx");
        let said = |bytes: &[u8]| {
            std::fs::write(&p, bytes).unwrap();
            read(&p).unwrap_err().to_string()
        };
        assert!(said(b"").contains("is empty"));
        let ole = said(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 and the rest");
        assert!(
            ole.contains("password-protected workbook or an older .xls"),
            "{ole}"
        );
        assert!(said(b"grade,fte\nL2,1\n").contains("name it .csv"));
    }

    #[test]
    fn the_shared_strings_claimed_count_is_read_as_the_reader_reads_it() {
        let count = |text: &str| unique_count(text.as_bytes());
        let part = |attrs: &str| format!("<?xml version=\"1.0\"?><sst xmlns=\"x\" {attrs}><si>");
        assert_eq!(count(&part("count=\"9\" uniqueCount=\"7\"")), Ok(Some(7)));
        assert_eq!(count(&part("uniqueCount = '12'")), Ok(Some(12)));
        assert_eq!(
            count(&part("uniqueCount=\"18446744073709551616\"")),
            Ok(Some(u64::MAX))
        );
        // The exact attribute, of the first element named sst, with or without a prefix, and
        // not one in a comment.
        assert_eq!(
            count(&part(
                "a:uniqueCount=\"1\" xuniqueCount=\"2\" uniqueCount=\"4000000000\""
            )),
            Ok(Some(4_000_000_000))
        );
        assert_eq!(
            count("<x:sst xmlns:x=\"y\" uniqueCount=\"9000000\"><x:si>"),
            Ok(Some(9_000_000))
        );
        assert_eq!(
            count("<!-- <sst uniqueCount=\"1\"> --><sstX/><sst uniqueCount=\"3\">"),
            Ok(Some(3))
        );
        // Not a whole number, or not there: the reader makes no room for it.
        assert_eq!(count(&part("uniqueCount=\"1e11\"")), Ok(None));
        assert_eq!(count(&part("count=\"5\"")), Ok(None));
        // No element named sst where it should start.
        assert_eq!(count("<other uniqueCount=\"5\">"), Err(()));
        assert_eq!(count(""), Err(()));
    }

    #[test]
    fn shared_strings_are_counted_as_the_reader_keeps_them_however_the_part_is_split() {
        let xml = "<?xml version=\"1.0\"?><sst xmlns=\"x\" uniqueCount=\"1\"><si><t>a</t></si>\
                   <x:si>b</x:si><si/><si\n><t>c</t></si><sis>no</sis><t>si</t></sst>";
        let count = |pieces: &[&[u8]]| {
            let mut e = Elements::named(b"si");
            for p in pieces {
                e.feed(p);
            }
            e.count
        };
        // `text` counts `n` whole, split in two anywhere, and in pieces of `size` bytes.
        let counts = |text: &str, n: u64, size: usize| {
            let b = text.as_bytes();
            assert_eq!(count(&[b]), n);
            for cut in 0..=b.len() {
                assert_eq!(count(&[&b[..cut], &b[cut..]]), n, "split at {cut}");
            }
            let pieces: Vec<&[u8]> = b.chunks(size).collect();
            assert_eq!(count(&pieces), n);
        };
        counts(xml, 4, 1);
        // A long name is not the one counted, and what follows is read; a long prefix is only a
        // prefix, wherever the pieces split it.
        counts(&format!("<{}><si>", "x".repeat(300)), 1, 5);
        counts(
            &format!("<{}:si/><{}si/><si>", "p".repeat(300), "q".repeat(20)),
            2,
            7,
        );
    }

    #[test]
    fn a_workbook_holding_more_shared_strings_than_the_bound_is_refused_whatever_it_claims() {
        let dir = tempfile::tempdir().unwrap();
        let cells: Vec<(u32, u16, String)> = (0..5).map(|r| (r, 0, format!("text {r}"))).collect();
        let cells: Vec<(u32, u16, &str)> =
            cells.iter().map(|(r, c, t)| (*r, *c, t.as_str())).collect();
        let p = workbook(dir.path(), &cells);
        // It claims 1.
        rewrite(&p, "xl/sharedStrings.xml", |text| {
            assert!(text.contains("uniqueCount=\"5\""), "{text}");
            text.replace("uniqueCount=\"5\"", "uniqueCount=\"1\"")
        });
        let bytes = std::fs::read(&p).unwrap();
        unzips_within(&bytes, "t.xlsx", 10_000_000, 10_000_000, 5).unwrap();
        let e = unzips_within(&bytes, "t.xlsx", 10_000_000, 10_000_000, 4)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("t.xlsx: holds 5 different pieces of text, more than the 4"),
            "{e}"
        );
    }

    /// `path`'s workbook with its part `name` changed by `change`.
    fn rewrite(path: &Path, name: &str, change: impl Fn(String) -> String) {
        use std::io::{Read, Write};
        let bytes = std::fs::read(path).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let mut text = Vec::new();
            part.read_to_end(&mut text).unwrap();
            if part.name() == name {
                text = change(String::from_utf8(text).unwrap()).into_bytes();
            }
            out.start_file(part.name(), zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(&text).unwrap();
        }
        std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
    }

    #[test]
    fn a_cell_given_twice_is_refused_and_dates_keep_their_workbooks_epoch() {
        let dir = tempfile::tempdir().unwrap();
        let p = workbook(dir.path(), &[(0, 0, "grade"), (0, 1, "fte"), (1, 0, "L2")]);
        let once = read(&p).unwrap();
        assert_eq!(once.rows, [(2, vec!["L2".to_string()])]);
        // A second value for A2 (as a row reference past the sheet's end wraps onto it).
        rewrite(&p, "xl/worksheets/sheet1.xml", |xml| {
            xml.replacen(
                "</sheetData>",
                "<row r=\"9\"><c r=\"A2\" t=\"inlineStr\"><is><t>L3</t></is></c></row></sheetData>",
                1,
            )
        });
        let e = read(&p).unwrap_err().to_string();
        assert!(
            e.contains("row 2, column A") && e.contains("two values"),
            "{e}"
        );
        // 30 September 2023 written in Excel's count from 1900; the same number in a workbook
        // that counts from 1904 is 1,462 days later.
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        ws.write_string(0, 0, "start_date").unwrap();
        let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2023, 9, 30).unwrap();
        ws.write_datetime_with_format(1, 0, &day, &date).unwrap();
        let p = dir.path().join("dates.xlsx");
        wb.save(&p).unwrap();
        assert_eq!(
            read(&p).unwrap().rows,
            [(2, vec!["2023-09-30".to_string()])]
        );
        rewrite(&p, "xl/workbook.xml", |xml| {
            xml.replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1)
        });
        assert_eq!(
            read(&p).unwrap().rows,
            [(2, vec!["2027-10-01".to_string()])]
        );
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
