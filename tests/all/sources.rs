//! Every published figure a bundled scenario cites, `[figures KEY ...]`, is shipped in
//! `assets/figures/figures.toml` with its source and status, so a user of the repository can
//! check it without anything beside it.

#[test]
fn every_cited_figure_is_shipped_with_its_source() {
    let figures: toml::Table = std::fs::read_to_string("assets/figures/figures.toml")
        .unwrap()
        .parse()
        .unwrap();
    let mut cited = 0;
    let mut files: Vec<_> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for (at, _) in text.match_indices("figures ") {
            let key: String = text[at + "figures ".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '*'))
                .collect();
            // Only dotted keys are citations ("figures time_to_hire.councils_average_days").
            let key = key.trim_end_matches(['.', '*']);
            if !key.contains('.') && !key.contains('_') {
                continue;
            }
            cited += 1;
            let mut node = &figures;
            let mut found = None;
            for part in key.split('.') {
                match node.get(part) {
                    Some(toml::Value::Table(t)) => {
                        node = t;
                        found = Some(t);
                    }
                    _ => {
                        found = None;
                        break;
                    }
                }
            }
            let entry = found.unwrap_or_else(|| {
                panic!(
                    "{}: figure `{key}` is not in assets/figures/figures.toml",
                    path.display()
                )
            });
            // A leaf carries its source and status; a group (`pay_effect.*`) holds leaves that do.
            let leaves: Vec<&toml::Table> = if entry.contains_key("source") {
                vec![entry]
            } else {
                entry
                    .values()
                    .filter_map(|v| v.as_table())
                    .flat_map(|t| {
                        if t.contains_key("source") {
                            vec![t]
                        } else {
                            t.values().filter_map(|v| v.as_table()).collect()
                        }
                    })
                    .collect()
            };
            assert!(!leaves.is_empty(), "{key}: no figures under it");
            for leaf in leaves {
                assert!(
                    leaf.contains_key("source") && leaf.contains_key("status"),
                    "{key}: a figure without its source or status"
                );
            }
        }
    }
    assert!(cited >= 10, "the bundled scenarios cite {cited} figures");
}
