//! Each class of scenario error produces a message naming the file, line, column and key, what was
//! found and what is allowed; all problems are reported at once.

use crate::common;

use common::{SMALL, errors};

/// SMALL with one substring replaced (which must occur exactly once).
fn with(from: &str, to: &str) -> String {
    assert_eq!(
        SMALL.matches(from).count(),
        1,
        "`{from}` must occur once in SMALL"
    );
    SMALL.replace(from, to)
}

/// The notes on scenario text that contain `word`, in order.
fn notes_about(text: &str, word: &str) -> Vec<String> {
    common::scenario(text)
        .notes
        .into_iter()
        .filter(|n| n.contains(word))
        .collect()
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle present")
        + 1
}

fn one(text: &str) -> String {
    let e = errors(text);
    assert_eq!(e.len(), 1, "expected one problem, got {e:#?}");
    e.into_iter().next().unwrap()
}

#[test]
fn the_small_scenario_is_valid() {
    let s = common::scenario(SMALL);
    assert_eq!(s.variants.len(), 1);
    assert_eq!(s.targets.len(), 1);
}

#[test]
fn unknown_keys_are_named_with_a_suggestion() {
    let text = with("salary = 36000", "salry = 36000");
    let e = errors(&text);
    let line = line_of(&text, "salry");
    assert!(
        e.iter().any(|m| m.starts_with(&format!(
            "test.toml:{line}:1: `grades[L3].salry`: unknown key; did you mean `salary`?"
        ))),
        "{e:#?}"
    );
}

#[test]
fn wrong_types_say_what_was_found_and_expected() {
    let text = with("months = 24", "months = \"two years\"");
    let m = one(&text);
    let line = line_of(&text, "two years");
    assert_eq!(
        m,
        format!(
            "test.toml:{line}:10: `scenario.months`: expected a whole number from 1 to 240, found the text \"two years\""
        )
    );
}

#[test]
fn rates_outside_zero_to_one_are_refused() {
    let text = with(
        "leaving = [0.3, 0.25, 0.2, 0.1]",
        "leaving = [0.3, 1.25, 0.2, 0.1]",
    );
    let m = one(&text);
    assert!(
        m.contains("`grades[L3].leaving[1]`: found 1.25; allowed: a rate from 0 to 1"),
        "{m}"
    );
    // Just past a bound, in full: not "found 1", which is allowed.
    let m = one(&with(
        "leaving = [0.3, 0.25, 0.2, 0.1]",
        "leaving = [0.3, 1.0000001, 0.2, 0.1]",
    ));
    assert!(
        m.contains("`grades[L3].leaving[1]`: found 1.0000001; allowed: a rate from 0 to 1"),
        "{m}"
    );
    let text = with(
        "fill_probability = 0.1",
        "fill_probability = { dist = \"uniform\", low = 0.05, high = 1.5 }",
    );
    let m = one(&text);
    assert!(m.contains("`posts[SW].fill_probability`: this distribution reaches 0.05-1.5; every value must be a rate from 0 to 1"), "{m}");
}

#[test]
fn negative_fte_is_refused() {
    let m = one(&with("permanent = 12", "permanent = -3"));
    assert!(
        m.contains("`grades[L3].permanent`: found -3; permanent FTE cannot be negative"),
        "{m}"
    );
    let m = one(&with("establishment = 20", "establishment = -20"));
    assert!(
        m.contains("`posts[SW].establishment`: found -20; allowed: FTE from 0 to 100,000"),
        "{m}"
    );
}

#[test]
fn impossible_dates_are_refused() {
    let m = one(&with("start = \"2023-01\"", "start = \"2023-13\""));
    assert!(
        m.contains("`scenario.start`: `2023-13` has month 13; months run from 01 to 12"),
        "{m}"
    );
    // A deadline after the horizon is allowed (the run says it is beyond it), but not one
    // before the start or past the longest horizon.
    let m = one(&with("by = \"2024-12\"", "by = \"2060-01\""));
    assert!(
        m.contains(
            "`targets[80:20].by`: 2060-01 is outside 2023-01 to 2043-01: a deadline is from the start to at most 240 months after it"
        ),
        "{m}"
    );
    let later = common::scenario(&with("by = \"2024-12\"", "by = \"2030-01\""));
    assert_eq!(later.targets[0].month, 84);
    let summary = wfsim::output::check::render(&later);
    assert!(
        summary.contains("by 2030-01 (beyond the horizon, which ends 2025-01: not assessed unless run for 84 months)"),
        "{summary}"
    );
    let m = one(&with("start = \"2023-01\"", "start = \"Jan 2023\""));
    assert!(
        m.contains("`Jan 2023` is not a month; write it as YYYY-MM"),
        "{m}"
    );
}

#[test]
fn progression_to_an_unknown_grade_is_refused() {
    let m = one(&with("to = \"L3\"", "to = \"Level 3\""));
    assert!(
        m.contains(
            "`grades[ASYE].progression.to`: no grade is named `Level 3`; known grades: ASYE, L3"
        ),
        "{m}"
    );
}

