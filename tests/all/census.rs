//! `wfsim census` and `wfsim run --census` on the DfE census file as published (the copy wfsim
//! ships in `assets/census/`), and the comparison with a projection on hand-made census rows.

use crate::common;

use assert_cmd::Command;
use predicates::prelude::*;
use wfsim::census::{self, Published};
use wfsim::output::Projection;
use wfsim::sim::run::{self, NoProgress, RunConfig};

const CENSUS: &str = "assets/census/csww_indicators_2017_to_2025.csv";

/// The published file.
fn published() -> String {
    std::fs::read_to_string(CENSUS).unwrap_or_else(|e| panic!("cannot read {CENSUS}: {e}"))
}

fn census(council: &str) -> assert_cmd::assert::Assert {
    published();
    Command::cargo_bin("wfsim")
        .unwrap()
        .args(["census", CENSUS, "--council", council])
        .assert()
}

/// `wfsim run` on the Tameside scenario with `args` after it.
fn run_tameside(args: &[&str]) -> Command {
    let mut c = Command::cargo_bin("wfsim").unwrap();
    c.args(["run", "scenarios/tameside-2022.toml"]).args(args);
    c
}

/// The cells of the last line starting with `first` (a year, or a measure of the usable years),
/// marks included.
fn row(stdout: &str, first: &str) -> Vec<String> {
    stdout
        .lines()
        .rfind(|l| l.starts_with(first))
        .unwrap_or_else(|| panic!("no row for {first} in\n{stdout}"))
        .split_whitespace()
        .map(String::from)
        .collect()
}

#[test]
fn a_council_year_by_year_as_published_with_its_comparators() {
    let out = census("Tameside").success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.starts_with("Tameside (council in North West, E08000008)\n"));
    // The figures DOMAIN.md quotes for 30 September 2022.
    assert_eq!(
        row(&stdout, "2022"),
        [
            "2022", "171.3", "33.5", "47.8", "27.9%", "43.0", "20.1%", "30.0", "39.0", "18.5%",
            "16.2"
        ]
    );
    // In post 113.3 to 168.6 FTE from 2018 to 2019: kept, flagged to check.
    assert_eq!(row(&stdout, "2019")[1], "168.6?");
    // Without a file, the copy wfsim ships: the same figures, from the file named without its
    // folder.
    let shipped = Command::cargo_bin("wfsim")
        .unwrap()
        .args(["census", "--council", "Tameside"])
        .assert()
        .success();
    let shipped = String::from_utf8(shipped.get_output().stdout.clone()).unwrap();
    assert_eq!(
        shipped.replacen("from csww_", "from assets/census/csww_", 1),
        stdout
    );
    assert!(stdout.contains(
        "  2019 ? in post rises from 113.3 to 168.6 FTE (+49%) in a year; check whether what is \
         counted changed\n"
    ));
    // All nine years usable; the mean turnover is that of the published rates
    // (14.3 + 31.0 + 9.8 + 22.1 + 22.0 + 27.9 + 27.5 + 41.2 + 18.3) / 9 = 23.8%, beside the North
    // West's and England's 2025 rates.
    let turnover = row(&stdout, "turnover ");
    assert_eq!(
        turnover,
        [
            "turnover",
            "23.8%",
            "9.8%-41.2%",
            "9",
            "18.3%",
            "(2025)",
            "12.2%",
            "11.8%"
        ]
    );
    // The latest year as a scenario's starting inputs: establishment = in post + vacancies,
    // agency cover = agency covering vacancies / vacancies = 64 / 85, and the other 10 agency
    // workers beyond vacancies; the 2,093 cases held by 110.8 case-holding FTE (18.9 each), so
    // each FTE in post or agency holds 110.8 / (162.5 + 74.0) = 0.468 of a full caseload.
    assert!(stdout.contains(
        "  start = \"2025-09\"        # 30 September 2025, the latest usable year\n  \
         establishment = 247.5    # [[posts]]: FTE in post 162.5 + vacancies 85.0\n  \
         agency = 74              # [[posts]]: agency FTE, as whole workers\n  \
         agency_cover = 0.75      # [[posts]]: agency covering vacancies 64.0 / vacancies 85.0\n  \
         agency_extra = 10.0      # [[posts]]: agency FTE beyond vacancies (absence, extra work)\n  \
         cases = 2093             # [caseload]: cases held by 110.8 case-holding FTE, 18.9 each\n  \
         caseload_weight = 0.468  # [[grades]] and [agency]: case-holding FTE 110.8 / (in post \
         162.5 + agency 74.0)\n"
    ));
    // The year-by-year table shows the caseload, not the cases and case-holders it comes from.
    assert!(!row(&stdout, "year  in post").contains(&"cases".to_string()));
    // And how councils' rates wander from year to year, as a scenario's [variation].
    assert!(stdout.contains("  [variation]\n  leaving       = { sd = 0.364, persistence = 0.13 }"));
}

