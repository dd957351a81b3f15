//! The scenario `init` builds, written as annotated TOML: every number with its source in a
//! comment (census year and column, the pooled estimate and its years, or `[assumption]`), in
//! the layout of the annotated example.

use std::fmt::Write as _;

use super::caps::{self, Basis, Cap, Role};
use super::figures;
use super::own::{Hidden, Own, OwnGrade, band_name};
use super::{
    ASYE_SHARE, Caseload, CouncilLevel, FILL_PROBABILITY, Inputs, MONTHS, PROTECTED, leaving_rate,
    slug,
};
use crate::census::calibrate::Return;
use crate::census::council::{Grade, MIN_GROUP};
use crate::census::variation::{self, Style};
use crate::model::date::{YearMonth, month_name};
use crate::model::format::toml_num as num;
use crate::scenario::Factor;

/// Comments wrap at this column.
const WIDTH: usize = 100;

/// The column at which a comment after a value starts, as in the annotated example.
const VALUE_COLUMN: usize = 37;

/// The scenario's text.
pub fn write(i: &Inputs) -> String {
    let mut o = String::new();
    header(&mut o, i);
    scenario(&mut o, i);
    posts(&mut o, i);
    grades(&mut o, i);
    intake(&mut o, i);
    rest(&mut o, i);
    o
}

/// `text` as comment lines of at most [`WIDTH`] columns, continued lines indented by a space.
fn comment(o: &mut String, text: &str) {
    let mut line = String::from("#");
    for word in text.split_whitespace() {
        if line.len() + 1 + word.len() > WIDTH && line.len() > 2 {
            let _ = writeln!(o, "{line}");
            line = String::from("# ");
        }
        line.push(' ');
        line.push_str(word);
    }
    let _ = writeln!(o, "{line}");
}

