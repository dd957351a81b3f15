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
        subject_to: Vec::new(),
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
    assert!(!s.at_range_end);
    // Met at both ends (from 5, above the threshold of 4): 5 is not the smallest value that
    // meets it, only the smallest tried, and the answer says the range ends there.
    let s = solved(&source(), "intake.asye.size=5..10", "grow", false);
    assert_eq!((s.value, s.at_range_end), (Some(5.0), true));
    assert_eq!(s.trials.len(), 2);
    // The cheapest at an end of the range: a value beyond could be cheaper.
    let s = solved(&source(), "intake.asye.size=4..6", "grow", true);
    assert_eq!((s.value, s.at_range_end), (Some(4.0), true));
    // The end is the last value tried: 4 on 0..5:2, which stops short of 5.
    let s = solved(&source(), "intake.asye.size=0..5:2", "grow", true);
    assert_eq!((s.value, s.at_range_end), (Some(4.0), true));
    let s = solved(&source(), "intake.asye.size=0..6:2", "grow", true);
    assert_eq!((s.value, s.at_range_end), (Some(4.0), false));

    let s = solved(&source(), "intake.asye.size=0..3", "grow", false);
    assert_eq!(s.value, None);
    assert_eq!(s.best.met.p, 0.0);

    // Cheapest: every value is tried, and larger cohorts cost more, so the threshold wins again.
    let s = solved(&source(), "intake.asye.size=0..6", "grow", true);
    assert_eq!(s.value, Some(4.0));
    assert_eq!(s.trials.len(), 7);
    // Every whole value however wide the range (a sweep's grid of 0..30 steps by 3, which would
    // answer 6), and a range of other numbers needs its STEP.
    let s = solved(&source(), "intake.asye.size=0..30", "grow", true);
    assert_eq!(s.value, Some(4.0));
    assert_eq!(s.trials.len(), 31);
    let vary: Vary = "posts[SW].fill_probability=0.1..0.9".parse().unwrap();
    let e = sweep::solve(
        &source(),
        &vary,
        None,
        &goal("grow", true),
        &cfg(),
        &NoProgress,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("with --subject-to or --minimise cost every value of the range is tried, so a range that is not of whole numbers needs a STEP"),
        "{e}"
    );
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
        text.starts_with(
            "Largest value of ASYE cohort size [intake.asye.size] (option baseline) is 3:"
        ),
        "{text}"
    );
    assert!(text.contains("At 4 the probability is 0%"), "{text}");
    assert!(
        text.contains("The other targets at 3: `grow` 0%, none of 50 replications, so at most 5.9% with 95% confidence by 2024-12 (below 90%).\n"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("solve.json")).unwrap()).unwrap();
    assert_eq!(json["falling"], true);
    assert_eq!(json["above"]["value"], 4.0);
    assert!(json["below"].is_null());
    assert_eq!(json["at"]["others"][0]["target"], "grow");
    assert_eq!(json["at"]["others"][0]["met"]["p"], 0.0);

    // Both ends meet `grow` on 5..10: no smallest value is named.
    let text = solve("grow", "intake.asye.size=5..10");
    assert!(
        text.starts_with("Met at both ends of the range: target `grow` is met by 2024-12 with probability at least 90% at 5 (100%, all 50 replications, so at least 94.1% with 95% confidence;")
            && text.contains("the smallest value of ASYE cohort size [intake.asye.size] (option baseline) that meets it is 5 or below, or if the chance falls as the value rises, the largest is 10 or above. Widen the range to find it.\n"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("solve.json")).unwrap()).unwrap();
    assert_eq!(json["at_range_end"], true);

    // Neither end meets `grow` on 0..3: the text says what that conclusion rests on.
    let text = solve("grow", "intake.asye.size=0..3");
    assert!(
        text.starts_with("Not attainable with this lever: no value of ASYE cohort size [intake.asye.size]")
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
            .replace("at_least = 17", "at_least = 14")
            + "[[targets]]\nname = \"cap\"\nmetric = \"asye_share\"\nat_most = 0.15\nby = \"2024-12\"\n",
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
    // Subject to a constraint: every value tried, each with the constraint's chance.
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
            "--subject-to",
            "cap=0.5",
        ],
        &["solve.csv", "solve.json", "solve.svg"],
    );
    assert_eq!(solve[0], solve[1]);
    let csv = String::from_utf8(solve[0][0].clone()).unwrap();
    assert!(csv.starts_with(
        "value,prob_met,prob_met_se,cost_mean,cost_p05,cost_p95,prob_met:cap,prob_met_se:cap\n"
    ));
    assert_eq!(csv.lines().count(), 10);
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

