//! `wfsim init` (a calibrated scenario for any council from the census) and `wfsim backtest`
//! (how often the ranges held what was published), on hand-made census files with known rates
//! and on the census wfsim ships.

use crate::common;

use assert_cmd::Command;
use predicates::prelude::*;
use wfsim::census::backtest::{self, Scored};
use wfsim::census::{self, init};
use wfsim::model::metric::Metric;
use wfsim::sim::engine;
use wfsim::sim::run::NoProgress;
use wfsim::stats::rng::RepStream;
use wfsim::stats::score;

const HEADER: &str = "time_period,time_identifier,geographic_level,country_code,country_name,\
region_code,region_name,old_la_code,new_la_code,la_name,inpost_fte,starters_fte,leavers_fte,\
turnover_rate_fte,agency_fte,agency_rate_fte,vacancy_fte,vacancy_rate_fte,caseload_fte,\
agency_cover_fte";

/// One council's census row, its rates worked out from its counts as DfE publishes them.
#[allow(clippy::too_many_arguments)]
fn row(
    year: i32,
    code: &str,
    name: &str,
    in_post: f64,
    starters: f64,
    leavers: f64,
    agency: f64,
    vacancies: f64,
    cover: f64,
) -> String {
    format!(
        "{year},Reporting year,Local authority,E92000001,England,E12000002,North West,1,{code},{name},\
         {in_post:.1},{starters:.1},{leavers:.1},{:.1},{agency:.1},{:.1},{vacancies:.1},{:.1},16.0,{cover:.1}",
        100.0 * leavers / in_post,
        100.0 * agency / (agency + in_post),
        100.0 * vacancies / (vacancies + in_post),
    )
}

/// Three councils of 1,000 FTE in post, 100 vacancies and 80 agency (60 covering vacancies), whose
/// turnover is 15%, 20% and 25% every year from 2017 to 2021, starters replacing leavers.
fn three_councils() -> String {
    let mut s = String::from(HEADER);
    for (code, name, t) in [
        ("E06000001", "Alpha", 0.15),
        ("E06000002", "Beta", 0.20),
        ("E06000003", "Gamma", 0.25),
    ] {
        for year in 2017..=2021 {
            s.push('\n');
            s.push_str(&row(
                year,
                code,
                name,
                1000.0,
                1000.0 * t,
                1000.0 * t,
                80.0,
                100.0,
                60.0,
            ));
        }
    }
    s.push('\n');
    s
}

/// The census's case columns, after [`HEADER`]'s.
const CASE_COLUMNS: &str = ",case_holders_fte,cases";

/// [`row`] with the census's case columns: `holders` case-holding FTE holding `cases`, and the
/// caseload they give in `caseload_fte`, to one decimal as DfE publishes it.
#[allow(clippy::too_many_arguments)]
fn case_row(
    year: i32,
    code: &str,
    name: &str,
    in_post: f64,
    leavers: f64,
    agency: f64,
    vacancies: f64,
    holders: &str,
    cases: &str,
) -> String {
    let r = row(
        year, code, name, in_post, leavers, leavers, agency, vacancies, 0.0,
    );
    let mut cells: Vec<String> = r.split(',').map(String::from).collect();
    let caseload = match (holders.parse::<f64>(), cases.parse::<f64>()) {
        (Ok(h), Ok(c)) if h > 0.0 => format!("{:.1}", c / h),
        _ => "x".to_string(),
    };
    cells[18] = caseload;
    // No agency covering vacancies in the census: agency covers them as far as it can.
    cells[19] = "x".to_string();
    format!("{},{holders},{cases}", cells.join(","))
}

/// [`three_councils`]' councils with cases: every year each holds a caseload of 15, 20 and 25
/// (Alpha, Beta, Gamma), its case-holders growing by a tenth a year from 500 FTE in 2017 and its
/// cases with them. Beta's cases in 2021 are `beta_2021`.
fn three_councils_with_cases(beta_2021: &str) -> String {
    let holders = ["500", "550", "605", "665.5", "732.05"];
    let mut s = format!("{HEADER}{CASE_COLUMNS}");
    for (code, name, t, caseload) in [
        ("E06000001", "Alpha", 0.15, 15.0),
        ("E06000002", "Beta", 0.20, 20.0),
        ("E06000003", "Gamma", 0.25, 25.0),
    ] {
        for (k, h) in holders.iter().enumerate() {
            let year = 2017 + k as i32;
            let cases = if name == "Beta" && year == 2021 {
                beta_2021.to_string()
            } else {
                format!("{:.2}", caseload * h.parse::<f64>().unwrap())
            };
            s.push('\n');
            s.push_str(&case_row(
                year,
                code,
                name,
                1000.0,
                1000.0 * t,
                80.0,
                100.0,
                h,
                &cases,
            ));
        }
    }
    s.push('\n');
    s
}

