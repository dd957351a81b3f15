//! `sweep` and `solve` against a scenario whose answer is known in closed form: no leaving, no
//! recruitment, no progression, so permanent FTE grows by exactly the ASYE cohort each September.

use assert_cmd::Command;
use wfsim::decide::{DecideError, Goal, Vary};
use wfsim::model::metric::Metric;
use wfsim::scenario::diag::Source;
use wfsim::sim::run::{NoProgress, RunConfig};

/// The decision tools as the command line calls them: the file parsed once, the scenario read
/// once, the run's settings checked once, the varied input and its option resolved once.
mod sweep {
    pub use wfsim::decide::sweep::{self};
    use wfsim::decide::{self, DecideError, Goal, Varied, Vary};
    pub use wfsim::decide::{Point, Solution};
    use wfsim::scenario::Document;
    use wfsim::scenario::diag::Source;
    use wfsim::sim::run::{self, Progress, RunConfig};

    pub fn sweep(
        source: &Source,
        vary: &Vary,
        option: Option<&str>,
        cfg: &RunConfig,
        progress: &dyn Progress,
    ) -> Result<Vec<Point>, DecideError> {
        let doc = Document::parse(source)?;
        let s = doc.read(&[])?;
        let cfg = run::settle(&s, cfg)?;
        let varied = Varied::resolve(&doc, &s, vary, option)?;
        decide::sweep(&doc, &varied, &cfg, progress)
    }

    pub fn solve(
        source: &Source,
        vary: &Vary,
        option: Option<&str>,
        goal: &Goal,
        cfg: &RunConfig,
        progress: &dyn Progress,
    ) -> Result<Solution, DecideError> {
        let doc = Document::parse(source)?;
        let s = doc.read(&[])?;
        let cfg = run::settle(&s, cfg)?;
        let varied = Varied::resolve(&doc, &s, vary, option)?;
        decide::solve(&doc, &varied, goal, &cfg, progress)
    }
}

/// 10 permanent FTE in January 2023; cohorts join in September 2023 and September 2024.
const CLOSED: &str = r#"
[scenario]
name = "closed"
start = "2023-01"
months = 24
replications = 50
seed = 3

[[posts]]
name = "SW"
establishment = 100
recruit = { "ASYE" = 1.0 }
fill_probability = 0.0

[[grades]]
name = "ASYE"
post = "SW"
newly_qualified = true
permanent = 10
service_shares = [1.0, 0.0, 0.0, 0.0]
leaving = [0.0, 0.0, 0.0, 0.0]
salary = 30000

[intake.asye]
grade = "ASYE"
month = 9
size = 1

[costs]
on_cost_rate = 0.3

[[targets]]
name = "grow"
metric = "permanent_fte"
at_least = 17
by = "2024-12"

[[options]]
name = "bigger"
description = "cohorts of 5"
set = { "intake.asye.size" = 5 }
"#;

fn source() -> Source {
    Source::new("closed.toml", CLOSED)
}

fn goal(target: &str, minimise_cost: bool) -> Goal {
    Goal {
        target: target.into(),
        probability: 0.9,
        minimise_cost,
    }
}

fn cfg() -> RunConfig {
    RunConfig {
        replications: 50,
        seed: 3,
        months: 24,
        threads: None,
        years: None,
    }
}

/// `solve` on the baseline of `source` for `target` at probability 0.9, which must succeed.
fn solved(source: &Source, vary: &str, target: &str, minimise_cost: bool) -> sweep::Solution {
    let vary: Vary = vary.parse().unwrap();
    sweep::solve(
        source,
        &vary,
        None,
        &goal(target, minimise_cost),
        &cfg(),
        &NoProgress,
    )
    .unwrap()
}

#[test]
fn sweep_of_cohort_size_adds_exactly_two_cohorts() {
    let vary: Vary = "intake.asye.size=0..4".parse().unwrap();
    let points = sweep::sweep(&source(), &vary, None, &cfg(), &NoProgress).unwrap();
    assert_eq!(points.len(), 5);
    for p in &points {
        let s = p.results.variants[0].trajectories[Metric::PermanentFte.index()][24].unwrap();
        let expected = 10.0 + 2.0 * p.value;
        assert_eq!(
            (s.p05, s.p50, s.p95, s.mean),
            (expected, expected, expected, expected)
        );
    }
    // Rows: the target, the key metrics, cost and agency for every value, with P(met) on targets.
    let rows = sweep::sweep::rows(&points);
    let grow: Vec<f64> = rows
        .iter()
        .filter(|r| r.measure == "target:grow")
        .map(|r| r.met.unwrap().p)
        .collect();
    assert_eq!(grow, [0.0, 0.0, 0.0, 0.0, 1.0]);
}

