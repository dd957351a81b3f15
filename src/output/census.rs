//! What `wfsim census` prints: one area's census years with their flags, and how its usable years
//! compare with its region and England.

use std::fmt::Write;

use super::table::{layout, pct};
use crate::census::{self, Area, Census, Flag, Level, Measure, Trust, Value};

/// Marks a value left out (`*`) or to check (`?`) in the table; a space keeps the others aligned.
fn mark(flags: &[Flag], year: i32, m: Measure) -> &'static str {
    let on = |trust| {
        flags
            .iter()
            .any(|f| f.year == year && f.trust == trust && f.measures.contains(&m))
    };
    if on(Trust::LeftOut) {
        "*"
    } else if on(Trust::Check) {
        "?"
    } else if flags.is_empty() {
        ""
    } else {
        " "
    }
}

/// A published value as the table shows it: FTE to one decimal, rates as percentages, symbols as
/// published (a blank cell as `-`).
fn cell(v: &Value, m: Measure) -> String {
    match v {
        Value::Number(x) if m.is_rate() => pct(*x),
        Value::Number(x) => format!("{x:.1}"),
        Value::Symbol(s) if s.is_empty() => "-".into(),
        Value::Symbol(s) => s.clone(),
    }
}

/// The text for `area`, with its region and England beside it for the latest year.
pub fn render(c: &Census, area: &Area) -> String {
    let mut o = String::new();
    let place = match area.level {
        Level::Council => format!("council in {}, {}", area.region, area.code),
        Level::Regional => "region".into(),
        Level::National => "all councils".into(),
    };
    let _ = writeln!(o, "{} ({place})", area.name);
    let _ = writeln!(
        o,
        "DfE children's social work workforce census (FTE at 30 September), from {}\n",
        c.file
    );
    let flags = census::flags(area);
    let mut rows = vec![
        std::iter::once("year".to_string())
            .chain(Measure::ALL.iter().map(|m| m.label().to_string()))
            .collect::<Vec<_>>(),
    ];
    for y in &area.years {
        let mut row = vec![y.year.to_string()];
        for m in Measure::ALL {
            row.push(format!("{}{}", cell(y.get(m), m), mark(&flags, y.year, m)));
        }
        rows.push(row);
    }
    o.push_str(&layout(&rows));
    let _ = writeln!(
        o,
        "turnover = leavers / in post; agency rate = agency / (agency + in post);\n\
         vacancy rate = vacancies / (vacancies + in post); caseload = cases per case-holding FTE"
    );
    let symbols: Vec<String> = census::SYMBOLS
        .iter()
        .filter(|(s, _)| {
            area.years
                .iter()
                .any(|y| y.values.iter().any(|v| *v == Value::Symbol(s.to_string())))
        })
        .map(|(s, meaning)| format!("{s} {meaning}"))
        .collect();
    if !symbols.is_empty() {
        let _ = writeln!(o, "not published: {}", symbols.join("; "));
    }
    if flags.is_empty() {
        let _ = writeln!(o, "\nno flags: every published figure passes the checks");
    } else {
        let _ = writeln!(
            o,
            "\nflags (* left out of the usable years below, ? kept but worth checking):"
        );
        for f in &flags {
            let _ = writeln!(
                o,
                "  {} {} {}",
                f.year,
                match f.trust {
                    Trust::LeftOut => "*",
                    Trust::Check => "?",
                },
                f.message
            );
        }
    }

    // Usable years, with the region and England in the area's latest year.
    let latest = area.years.last().map(|y| y.year);
    let others: Vec<&Area> = match area.level {
        Level::Council => c
            .region(&area.region)
            .into_iter()
            .chain(c.england())
            .collect(),
        Level::Regional => c.england().into_iter().collect(),
        Level::National => Vec::new(),
    };
    let mut header = vec![
        "usable years".to_string(),
        "mean".into(),
        "range".into(),
        "years".into(),
        "latest".into(),
    ];
    for a in &others {
        header.push(format!(
            "{} {}",
            a.name,
            latest.map_or(String::new(), |y| y.to_string())
        ));
    }
    let mut rows = vec![header];
    for m in [Measure::Turnover, Measure::AgencyRate, Measure::VacancyRate] {
        let u = census::summary(area, &flags, m);
        let mut row = vec![m.label().to_string()];
        match &u {
            Some(u) => {
                row.push(pct(u.mean));
                row.push(format!("{}-{}", pct(u.min), pct(u.max)));
                row.push(u.years.len().to_string());
                row.push(
                    u.latest
                        .map_or("-".into(), |(y, x)| format!("{} ({y})", pct(x))),
                );
            }
            None => row.extend(["-", "-", "0", "-"].map(String::from)),
        }
        for a in &others {
            let v = latest
                .and_then(|y| a.years.iter().find(|ay| ay.year == y))
                .map_or("-".into(), |ay| cell(ay.get(m), m));
            row.push(v);
        }
        rows.push(row);
    }
    o.push('\n');
    o.push_str(&layout(&rows));
    o
}