#[test]
fn a_reported_zero_is_flagged_and_left_out() {
    let out = census("manchester").success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    // Manchester reported no leavers in 2022 with 415 FTE in post.
    let r = row(&stdout, "2022");
    assert_eq!((r[3].as_str(), r[4].as_str()), ("0.0*", "0.0%*"));
    assert!(stdout.contains(
        "  2022 * 0 leavers reported with 415.0 FTE in post: taken as a reporting artefact and \
         left out, with the year's turnover\n"
    ));
    // Turnover over the other 8 years: (8.1 + 19.4 + 14.2 + 17.5 + 15.5 + 22.5 + 11.9 + 13.2) / 8
    // = 15.3%.
    assert_eq!(
        row(&stdout, "turnover ")[1..4],
        ["15.3%", "8.1%-22.5%", "8"]
    );
}

#[test]
fn the_starting_point_is_the_latest_year_with_staff_in_post() {
    // The Isles of Scilly reported no social workers in post from 2021; 2020 had 1 FTE in post, 1
    // vacancy and 1 agency worker.
    let out = census("Isles of Scilly").success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        stdout
            .contains("  start = \"2020-09\"        # 30 September 2020, the latest usable year\n")
    );
    assert!(
        stdout
            .contains("  establishment = 2.0      # [[posts]]: FTE in post 1.0 + vacancies 1.0\n")
    );
    assert!(stdout.contains(
        "  agency_cover = 1.00      # [[posts]]: agency covering vacancies 1.0 / vacancies 1.0\n"
    ));
    // Its 26 cases were held by 2 case-holding FTE, its one in post and its one agency worker.
    assert!(stdout.contains(
        "  caseload_weight = 1.000  # [[grades]] and [agency]: case-holding FTE 2.0 / (in post 1.0 \
         + agency 1.0)\n"
    ));
    // England and the regions are not councils: no starting point.
    let out = census("England").success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(!stdout.contains("as a scenario's inputs"));
}

#[test]
fn a_region_lists_its_councils_and_england_its_regions() {
    let out = census("North West").success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.starts_with("North West (region)\n"));
    assert!(stdout.contains(
        "\ncouncils in North West in 2025 (* left out, ? worth checking: see each with --council):\n"
    ));
    // Each council's 2025 figures as published, with its flags (Halton's in post rose by more
    // than a third, from 69.0 to 95.0 FTE).
    assert_eq!(
        row(&stdout, "Tameside"),
        ["Tameside", "162.5", "18.3%", "31.3%", "34.3%"]
    );
    assert_eq!(row(&stdout, "Halton")[1], "95.0?");
    let councils = stdout.split("--------\n").last().unwrap();
    let councils = councils.split("\n\n").next().unwrap().lines().count();
    assert_eq!(councils, 24);
    let out = census("England").success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(
        row(&stdout, "North West"),
        ["North", "West", "5239.2", "12.2%", "16.6%", "15.7%"]
    );
}

#[test]
fn an_unknown_council_or_file_is_bad_input() {
    census("Tamside").code(2).stderr(predicate::str::contains(
        "has no council, region or England named `Tamside`; nearest: Tameside",
    ));
    Command::cargo_bin("wfsim")
        .unwrap()
        .args(["census", "no-such-census.csv", "--council", "Tameside"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "Error: cannot read census file no-such-census.csv\n  caused by: ",
        ));
}