#[test]
fn init_writes_the_caseload_a_hand_made_census_implies() {
    let c = census::parse("cases.csv", &three_councils_with_cases("14641")).unwrap();
    let t = init::build(&c, "Beta", None, "cases.csv").unwrap().text;
    let flat = t.replace("\n#  ", " ");
    // Beta's 14,641 cases in 2021 grow as every council's did, by a tenth a year (12 pairs of
    // years), to 14,641 x 1.1^3 = 19,487.2 three years on. Every council's caseload held, so
    // none closed any of its gap from the mean (20): the caseload holds at 20.
    assert!(
        t.contains("\ncases = { from = 14641.0, to = 19487.0, over_months = 36 }\n"),
        "{t}"
    );
    assert!(
        flat.contains(
            "Cases held by case-holding staff, 14641 [census 2021: cases], growing +10.0% a year, \
             the mean yearly change of every council's cases 2017-2021 [census: 12 council-years]"
        ),
        "{flat}"
    );
    assert!(
        flat.contains("the caseload, 20.0 per case-holding FTE now"),
        "{flat}"
    );
    assert!(
        flat.contains("closes 0.0% of its gap from the mean over councils (20.0) a year, to 20.0")
    );
    assert!(t.contains("\nleaving_elasticity = 0.0 "), "{t}");
    // 732.05 case-holding FTE among 1,000 in post, of whom 100 ASYEs, and 80 agency:
    // 732.05 / (900 + 80 + 0.9 x 100) = 0.684 of a full caseload each, the ASYEs 0.9 x 0.684 =
    // 0.616 in their protected year; the same weight for the other grade and for agency.
    assert_eq!(t.matches("\ncaseload_weight = 0.684").count(), 3, "{t}");
    assert!(t.contains("\nprotected_months = 12 "), "{t}");
    assert!(t.contains("\nprotected_weight = 0.616\n"), "{t}");
    assert!(flat.contains("are the 732.1 case-holding FTE [census 2021: case_holders_fte]"));
    // No council's caseload moved beyond its staff's (fewer than 30 pairs, and none moved): the
    // cases do not wander.
    assert!(
        t.contains("\ncases = { sd = 0.0, persistence = 0.0 } "),
        "{t}"
    );
    // The scenario loads, and starts from the census's caseload: 14,641 cases over 0.684 x 980 +
    // 0.616 x 100 = 731.92 weighted FTE.
    let s = common::scenario(&t);
    let r = engine::simulate(&s.variants[0].spec, s.start, 1, &RepStream::new(1, 0), None);
    assert!((r.metric(Metric::CaseHoldingFte, 0) - 731.92).abs() < 1e-9);
    assert!((r.metric(Metric::Caseload, 0) - 14641.0 / 731.92).abs() < 1e-9);
}

#[test]
fn init_writes_no_caseload_where_the_census_has_no_cases() {
    for (cases, why) in [
        ("x", "`cases` is `x` (not available)"),
        (
            "0",
            "`cases` is left out as a reporting artefact (see `wfsim census`) and \
             `case_holders_fte` is left out as a reporting artefact (see `wfsim census`)",
        ),
    ] {
        let c = census::parse("cases.csv", &three_councils_with_cases(cases)).unwrap();
        let t = init::build(&c, "Beta", None, "cases.csv").unwrap().text;
        let flat = t.replace("\n#  ", " ");
        assert!(
            flat.contains(&format!(
                "# No [caseload]: Beta's census for 2021 has no cases to start from ({why}), so \
                 the scenario reports no caseload and its cases do not vary."
            )),
            "{flat}"
        );
        // Nor weights, nor the cases' variation line, which would need cases to move.
        assert!(
            !t.contains("[caseload]\n") && !t.contains("caseload_weight"),
            "{t}"
        );
        assert!(!t.contains("\ncases = "), "{t}");
        assert!(!common::scenario(&t).baseline().has_caseload());
        // Beta's earlier years have cases.
        let t = init::build(&c, "Beta", Some(2020), "cases.csv")
            .unwrap()
            .text;
        assert!(t.contains("[caseload]\n"), "{t}");
    }
}