// Solving subject to other targets (`--subject-to`), and the chance of every target in a sweep.

/// `CLOSED` with two more targets: `cap` (permanent FTE at most 16 by December 2024, so cohorts
/// of at most 3) and `big` (at least 20, so cohorts of at least 5).
fn closed_with_cap_and_big() -> String {
    format!(
        "{CLOSED}
[[targets]]
name = \"cap\"
metric = \"permanent_fte\"
at_most = 16
by = \"2024-12\"

[[targets]]
name = \"big\"
metric = \"permanent_fte\"
at_least = 20
by = \"2024-12\"
"
    )
}

/// `CLOSED` with leaving, so that chances lie between 0 and 1: `grow` (permanent FTE at least
/// 14), `stretch` (at least 16) and `cap` (newly qualified share, here permanent FTE over 100, at
/// most 18%), which falls as cohorts grow while the others rise.
fn uncertain_with_constraints() -> String {
    format!(
        "{}
[[targets]]
name = \"stretch\"
metric = \"permanent_fte\"
at_least = 16
by = \"2024-12\"

[[targets]]
name = \"cap\"
metric = \"asye_share\"
at_most = 0.18
by = \"2024-12\"
",
        CLOSED
            .replace("[0.0, 0.0, 0.0, 0.0]", "[0.2, 0.2, 0.2, 0.2]")
            .replace("at_least = 17", "at_least = 14")
    )
}

fn subject_to(target: &str, probability: f64, constraints: &[(&str, f64)]) -> Goal {
    Goal {
        target: target.into(),
        probability,
        minimise_cost: false,
        subject_to: constraints
            .iter()
            .map(|&(t, p)| wfsim::decide::Constraint {
                target: t.into(),
                probability: p,
            })
            .collect(),
    }
}

/// Each target's chance of being met at each value of a sweep, by name.
fn chances(points: &[sweep::Point]) -> Vec<(f64, std::collections::HashMap<String, f64>)> {
    points
        .iter()
        .map(|p| {
            let v = &p.results.variants[0];
            let met = v
                .targets
                .iter()
                .map(|t| (t.name.clone(), t.met.p))
                .collect();
            (p.value, met)
        })
        .collect()
}

