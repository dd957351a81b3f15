//! Scenario files from someone else: hostile names and text must not run as formulas in a
//! spreadsheet or as HTML where the Markdown report is pasted, and names cannot leave the output
//! folder.

use crate::common;

use assert_cmd::Command;
use predicates::prelude::*;

/// The small scenario with hostile text wherever free text goes, and names that carry markup.
fn hostile() -> String {
    common::SMALL
        .replace(
            "name = \"small\"",
            "name = \"small<b>x\"\ndescription = \"<img src=x onerror=alert(2)> [click](javascript:alert(1))\"\nnotes = [\"=cmd|' /C calc'!A0\", \"@SUM(1+1)\"]",
        )
        .replace("name = \"L3\"", "name = \"L3 <script>alert(1)</script>\"")
        .replace("{ \"L3\" = 1.0 }", "{ \"L3 <script>alert(1)</script>\" = 1.0 }")
        .replace("to = \"L3\"", "to = \"L3 <script>alert(1)</script>\"")
        + "\n[[options]]\nname = \"opt|<i>\"\ndescription = \"-2+3 <iframe src=x>\"\nset = { \"intake.asye.size\" = 5 }\n"
}

#[test]
fn hostile_text_never_reaches_a_spreadsheet_as_a_formula_or_markdown_as_html() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("h.toml");
    std::fs::write(&file, hostile()).unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("wfsim")
        .unwrap()
        .arg("run")
        .arg(&file)
        .args(["--reps", "30", "--out"])
        .arg(&out)
        .assert()
        .success();
    let mut csvs = 0;
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            csvs += 1;
            let mut r = csv::Reader::from_path(&path).unwrap();
            for rec in r.records() {
                for cell in rec.unwrap().iter() {
                    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
                    assert!(
                        !risky || cell.parse::<f64>().is_ok(),
                        "{}: cell `{cell}` would run as a formula",
                        path.display()
                    );
                }
            }
        }
    }
    assert!(csvs >= 3);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    for tag in ["<img", "<script", "<iframe", "<b>", "<i>"] {
        assert!(!md.contains(tag), "report.md holds raw `{tag}`");
    }
    assert!(md.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(!md.contains("](javascript"), "a link survived");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for tag in ["<img src=x", "<script>alert", "<iframe"] {
        assert!(!html.contains(tag), "report.html holds raw `{tag}`");
    }
}

#[test]
fn names_that_begin_like_formulas_or_leave_the_output_folder_are_refused() {
    for (from, to, says) in [
        (
            "name = \"L3\"",
            "name = \"+L3\"",
            "a name cannot begin with `+`",
        ),
        ("name = \"small\"", "name = \"..\"", "cannot be `.` or `..`"),
        ("name = \"small\"", "name = \".\"", "cannot be `.` or `..`"),
        (
            "name = \"small\"",
            "name = \"@small\"",
            "a name cannot begin with `@`",
        ),
    ] {
        let errors = common::errors(&common::SMALL.replacen(from, to, 1));
        assert!(errors.iter().any(|e| e.contains(says)), "{to}: {errors:?}");
    }
    // A negative number is still a number, and a name may hold these characters after its start.
    assert_eq!(
        wfsim::output::csv::safe_cell("-0.25"),
        std::borrow::Cow::Borrowed("-0.25")
    );
    assert_eq!(wfsim::output::csv::safe_cell("-x"), "'-x");
    assert_eq!(wfsim::output::csv::safe_cell("a=b"), "a=b");
    // A run is refused before anything is written.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dots.toml");
    std::fs::write(
        &file,
        common::SMALL.replace("name = \"small\"", "name = \"..\""),
    )
    .unwrap();
    Command::cargo_bin("wfsim")
        .unwrap()
        .current_dir(dir.path())
        .arg("run")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be `.` or `..`"));
    assert!(!dir.path().join("report.html").exists());
}

/// `wfsim run` of the small scenario into `out` with `args`.
fn run_small(
    dir: &std::path::Path,
    out: &std::path::Path,
    args: &[&str],
) -> assert_cmd::assert::Assert {
    let file = dir.join("small.toml");
    std::fs::write(&file, common::SMALL).unwrap();
    Command::cargo_bin("wfsim")
        .unwrap()
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(out)
        .args(args)
        .assert()
}

#[test]
fn a_run_replaces_the_whole_set_of_the_run_before_and_nothing_else() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    run_small(t.path(), &out, &["--reps", "20", "--seed", "1"]).success();
    assert!(out.join("report.html").exists() && out.join("results.xlsx").exists());
    std::fs::write(out.join("my notes.txt"), "mine").unwrap();
    // A quicker run over it: the old report and workbook (another seed) do not stay beside it.
    run_small(
        t.path(),
        &out,
        &["--reps", "20", "--seed", "2", "--no-report"],
    )
    .success();
    assert!(!out.join("report.html").exists());
    assert!(!out.join("results.xlsx").exists());
    assert!(!out.join("charts").exists());
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["seed"], 2);
    assert_eq!(
        std::fs::read_to_string(out.join("my notes.txt")).unwrap(),
        "mine"
    );
    // Nothing temporary is left: only the set, its record and the user's file.
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".wfsim-set",
            "comparison.csv",
            "costs.csv",
            "my notes.txt",
            "summary.json",
            "trajectories.csv"
        ]
    );
    // While another run holds the folder, a second is refused before it simulates.
    std::fs::write(out.join(".wfsim.lock"), std::process::id().to_string()).unwrap();
    run_small(t.path(), &out, &["--reps", "20"])
        .code(3)
        .stderr(predicate::str::contains("another wfsim run"));
    std::fs::remove_file(out.join(".wfsim.lock")).unwrap();
}

#[test]
fn a_command_that_fails_before_writing_leaves_no_folder() {
    let t = tempfile::tempdir().unwrap();
    let file = t.path().join("small.toml");
    std::fs::write(&file, common::SMALL).unwrap();
    let out = t.path().join("solve-out");
    Command::cargo_bin("wfsim")
        .unwrap()
        .arg("solve")
        .arg(&file)
        .args([
            "--target",
            "no-such-target",
            "--probability",
            "0.8",
            "--vary",
            "intake.asye.size=1..5",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(2);
    assert!(!out.exists(), "an empty output folder was left behind");
}

#[test]
fn a_thread_count_that_would_exhaust_the_machine_is_refused_before_any_work() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    run_small(t.path(), &out, &["--threads", "100000"])
        .code(2)
        .stderr(predicate::str::contains("--threads 100000: give 1 to"));
    assert!(!out.exists());
}