#[test]
fn init_sets_the_inputs_a_hand_made_census_implies() {
    let c = census::parse("three.csv", &three_councils()).unwrap();
    let b = init::build(&c, "Beta", None, "three.csv").unwrap();
    assert_eq!(b.as_of, 2021);
    assert_eq!(b.file_name, "beta-2021.toml");
    let t = &b.text;
    let lines: Vec<String> = t.lines().map(|l| format!("{l}\n")).collect();
    let has = |line: &str| {
        assert!(
            lines.iter().any(|l| l.starts_with(line)),
            "no line starting `{line}` in\n{t}"
        )
    };
    has("start = \"2021-09\"");
    // To March 2025: three whole financial years after the start, 2022/23 to 2024/25.
    has("months = 42 ");
    assert!(
        t.contains("to 2025-03: three whole financial years, 2022/23 to 2024/25"),
        "{t}"
    );
    // A cohort of none, so that `solve --vary intake.asye.size` works and the projection is
    // the census's.
    assert!(t.contains("[intake.asye]\n"), "{t}");
    has("size = 0\n");
    // Employer NI: figures.toml has nothing for 2021/22, so the 2023/24 figures, said to be an
    // assumption; national pay, said so in the notes; pounds as £.
    has("employer_ni_rate = 0.138\n");
    has("ni_threshold = 9100\n");
    assert!(
        t.contains("figures.toml has no verified rate for 2021/22"),
        "{t}"
    );
    assert!(
        t.contains("national pay, no London weighting, unverified"),
        "{t}"
    );
    assert!(!t.contains("GBP") && t.contains("£2,000"), "{t}");
    // In post 1,000 + vacancies 100; the establishment did not grow, so it holds.
    has("establishment = 1100.0\n");
    has("agency = 80 ");
    // 60 of the 100 vacancies covered; 20 agency beyond them.
    has("agency_cover = 0.6\n");
    has("agency_extra = 20.0\n");
    // 10% of the 1,000 are ASYEs.
    has("permanent = 100 ");
    has("permanent = 900 ");
    // Turnover 20% in every year, its own level (weight near 1 beside the region's 15% and 25%):
    // an annual leaving rate of 1 - e^-0.2 = 0.181 in every band.
    has("leaving = [0.181, 0.181, 0.181, 0.181]");
    // Capacity to replace the leavers: 0.2 x 1,000 / 12 = 16.67 hires a month at the latest
    // turnover, moving as leaving does (12 months at persistence 0) to the level, less the hair
    // the region's pull takes off it (19.99%).
    has("max_hires_per_month = { from = 16.67, to = 16.66, over_months = 12 }\n");
    // No council's turnover or establishment moved: nothing wanders, and with 12 pairs of years
    // (fewer than 30) no share of staff moves with establishment, and agency has no part in
    // points.
    has("leaving = { sd = 0.0, persistence = 0.0 }");
    has("establishment = { sd = 0.0, persistence = 0.0, staff_share = 0.0 }");
    has("agency = { sd = 0.0, persistence = 0.0, points = 0.0 }");
    has("by = \"2024-09\"");
    // The text loads, and the inputs the census cannot give are marked as assumptions.
    let s = common::scenario(t);
    assert_eq!(s.variants.len(), 2);
    assert!(
        s.assumptions
            .iter()
            .filter(|a| a.source.contains("assumption"))
            .count()
            >= 8
    );
    // Alpha's 15% is pulled a little towards its region's mean (20%): with weight about 0.985 on
    // its own years, its level is 15.06%, a leaving rate of 0.1398, so it moves from 0.139.
    let a = init::build(&c, "Alpha", None, "three.csv").unwrap();
    assert!(
        a.text
            .contains("leaving = [{ from = 0.139, to = 0.14, over_months = 12 }, "),
        "{}",
        a.text
    );
}