#[test]
fn a_constrained_solve_is_the_smallest_value_a_sweep_on_the_same_random_numbers_shows() {
    let text = uncertain_with_constraints();
    let source = Source::new("closed.toml", text.as_str());
    let vary: Vary = "intake.asye.size=0..12".parse().unwrap();
    let g = subject_to("grow", 0.7, &[("stretch", 0.6), ("cap", 0.8)]);
    let s = sweep::solve(&source, &vary, None, &g, &cfg(), &NoProgress).unwrap();
    // Every value of the range is tried, whatever the chances do between its ends.
    let values: Vec<f64> = s.trials.iter().map(|t| t.value).collect();
    assert_eq!(values, (0..=12).map(f64::from).collect::<Vec<_>>());

    // A sweep with the same seed and the replications the search ended with.
    let same = RunConfig {
        replications: s.replications,
        ..cfg()
    };
    let points = sweep::sweep(&source, &vary, None, &same, &NoProgress).unwrap();
    let swept = chances(&points);
    // The same chances, exactly, at every value: the answer's, its neighbour's and the rest.
    for (t, (x, met)) in s.trials.iter().zip(&swept) {
        assert_eq!(t.value, *x);
        assert_eq!(t.met.p, met["grow"], "grow at {x}");
        assert_eq!(t.constraints[0].target, "stretch");
        assert_eq!(t.constraints[0].met.p, met["stretch"], "stretch at {x}");
        assert_eq!(t.constraints[1].target, "cap");
        assert_eq!(t.constraints[1].met.p, met["cap"], "cap at {x}");
    }
    let meets_all = |m: &std::collections::HashMap<String, f64>| {
        m["grow"] >= 0.7 && m["stretch"] >= 0.6 && m["cap"] >= 0.8
    };
    // The answer is the smallest value the sweep shows meeting the target and both constraints.
    let smallest = swept.iter().find(|(_, m)| meets_all(m)).map(|(x, _)| *x);
    assert_eq!(s.value, smallest);
    let answer = s.value.unwrap();
    let at = s.at.as_ref().unwrap();
    let below = s.neighbour.as_ref().unwrap();
    assert_eq!(below.value, answer - 1.0);
    assert!(!meets_all(&swept[below.value as usize].1));
    assert_eq!(at.met.p, swept[answer as usize].1["grow"]);
    assert_eq!(below.met.p, swept[below.value as usize].1["grow"]);
    // The constraints matter here: the target alone is met with its probability at a smaller
    // value (where `stretch` falls short), and `cap` fails at a larger one, so the answer is
    // neither end nor where the target is first met.
    let first_grow = swept.iter().find(|(_, m)| m["grow"] >= 0.7).unwrap().0;
    assert!(first_grow < answer, "{first_grow} {answer}");
    assert!(swept.last().unwrap().1["cap"] < 0.8);
    assert!(s.binding.is_none() && s.best_with_constraints.is_none());
}

