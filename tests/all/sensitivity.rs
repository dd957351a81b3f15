//! `wfsim sensitivity`: an input built to dominate the outcome is ranked first, both by its swing
//! (the tornado) and by its rank correlation with the outcome; the terminal table says when it
//! shows only the largest swings.

use wfsim::decide::{DecideError, sensitivity};
use wfsim::scenario::Document;
use wfsim::scenario::diag::Source;
use wfsim::sim::run::{self, NoProgress, RunConfig};

/// The analysis as the command line runs it: the file parsed once, the scenario read once, the
/// run's settings checked once.
fn analyse(
    source: &Source,
    option: Option<&str>,
    target: Option<&str>,
    include_known: bool,
    cfg: &RunConfig,
) -> Result<sensitivity::Sensitivity, DecideError> {
    let doc = Document::parse(source)?;
    let s = doc.read(&[])?;
    let settings = run::settle(&s, cfg)?;
    sensitivity::sensitivity(
        &doc,
        &s,
        option,
        target,
        include_known,
        &settings,
        &NoProgress,
    )
}

/// Recruitment is the only strong lever: its fill probability is uncertain over a wide range, while
/// every other input is fixed and weak.
const SCENARIO: &str = r#"
[scenario]
name = "dominant"
start = "2023-01"
months = 24
replications = 300
seed = 11

[[posts]]
name = "SW"
establishment = 40
agency = 10
recruit = { "L3" = 1.0 }
fill_probability = { dist = "uniform", low = 0.01, high = 0.9 }

[[grades]]
name = "L3"
post = "SW"
permanent = 30
service_shares = [0.25, 0.25, 0.25, 0.25]
leaving = [0.3, 0.3, 0.3, 0.3]
salary = 36000

[agency]
monthly_churn = 0.01

[recruitment]
cost_per_hire = 1000

[costs]
on_cost_rate = 0.3

[[targets]]
name = "80:20"
metric = "agency_share"
at_most = 0.2
by = "2024-12"
"#;

#[test]
fn the_dominant_input_is_ranked_first() {
    let source = Source::new("dominant.toml", SCENARIO);
    let cfg = RunConfig {
        replications: 300,
        seed: 11,
        months: 24,
        threads: None,
        years: None,
    };
    let s = analyse(&source, None, None, true, &cfg).unwrap();
    let first = &s.swings[0];
    assert_eq!(first.input.path, "posts[SW].fill_probability");
    assert_eq!(first.input.basis, "p10-p90");
    // Uniform(0.01, 0.9): the 10th and 90th percentiles.
    assert!((first.input.low - 0.099).abs() < 1e-12);
    assert!((first.input.high - 0.811).abs() < 1e-12);
    // More recruitment, less agency: the swing has the expected sign and dwarfs the rest.
    assert!(first.at_high.agency_share < first.at_low.agency_share);
    let swing = |w: &sensitivity::Swing| (w.at_high.agency_share - w.at_low.agency_share).abs();
    assert!(swing(first) > 2.0 * swing(&s.swings[1]));
    // Fixed numbers are swung by 20% either way.
    let est = s
        .swings
        .iter()
        .find(|w| w.input.path == "posts[SW].establishment")
        .unwrap();
    assert_eq!((est.input.low, est.input.high), (32.0, 48.0));
    // A swing that changes no behaviour changes no workforce outcome (common random numbers).
    let hire = s
        .swings
        .iter()
        .find(|w| w.input.path == "recruitment.cost_per_hire")
        .unwrap();
    assert_eq!(hire.at_low.agency_share, hire.at_high.agency_share);
    assert!(hire.at_low.cost < hire.at_high.cost);
    // The only uncertain input: strongly and negatively rank-correlated with the agency share.
    assert_eq!(s.correlations.len(), 1);
    let c = &s.correlations[0];
    assert_eq!(c.path, "posts[SW].fill_probability");
    assert!(c.agency_share < -0.5, "{}", c.agency_share);
    assert!(c.met_target > 0.2, "{}", c.met_target);
}

