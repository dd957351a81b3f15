//! What `wfsim census` prints (one area's census years with their flags, and how its usable years
//! compare with its region and England), and the baseline projection set against a council's
//! census figures (`wfsim run --census`), for the terminal and the report.

use std::fmt::Write;

use super::table::layout;
use crate::census::join::{Beside, RATES, beside};
use crate::census::variation::{self, Style};
use crate::census::{
    self, Area, Census, Entry, Flag, Indicator, Level, Published, Trust, calibrate,
};
use crate::model::format::{fte, pc, pct};
use crate::model::metric::Metric;
use crate::sim::run::Results;
use crate::stats::Summary;

/// Table rows of a name and its values, each value followed by its mark (`*` left out, `?` to
/// check). When any value is marked, the others get a space, so that the figures stay aligned.
fn marked_rows(rows: Vec<(String, Vec<(String, &'static str)>)>) -> Vec<Vec<String>> {
    let any = rows
        .iter()
        .any(|(_, v)| v.iter().any(|(_, m)| !m.is_empty()));
    rows.into_iter()
        .map(|(name, values)| {
            std::iter::once(name)
                .chain(
                    values
                        .into_iter()
                        .map(|(v, m)| format!("{v}{}", if m.is_empty() && any { " " } else { m })),
                )
                .collect()
        })
        .collect()
}

/// A published value as the table shows it: FTE to one decimal, rates as percentages, symbols as
/// published (a blank cell as `-`).
fn cell(v: &Entry, m: Indicator) -> String {
    match v {
        Entry::Number(x) if m.is_rate() => pct(*x),
        Entry::Number(x) => fte(*x),
        Entry::Symbol(s) if s.is_empty() => "-".into(),
        Entry::Symbol(s) => s.clone(),
    }
}

/// The figures of the year-by-year table: every indicator but the cases and case-holders the
/// caseload is worked out from, which the starting point shows (the table keeps to a terminal's
/// width).
const BY_YEAR: [Indicator; 10] = [
    Indicator::InPost,
    Indicator::Starters,
    Indicator::Leavers,
    Indicator::Turnover,
    Indicator::Agency,
    Indicator::AgencyRate,
    Indicator::AgencyCover,
    Indicator::Vacancies,
    Indicator::VacancyRate,
    Indicator::Caseload,
];

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
            .chain(BY_YEAR.iter().map(|m| m.label().to_string()))
            .collect::<Vec<_>>(),
    ];
    rows.extend(marked_rows(
        area.years
            .iter()
            .map(|y| {
                let values = BY_YEAR
                    .iter()
                    .map(|&m| (cell(y.get(m), m), census::mark(&flags, y.year, m)))
                    .collect();
                (y.year.to_string(), values)
            })
            .collect(),
    ));
    o.push_str(&layout(&rows));
    let _ = writeln!(
        o,
        "turnover = leavers / in post; agency rate = agency / (agency + in post);\n\
         vacancy rate = vacancies / (vacancies + in post); caseload = cases per case-holding FTE"
    );
    let symbols: Vec<String> = census::SYMBOLS
        .iter()
        .filter(|(s, _)| {
            area.years.iter().any(|y| {
                BY_YEAR
                    .iter()
                    .any(|&m| *y.get(m) == Entry::Symbol(s.to_string()))
            })
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
    for m in [
        Indicator::Turnover,
        Indicator::AgencyRate,
        Indicator::VacancyRate,
    ] {
        let u = census::summary(area, &flags, m);
        let mut row = vec![m.label().to_string()];
        match &u {
            Some(u) => {
                row.push(pct(u.mean));
                row.push(format!("{}-{}", pct(u.min), pct(u.max)));
                row.push(u.years.len().to_string());
                row.push(format!("{} ({})", pct(u.latest.1), u.latest.0));
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
    match area.level {
        Level::Council => o.push_str(&starting_point(area, &flags)),
        Level::Regional | Level::National => {
            if let Some(year) = latest {
                o.push_str(&members(c, area, year));
            }
        }
    }
    if let Some(year) = c
        .areas
        .iter()
        .flat_map(|a| a.years.iter().map(|y| y.year))
        .max()
    {
        o.push_str(&variation_block(&calibrate::estimate(c, year)));
    }
    o
}

/// The year-to-year variation of councils' rates as a scenario's `[variation]`, with what each
/// estimate rests on.
pub fn variation_block(e: &calibrate::Estimates) -> String {
    let mut o = format!(
        "\nyear-to-year variation of every council, {} to {}, for a scenario's [variation] (sd: one \
         year's new shock, on the odds for\nrates and in proportion for counts; persistence: the \
         share of a year's shock left the next year; tails: the\nexcess kurtosis of a year's \
         shock; leaving and hiring about each council's own level, agency and\nestablishment from \
         councils' changes over 1 to 3 years, agency's beyond what its vacancies give it;\n\
         cases from councils' caseload over 1 to 3 years, beyond its staff's moves and its return \
         towards the mean;\n\
         staff_share: the share of establishment's moves that staff in post make at once;\n\
         points: the share of establishment agency beyond vacancies moves with as well as with \
         itself):\n  [variation]\n",
        e.years.0, e.years.1
    );
    for l in variation::lines(e, Style::Census) {
        let _ = writeln!(o, "  {:<13} = {}  # {}", l.key, l.value, l.source);
    }
    o
}

/// The councils of a region, or the regions of England, in `year`: the comparators a committee
/// paper sets a council beside.
fn members(c: &Census, area: &Area, year: i32) -> String {
    let (what, list): (&str, Vec<&Area>) = match area.level {
        Level::Regional => (
            "councils in",
            c.areas
                .iter()
                .filter(|a| a.level == Level::Council && a.region == area.name)
                .collect(),
        ),
        _ => (
            "regions of",
            c.areas
                .iter()
                .filter(|a| a.level == Level::Regional)
                .collect(),
        ),
    };
    let shown = [
        Indicator::InPost,
        Indicator::Turnover,
        Indicator::AgencyRate,
        Indicator::VacancyRate,
    ];
    let mut rows = vec![
        std::iter::once(format!(
            "{} {year}",
            if area.level == Level::Regional {
                "council"
            } else {
                "region"
            }
        ))
        .chain(shown.iter().map(|m| m.label().to_string()))
        .collect::<Vec<_>>(),
    ];
    let mut cells: Vec<(String, Vec<(String, &'static str)>)> = Vec::new();
    for a in list {
        let Some(y) = a.years.iter().find(|y| y.year == year) else {
            continue;
        };
        let flags = census::flags(a);
        let values = shown
            .iter()
            .map(|&m| (cell(y.get(m), m), census::mark(&flags, year, m)))
            .collect();
        cells.push((a.name.clone(), values));
    }
    if cells.is_empty() {
        return String::new();
    }
    rows.extend(marked_rows(cells));
    format!(
        "\n{what} {} in {year} (* left out, ? worth checking: see each with --council):\n{}",
        area.name,
        layout(&rows)
    )
}

/// A council's latest usable year as a scenario's starting point: its post group's establishment
/// (FTE in post plus vacancies, as the census counts posts), agency FTE and the share of vacancies
/// agency covers.
fn starting_point(area: &Area, flags: &[Flag]) -> String {
    let usable = |y: &census::Year, m: Indicator| {
        if census::left_out(flags, y.year, m) {
            None
        } else {
            y.get(m).number()
        }
    };
    let Some((y, in_post, vacancies)) = area.years.iter().rev().find_map(|y| {
        Some((
            y,
            usable(y, Indicator::InPost).filter(|&p| p > 0.0)?,
            usable(y, Indicator::Vacancies)?,
        ))
    }) else {
        return String::new();
    };
    let mut lines = vec![
        (
            format!("start = \"{}-09\"", y.year),
            format!("30 September {}, the latest usable year", y.year),
        ),
        (
            format!("establishment = {:.1}", in_post + vacancies),
            format!("[[posts]]: FTE in post {in_post:.1} + vacancies {vacancies:.1}"),
        ),
    ];
    if let Some(agency) = usable(y, Indicator::Agency) {
        lines.push((
            format!("agency = {agency:.0}"),
            "[[posts]]: agency FTE, as whole workers".into(),
        ));
        match usable(y, Indicator::AgencyCover) {
            // The census says how many agency workers cover vacancies: the rest cover absence or
            // extra work. Agency covers at most every vacancy, so the whole agency is kept
            // (`agency_split`).
            Some(covering) if vacancies > 0.0 && covering <= agency => {
                let (cover, extra) = calibrate::agency_split(agency, vacancies, Some(covering));
                lines.push((
                    format!("agency_cover = {cover:.2}"),
                    format!(
                        "[[posts]]: agency covering vacancies {covering:.1} / vacancies {vacancies:.1}{}",
                        if covering > vacancies {
                            "; above 1, so agency_extra takes the rest"
                        } else {
                            ""
                        }
                    ),
                ));
                lines.push((
                    format!("agency_extra = {extra:.1}"),
                    "[[posts]]: agency FTE beyond vacancies (absence, extra work)".into(),
                ));
            }
            _ if vacancies > 0.0 => {
                let (cover, extra) = calibrate::agency_split(agency, vacancies, None);
                lines.push((
                    format!("agency_cover = {cover:.2}"),
                    format!(
                        "[[posts]]: agency / vacancies{}",
                        if extra > 0.0 {
                            "; above 1, so agency_extra takes the rest"
                        } else {
                            ""
                        }
                    ),
                ));
                if extra > 0.0 {
                    lines.push((
                        format!("agency_extra = {extra:.1}"),
                        "[[posts]]: agency FTE beyond vacancies (absence, extra work)".into(),
                    ));
                }
            }
            _ => {}
        }
        // Caseload is cases over case-holding FTE, permanent and agency alike: each FTE holds
        // the case-holders' share of a full caseload.
        let positive = |m: Indicator| usable(y, m).filter(|&x| x > 0.0);
        if let (Some(cases), Some(holders)) =
            (positive(Indicator::Cases), positive(Indicator::CaseHolders))
        {
            lines.push((
                format!("cases = {cases:.0}"),
                format!(
                    "[caseload]: cases held by {holders:.1} case-holding FTE, {:.1} each",
                    cases / holders
                ),
            ));
            lines.push((
                format!("caseload_weight = {:.3}", holders / (in_post + agency)),
                format!(
                    "[[grades]] and [agency]: case-holding FTE {holders:.1} / (in post \
                     {in_post:.1} + agency {agency:.1})"
                ),
            ));
        }
    }
    let width = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut o = String::from(
        "\nas a scenario's inputs (the census counts every children and family social worker the \
         council employs;\na scenario of a narrower group, as Tameside's paper counts, takes its own \
         counts):\n",
    );
    for (k, why) in lines {
        let _ = writeln!(o, "  {k:<width$}  # {why}");
    }
    o
}

/// The baseline projection at each census date (30 September) beside the published rates, one row
/// per year that either covers.
#[derive(Clone, Debug, PartialEq)]
pub struct Against {
    /// What the table shows and how the two counts compare at the start.
    pub intro: String,
    /// Column headings, in lower case as the terminal's tables have them.
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A projected rate: the median with its 90% range, or the value alone when every replication
/// agrees.
fn projected(s: &Summary) -> String {
    if s.p05 == s.p95 {
        pct(s.p50)
    } else {
        format!("{} ({}-{})", pct(s.p50), pct(s.p05), pct(s.p95))
    }
}

/// A key finding for the report: the first year after the start in which the baseline and the
/// census both give a rate, in words, e.g. "Against the DfE census: for September 2023 the baseline
/// projects turnover of 26% (90% range 18-36%) and an agency rate of 26% (19-32%); Tameside's
/// census has 27.5% and 24.3%." The start itself is the scenario's input, not a projection.
/// Values left out as artefacts do not count; `None` when no year has both.
pub fn finding(r: &Results, p: &Published) -> Option<String> {
    let cells = beside(r, p);
    // Month 0 is the start.
    let both = |b: &&Beside| {
        b.month.is_some_and(|m| m > 0) && b.projected.is_some() && b.usable().is_some()
    };
    let year = cells.iter().find(both)?.year;
    let shown: Vec<&Beside> = cells
        .iter()
        .filter(|b| b.year == year)
        .filter(both)
        .collect();
    let projected: Vec<String> = shown
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let s = b.projected.expect("kept by `both`");
            let what = match b.measure {
                Indicator::Turnover => "turnover of",
                Indicator::AgencyRate => "an agency rate of",
                _ => "a vacancy rate of",
            };
            let range = crate::model::format::metric_range(b.metric, s.p05, s.p95);
            let range = if s.p05 == s.p95 {
                String::new()
            } else if i == 0 {
                format!(" (90% range {range})")
            } else {
                format!(" ({range})")
            };
            format!("{what} {}{range}", pc(s.p50))
        })
        .collect();
    let published: Vec<String> = shown.iter().filter_map(|b| b.usable()).map(pct).collect();
    Some(format!(
        "Against the DfE census: for September {year} the baseline projects {}; {}'s census has {}.",
        and_list(&projected),
        p.area.name,
        and_list(&published)
    ))
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The comparison as a table with its introduction.
pub fn against(r: &Results, p: &Published) -> Against {
    let base = &r.variants[0];
    let mut head = vec!["year".to_string()];
    for (m, _) in RATES {
        head.push(format!("{}: census", m.label()));
        head.push(format!("{}: projected", m.label()));
    }
    let cells = beside(r, p);
    let marked = cells.iter().any(|b| {
        b.published
            .as_ref()
            .is_some_and(|(_, mark)| !mark.is_empty())
    });
    let rows = cells
        .chunks(RATES.len())
        .map(|year| {
            let mut row = vec![year[0].year.to_string()];
            for b in year {
                row.push(b.published.as_ref().map_or("-".into(), |(v, mark)| {
                    format!("{}{mark}", cell(v, b.measure))
                }));
                row.push(b.projected.as_ref().map_or("-".into(), projected));
            }
            row
        })
        .collect();
    let start_year = r.start.year();
    let in_post = p
        .area
        .years
        .iter()
        .rev()
        .find(|y| y.year <= start_year)
        .and_then(|y| y.get(Indicator::InPost).number().map(|x| (y.year, x)));
    let permanent = base.trajectories[Metric::PermanentFte.index()][0]
        .as_ref()
        .map_or(f64::NAN, |s| s.p50);
    let mut intro = format!(
        "The baseline at each 30 September (median, with the 90% range) beside {}'s published \
         rates in the DfE children's social work workforce census ({}). The projection's rates \
         follow the census definitions: turnover is the year's leavers over FTE in post, the \
         agency and vacancy rates are over agency or vacancies plus FTE in post. Years after the \
         start show what was published since: the projection does not fit itself to them, but \
         a scenario may take inputs from them (an establishment stated from a later census, \
         say), and then matches them in part by construction; its assumptions say where.",
        p.area.name, p.file
    );
    if let Some((year, x)) = in_post {
        intro.push_str(&format!(
            " The scenario starts with {permanent:.0} permanent FTE; the census has {x:.1} FTE in \
             post in {year}{}.",
            if (x - permanent).abs() > 0.1 * x {
                ", so the two count different groups: compare the rates, not the counts"
            } else {
                ""
            }
        ));
    }
    if marked {
        intro.push_str(
            " A census value marked * is taken as a reporting artefact; one marked ? is worth \
             checking (see `wfsim census`).",
        );
    }
    Against { intro, head, rows }
}