#[test]
fn a_swept_option_is_applied_but_an_input_its_own_set_replaces_is_refused() {
    // With option `bigger` (cohorts of 5) applied, permanent FTE after two cohorts is the starting
    // staff, as varied, plus 10.
    let vary: Vary = "grades[ASYE].permanent=10..11".parse().unwrap();
    let points = sweep::sweep(&source(), &vary, Some("bigger"), &cfg(), &NoProgress).unwrap();
    for p in &points {
        assert_eq!(p.results.variants[0].name, "bigger");
        let s = p.results.variants[0].trajectories[Metric::PermanentFte.index()][24].unwrap();
        assert_eq!(s.p50, p.value + 10.0);
    }
    // The option sets the cohort size itself, so varying the size would leave it at 5 at every
    // value: an error, before anything is simulated.
    let vary: Vary = "intake.asye.size=0..1".parse().unwrap();
    let e = sweep::sweep(&source(), &vary, Some("bigger"), &cfg(), &NoProgress)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("option `bigger` sets this input itself") && e.contains("leave out --option"),
        "{e}"
    );
}

#[test]
fn solve_finds_the_known_threshold_or_says_it_is_not_attainable() {
    // 10 + 2k >= 17 needs k >= 4.
    let s = solved(&source(), "intake.asye.size=0..10", "grow", false);
    assert_eq!(s.value, Some(4.0));
    assert_eq!(s.at.as_ref().unwrap().met.p, 1.0);
    // The scenario has no other target to report beside it.
    assert!(s.at.as_ref().unwrap().others.is_empty());
    assert_eq!(s.neighbour.as_ref().unwrap().value, 3.0);
    assert!(!s.falling);
    assert!(!s.within_error);
    // Bisection: far fewer runs than values.
    assert!(s.trials.len() <= 6, "{} runs", s.trials.len());

    let s = solved(&source(), "intake.asye.size=0..3", "grow", false);
    assert_eq!(s.value, None);
    assert_eq!(s.best.met.p, 0.0);

    // Cheapest: every value is tried, and larger cohorts cost more, so the threshold wins again.
    let s = solved(&source(), "intake.asye.size=0..6", "grow", true);
    assert_eq!(s.value, Some(4.0));
    assert_eq!(s.trials.len(), 7);
}

#[test]
fn a_lever_whose_chance_falls_gives_the_largest_value_that_meets_the_target() {
    // 10 + 2k at most 16 holds for k up to 3: met at the start of the range, not at its end.
    let text = format!(
        "{CLOSED}
[[targets]]
name = \"cap\"
metric = \"permanent_fte\"
at_most = 16
by = \"2024-12\"
"
    );
    let source = Source::new("closed.toml", &text);
    let s = solved(&source, "intake.asye.size=0..10", "cap", false);
    assert!(s.falling);
    assert_eq!(s.value, Some(3.0));
    assert_eq!(s.at.as_ref().unwrap().met.p, 1.0);
    let above = s.neighbour.as_ref().unwrap();
    assert_eq!((above.value, above.met.p), (4.0, 0.0));
    assert!(s.trials.len() <= 6, "{} runs", s.trials.len());
    // The other target at the answer: 10 + 2 x 3 = 16 is short of `grow`'s 17, in every
    // replication.
    let others = &s.at.as_ref().unwrap().others;
    assert_eq!(others.len(), 1);
    assert_eq!((others[0].target.as_str(), others[0].met.p), ("grow", 0.0));
    // And the other way round: the smallest cohort for `grow`, 4, breaks `cap` (18 > 16).
    let s = solved(&source, "intake.asye.size=0..10", "grow", false);
    assert_eq!(s.value, Some(4.0));
    let others = &s.at.as_ref().unwrap().others;
    assert_eq!((others[0].target.as_str(), others[0].met.p), ("cap", 0.0));

    // What the user reads, and the JSON's `above` (no `below`).
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("closed.toml");
    std::fs::write(&file, &text).unwrap();
    let out = dir.path().join("out");
    // `wfsim solve` on the file with probability 0.9; what it prints.
    let solve = |target: &str, vary: &str| -> String {
        let run = Command::cargo_bin("wfsim")
            .unwrap()
            .args(["solve", file.to_str().unwrap(), "--target", target])
            .args(["--probability", "0.9", "--vary", vary])
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(run.status.success());
        String::from_utf8(run.stdout).unwrap()
    };
    let text = solve("cap", "intake.asye.size=0..10");
    assert!(
        text.starts_with("Largest value of intake.asye.size (option baseline) is 3:"),
        "{text}"
    );
    assert!(text.contains("At 4 the probability is 0%"), "{text}");
    assert!(
        text.contains("The other targets at 3: `grow` 0% ± 0.0 points by 2024-12 (below 90%).\n"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("solve.json")).unwrap()).unwrap();
    assert_eq!(json["falling"], true);
    assert_eq!(json["above"]["value"], 4.0);
    assert!(json["below"].is_null());
    assert_eq!(json["at"]["others"][0]["target"], "grow");
    assert_eq!(json["at"]["others"][0]["met"]["p"], 0.0);

    // Neither end meets `grow` on 0..3: the text says what that conclusion rests on.
    let text = solve("grow", "intake.asye.size=0..3");
    assert!(
        text.starts_with("Not attainable with this lever: no value of intake.asye.size")
            && text.contains("(neither end of the range does, and the chance is taken to move one way between them; `wfsim sweep` shows every value)"),
        "{text}"
    );
}

