//! `[intake.asye]` and `[[intake.pipelines]]`: newly qualified cohorts and grow-your-own
//! programmes.

use super::{opt_param, resolve};
use crate::scenario::param::{MONEY, RATE};
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
    r.finish(t);
    Some(AsyeIntake {
        within_establishment: within?,
        grade: grade?,
        month: month?,
        size: size?,
        sizes_by_year: by_year?,
    })
}
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
        month: month?,
        every_years: every?,
        first_year: first?,
        duration_months: duration?,
        completion_rate: completion?,
        join_rate: join?,
        cost_per_trainee: cost?,
    })
}