#[test]
fn progression_cycles_are_refused() {
    let text = with(
        "salary = 36000",
        "salary = 36000\nprogression = { to = \"ASYE\", after_months = 12 }",
    );
    let e = errors(&text);
    assert!(
        e.iter().any(|m| m.contains(
            "`grades[ASYE].progression.to`: progression goes round in a cycle (ASYE -> L3 -> ASYE)"
        )),
        "{e:#?}"
    );
}

#[test]
fn an_empty_grade_list_is_refused() {
    let start = SMALL.find("[[grades]]").unwrap();
    let end = SMALL.find("[intake.asye]").unwrap();
    let text = format!(
        "grades = []\n{}{}",
        &SMALL[..start],
        &SMALL[end..].replace("grade = \"ASYE\"\n", "")
    );
    let e = errors(&text);
    assert!(
        e.iter()
            .any(|m| m.contains("`grades`: there must be at least one grade")),
        "{e:#?}"
    );
}

#[test]
fn shares_must_add_up() {
    let m = one(&with(
        "service_shares = [0.1, 0.2, 0.3, 0.4]",
        "service_shares = [0.1, 0.2, 0.3, 0.3]",
    ));
    assert!(
        m.contains("`grades[L3].service_shares`: shares add up to 0.9; they must add up to 1"),
        "{m}"
    );
}

#[test]
fn unknown_metrics_and_distributions_get_suggestions() {
    let m = one(&with(
        "metric = \"agency_share\"",
        "metric = \"agency_shares\"",
    ));
    assert!(
        m.contains("unknown metric `agency_shares`; did you mean `agency_share`?"),
        "{m}"
    );
    let m = one(&with(
        "fill_probability = 0.1",
        "fill_probability = { dist = \"triangle\", low = 0.0, mode = 0.1, high = 0.2 }",
    ));
    assert!(
        m.contains("unknown distribution `triangle`; did you mean `triangular`?"),
        "{m}"
    );
}

#[test]
fn missing_keys_are_named() {
    let m = one(&with("months = 24\n", ""));
    assert!(
        m.contains("`scenario.months`: missing; required: the horizon in months, 1 to 240"),
        "{m}"
    );
}

#[test]
fn option_paths_must_exist() {
    let text = format!(
        "{SMALL}\n[[options]]\nname = \"x\"\nset = {{ \"posts[SW].fill_probabilty\" = 0.2 }}\n"
    );
    let m = one(&text);
    assert!(
        m.contains(
            "`posts[SW].fill_probabilty` is not in the file: only a value the file states can be \
             replaced, so a key left at its default must be written there first (at its default, \
             to leave the baseline as it was); did you mean `posts[SW].fill_probability`?"
        ),
        "{m}"
    );
    let text = format!(
        "{SMALL}\n[[options]]\nname = \"x\"\nset = {{ \"posts[SW].fill_probability\" = 2.0 }}\n"
    );
    let m = one(&text);
    assert!(
        m.contains(
            "`posts[SW].fill_probability`: found 2; allowed: a rate from 0 to 1; for 2%, write 0.02 (in option `x`)"
        ),
        "{m}"
    );
    // A key the file leaves at its default: said to be unstated, with how to state it (not
    // matched to a shorter key it is not).
    let text = format!(
        "{SMALL}\n[[options]]\nname = \"x\"\nset = {{ \"posts[SW].agency_price_cap\" = 40 }}\n"
    );
    let m = one(&text);
    assert!(
        m.contains(
            "`posts[SW].agency_price_cap` is not in the file: only a value the file states can be \
             replaced, so a key left at its default must be written there first (at its default, \
             to leave the baseline as it was)"
        ),
        "{m}"
    );
}

