//! The report as its readers get it: report.md (snapshot), results.xlsx read back and compared with
//! summary.json, and `--no-report`.

use std::path::Path;

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;

use crate::common::results;

const SCENARIO: &str = "tests/data/report-small.toml";

fn run(dir: &Path, extra: &[&str]) {
    Command::cargo_bin("wfsim")
        .unwrap()
        .args(["run", SCENARIO, "--quiet", "--out"])
        .arg(dir)
        .args(extra)
        .assert()
        .success();
}

#[test]
fn report_md_matches_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &[]);
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    // Every chart the report links exists as a PNG.
    for link in md.split("](").skip(1) {
        let target = &link[..link.find(')').unwrap()];
        assert!(dir.path().join(target).is_file(), "{target} missing");
    }
    let md = md.replace(env!("CARGO_PKG_VERSION"), "[version]");
    insta::assert_snapshot!("report_small_md", md);
}

fn cell(range: &calamine::Range<Data>, row: usize, col: usize) -> Data {
    range.get((row, col)).cloned().unwrap_or(Data::Empty)
}

fn find_row(range: &calamine::Range<Data>, first: &str, second: &str) -> usize {
    (0..range.height())
        .find(|&r| {
            cell(range, r, 0) == Data::String(first.into())
                && cell(range, r, 1) == Data::String(second.into())
        })
        .unwrap_or_else(|| panic!("no row {first} / {second}"))
}

fn float(d: Data) -> f64 {
    match d {
        Data::Float(x) => x,
        Data::Int(i) => i as f64,
        other => panic!("expected a number, found {other:?}"),
    }
}

