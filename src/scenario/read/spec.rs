//! The part of a scenario an option may change (`Spec`): every section but `[scenario]`,
//! `[[targets]]` and `[[options]]`, each read by its own reader, and the checks across sections.

use std::collections::HashSet;

use super::agency::{read_agency, read_recruitment};
use super::caseload::read_caseload;
use super::costs::read_costs;
use super::grades::{check_progression_cycles, read_grade};
use super::intake::{read_asye, read_pipeline};
use super::posts::read_post;
use super::premiums::{check_premium_overlap, check_premium_rates, read_premiums};
use super::variation::read_variation;
use super::{name_of, names_of};
use crate::scenario::spanned::{self, Reader, Table};
use crate::scenario::{AsyeIntake, Grade, MAX_GRADES, Pipeline, Post, Spec};

/// Reads the part of a scenario an option may change.
pub(super) fn read_spec(r: &mut Reader, root: &mut Table) -> Option<Spec> {
    let grade_names = names_of(root, "grades");
    let post_names = names_of(root, "posts");
    let band_edges = read_bands(r, root);
    let nbands = band_edges.as_ref().map(|e| e.len() + 1);
    let grades = read_grades(r, root, &grade_names, &post_names, nbands);
    let mut posts = read_posts(r, root, &grade_names);
    if let (Some(grades), Some(posts)) = (&grades, &mut posts) {
        link_posts(r, root, grades, posts);
    } else {
        r.not_run.push("the checks between grades and post groups");
    }
    let (asye, pipelines) = read_intake(r, root, &grade_names);
    let (max_hires, cost_per_hire) = read_recruitment(r, root);
    let agency = read_agency(r, root);
    let costs = read_costs(r, root);
    let variation = read_variation(r, root);
    let caseload = read_caseload(r, root);
    if let (Some(v), Some(None)) = (&variation, &caseload)
        && v[crate::scenario::Factor::Cases].sd > 0.0
    {
        let span = table_key_span(root, "variation", "cases");
        r.error(
            &span,
            "variation.cases",
            "moves the cases the service holds, which this scenario does not state; add a [caseload] table with `cases`, or leave out variation.cases",
        );
    }
    // Cases with nobody to hold them: a caseload cannot be worked out.
    if let (Some(Some(_)), Some(grades), Some(a)) = (&caseload, &grades, &agency)
        && grades.iter().all(|g| g.caseload_weight.range().1 == 0.0)
        && a.caseload_weight.range().1 == 0.0
    {
        let span = table_key_span(root, "caseload", "cases");
        r.error(
            &span,
            "caseload.cases",
            "no one holds these cases: every grade's and agency's caseload_weight is 0, so a \
             caseload (cases per case-holding FTE) cannot be worked out; give the grades that \
             hold cases a caseload_weight above 0 (1, a full caseload, by default)",
        );
    }
    if let (Some(a), Some(posts)) = (&agency, &posts)
        && a.rules
            .as_ref()
            .is_none_or(|rules| rules.caps_from.is_none())
    {
        for (pi, p) in posts.iter().enumerate() {
            if p.agency_price_cap.is_some() {
                let span = post_key_span(root, pi, "agency_price_cap");
                r.error(
                    &span,
                    &p.agency_price_cap.as_ref().map_or(String::new(), |c| c.path.clone()),
                    "applies from the month the rules' caps do; add `caps_from` to [agency.rules], e.g. [agency.rules] from = \"2024-11\" and caps_from = \"2025-10\"",
                );
            }
        }
    }
    let mut premiums = Vec::new();
    if let Some(n) = root.get("premiums") {
        let spans = read_premiums(r, &n, &grade_names, &mut premiums);
        if let (Some(grades), Some(posts)) = (&grades, &posts) {
            check_premium_rates(r, grades, posts, &premiums, 0, &spans);
        }
    }
    let premiums_path = if root.path.is_empty() {
        "premiums".to_string()
    } else {
        format!("{}.premiums", root.path)
    };
    check_premium_overlap(
        r,
        &root
            .table
            .get("premiums")
            .map_or(root.span.clone(), |n| n.span()),
        &premiums_path,
        &premiums,
        &grade_names,
    );
    Some(Spec {
        band_edges: band_edges?,
        posts: posts?,
        grades: grades?,
        asye,
        pipelines,
        max_hires_per_month: max_hires?,
        cost_per_hire: cost_per_hire?,
        agency: agency?,
        costs: costs?,
        premiums,
        variation: variation?,
        caseload: caseload?,
    })
}