#[test]
fn toml_syntax_errors_point_at_the_line() {
    let text = with("seed = 7", "seed = = 7");
    let e = errors(&text);
    let line = line_of(&text, "seed = = 7");
    assert!(e[0].starts_with(&format!("test.toml:{line}:")), "{e:#?}");
    assert!(e[0].contains("TOML syntax"), "{e:#?}");
    // Numbers as people write them, without quotes: each gets the number to write.
    for (written, write) in [
        ("salary = 36,000", "36000"),
        ("salary = £36000", "36000"),
        ("on_cost_rate = 30%", "0.3"),
    ] {
        let from = written.split(" = ").next().unwrap();
        let text = SMALL.replacen(
            &SMALL[SMALL.find(from).unwrap()..]
                .lines()
                .next()
                .unwrap()
                .to_string(),
            written,
            1,
        );
        let m = one(&text);
        assert!(m.contains("TOML syntax"), "{m}");
        assert!(
            m.ends_with(&format!(
                "; write {write} (a number, without quotes, £ or commas)"
            )),
            "{m}"
        );
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = with("months = 24", "months = 0")
        .replace(
            "leaving = [0.2, 0.2, 0.2, 0.2]",
            "leaving = [0.2, 0.2, -0.2, 0.2]",
        )
        .replace("permanent = 12", "permanent = -1")
        .replace("on_cost_rate = 0.3", "on_cost_rte = 0.3");
    let e = errors(&text);
    assert!(e.len() >= 4, "{e:#?}");
    for key in [
        "`scenario.months`",
        "`grades[ASYE].leaving[2]`",
        "`grades[L3].permanent`",
        "`costs.on_cost_rte`",
    ] {
        assert!(
            e.iter().any(|m| m.contains(key)),
            "{key} missing from {e:#?}"
        );
    }
}

#[test]
fn two_golden_hellos_for_one_grade_are_refused() {
    let hello = "[[options.premiums]]\nkind = \"golden_hello\"\ngrades = [\"L3\"]\namount = 1000\n";
    let text = format!("{SMALL}\n[[options]]\nname = \"double\"\n{hello}{hello}");
    let m = one(&text);
    assert!(
        m.contains("`options[double].premiums`: two golden_hello premiums cover grade `L3`"),
        "{m}"
    );
    let supp =
        "[[options.premiums]]\nkind = \"market_supplement\"\ngrades = [\"L3\"]\namount = 1000\n";
    common::scenario(&format!(
        "{SMALL}\n[[options]]\nname = \"two-supplements\"\n{supp}{supp}"
    ));
}

#[test]
fn a_premium_names_each_of_its_grades_once_and_at_least_one() {
    let premium = |grades: &str| {
        format!(
            "{SMALL}\n[[options]]\nname = \"p\"\n[[options.premiums]]\nkind = \"market_supplement\"\n\
             grades = {grades}\namount = 1000\n"
        )
    };
    let m = one(&premium("[\"L3\", \"L3\"]"));
    assert!(
        m.contains("`L3` is listed twice; each grade the premium applies to once"),
        "{m}"
    );
    let m = one(&premium("[]"));
    assert!(
        m.contains("is empty; name at least one grade the premium applies to"),
        "{m}"
    );
    common::scenario(&premium("[\"L3\"]"));
}

#[test]
fn an_agency_week_and_year_have_some_hours_and_weeks() {
    for (key, allowed) in [
        ("hours_per_week = 0", "allowed: hours from 1 to 168"),
        ("weeks_per_year = 0", "allowed: weeks from 1 to 53"),
    ] {
        let m = one(&format!("{SMALL}\n[agency]\n{key}\n"));
        assert!(m.contains(allowed), "{key}: {m}");
    }
}

#[test]
fn starting_staff_above_the_establishment_are_noted() {
    let s = common::scenario(&with("establishment = 20", "establishment = 15.5"));
    assert!(
        s.notes.iter().any(|n| n
            == "post `SW`: starting permanent staff (16) are more than its establishment (15.5 \
                FTE); no vacancy is filled until leavers bring them below it"),
        "{:?}",
        s.notes
    );
    // At the establishment exactly, nothing to note.
    let s = common::scenario(&with("establishment = 20", "establishment = 16"));
    assert!(
        !s.notes.iter().any(|n| n.contains("establishment")),
        "{:?}",
        s.notes
    );
}

#[test]
fn fractional_fte_is_noted_as_rounded_to_whole_workers() {
    let s = common::scenario(&with("permanent = 12", "permanent = 11.6"));
    assert!(
        s.notes
            .iter()
            .any(|n| n == "grades[L3]: permanent 11.6 FTE is modelled as 12 whole-time workers"),
        "{:?}",
        s.notes
    );
    assert_eq!(s.baseline().grades[1].permanent, 12);
}

/// Text may hold line breaks (a Windows one, CR LF, is read as a line break) and tabs; any other
/// control character is refused, in text and names alike, and a message that quotes a file's
/// text shows control characters escaped, so nothing `check` prints can rewrite the terminal.
#[test]
fn control_characters_are_refused_and_shown_escaped() {
    let s = common::scenario(&with(
        "name = \"small\"",
        "name = \"small\"\ndescription = \"\"\"first line\r\nsecond\tline\"\"\"",
    ));
    assert_eq!(s.description, "first line\nsecond\tline");
    for (text, found) in [
        ("\\u001b[2J", "U+001B (escape)"),
        ("\\u001b]0;title\\u0007", "U+001B (escape)"),
        ("a\\u0007", "U+0007 (bell)"),
        ("a\\rb", "U+000D (carriage return)"),
    ] {
        let e = one(&with(
            "name = \"small\"",
            &format!("name = \"small\"\ndescription = \"{text}\""),
        ));
        assert!(
            e.contains(&format!("holds a control character, {found}")),
            "{e}"
        );
        let e = one(&with(
            "name = \"80:20\"",
            &format!("name = \"80:20{text}\""),
        ));
        assert!(
            e.contains(&format!(
                "a name is one line of text, without control characters; this one holds {found}"
            )),
            "{e}"
        );
        assert!(
            !e.contains('\u{1b}') && !e.contains('\u{7}') && !e.contains('\r'),
            "{e:?}"
        );
    }
    // A key is quoted too: an unknown key holding ESC is shown escaped.
    let e = one(&with(
        "salary = 36000",
        "salary = 36000\n\"x\\u001b[2J\" = 1",
    ));
    assert!(e.contains("x\\u{1b}[2J") && !e.contains('\u{1b}'), "{e:?}");
}

#[test]
fn a_protected_weight_needs_protected_months_and_says_so_when_they_are_0() {
    let grade = |keys: &str| with("salary = 30000\n", &format!("salary = 30000\n{keys}\n"));
    let m = one(&format!(
        "{}\n[caseload]\ncases = 100\n",
        grade("protected_weight = 0.5")
    ));
    assert!(m.contains("give protected_months too (e.g. 12)"), "{m}");
    let m = one(&format!(
        "{}\n[caseload]\ncases = 100\n",
        grade("protected_months = 0\nprotected_weight = 0.5")
    ));
    assert!(
        m.contains("which is 0 here; give it some months (e.g. 12), or leave protected_weight out"),
        "{m}"
    );
}

#[test]
fn premium_effects_written_as_percentages_or_raising_leaving_are_noted_with_what_to_write() {
    let option = |leaving: &str, hiring: &str| {
        format!(
            "{SMALL}\n[[options]]\nname = \"p\"\n[[options.premiums]]\nkind = \"market_supplement\"\n\
             grades = [\"L3\"]\namount = 1000\nleaving_effect = {leaving}\nhiring_effect = {hiring}\n"
        )
    };
    let effect_notes = |text: &str| notes_about(text, "_effect");
    // 5 meant as 5%: allowed (the fill probability, 0.1, stays below 1), but said, with what
    // to write.
    assert_eq!(
        effect_notes(&option("-0.1", "5")),
        ["option `p`: its market_supplement's hiring_effect \
             (`options[p].premiums[0].hiring_effect`) reaches 5, a rise of 500% in the \
          monthly chance of filling a vacancy; for 5%, write 0.05"]
    );
    // A leaving effect that can raise leaving, at any point of its range.
    assert_eq!(
        effect_notes(&option(
            "{ dist = \"uniform\", low = -0.1, high = 0.05 }",
            "0"
        )),
        ["option `p`: its market_supplement's leaving_effect \
             (`options[p].premiums[0].leaving_effect`) reaches 0.05, 5% more leavers in the \
          staff it reaches; a premium that holds staff has a negative effect (-0.05 for 5% fewer \
          leavers)"]
    );
    // A leaving effect of 1 or more, meant as a percentage, is most likely fewer leavers.
    let notes = effect_notes(&option("1.5", "0"));
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].ends_with("reaches 1.5, a rise of 150% in the annual leaving rate; for 1.5% fewer leavers, write -0.015"),
        "{notes:?}"
    );
    // Effects a premium plausibly has: nothing to say.
    assert!(effect_notes(&option("-0.1", "0.99")).is_empty());
    // An option's `set` that moves a baseline premium's effect: noted under the option with
    // the value it sets, though the baseline's own effect (the same key) is not noted.
    let baseline = format!(
        "{SMALL}\n[[premiums]]\nkind = \"market_supplement\"\ngrades = [\"L3\"]\namount = 1000\n\
         leaving_effect = -0.05\n[[options]]\nname = \"q\"\nset = {{ \"premiums[0].leaving_effect\" = 0.3 }}\n"
    );
    let notes = effect_notes(&baseline);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("option `q`: its market_supplement's leaving_effect")
            && notes[0].contains("reaches 0.3, 30% more leavers"),
        "{notes:?}"
    );
    // Outside what is allowed: refused, with the proportion a percentage stands for.
    let m = one(&option("-10", "0"));
    assert!(
        m.ends_with(
            "`options[p].premiums[0].leaving_effect`: found -10; allowed: a proportional change \
             from -1 (a 100% cut) to 10; for -10%, write -0.1"
        ),
        "{m}"
    );
    let m = one(&with(
        "on_cost_rate = 0.3",
        "on_cost_rate = 0.3\ndiscount_rate = 3.5",
    ));
    assert!(m.ends_with("; for 3.5%, write 0.035"), "{m}");
    // No such hint for a value whose hundredth is not allowed either, nor for counts.
    let m = one(&option("-500", "0"));
    assert!(!m.contains("write"), "{m}");
    let m = one(&with("permanent = 12", "permanent = -3"));
    assert!(!m.contains("%"), "{m}");
}

