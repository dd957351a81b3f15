//! The table of the DfE's regional price caps on agency social workers wfsim ships
//! (`assets/figures/agency_caps.csv`), and the caps `wfsim init` writes from it: the right
//! region's, on the right post, from the right month, and only where the scenario reaches it.

use crate::common;

use assert_cmd::Command;
use predicates::prelude::*;
use wfsim::census::init::caps::{self, Basis, Role};
use wfsim::census::{self, init};

#[test]
fn the_shipped_table_has_one_cap_for_every_region_and_role_with_its_source() {
    let table = caps::shipped();
    for region in caps::REGIONS {
        for role in Role::ALL {
            let rows: Vec<_> = table
                .iter()
                .filter(|c| c.region == region && c.role == role)
                .collect();
            assert_eq!(rows.len(), 1, "{region} {}", role.name());
            let c = rows[0];
            assert!(c.low > 0.0 && c.low <= c.cap && c.cap <= c.high, "{c:?}");
            // Pounds an hour, as a council might pay it for a social worker: not a day rate or
            // a salary.
            assert!((20.0..=120.0).contains(&c.cap), "{c:?}");
            match c.basis {
                Basis::Published => {
                    assert!(c.source.contains("http"), "{c:?}");
                    assert!(c.fixed(), "{c:?}");
                }
                Basis::Assumption => {
                    assert!(c.source.starts_with("assumption:"), "{c:?}");
                    // The method in words, citing what it rests on.
                    assert!(c.source.split_whitespace().count() >= 30, "{c:?}");
                    assert!(c.source.contains("figures "), "{c:?}");
                }
            }
            assert!(c.covers.contains("employer NI"), "{c:?}");
            assert!(c.applies_from_source.contains("http"), "{c:?}");
        }
        // One month for a region's caps, as `[agency.rules] caps_from` is one month.
        let months: Vec<_> = table
            .iter()
            .filter(|c| c.region == region)
            .map(|c| c.applies_from)
            .collect();
        assert!(months.iter().all(|m| *m == months[0]), "{region}");
    }
    assert_eq!(table.len(), 45);
    // Every council in the census follows one of the table's regions.
    let census = census::shipped().unwrap();
    for a in census
        .areas
        .iter()
        .filter(|a| a.level == census::Level::Council)
    {
        assert!(
            caps::region(&a.region).is_some(),
            "{}: {}",
            a.name,
            a.region
        );
    }
}

/// The `agency_price_cap` line `init` writes for `c`: the table's cap plus the 9% agency fee.
fn written(c: &caps::Cap) -> String {
    let f = |x: f64| {
        let v = (x * 1.09 * 100.0).round() / 100.0;
        let s = format!("{v}");
        if s.contains('.') { s } else { format!("{s}.0") }
    };
    format!(
        "agency_price_cap = {{ dist = \"triangular\", low = {}, mode = {}, high = {} }}",
        f(c.low),
        f(c.cap),
        f(c.high)
    )
}

fn cap_of(region: &str, role: Role) -> &'static caps::Cap {
    caps::shipped()
        .iter()
        .find(|c| c.region == region && c.role == role)
        .unwrap()
}

fn line<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find(|l| l.starts_with(key))
}

#[test]
fn init_writes_its_regions_caps_on_the_social_worker_post_from_the_regions_month() {
    let c = census::shipped().unwrap();
    // Camden is in the census's Inner London, whose caps are London's; Leeds's region applied
    // its caps from January 2025; Devon's and Tameside's from October 2025.
    for (council, region, from) in [
        ("Camden", "London", "2025-10"),
        ("Leeds", "Yorkshire and The Humber", "2025-01"),
        ("Devon", "South West", "2025-10"),
        ("Tameside", "North West", "2025-10"),
    ] {
        let b = init::build(&c, council, Some(2022), "census").unwrap();
        let t = &b.text;
        let cap = cap_of(region, Role::SocialWorker);
        // One post group, and the cap on it.
        assert_eq!(t.matches("[[posts]]").count(), 1);
        assert_eq!(
            line(t, "agency_price_cap"),
            Some(written(cap).as_str()),
            "{t}"
        );
        assert!(
            line(t, "caps_from")
                .unwrap()
                .starts_with(&format!("caps_from = \"{from}\"")),
            "{t}"
        );
        assert!(
            line(t, "region = ")
                .unwrap()
                .starts_with(&format!("region = \"{region}\"")),
            "{t}"
        );
        assert!(line(t, "above_cap_share").is_some());
        // The cap's source, in the comment above it: the table's method, as an assumption.
        let flat = t.replace("\n#  ", " ");
        assert!(
            flat.contains(&format!("{region}'s cap for a social worker")),
            "{flat}"
        );
        assert!(flat.contains(&format!("[assumption: no {region} cap is published")));
        let s = common::scenario(t);
        let rules = s.baseline().agency.rules.as_ref().unwrap();
        assert_eq!(rules.caps_from.map(|m| m.to_string()), Some(from.into()));
        assert!(s.baseline().posts[0].agency_price_cap.is_some());
    }
}

