//! Key paths (`grades[Level 3].leaving[2]`, `options[supplement-3k].premiums[0].amount`): how an
//! option's `set`, a sweep's `--vary` and the sensitivity tool name an input, and how they change it
//! in the spanned tree before the scenario is read again.

use toml::de::{DeTable, DeValue};

use super::spanned::{ARRAYS, Value, closest, element_label, join};

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

/// The top-level tables whose inputs an option's `set` (and a decision tool's `--vary`) may
/// change.
pub const PATCHABLE: [&str; 10] = [
    "service",
    "grades",
    "posts",
    "intake",
    "recruitment",
    "agency",
    "costs",
    "premiums",
    "variation",
    "caseload",
];

/// Whether `key` is a table of [`PATCHABLE`] a file may leave out as a whole: one table, not
/// several (`[[grades]]`), so a path into it names where to write it.
fn may_be_left_out(key: &str) -> bool {
    PATCHABLE.contains(&key) && !ARRAYS.contains(&key)
}

/// Replaces the value at `path` in `root` with `value`, and returns the path with each element
/// selected by its index (`posts[0].fill_probability` for `posts[Social worker].fill_probability`),
/// so that two paths to the same input can be told apart from two inputs. Errors name the
/// nearest valid path.
pub fn patch<'i>(root: &mut DeTable<'i>, path: &str, value: Value<'i>) -> Result<String, String> {
    patch_with(root, path, |_| value)
}

