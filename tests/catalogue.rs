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
