//! Key paths (`grades[Level 3].leaving[2]`, `options[supplement-3k].premiums[0].amount`): how an
//! option's `set`, a sweep's `--vary` and the sensitivity tool name an input, and how they change it
//! in the spanned tree before the scenario is read again.

use toml::de::{DeTable, DeValue};

use super::spanned::{Value, closest, element_label, join};

/// One step of a key path: a key, then optional `[selector]`s (an index or an element's name).
#[derive(Debug, Clone, PartialEq)]
struct Step {
    key: String,
    selectors: Vec<String>,
}

fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut chars = path.chars().peekable();
    loop {
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '.' || c == '[' {
                break;
            }
            key.push(c);
            chars.next();
        }
        let mut selectors = Vec::new();
        while chars.peek() == Some(&'[') {
            chars.next();
            let mut sel = String::new();
            loop {
                match chars.next() {
                    Some(']') => break,
                    Some(c) => sel.push(c),
                    None => return Err(format!("`{path}` has an unclosed `[`")),
                }
            }
            selectors.push(sel);
        }
        if key.trim().is_empty() {
            return Err(format!(
                "`{path}` has an empty key; write paths like `posts[Social worker].fill_probability`"
            ));
        }
        steps.push(Step {
            key: key.trim().to_string(),
            selectors,
        });
        match chars.next() {
            None => return Ok(steps),
            Some('.') => continue,
            Some(c) => {
                return Err(format!(
                    "`{path}` has `{c}` where `.` or the end was expected"
                ));
            }
        }
    }
}

/// Whether two key paths name the same input, however they are spaced.
pub fn same_path(a: &str, b: &str) -> bool {
    matches!((parse_path(a), parse_path(b)), (Ok(x), Ok(y)) if x == y)
}

/// What `path` selects first from the top-level array `key`: `supplement-3k` for
/// `options[supplement-3k].premiums[0].amount` and key `options` (an index stays a number as
/// written); `None` for a path that starts elsewhere or selects nothing.
pub fn selects_from(path: &str, key: &str) -> Option<String> {
    let first = parse_path(path).ok()?.into_iter().next()?;
    if first.key == key {
        first.selectors.into_iter().next()
    } else {
        None
    }
}

/// Replaces the value at `path` in `root` with `value`. Errors name the nearest valid path.
pub fn patch<'i>(root: &mut DeTable<'i>, path: &str, value: Value<'i>) -> Result<(), String> {
    patch_with(root, path, |_| value)
}

/// Replaces the value at `path` in `root` with `make(old value)`. Errors name the nearest valid path.
pub fn patch_with<'i>(
    root: &mut DeTable<'i>,
    path: &str,
    make: impl FnOnce(&Value<'i>) -> Value<'i>,
) -> Result<(), String> {
    let steps = parse_path(path)?;
    let mut table: &mut DeTable<'i> = root;
    let mut done = String::new();
    for (si, step) in steps.iter().enumerate() {
        let last_step = si + 1 == steps.len();
        let keys: Vec<String> = table.keys().map(|k| k.get_ref().to_string()).collect();
        let Some(slot) = table.get_mut(step.key.as_str()) else {
            let known: Vec<&str> = keys.iter().map(String::as_str).collect();
            let hint = closest(&step.key, &known)
                .map(|k| format!("; did you mean `{}`?", join(&done, k)))
                .unwrap_or_else(|| format!("; keys here: {}", known.join(", ")));
            return Err(format!("`{}` does not exist{hint}", join(&done, &step.key)));
        };
        done = join(&done, &step.key);
        let mut cur: &mut Value<'i> = slot;
        for (i, sel) in step.selectors.iter().enumerate() {
            let DeValue::Array(items) = cur.get_mut() else {
                return Err(format!(
                    "`{done}` is not an array, so `[{sel}]` cannot select from it"
                ));
            };
            let pos = match sel.parse::<usize>() {
                Ok(ix) if ix < items.len() => ix,
                Ok(ix) => {
                    return Err(format!(
                        "`{done}` has {} elements; index {ix} is past the end",
                        items.len()
                    ));
                }
                Err(_) => {
                    let names: Vec<String> = items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| element_label(v, i))
                        .collect();
                    match names.iter().position(|n| n == sel) {
                        Some(p) => p,
                        None => {
                            let known: Vec<&str> = names.iter().map(String::as_str).collect();
                            let hint = closest(sel, &known)
                                .map(|k| format!("; did you mean `{done}[{k}]`?"))
                                .unwrap_or_else(|| format!("; names here: {}", known.join(", ")));
                            return Err(format!("`{done}[{sel}]` does not exist{hint}"));
                        }
                    }
                }
            };
            done = format!("{done}[{sel}]");
            cur = &mut items.as_mut()[pos];
            if last_step && i + 1 == step.selectors.len() {
                *cur = make(cur);
                return Ok(());
            }
        }
        if last_step {
            *cur = make(cur);
            return Ok(());
        }
        match cur.get_mut() {
            DeValue::Table(t) => table = t,
            _ => {
                return Err(format!(
                    "`{done}` is not a table, so it has no `{}`",
                    steps[si + 1].key
                ));
            }
        }
    }
    unreachable!("the loop returns at the last step")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::spanned::number_of;
    use toml::Spanned;

    fn doc(text: &str) -> Spanned<DeTable<'_>> {
        DeTable::parse(text).unwrap()
    }

    fn value(text: &str) -> Value<'_> {
        DeValue::parse(text).unwrap()
    }

    #[test]
    fn patches_named_array_elements_and_indices() {
        let text = "[[grades]]\nname = \"L3\"\nleaving = [0.1, 0.2]\n";
        let mut d = doc(text).into_inner();
        patch(&mut d, "grades[L3].leaving[1]", value("0.5")).unwrap();
        let g = &d["grades"];
        let DeValue::Array(a) = g.get_ref() else {
            panic!()
        };
        let DeValue::Table(t) = a[0].get_ref() else {
            panic!()
        };
        let DeValue::Array(l) = t["leaving"].get_ref() else {
            panic!()
        };
        assert_eq!(number_of(l[1].get_ref()), Some(0.5));
    }

    #[test]
    fn bad_paths_name_the_nearest_valid_one() {
        let text = "[[grades]]\nname = \"Level 3\"\nleaving = [0.1]\n[intake]\nsize = 3\n";
        let mut d = doc(text).into_inner();
        let e = patch(&mut d, "grades[Level 3].leavng", value("1")).unwrap_err();
        assert!(e.contains("did you mean `grades[Level 3].leaving`?"), "{e}");
        let e = patch(&mut d, "grades[Level 2].leaving", value("1")).unwrap_err();
        assert!(e.contains("did you mean `grades[Level 3]`?"), "{e}");
        let e = patch(&mut d, "intake.sizes", value("1")).unwrap_err();
        assert!(e.contains("did you mean `intake.size`?"), "{e}");
        let e = patch(&mut d, "grades[Level 3].leaving[4]", value("1")).unwrap_err();
        assert!(e.contains("past the end"), "{e}");
        assert!(
            patch(&mut d, "grades[Level 3", value("1"))
                .unwrap_err()
                .contains("unclosed")
        );
    }
}
