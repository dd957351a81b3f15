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
        if let Some(sn) = t.get("set")
            && let Some(st) = r.table(&sn)
        {
            for (k, v) in st.table.iter() {
                let path = k.get_ref().to_string();
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
                if let Err(e) = keypath::patch(&mut tree, &path, v.clone()) {
                    r.error(&k.span(), &format!("{}.{path}", st.path), e);
                    ok = false;
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
        variants.push(Variant {
            name,
            description,
            sets,
            spec,
        });
    }
}