#[test]
fn a_file_far_larger_than_the_census_is_refused_before_it_is_read() {
    // A sparse file: 50 MB long, nothing written, so the test is quick.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.csv");
    std::fs::File::create(&path)
        .unwrap()
        .set_len(50_000_000)
        .unwrap();
    let e = census::read(&path).unwrap_err().to_string();
    assert!(
        e.ends_with("huge.csv is 50.0 MB (50,000,000 bytes); the DfE census file is under 1 MB, and wfsim reads census files of at most 32.0 MB (32,000,000 bytes): is it the right file?"),
        "{e}"
    );
    // Just over the limit: the decimals and the bytes say by how much (it said "is 32 MB ...
    // at most 32 MB").
    for (len, shown) in [
        (32_600_000, "is 32.6 MB (32,600,000 bytes)"),
        (32_000_001, "is 32.0 MB (32,000,001 bytes)"),
    ] {
        std::fs::File::create(&path).unwrap().set_len(len).unwrap();
        let e = census::read(&path).unwrap_err().to_string();
        assert!(e.contains(shown), "{e}");
    }
}

#[test]
fn a_malformed_file_reports_every_problem_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("census.csv");
    let text = published();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[2] = lines[2].replacen(",2299.3,", ",lots,", 1);
    lines[4] = lines[4].replacen("2025,", "25,", 1);
    let column = lines[2].find(",lots,").unwrap() + 2;
    std::fs::write(&path, lines.join("\n")).unwrap();
    Command::cargo_bin("wfsim")
        .unwrap()
        .args(["census", path.to_str().unwrap(), "--council", "Tameside"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("census.csv has 2 problems:"))
        .stderr(predicate::str::contains(format!(
            ":3:{column}: `inpost_fte`: found \"lots\"; allowed: a number of FTE"
        )))
        .stderr(predicate::str::contains(
            ":5:1: `time_period`: found \"25\"; allowed: a year such as 2022",
        ));
}

/// The small scenario with nothing left to chance: no leaving, no recruitment, no agency churn.
fn still() -> wfsim::scenario::Scenario {
    let text = common::SMALL
        .replace("fill_probability = 0.1", "fill_probability = 0")
        .replace("leaving = [0.2, 0.2, 0.2, 0.2]", "leaving = [0, 0, 0, 0]")
        .replace("leaving = [0.3, 0.25, 0.2, 0.1]", "leaving = [0, 0, 0, 0]");
    common::scenario(&text)
}

#[test]
fn the_baseline_is_set_against_the_census_at_each_30_september() {
    let s = still();
    let cfg = RunConfig {
        replications: 20,
        ..RunConfig::from_scenario(&s)
    };
    let r = run::run(&s, &cfg, &NoProgress).unwrap();
    let text = "time_period,geographic_level,country_name,region_name,la_name,new_la_code,\
inpost_fte,starters_fte,leavers_fte,turnover_rate_fte,agency_fte,agency_rate_fte,vacancy_fte,\
vacancy_rate_fte,caseload_fte
2022,Local authority,England,North,Town,E1,100,20,10,10.0,42.9,30.0,25,20.0,15
2023,Local authority,England,North,Town,E1,100,20,12,12.0,6.4,6.0,5.8,5.5,15
2024,Local authority,England,North,Town,E1,120,20,0,0.0,5,4.0,5,4.0,15
";
    let c = census::parse("town.csv", text).unwrap();
    let town = Published::of(&c, c.find("Town").unwrap());
    let a = wfsim::output::census::against(&r, &town);
    // From 2023-01, 16 permanent in 20 posts and 4 agency. 2023-09 (month 8): 3 ASYEs join, 1 post
    // stays vacant and 1 agency worker covers it: agency and vacancy rates 1 / 20 = 5%; turnover
    // needs 12 months. 2024-09: 1 ASYE fills the last post, so both rates are 0 and turnover is
    // 0 leavers / 20. The census's 2024 turnover goes with its reported zero leavers (*).
    let rows: Vec<Vec<&str>> = a
        .rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["2022", "10.0%", "-", "30.0%", "-", "20.0%", "-"],
            ["2023", "12.0%", "-", "6.0%", "5.0%", "5.5%", "5.0%"],
            ["2024", "0.0%*", "0.0%", "4.0%", "0.0%", "4.0%", "0.0%"],
        ]
    );
    assert!(a.intro.contains(
        "The scenario starts with 16 permanent FTE; the census has 100.0 FTE in post in 2023, so \
         the two count different groups: compare the rates, not the counts."
    ));
    assert!(
        a.intro
            .ends_with("one marked ? is worth checking (see `wfsim census`).")
    );
    // The published rates drawn on the fan charts: each 30 September inside the horizon, without
    // what is left out (2024's turnover), for the rates the census publishes.
    use wfsim::census::join::observed;
    use wfsim::model::metric::Metric;
    assert_eq!(
        observed(&r, &town, Metric::AgencyShare),
        [(8, 0.06), (20, 0.04)]
    );
    assert_eq!(
        observed(&r, &town, Metric::VacancyRate),
        [(8, 0.055), (20, 0.04)]
    );
    assert_eq!(observed(&r, &town, Metric::TurnoverRate12m), [(8, 0.12)]);
    assert_eq!(observed(&r, &town, Metric::PermanentFte), []);
    // The key finding: the first September after the start that both give (turnover has no
    // projection before 12 months), with no range where every replication agrees.
    use wfsim::output::report::findings;
    let with = Projection {
        results: &r,
        census: Some(&town),
    };
    assert_eq!(
        findings(&with).last().unwrap(),
        "Against the DfE census: for September 2023 the baseline projects an agency rate of 5% \
         and a vacancy rate of 5%; Town's census has 6.0% and 5.5%."
    );
    // Without a census, nothing to set against.
    assert!(
        !findings(&Projection::of(&r))
            .iter()
            .any(|f| f.contains("census"))
    );
}