/// `key = value`, with a short `note` after it; a note too long for the line goes above it.
fn entry(o: &mut String, key_value: &str, note: &str) {
    if note.is_empty() {
        let _ = writeln!(o, "{key_value}");
    } else if key_value.len().max(VALUE_COLUMN) + 3 + note.len() <= WIDTH {
        let _ = writeln!(o, "{key_value:<VALUE_COLUMN$} # {note}");
    } else {
        comment(o, note);
        let _ = writeln!(o, "{key_value}");
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// A value moving from `from` to `to`: a plain number when they round alike, else a straight line
/// reaching `to` after `months` months.
fn path(from: f64, to: f64, months: u32, decimals: i32) -> String {
    if num(from, decimals) == num(to, decimals) {
        return num(to, decimals);
    }
    format!(
        "{{ from = {}, to = {}, over_months = {months} }}",
        num(from, decimals),
        num(to, decimals)
    )
}

/// Where a level came from, in words.
fn provenance(l: &CouncilLevel, region: &str, in_words: impl Fn(f64) -> String) -> String {
    let pool = if l.pool.1 {
        format!("{region} councils")
    } else {
        "England's councils".to_string()
    };
    match l.own {
        None => format!(
            "no usable years of its own, so the mean of {pool}, {}",
            in_words(l.pool.0)
        ),
        Some((mean, first, last, n)) => format!(
            "its own mean {} over {n} usable year{} {first}-{last} (weight {:.2}) pooled with the mean of {pool}, {}",
            in_words(mean),
            if n == 1 { "" } else { "s" },
            l.weight,
            in_words(l.pool.0),
        ),
    }
}

fn header(o: &mut String, i: &Inputs) {
    let (first, last) = i.variation.years;
    if let Some(own) = &i.own {
        let f = &own.summary;
        let files: Vec<&str> = [
            Some(&f.staff_file),
            f.leavers_file.as_ref(),
            f.agency_file.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
        comment(
            o,
            &format!(
                "{}: children's social workers from 30 September {}, built by `wfsim init` from the \
                 council's own files ({}) and the DfE children's social work workforce census ({}), \
                 years {first} to {last} and none later.",
                i.council,
                i.year,
                files.join(", "),
                i.source
            ),
        );
        let _ = writeln!(o, "#");
        comment(
            o,
            &format!(
                "Inputs from the files say which file and what they count; no group of fewer than \
                 {MIN_GROUP} people is shown, and no person's data is held. The census fills what \
                 the files do not give, its rates applied to the files' staff ({} FTE in post, {} \
                 times the census's {}). Inputs from the census say which year and column they \
                 come from; inputs marked [assumption] are national defaults: replace them with \
                 your own figures; the report's assumptions table lists them. docs/init.md \
                 explains each step.",
                num(i.in_post, 1),
                num(i.scale, 3),
                num(i.census.0, 1)
            ),
        );
        let _ = writeln!(o);
        return;
    }
    comment(
        o,
        &format!(
            "{}: children's social workers from 30 September {}, built by `wfsim init` from the DfE \
             children's social work workforce census ({}), years {first} to {last} and none later.",
            i.council, i.year, i.source
        ),
    );
    let _ = writeln!(o, "#");
    comment(
        o,
        "Inputs from the census say which year and column they come from. Inputs marked \
         [assumption] are national defaults the census cannot give (grades, pay, service mix, \
         costs, agency rates): replace them with your own figures; the report's assumptions table \
         lists them. docs/init.md explains each step.",
    );
    let _ = writeln!(o);
}

/// The financial years `months` from `start` cover whole, as `2023/24 to 2025/26`.
fn whole_years(start: YearMonth, months: u32) -> String {
    let end = start.add_months(months as i32);
    let fy = |y: i32| format!("{y}/{:02}", (y + 1) % 100);
    format!("{} to {}", fy(end.year() - 3), fy(end.year() - 1))
}

/// The scenario's note on pay, when any grade is paid national pay.
fn pay_note(i: &Inputs) -> Option<String> {
    if i.own.as_ref().is_some_and(Own::own_pay) {
        return None;
    }
    let status = if i.pay.verified { "" } else { ", unverified" };
    let london = if i.region == "London" {
        format!(
            " {} is a London council: London pay is higher, so replace the pay points with its own \
             pay (or give init its staff file with salaries).",
            i.council
        )
    } else {
        " Replace them with local pay where it differs.".to_string()
    };
    Some(format!(
        "Pay: national pay, no London weighting{status} (NJC pay points, {}).{london}",
        i.pay.year
    ))
}

fn scenario(o: &mut String, i: &Inputs) {
    let _ = writeln!(o, "[scenario]");
    // From the council's own files, a name of its own, so that its runs do not replace those of
    // the scenario from the census alone.
    entry(
        o,
        &format!(
            "name = \"{}-{}{}\"",
            slug(&i.council),
            i.year,
            if i.own.is_some() { "-own-data" } else { "" }
        ),
        "names the output folder",
    );
    let description = match &i.own {
        None => format!(
            "{}, 30 September {}: {} FTE in post, {} agency, {} vacancies (DfE census)",
            i.council,
            i.year,
            num(i.in_post, 1),
            num(i.agency, 1),
            num(i.vacancies, 1)
        ),
        Some(own) => format!(
            "{}, 30 September {}: {} FTE in post ({}), {} agency ({}), {} vacancies (census rate)",
            i.council,
            i.year,
            num(i.in_post, 1),
            own.summary.staff_file,
            num(i.agency, 1),
            own.summary.agency_file.as_deref().unwrap_or("census rate"),
            num(i.vacancies, 1)
        ),
    };
    entry(
        o,
        &format!("description = \"{}\"", escape(&description)),
        "",
    );
    entry(
        o,
        &format!("start = \"{}\"", i.start),
        if i.own.is_some() {
            "30 September, the date of the staff file"
        } else {
            "the census date, 30 September"
        },
    );
    entry(
        o,
        &format!("months = {}", i.horizon),
        &format!(
            "to {}: three whole financial years, {}",
            i.start.add_months(i.horizon as i32),
            whole_years(i.start, i.horizon)
        ),
    );
    entry(o, "replications = 1000", "");
    entry(o, "seed = 1", "same seed, same files");
    if i.own.is_some() {
        entry(
            o,
            "calibration = \"council\"",
            "built by wfsim init from the council's own files and the census",
        );
    } else {
        entry(
            o,
            "calibration = \"census\"",
            "built by wfsim init from the census, as the backtest scores",
        );
    }
    let first = if i.own.is_some() {
        format!(
            "Built by wfsim init from the council's own files and the census as at 30 September {}; inputs marked [assumption] are national defaults to replace with local figures.",
            i.year
        )
    } else {
        format!(
            "Built by wfsim init from the census as at 30 September {}; inputs marked [assumption] are national defaults to replace with local figures.",
            i.year
        )
    };
    let _ = writeln!(o, "notes = [\n  \"{first}\",");
    if let Some(note) = pay_note(i) {
        let _ = writeln!(o, "  \"{}\",", escape(&note));
    }
    if let Some(note) = growth_note(i) {
        let _ = writeln!(o, "  \"{}\",", escape(&note));
    }
    let _ = writeln!(o, "]\n");
    let _ = writeln!(o, "[service]");
    entry(
        o,
        "band_edges_months = [12, 24, 60]",
        "under 1 year, 1-2, 2-5, 5+ years of service",
    );
    let _ = writeln!(o);
}

/// Text as a TOML basic string's contents.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// How a rate (or caseload) at `now` returns to `to`, and the evidence, for the establishment's
/// (or cases') comment; `show` writes a value.
fn return_text(
    r: &Return,
    (now, to): (f64, f64),
    (first, last): (i32, i32),
    show: fn(f64) -> String,
) -> String {
    let (side, share, pairs) = if now > r.mean {
        ("above", r.above, r.pairs.0)
    } else {
        ("below", r.below, r.pairs.1)
    };
    if pairs == 0 {
        return format!(
            "holds: no council {side} the mean over councils has two census years to {last} to \
             show how far councils return towards it"
        );
    }
    format!(
        "closes {} of its gap from the mean over councils ({}) a year, to {}: the median share \
         councils {side} the mean closed from one year to the next [census {first}-{last}: {pairs} \
         council-years]",
        pct(share),
        show(r.mean),
        show(to)
    )
}

fn posts(o: &mut String, i: &Inputs) {
    let y = i.year;
    let (first, last) = i.variation.years;
    let _ = writeln!(o, "[[posts]]");
    entry(
        o,
        "name = \"Social worker\"",
        "every children and family social worker the census counts",
    );
    let source = match &i.own {
        None => format!("[census {y}: inpost_fte, vacancy_fte]"),
        Some(own) => format!(
            "[{}; census {y}: vacancy_fte {} x {}, the files' FTE over the census's]",
            own.summary.staff_file,
            num(i.census.1, 1),
            num(i.scale, 3)
        ),
    };
    comment(
        o,
        &format!(
            "Establishment: FTE in post {} + vacancies {} {source}, \
             growing {:+.1}% a year, the mean yearly change of every council's establishment \
             {first}-{last} [census: {} council-years].",
            num(i.in_post, 1),
            num(i.vacancies, 1),
            100.0 * (i.growth.0.exp() - 1.0),
            i.growth.1
        ),
    );
    let e = &i.variation;
    let (v0, a0) = (
        i.vacancies / (i.in_post + i.vacancies),
        i.agency / (i.agency + i.in_post),
    );
    comment(
        o,
        &format!(
            "By {}, establishment is set so that the vacancy rate, {} now, {}; agency beyond \
             vacancies (or, where that would be below 0, the share of vacancies agency covers) so \
             that the agency rate, {} now, {}. Staff in post are expected to grow with \
             establishment's growth. To hold an input instead, give its `from` value alone.",
            i.end,
            pct(v0),
            return_text(&e.vacancy_return, (v0, i.rates_to.1), (first, last), pct),
            pct(a0),
            return_text(&e.agency_return, (a0, i.rates_to.0), (first, last), pct),
        ),
    );
    entry(
        o,
        &format!(
            "establishment = {}",
            path(i.establishment.0, i.establishment.1, MONTHS, 1)
        ),
        "",
    );
    let agency_note = match i.own.as_ref().map(|o| (&o.summary.agency, &o.summary)) {
        None => format!(
            "agency FTE {} [census {y}: agency_fte], whole workers",
            num(i.agency, 1)
        ),
        Some((Some(a), f)) => format!(
            "agency FTE {} [{}: {}], whole workers",
            num(i.agency, 1),
            f.agency_file.as_deref().unwrap_or(""),
            people(a.heads, "agency workers")
        ),
        Some((None, _)) => format!(
            "agency FTE {}: the census's {} [census {y}: agency_fte] x {}, whole workers",
            num(i.agency, 1),
            num(i.census.2, 1),
            num(i.scale, 3)
        ),
    };
    entry(o, &format!("agency = {}", i.agency.round()), &agency_note);
    let (recruit, note) = recruit(i);
    entry(o, &format!("recruit = {recruit}"), &note);
    entry(
        o,
        &format!("fill_probability = {FILL_PROBABILITY}"),
        "Chance a vacancy is filled in a month while the council can hire [assumption: councils \
         take 55.4 days to hire, figures time_to_hire.councils_average_days]",
    );
    entry(
        o,
        &format!("agency_cover = {}", path(i.cover, i.cover_to, MONTHS, 3)),
        &if i.cover_column {
            format!(
                "Share of vacancies agency covers [census {y}: agency_cover_fte, at most the \
                 agency and the vacancies, / vacancy_fte]"
            )
        } else {
            format!(
                "Share of vacancies agency covers [census {y}: no agency_cover_fte in the file, so \
                 agency_fte / vacancy_fte, at most 1]"
            )
        },
    );
    let own_agency = i.own.as_ref().and_then(|o| {
        let f = &o.summary;
        f.agency.as_ref().and(f.agency_file.clone())
    });
    entry(
        o,
        &format!("agency_extra = {}", path(i.extra, i.extra_to, MONTHS, 1)),
        &match (own_agency, i.cover_over) {
            (Some(file), _) => format!(
                "Agency FTE beyond vacancies [{file}: the agency FTE less the share of vacancies \
                 agency covers above times the vacancies]"
            ),
            (None, c) => match c {
                Some(c) => format!(
                    "Agency FTE beyond vacancies [census {y}: agency_fte less the agency covering \
                 vacancies; agency_cover_fte, {}, is more than the {}]",
                    num(c, 1),
                    if c > i.vacancies {
                        "vacancies"
                    } else {
                        "agency"
                    }
                ),
                None => {
                    format!(
                        "Agency FTE beyond vacancies [census {y}: agency_fte - agency_cover_fte]"
                    )
                }
            },
        },
    );
    match i
        .own
        .as_ref()
        .and_then(|o| o.summary.agency.as_ref())
        .and_then(|a| a.hourly.filter(|h| h.1 >= MIN_GROUP))
    {
        Some((rate, n)) => entry(
            o,
            &format!("agency_hourly_rate = {}", num(rate, 2)),
            &format!(
                "pounds an hour [{}: FTE-weighted mean of {n} workers' rates (a daily rate \
                 counted over {} hours)]",
                i.own
                    .as_ref()
                    .and_then(|o| o.summary.agency_file.as_deref())
                    .unwrap_or(""),
                num(crate::census::council::HOURS_PER_DAY, 1)
            ),
        ),
        // England's rate, scaled as the region's price cap is by its pay against England's.
        None => match caps::region(&i.region).and_then(caps::pay_ratio) {
            Some((ratio, key)) => entry(
                o,
                &format!(
                    "agency_hourly_rate = {{ dist = \"triangular\", low = {}, mode = {}, high = {} }}",
                    num(40.0 * ratio, 2),
                    num(45.0 * ratio, 2),
                    num(50.0 * ratio, 2)
                ),
                &format!(
                    "[assumption: Sheffield 2022 and St Helens 2025 paid about £47-49 an hour, \
                     England's £40-£50 here x {} for {}'s social worker pay against England's \
                     (figures {key}), as its price cap is]",
                    num(ratio, 3),
                    caps::region(&i.region).unwrap_or(&i.region)
                ),
            ),
            None => entry(
                o,
                "agency_hourly_rate = { dist = \"triangular\", low = 40.0, mode = 45.0, high = 50.0 }",
                "[assumption: Sheffield 2022 and St Helens 2025 paid about £47-49 an hour]",
            ),
        },
    }
    if let Some(caps) = region_caps(i) {
        let rated = i
            .own
            .as_ref()
            .and_then(|own| own.summary.agency.as_ref())
            .filter(|a| a.hourly.is_some())
            .map(|a| a.rated_fte);
        match rated.and_then(|fte| blended_cap(&caps, &fte)) {
            Some((cap, whom)) => write_cap(o, &cap, &whom, "", false),
            None => price_cap(o, POST, &caps),
        }
    }
    let _ = writeln!(o);
}

/// The name of the one post group `init` writes.
const POST: &str = "Social worker";

/// The council's region's price caps from the table wfsim ships ([`caps`]), when the scenario's
/// horizon reaches the month they apply from (and so the rules, which come before).
fn region_caps(i: &Inputs) -> Option<RegionCaps> {
    let rows = caps::of_region(caps::shipped(), &i.region);
    let from = rows.iter().map(|c| c.applies_from).min()?;
    let end = i.start.add_months(i.horizon as i32);
    let rules = YearMonth::new(RULES_FROM.0, RULES_FROM.1).expect("a month");
    (end >= from && end >= rules).then(|| RegionCaps {
        region: rows[0].region.clone(),
        from,
        rows,
    })
}

/// A region's caps, one a role, and the first month they apply.
struct RegionCaps {
    region: String,
    from: YearMonth,
    rows: Vec<&'static Cap>,
}

/// The agency fee a council pays on top of a cap, as the market rates `init` writes include it:
/// Birmingham's average in 2015, the one published figure wfsim holds.
fn agency_fee() -> figures::Figure {
    const KEY: &str = "agency_fee.birmingham_2015";
    figures::value(KEY).unwrap_or(figures::Figure {
        key: KEY.to_string(),
        value: 0.0,
        status: "missing".into(),
    })
}

/// `agency_price_cap` for the post group `post`, from its role's cap in `caps` plus the agency
/// fee (as the post's market rate is charged), with the cap's source; nothing for a post group
/// none of the DfE's roles fits.
fn price_cap(o: &mut String, post: &str, caps: &RegionCaps) {
    let Some(c) = Role::of_post(post).and_then(|role| caps.rows.iter().find(|c| c.role == role))
    else {
        return;
    };
    let whom = format!(
        "{}'s cap for a {} in wfsim's table of regional caps (assets/figures/agency_caps.csv)",
        caps.region,
        c.role.name()
    );
    let why = "This post group holds every social worker the census counts and takes a social \
               worker's cap, as its market rate is a social worker's.";
    write_cap(o, c, &whom, why, true);
}

/// The cap of a post group whose market rate is the mean of the agency file's rates, weighted
/// by its workers' FTE (`rated_fte`, by grade): the region's caps for the DfE's roles of those
/// grades, weighted alike (most likely value and range each), with where it comes from and why;
/// none when no grade with a rate has a role in `caps`.
fn blended_cap(caps: &RegionCaps, rated_fte: &[f64; 5]) -> Option<(Cap, String)> {
    use crate::census::council::Grade;
    // Newly qualified agency workers, where a file has any, are priced as social workers.
    let role = |g: Grade| Role::of_post(g.name()).unwrap_or(Role::SocialWorker);
    let mut parts: Vec<(&Cap, f64, Vec<&str>)> = Vec::new();
    for (g, &fte) in Grade::ALL.iter().zip(rated_fte) {
        let Some(c) = caps.rows.iter().find(|c| c.role == role(*g)) else {
            continue;
        };
        if fte <= 0.0 {
            continue;
        }
        match parts.iter_mut().find(|p| p.0.role == c.role) {
            Some(p) => {
                p.1 += fte;
                p.2.push(g.name());
            }
            None => parts.push((c, fte, vec![g.name()])),
        }
    }
    let total: f64 = parts.iter().map(|p| p.1).sum();
    if parts.is_empty() || total <= 0.0 {
        return None;
    }
    let mean = |f: fn(&Cap) -> f64| parts.iter().map(|p| f(p.0) * p.1).sum::<f64>() / total;
    let mut cap = parts[0].0.clone();
    (cap.cap, cap.low, cap.high) = (mean(|c| c.cap), mean(|c| c.low), mean(|c| c.high));
    if parts.iter().any(|p| p.0.basis == Basis::Assumption) {
        cap.basis = Basis::Assumption;
    }
    let roles: Vec<String> = parts
        .iter()
        .map(|p| format!("a {} for {}", p.0.role.name(), p.2.join(" and ")))
        .collect();
    cap.source = parts
        .iter()
        .map(|p| {
            format!(
                "{}: £{:.2} ({}{})",
                p.0.role.name(),
                p.0.cap,
                match p.0.basis {
                    Basis::Published => "published",
                    Basis::Assumption => "an assumption",
                },
                if p.0.fixed() {
                    String::new()
                } else {
                    format!(", £{:.2} to £{:.2}", p.0.low, p.0.high)
                }
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
        + "; each row of assets/figures/agency_caps.csv gives its source or method";
    let whom = format!(
        "{}'s caps in wfsim's table of regional caps (assets/figures/agency_caps.csv) for the \
         DfE's roles of the agency file's workers ({}), weighted by their FTE as the market \
         rate above is, since this post group holds all of them",
        caps.region,
        roles.join(", ")
    );
    Some((cap, whom))
}

/// Writes `agency_price_cap` from cap `c` plus the agency fee, its comment saying it is `whom`
/// and `why` this post group takes it; `rate_assumed`: the market rate it is set against is an
/// assumption too (not the council's own).
fn write_cap(o: &mut String, c: &Cap, whom: &str, why: &str, rate_assumed: bool) {
    let fee = agency_fee();
    let with_fee = |x: f64| num(x * (1.0 + fee.value / 100.0), 2);
    let value = if c.fixed() {
        with_fee(c.cap)
    } else {
        format!(
            "{{ dist = \"triangular\", low = {}, mode = {}, high = {} }}",
            with_fee(c.low),
            with_fee(c.cap),
            with_fee(c.high)
        )
    };
    let range = if c.fixed() {
        String::new()
    } else {
        format!(" (£{:.2} to £{:.2})", c.low, c.high)
    };
    let source = match c.basis {
        Basis::Published => format!("published: {}", c.source),
        Basis::Assumption if rate_assumed => format!(
            "{}. Both this cap and the market rate above are assumptions, and near each other: \
             what the caps save in the projection, and what the report says the rules change in \
             agency spend, comes from the difference between two assumptions until the region's \
             published cap replaces this one",
            c.source.trim_end_matches('.')
        ),
        Basis::Assumption => format!(
            "{}. The cap is an assumption: what the caps save in the projection, and what the \
             report says the rules change in agency spend, rests on it until the region's \
             published caps replace it",
            c.source.trim_end_matches('.')
        ),
    };
    comment(
        o,
        &format!(
            "Price cap on an hour of agency work from [agency.rules] caps_from, as the council pays \
             it: {whom}, £{:.2} an hour{range} on the DfE's basis ({}), plus an agency fee of {}% \
             as the market rate above includes one [figures {}; the fee an assumption].{} The cap: \
             [{source}]",
            c.cap,
            c.covers,
            fee.value,
            fee.key,
            if why.is_empty() {
                String::new()
            } else {
                format!(" {why}")
            },
        ),
    );
    entry(o, &format!("agency_price_cap = {value}"), "");
}

/// `n` people as a comment may show them: the count, "no" for none, or "fewer than 5" for a
/// smaller group.
fn people(n: usize, what: &str) -> String {
    // None is no person's data: a file with no rows says so.
    if n == 0 {
        format!("no {what}")
    } else if n >= MIN_GROUP {
        format!("{n} {what}")
    } else {
        format!("fewer than {MIN_GROUP} {what}")
    }
}

/// The posts' `recruit` mix and its note.
fn recruit(i: &Inputs) -> (String, String) {
    let Some(own) = &i.own else {
        return (
            "{ \"ASYE\" = 0.3, \"Social worker\" = 0.7 }".into(),
            "grade mix of recruits [assumption]".into(),
        );
    };
    let first = own.first_qualified().map_or("Level 2", Grade::name);
    let f = &own.summary;
    let files = format!(
        "{} and {}",
        f.staff_file,
        f.leavers_file.as_deref().unwrap_or("")
    );
    match (own.capacity, own.recruit.is_empty()) {
        (Some(_), false) => {
            let parts: Vec<String> = own
                .recruit
                .iter()
                .map(|(g, x)| format!("\"{}\" = {}", g.name(), num(*x, 2)))
                .collect();
            (
                format!("{{ {} }}", parts.join(", ")),
                format!(
                    "grade mix of recruits beyond the ASYE cohort: the FTE of those who started in \
                     each grade over the leavers file's period, a grade of fewer than {MIN_GROUP} \
                     starters counted in the largest's [{files}: start dates]"
                ),
            )
        }
        (Some(_), true) => (
            format!("{{ \"{first}\" = 1.0 }}"),
            format!(
                "[assumption: nobody but ASYEs started over the leavers file's period ({files}), \
                 so recruits join the lowest qualified grade]"
            ),
        ),
        (None, _) => (
            format!("{{ \"ASYE\" = 0.3, \"{first}\" = 0.7 }}"),
            "grade mix of recruits [assumption: no leavers file, so no starters to count]".into(),
        ),
    }
}

/// The census's leaving rate line (a path from the latest turnover to its level, the same in
/// every band) and its note.
fn census_leaving(i: &Inputs, why: &str) -> (String, String) {
    let y = i.year;
    let t = &i.turnover;
    let (level, from) = t.rates();
    let latest = t.latest.map(|_| from);
    let leaving = path(
        leaving_rate(from),
        leaving_rate(level),
        t.months_to_level(),
        3,
    );
    let note = format!(
        "Annual leaving rate 1 - e^-turnover, so that leavers over staff in post is the turnover; \
         the same in every band and grade [{why}]. Turnover {} [census: turnover_rate_fte; \
         {}], reached as fast as councils' turnover returns to its level [census: persistence {:.2}].",
        match latest {
            Some(x) => format!("{} in {y}, moving to its level {}", pct(x), pct(level)),
            None => format!("{} (no usable {y} figure)", pct(level)),
        },
        provenance(t, &i.region, |x| pct(1.0 / (1.0 + (-x).exp()))),
        t.persistence
    );
    (
        format!("leaving = [{leaving}, {leaving}, {leaving}, {leaving}]"),
        note,
    )
}

/// The national pay points of `points` in the pay year at the start, and their note.
fn national_pay(i: &Inputs, points: &[u32]) -> (String, String) {
    let values: Vec<String> = points
        .iter()
        .map(|p| format!("{:.0}", i.pay.points.get(p).copied().unwrap_or(0.0)))
        .collect();
    let keys: Vec<String> = points
        .iter()
        .map(|p| format!("figures {}", i.pay.key(*p)))
        .collect();
    let list = match points {
        [a, b] => format!("{a} and {b}"),
        [a, b, c] => format!("{a}, {b} and {c}"),
        _ => points
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    };
    (
        format!("pay_points = [{}]", values.join(", ")),
        format!(
            "[assumption: NJC SCP {list}, {}; national pay, no London weighting{}; {}]",
            i.pay.year,
            if i.pay.verified { "" } else { ", unverified" },
            keys.join(", ")
        ),
    )
}

fn grades(o: &mut String, i: &Inputs) {
    if let Some(own) = &i.own {
        own_grades(o, i, own);
        return;
    }
    let y = i.year;
    let (leaving_line, note) = census_leaving(i, "assumption");
    let _ = writeln!(o, "[[grades]]");
    entry(
        o,
        "name = \"ASYE\"",
        "newly qualified, in their assessed year",
    );
    entry(o, "post = \"Social worker\"", "");
    entry(o, "newly_qualified = true", "");
    entry(
        o,
        &format!("permanent = {}", i.asye),
        &format!(
            "{:.0}% of the {} in post [assumption]",
            100.0 * ASYE_SHARE,
            i.permanent
        ),
    );
    entry(o, "service_shares = [1.0, 0.0, 0.0, 0.0]", "");
    comment(o, &note);
    entry(o, &leaving_line, "");
    entry(
        o,
        "progression = { to = \"Social worker\", after_months = 12, pass_rate = 0.95 }",
        "[assumption]",
    );
    if let Ok(c) = &i.caseload {
        let note = weight_note(i, c);
        entry(o, &format!("caseload_weight = {}", num(c.weight, 3)), &note);
        protected(o, c.protected);
    }
    let (line, pay_note) = national_pay(i, &pay_points(Grade::Asye));
    entry(o, &line, &pay_note);
    let _ = writeln!(o);
    let _ = writeln!(o, "[[grades]]");
    entry(o, "name = \"Social worker\"", "");
    entry(o, "post = \"Social worker\"", "");
    entry(
        o,
        &format!("permanent = {}", i.permanent - i.asye),
        &format!(
            "FTE in post {} less the ASYEs [census {y}: inpost_fte]",
            num(i.in_post, 1)
        ),
    );
    entry(
        o,
        "service_shares = [0.11, 0.11, 0.34, 0.44]",
        "[assumption: 60% of staff under 5 years at their council, 2019-2021]",
    );
    comment(o, &note);
    entry(o, &leaving_line, "");
    if let Ok(c) = &i.caseload {
        entry(
            o,
            &format!("caseload_weight = {}", num(c.weight, 3)),
            "as the ASYEs' outside their protected year",
        );
    }
    let (line, pay_note) = national_pay(i, &pay_points(Grade::Level2));
    entry(o, &line, &pay_note);
    let _ = writeln!(o);
}

/// The ASYEs' protected year.
fn protected(o: &mut String, weight: f64) {
    entry(o, "protected_months = 12", "the ASYE year");
    entry(
        o,
        &format!("protected_weight = {}", num(weight, 3)),
        &format!(
            "{} x caseload_weight [DfE ASYE framework: a protected caseload, about a 10% \
             lighter workload]",
            num(PROTECTED, 1)
        ),
    );
}

/// The national NJC pay points init gives a grade [assumption]: the two or three points a grade
/// commonly spans.
fn pay_points(g: Grade) -> Vec<u32> {
    match g {
        Grade::Asye => vec![23, 25],
        Grade::Level2 => vec![29, 31, 33],
        Grade::Level3 => vec![33, 36],
        Grade::Senior => vec![36, 39],
        Grade::Manager => vec![42, 43],
    }
}

/// One band's leaving rate as written: the beta of the annual rate.
fn beta(r: &super::own::Rate) -> String {
    format!(
        "{{ dist = \"beta\", alpha = {}, beta = {} }}",
        num(r.beta.0.max(0.001), 3),
        num(r.beta.1.max(0.001), 3)
    )
}

/// The grades of the council's files, in the ladder's order.
fn own_grades(o: &mut String, i: &Inputs, own: &Own) {
    let f = &own.summary;
    let first = own.first_qualified().map_or("Level 2", Grade::name);
    let names: Vec<String> = f
        .names
        .iter()
        .map(|n| {
            format!(
                "\"{}\" -> {} ({}{})",
                n.name,
                n.grade.name(),
                people(n.people, "people"),
                if n.mapped { ", by --grades" } else { "" }
            )
        })
        .collect();
    if !names.is_empty() {
        comment(
            o,
            &format!(
                "The files' grade names, each read as the scenario's grade after the arrow \
                 (people in the files): {}. Names not in --grades are read by the scenario's \
                 names and the usual others (docs/init.md).",
                names.join("; ")
            ),
        );
    }
    for g in &own.grades {
        let _ = writeln!(o, "[[grades]]");
        let asye = g.grade == Grade::Asye;
        entry(
            o,
            &format!("name = \"{}\"", g.grade.name()),
            if asye {
                "newly qualified, in their assessed year"
            } else {
                ""
            },
        );
        entry(o, "post = \"Social worker\"", "");
        if asye {
            entry(o, "newly_qualified = true", "");
        }
        entry(
            o,
            &format!("permanent = {}", num(g.fte, 1)),
            &format!(
                "FTE in post [{}: {}]",
                f.staff_file,
                people(g.heads, "people")
            ),
        );
        let shares: Vec<String> = g.shares.iter().map(|x| num(*x, 3)).collect();
        entry(
            o,
            &format!("service_shares = [{}]", shares.join(", ")),
            &if g.council_shares {
                format!(
                    "FTE by length of service at the council, over all its grades: this grade \
                     has fewer than {MIN_GROUP} people, whose own shares would show each one's \
                     [{}: start_date]",
                    f.staff_file
                )
            } else {
                format!(
                    "FTE by length of service at the council [{}: start_date]",
                    f.staff_file
                )
            },
        );
        own_leaving(o, i, own, g);
        if asye {
            entry(
                o,
                &format!(
                    "progression = {{ to = \"{first}\", after_months = 12, pass_rate = 0.95 }}"
                ),
                "[assumption]",
            );
        }
        if let Ok(c) = &i.caseload {
            match g.weight {
                Some(w) => {
                    entry(
                        o,
                        &format!("caseload_weight = {}", num(w, 3)),
                        &if g.council_shares {
                            format!(
                                "case-holding FTE over FTE of the council's qualified staff: this \
                                 grade has fewer than {MIN_GROUP} people, whose own would show \
                                 whether each holds cases [{}: case_holding]",
                                f.staff_file
                            )
                        } else {
                            format!("case-holding FTE over FTE [{}: case_holding]", f.staff_file)
                        },
                    );
                    if asye {
                        protected(o, (PROTECTED * w * 1000.0).round() / 1000.0);
                    }
                }
                None => {
                    if asye {
                        entry(
                            o,
                            &format!("caseload_weight = {}", num(c.weight, 3)),
                            &weight_note(i, c),
                        );
                        protected(o, c.protected);
                    } else {
                        entry(
                            o,
                            &format!("caseload_weight = {}", num(c.weight, 3)),
                            "as the ASYEs' outside their protected year",
                        );
                    }
                }
            }
        }
        match g.salary {
            Some((x, n)) => entry(
                o,
                &format!("salary = {:.0}", x.round()),
                &match f.pay_column {
                    // Pay points are turned into pounds by wfsim's own table of national pay.
                    Some("pay_point") => format!(
                        "pounds a year, full time [{}: FTE-weighted mean pay_point of {n} people, \
                         in pounds by the NJC national pay spine {}: national pay, no London \
                         weighting{}]",
                        f.staff_file,
                        i.pay.year,
                        if i.pay.verified { "" } else { ", unverified" }
                    ),
                    column => format!(
                        "pounds a year, full time [{}: FTE-weighted mean {} of {n} people]",
                        f.staff_file,
                        column.unwrap_or("salary")
                    ),
                },
            ),
            None => {
                let (line, mut note) = national_pay(i, &pay_points(g.grade));
                if g.few_salaries {
                    note = format!(
                        "{note} (the staff file gives the pay of fewer than {MIN_GROUP} people in \
                         this grade, which is not shown)"
                    );
                }
                entry(o, &line, &note);
            }
        }
        let _ = writeln!(o);
    }
}

/// A grade's leaving rates from the council's leavers, or the census's without a leavers file.
fn own_leaving(o: &mut String, i: &Inputs, own: &Own, g: &OwnGrade) {
    let f = &own.summary;
    let (Some(rates), Some(pooled), Some(p)) = (&g.leaving, &g.pooled, &f.period) else {
        let (line, note) = census_leaving(i, "no leavers file, so the census's turnover");
        comment(o, &note);
        entry(o, &line, "");
        return;
    };
    let s = f.grade(g.grade);
    let leavers = f.leavers_file.as_deref().unwrap_or("");
    let counts = |exposure: f64, heads: usize, leaver_fte: f64, leaver_heads: usize| {
        if heads < MIN_GROUP {
            format!("fewer than {MIN_GROUP} people at risk")
        } else if leaver_heads < MIN_GROUP {
            format!(
                "{} FTE-years at risk of {heads} people, fewer than {MIN_GROUP} leavers",
                num(exposure, 1)
            )
        } else {
            format!(
                "{} FTE leavers ({leaver_heads} people) over {} FTE-years at risk",
                num(leaver_fte, 1),
                num(exposure, 1)
            )
        }
    };
    let grade_heads = s.exposed_heads;
    let by_band: Vec<String> = rates
        .iter()
        .zip(&s.bands)
        .enumerate()
        .map(|(k, (r, c))| match g.hidden[k] {
            None => format!(
                "{} {} ({}-{}; {})",
                band_name(k),
                pct(r.mean),
                pct(r.range.0),
                pct(r.range.1),
                counts(c.exposure, c.exposed_heads, c.leavers, c.leaver_heads)
            ),
            Some(h) => format!(
                "{} the grade's rate ({})",
                band_name(k),
                match h {
                    Hidden::FewAtRisk => format!("fewer than {MIN_GROUP} people at risk"),
                    Hidden::FewLeavers => format!("fewer than {MIN_GROUP} leavers"),
                    Hidden::Complement => {
                        "so that another band's small count cannot be worked back".to_string()
                    }
                    Hidden::FewInGrade => "the grade's own counts are too few to show".to_string(),
                }
            ),
        })
        .collect();
    let months = format!("{:.0}", p.months());
    // Rates of leaving (leavers per FTE-year) and chances of leaving in a year are different
    // scales: each figure says which it is, so that the chance does not read as less than both
    // rates it pools.
    let grade_rate = if g.hidden[0] == Some(Hidden::FewInGrade) {
        format!(
            "The grade's rate is the council's census turnover level, {} leavers per FTE-year \
             [census: turnover_rate_fte], a {} chance of leaving in a year on average ({}-{}), \
             as its own counts are too few to show ({}).",
            num(own.census_hazard, 3),
            pct(pooled.mean),
            pct(pooled.range.0),
            pct(pooled.range.1),
            counts(s.exposure(), grade_heads, s.leavers(), s.leaver_heads()),
        )
    } else {
        // Only where the counts are shown: a rate would give back a small count.
        let own_rate =
            if s.exposure() > 0.0 && grade_heads >= MIN_GROUP && s.leaver_heads() >= MIN_GROUP {
                format!(
                    ": {} leavers per FTE-year",
                    num(s.leavers() / s.exposure(), 3)
                )
            } else {
                String::new()
            };
        format!(
            "The grade's chance of leaving in a year, {} on average ({}-{}), pools its own counts \
             ({}{own_rate}) with the council's census turnover level, {} leavers per FTE-year \
             [census: turnover_rate_fte], at the same weight.",
            pct(pooled.mean),
            pct(pooled.range.0),
            pct(pooled.range.1),
            counts(s.exposure(), grade_heads, s.leavers(), s.leaver_heads()),
            num(own.census_hazard, 3),
        )
    };
    comment(
        o,
        &format!(
            "Annual leaving rates 1 - e^-rate, each a beta with the mean and variance of the \
             rate's posterior: leavers are Poisson (rate x FTE-years at risk) over {months} months \
             to the start, {} [{leavers} and {}: time at risk from start dates, counted as service \
             accrues], with a gamma prior centred on the grade's rate and weighing {} FTE-years. \
             {} By band, the mean and 90% range: {}. A band of fewer than {MIN_GROUP} people at \
             risk or leavers has the grade's rate, as its own would give back its counts.",
            // Never the earliest leaving date itself: it is one person's.
            if p.given {
                format!(
                    "from {}",
                    YearMonth::new(p.from.year, p.from.month)
                        .map_or(String::new(), |m| m.to_string())
                )
            } else {
                format!(
                    "from 1 April {}, the start of the financial year of the earliest leaving \
                     (--leavers-from sets another)",
                    p.from.year
                )
            },
            f.staff_file,
            num(f.prior_fte_years, 1),
            grade_rate,
            by_band.join("; ")
        ),
    );
    let parts: Vec<String> = rates.iter().map(beta).collect();
    entry(o, &format!("leaving = [{}]", parts.join(", ")), "");
}

/// `[intake.asye]`: the September cohort, from the files' ASYE starters or none, so that
/// `wfsim solve --vary intake.asye.size` works on every scenario init writes.
fn intake(o: &mut String, i: &Inputs) {
    let _ = writeln!(o, "[intake.asye]");
    entry(o, "grade = \"ASYE\"", "");
    // The cohort's comment sits above its size, which it explains.
    match i.own.as_ref().and_then(|o| o.intake.map(|x| (x, o))) {
        Some(((size, per_year), own)) => {
            let f = &own.summary;
            entry(o, "month = 9", "September [assumption]");
            comment(
                o,
                &format!(
                    "Newly qualified social workers joining as one cohort each September, into \
                     vacant posts, on top of the hiring capacity: the council's ASYE starters over \
                     the leavers file's period, {} FTE a year [{} and {}: {} whose start dates fall \
                     in it; the month is an assumption]. `wfsim solve --vary \
                     intake.asye.size=0..30` finds the cohort a target needs.",
                    num(per_year, 1),
                    f.staff_file,
                    f.leavers_file.as_deref().unwrap_or(""),
                    people(f.grade(Grade::Asye).starter_heads, "people")
                ),
            );
            entry(o, &format!("size = {size}"), "");
        }
        None => {
            entry(o, "month = 9", "September");
            comment(
                o,
                "Newly qualified social workers joining as one cohort each September, into vacant \
                 posts, on top of the hiring capacity: none [assumption: the census does not count \
                 ASYEs; newly qualified recruits are in the posts' recruit mix]. `wfsim solve \
                 --vary intake.asye.size=0..30` finds the cohort a target needs.",
            );
            entry(o, "size = 0", "");
        }
    }
    let _ = writeln!(o);
}

/// Where each grade's and agency's `caseload_weight` comes from.
fn weight_note(i: &Inputs, c: &Caseload) -> String {
    format!(
        "Case-holding FTE per FTE, permanent and agency alike, so that the weighted staff at the \
         start ({} in post less the {} ASYEs, {} agency and the ASYEs at {} x the weight) are the \
         {} case-holding FTE [census {}: case_holders_fte]",
        i.permanent,
        i.asye,
        i.agency.round(),
        num(PROTECTED, 1),
        num(c.holders, 1),
        i.year
    )
}

/// `[caseload]`, or why there is none.
fn caseload(o: &mut String, i: &Inputs) {
    let y = i.year;
    let (first, last) = i.variation.years;
    let c = match &i.caseload {
        Ok(c) => c,
        Err(why) => {
            comment(
                o,
                &format!(
                    "No [caseload]: {}'s census for {y} has no cases to start from ({why}), so \
                     the scenario reports no caseload and its cases do not vary.",
                    i.council
                ),
            );
            let _ = writeln!(o);
            return;
        }
    };
    let _ = writeln!(o, "[caseload]");
    let cases_source = match &i.own {
        None => format!("[census {y}: cases]"),
        Some(own) if own.agency_weight.is_some() => format!(
            "[census {y}: cases / case_holders_fte, {} per case-holding FTE, times the {} \
             case-holding FTE the scenario starts with from {}'s case_holding]",
            num(c.caseload.0, 1),
            num(c.holders, 1),
            own.summary.staff_file
        ),
        Some(_) => format!(
            "[census {y}: cases x {}, the files' FTE over the census's]",
            num(i.scale, 3)
        ),
    };
    comment(
        o,
        &format!(
            "Cases held by case-holding staff, {:.0} {cases_source}, growing {:+.1}% a year, \
             the mean yearly change of every council's cases {first}-{last} [census: {} \
             council-years], as establishment grows at its mean. By {}, cases are also set so \
             that the caseload, {} per case-holding FTE now [census {y}: cases / \
             case_holders_fte], {}, were case-holders to grow as cases do. The caseload reported \
             is cases over the case-holding FTE of the staff the model projects.",
            c.cases.0,
            100.0 * (c.growth.0.exp() - 1.0),
            c.growth.1,
            i.end,
            num(c.caseload.0, 1),
            return_text(
                &i.variation.caseload_return,
                c.caseload,
                (first, last),
                |x| num(x, 1)
            ),
        ),
    );
    entry(
        o,
        &format!("cases = {}", path(c.cases.0, c.cases.1, MONTHS, 0)),
        "",
    );
    entry(
        o,
        "leaving_elasticity = 0.0",
        "[assumption: no published estimate of caseload's effect]",
    );
    let _ = writeln!(o);
}

fn rest(o: &mut String, i: &Inputs) {
    let _ = writeln!(o, "[recruitment]");
    if let Some((c, own)) = i.own.as_ref().and_then(|o| o.capacity.map(|c| (c, o))) {
        let f = &own.summary;
        let months = format!("{:.0}", f.period.map_or(0.0, |p| p.months()));
        let heads: usize = own
            .grades
            .iter()
            .filter(|g| g.grade != Grade::Asye)
            .map(|g| f.grade(g.grade).starter_heads)
            .sum();
        comment(
            o,
            &format!(
                "Hiring capacity, hires a month: the council's starters beyond the ASYE cohort over \
                 the leavers file's period, {} FTE a year [{} and {}: {} whose start dates fall in \
                 the {months} months to the start], held through the horizon. The leaving rates above \
                 expect about {} leavers a year from the staff in post.",
                num(12.0 * c, 1),
                f.staff_file,
                f.leavers_file.as_deref().unwrap_or(""),
                people(heads, "people"),
                num(expected_leavers(own), 1)
            ),
        );
        entry(o, &format!("max_hires_per_month = {}", num(c, 2)), "");
        entry(
            o,
            "cost_per_hire = 1500",
            "pounds per external hire [assumption]",
        );
        let _ = writeln!(o);
        agency_and_costs(o, i);
        return;
    }
    comment(
        o,
        &format!(
            "Hiring capacity, hires a month: enough to replace the expected leavers and grow with \
             establishment, (turnover + growth) x FTE in post / 12, moving from the latest \
             turnover to its level as leaving does (growing with establishment until then, and \
             held after). Councils' starters follow their size, not their vacancies [census: \
             within a council, 1% more vacancies go with about 0.1% more starters]. {}",
            match i.starters_rate {
                Some(r) => format!(
                    "For comparison, {} had {} starters per FTE in post in {} [census: \
                     starters_fte over the mean of the year's first and last inpost_fte].",
                    i.council,
                    num(r, 3),
                    i.year
                ),
                None => String::new(),
            }
        ),
    );
    let (c0, c1) = i.capacity;
    let capacity = path(c0, c1, i.turnover.months_to_level(), 2);
    entry(o, &format!("max_hires_per_month = {capacity}"), "");
    entry(
        o,
        "cost_per_hire = 1500",
        "pounds per external hire [assumption]",
    );
    let _ = writeln!(o);
    agency_and_costs(o, i);
}

/// Leavers a year the written rates expect from the staff in post (posterior means).
/// Starters beyond the leavers expected this far, in FTE a year, above which the scenario's notes
/// say that staff in post will grow (a tenth of a small council's leavers).
const GROWTH_NOTE_FTE: f64 = 2.0;

/// Where the council's files give more starters (hiring and the ASYE cohort) than the leavers
/// their leaving rates expect, staff in post grow and vacancies and agency fall faster than the
/// establishment's return towards the mean: a note says so, for the report, since the projection
/// then departs from what the establishment's comment leads a reader to expect.
fn growth_note(i: &Inputs) -> Option<String> {
    let own = i.own.as_ref()?;
    let hires = 12.0 * own.capacity?;
    let cohort = own.intake.map_or(0.0, |(size, _)| f64::from(size));
    let leavers = expected_leavers(own);
    let more = hires + cohort - leavers;
    (more > GROWTH_NOTE_FTE).then(|| {
        format!(
            "The council's files give about {} starters a year ({} hired and a cohort of {}) \
             against about {} leavers a year expected from its staff: staff in post grow by about \
             {} FTE a year, so vacancies and agency fall faster than the establishment's path \
             alone would give. Check the files' period, or set max_hires_per_month to the \
             hiring the council expects.",
            num(hires + cohort, 1),
            num(hires, 1),
            cohort,
            num(leavers, 1),
            num(more, 1)
        )
    })
}

fn expected_leavers(own: &Own) -> f64 {
    own.grades
        .iter()
        .filter_map(|g| {
            let rates = g.leaving.as_ref()?;
            let s = own.summary.grade(g.grade);
            Some(
                rates
                    .iter()
                    .zip(&s.bands)
                    .map(|(r, c)| r.mean * c.fte)
                    .sum::<f64>(),
            )
        })
        .sum()
}

/// Employer National Insurance in force at the start, with its source.
fn ni(o: &mut String, i: &Inputs) {
    let n = &i.ni;
    let status = |f: &super::figures::Figure| {
        if f.verified() {
            String::new()
        } else {
            format!(", {}", f.status)
        }
    };
    // From 6 April 2025 the rate and threshold step: written as a step in April 2025, so a
    // horizon across it follows the change.
    let later = n.from_2025.as_ref().map_or(String::new(), |(r, t)| {
        format!(
            "; from April 2025, {}% above {} [figures {}, {}]",
            num(r.value, 1),
            crate::model::format::pounds(t.value),
            r.key,
            t.key,
        )
    });
    let (rate_note, threshold_note) = if n.in_force {
        (
            format!(
                "in force in {} [figures {}{}]{later}",
                n.tax_year,
                n.rate.key,
                status(&n.rate)
            ),
            format!(
                "pounds a year, in force in {} [figures {}{}]",
                n.tax_year,
                n.threshold.key,
                status(&n.threshold)
            ),
        )
    } else {
        (
            format!(
                "[assumption: figures.toml has no verified rate for {}; figures {}{}]{later}",
                n.tax_year,
                n.rate.key,
                status(&n.rate)
            ),
            format!(
                "pounds a year [assumption: figures.toml has no threshold for {}; figures {}{}]",
                n.tax_year,
                n.threshold.key,
                status(&n.threshold)
            ),
        )
    };
    // Written as a step only where the horizon reaches April 2025 (a step must fall within it).
    let april_2025 = YearMonth::new(2025, 4).expect("a month");
    let step = n
        .from_2025
        .as_ref()
        .filter(|_| i.start.add_months(i.horizon as i32) >= april_2025);
    let (rate, threshold) = match step {
        Some((r, t)) => (
            format!(
                "{{ from = {}, to = {}, at = \"2025-04\" }}",
                num(n.rate.value / 100.0, 4),
                num(r.value / 100.0, 4)
            ),
            format!(
                "{{ from = {:.0}, to = {:.0}, at = \"2025-04\" }}",
                n.threshold.value, t.value
            ),
        ),
        None => (
            num(n.rate.value / 100.0, 4),
            format!("{:.0}", n.threshold.value),
        ),
    };
    entry(o, &format!("employer_ni_rate = {rate}"), &rate_note);
    let threshold_note = match step {
        Some((_, t)) => format!(
            "{threshold_note}; from April 2025, {} [figures {}]",
            crate::model::format::pounds(t.value),
            t.key
        ),
        None => threshold_note,
    };
    entry(o, &format!("ni_threshold = {threshold}"), &threshold_note);
}

/// `[agency]`, `[caseload]`, `[costs]`, `[variation]`, the target and the option.
fn agency_and_costs(o: &mut String, i: &Inputs) {
    let (first, last) = i.variation.years;
    let _ = writeln!(o, "[agency]");
    entry(o, "annual_rate_uplift = 0.03", "each April [assumption]");
    if let Ok(c) = &i.caseload {
        match i.own.as_ref().and_then(|o| o.agency_weight) {
            Some(w) => entry(
                o,
                &format!("caseload_weight = {}", num(w, 3)),
                "[assumption: as permanent staff's beyond the ASYEs, from the staff file]",
            ),
            None => entry(
                o,
                &format!("caseload_weight = {}", num(c.weight, 3)),
                "As permanent staff's: the census counts case-holders without a split",
            ),
        }
    }
    agency_rules(o, i);
    let _ = writeln!(o);
    caseload(o, i);
    let _ = writeln!(o, "[costs]");
    ni(o, i);
    entry(o, "pension_rate = 0.19", "LGPS employer rate [assumption]");
    entry(o, "pay_award = 0.03", "each April [assumption]");
    entry(
        o,
        "asye_grant = 2000",
        "pounds per newly qualified joiner [assumption]",
    );
    let _ = writeln!(o);
    comment(
        o,
        &format!(
            "Year-to-year variation, estimated from every council's census {first}-{last}: leaving \
             and hiring about each council's own level, establishment and agency from how far \
             councils moved over 1 to 3 years, agency beyond what its vacancies give it{}; \
             `staff_share` is how much of establishment's moves staff in post make at once \
             (docs/model.md, \"Year-to-year variation\").",
            if i.caseload.is_ok() {
                ", cases from how far councils' caseload moved beyond its staff's moves and its \
                 return towards the mean"
            } else {
                ""
            }
        ),
    );
    let _ = writeln!(o, "[variation]");
    // Without `[caseload]` there are no cases to move.
    let cases = Factor::Cases.row().key;
    for l in variation::lines(&i.variation, Style::Init) {
        if l.key != cases || i.caseload.is_ok() {
            entry(o, &format!("{} = {}", l.key, l.value), &l.source);
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "[[targets]]");
    entry(o, "name = \"80:20\"", "");
    entry(
        o,
        "metric = \"agency_share\"",
        "agency / (agency + in post), as the census",
    );
    entry(o, "at_most = 0.2", "");
    entry(o, &format!("by = \"{}\"", i.end), "three years on");
    let _ = writeln!(o);
    let _ = writeln!(o, "[[options]]");
    entry(o, "name = \"supplement-2k\"", "");
    entry(
        o,
        "description = \"£2,000 a year market supplement for social workers past their ASYE year\"",
        "",
    );
    let _ = writeln!(o, "[[options.premiums]]");
    entry(o, "kind = \"market_supplement\"", "");
    let grades = match &i.own {
        None => "\"Social worker\"".to_string(),
        Some(own) => {
            let qualified: Vec<Grade> = own
                .grades
                .iter()
                .map(|g| g.grade)
                .filter(|g| *g != Grade::Asye)
                .collect();
            let experienced: Vec<Grade> = qualified
                .iter()
                .copied()
                .filter(|g| *g != Grade::Manager)
                .collect();
            let chosen = if experienced.is_empty() {
                qualified
            } else {
                experienced
            };
            chosen
                .iter()
                .map(|g| format!("\"{}\"", g.name()))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    entry(o, &format!("grades = [{grades}]"), "");
    entry(o, "amount = 2000", "pounds a year per FTE [assumption]");
    comment(
        o,
        "[assumption: a £2,000 payment cut teachers' leaving by 23% (Sims and Benhenda); an \
         NFER study of five schemes found -5.1%, not significant. From no effect to the teacher \
         estimate.]",
    );
    entry(
        o,
        "leaving_effect = { dist = \"triangular\", low = -0.23, mode = -0.10, high = 0.0 }",
        "",
    );
}

/// The first month of the DfE's 2024 agency rules (in force for new assignments from 31 October
/// 2024); the regional price caps' months are in the table of caps ([`caps`]).
const RULES_FROM: (i32, u32) = (2024, 11);

/// Leavers to agency work and the 2024 agency rules, in `[agency]`, for a scenario whose horizon
/// reaches the rules (before them, leavers coming back as agency change nothing the census
/// measures: init's agency market fills every missing place at once).
fn agency_rules(o: &mut String, i: &Inputs) {
    let from = YearMonth::new(RULES_FROM.0, RULES_FROM.1).expect("a month");
    if i.start.add_months(i.horizon as i32) < from {
        return;
    }
    let own = i.own.as_ref().map(|own| &own.summary).and_then(|s| {
        let file = s.leavers_file.clone()?;
        s.to_agency
            .filter(|&(_, known)| known > 0)
            .map(|(k, known)| (k, known, file))
    });
    const DFE: &str =
        "leavers_to_agency = { dist = \"triangular\", low = 0.14, mode = 0.17, high = 0.2 }";
    const DFE_NOTE: &str = "figures attrition.into_agency.2021: 2.6% of council social workers a year, of a turnover of 15.4% (attrition.total.2021), verified; the range is an assumption";
    match own {
        // The share's uncertainty from its count: the beta posterior of k in n from a uniform
        // prior, whose mean is (k + 1) / (n + 2).
        Some((k, n, file)) if k >= MIN_GROUP && n - k >= MIN_GROUP => entry(
            o,
            &format!(
                "leavers_to_agency = {{ dist = \"beta\", alpha = {}, beta = {} }}",
                k + 1,
                n - k + 1
            ),
            &format!(
                "share of permanent leavers who go to agency work, about {:.0}% [{file}: {k} of the {n} leavers whose `destination` is given went to agency work; the range is the share's uncertainty from that count]",
                100.0 * k as f64 / n as f64
            ),
        ),
        // A share of a count under 5 would give the count back: the national figure instead.
        Some((_, _, file)) => entry(
            o,
            DFE,
            &format!(
                "share of permanent leavers who go to agency work [{DFE_NOTE}; {file} counts fewer than {MIN_GROUP} leavers who went to agency work, or who did not, too few to show]"
            ),
        ),
        None => entry(
            o,
            DFE,
            &format!("share of permanent leavers who go to agency work [{DFE_NOTE}]"),
        ),
    }
    entry(
        o,
        "return_share = { dist = \"uniform\", low = 0.3, high = 0.7 }",
        "share of those who would take agency work with this council [assumption: no published figure]",
    );
    let _ = writeln!(o);
    let caps = region_caps(i);
    let region = caps::region(&i.region).unwrap_or(&i.region);
    const GUIDANCE: &str = "The DfE's statutory guidance on agency child and family social \
        workers, in force for new assignments from 31 October 2024 [figures \
        agency_rules.effective_date, verified].";
    let caps_note = match (&caps, caps::of_region(caps::shipped(), &i.region).first()) {
        (Some(c), _) if c.rows.iter().all(|r| r.basis == Basis::Assumption) => format!(
            "The post's price cap is {region}'s from wfsim's table of regional caps: no {region} \
             cap is published in a source wfsim holds, so the table's is an assumption, with its \
             method; replace it with your region's published cap."
        ),
        (Some(_), _) => format!(
            "The post's price cap is {region}'s from wfsim's table of regional caps, with its \
             source."
        ),
        (None, Some(c)) => format!(
            "{region}'s price caps apply from {} {}, after this scenario's horizon.",
            month_name(c.applies_from.month()),
            c.applies_from.year()
        ),
        (None, None) => format!(
            "No {region} price cap is held in a source wfsim ships (the DfE's regional caps \
             differ by up to 37% between regions for social workers [figures \
             agency_caps.dfe_2025.regional_spread_sw]): add your region's as `agency_price_cap` \
             (pounds an hour, as the council pays it) to [[posts]] and `caps_from` here."
        ),
    };
    comment(o, &format!("{GUIDANCE} {caps_note}"));
    let _ = writeln!(o, "[agency.rules]");
    entry(
        o,
        &format!("region = \"{region}\""),
        "whose regional alliance agrees the price caps",
    );
    entry(
        o,
        &format!("from = \"{from}\""),
        "the first whole month of the rules",
    );
    entry(o, "min_experience_months = 36", "[DfE]");
    entry(
        o,
        "cooling_off_months = 3",
        "no agency engagement within 3 months of leaving a permanent post in the region [DfE]",
    );
    entry(
        o,
        "qualified_share = { dist = \"triangular\", low = 0.8, mode = 0.9, high = 1.0 }",
        "share of the agency market with 3 years' post-qualifying experience [assumption: no published figure]",
    );
    let Some(caps) = caps else {
        return;
    };
    let source = caps
        .rows
        .iter()
        .find(|c| c.applies_from == caps.from)
        .map_or("", |c| c.applies_from_source.as_str());
    entry(
        o,
        &format!("caps_from = \"{}\"", caps.from),
        &format!("the first month of {}'s price caps [{source}]", caps.region),
    );
    entry(
        o,
        "above_cap_share = { dist = \"uniform\", low = 0.0, high = 0.2 }",
        "signed off above the cap [assumption]",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_paths() {
        assert_eq!(num(0.1234, 3), "0.123");
        assert_eq!(num(2.0, 3), "2.0");
        assert_eq!(num(0.1, 4), "0.1");
        assert_eq!(path(0.2, 0.2001, 24, 3), "0.2");
        assert_eq!(
            path(0.3, 0.2, 24, 3),
            "{ from = 0.3, to = 0.2, over_months = 24 }"
        );
    }

    #[test]
    fn comments_wrap_and_long_notes_go_above() {
        let mut o = String::new();
        comment(&mut o, &"word ".repeat(40));
        assert!(o.lines().all(|l| l.len() <= WIDTH && l.starts_with('#')));
        assert!(o.lines().count() >= 2);
        let mut o = String::new();
        entry(&mut o, "x = 1", "short");
        assert_eq!(o, format!("{:<VALUE_COLUMN$} # short\n", "x = 1"));
        let mut o = String::new();
        entry(&mut o, "x = 1", &"long ".repeat(30));
        assert!(o.starts_with('#') && o.ends_with("x = 1\n"));
    }
}
