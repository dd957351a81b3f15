//! The DfE's regional price caps on agency social workers, per region and role, from the table
//! wfsim ships (`assets/figures/agency_caps.csv`), and which of the DfE's five roles a post group
//! is, so that `init` can write a council's caps.
//!
//! Each row holds one region's cap for one role, in pounds an hour on the DfE's basis (the
//! worker's pay with holiday pay, employer National Insurance and the apprenticeship levy; no
//! agency fee), the month it applies from, and where it comes from: `published`, with the address
//! of the page it was read from, or `assumption`, with the method that gives it in words. An
//! assumption is a range (`cap_low` to `cap_high`, most likely `cap`); a published cap is one
//! number. docs/model.md, "Agency under the 2024 rules", gives the table's evidence.

use crate::model::date::YearMonth;

const TABLE: &str = include_str!("../../../assets/figures/agency_caps.csv");

/// The nine regions whose alliances agree the caps, as the census names them (its Inner and Outer
/// London are one region, London).
pub const REGIONS: [&str; 9] = [
    "East Midlands",
    "East of England",
    "London",
    "North East",
    "North West",
    "South East",
    "South West",
    "West Midlands",
    "Yorkshire and The Humber",
];

/// The region whose caps a council in the census's `region` follows: the census's Inner and
/// Outer London are London; another name is itself when it is one of [`REGIONS`].
pub fn region(census_region: &str) -> Option<&'static str> {
    let r = census_region.trim();
    if r.eq_ignore_ascii_case("Inner London") || r.eq_ignore_ascii_case("Outer London") {
        return Some("London");
    }
    REGIONS.iter().copied().find(|x| x.eq_ignore_ascii_case(r))
}

/// The DfE's five roles, to which councils map their agency social work jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Practitioners expected to hold cases independently.
    SocialWorker,
    /// Experienced practitioners with more complex cases, who may supervise others.
    SeniorSocialWorker,
    /// Including assistant team managers and principal social workers.
    AdvancedPractitioner,
    TeamManager,
    /// Independent reviewing officers and child protection conference chairs.
    Iro,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::SocialWorker,
        Role::SeniorSocialWorker,
        Role::AdvancedPractitioner,
        Role::TeamManager,
        Role::Iro,
    ];

    /// The role's name in the table.
    pub fn name(self) -> &'static str {
        match self {
            Role::SocialWorker => "social worker",
            Role::SeniorSocialWorker => "senior social worker",
            Role::AdvancedPractitioner => "advanced practitioner",
            Role::TeamManager => "team manager",
            Role::Iro => "IRO or child protection chair",
        }
    }

    fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.name().eq_ignore_ascii_case(s.trim()))
    }

    /// The role of a post group (or grade) named `name`, by the words of its name: an IRO,
    /// independent reviewing officer or (child protection) conference chair; an assistant team
    /// manager, advanced or principal social worker (the DfE's advanced practitioner); a team
    /// manager; a senior social worker or senior practitioner; a social worker, practitioner or
    /// Level 2 or 3. None for newly qualified staff (ASYE, Level 1), who cannot work as agency
    /// under the rules, or a name it does not know.
    pub fn of_post(name: &str) -> Option<Role> {
        let n = name.to_lowercase();
        let has = |w: &str| n.contains(w);
        let word = |w: &str| n.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
        if word("iro")
            || word("iros")
            || has("reviewing officer")
            || has("conference chair")
            || has("protection chair")
        {
            Some(Role::Iro)
        } else if has("assistant team manager") || has("advanced") || has("principal social worker")
        {
            Some(Role::AdvancedPractitioner)
        } else if has("team manager") {
            Some(Role::TeamManager)
        } else if has("senior") {
            Some(Role::SeniorSocialWorker)
        } else if word("asye") || has("newly qualified") || has("level 1") || word("nqsw") {
            None
        } else if has("social worker") || has("practitioner") || has("level 2") || has("level 3") {
            Some(Role::SocialWorker)
        } else {
            None
        }
    }
}

/// Where a cap comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// Read from a published page, whose address the row gives.
    Published,
    /// Not published in a source wfsim holds: worked out by the method the row gives.
    Assumption,
}