#[test]
fn workbook_agrees_with_summary_json() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &[]);
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap())
            .unwrap();
    let mut wb: Xlsx<_> = open_workbook(dir.path().join("results.xlsx")).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Summary",
            "Trajectories",
            "Costs",
            "Premium budget",
            "Comparison"
        ]
    );
    let s = wb.worksheet_range("Summary").unwrap();
    // Counts and the seed are numbers, the start and end dates (Excel dates, shown as months).
    assert_eq!(cell(&s, 5, 1), Data::Float(24.0), "months");
    assert_eq!(cell(&s, 6, 1), Data::Float(200.0), "replications");
    assert_eq!(cell(&s, 7, 1), Data::Float(7.0), "seed");
    // Excel's serial days: 1 January 2023 is day 44,927, 1 January 2025 day 45,658.
    let day = |d: Data| match d {
        Data::DateTime(t) => t.as_f64(),
        other => panic!("expected a date, found {other:?}"),
    };
    assert_eq!(day(cell(&s, 3, 1)), 44_927.0, "start");
    assert_eq!(day(cell(&s, 4, 1)), 45_658.0, "end");
    let t = wb.worksheet_range("Trajectories").unwrap();
    assert_eq!(day(cell(&t, 1, 2)), 44_927.0, "the first month's date");
    // Break-even as the report writes it, with its months as dates.
    let c = wb.worksheet_range("Comparison").unwrap();
    let row = (0..c.height())
        .find(|&r| cell(&c, r, 1) == Data::String("break_even_month".into()))
        .unwrap();
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    // Each measure's period in words: a part year with its months, as summary.json's title
    // gives it, the span with its part year, a target's deadline, or the whole horizon.
    assert_eq!(cell(&c, 0, 7), Data::String("Period".into()));
    let period = |measure: &str| {
        let row = (0..c.height())
            .find(|&r| cell(&c, r, 1) == Data::String(measure.into()))
            .unwrap_or_else(|| panic!("no {measure}"));
        cell(&c, row, 7)
    };
    let fys = summary["financial_years"].as_array().unwrap();
    assert_eq!(fys[0]["partial"], true);
    let part = fys[0]["title"].as_str().unwrap();
    assert!(part.ends_with(')'), "{part}");
    let label = fys[0]["label"].as_str().unwrap();
    assert_eq!(
        period(&format!("cost_diff_{label}")),
        Data::String(part.into())
    );
    let span = &summary["span"];
    assert_eq!(
        span["title"].as_str().unwrap(),
        format!("{part} to 2023/24")
    );
    assert_eq!(
        period(&format!("net_cost_{}", span["label"].as_str().unwrap())),
        Data::String(span["title"].as_str().unwrap().into())
    );
    assert_eq!(
        period("cost_diff_total"),
        // The months costed: from February (January is the starting snapshot), as the part
        // year 2022/23 (Feb-Mar) counts them.
        Data::String("whole horizon, February 2023 to January 2025".into())
    );
    // A target's difference in a share is in percentage points, not per cent: comparison.csv's
    // -0.011 is -1.1 points.
    let csv = std::fs::read_to_string(dir.path().join("comparison.csv")).unwrap();
    let diff: f64 = csv
        .lines()
        .find(|l| l.contains(",target_80:20_diff,"))
        .unwrap()
        .split(',')
        .nth(2)
        .unwrap()
        .parse()
        .unwrap();
    let target_row = (0..c.height())
        .find(|&r| cell(&c, r, 1) == Data::String("target_80:20_diff".into()))
        .unwrap();
    let Data::Float(points) = cell(&c, target_row, 2) else {
        panic!("a number")
    };
    assert!(
        (points - 100.0 * diff).abs() < 1e-9,
        "{points} against {diff}"
    );
    let Data::String(text) = cell(&c, row, 2) else {
        panic!("break-even is text")
    };
    assert!(
        md.contains(&format!("| {text} |")),
        "{text} is not the report's"
    );
    // Costs by financial year as the report names them, a part year with its months, and each
    // component by its title.
    let costs = wb.worksheet_range("Costs").unwrap();
    let part = (1..costs.height())
        .find_map(|r| match cell(&costs, r, 1) {
            Data::String(y) if y.starts_with("2022/23 (") => Some(y),
            _ => None,
        })
        .expect("the part year 2022/23 with its months");
    assert!(md.contains(&part), "{part} is not the report's");
    assert_eq!(cell(&costs, 1, 2), Data::String("Salaries".into()));
    // The chance over the 12 months to each deadline beside the chance at it, with the months
    // it counts.
    assert_eq!(
        cell(&s, 11, 5),
        Data::String("P(met) over the months to the deadline".into())
    );
    assert_eq!(cell(&s, 11, 6), Data::String("Months counted".into()));
    for (oi, option) in summary["options"].as_array().unwrap().iter().enumerate() {
        let name = option["name"].as_str().unwrap();
        let p = option["targets"][0]["probability_met"].as_f64().unwrap();
        let row = find_row(&s, "80:20", name);
        assert_eq!(float(cell(&s, row, 2)), p, "P(met) for {name}");
        let year = option["targets"][0]["probability_met_12_months"]
            .as_f64()
            .unwrap();
        // The workbook keeps 15 significant digits.
        assert!(
            (float(cell(&s, row, 5)) - year).abs() < 1e-12,
            "P(met) over 12 months for {name}"
        );
        let months = option["targets"][0]["months_in_window"].as_f64().unwrap();
        assert_eq!(float(cell(&s, row, 6)), months, "months counted for {name}");
        let total = option["costs"]["total"]["total"]["mean"].as_f64().unwrap();
        let row = find_row(&s, "total", name);
        assert!(
            (float(cell(&s, row, 2)) - total).abs() < 1e-6 * total,
            "total cost for {name}"
        );
        let share = option["end_of_horizon"]["agency_share"]["p50"]
            .as_f64()
            .unwrap();
        let row = find_row(&s, "agency_share", name);
        assert_eq!(float(cell(&s, row, 4)), share, "agency share p50 ({oi})");
    }
    // Trajectories: a header row, then one row per option, month and defined metric.
    assert_eq!(cell(&t, 0, 0), Data::String("Option".into()));
    let csv = std::fs::read_to_string(dir.path().join("trajectories.csv")).unwrap();
    assert_eq!(t.height(), csv.lines().count());
}

#[test]
fn no_report_skips_charts_report_and_workbook() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &["--no-report"]);
    for f in ["report.html", "report.md", "results.xlsx", "charts"] {
        assert!(!dir.path().join(f).exists(), "{f} written");
    }
    assert!(dir.path().join("summary.json").is_file());
}

#[test]
fn report_html_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    run(dir.path(), &[]);
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    // The SVG namespace is a name, not an address that is fetched.
    let html = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    // Nothing to fetch: no scripts, stylesheets, images or fonts by address.
    for banned in [
        "<script", "<link", "<img", "src=", "url(", "http://", "https://",
    ] {
        assert!(!html.contains(banned), "report.html contains {banned}");
    }
    let figures = html.matches("<figure").count();
    assert_eq!(figures, html.matches("<svg").count());
    assert_eq!(
        figures,
        std::fs::read_dir(dir.path().join("charts"))
            .unwrap()
            .count()
            / 2
    );
    assert!(html.contains("@page { size: A4"));
}