#[test]
fn beta_shapes_and_flat_awards_beyond_what_can_be_run_are_refused() {
    // A beta shape of 10^7 never came back from the sampler: refused at its key.
    let text = with(
        "fill_probability = 0.1",
        "fill_probability = { dist = \"beta\", alpha = 1e7, beta = 1 }",
    );
    let m = one(&text);
    assert!(
        m.ends_with(
            "`posts[SW].fill_probability.alpha`: found 10000000; allowed: a shape number above 0 \
             and at most 100,000"
        ),
        "{m}"
    );
    let m = one(&with(
        "fill_probability = 0.1",
        "fill_probability = { dist = \"beta\", alpha = 2, beta = 0 }",
    ));
    assert!(
        m.contains("`posts[SW].fill_probability.beta`: found 0;"),
        "{m}"
    );
    // At the largest shape, it runs.
    let s = common::scenario(&with(
        "fill_probability = 0.1",
        "fill_probability = { dist = \"beta\", alpha = 1e5, beta = 1 }",
    ));
    assert!(s.variants[0].spec.posts[0].fill_probability.range().1 <= 1.0);
    // A flat award below 0 would take pay below nothing in a few years.
    let m = one(&with(
        "on_cost_rate = 0.3",
        "on_cost_rate = 0.3\npay_award_flat = -20000",
    ));
    assert!(
        m.ends_with(
            "`costs.pay_award_flat`: found -20000; allowed: pounds a year added to each salary, \
             from 0 to 100,000 (a pay cut is a negative pay_award)"
        ),
        "{m}"
    );
}

