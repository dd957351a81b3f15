//! Scenario files from someone else: hostile names and text must not run as formulas in a
//! spreadsheet or as HTML where the Markdown report is pasted, and names cannot leave the output
//! folder.

mod common;

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