/// No leaving or recruitment: permanent FTE grows by exactly the cohort each September, so the
/// findings' numbers are known.
const CLOSED: &str = r#"
[scenario]
name = "closed"
start = "2023-01"
months = 24
replications = 40
seed = 3

[[posts]]
name = "SW"
establishment = 100
recruit = { "ASYE" = 1.0 }
fill_probability = 0.0
agency_cover = 0.0

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
size = 4

[costs]
on_cost_rate = 0.3

[[targets]]
name = "grow"
metric = "permanent_fte"
at_least = 17
by = "2024-12"

[[targets]]
name = "no agency"
metric = "agency_fte"
at_most = 0
by = "2024-12"

[[options]]
name = "smaller"
description = "cohorts of 3"
set = { "intake.asye.size" = 3 }

[[options]]
name = "same"
description = "changes nothing"
set = { "intake.asye.size" = 4 }
"#;

/// A target's window is 12 months only when 12 month-ends come before its deadline: the
/// terminal says how many it counts, and a finding on turnover, which has no value until a year
/// of leavers, says when it is first known.
#[test]
fn short_windows_and_late_first_values_are_named() {
    let text = CLOSED.replacen(
        "[[options]]",
        r#"[[targets]]
name = "early"
metric = "permanent_fte"
at_least = 12
by = "2023-06"

[[targets]]
name = "turn"
metric = "turnover_rate_12m"
at_most = 0.1
by = "2024-03"

[[options]]"#,
        1,
    );
    let r = results(&text);
    let table = wfsim::output::table::outcomes(&r);
    let head = table.lines().next().unwrap();
    // 2023-01 to 2023-06: 6 month-ends; turnover from 2024-01 to 2024-03: 3.
    assert!(head.contains("P(grow) deadline  12 months"), "{head}");
    assert!(head.contains("P(early) deadline  6 months"), "{head}");
    assert!(head.contains("P(turn) deadline  3 months"), "{head}");
    let f = wfsim::output::report::findings(&wfsim::output::Projection::of(&r));
    let turn = f
        .iter()
        .find(|l| l.contains("turnover"))
        .expect("a finding on turnover");
    // Nobody leaves the closed system.
    assert!(
        turn.starts_with(
            "Baseline: 12-month turnover (first known in January 2024) stays at 0% by March 2024"
        ),
        "{turn}"
    );
    assert!(turn.contains("over the 3 months to it"), "{turn}");
    // Permanent FTE has a value from the start, so nothing is said of when it is first known.
    assert!(!f[0].contains("first known"), "{}", f[0]);
}

#[test]
fn findings_follow_their_rules() {
    let s =
        wfsim::scenario::parse(&wfsim::scenario::diag::Source::new("closed.toml", CLOSED)).unwrap();
    let cfg = wfsim::sim::run::RunConfig::from_scenario(&s);
    let r = wfsim::sim::run::run(&s, &cfg, &wfsim::sim::run::NoProgress).unwrap();
    let f = wfsim::output::report::findings(&wfsim::output::Projection::of(&r));
    // 10 + 2 cohorts of 4 = 18 by December 2024, in every replication. The target (at least
    // 17) holds from the second cohort, September 2024: in 4 of the 12 months to December 2024
    // (33%), though at the deadline in every replication.
    assert_eq!(
        f[0],
        "Baseline: permanent FTE rises from 10.0 to 18.0 FTE by December 2024 (median and 90% range); 100% chance of meeting the grow target (at least 17) at the deadline, 33% over the 12 months to it: the chance swings with the season by more than 20 points, so quote both."
    );
    // Cohorts of 3 give 16 < 17; the option that changes nothing is the most likely, and its
    // chance swings as the baseline's does.
    assert_eq!(
        f[1],
        "Of the options, same is the most likely to meet grow by December 2024 (100%, the same as the baseline; over the 12 months to it, 33%, the same as the baseline); the others at the deadline (and over the 12 months to it): smaller 0% (0%)."
    );
    assert_eq!(
        f[2],
        "same's chance of meeting grow is 100% at the deadline, 33% over the 12 months to it: it swings with the season by more than 20 points, so quote both."
    );
    // No agency at any time, in any option.
    assert_eq!(
        f[3],
        "Baseline: agency FTE stays at 0.0 FTE by December 2024 (median and 90% range); 100% chance of meeting the no agency target (at most 0) at the deadline, 100% over the 12 months to it."
    );
    assert_eq!(
        f[4],
        "No option changes the chance of meeting no agency by December 2024 materially (all 100% at the deadline, 100% over the 12 months to it)."
    );
    // Smaller cohorts cost less in every replication; the unchanged option costs the same.
    assert!(f[5].starts_with("smaller costs on average £"), "{}", f[5]);
    assert!(f[5].contains(" less than the baseline"), "{}", f[5]);
    assert!(
        f[5].ends_with("it is cheaper in 100% of replications."),
        "{}",
        f[5]
    );
    assert_eq!(
        f[6],
        "same costs the same as the baseline in every replication from February 2023 to January 2025 and avoids 0 agency FTE-months."
    );
    assert_eq!(f.len(), 7);
}