#[test]
fn an_answer_within_monte_carlo_error_is_searched_again_with_more_replications() {
    // With leaving, the chance at each cohort size is uncertain; ask for exactly the chance
    // observed at one size, so the first search must end within Monte Carlo error of it.
    let text = CLOSED
        .replace("[0.0, 0.0, 0.0, 0.0]", "[0.2, 0.2, 0.2, 0.2]")
        .replace("at_least = 17", "at_least = 14");
    let source = Source::new("closed.toml", text.as_str());
    let vary: Vary = "intake.asye.size=0..10".parse().unwrap();
    let mut g = goal("grow", false);
    let first = sweep::solve(&source, &vary, None, &g, &cfg(), &NoProgress).unwrap();
    let at = first.trials.iter().find(|t| t.met.p > 0.2 && t.met.p < 0.8);
    let Some(at) = at else {
        panic!("no value with an uncertain outcome: {:?}", first.trials)
    };
    g.probability = at.met.p;
    let s = sweep::solve(&source, &vary, None, &g, &cfg(), &NoProgress).unwrap();
    assert!(s.replications > cfg().replications, "{}", s.replications);
    assert!(s.replications <= 16 * cfg().replications);
}

#[test]
fn unknown_paths_options_and_targets_name_the_nearest() {
    let bad = |v: &str, option: Option<&str>, target: &str| -> String {
        let vary: Vary = v.parse().unwrap();
        match sweep::solve(
            &source(),
            &vary,
            option,
            &goal(target, false),
            &cfg(),
            &NoProgress,
        ) {
            Err(e) => {
                let mut s = e.to_string();
                if let DecideError::Scenario(se) = &e {
                    for d in &se.diagnostics {
                        s.push_str(&d.to_string());
                    }
                }
                s
            }
            Ok(_) => panic!("{v} should fail"),
        }
    };
    let e = bad("intake.asye.sise=0..3", None, "grow");
    assert!(e.contains("did you mean `intake.asye.size`"), "{e}");
    let e = bad("intake.asye.size=0..3", Some("biger"), "grow");
    assert!(e.contains("did you mean `bigger`"), "{e}");
    let e = bad("intake.asye.size=0..3", None, "grwo");
    assert!(e.contains("did you mean `grow`"), "{e}");
    // A value the input does not allow is reported as for the file, with the varied value named.
    let e = bad("grades[ASYE].leaving[0]=2..3", None, "grow");
    assert!(e.contains("leaving[0] = 2 as varied"), "{e}");
    let e = bad("scenario.months=1..3", None, "grow");
    assert!(
        e.contains("cannot be varied") || e.contains("only inputs under"),
        "{e}"
    );
}

/// Runs a decision command with 1 and with 2 threads; returns the named files of each run.
fn twice(
    file: &std::path::Path,
    dir: &std::path::Path,
    args: &[&str],
    files: &[&str],
) -> Vec<Vec<Vec<u8>>> {
    ["1", "2"]
        .iter()
        .map(|t| {
            let out = dir.join(format!("{}-{t}", args[0]));
            Command::cargo_bin("wfsim")
                .unwrap()
                .args(args)
                .args(["--quiet", "--threads", t, "--out"])
                .arg(&out)
                .arg(file)
                .assert()
                .success();
            files
                .iter()
                .map(|f| std::fs::read(out.join(f)).unwrap())
                .collect()
        })
        .collect()
}