#[test]
fn premium_effects_that_could_take_a_rate_past_1_are_refused_at_the_effect() {
    let premium = |leaving: &str, hiring: &str| {
        format!(
            "kind = \"market_supplement\"\ngrades = [\"L3\"]\namount = 1000\n\
             leaving_effect = {leaving}\nhiring_effect = {hiring}\n"
        )
    };
    // L3's leaving rates reach 0.3 and SW's fill probability is 0.1: a leaving effect of 3
    // (x4) takes leaving to 1.2 a year, a hiring effect of 10 (x11) the fill chance to 1.1.
    let text = format!(
        "{SMALL}\n[[options]]\nname = \"p\"\n[[options.premiums]]\n{}",
        premium("3", "10")
    );
    let e = errors(&text);
    let l = line_of(&text, "leaving_effect = 3");
    let h = line_of(&text, "hiring_effect = 10");
    assert_eq!(
        e,
        [
            format!(
                "test.toml:{l}:18: `options[p].premiums[0].leaving_effect`: with grade `L3`'s \
                 leaving rates up to 0.3 and every effect on the grade, leaving could reach 1.2 a \
                 year; a rate must be at most 1; for 3% fewer leavers, write -0.03"
            ),
            format!(
                "test.toml:{h}:17: `options[p].premiums[0].hiring_effect`: with post `SW`'s \
                 fill_probability up to 0.1 and every effect on the grades it recruits into, the \
                 monthly chance of filling a vacancy could reach 1.1; a rate must be at most 1"
            ),
        ]
    );
    // Two supplements on one grade multiply: each within bounds alone, not together (0.3 x 2 x
    // 2), so each is refused.
    let text = format!(
        "{SMALL}\n[[options]]\nname = \"p\"\n[[options.premiums]]\n{0}[[options.premiums]]\n{0}",
        premium("1", "0")
    );
    let e = errors(&text);
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(
        e.iter()
            .all(|m| m.contains("leaving could reach 1.2 a year")),
        "{e:#?}"
    );
    // A golden hello that lowers leaving lowers it only for those it reaches: the others are
    // left with the supplement's 0.3 x 3.5.
    let text = format!(
        "{SMALL}\n[[options]]\nname = \"p\"\n[[options.premiums]]\n{}[[options.premiums]]\n\
         kind = \"golden_hello\"\ngrades = [\"L3\"]\namount = 1000\nleaving_effect = -0.5\n",
        premium("2.5", "0")
    );
    let m = one(&text);
    assert!(
        m.contains(
            "`options[p].premiums[0].leaving_effect`: with grade `L3`'s leaving rates up to 0.3"
        ) && m.contains("leaving could reach 1.05 a year"),
        "{m}"
    );
    // A baseline's premium is held to the same.
    let m = one(&format!("{SMALL}\n[[premiums]]\n{}", premium("0", "10")));
    assert!(
        m.contains("`premiums[0].hiring_effect`: with post `SW`'s fill_probability up to 0.1"),
        "{m}"
    );
    // Exactly 1 is allowed.
    common::scenario(&format!("{SMALL}\n[[premiums]]\n{}", premium("0", "9")));
}

#[test]
fn problems_between_tables_point_at_the_key_that_has_them() {
    // A post group no grade holds, recruiting into another group's grade: at its name and its
    // `recruit`, not at the top of the file.
    let text = SMALL.replacen(
        "[[grades]]",
        "[[posts]]\nname = \"Empty\"\nestablishment = 2\nrecruit = { \"L3\" = 1.0 }\n\
         fill_probability = 0.1\n\n[[grades]]",
        1,
    );
    let e = errors(&text);
    let name = line_of(&text, "name = \"Empty\"");
    let recruit = name_line_after(&text, "name = \"Empty\"", "recruit");
    assert_eq!(
        e,
        [
            format!(
                "test.toml:{name}:8: `posts[Empty]`: no grade holds these posts; set `post` on \
                 at least one grade"
            ),
            format!(
                "test.toml:{recruit}:11: `posts[Empty].recruit`: grade `L3` does not hold \
                 `Empty` posts, so recruits cannot join as it"
            ),
        ]
    );
    // Two grades whose metric names would be the same: at the second's name.
    let text = SMALL.replace("\"ASYE\"", "\"l3\"");
    let m = one(&text);
    let line = line_of(&text, "name = \"L3\"");
    assert!(
        m.starts_with(&format!(
            "test.toml:{line}:8: `grades[L3].name`: grade `L3` gives the metric name `fte_l3`, \
             which is empty or used by another grade"
        )),
        "{m}"
    );
    // Two golden hellos among the baseline's premiums: at its premiums.
    let hello = "[[premiums]]\nkind = \"golden_hello\"\ngrades = [\"L3\"]\namount = 1000\n";
    let text = format!("{SMALL}\n{hello}{hello}");
    let m = one(&text);
    let line: usize = m.split(':').nth(1).unwrap().parse().unwrap();
    assert!(line >= line_of(&text, "[[premiums]]"), "{m}");
    assert!(
        m.contains("`premiums`: two golden_hello premiums cover grade `L3`"),
        "{m}"
    );
}

