//! `[intake.asye]` and `[[intake.pipelines]]`: newly qualified cohorts and grow-your-own
//! programmes.

use super::{distinct_grades, opt_param, optional, resolve};
use crate::scenario::param::{Allowed, MONEY, RATE};
use crate::scenario::spanned::{Node, Reader};
use crate::scenario::{AsyeIntake, Pipeline};

pub(super) fn read_asye(r: &mut Reader, n: &Node, grade_names: &[String]) -> Option<AsyeIntake> {
    let mut t = r.table(n)?;
    let grade = t
        .require(r, "grade", "the newly qualified grade cohorts join")
        .and_then(|n| resolve(r, &n, grade_names, "grade"));
    let month = t
        .require(r, "month", "the calendar month cohorts start, 1-12")
        .and_then(|n| r.integer_in(&n, 1, 12).map(|x| x as u32));
    let size = t
        .require(r, "size", "workers in each year's cohort")
        .and_then(|n| r.integer_in(&n, 0, 100_000).map(|x| x as u32));
    let by_year = match t.get("sizes_by_year") {
        Some(sn) => r.table(&sn).map(|st| {
            let mut v = Vec::new();
            for (k, val) in st.table.iter() {
                let node = Node {
                    value: val,
                    path: format!("{}.{}", st.path, k.get_ref()),
                };
                let year = k
                    .get_ref()
                    .parse::<i32>()
                    .ok()
                    .filter(|y| (1900..=2200).contains(y));
                let sz = r.integer_in(&node, 0, 100_000);
                match (year, sz) {
                    (Some(y), Some(s)) => v.push((y, s as u32)),
                    (None, _) => r.error(
                        &k.span(),
                        &node.path,
                        format!(
                            "`{}` is not a year; write years like \"2024\" = 15",
                            k.get_ref()
                        ),
                    ),
                    _ => {}
                }
            }
            v
        }),
        None => Some(Vec::new()),
    };
    let within = t
        .get("within_establishment")
        .map_or(Some(true), |n| r.boolean(&n));
    // An empty list is no supervisor grades, as leaving it out is.
    let supervisors =
        t.get("supervisor_grades")
            .map_or(Some(Vec::new()), |gn| match r.array(&gn) {
                None => None,
                Some(items) if items.is_empty() => Some(Vec::new()),
                Some(_) => distinct_grades(r, &gn, grade_names, "supervisor grade"),
            });
    let per_supervisor = optional(r, &mut t, "per_supervisor", PER_SUPERVISOR);
    let max_share = optional(r, &mut t, "max_share", RATE);
    let supply = optional(r, &mut t, "supply", SUPPLY);
    let stated_time = t.table.contains_key("supervision_time");
    let supervision_time = opt_param(r, &mut t, "supervision_time", TIME, 0.0);
    // Both count for each FTE of the supervisor grades, so they need them named.
    let needs = [
        ("per_supervisor", matches!(per_supervisor, Some(Some(_)))),
        ("supervision_time", stated_time),
    ];
    if let (Some(s), Some((key, _))) = (&supervisors, needs.iter().find(|(_, stated)| *stated))
        && s.is_empty()
    {
        let (span, path) = (t.span.clone(), format!("{}.supervisor_grades", t.path));
        r.error(
            &span,
            &path,
            format!("missing; `{key}` counts for each FTE of the grades that supervise newly qualified workers, e.g. supervisor_grades = [\"Level 3\"]"),
        );
    }
    t.get("note");
    r.finish(t);
    Some(AsyeIntake {
        supervisors: supervisors?,
        per_supervisor: per_supervisor?,
        max_share: max_share?,
        supply: supply?,
        supervision_time: supervision_time?,
        within_establishment: within?,
        grade: grade?,
        month: month?,
        size: size?,
        sizes_by_year: by_year?,
    })
}
/// Newly qualified workers for each supervisor FTE.
const PER_SUPERVISOR: Allowed = Allowed {
    lo: 0.0,
    hi: 100.0,
    what: "newly qualified workers for each supervisor FTE, from 0 to 100",
};

/// Newly qualified recruits a year.
const SUPPLY: Allowed = Allowed {
    lo: 0.0,
    hi: 100_000.0,
    what: "newly qualified recruits a year, from 0 to 100,000",
};

/// A supervisor's case-holding FTE for each worker supervised.
const TIME: Allowed = Allowed {
    lo: 0.0,
    hi: 1.0,
    what: "case-holding FTE a supervisor gives up for each newly qualified worker, from 0 to 1",
};

pub(super) fn read_pipeline(r: &mut Reader, n: &Node, grade_names: &[String]) -> Option<Pipeline> {
    let mut t = r.table(n)?;
    let name = t
        .require(r, "name", "the programme's name")
        .and_then(|n| r.name(&n));
    let grade = t
        .require(r, "grade", "the grade completers join as")
        .and_then(|n| resolve(r, &n, grade_names, "grade"));
    let intake = t
        .require(r, "intake", "trainees starting in each intake")
        .and_then(|n| r.integer_in(&n, 0, 100_000).map(|x| x as u32));
    let month = t
        .require(r, "month", "calendar month trainees start, 1-12")
        .and_then(|n| r.integer_in(&n, 1, 12).map(|x| x as u32));
    let every = t
        .get("every_years")
        .map_or(Some(1), |n| r.integer_in(&n, 1, 20).map(|x| x as u32));
    let first = t
        .require(r, "first_year", "the year of the first intake")
        .and_then(|n| r.integer_in(&n, 1900, 2200).map(|x| x as i32));
    let duration = t
        .require(r, "duration_months", "length of the programme in months")
        .and_then(|n| r.integer_in(&n, 1, 120).map(|x| x as u32));
    let completion = opt_param(r, &mut t, "completion_rate", RATE, 1.0);
    let join = opt_param(r, &mut t, "join_rate", RATE, 1.0);
    let cost = opt_param(r, &mut t, "cost_per_trainee", MONEY, 0.0);
    t.get("note");
    r.finish(t);
    Some(Pipeline {
        name: name?,
        grade: grade?,
        intake: intake?,
        // An option's is set to the baseline's once both are read (`read_options`).
        intake_at_start: intake?,
        month: month?,
        every_years: every?,
        first_year: first?,
        duration_months: duration?,
        completion_rate: completion?,
        join_rate: join?,
        cost_per_trainee: cost?,
    })
}