#[test]
fn the_table_says_when_it_shows_only_the_largest_swings() {
    let dir = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("wfsim")
        .unwrap()
        .args(["sensitivity", "scenarios/tameside-2022.toml"])
        .args(["--reps", "4", "--months", "54", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let swung: usize = text
        .split(" inputs swung")
        .next()
        .and_then(|head| head.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of inputs swung in:\n{text}"));
    assert!(swung > 20, "{swung} inputs swung");
    let rows = text
        .lines()
        .skip_while(|l| !l.starts_with("(as stated)"))
        .skip(1)
        .take_while(|l| !l.is_empty() && !l.starts_with("(the "))
        .count();
    assert_eq!(rows, 20, "{text}");
    assert!(
        text.contains(&format!(
            "(the 20 of {swung} inputs that move the agency share most, as the tornado's first panel; all are in sensitivity.csv)"
        )),
        "{text}"
    );
    // The file has every input swung, with its agency-share row.
    let csv = std::fs::read_to_string(dir.path().join("sensitivity.csv")).unwrap();
    let in_file = csv.lines().filter(|l| l.contains(",agency_share,")).count();
    assert_eq!(in_file, swung);
}

/// `--rank-by cost`: the swings in order of how much they move the total cost, and the terminal
/// table in the order of the tornado's first panel, which is the cost's, each input named in
/// words with its key path.
#[test]
fn ranked_by_cost_the_table_and_the_tornado_agree() {
    let source = Source::new("dominant.toml", SCENARIO);
    let cfg = RunConfig {
        replications: 100,
        seed: 11,
        months: 24,
        threads: None,
        years: None,
    };
    let mut sens = analyse(&source, None, None, true, &cfg).unwrap();
    let by_share: Vec<String> = sens.swings.iter().map(|w| w.input.path.clone()).collect();
    sens.rank(sensitivity::RankBy::Cost).unwrap();
    let cost = |w: &sensitivity::Swing| (w.at_high.cost - w.at_low.cost).abs();
    assert!(
        sens.swings.windows(2).all(|p| cost(&p[0]) >= cost(&p[1])),
        "not in order of the cost's swing"
    );
    let by_cost: Vec<String> = sens.swings.iter().map(|w| w.input.path.clone()).collect();
    assert_ne!(
        by_share, by_cost,
        "cost and agency share rank these inputs alike"
    );
    let doc = wfsim::scenario::Document::parse(&source).unwrap();
    let s = doc.read(&[]).unwrap();
    let chart = wfsim::output::decide::tornado(&sens, &s);
    let wfsim::output::charts::draw::Chart::Tornado { panels, .. } = &chart else {
        panic!("a tornado")
    };
    assert_eq!(panels[0].title, "Total cost over the horizon (mean)");
    let table = wfsim::output::decide::sensitivity_table(&sens, &s);
    let head = table.lines().next().unwrap();
    assert!(head.starts_with("input"), "{head}");
    // The cost is the first outcome column, after the input and its low-high.
    let cols: Vec<&str> = head.split("  ").filter(|c| !c.is_empty()).collect();
    assert_eq!(cols[2].trim(), "total cost, mean", "{head}");
    let rows: Vec<&str> = table
        .lines()
        .skip_while(|l| !l.starts_with("(as stated)"))
        .skip(1)
        .take_while(|l| !l.starts_with('('))
        .collect();
    assert!(!rows.is_empty());
    for (row, bar) in rows.iter().zip(&panels[0].bars) {
        // The bar reads "words  [path]"; the table's row "words [path]".
        let (words, path) = bar.0.split_once("  [").unwrap();
        assert!(
            row.starts_with(&format!("{words} [{path}")),
            "{row} / {}",
            bar.0
        );
    }
    assert!(
        table.contains("(inputs in order of how much they move the total cost over the horizon, as the tornado's first panel)"),
        "{table}"
    );
    // Ranking by a target the scenario has is allowed; the swings' order then follows it.
    sens.rank(sensitivity::RankBy::Target).unwrap();
    assert_eq!(sens.rank_by, sensitivity::RankBy::Target);
}

#[test]
fn an_input_the_option_sets_itself_is_not_swung_for_that_option() {
    // The option replaces the establishment (its key written with spaces the path does not
    // have), so swinging the stated 40 would not move it: it is listed as not swung, and only
    // for that option.
    let text = format!(
        "{SCENARIO}
[[options]]
name = \"bigger\"
description = \"50 posts\"
set = {{ \"posts[SW]. establishment\" = 50 }}
"
    );
    let source = Source::new("dominant.toml", &text);
    let s = wfsim::scenario::parse(&source).unwrap();
    let swung = |option| {
        let (inputs, skipped) =
            sensitivity::inputs(&Document::parse(&source).unwrap(), &s, option, true);
        let swung = inputs.iter().any(|i| i.path == "posts[SW].establishment");
        (swung, skipped)
    };
    let (swung_base, skipped_base) = swung(None);
    assert!(swung_base);
    assert!(skipped_base.is_empty(), "{skipped_base:?}");
    let (swung_option, skipped_option) = swung(Some("bigger"));
    assert!(!swung_option);
    assert_eq!(
        skipped_option,
        [(
            "posts[SW].establishment".to_string(),
            "set by the option itself, which overrides it".to_string()
        )]
    );
}

#[test]
fn known_quantities_are_left_out_unless_asked_for() {
    let source = Source::new("known.toml", SCENARIO);
    let s = wfsim::scenario::parse(&source).unwrap();
    let (inputs, skipped) =
        sensitivity::inputs(&Document::parse(&source).unwrap(), &s, None, false);
    let establishment = "posts[SW].establishment";
    assert!(!inputs.iter().any(|i| i.path == establishment));
    assert!(
        skipped
            .iter()
            .any(|(p, why)| p == establishment && why == sensitivity::KNOWN_REASON),
        "{skipped:?}"
    );
    // Leaving rates are estimates: swung either way.
    assert!(inputs.iter().any(|i| i.path.contains(".leaving[")));
    let (all, _) = sensitivity::inputs(&Document::parse(&source).unwrap(), &s, None, true);
    assert!(all.iter().any(|i| i.path == establishment));
    assert!(all.len() > inputs.len());
}

/// The dominant scenario with two options: one that recruits better, and one whose `set` restates
/// the scenario's own value, so changes nothing.
fn with_options() -> String {
    format!(
        "{SCENARIO}
[[options]]
name = \"recruit\"
description = \"fill 90% of vacancies a month\"
set = {{ \"posts[SW].fill_probability\" = 0.9 }}

[[options]]
name = \"same\"
description = \"restates the establishment\"
set = {{ \"posts[SW].establishment\" = 40 }}
"
    )
}

#[test]
fn an_option_is_analysed_as_its_difference_from_the_baseline() {
    let text = with_options();
    let source = Source::new("dominant.toml", &text);
    let cfg = RunConfig {
        replications: 200,
        seed: 11,
        months: 24,
        threads: None,
        years: None,
    };
    let sens = analyse(&source, Some("recruit"), None, true, &cfg).unwrap();
    assert!(sens.difference);
    // As stated: exactly the difference of the two variants' means in an ordinary run.
    let s = wfsim::scenario::parse(&source).unwrap();
    let r = wfsim::sim::run::run(&s, &cfg, &NoProgress).unwrap();
    let share = |v: usize| {
        r.variants[v].trajectories[wfsim::model::metric::Metric::AgencyShare.index()][sens.month]
            .unwrap()
            .mean
    };
    assert_eq!(sens.base.agency_share, share(1) - share(0));
    assert!(sens.base.agency_share < 0.0, "{}", sens.base.agency_share);
    let p = |v: usize| r.variants[v].targets[0].met.p;
    assert_eq!(sens.base.p_target, p(1) - p(0));
    // The option's own lever is not swung: it would not move the option.
    assert!(
        sens.swings
            .iter()
            .all(|w| w.input.path != "posts[SW].fill_probability")
    );
    // The cost per hire moves no one, so the difference in agency share is the same at both ends;
    // the option hires more, so a dearer hire widens its cost difference.
    let hire = sens
        .swings
        .iter()
        .find(|w| w.input.path == "recruitment.cost_per_hire")
        .unwrap();
    assert_eq!(hire.at_low.agency_share, hire.at_high.agency_share);
    assert_eq!(hire.at_low.agency_share, sens.base.agency_share);
    assert!(hire.at_high.cost > hire.at_low.cost);
    // Correlations are with each replication's difference: better recruitment matters less when
    // the baseline already recruits well, so the difference shrinks toward zero (rises) as the
    // baseline's fill probability rises.
    let c = &sens.correlations[0];
    assert_eq!(c.path, "posts[SW].fill_probability");
    assert!(c.agency_share > 0.5, "{}", c.agency_share);
}

#[test]
fn an_option_that_changes_nothing_differs_by_exactly_zero_at_every_swing() {
    let text = with_options();
    let source = Source::new("dominant.toml", &text);
    let cfg = RunConfig {
        replications: 50,
        seed: 3,
        months: 24,
        threads: Some(2),
        years: None,
    };
    let sens = analyse(&source, Some("same"), None, true, &cfg).unwrap();
    assert!(!sens.swings.is_empty());
    for o in
        std::iter::once(&sens.base).chain(sens.swings.iter().flat_map(|w| [&w.at_low, &w.at_high]))
    {
        assert_eq!((o.agency_share, o.p_target, o.cost), (0.0, 0.0, 0.0));
    }
}

#[test]
fn the_files_name_differences_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("dominant.toml");
    std::fs::write(&scenario, with_options()).unwrap();
    let out = dir.path().join("out");
    let stdout = assert_cmd::Command::cargo_bin("wfsim")
        .unwrap()
        .arg("sensitivity")
        .arg(&scenario)
        .args(["--option", "recruit", "--reps", "20", "--out"])
        .arg(&out)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(stdout).unwrap();
    assert!(
        text.contains("agency share 2024-12, mean vs baseline"),
        "{text}"
    );
    assert!(text.contains(" pts to "), "{text}");
    assert!(
        text.contains(
            "(each outcome is option recruit minus the baseline, on the same random numbers)"
        ),
        "{text}"
    );
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    assert!(csv.contains(",agency_share_vs_baseline,"), "{csv}");
    assert!(!csv.contains(",agency_share,"), "{csv}");
    let correlations = std::fs::read_to_string(out.join("correlations.csv")).unwrap();
    assert!(
        correlations.starts_with(
            "input,agency_share_vs_baseline,met_target_vs_baseline,cost_total_vs_baseline\n"
        ),
        "{correlations}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("sensitivity.json")).unwrap())
            .unwrap();
    assert_eq!(
        json["outcomes"],
        "option minus baseline, on the same random numbers"
    );
}

#[test]
fn counts_stay_whole_and_a_share_written_as_1_is_swung_as_a_share() {
    let inputs = |size: u32| {
        let text = format!(
            "{}\n[intake.asye]\ngrade = \"L3\"\nmonth = 9\nsize = {size}\n",
            SCENARIO.replace(
                "fill_probability = { dist",
                "agency_cover = 1\nfill_probability = { dist"
            )
        );
        let source = Source::new("whole.toml", &text);
        let doc = Document::parse(&source).unwrap();
        let s = doc.read(&[]).unwrap();
        sensitivity::inputs(&doc, &s, None, true).0
    };
    let swing = |inputs: &[sensitivity::Input], path: &str| {
        let i = inputs.iter().find(|i| i.path == path);
        let i = i.unwrap_or_else(|| panic!("{path} not swung: {inputs:?}"));
        (i.basis.clone(), i.low, i.high)
    };
    let one = inputs(1);
    // A share is a share however it is written: from 20% below 1, not the whole number 0.
    let (basis, low, _) = swing(&one, "posts[SW].agency_cover");
    assert_eq!((basis.as_str(), low), ("20% either side", 0.8));
    // A count of 1, where 20% rounds back to 1: the next whole number either side, said so.
    assert_eq!(
        swing(&one, "intake.asye.size"),
        ("the next whole number either side".into(), 0.0, 2.0)
    );
    // A count of 7: 5.6 and 8.4 to 6 and 8.
    assert_eq!(
        swing(&inputs(7), "intake.asye.size"),
        ("20% either side, to whole numbers".into(), 6.0, 8.0)
    );
    // Posts are FTE, not workers: an establishment of 40 is swung 20% either side.
    assert_eq!(
        swing(&one, "posts[SW].establishment"),
        ("20% either side".into(), 32.0, 48.0)
    );
}