/// The line of the first `key` after the line holding `after`.
fn name_line_after(text: &str, after: &str, key: &str) -> usize {
    let from = line_of(text, after);
    text.lines()
        .enumerate()
        .skip(from)
        .find(|(_, l)| l.starts_with(key))
        .map(|(i, _)| i + 1)
        .expect("key after")
}

#[test]
fn a_move_starting_when_the_horizon_ends_says_so() {
    // SMALL runs 24 months from 2023-01, to 2025-01.
    let m = one(&with(
        "fill_probability = 0.1",
        "fill_probability = { from = 0.1, to = 0.2, starting = \"2025-01\", over_months = 1 }",
    ));
    assert!(
        m.ends_with(
            "`posts[SW].fill_probability.over_months`: the move starts in 2025-01, when the \
             simulated period ends, so it has no month to move in; start it before 2025-01"
        ),
        "{m}"
    );
    let m = one(&with(
        "fill_probability = 0.1",
        "fill_probability = { from = 0.1, to = 0.2, starting = \"2024-11\", over_months = 3 }",
    ));
    assert!(m.ends_with("allowed: at most 2 months"), "{m}");
}

#[test]
fn limits_no_cohort_can_pass_and_cases_nobody_holds_are_said() {
    // A cohort limited to none a supervisor, by grades that include its own.
    let s = common::scenario(&with(
        "size = 3",
        "size = 3\nsupervisor_grades = [\"ASYE\", \"L3\"]\nper_supervisor = 0",
    ));
    for want in [
        "intake.asye.per_supervisor is 0: no newly qualified worker can join while it is",
        "intake.asye.supervisor_grades includes `ASYE`, the grade the cohort joins: newly \
         qualified workers would supervise each other",
    ] {
        assert!(s.notes.iter().any(|n| n == want), "{want}: {:?}", s.notes);
    }
    // Cases with every caseload weight 0: refused at the cases.
    let text = SMALL
        .replace("salary = 30000", "salary = 30000\ncaseload_weight = 0")
        .replace("salary = 36000", "salary = 36000\ncaseload_weight = 0")
        + "\n[agency]\ncaseload_weight = 0\n\n[caseload]\ncases = 300\n";
    let m = one(&text);
    let line = line_of(&text, "cases = 300");
    assert!(
        m.starts_with(&format!(
            "test.toml:{line}:9: `caseload.cases`: no one holds these cases: every grade's and \
             agency's caseload_weight is 0"
        )),
        "{m}"
    );
    // One grade holding them is enough.
    common::scenario(&text.replacen("caseload_weight = 0", "caseload_weight = 1", 1));
}

#[test]
fn brackets_are_refused_only_in_names_that_paths_select_by() {
    // The scenario's name is selected by no path: a bracket in it is the user's to write.
    let s = common::scenario(&with("name = \"small\"", "name = \"small [draft]\""));
    assert_eq!(s.name, "small [draft]");
    // A target's name is (the serve page's boxes are `targets[80:20].at_most`).
    let text = with("name = \"80:20\"", "name = \"80:20 [DfE]\"");
    let e = one(&text);
    assert!(
        e.contains("`targets[80:20 [DfE]].name`: a name cannot hold `[` or `]`"),
        "{e}"
    );
}

#[test]
fn costs_left_at_nothing_by_default_are_noted() {
    let notes = |text: &str| notes_about(text, "costed");
    assert!(notes(SMALL).is_empty(), "{:?}", notes(SMALL));
    // No on-costs at all: pay is salaries alone.
    assert_eq!(
        notes(&with("on_cost_rate = 0.3", "")),
        [
            "[costs] states no on-costs (on_cost_rate, or employer_ni_rate and pension_rate), so \
          pay is costed as salaries alone; employer NI and pension usually add 25% to 30%"
        ]
    );
    // Employer NI without pension.
    assert_eq!(
        notes(&with("on_cost_rate = 0.3", "employer_ni_rate = 0.138")),
        ["[costs] states employer_ni_rate but no pension_rate, which is costed at 0"]
    );
    // Agency workers with no rate cost nothing.
    assert_eq!(
        notes(&with("agency_hourly_rate = 40\n", "")),
        [
            "post `SW` has agency workers but no agency rate (agency_hourly_rate or \
          agency_daily_rate), so they are costed at nothing"
        ]
    );
}

