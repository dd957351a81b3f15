//! `wfsim census` on the DfE census file as published, read from `../shared/data/` (DOMAIN.md: the
//! project reads the file users download and ships no copy).

use assert_cmd::Command;
use predicates::prelude::*;

const CENSUS: &str = "../shared/data/csww_indicators_2017_to_2025.csv";

fn census(council: &str) -> assert_cmd::assert::Assert {
    Command::cargo_bin("wfsim")
        .unwrap()
        .args(["census", CENSUS, "--council", council])
        .assert()
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
            "2022", "171.3", "33.5", "47.8", "27.9%", "43.0", "20.1%", "39.0", "18.5%", "16.2"
        ]
    );
    // In post 113.3 to 168.6 FTE from 2018 to 2019: kept, flagged to check.
    assert_eq!(row(&stdout, "2019")[1], "168.6?");
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
fn a_malformed_file_reports_every_problem_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("census.csv");
    let text = std::fs::read_to_string(CENSUS).unwrap();
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