#[test]
fn init_writes_no_cap_where_the_scenario_ends_before_its_regions_caps() {
    let c = census::shipped().unwrap();
    // From 30 September 2021 a scenario runs to March 2025: past the rules (November 2024) and
    // Yorkshire and the Humber's caps (January 2025), short of the other regions' (October 2025).
    let t = init::build(&c, "Tameside", Some(2021), "census")
        .unwrap()
        .text;
    assert!(line(&t, "from = \"2024-11\"").is_some(), "{t}");
    assert!(line(&t, "agency_price_cap").is_none(), "{t}");
    assert!(line(&t, "caps_from").is_none(), "{t}");
    assert!(line(&t, "above_cap_share").is_none(), "{t}");
    assert!(
        t.replace("\n#  ", " ").contains(
            "North West's price caps apply from October 2025, after this scenario's horizon"
        ),
        "{t}"
    );
    common::scenario(&t);
    let t = init::build(&c, "Leeds", Some(2021), "census").unwrap().text;
    let cap = cap_of("Yorkshire and The Humber", Role::SocialWorker);
    assert_eq!(line(&t, "agency_price_cap"), Some(written(cap).as_str()));
    assert!(
        line(&t, "caps_from")
            .unwrap()
            .starts_with("caps_from = \"2025-01\"")
    );
    common::scenario(&t);
    // Before the rules' horizon (from 2020, to March 2024): no rules, no caps.
    let t = init::build(&c, "Leeds", Some(2020), "census").unwrap().text;
    assert!(!t.contains("[agency.rules]"));
    assert!(line(&t, "agency_price_cap").is_none());
}

#[test]
fn a_scenario_init_writes_with_caps_passes_check() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("leeds.toml");
    Command::cargo_bin("wfsim")
        .unwrap()
        .args(["init", "--council", "Leeds", "--as-of", "2022", "--out"])
        .arg(&out)
        .assert()
        .success();
    Command::cargo_bin("wfsim")
        .unwrap()
        .arg("check")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "price caps from 2025-01: Social worker: £38.44 to £52.67, most likely £45 an hour;",
        ));
}

#[test]
fn a_councils_own_agency_workers_of_several_roles_take_their_caps_weighted_by_fte() {
    // The council fixture's agency file: four social workers (Level 2 and 3) and a team manager,
    // each 1.0 FTE with a rate; Tameside is in the North West.
    let dir = "tests/data/council";
    let mut req = census::council::Request::new(format!("{dir}/staff.csv").into());
    req.leavers = Some(format!("{dir}/leavers.csv").into());
    req.agency = Some(format!("{dir}/agency.csv").into());
    req.grades = Some(format!("{dir}/grades.toml").into());
    let c = census::shipped().unwrap();
    let t = init::build_with(&c, "Tameside", Some(2025), "census.csv", Some(&req))
        .unwrap()
        .text;
    let (sw, tm) = (
        cap_of("North West", Role::SocialWorker),
        cap_of("North West", Role::TeamManager),
    );
    let mut blend = sw.clone();
    let mean = |a: f64, b: f64| (4.0 * a + b) / 5.0;
    (blend.cap, blend.low, blend.high) = (
        mean(sw.cap, tm.cap),
        mean(sw.low, tm.low),
        mean(sw.high, tm.high),
    );
    assert_eq!(line(&t, "agency_price_cap"), Some(written(&blend).as_str()));
    let words = t.replace("\n#  ", " ");
    assert!(
        words.contains("a social worker for Level 2 and Level 3, a team manager for Team manager"),
        "{t}"
    );
    // The market rate is the council's own, not an assumption.
    assert!(!words.contains("Both this cap and the market rate above are assumptions"));
    // From the census alone, the social worker's cap, beside an assumed market rate.
    let t = init::build(&c, "Tameside", Some(2025), "census")
        .unwrap()
        .text;
    assert_eq!(line(&t, "agency_price_cap"), Some(written(sw).as_str()));
    assert!(
        t.replace("\n#  ", " ")
            .contains("Both this cap and the market rate above are assumptions")
    );
}

#[test]
fn the_market_rate_init_assumes_takes_the_regions_pay_as_its_cap_does() {
    let c = census::shipped().unwrap();
    let rate = |council: &str| {
        let t = init::build(&c, council, Some(2023), "census").unwrap().text;
        line(&t, "agency_hourly_rate").unwrap().to_string()
    };
    // London's pay is £39,855 against England's £35,444 (figures pay.children_sw_2018): the
    // rate most likely £45 x 1.1244 = £50.60, as London's cap is most likely.
    let (ratio, key) = caps::pay_ratio("London").unwrap();
    assert_eq!(key, "pay.children_sw_2018.london");
    assert!((ratio - 39_855.0 / 35_444.0).abs() < 1e-12);
    assert_eq!(
        rate("Camden"),
        "agency_hourly_rate = { dist = \"triangular\", low = 44.98, mode = 50.6, high = 56.22 }"
    );
    assert_eq!(caps::pay_ratio("North West"), None);
    assert_eq!(
        rate("Tameside"),
        "agency_hourly_rate = { dist = \"triangular\", low = 40.0, mode = 45.0, high = 50.0 }"
    );
}