#[test]
fn costs_are_compared_only_when_there_are_options() {
    // The report's Costs table: its head and the paragraph above it.
    let costs_section = |r: &wfsim::sim::run::Results| {
        use wfsim::output::report::Block;
        let doc = wfsim::output::report::document(&wfsim::output::Projection::of(r), &[]);
        let at = doc
            .iter()
            .position(|b| matches!(b, Block::Heading(h) if h == "Costs"))
            .unwrap();
        let (Block::Paragraph(text), Block::Table { head, .. }) = (&doc[at + 1], &doc[at + 2])
        else {
            panic!("the Costs heading is followed by a paragraph and a table");
        };
        (text.clone(), head.clone())
    };

    let with = results(CLOSED);
    let table = wfsim::output::table::costs(&with);
    assert!(
        table.lines().next().unwrap().ends_with("break-even"),
        "{table}"
    );
    // The option that changes nothing has nothing to break even on.
    let same = table.lines().find(|l| l.starts_with("same ")).unwrap();
    assert!(same.ends_with("none: costs the same"), "{same}");
    let (text, head) = costs_section(&with);
    assert!(text.contains("Differences are paired"), "{text}");
    assert_eq!(head.len(), 8);

    // Without options the tables give each cost alone, with no empty comparison columns.
    let without = results(&CLOSED[..CLOSED.find("[[options]]").unwrap()]);
    let table = wfsim::output::table::costs(&without);
    let head: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        head,
        ["option", "total", "cost,", "whole", "horizon", "(mean)"],
        "{table}"
    );
    let (text, head) = costs_section(&without);
    assert!(!text.contains("Differences"), "{text}");
    assert_eq!(head, ["Option", "Total cost (mean)", "90% range"]);
}

#[test]
fn cost_differences_by_year_and_component_are_the_missing_worker_months() {
    // Cohorts of 3 instead of 4: one worker fewer from September 2023 and another from September
    // 2024, each costing 30,000 / 12 x 1.3 = £3,250 a month. April 2023 to March 2024 misses 7
    // worker-months (-£22,750), April 2024 to January 2025 misses 10 + 5 (-£48,750); in all 22:
    // salaries -£55,000 and on-costs -£16,500. No replication differs from another.
    use wfsim::output::report::Block;
    let s =
        wfsim::scenario::parse(&wfsim::scenario::diag::Source::new("closed.toml", CLOSED)).unwrap();
    let cfg = wfsim::sim::run::RunConfig::from_scenario(&s);
    let r = wfsim::sim::run::run(&s, &cfg, &wfsim::sim::run::NoProgress).unwrap();
    let doc = wfsim::output::report::document(&wfsim::output::Projection::of(&r), &[]);
    let table_after = |opening: &str| -> (Vec<String>, Vec<Vec<String>>) {
        let at = doc
            .iter()
            .position(|b| matches!(b, Block::Paragraph(p) if p.starts_with(opening)))
            .unwrap_or_else(|| panic!("no paragraph `{opening}`"));
        let Block::Table { head, rows, .. } = &doc[at + 1] else {
            panic!("`{opening}` is not followed by a table");
        };
        (head.clone(), rows.clone())
    };
    let (head, rows) = table_after("Difference from the baseline per financial year");
    assert_eq!(
        head,
        [
            "Option",
            "2022/23 (Feb-Mar)",
            "2023/24",
            "2024/25 (Apr-Jan)"
        ]
    );
    assert_eq!(
        rows,
        [
            ["smaller", "£0", "-£23k", "-£49k"],
            ["same", "£0", "£0", "£0"]
        ]
    );
    let (head, rows) = table_after("Where the difference comes from");
    assert_eq!(
        head,
        [
            "Option",
            "Salaries",
            "On-costs",
            "Premiums",
            "Agency",
            "Recruitment",
            "Training",
            "Grant income",
            "Total"
        ]
    );
    assert_eq!(
        rows[0],
        [
            "smaller", "-£55k", "-£16k", "£0", "£0", "£0", "£0", "£0", "-£72k"
        ]
    );
    // The exact means behind the rounded figures.
    let mean = |measure: &str| {
        r.variants[1]
            .comparison
            .iter()
            .find(|m| m.name == measure)
            .and_then(|m| m.summary)
            .unwrap()
            .mean
    };
    for (measure, expected) in [
        ("cost_diff_2023/24", -22_750.0),
        ("cost_diff_2024/25", -48_750.0),
        ("salary_diff_total", -55_000.0),
        ("on_costs_diff_total", -16_500.0),
        ("cost_diff_total", -71_500.0),
    ] {
        assert!(
            (mean(measure) - expected).abs() < 1e-6,
            "{measure}: {}",
            mean(measure)
        );
    }
}