/// One region's cap for one role.
#[derive(Clone, Debug, PartialEq)]
pub struct Cap {
    pub region: String,
    pub role: Role,
    /// Pounds an hour on the DfE's basis: the most likely value, and the range (`low` = `high` =
    /// `cap` for a published cap).
    pub cap: f64,
    pub low: f64,
    pub high: f64,
    /// The first month the cap applies to new assignments.
    pub applies_from: YearMonth,
    pub basis: Basis,
    /// What the cap covers (the DfE's basis).
    pub covers: String,
    /// A published cap's address, or an assumption's method in words.
    pub source: String,
    /// Where the month comes from.
    pub applies_from_source: String,
}

impl Cap {
    /// Whether the cap is one number (published, or a range of none).
    pub fn fixed(&self) -> bool {
        self.low == self.high
    }
}

/// The table's columns, in order.
const COLUMNS: [&str; 10] = [
    "region",
    "role",
    "cap",
    "cap_low",
    "cap_high",
    "applies_from",
    "basis",
    "covers",
    "source",
    "applies_from_source",
];

/// The rows of a caps table's text, or the first problem, naming its line.
pub fn parse(text: &str) -> Result<Vec<Cap>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("the table's header: {e}"))?
        .clone();
    let found: Vec<&str> = headers.iter().collect();
    if found != COLUMNS {
        return Err(format!(
            "the table's columns are {}; expected {}",
            found.join(", "),
            COLUMNS.join(", ")
        ));
    }
    let mut rows = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let line = k + 2;
        let r = record.map_err(|e| format!("line {line}: {e}"))?;
        let at = |i: usize| r.get(i).unwrap_or("").trim();
        let err = |what: String| format!("line {line}: {what}");
        let region =
            region(at(0)).ok_or_else(|| err(format!("`{}` is not one of the regions", at(0))))?;
        let role = Role::parse(at(1)).ok_or_else(|| err(format!("`{}` is not a role", at(1))))?;
        let money = |i: usize, name: &str| -> Result<Option<f64>, String> {
            if at(i).is_empty() {
                return Ok(None);
            }
            match at(i).parse::<f64>() {
                Ok(x) if x.is_finite() && x > 0.0 => Ok(Some(x)),
                _ => Err(err(format!(
                    "{name} `{}` is not an amount above 0 (pounds an hour)",
                    at(i)
                ))),
            }
        };
        let cap = money(2, "cap")?.ok_or_else(|| err("no cap".into()))?;
        let low = money(3, "cap_low")?.unwrap_or(cap);
        let high = money(4, "cap_high")?.unwrap_or(cap);
        if !(low <= cap && cap <= high) {
            return Err(err(format!(
                "cap_low {low}, cap {cap} and cap_high {high} are not in order"
            )));
        }
        let applies_from =
            YearMonth::parse(at(5)).map_err(|e| err(format!("applies_from: {e}")))?;
        let basis = match at(6) {
            "published" => Basis::Published,
            "assumption" => Basis::Assumption,
            other => {
                return Err(err(format!(
                    "basis `{other}` is neither `published` nor `assumption`"
                )));
            }
        };
        let source = at(8).to_string();
        match basis {
            Basis::Published if !has_address(&source) => {
                return Err(err("a published cap needs its page's address".into()));
            }
            Basis::Published if low != high => {
                return Err(err("a published cap is one number, not a range".into()));
            }
            Basis::Assumption if !source.starts_with("assumption:") => {
                return Err(err(
                    "an assumption's source starts `assumption:` and gives its method".into(),
                ));
            }
            _ => {}
        }
        if at(7).is_empty() {
            return Err(err("no `covers`: say what the cap covers".into()));
        }
        if !has_address(at(9)) {
            return Err(err("applies_from_source needs its page's address".into()));
        }
        rows.push(Cap {
            region: region.to_string(),
            role,
            cap,
            low,
            high,
            applies_from,
            basis,
            covers: at(7).to_string(),
            source,
            applies_from_source: at(9).to_string(),
        });
    }
    Ok(rows)
}

fn has_address(s: &str) -> bool {
    s.contains("https://") || s.contains("http://")
}

/// The ratio of the social worker pay of the caps' region `region` to England's, and the key of
/// the region's figure in `assets/figures/figures.toml`, where a source wfsim holds gives one:
/// the factor the table's caps take for the region, and `init`'s market rate with them.
pub fn pay_ratio(region: &str) -> Option<(f64, String)> {
    let key = match region {
        "London" => "london",
        "South East" => "south_east",
        "South West" => "south_west",
        _ => return None,
    };
    let pay =
        |k: &str| super::figures::value(&format!("pay.children_sw_2018.{k}")).map(|f| f.value);
    Some((
        pay(key)? / pay("england")?,
        format!("pay.children_sw_2018.{key}"),
    ))
}

