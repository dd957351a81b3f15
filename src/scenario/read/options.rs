//! `[[options]]`: each option is the baseline's tree with its `set` patches applied, read again by
//! the same readers, plus its own premiums.

use toml::de::{DeTable, DeValue};

use super::premiums::{check_premium_overlap, check_premium_rates, read_premiums};
use super::spec::read_spec;
use crate::scenario::MAX_OPTIONS;
use crate::scenario::Variant;
use crate::scenario::keypath::{self, PATCHABLE};
use crate::scenario::spanned::{Node, Reader};

pub(super) fn read_options(r: &mut Reader, n: &Node, root: &DeTable, variants: &mut Vec<Variant>) {
    let Some(items) = r.array(n) else { return };
    if items.len() > MAX_OPTIONS {
        r.node_error(
            n,
            format!(
                "{} options; at most {MAX_OPTIONS} are allowed (each is simulated in full): split them into several scenarios, or vary one input with `wfsim sweep`",
                items.len()
            ),
        );
        return;
    }
    for item in &items {
        let Some(mut t) = r.table(item) else { continue };
        let Some(name) = t
            .require(r, "name", "the option's name")
            .and_then(|n| r.name(&n))
        else {
            // Its other keys are not read without a name to read them under, so they are not
            // reported as unknown either.
            continue;
        };
        if variants.iter().any(|v| v.name == name) {
            r.node_error(item, format!("option `{name}` is defined twice, or is named `baseline`; option names must be unique"));
        }
        let description = t
            .get("description")
            .and_then(|n| r.string(&n))
            .unwrap_or_default();
        let mut tree = root.clone();
        let mut ok = true;
        let mut sets = Vec::new();
        // Each input set so far, by its path with elements by index, and as written.
        let mut set_by_index: Vec<(String, String)> = Vec::new();
        if let Some(sn) = t.get("set")
            && let Some(st) = r.table(&sn)
        {
            for (k, v) in st.table.iter() {
                let path = k.get_ref().to_string();
                if let Some(dotted) = bare_dotted_key(&r.source.text, &k.span()) {
                    r.error(
                        &k.span(),
                        &format!("{}.{path}", st.path),
                        format!(
                            "a path in `set` is one key in quotes: write `\"{dotted}\" = ...`. \
                             Without the quotes TOML reads each dot as a table, and `{path}` would \
                             be replaced whole, losing the keys it does not name"
                        ),
                    );
                    ok = false;
                    continue;
                }
                let written = r.source.text.get(v.span()).unwrap_or("").trim();
                sets.push((path.clone(), written.to_string()));
                let first = path.split(['.', '[']).next().unwrap_or("");
                if !PATCHABLE.contains(&first) {
                    r.error(
                        &k.span(),
                        &format!("{}.{path}", st.path),
                        format!(
                            "options can change only inputs under {}; `{first}` is not one of them",
                            PATCHABLE.join(", ")
                        ),
                    );
                    ok = false;
                    continue;
                }
                // A table for a table of inputs (`[options.set.costs]`, or `costs = { ... }`):
                // the keys it leaves out would be lost, not kept at the baseline's.
                let table = matches!(v.get_ref(), DeValue::Table(_));
                let mut replaces_table = false;
                match keypath::patch_with(&mut tree, &path, |old| {
                    replaces_table = table && is_table_of_inputs(old.get_ref());
                    v.clone()
                }) {
                    Ok(_) if replaces_table => {
                        r.error(
                            &k.span(),
                            &format!("{}.{path}", st.path),
                            format!(
                                "`{path}` is a table of inputs, and `set` would replace it whole, \
                                 losing the keys it does not name; set each input by its path in \
                                 quotes, e.g. `\"{path}.KEY\" = ...`"
                            ),
                        );
                        ok = false;
                    }
                    Ok(by_index) => {
                        if let Some((_, earlier)) = set_by_index
                            .iter()
                            .find(|(other, _)| overlaps(other, &by_index))
                        {
                            r.error(
                                &k.span(),
                                &format!("{}.{path}", st.path),
                                format!(
                                    "`{path}` sets what `{earlier}` already sets in this option; \
                                     set each input once"
                                ),
                            );
                            ok = false;
                        }
                        set_by_index.push((by_index, path.clone()));
                    }
                    Err(e) => {
                        r.error(&k.span(), &format!("{}.{path}", st.path), e);
                        ok = false;
                    }
                }
            }
        }
        let premiums_node = t.get("premiums");
        t.get("note");
        r.finish(t);
        if !ok {
            continue;
        }
        let value = toml::Spanned::new(item.value.span(), DeValue::Table(tree));
        let node = Node {
            value: &value,
            path: String::new(),
        };
        let mut tr = r.table(&node).expect("table");
        let outer = r.context.take();
        r.context = Some(match &outer {
            Some(o) => format!("in option `{name}`, {o}"),
            None => format!("in option `{name}`"),
        });
        let spec = read_spec(r, &mut tr);
        r.context = outer;
        let Some(mut spec) = spec else { continue };
        if let Some(pn) = premiums_node {
            let grade_names: Vec<String> = spec.grades.iter().map(|g| g.name.clone()).collect();
            // Appended after the baseline's own premiums, so their effect streams are keyed after them.
            let first = spec.premiums.len();
            let spans = read_premiums(r, &pn, &grade_names, &mut spec.premiums);
            check_premium_rates(r, &spec.grades, &spec.posts, &spec.premiums, first, &spans);
            check_premium_overlap(
                r,
                &item.value.span(),
                &format!("{}.premiums", item.path),
                &spec.premiums,
                &grade_names,
            );
        }
        // Cohorts in training at the start are as the baseline has them, whatever intake the
        // option sets for later ones.
        for p in &mut spec.pipelines {
            if let Some(b) = variants[0].spec.pipelines.iter().find(|b| b.name == p.name) {
                p.intake_at_start = b.intake;
            }
        }
        variants.push(Variant {
            name,
            description,
            sets,
            spec,
        });
    }
}