#[test]
fn the_report_gives_each_premiums_budget_lines_by_year() {
    // The closed system: 10 ASYE who never leave, 4 more each September. A £1,200 supplement
    // (£100 a month, with on-costs of 30%) is paid to 10 in February-March 2023; to 10 for five
    // months and 14 for seven in 2023/24 (148 person-months); to 14 for five months and 18 for
    // five in the ten months of 2024/25 in the horizon (160). People paid: 10, then 10 + 4, then
    // 14 + 4. A golden hello goes to recruits into vacancies (and agency workers who convert),
    // not to an ASYE intake, and nobody is recruited here: its direct cost is nothing.
    use wfsim::output::report::Block;
    let text = format!(
        "{CLOSED}\n[[options]]\nname = \"supplement\"\n[[options.premiums]]\nkind = \"market_supplement\"\ngrades = [\"ASYE\"]\namount = 1200\n\n[[options]]\nname = \"hello\"\n[[options.premiums]]\nkind = \"golden_hello\"\ngrades = [\"ASYE\"]\namount = 1000\nclawback_months = 24\n"
    );
    let s =
        wfsim::scenario::parse(&wfsim::scenario::diag::Source::new("closed.toml", text)).unwrap();
    let cfg = wfsim::sim::run::RunConfig::from_scenario(&s);
    let r = wfsim::sim::run::run(&s, &cfg, &wfsim::sim::run::NoProgress).unwrap();
    let doc = wfsim::output::report::document(&wfsim::output::Projection::of(&r), &[]);
    let at = doc
        .iter()
        .position(
            |b| matches!(b, Block::Paragraph(p) if p.starts_with("The premiums' own budget lines")),
        )
        .expect("a table of budget lines");
    let Block::Table { head, rows, .. } = &doc[at + 1] else {
        panic!("the budget lines' paragraph is followed by a table");
    };
    assert_eq!(
        head,
        &[
            "Option",
            "Line",
            "2022/23 (Feb-Mar)",
            "2023/24",
            "2024/25 (Apr-Jan)"
        ]
    );
    let row = |cells: [&str; 5]| cells.map(String::from).to_vec();
    assert_eq!(
        rows,
        &[
            row(["supplement", "Premiums paid", "£2k", "£15k", "£16k"]),
            row([
                "supplement",
                "On-costs of supplements",
                "£600",
                "£4k",
                "£5k"
            ]),
            row([
                "supplement",
                "Direct cost of premiums",
                "£3k",
                "£19k",
                "£21k"
            ]),
            row([
                "supplement",
                "FTE-years paid a supplement",
                "1.7",
                "12.3",
                "13.3"
            ]),
            row(["supplement", "People paid a supplement", "10", "14", "18"]),
            row(["hello", "Direct cost of premiums", "£0", "£0", "£0"]),
        ]
    );
    // The same lines in pounds, exactly: 148 x £100 and its 30% on-costs in 2023/24.
    let v = r.variants.iter().find(|v| v.name == "supplement").unwrap();
    let b = &v.budget[1];
    assert_eq!(b[wfsim::model::budget::Line::Payments].mean, 14_800.0);
    assert!((b[wfsim::model::budget::Line::OnCosts].mean - 4_440.0).abs() < 1e-6);
}

