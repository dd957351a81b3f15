//! The `wfsim` command as a user runs it.

use assert_cmd::Command;
use predicates::prelude::*;

fn wfsim() -> Command {
    Command::cargo_bin("wfsim").unwrap()
}

const SCENARIO: &str = "scenarios/tameside-2022.toml";

#[test]
fn check_prints_a_summary_of_a_valid_scenario() {
    wfsim()
        .args(["check", SCENARIO])
        .assert()
        .success()
        .stdout(predicate::str::contains("tameside-2022"))
        .stdout(predicate::str::contains("Social worker"))
        // Targets and price caps in words, with their units.
        .stdout(predicate::str::contains(
            "80:20: agency share at most 20.0% by 2027-03",
        ))
        .stdout(predicate::str::contains("Social worker: £42 an hour;"))
        // What an option changes is shown as the file states it, not only its description.
        .stdout(predicate::str::contains(
            "  asye-25: September ASYE cohorts of 25 instead of 15\n    sets intake.asye.size = 25\n",
        ))
        // The year-to-year variation with each factor's own key.
        .stdout(predicate::str::contains(
            "agency sd 0.393 persistence 0.99 tails 3.6 points 0.036; establishment sd 0.088 \
             persistence 0.81 tails 2.6 staff_share 0.27",
        ))
        .stdout(predicate::str::contains("The scenario is valid."));
}

#[test]
fn check_reports_every_problem_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    let text = std::fs::read_to_string(SCENARIO)
        .unwrap()
        .replace("months = 60 ", "months = 600 ")
        .replace("permanent = 39 ", "permanent = -39 ");
    let months_line = text
        .lines()
        .position(|l| l.starts_with("months = 600"))
        .unwrap()
        + 1;
    std::fs::write(&bad, text).unwrap();
    wfsim()
        .args(["check", bad.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("Error: "))
        .stderr(predicate::str::contains("has 2 problems"))
        .stderr(predicate::str::contains(format!(
            "bad.toml:{months_line}:10: `scenario.months`: found 600; allowed: a whole number from 1 to 240"
        )))
        .stderr(predicate::str::contains(
            "`grades[ASYE].permanent`: found -39; permanent FTE cannot be negative",
        ));
}

#[test]
fn a_missing_file_is_bad_input() {
    wfsim()
        .args(["check", "no/such/file.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "Error: cannot read scenario file no/such/file.toml",
        ))
        .stderr(predicate::str::contains("caused by:"));
}