#[test]
fn a_constraint_that_binds_is_named_with_the_best_reachable() {
    // 10 + 2k meets `grow` (at least 17) from k = 4 and `cap` (at most 16) up to k = 3: never
    // both. `big` (at least 20) holds from k = 5, beyond `grow`'s threshold.
    let text = closed_with_cap_and_big();
    let source = Source::new("closed.toml", text.as_str());
    let vary: Vary = "intake.asye.size=0..10".parse().unwrap();
    let s = sweep::solve(
        &source,
        &vary,
        None,
        &subject_to("grow", 0.9, &[("cap", 0.9)]),
        &cfg(),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(s.value, None);
    let binding = s.binding.as_ref().unwrap();
    assert_eq!(binding.value, 4.0);
    assert_eq!(binding.constraints[0].met.p, 0.0);
    let best = s.best_with_constraints.as_ref().unwrap();
    assert_eq!((best.value, best.met.p), (3.0, 0.0));
    // Met from 5 on, past where `grow` is first met.
    let s = sweep::solve(
        &source,
        &vary,
        None,
        &subject_to("grow", 0.9, &[("big", 0.9)]),
        &cfg(),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(s.value, Some(5.0));
    assert_eq!(s.neighbour.as_ref().unwrap().value, 4.0);
    assert!(!s.within_error && s.uncertain.is_empty());

    // What the user reads, and the files.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("closed.toml");
    std::fs::write(&file, &text).unwrap();
    let out = dir.path().join("out");
    let solve_over = |vary: &str, constraints: &[&str]| -> String {
        let mut cmd = Command::cargo_bin("wfsim").unwrap();
        cmd.args(["solve", file.to_str().unwrap(), "--target", "grow"])
            .args(["--probability", "0.9", "--vary", vary])
            .arg("--out")
            .arg(&out);
        for c in constraints {
            cmd.args(["--subject-to", c]);
        }
        let run = cmd.output().unwrap();
        assert!(run.status.success(), "{run:?}");
        String::from_utf8(run.stdout).unwrap()
    };
    let solve = |constraints: &[&str]| solve_over("intake.asye.size=0..10", constraints);
    let text = solve(&["cap=0.9"]);
    assert!(
        text.starts_with(
            "Not attainable with these constraints: no value of ASYE cohort size [intake.asye.size] (option baseline) \
             from 0 to 10 meets target `grow` by 2024-12 with probability 90% while `cap` is met by \
             2024-12 with 90% (every value was tried).\n\
             At 4, the smallest value that meets `grow` with 90%, `cap` is met with only \
             0%, none of 50 replications, so at most 5.9% with 95% confidence (needs 90%).\n\
             The best reachable with every constraint met is 3, where `grow` is met in \
             0%, none of 50 replications, so at most 5.9% with 95% confidence (mean total cost "
        ),
        "{text}"
    );
    // Every value with each chance and what it falls short of.
    assert!(
        text.contains("Values tried (50 replications each):\n"),
        "{text}"
    );
    let row = |x: &str| {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(x))
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert_eq!(row("3"), ["3", "0%", "100%", "grow"]);
    assert_eq!(row("4"), ["4", "100%", "0%", "cap"]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("solve.json")).unwrap()).unwrap();
    assert_eq!(json["attainable"], false);
    assert_eq!(json["subject_to"][0]["target"], "cap");
    assert_eq!(json["subject_to"][0]["probability"], 0.9);
    assert_eq!(json["binding"]["value"], 4.0);
    assert_eq!(json["binding"]["unmet"], serde_json::json!(["cap"]));
    assert_eq!(json["best_with_constraints"]["value"], 3.0);
    assert_eq!(json["trials"].as_array().unwrap().len(), 11);
    for t in json["trials"].as_array().unwrap() {
        let k = t["value"].as_f64().unwrap();
        let cap = t["constraints"][0]["met"]["p"].as_f64().unwrap();
        assert_eq!(cap, if k <= 3.0 { 1.0 } else { 0.0 }, "{t}");
    }
    let csv = std::fs::read_to_string(out.join("solve.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "value,prob_met,prob_met_se,cost_mean,cost_p05,cost_p95,prob_met:cap,prob_met_se:cap"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 11);
    assert_eq!(
        (rows[3][0], rows[3][1], rows[3][6]),
        ("3", "0", "1"),
        "{csv}"
    );
    assert_eq!((rows[4][0], rows[4][1], rows[4][6]), ("4", "1", "0"));

    // Attainable past the target's own threshold: the neighbour falls short on the constraint.
    let text = solve(&["big=0.9"]);
    assert!(
        text.starts_with("Smallest value of ASYE cohort size [intake.asye.size] (option baseline) is 5: target `grow` is met by 2024-12 with probability 100%, all 50 replications, so at least 94.1% with 95% confidence (asked for at least 90%);"),
        "{text}"
    );
    assert!(
        text.contains(
            "Every constraint holds at 5: `big` 100%, all 50 replications, so at least 94.1% with 95% confidence by 2024-12 (asked for at least 90%).\n\
             At 4: `big` 0%, none of 50 replications, so at most 5.9% with 95% confidence, short of 90%.\n\
             The other targets at 5: `cap` 0%, none of 50 replications, so at most 5.9% with 95% confidence by 2024-12 (below 90%).\n"
        ),
        "{text}"
    );
    assert_eq!(
        row_of(&text, "5").last(),
        Some(&"nothing (the answer)".to_string())
    );

    // A constraint no value meets: how near it comes, and where.
    let text = solve(&["cap=0.9", "big=0.9"]);
    assert!(
        text.contains(
            "At 4, the smallest value that meets `grow` with 90%, `cap` is met with only \
             0%, none of 50 replications, so at most 5.9% with 95% confidence (needs 90%) and `big` is met with only \
             0%, none of 50 replications, so at most 5.9% with 95% confidence (needs 90%).\n\
             No value from 0 to 10 meets every constraint at once.\n"
        ),
        "{text}"
    );

    // The target met at no value of the range: the best it reaches is said to leave the
    // constraints aside, and the best with every constraint met is given beside it.
    let text = solve_over("intake.asye.size=0..3", &["big=0.9"]);
    assert!(
        text.starts_with(
            "Not attainable with this lever: no value of ASYE cohort size [intake.asye.size] \
             (option baseline) from 0 to 3 meets target `grow` by 2024-12 with probability 90% \
             (every value was tried). The best reached, leaving the constraints aside, is "
        ),
        "{text}"
    );
    assert!(
        text.contains("No value from 0 to 3 meets every constraint: `big` is met in at most 0%"),
        "{text}"
    );
    let text = solve_over("intake.asye.size=0..3", &["cap=0.9"]);
    assert!(
        text.contains(
            "The best reached, leaving the constraints aside, is 0%, none of 50 replications, so at most 5.9% with 95% confidence, at 0.\n\
             The best reachable with every constraint met is 0, where `grow` is met in \
             0%, none of 50 replications, so at most 5.9% with 95% confidence (mean total cost "
        ),
        "{text}"
    );
}

/// The cells of the row of the table of values tried that starts with `x`, the last cell whole.
fn row_of(text: &str, x: &str) -> Vec<String> {
    let line = text
        .lines()
        .find(|l| l.split_whitespace().next() == Some(x))
        .unwrap();
    let cells: Vec<&str> = line.split("  ").filter(|c| !c.is_empty()).collect();
    cells.iter().map(|c| c.trim().to_string()).collect()
}

#[test]
fn constraints_that_cannot_be_met_as_given_are_refused_before_anything_runs() {
    let text = format!(
        "{}
[[targets]]
name = \"late\"
metric = \"permanent_fte\"
at_least = 1
by = \"2025-06\"
",
        closed_with_cap_and_big()
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("closed.toml");
    std::fs::write(&file, &text).unwrap();
    let out = dir.path().join("out");
    let refused = |vary: &str, constraints: &[&str], says: &str| {
        let mut cmd = Command::cargo_bin("wfsim").unwrap();
        cmd.args(["solve", file.to_str().unwrap(), "--target", "grow"])
            .args(["--probability", "0.9", "--vary", vary])
            .arg("--out")
            .arg(&out);
        for c in constraints {
            cmd.args(["--subject-to", c]);
        }
        let run = cmd.output().unwrap();
        let err = String::from_utf8(run.stderr).unwrap();
        assert_eq!(run.status.code(), Some(2), "{constraints:?}: {err}");
        assert!(err.contains(says), "{constraints:?}: {err}");
        assert!(!out.exists(), "{constraints:?} left a folder");
    };
    let size = "intake.asye.size=0..10";
    refused(
        size,
        &["caps=0.9"],
        "--subject-to: there is no target `caps`; did you mean `cap`? the targets are: grow, cap, big",
    );
    refused(
        size,
        &["cap=1.5"],
        "`cap=1.5`: the probability must be above 0 and at most 1, e.g. 0.8; found 1.5",
    );
    refused(size, &["cap=0"], "above 0 and at most 1");
    refused(size, &["cap=90"], "(for 90%, give 0.9)");
    refused(size, &["cap"], "expected NAME=P");
    refused(
        size,
        &["grow=0.5"],
        "--subject-to `grow`: this is the target solved for (--target)",
    );
    refused(
        size,
        &["cap=0.5", "cap=0.9"],
        "--subject-to `cap` is given more than once",
    );
    refused(
        "grades[ASYE].leaving[0]=0.1..0.3",
        &["cap=0.9"],
        "a range that is not of whole numbers needs a STEP, e.g. grades[ASYE].leaving[0]=0.1..0.3:0.01",
    );
    refused(
        "intake.asye.size=0..5000",
        &["cap=0.9"],
        "this range holds 5001 whole numbers; at most 1000 are allowed, so give a STEP",
    );
    // A constraint whose deadline the horizon (24 months, to 2024-12) does not reach.
    refused(
        size,
        &["late=0.9"],
        "--subject-to: target `late` (by 2025-06) is beyond the horizon, which ends 2025-01; run at least 29 months",
    );
    // The library says the same to a caller that builds its own goal.
    let source = Source::new("closed.toml", text.as_str());
    let vary: Vary = size.parse().unwrap();
    for (g, says) in [
        (
            subject_to("grow", 0.9, &[("cap", 1.5)]),
            "--subject-to `cap=1.5`: the probability must be above 0 and at most 1",
        ),
        (
            subject_to("grow", 0.9, &[("grow", 0.5)]),
            "this is the target solved for",
        ),
        // A percentage for --probability gets the same hint as for a constraint.
        (
            subject_to("grow", 90.0, &[]),
            "--probability: the probability must be above 0 and at most 1, e.g. 0.8 (for 90%, \
             give 0.9); found 90",
        ),
        (
            subject_to("grow", 0.9, &[("nope", 0.5)]),
            "there is no target `nope`",
        ),
    ] {
        let e = sweep::solve(&source, &vary, None, &g, &cfg(), &NoProgress)
            .unwrap_err()
            .to_string();
        assert!(e.contains(says), "{e}");
    }
}

/// `wfsim sweep FILE --vary VARY [MORE] --out OUT`, which must succeed: what it prints.
fn sweep_command(
    file: &std::path::Path,
    vary: &str,
    more: &[&str],
    out: &std::path::Path,
) -> String {
    let run = Command::cargo_bin("wfsim")
        .unwrap()
        .args(["sweep", file.to_str().unwrap(), "--vary", vary])
        .args(more)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    String::from_utf8(run.stdout).unwrap()
}

#[test]
fn a_sweep_shows_every_targets_chance_at_every_value() {
    let text = closed_with_cap_and_big();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("closed.toml");
    std::fs::write(&file, &text).unwrap();
    let out = dir.path().join("out");
    let sweep =
        |months: &str| sweep_command(&file, "intake.asye.size=0..6", &["--months", months], &out);
    // 10 + 2k: `grow` (at least 17) from 4, `cap` (at most 16) up to 3, `big` (at least 20)
    // from 5.
    let expected = |k: usize| -> [f64; 3] {
        [
            f64::from(u8::from(k >= 4)),
            f64::from(u8::from(k <= 3)),
            f64::from(u8::from(k >= 5)),
        ]
    };
    let text = sweep("24");
    // The terminal table: a column for each target's chance.
    // The lever is named in words, with its key path.
    let head = text
        .lines()
        .find(|l| l.starts_with("ASYE cohort size [intake.asye.size]"))
        .unwrap();
    assert!(
        head.starts_with(
            "ASYE cohort size [intake.asye.size]  P(grow) at deadline (12 months)  P(cap) at deadline (12 months)  P(big) at deadline (12 months)  agency share 2024-12"
        ),
        "{head}"
    );
    // Each cell: the chance at the deadline, then over the 12 months to it in brackets.
    for k in 0..=6 {
        let row = row_of(&text, &k.to_string());
        let shown: Vec<&str> = row[1..4]
            .iter()
            .map(|c| c.split(' ').next().unwrap_or_default())
            .collect();
        let want: Vec<String> = expected(k)
            .iter()
            .map(|p| format!("{}%", 100.0 * p))
            .collect();
        assert_eq!(shown, want, "{k}: {text}");
        assert!(row[1..4].iter().all(|c| c.ends_with("%)")), "{k}: {text}");
    }
    // sweep.csv and sweep.json: a row for each target at each value, with its chance.
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("sweep.json")).unwrap()).unwrap();
    let rows = json["rows"].as_array().unwrap();
    for k in 0..=6 {
        for (name, p) in ["grow", "cap", "big"].iter().zip(expected(k)) {
            let line = format!("{k},target:{name},");
            let cells: Vec<&str> = csv
                .lines()
                .find(|l| l.starts_with(&line))
                .unwrap_or_else(|| panic!("no {line} in {csv}"))
                .split(',')
                .collect();
            assert_eq!(cells[6].parse::<f64>().unwrap(), p, "{line}");
            let row = rows
                .iter()
                .find(|r| r["value"] == k as f64 && r["measure"] == format!("target:{name}"))
                .unwrap();
            assert_eq!(row["met"]["p"], p, "{row}");
        }
    }
    assert_eq!(json["notes"], serde_json::json!([]));
    // A horizon that ends before the deadlines: no chances to show, and a note says why.
    let text = sweep("12");
    assert!(!text.contains("P(grow)"), "{text}");
    let note = "Target `grow` (by 2024-12) is beyond the horizon, which ends 2024-01, so it is not assessed; run at least 23 months to assess it.";
    assert!(text.contains(&format!("note: {note}")), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("sweep.json")).unwrap()).unwrap();
    assert_eq!(json["notes"].as_array().unwrap().len(), 3);
    assert_eq!(json["notes"][0], note);
}

#[test]
fn a_sweeps_cost_differences_are_paired_by_replication() {
    // The Tameside example's supplement at five amounts. Its effects do not change with its
    // amount, so each replication runs the same course at every amount and only the supplement's
    // cost differs: paired by replication, the difference from the first amount keeps none of
    // the chance the runs share.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/tameside-2022.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let source = Source::new("tameside-2022.toml", &text);
    let vary: Vary = "options[supplement-3k].premiums[0].amount=1000..5000:1000"
        .parse()
        .unwrap();
    let cfg = RunConfig {
        replications: 200,
        months: 60,
        ..cfg()
    };
    let points = sweep::sweep(&source, &vary, Some("supplement-3k"), &cfg, &NoProgress).unwrap();
    assert_eq!(points.len(), 5);
    assert!(points[0].cost_diff.is_none());
    let total = |p: &sweep::Point| {
        p.results.variants[0].costs[p.results.financial_years.len()]
            [wfsim::model::cost::Component::Total]
    };
    let step = points[1].cost_diff.unwrap().mean;
    assert!(step > 10_000.0, "{step}");
    for (k, p) in points.iter().enumerate().skip(1) {
        let d = p.cost_diff.unwrap();
        assert_eq!(d.n, 200);
        // The mean of the differences is the difference of the means.
        let unpaired = total(p).mean - total(&points[0]).mean;
        assert!(
            (d.mean - unpaired).abs() <= 1e-6 * unpaired,
            "{d:?} {unpaired}"
        );
        // In proportion to the amount: the same staff are paid it in every run.
        assert!(
            (d.mean - k as f64 * step).abs() <= 1e-6 * d.mean,
            "{d:?} {step}"
        );
        // Its range is the supplement's own, a small part of the total cost's.
        let (paired, whole) = (d.p95 - d.p05, total(p).p95 - total(p).p05);
        assert!(paired > 0.0 && paired < 0.1 * whole, "{paired} {whole}");
    }
    // `sweep.csv`'s rows: from the second value on.
    let rows = sweep::sweep::rows(&points);
    let at: Vec<f64> = rows
        .iter()
        .filter(|r| r.measure == "cost_diff_total")
        .map(|r| r.value)
        .collect();
    assert_eq!(at, [2000.0, 3000.0, 4000.0, 5000.0]);
}

#[test]
fn a_sweeps_chart_shows_the_change_in_cost_only_where_a_value_changes_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("closed.toml");
    std::fs::write(&file, CLOSED).unwrap();
    let chart = |vary: &str| -> String {
        let out = dir.path().join(vary.replace(['[', ']', '.', '='], "_"));
        sweep_command(&file, vary, &["-q"], &out);
        std::fs::read_to_string(out.join("sweep.svg")).unwrap()
    };
    // Each cohort member costs their pay and on-costs from September: the panel is drawn, from
    // the first value.
    let svg = chart("intake.asye.size=0..2");
    assert!(
        svg.contains("Change in total cost from ASYE cohort size 0, replication by replication"),
        "{svg}"
    );
    // Agency costs nothing here, and no post is filled: a larger establishment changes no cost,
    // and the panel would be a flat line at £0.
    let svg = chart("posts[SW].establishment=100..102");
    assert!(svg.contains("Total cost over the horizon"));
    assert!(!svg.contains("Change in total cost"));
}