#[test]
fn a_figure_that_reads_the_same_at_both_ends_stays_at_about_it() {
    // Establishment moves from 100 to 100.02: both read "100.0 FTE", so it does not "rise from
    // 100.0 FTE to 100.0 FTE".
    let text = CLOSED
        .replace(
            "establishment = 100",
            r#"establishment = { from = 100, to = 100.02, by = "2024-06" }"#,
        )
        .replace(
            "[[targets]]\nname = \"grow\"",
            "[[targets]]\nname = \"posts\"\nmetric = \"establishment_fte\"\nat_least = 100\nby = \"2024-12\"\n\n[[targets]]\nname = \"grow\"",
        );
    let s =
        wfsim::scenario::parse(&wfsim::scenario::diag::Source::new("closed.toml", text)).unwrap();
    let cfg = wfsim::sim::run::RunConfig::from_scenario(&s);
    let r = wfsim::sim::run::run(&s, &cfg, &wfsim::sim::run::NoProgress).unwrap();
    let f = wfsim::output::report::findings(&wfsim::output::Projection::of(&r));
    assert!(
        f[0].starts_with("Baseline: the establishment stays at about 100.0 FTE by December 2024"),
        "{}",
        f[0]
    );
}

/// The report quotes the backtest's coverage only for a scenario built as the backtest's were
/// (`init` from the census); for one built by hand or from the council's own files it says whom
/// the backtest scored; and it always says that option effects are untested assumptions.
#[test]
fn the_backtest_is_quoted_only_for_scenarios_built_as_it_scored() {
    use wfsim::output::report::Block;
    let method = |calibration: &str| -> String {
        let text = CLOSED.replace("seed = 3\n", &format!("seed = 3\n{calibration}"));
        let s = wfsim::scenario::parse(&wfsim::scenario::diag::Source::new("closed.toml", text))
            .unwrap();
        let cfg = wfsim::sim::run::RunConfig::from_scenario(&s);
        let r = wfsim::sim::run::run(&s, &cfg, &wfsim::sim::run::NoProgress).unwrap();
        let doc = wfsim::output::report::document(&wfsim::output::Projection::of(&r), &[]);
        doc.iter()
            .filter_map(|b| match b {
                Block::List(items) => items.iter().find(|i| i.starts_with("How far to trust")),
                _ => None,
            })
            .next()
            .unwrap()
            .clone()
    };
    let census = method("calibration = \"census\"\n");
    assert!(
        census.contains(
            "this scenario was built by `wfsim init` from the census, as the backtest's were"
        ),
        "{census}"
    );
    assert!(census.contains("agency rate "), "{census}");
    let by_hand = method("");
    assert!(
        by_hand.contains(
            "scored scenarios built by `wfsim init` from the census and left as it made them, which this one's file does not say it is"
        ),
        "{by_hand}"
    );
    // No coverage figure is quoted for it.
    assert!(!by_hand.contains("agency rate "), "{by_hand}");
    let council = method("calibration = \"council\"\n");
    assert!(
        council.contains("this one is built from the council's own files"),
        "{council}"
    );
    for text in [&census, &by_hand, &council] {
        assert!(
            text.contains("The options' effects on leaving and hiring are the scenario's assumptions (its assumptions table gives the evidence the file cites for each), which no backtest tests"),
            "{text}"
        );
    }
}

/// An option that changes only how people behave, with no premium, has its cost finding say that
/// what the option itself costs is left out (the academy's fewer leavers read as paying for
/// themselves).
#[test]
fn a_finding_on_an_option_without_a_cost_of_its_own_says_its_cost_is_left_out() {
    let text = format!(
        "{}\n[[options]]\nname = \"academy\"\nset = {{ \"grades[L3].leaving\" = [0.2, 0.15, 0.1, 0.05] }}\n",
        crate::common::SMALL
    );
    let s = wfsim::scenario::parse(&wfsim::scenario::diag::Source::new("a.toml", text)).unwrap();
    let cfg = wfsim::sim::run::RunConfig::from_scenario(&s);
    let r = wfsim::sim::run::run(&s, &cfg, &wfsim::sim::run::NoProgress).unwrap();
    let f = wfsim::output::report::findings(&wfsim::output::Projection::of(&r));
    let cost = f
        .iter()
        .find(|x| x.starts_with("academy costs on average"))
        .expect("a cost finding");
    assert!(
        cost.ends_with(
            " These costs leave out what the option itself costs: the scenario gives it no premium and no cost, only its effect on how people behave (leaving, hiring, progressing)."
        ),
        "{cost}"
    );
}