/// `[service]`: the upper edges of the length-of-service bands (default 12, 24 and 60 months).
fn read_bands(r: &mut Reader, root: &mut Table) -> Option<Vec<u32>> {
    let Some(n) = root.get("service") else {
        return Some(vec![12, 24, 60]);
    };
    let mut t = r.table(&n)?;
    let edges = t
        .require(
            r,
            "band_edges_months",
            "the upper edges of the service bands in months, e.g. [12, 24, 60]",
        )
        .and_then(|n| {
            let items = r.array(&n)?;
            let v = spanned::every(
                items
                    .iter()
                    .map(|i| r.integer_in(i, 1, 600).map(|x| x as u32)),
            );
            let v = v?;
            if v.is_empty() || v.windows(2).any(|w| w[0] >= w[1]) {
                r.node_error(
                    &n,
                    "band edges must be a non-empty list of increasing months, e.g. [12, 24, 60]",
                );
                return None;
            }
            Some(v)
        });
    r.finish(t);
    edges
}

/// `[[grades]]`, each read by `read_grade`, with the checks across grades (unique names and
/// metric names, no cycles of progression); `None` if any grade could not be read.
fn read_grades(
    r: &mut Reader,
    root: &mut Table,
    grade_names: &[String],
    post_names: &[String],
    nbands: Option<usize>,
) -> Option<Vec<Grade>> {
    let n = root.require(r, "grades", "an array of [[grades]] tables")?;
    let items = r.array(&n)?;
    if items.is_empty() {
        r.node_error(&n, "there must be at least one grade");
        return None;
    }
    if items.len() > MAX_GRADES {
        r.node_error(
            &n,
            format!(
                "there are {} grades; at most {MAX_GRADES} are allowed",
                items.len()
            ),
        );
        return None;
    }
    let mut grades = Vec::new();
    let mut ok = true;
    let mut seen = HashSet::new();
    for item in &items {
        if let Some(name) = name_of(item)
            && !seen.insert(name.clone())
        {
            r.node_error(
                item,
                format!("grade `{name}` is defined twice; grade names must be unique"),
            );
            ok = false;
            continue;
        }
        match read_grade(r, item, grade_names, post_names, nbands) {
            Some(g) => grades.push(g),
            None => ok = false,
        }
    }
    if !ok {
        r.not_run.push("the checks across grades");
        return None;
    }
    check_progression_cycles(r, &grades);
    let mut slugs = HashSet::new();
    for (gi, g) in grades.iter().enumerate() {
        if g.slug.is_empty() || !slugs.insert(g.slug.clone()) {
            let span = item_key_span(root, "grades", gi, "name");
            r.error(
                &span,
                &format!("grades[{}].name", g.name),
                format!(
                    "grade `{}` gives the metric name `fte_{}`, which is empty or used by another grade; rename it",
                    g.name, g.slug
                ),
            );
            ok = false;
        }
    }
    ok.then_some(grades)
}

/// `[[posts]]`, each read by `read_post`; `None` if any could not be read or two share a name.
fn read_posts(r: &mut Reader, root: &mut Table, grade_names: &[String]) -> Option<Vec<Post>> {
    let n = root.require(
        r,
        "posts",
        "an array of [[posts]] tables (establishment groups)",
    )?;
    let items = r.array(&n)?;
    if items.is_empty() {
        r.node_error(&n, "there must be at least one post group");
        return None;
    }
    let mut posts = Vec::new();
    let mut ok = true;
    let mut seen = HashSet::new();
    for item in &items {
        match read_post(r, item, grade_names) {
            Some(p) => {
                if !seen.insert(p.name.clone()) {
                    r.node_error(
                        item,
                        format!(
                            "post group `{}` is defined twice; names must be unique",
                            p.name
                        ),
                    );
                    ok = false;
                }
                posts.push(p);
            }
            None => ok = false,
        }
    }
    ok.then_some(posts)
}