#[test]
fn premium_effects_that_can_reach_no_one_are_noted() {
    let option = |premium: &str| {
        format!("{SMALL}\n[[options]]\nname = \"p\"\n[[options.premiums]]\n{premium}\n")
    };
    let reach = |text: &str| notes_about(text, "no one");
    // SMALL's posts recruit into L3 alone: a hiring effect on ASYE reaches no one.
    assert_eq!(
        reach(&option(
            "kind = \"market_supplement\"\ngrades = [\"ASYE\"]\namount = 1000\nhiring_effect = 0.2"
        )),
        [
            "option `p`: its market_supplement's hiring_effect reaches no one: no post group \
          recruits into ASYE"
        ]
    );
    assert!(
        reach(&option(
            "kind = \"market_supplement\"\ngrades = [\"L3\"]\namount = 1000\nhiring_effect = 0.2"
        ))
        .is_empty()
    );
    // Starting service is at most twice the last band edge (SMALL's default bands end at 60),
    // so over 24 months 120 + 24 = 144 months is the most anyone reaches.
    let retention = |at: u32| {
        option(&format!(
            "kind = \"retention_payment\"\ngrades = [\"L3\"]\namount = 1000\nat_months = {at}\n\
             leaving_effect = -0.1"
        ))
    };
    assert!(reach(&retention(144)).is_empty());
    // Never paid, but its promise (12 months ahead by default) reaches those at 133 to 144.
    assert_eq!(
        reach(&retention(145)),
        [
            "option `p`: its retention_payment at 145 months of service is reached by no one \
          within the horizon (starting service is at most 120 months and the run lasts 24), so \
          it is never paid; its effect on leaving still reaches those within its lead_months (12) \
          of it"
        ]
    );
    // Past 144 + 12: nothing at all.
    assert_eq!(
        reach(&retention(157)),
        [
            "option `p`: its retention_payment at 157 months of service is reached by no one \
          within the horizon (starting service is at most 120 months and the run lasts 24), so \
          it is never paid, and its effect on leaving, from lead_months before, reaches no one \
          either: it changes nothing"
        ]
    );
}

#[test]
fn agency_far_above_the_starting_agency_is_noted() {
    let far = |text: &str| notes_about(text, "far above");
    // SMALL: 20 posts, 16 staff, 4 agency covering the 4 vacancies: nothing to say; nor with
    // no starting agency for them, a few vacancies that agency_cover (1 by default) takes on.
    assert!(far(SMALL).is_empty());
    assert!(far(&with("agency = 4\n", "agency = 0\n")).is_empty());
    // 500 agency FTE beyond vacancies, where 4 start: agency rises by 500 from month 1.
    assert_eq!(
        far(&with("agency = 4\n", "agency = 4\nagency_extra = 500\n")),
        [
            "post `SW`: agency_cover x vacancies + agency_extra (504) is far above its starting \
          agency (4); agency rises towards it from month 1 (check agency_cover, 1 by default; \
          agency_extra, agency beyond vacancies; and agency, the starting agency FTE)"
        ]
    );
}

#[test]
fn a_cohort_size_for_a_year_outside_the_horizon_is_noted() {
    // SMALL runs 2023-01 to 2025-01 with cohorts in September: 2023's and 2024's are inside.
    let notes = |sizes: &str| {
        notes_about(
            &with(
                "size = 3\n",
                &format!("size = 3\nsizes_by_year = {sizes}\n"),
            ),
            "sizes_by_year",
        )
    };
    assert!(notes("{ \"2023\" = 5, \"2024\" = 6 }").is_empty());
    assert_eq!(
        notes("{ \"2024\" = 6, \"2025\" = 7 }"),
        [
            "intake.asye.sizes_by_year \"2025\" = 7: that year's cohort (2025-09) falls outside the \
          horizon (2023-01 to 2025-01), so it is not used"
        ]
    );
}

#[test]
fn a_programme_whose_trainees_complete_after_the_horizon_is_noted() {
    // SMALL runs 2023-01 to 2025-01.
    let notes = |first_year: u32, duration: u32| {
        notes_about(
            &with(
                "[costs]\n",
                &format!(
                    "[[intake.pipelines]]\nname = \"Step Up\"\ngrade = \"ASYE\"\nintake = 2\n\
                     month = 1\nevery_years = 1\nfirst_year = {first_year}\n\
                     duration_months = {duration}\ncompletion_rate = 0.9\njoin_rate = 0.8\n\
                     cost_per_trainee = 1000\n\n[costs]\n"
                ),
            ),
            "intake.pipelines",
        )
    };
    // The 2023 cohort completes in 2024-03, within the horizon.
    assert!(notes(2023, 14).is_empty());
    assert_eq!(
        notes(2024, 14),
        [
            "intake.pipelines[Step Up]: its first trainees complete in 2025-03, after the horizon \
             ends (2025-01), so it costs their training but adds no one within it"
        ]
    );
    assert_eq!(
        notes(2026, 14),
        [
            "intake.pipelines[Step Up]: its first intake (2026-01) is after the horizon ends \
             (2025-01), so it has no effect"
        ]
    );
    // A programme with no intake in the baseline is noted under the option that gives it one.
    let text = with(
        "[costs]\n",
        "[[intake.pipelines]]\nname = \"Apprentices\"\ngrade = \"ASYE\"\nintake = 0\nmonth = 9\n\
         first_year = 2023\nduration_months = 36\n\n[costs]\n",
    ) + "\n[[options]]\nname = \"five\"\nset = { \"intake.pipelines[Apprentices].intake\" = 5 }\n";
    assert_eq!(
        notes_about(&text, "intake.pipelines"),
        [
            "option `five`: intake.pipelines[Apprentices]: the first trainees it takes after \
             the start complete in 2026-09, after the horizon ends (2025-01), so it costs their \
             training but adds no one within it"
        ]
    );
    // An option's intake for a programme whose only cohort within the horizon starts in the
    // start month, already training then, reaches no one: said so.
    let text = with(
        "[costs]\n",
        "[[intake.pipelines]]\nname = \"Step Up\"\ngrade = \"ASYE\"\nintake = 0\nmonth = 1\n\
         every_years = 10\nfirst_year = 2023\nduration_months = 12\n\n[costs]\n",
    ) + "\n[[options]]\nname = \"four\"\nset = { \"intake.pipelines[Step Up].intake\" = 4 }\n";
    assert_eq!(
        notes_about(&text, "intake.pipelines"),
        [
            "option `four`: intake.pipelines[Step Up]: its first intake after the start \
             (2033-01) is after the horizon ends (2025-01), so it has no effect"
        ]
    );
}