#[test]
fn run_writes_the_four_files_with_their_exact_headers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    wfsim()
        .args([
            "run",
            SCENARIO,
            "--reps",
            "60",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("P(80:20)"))
        .stdout(predicate::str::contains("vs baseline"));
    let first = |f: &str| {
        std::fs::read_to_string(out.join(f))
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        first("trajectories.csv"),
        "option,month,date,metric,mean,p05,p25,p50,p75,p95"
    );
    assert_eq!(
        first("costs.csv"),
        "option,financial_year,component,mean,p05,p50,p95"
    );
    assert_eq!(
        first("comparison.csv"),
        "option,measure,mean,p05,p50,p95,prob_better"
    );
    let traj = std::fs::read_to_string(out.join("trajectories.csv")).unwrap();
    for metric in [
        "permanent_fte",
        "agency_fte",
        "vacant_fte",
        "establishment_fte",
        "agency_share",
        "vacancy_rate",
        "turnover_rate_12m",
        "under_2y_share",
        "asye_share",
        "cost_month",
        "fte_asye",
        "fte_level_2",
        "fte_level_3",
    ] {
        assert!(traj.contains(&format!(",{metric},")), "{metric} missing");
    }
    assert!(traj.contains("baseline,0,2022-09,agency_share,0.308824,"));
    let costs = std::fs::read_to_string(out.join("costs.csv")).unwrap();
    assert!(costs.contains("baseline,2023/24,total,"));
    assert!(costs.contains("supplement-3k,total,grant_income,"));
    let comparison = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
    for m in [
        "cost_diff_total",
        "npv_diff",
        "agency_fte_months_diff",
        "break_even_month",
        "cost_diff_2024/25",
        "target_80:20_diff",
    ] {
        assert!(
            comparison.contains(&format!("supplement-3k,{m},")),
            "{m} missing"
        );
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["replications"], 60);
    assert_eq!(summary["seed"], 20220930);
    assert_eq!(summary["input_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(summary["options"].as_array().unwrap().len(), 5);
    let p = summary["options"][0]["targets"][0]["probability_met"]
        .as_f64()
        .unwrap();
    assert!((0.0..=1.0).contains(&p));
    // What the 2024 agency rules change, from every replication run again without them.
    let e = &summary["options"][2]["agency_rules_effect"];
    assert_eq!(e["replications"], 60);
    assert_eq!(e["agency_fte"]["from"], "2026-10");
    assert_eq!(e["agency_fte"]["to"], "2027-09");
    assert_eq!(e["agency_spend"]["period"], "2022/23-2026/27");
    for part in ["agency_fte", "agency_spend"] {
        let mean = |k: &str| e[part][k]["mean"].as_f64().unwrap();
        let change = mean("with_rules") - mean("without_rules");
        assert!(
            (mean("change") - change).abs() <= 1e-6 * (1.0 + change.abs()),
            "{part}"
        );
    }
    assert!(e["agency_spend"]["change"]["mean"].as_f64().unwrap() < 0.0);
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains(
        "from the first 60 replications, each run again without the rules on the same random numbers"
    ));
    assert!(report.contains("- asye-25: the rules change agency FTE by "));
    assert!(!report.contains("add an option that sets them aside"));
}

#[test]
fn run_of_a_scenario_without_the_agency_rules_or_without_the_report_says_nothing_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    wfsim()
        .args([
            "run",
            "scenarios/slough-2014.toml",
            "--reps",
            "40",
            "-q",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(!summary.contains("agency_rules_effect"));
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(!report.contains("Agency under the 2024 rules"));
    // Nor does a run without the report, of a scenario with the rules: they are compared for
    // the report only.
    let quick = dir.path().join("quick");
    wfsim()
        .args([
            "run",
            SCENARIO,
            "--reps",
            "20",
            "--no-report",
            "-q",
            "--out",
        ])
        .arg(&quick)
        .assert()
        .success();
    let summary = std::fs::read_to_string(quick.join("summary.json")).unwrap();
    assert!(!summary.contains("agency_rules_effect"));
}

#[test]
fn the_reports_comparison_without_the_agency_rules_leaves_the_data_files_as_they_were() {
    // The comparison runs each option again after the options, on the replication's streams:
    // the projections themselves are byte for byte those of a run without it.
    let dir = tempfile::tempdir().unwrap();
    let (full, quick) = (dir.path().join("full"), dir.path().join("quick"));
    for (out, more) in [(&full, None), (&quick, Some("--no-report"))] {
        wfsim()
            .args(["run", SCENARIO, "--reps", "30", "--months", "40", "-q"])
            .args(more)
            .arg("--out")
            .arg(out)
            .assert()
            .success();
    }
    let summary = std::fs::read_to_string(full.join("summary.json")).unwrap();
    assert!(summary.contains("agency_rules_effect"));
    for file in ["trajectories.csv", "costs.csv", "comparison.csv"] {
        let a = std::fs::read(full.join(file)).unwrap();
        let b = std::fs::read(quick.join(file)).unwrap();
        assert!(a == b, "{file} differs with the report's comparison");
    }
}

#[test]
fn run_gives_the_same_bytes_on_one_or_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for (out, threads) in [(&a, "1"), (&b, "2")] {
        wfsim()
            .args([
                "run",
                SCENARIO,
                "--reps",
                "40",
                "--seed",
                "9",
                "--threads",
                threads,
                "-q",
                "--out",
                out.to_str().unwrap(),
            ])
            .assert()
            .success()
            .stdout("");
    }
    for f in [
        "trajectories.csv",
        "costs.csv",
        "comparison.csv",
        "summary.json",
        "report.md",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn an_unwritable_output_folder_fails_before_simulating_with_exit_code_3() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    // A folder inside a file cannot be made (a file named as the folder itself is a wrong
    // argument, exit 2: `hostile.rs`).
    let inside = file.join("out");
    wfsim()
        .args([
            "run",
            SCENARIO,
            "--reps",
            "10",
            "--out",
            inside.to_str().unwrap(),
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("Error: cannot write"));
}

#[test]
fn run_options_are_checked() {
    wfsim()
        .args(["run", SCENARIO, "--years", "2031/32"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "Error: --years: `2031/32` runs past the horizon, which ends 2027-09; to cost it whole, run to 2032-03 with --months 114 (the horizon's financial years are 2022/23 (Oct-Mar) to 2026/27)",
        ));
    wfsim()
        .args(["run", SCENARIO, "--reps", "0"])
        .assert()
        .code(2);
    wfsim()
        .args(["run", SCENARIO, "--threads", "0"])
        .assert()
        .code(2);
}

#[test]
fn help_documents_the_exit_codes() {
    wfsim()
        .args(["run", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes: 0 success"))
        .stdout(predicate::str::contains("--reps <N>"));
}

#[test]
fn ctrl_c_stops_promptly_and_leaves_previous_results_whole() {
    stops_promptly_and_leaves_previous_results_whole("-INT");
}

/// A service manager's stop (SIGTERM) or a closed terminal (SIGHUP) stops a run as Ctrl-C does,
/// where it used to end the process at once and leave the folder it had made, and its lock.
#[test]
fn a_termination_signal_stops_a_run_as_ctrl_c_does() {
    stops_promptly_and_leaves_previous_results_whole("-TERM");
    stops_promptly_and_leaves_previous_results_whole("-HUP");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("new-folder");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("wfsim"))
        .args(["run", SCENARIO, "--reps", "1000000", "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(out.exists(), "the run holds its folder while it runs");
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130));
    assert!(
        !out.exists(),
        "the folder the run made, and its lock, are gone"
    );
}

/// Sends `signal` to a long run into a folder holding a previous result.
fn stops_promptly_and_leaves_previous_results_whole(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("summary.json"), "previous results").unwrap();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("wfsim"))
        .args([
            "run",
            SCENARIO,
            "--reps",
            "1000000",
            "--months",
            "120",
            "--out",
            out.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let started = std::time::Instant::now();
    let status = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "stopping on {signal} took {:?}",
        started.elapsed()
    );
    assert_eq!(output.status.code(), Some(130), "{signal}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Error: interrupted after"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.join("summary.json")).unwrap(),
        "previous results"
    );
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temporary or partial files: {names:?}");
}

#[test]
fn horizons_shorter_than_a_year_run_and_write_every_output() {
    // The turnover rate over 12 months is first defined in month 12; a shorter horizon must run
    // and leave it empty, not fail. The bundled scenario's targets need 54 months, so they are
    // taken out.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(SCENARIO).unwrap();
    let no_targets = text.split("\n[[targets]]").next().unwrap().to_string()
        + &text[text.find("\n[[options]]").unwrap()..];
    let file = dir.path().join("short.toml");
    std::fs::write(&file, no_targets).unwrap();
    for months in ["1", "11", "12"] {
        let out = dir.path().join(format!("out{months}"));
        wfsim()
            .args([
                "run",
                file.to_str().unwrap(),
                "--reps",
                "20",
                "--months",
                months,
            ])
            .args(["-q", "--out", out.to_str().unwrap()])
            .assert()
            .success();
        let csv = std::fs::read_to_string(out.join("trajectories.csv")).unwrap();
        let turnover = csv
            .lines()
            .filter(|l| l.contains(",turnover_rate_12m,"))
            .count();
        // One row per option from month 12, none before.
        let want = if months == "12" { 5 } else { 0 };
        assert_eq!(turnover, want, "{months} months");
        for f in ["summary.json", "report.html", "results.xlsx", "costs.csv"] {
            assert!(out.join(f).exists(), "{f} after {months} months");
        }
    }
}

#[test]
fn a_horizon_shorter_than_a_deadline_runs_and_says_the_target_is_beyond_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    wfsim()
        .args(["run", SCENARIO, "--months", "24", "--reps", "20", "--no-report", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "note: Target `80:20` (by 2027-03) is beyond the horizon, which ends 2024-09, so it is not assessed; run at least 54 months to assess it.",
        ))
        .stdout(predicate::str::contains("P(80:20)").not())
        // With no target, the headline is at the end of the horizon, labelled so.
        .stdout(predicate::str::contains("agency share 2024-09 (end), median (90% range)"))
        // The finance view over the current part-year and the horizon's one whole year.
        .stdout(predicate::str::contains(
            "Each option against the baseline over the financial years 2022/23 (Oct-Mar) to 2023/24",
        ));
    let comparison = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
    assert!(
        comparison.contains(",net_cost_2022/23-2023/24,"),
        "{comparison}"
    );
    assert!(!comparison.contains("target_80:20"));
    // Solving for a target the horizon does not reach says so, and writes nothing.
    let solve_out = dir.path().join("solve");
    wfsim()
        .args(["solve", SCENARIO, "--target", "80:20", "--probability", "0.8"])
        .args(["--vary", "intake.asye.size=10..40", "--months", "24", "--out"])
        .arg(&solve_out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "target `80:20` (by 2027-03) is beyond the horizon, which ends 2024-09; run at least 54 months",
        ));
    assert!(!solve_out.exists());
    // So does the sensitivity analysis asked about it; without --target it runs and notes it.
    wfsim()
        .args(["sensitivity", SCENARIO, "--target", "80:20", "--months", "24", "--out"])
        .arg(&solve_out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--target: target `80:20` (by 2027-03) is beyond the horizon, which ends 2024-09; run at least 54 months",
        ));
    assert!(!solve_out.exists());
    wfsim()
        .args(["sensitivity", SCENARIO, "--months", "24", "--reps", "4", "--out"])
        .arg(&solve_out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "note: Target `80:20` (by 2027-03) is beyond the horizon, which ends 2024-09, so it is not assessed; run at least 54 months to assess it.",
        ));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(solve_out.join("sensitivity.json")).unwrap())
            .unwrap();
    assert!(
        json["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("Target `80:20` (by 2027-03) is beyond the horizon"),
        "{json}"
    );
}