#[test]
fn a_rate_written_from_0_to_1_is_searched_between_and_a_count_refuses_fractions() {
    // Filling vacancies at all meets `grow` (10 staff, 90 vacancies, 17 needed): the smallest
    // chance that does lies well inside 0 to 1, which whole ends searched as the two whole
    // numbers, answering 1.
    let s = solved(&source(), "posts[SW].fill_probability=0..1", "grow", false);
    let v = s.value.unwrap();
    assert!(v > 0.0 && v < 0.1, "{v}");
    assert!(s.trials.len() > 5, "{} runs", s.trials.len());
    let points = sweep::sweep(
        &source(),
        &"posts[SW].fill_probability=0..1".parse().unwrap(),
        None,
        &cfg(),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(points.len(), 11);
    // A count takes whole numbers: a STEP of 0.5 is refused before anything runs.
    let e = sweep::sweep(
        &source(),
        &"intake.asye.size=0..5:0.5".parse().unwrap(),
        None,
        &cfg(),
        &NoProgress,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "--vary intake.asye.size: this input takes whole numbers only, so FROM, TO and STEP must \
         be whole numbers; found 0..5:0.5"
    );
}

#[test]
fn a_missing_intake_table_is_explained_only_where_the_file_lacks_it() {
    let e = |text: &str, path: &str| {
        sweep::sweep(
            &Source::new("closed.toml", text),
            &format!("{path}=0..3").parse().unwrap(),
            None,
            &cfg(),
            &NoProgress,
        )
        .unwrap_err()
        .to_string()
    };
    // A slip inside the table: the nearest key, and nothing about adding the table.
    let m = e(CLOSED, "intake.asye.sise");
    assert!(m.contains("did you mean `intake.asye.size`?"), "{m}");
    assert!(!m.contains("has no [intake.asye] table"), "{m}");
    // A file without the table: how to add it.
    let without = CLOSED
        .replace("[intake.asye]\ngrade = \"ASYE\"\nmonth = 9\nsize = 1\n", "")
        .replace("set = { \"intake.asye.size\" = 5 }", "set = {}");
    let m = e(&without, "intake.asye.size");
    assert!(
        m.contains("this scenario has no [intake.asye] table"),
        "{m}"
    );
}

#[test]
fn a_sweep_heads_its_table_with_the_values_it_ran() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("closed.toml");
    std::fs::write(&file, CLOSED).unwrap();
    // Steps of 3 from 0 stop at 6, short of TO.
    let text = sweep_command(
        &file,
        "intake.asye.size=0..8:3",
        &[],
        &dir.path().join("out"),
    );
    assert!(
        text.starts_with("closed: ASYE cohort size [intake.asye.size] = 0 to 6 (baseline), "),
        "{text}"
    );
}