#[test]
fn every_note_that_is_not_text_is_reported() {
    let e = errors(&with("seed = 7\n", "seed = 7\nnotes = [1, \"fine\", 2]\n"));
    assert_eq!(e.len(), 2, "{e:#?}");
    let line = line_of(
        &with("seed = 7\n", "seed = 7\nnotes = [1, \"fine\", 2]\n"),
        "notes",
    );
    assert!(
        e.iter()
            .all(|m| m.starts_with(&format!("test.toml:{line}:"))),
        "{e:#?}"
    );
}

#[test]
fn a_targets_threshold_and_deadline_errors_point_at_their_keys() {
    let text = with("at_most = 0.2\n", "at_most = 20\n");
    let e = one(&text);
    assert!(
        e.starts_with(&format!("test.toml:{}:", line_of(&text, "at_most = 20"))),
        "{e}"
    );
    assert!(e.contains("write 20% as 0.2"), "{e}");
    // A second target of the same name: the error is at its name.
    let text = with(
        "by = \"2024-12\"\n",
        "by = \"2024-12\"\n\n[[targets]]\nname = \"80:20\"\nmetric = \"vacancy_rate\"\n\
         at_most = 0.1\nby = \"2024-06\"\n",
    );
    let e = one(&text);
    let second_name = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("name = \"80:20\""))
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert!(e.starts_with(&format!("test.toml:{second_name}:")), "{e}");
    assert!(e.contains("defined twice"), "{e}");
}

#[test]
fn problems_are_listed_in_the_files_order() {
    // A bad grade (found while reading grades) after a bad target threshold in the file, and a
    // misspelt key before both.
    let text = with("seed = 7\n", "seed = 7\nreplicatons = 3\n")
        .replace("at_most = 0.2\n", "at_most = 20\n")
        .replace("permanent = 12\n", "permanent = -12\n");
    let e = errors(&text);
    let lines: Vec<usize> = e
        .iter()
        .map(|m| m.split(':').nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(lines.len() >= 2, "{e:#?}");
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{e:#?}");
}

#[test]
fn a_decimal_comma_is_told_to_take_a_point_not_to_drop_the_comma() {
    // Quoted, where a number or a distribution belongs.
    let e = one(&with(
        "fill_probability = 0.1\n",
        "fill_probability = \"0,1\"\n",
    ));
    assert!(
        e.ends_with("; 0,1 reads as a decimal comma: write 0.1, a number with a point"),
        "{e}"
    );
    // Unquoted: a syntax error with the same hint.
    let e = one(&with(
        "fill_probability = 0.1\n",
        "fill_probability = 0,1\n",
    ));
    assert!(e.contains("write 0.1, a number with a point"), "{e}");
    // Money with a thousands separator is still read as the number it means.
    let e = one(&with("salary = 36000\n", "salary = \"£36,000\"\n"));
    assert!(e.contains("write 36000"), "{e}");
}

#[test]
fn an_option_that_changes_only_behaviour_is_noted_as_leaving_out_its_own_cost() {
    let notes = |option: &str| {
        notes_about(
            &format!("{SMALL}\n[[options]]\nname = \"academy\"\n{option}\n"),
            "changes only how people behave",
        )
    };
    assert_eq!(
        notes(
            r#"set = { "grades[L3].leaving" = [0.27, 0.22, 0.18, 0.09], "posts[SW].fill_probability" = 0.12 }"#
        ),
        [
            "option `academy` changes only how people behave (grades[L3].leaving, \
             posts[SW].fill_probability) and pays no premium: its costs differ from the \
             baseline's only through the workforce it changes, and leave out what the option \
             itself costs (the scenario has no input for it: cost it beside the run)"
        ]
    );
    // A path's end is its input; a premium of nothing costs nothing.
    assert_eq!(
        notes(
            "set = { \"posts[SW].fill_probability\" = { from = 0.1, to = 0.2, over_months = 12 } }\n\
             premiums = [{ kind = \"market_supplement\", grades = [\"L3\"], amount = 0 }]"
        )
        .len(),
        1
    );
    // A cohort's cost is its workers' pay, which the run costs; a premium is costed too.
    assert!(notes(r#"set = { "intake.asye.size" = 5 }"#).is_empty());
    assert!(
        notes(
            "set = { \"grades[L3].leaving\" = [0.27, 0.22, 0.18, 0.09] }\n\
             premiums = [{ kind = \"market_supplement\", grades = [\"L3\"], amount = 1000 }]"
        )
        .is_empty()
    );
}