#[test]
fn a_reader_that_stops_early_does_not_stop_the_run() {
    // `wfsim run ... | head -1`: the reader closes its end before wfsim prints. Printing into a
    // closed pipe used to panic (exit 101) before the files were written.
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("wfsim"))
        .args([
            "run",
            "scenarios/tameside-2022.toml",
            "--reps",
            "50",
            "--no-report",
            "--out",
        ])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(dir.path().join("summary.json").is_file());
}

#[test]
fn a_reader_that_stops_early_does_not_turn_an_error_into_a_crash() {
    // `wfsim check bad.toml 2>&1 | head -0`: the error message goes into a closed pipe; the exit
    // code is still the one for an invalid scenario (2), not a panic's 101.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("wfsim"))
        .args(["check", "tests/bad/01-misspelt-key.toml"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(2), "{status}");
}

#[test]
fn control_characters_in_an_error_are_shown_escaped_never_sent_to_the_terminal() {
    let out = wfsim()
        .args(["census", "--council", "Tame\u{1b}[2Jside"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(err.contains("named `Tame\\u{1b}[2Jside`"), "{err}");
}

#[test]
fn a_month_outside_the_years_allowed_says_which_years_are() {
    wfsim()
        .args([
            "init",
            "--council",
            "Tameside",
            "--staff",
            "tests/data/council/staff.csv",
            "--leavers",
            "tests/data/council/leavers.csv",
            "--leavers-from",
            "1900-01",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`1900-01`: the year must be from 1950 to 2200",
        ));
}

#[test]
fn a_seed_is_one_a_scenario_could_state() {
    wfsim()
        .args([
            "run",
            "scenarios/slough-2014.toml",
            "--seed",
            "9223372036854775808",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`9223372036854775808` is not a seed: a whole number from 0 to 9223372036854775807",
        ));
}

#[test]
fn a_count_out_of_range_on_the_command_line_names_its_flag_and_what_is_allowed() {
    for (flag, value, allowed) in [
        ("--reps", "0", "1 to 1,000,000"),
        ("--reps", "1.5", "1 to 1,000,000"),
        ("--months", "241", "1 to 240"),
        ("--months", "99999999999999999999", "1 to 240"),
    ] {
        wfsim()
            .args(["run", SCENARIO, flag, value, "--no-report"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "invalid value '{value}' for '{flag} <N>': allowed: a whole number from {allowed}"
            )));
    }
}