#[test]
fn agency_covering_more_than_the_vacancies_is_kept_whole() {
    // Gamma's 2021 return says 120 agency cover its 100 vacancies, of 150 agency: agency covers
    // every vacancy, and the other 50 are agency beyond vacancies, so the model starts from all
    // 150 (cover 1 x 100 + 50) and not from 130.
    let gamma = |agency, cover| {
        row(
            2021,
            "E06000003",
            "Gamma",
            1000.0,
            250.0,
            250.0,
            agency,
            100.0,
            cover,
        )
    };
    let text = three_councils().replace(&gamma(80.0, 60.0), &gamma(150.0, 120.0));
    let c = census::parse("over.csv", &text).unwrap();
    let t = init::build(&c, "Gamma", None, "over.csv").unwrap().text;
    assert!(t.contains("\nagency = 150 "), "{t}");
    assert!(t.contains("\nagency_cover = 1.0\n"), "{t}");
    assert!(t.contains("\nagency_extra = 50.0\n"), "{t}");
    assert!(
        t.contains("agency_cover_fte, 120.0, is more than the vacancies"),
        "{t}"
    );
    // It loads.
    common::scenario(&t);
    // Cover above the agency is cut to it: 90 covering of 80 agency covers 80 of the 100
    // vacancies, with none beyond, so the model starts from the 80 published.
    let text = three_councils().replace(&gamma(80.0, 60.0), &gamma(80.0, 90.0));
    let c2 = census::parse("over.csv", &text).unwrap();
    let t2 = init::build(&c2, "Gamma", None, "over.csv").unwrap().text;
    assert!(t2.contains("\nagency_cover = 0.8\n"), "{t2}");
    assert!(t2.contains("\nagency_extra = 0.0\n"), "{t2}");
    assert!(
        t2.contains("agency_cover_fte, 90.0, is more than the agency"),
        "{t2}"
    );
    // `wfsim census` writes the same starting inputs.
    let gamma = c.areas.iter().find(|a| a.name == "Gamma").unwrap();
    let printed = wfsim::output::census::render(&c, gamma);
    assert!(
        printed.contains("agency covering vacancies 120.0 / vacancies 100.0; above 1")
            && printed.contains("agency_cover = 1.00 ")
            && printed.contains("agency_extra = 50.0 "),
        "{printed}"
    );
}

#[test]
fn init_refuses_what_it_cannot_build() {
    let c = census::parse("three.csv", &three_councils()).unwrap();
    let e = init::build(&c, "Beta", Some(2030), "x").unwrap_err();
    assert!(e.to_string().contains("no year 2030"), "{e}");
    let e = init::build(&c, "Delta", None, "x").unwrap_err();
    assert!(e.to_string().contains("no council"), "{e}");
    // A council with no vacancies published in its year is refused, saying what is missing.
    let text = three_councils().replace(
        &row(2021, "E06000002", "Beta", 1000.0, 200.0, 200.0, 80.0, 100.0, 60.0),
        "2021,Reporting year,Local authority,E92000001,England,E12000002,North West,1,E06000002,Beta,\
         1000.0,200.0,200.0,20.0,80.0,7.4,x,x,16.0,60.0",
    );
    let c = census::parse("gap.csv", &text).unwrap();
    let e = init::build(&c, "Beta", None, "x").unwrap_err();
    assert!(e.to_string().contains("no usable vacancies"), "{e}");
    // It can start from an earlier year instead.
    assert!(init::build(&c, "Beta", Some(2020), "x").is_ok());
}

