//! A catalogue of bad scenarios under tests/bad/, one realistic mistake each. Every file ends with
//! `# expect:` lines giving exactly the problems wfsim must report for it, in order.

use wfsim::scenario;
use wfsim::scenario::diag::Source;

#[test]
fn every_bad_scenario_gets_exactly_its_expected_messages() {
    let mut files: Vec<_> = std::fs::read_dir("tests/bad")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 30,
        "the catalogue must hold at least 30 bad scenarios"
    );
    for path in files {
        let name = path.to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let expected: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .collect();
        assert!(!expected.is_empty(), "{name} states no expected message");
        let errors = match scenario::parse(&Source::new(name.clone(), text.clone())) {
            Ok(_) => panic!("{name} should be invalid"),
            Err(e) => e
                .diagnostics
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>(),
        };
        assert_eq!(errors, expected, "{name}");
    }
}

/// The note under the problems says which checks could not run yet, so a user who fixes every
/// listed problem is not surprised by new ones on the next check.
#[test]
fn the_errors_say_which_checks_were_not_run() {
    let not_run = |file: &str| {
        let path = format!("tests/bad/{file}");
        let text = std::fs::read_to_string(&path).unwrap();
        let e = scenario::parse(&Source::new(path, text)).unwrap_err();
        (e.not_run.clone(), e.to_string())
    };
    let (syntax, shown) = not_run("55-date-without-quotes.toml");
    assert_eq!(syntax, "the checks of each section and key");
    assert!(
        shown.ends_with("\nFix these first; the checks of each section and key were not run."),
        "{shown}"
    );
    // A broken grade leaves nothing to check across grades, nor between grades and post
    // groups (a progression cycle, a post group no grade holds), and no valid baseline to check
    // the targets against.
    assert_eq!(
        not_run("57-leaving-as-percentages.toml").0,
        "the checks across grades, the checks between grades and post groups, and the checks of \
         the targets"
    );
    // A problem in a target or an option leaves nothing unchecked.
    for file in [
        "23-target-unknown-metric.toml",
        "37-option-unknown-path.toml",
    ] {
        let (skipped, shown) = not_run(file);
        assert_eq!(skipped, "", "{file}");
        assert!(!shown.contains("Fix these first"), "{shown}");
    }
}