/// Replaces the value at `path` in `root` with `make(old value)`, and returns the path by
/// indices, as [`patch`]. Errors name the nearest valid path.
pub fn patch_with<'i>(
    root: &mut DeTable<'i>,
    path: &str,
    make: impl FnOnce(&Value<'i>) -> Value<'i>,
) -> Result<String, String> {
    let steps = parse_path(path)?;
    let mut table: &mut DeTable<'i> = root;
    let mut done = String::new();
    let mut by_index = String::new();
    for (si, step) in steps.iter().enumerate() {
        let last_step = si + 1 == steps.len();
        let keys: Vec<String> = table.keys().map(|k| k.get_ref().to_string()).collect();
        let Some(slot) = table.get_mut(step.key.as_str()) else {
            let known: Vec<&str> = keys.iter().map(String::as_str).collect();
            let near =
                closest(&step.key, &known).map(|k| format!("; did you mean `{}`?", join(&done, k)));
            // The last key of a path may be a slip, or a key the file leaves at its default,
            // which can be replaced once stated: both are said.
            if last_step {
                return Err(format!(
                    "`{}` is not in the file: only a value the file states can be replaced, so a \
                     key left at its default must be written there first (at its default, to \
                     leave the baseline as it was){}",
                    join(&done, &step.key),
                    near.unwrap_or_default()
                ));
            }
            // A table a scenario may have, which this file leaves out: it must be written too.
            // (Before any near key is offered: `costs` is near `posts`.)
            if done.is_empty() && may_be_left_out(&step.key) {
                let rest: Vec<&str> = steps[si + 1..].iter().map(|s| s.key.as_str()).collect();
                return Err(format!(
                    "`{}` is not in the file: only a value the file states can be replaced, so \
                     the table `[{}]` and its `{}` must be written there first (at its default \
                     where it has one, to leave the baseline as it was)",
                    step.key,
                    step.key,
                    rest.join(".")
                ));
            }
            let hint = near.unwrap_or_else(|| format!("; keys here: {}", known.join(", ")));
            return Err(format!("`{}` does not exist{hint}", join(&done, &step.key)));
        };
        done = join(&done, &step.key);
        by_index = join(&by_index, &step.key);
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
            by_index = format!("{by_index}[{pos}]");
            cur = &mut items.as_mut()[pos];
            if last_step && i + 1 == step.selectors.len() {
                *cur = make(cur);
                return Ok(by_index);
            }
        }
        if last_step {
            *cur = make(cur);
            return Ok(by_index);
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

/// An input's key path in words for a reader, e.g. `grades[Level 2].leaving[1]` as
/// `Level 2: leaving rate, service band 2`, `intake.asye.size` as `ASYE cohort size`. A key it
/// does not know is shown with its underscores as spaces; a path it cannot parse, as it is.
pub fn in_words(path: &str) -> String {
    let Ok(steps) = parse_path(path) else {
        return path.to_string();
    };
    let section = steps.first().map_or("", |s| s.key.as_str());
    if let [_, what, last] = &steps[..]
        && section == "variation"
    {
        let of = match last.key.as_str() {
            "sd" => "year-to-year spread",
            "persistence" => "persistence of yearly shocks",
            other => super::FACTORS
                .iter()
                .filter_map(|d| d.extra)
                .find(|x| x.key == other)
                .map_or(other, |x| x.words),
        };
        return format!("{}: {of}", capitalise(&what.key.replace('_', " ")));
    }
    let mut owner = Vec::new();
    let mut words: Vec<String> = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let index = step.selectors.first().and_then(|x| x.parse::<usize>().ok());
        let name = step.selectors.first().filter(|_| index.is_none());
        let key = step.key.as_str();
        // A named element (`grades[Level 2]`, `pipelines[Step Up]`) owns what follows.
        if let Some(n) = name {
            owner.push(n.clone());
            continue;
        }
        let first = i == 0;
        let word = match (section, key) {
            (_, "grades" | "posts" | "options" | "intake") if first => continue,
            ("intake", "asye") => "ASYE".to_string(),
            ("intake", "size") => "cohort size".to_string(),
            ("intake", "pipelines") => continue,
            (_, "leaving") => match index {
                Some(b) => format!("leaving rate, service band {}", b + 1),
                None => "leaving rate".into(),
            },
            (_, "pay_points") => match index {
                Some(p) => format!("pay point {}", p + 1),
                None => "pay points".into(),
            },
            (_, "premiums") => match index {
                Some(p) => format!("premium {}", p + 1),
                None => "premiums".into(),
            },
            (_, "progression") => continue,
            (_, "pass_rate") => "progression pass rate".into(),
            (_, "after_months") => "months to progress".into(),
            (_, "permanent") => "starting permanent FTE".into(),
            ("posts", "agency") => "starting agency FTE".into(),
            ("posts", "fill_probability") => "monthly vacancy fill chance".into(),
            ("agency", "fill_probability") => "monthly agency fill chance".into(),
            ("agency", "agency") if first => continue,
            ("agency", "monthly_churn") => "agency workers leaving each month".into(),
            ("agency", "monthly_conversion") => "agency workers converting each month".into(),
            ("agency", "annual_rate_uplift") => "agency rate rise a year".into(),
            ("costs" | "recruitment", _) if first => continue,
            (_, "by_year") => "in".into(),
            (_, "from") => continue,
            (_, "leaving_effect") => "effect on leaving".into(),
            (_, "hiring_effect") => "effect on hiring".into(),
            (_, "ni_threshold") => "NI threshold".into(),
            (_, "employer_ni_rate") => "employer NI rate".into(),
            (_, "asye_grant") => "ASYE grant".into(),
            _ => key.replace('_', " "),
        };
        words.push(word);
    }
    // A path that ends at a table whose words are left out (`grades[ASYE].progression`) is
    // named by its last key.
    if words.is_empty()
        && let Some(last) = steps.last()
    {
        words.push(last.key.replace('_', " "));
    }
    let text = words.join(" ");
    match owner.as_slice() {
        [] => capitalise(&text),
        _ => format!("{}: {text}", owner.join(", ")),
    }
}

/// How the numbers of the input at `path` are written for a reader: shares and rates as
/// percentages, money in pounds, anything else as a number (known by its key).
pub fn shown(path: &str) -> crate::scenario::param::Shown {
    use crate::scenario::param::Shown;
    let key = parse_path(path)
        .ok()
        .and_then(|steps| {
            steps.iter().rev().map(|s| s.key.clone()).find(|k| {
                !matches!(k.as_str(), "from" | "to" | "change" | "by_year")
                    && !k.starts_with(|c: char| c.is_ascii_digit())
            })
        })
        .unwrap_or_default();
    match key.as_str() {
        "salary" | "pay_points" | "amount" | "cost_per_hire" | "cost_per_trainee"
        | "conversion_fee" | "asye_grant" | "pay_award_flat" | "ni_threshold"
        | "agency_hourly_rate" | "agency_daily_rate" | "agency_price_cap" => Shown::Pounds,
        "leaving" | "fill_probability" | "employer_ni_rate" | "pension_rate" | "on_cost_rate"
        | "pay_award" | "pass_rate" | "completion_rate" | "join_rate" | "monthly_churn"
        | "monthly_conversion" | "annual_rate_uplift" | "agency_cover" | "promote_share"
        | "leaving_effect" | "hiring_effect" | "max_share" | "discount_rate" | "service_shares"
        | "leavers_to_agency" | "return_share" | "qualified_share" | "above_cap_share" => {
            Shown::Percent
        }
        _ => Shown::Number,
    }
}

/// An input's key path as a reader is shown it, wherever one is: its name in words with the
/// path in brackets for finding it in the file, `ASYE cohort size [intake.asye.size]`.
pub fn for_reader(path: &str) -> String {
    let words = in_words(path);
    if words == path {
        path.to_string()
    } else {
        format!("{words} [{path}]")
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
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
    fn a_table_the_file_leaves_out_must_be_written_first() {
        let mut d = doc("[[grades]]\nname = \"L3\"\n").into_inner();
        let e = patch(&mut d, "agency.monthly_churn", value("0.1")).unwrap_err();
        assert_eq!(
            e,
            "`agency` is not in the file: only a value the file states can be replaced, so the \
             table `[agency]` and its `monthly_churn` must be written there first (at its \
             default where it has one, to leave the baseline as it was)"
        );
        // Even where a key of the file is near its name (`costs`, `posts`).
        let mut d = doc("[[posts]]\nname = \"SW\"\n").into_inner();
        let e = patch(&mut d, "costs.pay_award", value("0.1")).unwrap_err();
        assert!(e.starts_with("`costs` is not in the file"), "{e}");
        // A key no scenario has, nor one near it: the keys there are.
        let e = patch(&mut d, "wages.rate", value("0.1")).unwrap_err();
        assert_eq!(e, "`wages` does not exist; keys here: posts");
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

    #[test]
    fn key_paths_in_words() {
        let cases = [
            (
                "grades[Level 2].leaving[1]",
                "Level 2: leaving rate, service band 2",
            ),
            ("grades[ASYE].pay_points[0]", "ASYE: pay point 1"),
            (
                "grades[ASYE].progression.pass_rate",
                "ASYE: progression pass rate",
            ),
            (
                "grades[ASYE].progression.after_months",
                "ASYE: months to progress",
            ),
            ("intake.asye.size", "ASYE cohort size"),
            ("grades[ASYE].progression", "ASYE: progression"),
            ("intake.pipelines[Step Up].join_rate", "Step Up: join rate"),
            ("intake.pipelines[Step Up].intake", "Step Up: intake"),
            (
                "posts[SW].establishment.by_year.2023/24",
                "SW: establishment in 2023/24",
            ),
            ("posts[SW].establishment.from", "SW: establishment"),
            ("posts[SW].agency", "SW: starting agency FTE"),
            (
                "posts[SW].fill_probability",
                "SW: monthly vacancy fill chance",
            ),
            ("agency.monthly_churn", "Agency workers leaving each month"),
            ("costs.employer_ni_rate", "Employer NI rate"),
            ("recruitment.cost_per_hire", "Cost per hire"),
            ("variation.leaving.sd", "Leaving: year-to-year spread"),
            (
                "options[s-3k].premiums[0].leaving_effect",
                "s-3k: premium 1 effect on leaving",
            ),
        ];
        for (path, words) in cases {
            assert_eq!(in_words(path), words, "{path}");
        }
    }
}