/// The path a key of `set` spells with bare dots (`costs.on_cost_rate = 0.3`), which TOML reads
/// as a table `costs` holding `on_cost_rate`, so that the whole of `costs` would be replaced:
/// the key's segments from it to its `=`, each as written inside its quotes (`posts[Social
/// worker]` keeps its space). `None` for one quoted key.
fn bare_dotted_key(text: &str, key: &std::ops::Range<usize>) -> Option<String> {
    let after = text.get(key.end..)?;
    let after = after.strip_prefix(['"', '\'']).unwrap_or(after);
    if !after.trim_start().starts_with('.') {
        return None;
    }
    // From the key, with its opening quote where the span leaves it out.
    let start = match key.start.checked_sub(1).map(|i| text.as_bytes()[i]) {
        Some(b'"' | b'\'') => key.start - 1,
        _ => key.start,
    };
    let mut segments = Vec::new();
    let mut rest = text.get(start..)?;
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        let (segment, tail) = match rest.chars().next()? {
            q @ ('"' | '\'') => {
                let end = rest[1..].find(q)? + 1;
                (&rest[1..end], &rest[end + 1..])
            }
            _ => {
                let end =
                    rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))?;
                (&rest[..end], &rest[end..])
            }
        };
        segments.push(segment);
        match tail.trim_start_matches([' ', '\t']).strip_prefix('.') {
            Some(t) => rest = t,
            None => return Some(segments.join(".")),
        }
    }
}

/// Whether `old`, the value a `set` replaces, is a table of inputs rather than one input: a
/// table that is neither a distribution (`dist`) nor a path (`from`, `by_year`). Replaced with
/// a table, every key it does not name would be lost.
fn is_table_of_inputs(old: &DeValue) -> bool {
    matches!(old, DeValue::Table(t)
        if !(t.contains_key("dist") || t.contains_key("from") || t.contains_key("by_year")))
}

/// Whether two paths by index name the same input, or one an input inside the other.
fn overlaps(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long.strip_prefix(short)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_overlap_when_one_names_the_other_or_an_input_inside_it() {
        assert!(overlaps(
            "posts[0].fill_probability",
            "posts[0].fill_probability"
        ));
        assert!(overlaps("posts[0]", "posts[0].fill_probability"));
        assert!(overlaps("grades[1].leaving", "grades[1].leaving[2]"));
        assert!(!overlaps("posts[1]", "posts[10]"));
        assert!(!overlaps("costs.pay_award", "costs.pay_award_flat"));
        assert!(!overlaps(
            "posts[0].fill_probability",
            "posts[1].fill_probability"
        ));
    }

    #[test]
    fn bare_dots_are_found_after_the_key_and_read_back_as_a_quoted_path() {
        // A name's own spaces are kept; the spaces around a dot are not.
        let text = "set = { \"posts[Social worker]\" . fill_probability = 0.2 }";
        let start = text.find('"').unwrap();
        assert_eq!(
            bare_dotted_key(text, &(start..start + "\"posts[Social worker]\"".len())).as_deref(),
            Some("posts[Social worker].fill_probability")
        );
        // `set` itself written with dots, in an option's table: from the key after it.
        let text = "set.costs.on_cost_rate = 0.35";
        let start = text.find("costs").unwrap();
        assert_eq!(
            bare_dotted_key(text, &(start..start + 5)).as_deref(),
            Some("costs.on_cost_rate")
        );
        let at = |text: &str, key: &str| {
            let start = text.find(key).unwrap();
            bare_dotted_key(text, &(start..start + key.len()))
        };
        assert_eq!(
            at("set = { costs.on_cost_rate = 0.3 }", "costs").as_deref(),
            Some("costs.on_cost_rate")
        );
        assert_eq!(
            at(
                "set = { \"posts[SW]\" . fill_probability = 0.3 }",
                "\"posts[SW]\""
            )
            .as_deref(),
            Some("posts[SW].fill_probability")
        );
        assert_eq!(
            at("[options.set]\nintake.asye.size = 3\n", "intake").as_deref(),
            Some("intake.asye.size")
        );
        assert_eq!(
            at(
                "set = { \"costs.on_cost_rate\" = 0.3 }",
                "\"costs.on_cost_rate\""
            ),
            None
        );
    }
}