/// The shipped census's lines for years up to `year` (and its header).
fn cut(text: &str, year: i32) -> String {
    let mut out = String::new();
    for (i, l) in text.lines().enumerate() {
        let y: Option<i32> = l
            .split(',')
            .next()
            .and_then(|f| f.trim_matches('"').parse().ok());
        if i == 0 || y.is_some_and(|y| y <= year) {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

#[test]
fn init_reads_no_year_after_the_one_it_starts_from() {
    let text = std::fs::read_to_string("assets/census/csww_indicators_2017_to_2025.csv").unwrap();
    let full = census::parse("census.csv", &text).unwrap();
    for year in [2019, 2022] {
        let before = census::parse("census.csv", &cut(&text, year)).unwrap();
        for council in [
            "Tameside",
            "Slough",
            "Lancashire",
            "Leicestershire",
            "Lewisham",
        ] {
            let a = init::build(&full, council, Some(year), "census.csv").unwrap();
            let b = init::build(&before, council, Some(year), "census.csv").unwrap();
            assert_eq!(a.text, b.text, "{council} at {year}");
        }
    }
}

#[test]
fn init_sets_rates_to_return_towards_the_mean_over_councils() {
    // Lancashire in 2022: a vacancy rate of 34.4%, far above the mean over councils, and an agency
    // rate of 13.3%, below it. Establishment ends below its growth alone (590.7 growing about 3% a
    // year), agency beyond vacancies rises from 0.5, and a comment says why, with its evidence.
    let c = census::shipped().unwrap();
    let t = init::build(&c, "Lancashire", Some(2022), "census")
        .unwrap()
        .text;
    let value = |key: &str| -> String {
        let line = t.lines().find(|l| l.starts_with(key)).unwrap();
        line.to_string()
    };
    let to = |line: String| -> f64 {
        let rest = line.split("to = ").nth(1).unwrap();
        rest.split(',').next().unwrap().parse().unwrap()
    };
    let establishment = value("establishment = { from = 590.7, to = ");
    assert!(to(establishment) < 590.7 * 1.03f64.powi(3));
    assert!(to(value("agency_extra = { from = 0.5, to = ")) > 0.5);
    let flat = t.replace("\n#  ", " ");
    assert!(flat.contains("the vacancy rate, 34.4% now, closes"), "{t}");
    assert!(flat.contains("the median share councils above the mean closed"));
    common::scenario(&t);
}

#[test]
fn every_council_with_clean_data_gets_a_scenario_that_checks() {
    let c = census::shipped().unwrap();
    for year in [2019, 2025] {
        let mut built = 0;
        for a in c.areas.iter().filter(|a| a.level == census::Level::Council) {
            match init::build(&c, &a.code, Some(year), "census") {
                Ok(b) => {
                    // Its agency at the start is what the model's agency need is, so none is
                    // released in month 1 for rounding alone.
                    let released: Vec<String> = common::scenario(&b.text)
                        .notes
                        .into_iter()
                        .filter(|n| n.contains("the excess is released"))
                        .collect();
                    assert!(released.is_empty(), "{} {year}: {released:?}", a.name);
                    built += 1;
                }
                Err(e) => assert!(
                    e.to_string().contains("too little clean census data"),
                    "{}: {e}",
                    a.name
                ),
            }
        }
        assert!(built >= 140, "{built} councils at {year}");
    }
}

#[test]
fn init_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.toml");
    let init = |extra: &[&str]| {
        let mut c = Command::cargo_bin("wfsim").unwrap();
        c.args(["init", "--council", "Tameside", "--as-of", "2022", "--out"])
            .arg(&out)
            .args(extra);
        c.assert()
    };
    init(&[]).success().stdout(predicate::str::contains(
        "from the census at 30 September 2022",
    ));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("name = \"tameside-2022\""));
    // Not over an existing file, unless --force.
    init(&[])
        .code(2)
        .stderr(predicate::str::contains("exists; give --force"));
    init(&["--force"]).success();
    Command::cargo_bin("wfsim")
        .unwrap()
        .args(["check"])
        .arg(&out)
        .assert()
        .success();
    // A region is not a council.
    Command::cargo_bin("wfsim")
        .unwrap()
        .args(["init", "--council", "North West", "--out"])
        .arg(dir.path().join("r.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a region in the census, not a council",
        ));
    assert!(!dir.path().join("r.toml").exists());
}

/// `--out` into a folder that does not exist makes it (it used to fail to write, exit 3);
/// `--force` replaces a regular file only, never a folder, link, pipe or device (it used to rename
/// the scenario over a device file).
#[cfg(unix)]
#[test]
fn init_makes_a_missing_folder_and_force_replaces_only_a_regular_file() {
    let dir = tempfile::tempdir().unwrap();
    let init = |out: &std::path::Path| {
        let mut c = Command::cargo_bin("wfsim").unwrap();
        c.args([
            "init",
            "--council",
            "Tameside",
            "--as-of",
            "2022",
            "--force",
            "--out",
        ])
        .arg(out);
        c.assert()
    };
    let nested = dir.path().join("new/folder/t.toml");
    init(&nested).success();
    assert!(
        std::fs::read_to_string(&nested)
            .unwrap()
            .contains("name = \"tameside-2022\"")
    );
    // A named pipe stands in for a device (a test must not touch /dev).
    let fifo = dir.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let folder = dir.path().join("folder.toml");
    std::fs::create_dir(&folder).unwrap();
    let link = dir.path().join("link.toml");
    std::os::unix::fs::symlink(&nested, &link).unwrap();
    for special in [&fifo, &folder, &link] {
        init(special).code(2).stderr(predicate::str::contains(
            "is not a regular file (a folder, a link or a device); --out names the scenario file \
             to write, and --force replaces only a regular file",
        ));
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert!(folder.is_dir());
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // A file where a folder should be.
    init(&nested.join("x.toml"))
        .code(2)
        .stderr(predicate::str::contains("is not a folder"));
}

/// Two councils over 2017 to 2020 with turnover that moves: the backtest of origin 2019, one year
/// ahead, scored by hand.
#[test]
fn the_backtest_scores_a_tiny_case_as_worked_by_hand() {
    let mut text = String::from(HEADER);
    // (in post, leavers) by year; starters replace leavers, vacancies 50, agency 40 (30 covering).
    let councils = [
        (
            "E06000001",
            "Alpha",
            [(500.0, 75.0), (500.0, 90.0), (500.0, 80.0), (500.0, 100.0)],
        ),
        (
            "E06000002",
            "Beta",
            [(400.0, 40.0), (400.0, 60.0), (400.0, 48.0), (400.0, 44.0)],
        ),
    ];
    for (code, name, years) in councils {
        for (k, (n, l)) in years.iter().enumerate() {
            text.push('\n');
            text.push_str(&row(
                2017 + k as i32,
                code,
                name,
                *n,
                *l,
                *l,
                40.0,
                50.0,
                30.0,
            ));
        }
    }
    text.push('\n');
    let c = census::parse("tiny.csv", &text).unwrap();
    let cfg = backtest::Config {
        origins: (2019, 2019),
        years: 1,
        councils: Vec::new(),
        replications: 200,
        seed: 3,
    };
    let b = backtest::run(&c, &cfg, &NoProgress).unwrap();
    assert_eq!(b.councils, 2);
    let turnover: Vec<&backtest::Case> = b
        .cases
        .iter()
        .filter(|c| c.measure == Scored::Turnover)
        .collect();
    assert_eq!(turnover.len(), 2);
    // What was published in 2020, and at the origin.
    assert_eq!((turnover[0].actual, turnover[0].at_origin), (0.2, 0.16));
    assert_eq!((turnover[1].actual, turnover[1].at_origin), (0.11, 0.12));
    // No change: the origin's value plus each one-year change up to 2019 of both councils:
    // Alpha +0.03, -0.02; Beta +0.05, -0.03. For Alpha (0.16), the ensemble 0.13, 0.14, 0.19,
    // 0.21 against 0.2: E|X - y| = (0.07 + 0.06 + 0.01 + 0.01) / 4 = 0.0375, and
    // E|X - X'| = 2 (0.01 + 0.06 + 0.08 + 0.05 + 0.07 + 0.02) / 16 = 0.03625, so
    // CRPS = 0.0375 - 0.018125 = 0.019375.
    assert!((turnover[0].crps_no_change - 0.019_375).abs() < 1e-12);
    // The cell of turnover one year ahead is the mean of its two cases.
    let cell = b
        .cells
        .iter()
        .find(|c| c.measure == Scored::Turnover && c.years == 1)
        .unwrap();
    assert_eq!(cell.cases, 2);
    let mean = |f: fn(&backtest::Case) -> f64| (f(turnover[0]) + f(turnover[1])) / 2.0;
    assert!((cell.crps - mean(|c| c.crps)).abs() < 1e-15);
    assert!((cell.crps_no_change - mean(|c| c.crps_no_change)).abs() < 1e-15);
    assert!((cell.skill - (1.0 - cell.crps / cell.crps_no_change)).abs() < 1e-15);
    assert!((cell.bias - mean(|c| c.p50 - c.actual)).abs() < 1e-15);
    let inside = turnover
        .iter()
        .filter(|c| c.p05 <= c.actual && c.actual <= c.p95)
        .count();
    assert_eq!(cell.within_90, inside as f64 / 2.0);
    assert_eq!(cell.pit.iter().sum::<usize>(), 2);
    // Every case's score agrees with its ensemble's percentiles.
    for c in &b.cases {
        assert!(c.p05 <= c.p25 && c.p25 <= c.p50 && c.p50 <= c.p75 && c.p75 <= c.p95);
        assert!(c.crps >= 0.0 && (0.0..=1.0).contains(&c.pit));
    }
    // The same scores from the same seed, and from 1 thread or 2.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let again = one.install(|| backtest::run(&c, &cfg, &NoProgress).unwrap());
    assert_eq!(format!("{:?}", again.cases), format!("{:?}", b.cases));
    // A CRPS by hand for a two-member ensemble, as the scores use.
    assert!((score::crps(&[0.0, 2.0], 1.0) - 0.5).abs() < 1e-15);
}

/// Three councils over 2017 to 2020, two of them with cases: the backtest of caseload from origin
/// 2019, one year ahead, scored by hand.
#[test]
fn the_backtest_scores_caseload_in_proportion_as_worked_by_hand() {
    let mut text = format!("{HEADER}{CASE_COLUMNS}");
    // (in post, case-holders, cases by year): Alpha's caseload 16, 20, 16, 18; Beta's 10, 12.5,
    // 10, 11. Gamma publishes no cases.
    let councils = [
        (
            "E06000001",
            "Alpha",
            500.0,
            "50",
            ["800", "1000", "800", "900"],
        ),
        (
            "E06000002",
            "Beta",
            400.0,
            "40",
            ["400", "500", "400", "440"],
        ),
        ("E06000003", "Gamma", 300.0, "x", ["x", "x", "x", "x"]),
    ];
    for (code, name, n, holders, cases) in councils {
        for (k, c) in cases.iter().enumerate() {
            text.push('\n');
            text.push_str(&case_row(
                2017 + k as i32,
                code,
                name,
                n,
                0.15 * n,
                40.0,
                50.0,
                holders,
                c,
            ));
        }
    }
    text.push('\n');
    let c = census::parse("tiny.csv", &text).unwrap();
    let cfg = backtest::Config {
        origins: (2019, 2019),
        years: 1,
        councils: Vec::new(),
        replications: 200,
        seed: 3,
    };
    let b = backtest::run(&c, &cfg, &NoProgress).unwrap();
    let caseload: Vec<&backtest::Case> = b
        .cases
        .iter()
        .filter(|c| c.measure == Scored::Caseload)
        .collect();
    // Gamma has no caseload to score, though its other figures are.
    assert_eq!(
        caseload
            .iter()
            .map(|c| c.council.as_str())
            .collect::<Vec<_>>(),
        ["Alpha", "Beta"]
    );
    assert!(b.cases.iter().any(|c| c.council == "Gamma"));
    // What was published in 2020, and at the origin.
    assert_eq!((caseload[0].actual, caseload[0].at_origin), (18.0, 16.0));
    assert_eq!((caseload[1].actual, caseload[1].at_origin), (11.0, 10.0));
    // The model starts from the published caseload: its median is near it a year on.
    assert!((caseload[0].p50 - 16.0).abs() < 2.0, "{:?}", caseload[0]);
    // No change moves caseload in proportion: the one-year changes up to 2019 are x1.25 and x0.8
    // for both councils. For Alpha (16), the ensemble 20, 12.8, 20, 12.8 against 18:
    // E|X - y| = (2 + 5.2 + 2 + 5.2) / 4 = 3.6 and E|X - X'| = 8 x 7.2 / 16 = 3.6, so
    // CRPS = 3.6 - 1.8 = 1.8. For Beta (10): 12.5, 8, 12.5, 8 against 11: 2.25 - 2.25 / 2 =
    // 1.125. (By points, Alpha's ensemble would be 20, 12, 18.5, 13.5.)
    assert!((caseload[0].crps_no_change - 1.8).abs() < 1e-12);
    assert!((caseload[1].crps_no_change - 1.125).abs() < 1e-12);
    // The cell of caseload one year ahead is the mean of its two cases.
    let cell = b
        .cells
        .iter()
        .find(|c| c.measure == Scored::Caseload && c.years == 1)
        .unwrap();
    assert_eq!(cell.cases, 2);
    let mean = |f: fn(&backtest::Case) -> f64| (f(caseload[0]) + f(caseload[1])) / 2.0;
    assert!((cell.crps - mean(|c| c.crps)).abs() < 1e-15);
    assert!((cell.crps_no_change - (1.8 + 1.125) / 2.0).abs() < 1e-12);
    assert!((cell.skill - (1.0 - cell.crps / cell.crps_no_change)).abs() < 1e-15);
    assert!((cell.bias - mean(|c| c.p50 - c.actual)).abs() < 1e-15);
    // The files name it, in its unit.
    let md = wfsim::output::backtest::markdown(&b);
    assert!(md.contains("| caseload | 1 | 2 | "), "{md}");
    assert!(md.contains(" cases/FTE |"), "{md}");
}

/// Asks to stop at the second look: after the job has started, in the middle of its projection.
struct StopsOnceStarted(std::sync::atomic::AtomicUsize);

impl wfsim::sim::run::Progress for StopsOnceStarted {
    fn cancelled(&self) -> bool {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 1
    }
}

/// Ctrl-C during one council's projection stops the backtest there (it used to run the whole
/// projection and, with one council, finish as if nothing had been asked).
#[test]
fn a_backtest_stops_within_a_projection_when_asked() {
    let c = census::shipped().unwrap();
    let cfg = backtest::Config {
        origins: (2021, 2021),
        years: 1,
        councils: vec!["Tameside".into()],
        replications: 100_000,
        seed: 1,
    };
    let stop = StopsOnceStarted(Default::default());
    let t = std::time::Instant::now();
    let e = backtest::run(&c, &cfg, &stop).unwrap_err();
    assert!(
        matches!(
            e,
            backtest::BacktestError::Interrupted { done: 0, total: 1 }
        ),
        "{e}"
    );
    // 256 replications, not 100,000.
    assert!(
        t.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        t.elapsed()
    );
    assert!(stop.0.load(std::sync::atomic::Ordering::SeqCst) >= 2);
}

#[test]
fn backtest_refuses_too_many_replications_and_a_council_named_twice() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("wfsim")
        .unwrap()
        .args(["backtest", "--reps", "100000000", "--out"])
        .arg(dir.path().join("a"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid value '100000000' for '--reps <N>': allowed: a whole number from 20 to \
             1,000,000",
        ));
    Command::cargo_bin("wfsim")
        .unwrap()
        .args([
            "backtest",
            "--council",
            "Tameside",
            "--council",
            "tameside",
            "--out",
        ])
        .arg(dir.path().join("b"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--council Tameside and --council tameside both name Tameside; name each council once",
        ));
    // Nothing was made for either.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn backtest_from_the_command_line_writes_its_files() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("wfsim")
        .unwrap()
        .args([
            "backtest",
            "--council",
            "Tameside",
            "--council",
            "Slough",
            "--origins",
            "2021..2022",
            "--years",
            "2",
            "--reps",
            "50",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("| agency rate | 1 |"))
        // Four cases a cell cannot tell 85% from 95%: not judged, and said so.
        .stdout(predicate::str::contains("too few cases to judge"))
        .stdout(predicate::str::contains(
            "(10 with fewer than 36 cases, too few to judge: the share within a 90% range then \
             has a standard error above 5 points; score more councils or origins)",
        ))
        .stdout(predicate::str::contains("| not met |").not());
    for f in [
        "backtest.csv",
        "backtest.md",
        "backtest.json",
        "reliability.svg",
        "reliability.png",
    ] {
        assert!(dir.path().join(f).exists(), "{f}");
    }
    let csv = std::fs::read_to_string(dir.path().join("backtest.csv")).unwrap();
    // Two councils, two origins, five figures (both have cases), up to two years ahead (2022's
    // second year is 2024, published).
    assert_eq!(csv.lines().count(), 1 + 2 * 2 * 5 * 2);
    // Origins outside the census are refused before anything runs.
    Command::cargo_bin("wfsim")
        .unwrap()
        .args(["backtest", "--origins", "2017..2019", "--out"])
        .arg(dir.path().join("x"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "must lie after the census's first year",
        ));
}

#[test]
fn every_factor_of_the_table_round_trips_through_inits_variation() {
    // `init` writes one line a factor of `scenario::FACTORS`, under its key and with its extra
    // key, and reading the scenario gives back each number as written.
    let c = census::shipped().unwrap();
    let b = init::build(&c, "Tameside", Some(2022), "census").unwrap();
    let v = common::scenario(&b.text).baseline().variation.clone();
    let section = &b.text[b.text.find("[variation]\n").expect("a [variation]")..];
    let written = |line: &str, key: &str| -> f64 {
        let at = line
            .find(&format!(" {key} = "))
            .unwrap_or_else(|| panic!("no {key} in {line}"));
        let rest = &line[at + key.len() + 4..];
        let end = rest.find([',', ' ']).unwrap_or(rest.len());
        rest[..end]
            .parse()
            .unwrap_or_else(|e| panic!("{key} in {line}: {e}"))
    };
    for (d, w) in v.factors() {
        let line = section
            .lines()
            .find(|l| l.starts_with(&format!("{} = {{ sd = ", d.key)))
            .unwrap_or_else(|| panic!("no line for {} in\n{section}", d.key));
        assert!(w.sd > 0.0, "{} wanders at Tameside", d.key);
        assert_eq!(written(line, "sd"), w.sd, "{}", d.key);
        assert_eq!(written(line, "persistence"), w.persistence, "{}", d.key);
        let others = wfsim::scenario::FACTORS
            .iter()
            .filter_map(|o| o.extra)
            .filter(|x| d.extra.is_none_or(|own| own.key != x.key));
        for x in others {
            assert!(!line.contains(&format!(" {} = ", x.key)), "{line}");
        }
        if let Some(x) = d.extra {
            assert_eq!(written(line, x.key), (x.get)(&v), "{line}");
            // What it rests on, in the comment beside the line or above it (a long one).
            let rests = format!("{}:", x.key);
            assert!(
                section.contains(&rests),
                "what {} rests on:\n{section}",
                x.key
            );
        }
    }
}