/// The table wfsim ships, read once.
pub fn shipped() -> &'static [Cap] {
    static TABLE_READ: std::sync::OnceLock<Vec<Cap>> = std::sync::OnceLock::new();
    TABLE_READ.get_or_init(|| parse(TABLE).expect("the shipped caps table parses (tested)"))
}

/// The caps of the region a council in the census's `region` follows, one a role, from `table`.
pub fn of_region<'a>(table: &'a [Cap], census_region: &str) -> Vec<&'a Cap> {
    let Some(r) = region(census_region) else {
        return Vec::new();
    };
    table.iter().filter(|c| c.region == r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "region,role,cap,cap_low,cap_high,applies_from,basis,covers,source,applies_from_source\n";

    fn row(rest: &str) -> String {
        format!("{HEADER}{rest}\n")
    }

    #[test]
    fn a_hand_made_table_reads_as_written() {
        let t = row(
            "North West,team manager,60.5,55,66,2025-10,assumption,pay and NI,\"assumption: by hand, a, b\",see https://example.org/d\n\
             Inner London,social worker,44,,,2025-04,published,pay and NI,https://example.org/c,https://example.org/d",
        );
        let rows = parse(&t).unwrap();
        assert_eq!(rows.len(), 2);
        let a = &rows[0];
        assert_eq!(
            (a.region.as_str(), a.role, a.cap, a.low, a.high),
            ("North West", Role::TeamManager, 60.5, 55.0, 66.0)
        );
        assert_eq!(a.applies_from, YearMonth::new(2025, 10).unwrap());
        assert_eq!(a.basis, Basis::Assumption);
        assert_eq!(a.source, "assumption: by hand, a, b");
        assert!(!a.fixed());
        // Inner London's caps are London's; a published cap without a range is one number.
        let b = &rows[1];
        assert_eq!(
            (b.region.as_str(), b.role, b.cap, b.low, b.high),
            ("London", Role::SocialWorker, 44.0, 44.0, 44.0)
        );
        assert_eq!(b.basis, Basis::Published);
        assert!(b.fixed());
        assert_eq!(of_region(&rows, "Outer London"), vec![b]);
        assert!(of_region(&rows, "Narnia").is_empty());
    }

    #[test]
    fn a_bad_row_is_named_by_its_line() {
        let bad = |rest: &str, says: &str| {
            let e = parse(&row(rest)).unwrap_err();
            assert!(e.contains("line 2") && e.contains(says), "{e}");
        };
        let url = "https://example.org/x";
        bad(
            &format!("Narnia,social worker,40,,,2025-10,published,p,{url},{url}"),
            "not one of the regions",
        );
        bad(
            &format!("London,social working,40,,,2025-10,published,p,{url},{url}"),
            "not a role",
        );
        bad(
            &format!("London,social worker,-1,,,2025-10,published,p,{url},{url}"),
            "not an amount",
        );
        bad(
            &format!("London,social worker,40,45,50,2025-10,assumption,p,assumption: x,{url}"),
            "not in order",
        );
        bad(
            &format!("London,social worker,40,,,2025-13,published,p,{url},{url}"),
            "applies_from",
        );
        bad(
            &format!("London,social worker,40,,,2025-10,guess,p,{url},{url}"),
            "basis",
        );
        bad(
            &format!("London,social worker,40,,,2025-10,published,p,a council paper,{url}"),
            "address",
        );
        bad(
            &format!("London,social worker,40,35,45,2025-10,published,p,{url},{url}"),
            "one number",
        );
        bad(
            &format!("London,social worker,40,35,45,2025-10,assumption,p,my guess,{url}"),
            "assumption:",
        );
        bad(
            "London,social worker,40,,,2025-10,published,p,https://a.org,the DfE",
            "applies_from_source",
        );
        let e = parse("region,role,cap\nLondon,social worker,40\n").unwrap_err();
        assert!(e.contains("columns"), "{e}");
    }

    #[test]
    fn posts_take_the_dfes_roles_by_their_names() {
        for (name, role) in [
            ("Social worker", Some(Role::SocialWorker)),
            ("Level 3", Some(Role::SocialWorker)),
            ("Experienced social worker", Some(Role::SocialWorker)),
            ("Senior practitioner", Some(Role::SeniorSocialWorker)),
            ("Senior social worker", Some(Role::SeniorSocialWorker)),
            ("Advanced practitioner", Some(Role::AdvancedPractitioner)),
            ("Assistant team manager", Some(Role::AdvancedPractitioner)),
            ("Principal social worker", Some(Role::AdvancedPractitioner)),
            ("Team manager", Some(Role::TeamManager)),
            ("IRO", Some(Role::Iro)),
            ("Independent reviewing officer", Some(Role::Iro)),
            ("Child protection conference chair", Some(Role::Iro)),
            ("ASYE", None),
            ("Newly qualified social worker", None),
            ("Level 1", None),
            ("Family support worker", None),
            // "iro" inside a word is not an IRO.
            ("Environmental officer", None),
        ] {
            assert_eq!(Role::of_post(name), role, "{name}");
        }
    }

    #[test]
    fn census_regions_are_the_alliances() {
        assert_eq!(region("Inner London"), Some("London"));
        assert_eq!(region("Outer London"), Some("London"));
        assert_eq!(
            region("Yorkshire and The Humber"),
            Some("Yorkshire and The Humber")
        );
        assert_eq!(region("North West"), Some("North West"));
        assert_eq!(region("Wales"), None);
    }

    /// Every assumption in the shipped table is what its method gives, from the figures it
    /// cites in `assets/figures/figures.toml`: England's social worker rate less the agency fee,
    /// times the role's and the region's factors, within the published gap between regions
    /// centred on England's.
    #[test]
    fn the_shipped_assumptions_follow_their_method() {
        use super::super::figures::value;
        let v = |k: &str| value(k).unwrap_or_else(|| panic!("figure {k}")).value;
        let london = |k: &str| v(&format!("agency_cap.london_2016.{k}"));
        let pay = |k: &str| v(&format!("pay.children_sw_2018.{k}"));
        // The rate init assumes, most likely £45 an hour.
        let england = 45.0 / (1.0 + v("agency_fee.birmingham_2015") / 100.0);
        let sw = london("sw_2yrs_pqe");
        let roles = [
            (Role::SocialWorker, 1.0, "sw"),
            (Role::SeniorSocialWorker, london("senior_sw") / sw, "ssw"),
            (
                Role::AdvancedPractitioner,
                london("advanced_practitioner") / sw,
                "ap",
            ),
            (Role::TeamManager, london("team_manager") / sw, "tm"),
            (Role::Iro, london("team_manager") / sw, "iro"),
        ];
        let round = |x: f64| (100.0 * x).round() / 100.0;
        let table = shipped();
        assert_eq!(table.len(), REGIONS.len() * Role::ALL.len());
        for c in table.iter().filter(|c| c.basis == Basis::Assumption) {
            let (_, factor, key) = roles.iter().find(|r| r.0 == c.role).unwrap();
            let spread = 1.0 + v(&format!("agency_caps.dfe_2025.regional_spread_{key}")) / 100.0;
            let region = match c.region.as_str() {
                "London" => pay("london") / pay("england"),
                "South East" => pay("south_east") / pay("england"),
                "South West" => pay("south_west") / pay("england"),
                _ => 1.0,
            };
            let mid = england * factor;
            let (low, high) = (round(mid / spread.sqrt()), round(mid * spread.sqrt()));
            let most = round(mid * region).clamp(low, high);
            assert_eq!(
                (c.cap, c.low, c.high),
                (most, low, high),
                "{} {}",
                c.region,
                c.role.name()
            );
            assert!(c.source.contains(&format!("£{:.2}", round(mid))), "{c:?}");
        }
    }

    /// Every figure the table cites is in the figures file, with its source.
    #[test]
    fn the_tables_citations_are_shipped() {
        let figures: toml::Table = include_str!("../../../assets/figures/figures.toml")
            .parse()
            .unwrap();
        let mut cited = 0;
        for c in shipped() {
            for text in [&c.source, &c.applies_from_source] {
                for (at, _) in text.match_indices("figures ") {
                    for key in text[at + "figures ".len()..]
                        .split([')', ';', ':'])
                        .next()
                        .unwrap()
                        .split(", ")
                    {
                        let mut node = &figures;
                        for part in key.trim().split('.') {
                            node = node
                                .get(part)
                                .and_then(|n| n.as_table())
                                .unwrap_or_else(|| panic!("figure `{key}` is not shipped"));
                        }
                        cited += 1;
                    }
                }
            }
        }
        assert!(cited >= 200, "{cited} citations");
    }
}