#[test]
fn sweeping_an_uncertain_input_says_its_uncertainty_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("closed.toml");
    let text = CLOSED.replace(
        "fill_probability = 0.0",
        "fill_probability = { dist = \"uniform\", low = 0.0, high = 0.1 }",
    );
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    let said = "note: `posts[SW].fill_probability` is uncertain in the scenario (a distribution), \
                and is fixed at each value here, so the ranges leave out its uncertainty";
    let text = sweep_command(&file, "posts[SW].fill_probability=0..0.1:0.05", &[], &out);
    assert!(text.contains(said), "{text}");
    // The same input by index.
    let text = sweep_command(&file, "posts[0].fill_probability=0..0.1:0.05", &[], &out);
    assert!(
        text.contains("note: `posts[0].fill_probability` is uncertain in the scenario"),
        "{text}"
    );
    // A fixed input: nothing to say.
    let text = sweep_command(&file, "intake.asye.size=0..2", &[], &out);
    assert!(!text.contains("is uncertain in the scenario"), "{text}");
}

#[test]
fn a_sweeps_files_give_each_targets_chance_over_the_months_to_its_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("closed.toml");
    std::fs::write(&file, CLOSED).unwrap();
    let out = dir.path().join("out");
    sweep_command(&file, "intake.asye.size=4..7:3", &["-q"], &out);
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    // 10 staff and cohorts of k in September 2023 and 2024: over the 12 month-ends of 2024,
    // `grow` (at least 17) holds from September alone at 4 (18 against 14 before), 4 of 12;
    // in every month at 7.
    assert!(
        csv.contains("\n4,target_window:grow,,,,,0.333333,\n"),
        "{csv}"
    );
    assert!(csv.contains("\n7,target_window:grow,,,,,1,\n"), "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("sweep.json")).unwrap()).unwrap();
    let window = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["measure"] == "target_window:grow" && r["value"] == 7.0)
        .unwrap();
    assert_eq!(window["met"]["p"], 1.0);
}
