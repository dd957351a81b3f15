//! The published figures `init` writes beside the census's: NJC pay points and employer National
//! Insurance, read from the figures file wfsim ships (`assets/figures/figures.toml`, each with its
//! source and status), so that what a scenario cites is what it holds.

use crate::census::council::PayPoints;

const FIGURES: &str = include_str!("../../../assets/figures/figures.toml");

/// One figure: its key in the file, value and status (`verified`, `verified-secondary`,
/// `unverified`).
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub key: String,
    pub value: f64,
    pub status: String,
}

impl Figure {
    pub fn verified(&self) -> bool {
        self.status.starts_with("verified")
    }
}

fn table() -> toml::Table {
    FIGURES.parse().unwrap_or_default()
}

/// The figure at dotted `key`, when the file holds it with a number.
fn get(t: &toml::Table, key: &str) -> Option<Figure> {
    let mut node = t;
    for part in key.split('.') {
        node = node.get(part)?.as_table()?;
    }
    let value = match node.get("value")? {
        toml::Value::Integer(i) => *i as f64,
        toml::Value::Float(x) => *x,
        _ => return None,
    };
    Some(Figure {
        key: key.to_string(),
        value,
        status: node.get("status")?.as_str()?.to_string(),
    })
}

/// The figure at dotted `key` in the figures file, when it holds it with a number.
pub(super) fn value(key: &str) -> Option<Figure> {
    get(&table(), key)
}

/// The pay year (April to March, as `2023_24`) in force at `year`'s 30 September.
fn pay_year(year: i32) -> String {
    format!("{year}_{:02}", (year + 1) % 100)
}

/// NJC pay points in force at 30 September of `year`, as far as the figures go: the year's own
/// values where the file has them (2022/23 and 2023/24); for later years the last of those plus
/// each later year's flat award the file holds (2024/25: £1,290); for earlier years the first.
#[derive(Clone, Debug, PartialEq)]
pub struct Pay {
    /// Point number and full-time salary.
    pub points: PayPoints,
    /// The pay year whose values are used (`2023/24`), and the award added, if any.
    pub year: String,
    pub award: Option<Figure>,
    /// Whether every value used is verified.
    pub verified: bool,
    /// The figures' keys for point `p`, as cited.
    keys: Vec<(u32, String)>,
}

impl Pay {
    pub fn key(&self, p: u32) -> &str {
        self.keys
            .iter()
            .find(|(q, _)| *q == p)
            .map_or("", |(_, k)| k)
    }
}

/// The points the figures file holds values for.
pub const POINTS: [u32; 10] = [19, 23, 25, 29, 31, 33, 36, 39, 42, 43];

pub fn pay(year: i32) -> Pay {
    let t = table();
    let have = |y: &str| {
        POINTS
            .iter()
            .all(|p| get(&t, &format!("njc.scp{p}.{y}")).is_some())
    };
    let (base, award) = if have(&pay_year(year)) {
        (pay_year(year), None)
    } else if year > 2023 && have("2023_24") {
        // Later years: 2023/24 plus the 2024/25 award, the last the file holds.
        ("2023_24".to_string(), get(&t, "njc.pay_award.2024_25"))
    } else {
        ("2022_23".to_string(), None)
    };
    let mut points = PayPoints::new();
    let mut keys = Vec::new();
    let mut verified = award.as_ref().is_none_or(Figure::verified);
    for p in POINTS {
        let key = format!("njc.scp{p}.{base}");
        if let Some(f) = get(&t, &key) {
            verified &= f.verified();
            points.insert(p, f.value + award.as_ref().map_or(0.0, |a| a.value));
            keys.push((p, key));
        }
    }
    let year = match &award {
        Some(a) => format!(
            "{} plus the {} award of figures {}",
            base.replace('_', "/"),
            crate::model::format::pounds(a.value),
            a.key
        ),
        None => base.replace('_', "/"),
    };
    Pay {
        points,
        year,
        award,
        verified,
        keys,
    }
}

/// Employer National Insurance in force at 30 September of `year`: the rate and the secondary
/// threshold, each a figure, and whether the figures file holds that year's (else the nearest it
/// has, as an assumption).
#[derive(Clone, Debug, PartialEq)]
pub struct Ni {
    pub rate: Figure,
    pub threshold: Figure,
    /// The tax year in force (`2024/25`) and whether the figures are that year's.
    pub tax_year: String,
    pub in_force: bool,
    /// For a start before 6 April 2025, the rate and threshold from then.
    pub from_2025: Option<(Figure, Figure)>,
}

pub fn ni(year: i32) -> Ni {
    let t = table();
    let f = |k: &str| {
        get(&t, k).unwrap_or(Figure {
            key: k.to_string(),
            value: 0.0,
            status: "missing".into(),
        })
    };
    let tax_year = format!("{year}/{:02}", (year + 1) % 100);
    let y2025 = (
        f("employer_ni.rate.2025_26"),
        f("employer_ni.secondary_threshold.2025_26"),
    );
    let y2023 = (
        f("employer_ni.rate.2023_24"),
        f("employer_ni.secondary_threshold.2023_24"),
    );
    let (rate, threshold, in_force) = match year {
        y if y >= 2025 => (y2025.0.clone(), y2025.1.clone(), true),
        // The 2023/24 figure's note: 13.8% above £9,100, also in 2024/25.
        2023 | 2024 => (y2023.0.clone(), y2023.1.clone(), true),
        // 2022/23: the file holds only an unverified blended rate and no threshold.
        2022 => (f("employer_ni.rate.2022_23"), y2023.1.clone(), false),
        _ => (y2023.0.clone(), y2023.1.clone(), false),
    };
    Ni {
        rate,
        threshold,
        tax_year,
        in_force,
        from_2025: (year < 2025).then_some(y2025),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pay_points_follow_the_year() {
        let p = pay(2023);
        assert_eq!(p.year, "2023/24");
        assert_eq!(
            pay(2024).year,
            "2023/24 plus the £1,290 award of figures njc.pay_award.2024_25"
        );
        assert_eq!(p.points[&23], 33945.0);
        assert_eq!(p.key(23), "njc.scp23.2023_24");
        assert!(!p.verified);
        let p = pay(2022);
        assert_eq!((p.year.as_str(), p.points[&29]), ("2022/23", 37261.0));
        // 2024/25: 2023/24 plus the flat £1,290 award.
        let p = pay(2024);
        assert_eq!(p.points[&29], 39186.0 + 1290.0);
        assert_eq!(p.award.as_ref().map(|a| a.value), Some(1290.0));
        // Before 2022/23 the file has nothing earlier: the 2022/23 values.
        assert_eq!(pay(2019).year, "2022/23");
    }

    #[test]
    fn ni_in_force_at_the_start() {
        let n = ni(2025);
        assert_eq!(
            (n.rate.value, n.threshold.value, n.in_force),
            (15.0, 5000.0, true)
        );
        assert!(n.from_2025.is_none());
        let n = ni(2024);
        assert_eq!(
            (n.rate.value, n.threshold.value, n.in_force),
            (13.8, 9100.0, true)
        );
        assert_eq!(n.from_2025.as_ref().map(|f| f.0.value), Some(15.0));
        let n = ni(2022);
        assert_eq!((n.rate.value, n.in_force), (14.53, false));
        assert_eq!(n.rate.status, "unverified");
        assert_eq!(ni(2018).rate.value, 13.8);
        assert!(!ni(2018).in_force);
    }
}