/// Gives each post group its grades, and checks what ties grades and posts together: every
/// group is held by a grade, recruits join a grade of the group, promotion comes from another
/// group.
fn link_posts(r: &mut Reader, root: &Table, grades: &[Grade], posts: &mut [Post]) {
    for (gi, g) in grades.iter().enumerate() {
        posts[g.post].grades.push(gi);
    }
    for (pi, p) in posts.iter().enumerate() {
        if p.grades.is_empty() {
            r.error(
                &post_key_span(root, pi, "name"),
                &format!("posts[{}]", p.name),
                "no grade holds these posts; set `post` on at least one grade",
            );
        }
        for &(g, _) in &p.recruit {
            // A post group's index by its name: the first of that name.
            let first = posts.iter().position(|q| q.name == p.name).unwrap_or(pi);
            if grades[g].post != first {
                r.error(
                    &post_key_span(root, pi, "recruit"),
                    &format!("posts[{}].recruit", p.name),
                    format!(
                        "grade `{}` does not hold `{}` posts, so recruits cannot join as it",
                        grades[g].name, p.name
                    ),
                );
            }
        }
        if let Some(f) = p.promote_from
            && p.grades.contains(&f)
        {
            r.error(
                &post_key_span(root, pi, "promote_from"),
                &format!("posts[{}].promote_from", p.name),
                format!(
                    "`{}` already holds these posts; promotion must come from another post group",
                    grades[f].name
                ),
            );
        }
    }
    // Nothing to fill and no one to count: every share and rate would divide by nothing, and a
    // target such as 80:20 would read as met.
    let most = |x: &crate::scenario::param::Param| x.range().1;
    if !posts.is_empty()
        && posts.iter().all(|p| {
            most(&p.establishment) == 0.0 && p.agency_start == 0 && most(&p.agency_extra) == 0.0
        })
        && grades.iter().all(|g| g.permanent == 0)
    {
        r.error(
            &post_key_span(root, 0, "establishment"),
            &format!("posts[{}].establishment", posts[0].name),
            "every post group's establishment is 0, with no staff or agency workers: there is \
             nothing to simulate, and every share and rate would divide by nothing; state the \
             funded posts in FTE",
        );
    }
}

/// `[intake]`: the ASYE cohorts and the grow-your-own pipelines.
fn read_intake(
    r: &mut Reader,
    root: &mut Table,
    grade_names: &[String],
) -> (Option<AsyeIntake>, Vec<Pipeline>) {
    let mut asye = None;
    let mut pipelines = Vec::new();
    if let Some(n) = root.get("intake")
        && let Some(mut t) = r.table(&n)
    {
        if let Some(an) = t.get("asye") {
            asye = read_asye(r, &an, grade_names);
        }
        if let Some(pn) = t.get("pipelines")
            && let Some(items) = r.array(&pn)
        {
            for item in &items {
                if let Some(p) = read_pipeline(r, item, grade_names) {
                    // Paths select a programme by name (`intake.pipelines[Step Up].intake`).
                    if pipelines.iter().any(|q: &Pipeline| q.name == p.name) {
                        r.node_error(
                            item,
                            format!(
                                "programme `{}` is defined twice; programme names must be unique",
                                p.name
                            ),
                        );
                    }
                    pipelines.push(p);
                }
            }
        }
        r.finish(t);
    }
    (asye, pipelines)
}

/// Where key `key` of the `pi`th `[[posts]]` is written (the posts' own span, or the file's).
fn post_key_span(root: &Table, pi: usize, key: &str) -> std::ops::Range<usize> {
    item_key_span(root, "posts", pi, key)
}

/// Where the table `table` states `key`: its value's span, else the file's.
fn table_key_span(root: &Table, table: &str, key: &str) -> std::ops::Range<usize> {
    root.table
        .get(table)
        .and_then(|v| v.get_ref().as_table())
        .and_then(|t| t.get(key))
        .map_or(root.span.clone(), |c| c.span())
}

/// Where item `i` of the array of tables `array` states `key`: its value's span, else the
/// item's, else the array's, else the file's (a message points at the nearest).
fn item_key_span(root: &Table, array: &str, i: usize, key: &str) -> std::ops::Range<usize> {
    let Some(items) = root.table.get(array) else {
        return root.span.clone();
    };
    let Some(item) = items.get_ref().as_array().and_then(|a| a.get(i)) else {
        return items.span();
    };
    item.get_ref()
        .as_table()
        .and_then(|t| t.get(key))
        .map_or(item.span(), |c| c.span())
}