#[test]
fn decision_files_are_the_same_bytes_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("closed.toml");
    std::fs::write(
        &file,
        CLOSED
            .replace(
                "fill_probability = 0.0",
                "fill_probability = { dist = \"uniform\", low = 0.02, high = 0.08 }",
            )
            .replace("[0.0, 0.0, 0.0, 0.0]", "[0.2, 0.2, 0.2, 0.2]")
            .replace("at_least = 17", "at_least = 14"),
    )
    .unwrap();
    let sweep = twice(
        &file,
        dir.path(),
        &["sweep", "--vary", "intake.asye.size=0..2"],
        &["sweep.csv", "sweep.json", "sweep.png"],
    );
    assert_eq!(sweep[0], sweep[1]);
    let csv = String::from_utf8(sweep[0][0].clone()).unwrap();
    assert!(csv.starts_with("value,measure,mean,p05,p50,p95,prob_met,prob_met_se\n"));
    let solve = twice(
        &file,
        dir.path(),
        &[
            "solve",
            "--vary",
            "intake.asye.size=0..8",
            "--target",
            "grow",
            "--probability",
            "0.5",
        ],
        &["solve.csv", "solve.json", "solve.svg"],
    );
    assert_eq!(solve[0], solve[1]);
    let sens = twice(
        &file,
        dir.path(),
        &["sensitivity"],
        &[
            "sensitivity.csv",
            "correlations.csv",
            "sensitivity.json",
            "tornado.png",
        ],
    );
    assert_eq!(sens[0], sens[1]);
    let corr = String::from_utf8(sens[0][1].clone()).unwrap();
    assert!(corr.contains("posts[SW].fill_probability,"), "{corr}");
}

/// `CLOSED` with a second option: a market supplement for the ASYE grade.
fn with_supplement() -> Source {
    let text = format!(
        "{CLOSED}
[[options]]
name = \"supplement\"
description = \"a market supplement\"
[[options.premiums]]
kind = \"market_supplement\"
grades = [\"ASYE\"]
amount = 1000
"
    );
    Source::new("closed.toml", &text)
}

#[test]
fn varying_an_options_input_runs_that_option() {
    // Without --option, a path under options[supplement] runs that option, not the baseline
    // (where the supplement is not paid and every value would cost the same). With no leaving,
    // 262 worker-months are paid: 10 x 24, the 2023 cohort's 17 and the 2024 cohort's 5. Each
    // £1,200 more a year costs 262 x 1,200 / 12 x 1.3 (on-costs of 30%) = £34,060 more.
    let cost = |points: &[sweep::Point]| -> Vec<f64> {
        sweep::sweep::rows(points)
            .iter()
            .filter(|r| r.measure == "cost_total")
            .map(|r| r.summary.mean)
            .collect()
    };
    for path in ["options[supplement]", "options[1]"] {
        let vary: Vary = format!("{path}.premiums[0].amount=0..2400:1200")
            .parse()
            .unwrap();
        let points = sweep::sweep(&with_supplement(), &vary, None, &cfg(), &NoProgress).unwrap();
        assert_eq!(points[0].results.variants[0].name, "supplement", "{path}");
        let c = cost(&points);
        assert_eq!(c.len(), 3);
        for step in [c[1] - c[0], c[2] - c[1]] {
            assert!((step - 34_060.0).abs() < 1e-6, "{path}: {step}");
        }
    }
    // The same with --option naming it; another option, or the baseline, would not use the
    // input, so that is an error that says what to do.
    let vary: Vary = "options[supplement].premiums[0].amount=0..2400:1200"
        .parse()
        .unwrap();
    let named = sweep::sweep(
        &with_supplement(),
        &vary,
        Some("supplement"),
        &cfg(),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(named[2].results.variants[0].name, "supplement");
    for other in ["bigger", "baseline"] {
        let e = sweep::solve(
            &with_supplement(),
            &vary,
            Some(other),
            &goal("grow", false),
            &cfg(),
            &NoProgress,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("--vary changes an input of option `supplement`")
                && e.contains("give --option supplement"),
            "{e}"
        );
    }
}