#[test]
fn run_with_the_census_prints_and_reports_the_comparison() {
    published();
    let dir = tempfile::tempdir().unwrap();
    run_tameside(&[
        "--reps",
        "50",
        "--census",
        CENSUS,
        "--council",
        "Tameside",
        "--out",
    ])
    .arg(dir.path())
    .assert()
    .success()
    .stdout(predicate::str::contains(
        "baseline against the census (Tameside, 30 September; median and 90% range):",
    ))
    .stdout(predicate::function(|out: &str| {
        row(out, "2022") == ["2022", "27.9%", "-", "20.1%", "30.9%", "18.5%", "30.9%"]
    }));
    // The comparison is written as data too: census.csv and summary.json.
    let csv = std::fs::read_to_string(dir.path().join("census.csv")).unwrap();
    assert!(csv.starts_with("year,rate,published,flag,p05,p25,p50,p75,p95,within_90\n"));
    assert!(
        csv.lines()
            .any(|l| l
                .starts_with("2022,agency_share,0.201,,0.3088,0.3088,0.3088,0.3088,0.3088,false")),
        "{csv}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap())
            .unwrap();
    let rows = json["census"]["comparison"].as_array().unwrap();
    assert_eq!(rows.len(), csv.lines().count() - 1);
    assert_eq!(rows[0]["rate"], "turnover_rate_12m");
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(md.contains("## Against the published census\n"), "{md}");
    assert!(md.contains(
        "| Year | Turnover: census | Turnover: projected | Agency rate: census | Agency rate: \
         projected | Vacancy rate: census | Vacancy rate: projected |"
    ));
    assert!(md.contains("| 2022 | 27.9% | - | 20.1% | 30.9% | 18.5% | 30.9% |"));
    // The key finding compares the first September after the start (the start is an input).
    assert!(md.contains(
        "\n- Against the DfE census: for September 2023 the baseline projects turnover of "
    ));
    assert!(md.contains("; Tameside's census has 27.5%, 24.3% and 28.5%.\n"));
    // The census's rates are drawn on the fan charts of the rates it publishes.
    assert!(md.contains(
        "one panel per option; the dashed red lines mark the target and its deadline; the open \
         circles are Tameside's published census rates at 30 September.*"
    ));
    assert_eq!(
        md.matches("published census rates at 30 September").count(),
        2
    );
    // The command that reproduces the report names the census and its hash.
    let hash = {
        use sha2::Digest;
        let bytes = published().into_bytes();
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert!(md.contains(&format!(
        "--months 60 --census {CENSUS} --council \"Tameside\"` (wfsim {}); scenario file SHA-256 ",
        env!("CARGO_PKG_VERSION")
    )));
    assert!(
        md.contains(&format!("; census file SHA-256 {hash}.")),
        "{md}"
    );
    // The workbook's Census sheet: real numbers, one row per year and rate, the census's
    // figure beside the baseline's percentiles (at 2022-09, month 0, 42 agency of 136 in every
    // replication).
    {
        use calamine::{Data, Reader, Xlsx, open_workbook};
        let mut wb: Xlsx<_> = open_workbook(dir.path().join("results.xlsx")).unwrap();
        let c = wb.worksheet_range("Census").unwrap();
        let rows: Vec<Vec<Data>> = c.rows().map(|r| r.to_vec()).collect();
        let header: Vec<String> = rows[0].iter().map(|d| d.to_string()).collect();
        assert_eq!(
            header,
            [
                "Year",
                "Rate",
                "Census",
                "Census flag",
                "Projected P05",
                "Projected P50",
                "Projected P95"
            ]
        );
        let agency_2022 = rows
            .iter()
            .find(|r| r[0] == Data::Float(2022.0) && r[1] == Data::String("agency rate".into()))
            .unwrap();
        assert_eq!(agency_2022[2], Data::Float(0.201));
        assert_eq!(agency_2022[3], Data::Empty);
        for x in &agency_2022[4..7] {
            // A bucket's mean of 50 equal values, so equal up to rounding.
            let Data::Float(x) = x else { panic!("{x:?}") };
            assert!((x - 42.0 / 136.0).abs() < 1e-12, "{x}");
        }
        // Nine census years and the horizon's Septembers to 2027, three rates each.
        assert_eq!(rows.len(), 1 + 11 * 3);
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["census"]["file"], CENSUS);
    assert_eq!(summary["census"]["sha256"], hash.as_str());
    assert_eq!(summary["census"]["area"], "Tameside");
    // Without the census the report has no such section.
    run_tameside(&["--reps", "50", "-q", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(!md.contains("census ("));
    assert!(!md.contains("## Against the published census"));
    let summary = std::fs::read_to_string(dir.path().join("summary.json")).unwrap();
    assert!(summary.contains("\n  \"census\": null,\n"));
}

#[test]
fn census_and_council_go_together_and_fail_before_simulating() {
    published();
    run_tameside(&["--census", CENSUS])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--council <NAME>"));
    let dir = tempfile::tempdir().unwrap();
    run_tameside(&["--census", CENSUS, "--council", "Tamside", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nearest: Tameside"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

mod never_panics {
    use proptest::prelude::*;
    use wfsim::census;

    const SAMPLE: &str = "time_period,geographic_level,country_name,region_name,la_name,\
new_la_code,inpost_fte,starters_fte,leavers_fte,turnover_rate_fte,agency_fte,agency_rate_fte,\
vacancy_fte,vacancy_rate_fte,caseload_fte
2022,National,England,,,,100,20,10,10.0,25,20.0,11.1,10.0,15
2022,Regional,England,North,,,50,5,5,10.0,10,14.0,5,9.1,16
2021,Local authority,England,North,\"Town, City of\",E1,100,20,25,25.0,25,20.0,25,20.0,x
2022,Local authority,England,North,\"Town, City of\",E1,140,0,14,10.0,60,30.0,35,20.0,17.5
2023,Local authority,England,North,Village,E2,0,0,0,z,0,z,0,z,z
";

    /// Parses `text`; a valid file is read, flagged and printed for every area. Panics only if
    /// wfsim does.
    fn read_all(text: &str) {
        match census::parse("prop.csv", text) {
            Err(census::CensusError::Invalid(e)) => {
                assert!(!e.diagnostics.is_empty());
                for d in &e.diagnostics {
                    assert!(d.line >= 1 && d.column >= 1 && !d.message.is_empty(), "{d}");
                }
            }
            Err(e) => panic!("unexpected error: {e}"),
            Ok(c) => {
                for a in &c.areas {
                    let found = c.find(&a.name);
                    assert!(found.is_ok() || a.name.is_empty());
                    wfsim::output::census::render(&c, a);
                }
            }
        }
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "[ -~\n]{0,300}") {
            read_all(&text);
        }

        #[test]
        fn any_cell_replaced_never_panics(
            line in 0usize..6,
            cell in 0usize..15,
            value in "[ -~]{0,8}",
        ) {
            let text: Vec<String> = SAMPLE
                .lines()
                .enumerate()
                .map(|(i, l)| {
                    if i != line {
                        return l.to_string();
                    }
                    let mut cells: Vec<String> = l.split(',').map(String::from).collect();
                    let k = cell % cells.len();
                    cells[k] = value.clone();
                    cells.join(",")
                })
                .collect();
            read_all(&text.join("\n"));
        }

        #[test]
        fn lines_dropped_or_cut_never_panic(drop in 0usize..6, cut in 0usize..400) {
            let mut lines: Vec<&str> = SAMPLE.lines().collect();
            lines.remove(drop);
            let text = lines.join("\n");
            let cut = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            read_all(&text[..cut]);
        }
    }
}

#[test]
fn the_example_scenarios_variation_is_the_censuss_estimate() {
    // The annotated example states the estimates `wfsim census` prints, to the digits printed.
    let c = census::read(std::path::Path::new(CENSUS)).unwrap();
    let e = census::calibrate::estimate(&c, 2025);
    let s = wfsim::scenario::load(std::path::Path::new("scenarios/tameside-2022.toml")).unwrap();
    let stated = s.baseline().variation.clone();
    for ((d, w), (_, est)) in stated.factors().zip(e.variation().factors()) {
        let name = d.key;
        assert_eq!(
            format!("{:.3}", est.sd),
            format!("{:.3}", w.sd),
            "{name} sd"
        );
        assert_eq!(
            format!("{:.2}", est.persistence),
            format!("{:.2}", w.persistence),
            "{name} persistence"
        );
        assert_eq!(
            format!("{:.1}", est.tails.excess_kurtosis()),
            format!("{:.1}", w.tails.excess_kurtosis()),
            "{name} tails"
        );
    }
    assert_eq!(
        format!("{:.2}", e.variation().staff_share),
        format!("{:.2}", stated.staff_share),
        "staff_share"
    );
    assert_eq!(
        format!("{:.3}", e.variation().agency_points),
        format!("{:.3}", stated.agency_points),
        "agency points"
    );
    // Only council years up to the one named are read.
    assert_ne!(census::calibrate::estimate(&c, 2021), e);
    assert_eq!(census::calibrate::estimate(&c, 2021).years, (2017, 2021));
}

/// The published file rewritten cell by cell: `sep` between cells, each number through `number`.
fn rewritten(sep: u8, number: impl Fn(&str) -> String) -> Vec<u8> {
    let text = published();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let mut w = csv::WriterBuilder::new()
        .delimiter(sep)
        .from_writer(Vec::new());
    w.write_record(r.headers().unwrap()).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        let cells: Vec<String> = rec
            .iter()
            .map(|c| {
                if c.parse::<f64>().is_ok() && c.contains('.') {
                    number(c)
                } else {
                    c.to_string()
                }
            })
            .collect();
        w.write_record(&cells).unwrap();
    }
    w.into_inner().unwrap()
}

fn read_bytes(bytes: &[u8]) -> Result<census::Census, census::CensusError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("census.csv");
    std::fs::write(&path, bytes).unwrap();
    census::read(&path)
}

#[test]
fn the_census_reads_as_spreadsheets_save_it() {
    let original = census::parse("x", &published()).unwrap();
    // `;` between cells and decimal commas, as a spreadsheet set for a decimal comma saves it.
    let semicolons = read_bytes(&rewritten(b';', |c| c.replace('.', ","))).unwrap();
    assert_eq!(semicolons.areas, original.areas);
    // Thousands separators, as Excel may save large numbers.
    let grouped = read_bytes(&rewritten(b',', |c| {
        let (whole, frac) = c.split_once('.').unwrap();
        let n: u64 = whole.parse().unwrap();
        let grouped = if n >= 1000 {
            format!("{},{:03}", n / 1000, n % 1000)
        } else {
            n.to_string()
        };
        format!("{grouped}.{frac}")
    }))
    .unwrap();
    assert_eq!(grouped.areas, original.areas);
    // UTF-16 with a byte-order mark.
    let mut utf16 = vec![0xFF, 0xFE];
    for u in published().encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    assert_eq!(read_bytes(&utf16).unwrap().areas, original.areas);
    // Windows-1252: a council's name with an accent, as one byte.
    let cp1252: Vec<u8> = published()
        .replace("Tameside", "Tamesid\u{e9}")
        .chars()
        .map(|c| if c == 'é' { 0xE9 } else { c as u8 })
        .collect();
    let c = read_bytes(&cp1252).unwrap();
    assert!(c.areas.iter().any(|a| a.name == "Tamesidé"));
}

/// The published file with `;` between cells and decimal commas, with Tameside's 2022 FTE in post
/// (171,3) written as `cell`; and the line that holds it.
fn semicolons_with(cell: &str) -> (String, usize) {
    let text = String::from_utf8(rewritten(b';', |c| c.replace('.', ","))).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with("2022;") && l.contains(";Tameside;"))
        .unwrap();
    assert!(lines[i].contains(";171,3;"));
    lines[i] = lines[i].replacen(";171,3;", &format!(";{cell};"), 1);
    (lines.join("\n"), i + 1)
}

/// In a file that writes decimals with a comma, `1.713` could be 1713 or 1.713: it used to be read
/// as 1.713, so that `init` wrote a scenario with 2 staff in post. Such a cell, and any number
/// whose decimal mark contradicts the file's, is refused with its line and column.
#[test]
fn a_number_that_could_be_read_two_ways_is_refused() {
    let (text, line) = semicolons_with("1.713");
    let e = census::parse("comma.csv", &text).unwrap_err().to_string();
    assert!(
        e.contains(&format!(":{line}:"))
            && e.contains("`inpost_fte`: found \"1.713\"; this file writes decimals with a comma, as on line 2, so it could be 1713 (a point between thousands) or 1.713 (a decimal point)"),
        "{e}"
    );
    // A decimal point among decimal commas.
    let (text, _) = semicolons_with("171.3");
    let e = census::parse("comma.csv", &text).unwrap_err().to_string();
    assert!(
        e.contains("found \"171.3\"; a decimal point, but this file writes decimals with a comma"),
        "{e}"
    );
    // Points between thousands with a decimal comma say which they are.
    let (text, _) = semicolons_with("1.713,3");
    let c = census::parse("comma.csv", &text).unwrap();
    let p = Published::of(&c, c.find("Tameside").unwrap());
    let (e, _) = p.marked(2022, census::Indicator::InPost).unwrap();
    assert_eq!(e.number(), Some(1713.3));
    // A decimal comma among decimal points.
    let text = String::from_utf8(rewritten(b';', |c| c.to_string()))
        .unwrap()
        .replacen(";171.3;", ";171,3;", 1);
    let e = census::parse("point.csv", &text).unwrap_err().to_string();
    assert!(
        e.contains("found \"171,3\"; a decimal comma, but this file writes decimals with a point"),
        "{e}"
    );
    // A `;` file with no decimals at all cannot say which `1.713` is.
    let text = String::from_utf8(rewritten(b';', |c| {
        c.split('.').next().unwrap().to_string()
    }))
    .unwrap()
    .replacen(";171;", ";1.713;", 1);
    let e = census::parse("whole.csv", &text).unwrap_err().to_string();
    assert!(
        e.contains("found \"1.713\"; it could be 1713 or 1.713, and no other number in this file has decimals"),
        "{e}"
    );
    // `wfsim census` and `wfsim init` refuse it (exit 2) and write nothing.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("comma.csv");
    std::fs::write(&path, semicolons_with("1.713").0).unwrap();
    Command::cargo_bin("wfsim")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "init",
            "--council",
            "Tameside",
            "--as-of",
            "2022",
            "--census",
        ])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("could be 1713"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_file_of_many_bad_lines_lists_the_first_hundred() {
    let mut text = published().lines().next().unwrap().to_string();
    for _ in 0..1000 {
        text.push_str("\nnot,a,census,row");
    }
    let e = census::parse("bad.csv", &text).unwrap_err();
    let census::CensusError::Invalid(errors) = e else {
        panic!("{e}")
    };
    assert_eq!(errors.diagnostics.len(), census::read::MAX_PROBLEMS + 1);
    assert!(
        errors.diagnostics[census::read::MAX_PROBLEMS]
            .message
            .contains("more problems after this line, not listed")
    );
}
