//! `[[targets]]`: a metric at most or at least a value by a deadline.

use super::{Meta, read_month};
use crate::model::format;
use crate::model::metric::{self, Metric, Needs};
use crate::scenario::Spec;
use crate::scenario::spanned::{self, Reader, Table};
use crate::scenario::{MAX_MONTHS, Target};

/// Targets a scenario may have.
pub const MAX_TARGETS: usize = 50;

pub(super) fn read_targets(
    r: &mut Reader,
    root: &mut Table,
    meta: &Meta,
    slugs: &[String],
    base: &Spec,
) -> Vec<Target> {
    let mut out = Vec::new();
    let Some(n) = root.get("targets") else {
        return out;
    };
    let Some(items) = r.array(&n) else { return out };
    if items.len() > MAX_TARGETS {
        r.node_error(
            &n,
            format!("{} targets; at most {MAX_TARGETS} are allowed", items.len()),
        );
        return out;
    }
    let known: Vec<String> = metric::all(slugs.len())
        .iter()
        .filter(|m| base.states(m.info().needs))
        .map(|m| m.name(slugs))
        .collect();
    for item in &items {
        let Some(mut t) = r.table(item) else { continue };
        let name_node = t.require(r, "name", "the target's name");
        let name = name_node.as_ref().and_then(|n| r.name(n));
        let metric = t
            .require(r, "metric", "a metric name, e.g. agency_share")
            .and_then(|n| {
                let s = r.string(&n)?;
                match Metric::parse(&s, slugs) {
                    Some(m) if !base.states(m.info().needs) => {
                        let add = match m.info().needs {
                            Needs::AgencyFlows => "the agency flows or rules; add `leavers_to_agency` to [agency], or an [agency.rules] table",
                            _ => "the cases the service holds; add a [caseload] table with `cases`",
                        };
                        r.node_error(&n, format!("`{s}` needs {add} (see docs/scenario.md)"));
                        None
                    }
                    Some(m) => Some(m),
                    None => {
                        let k: Vec<&str> = known.iter().map(String::as_str).collect();
                        let hint = Metric::alias(&s)
                            .map(|m| m.info().name)
                            .or_else(|| spanned::closest(&s, &k))
                            .map(|x| format!("did you mean `{x}`? "))
                            .unwrap_or_default();
                        r.node_error(
                            &n,
                            format!("unknown metric `{s}`; {hint}allowed: {}", k.join(", ")),
                        );
                        None
                    }
                }
            });
        let (most, least) = (t.get("at_most"), t.get("at_least"));
        // The threshold's node, for the checks against its metric below.
        let threshold = most.as_ref().or(least.as_ref()).cloned();
        let bound = match (most, least) {
            (Some(n), None) => r.number(&n).map(|x| (true, x)),
            (None, Some(n)) => r.number(&n).map(|x| (false, x)),
            (Some(n), Some(_)) => {
                r.node_error(&n, "give either `at_most` or `at_least`, not both");
                None
            }
            (None, None) => {
                let (span, path) = (t.span.clone(), format!("{}.at_most", t.path));
                r.error(
                    &span,
                    &path,
                    "missing; required: `at_most` or `at_least` with the threshold",
                );
                None
            }
        };
        let by_node = t.require(r, "by", "the deadline month, \"YYYY-MM\"");
        let by = by_node.as_ref().and_then(|n| {
                let m = read_month(r, n)?;
                let idx = m.months_since(meta.start);
                // A deadline beyond the horizon is allowed: the run reports that target as
                // beyond the horizon (`Scenario::within`), so a short run need not drop it.
                if idx < 0 || idx > MAX_MONTHS as i32 {
                    r.node_error(
                        n,
                        format!(
                            "{m} is outside {} to {}: a deadline is from the start to at most {MAX_MONTHS} months after it",
                            meta.start,
                            meta.start.add_months(MAX_MONTHS as i32)
                        ),
                    );
                    return None;
                }
                Some((m, idx as usize))
            });
        t.get("note");
        r.finish(t);
        if let (Some(name), Some(metric), Some((at_most, value)), Some((by, month))) =
            (name, metric, bound, by)
        {
            if month < metric.first_month() {
                r.node_error(
                    by_node.as_ref().unwrap_or(item),
                    format!(
                        "`{}` is defined from month {}; the deadline {by} is month {month}",
                        metric.name(slugs),
                        metric.first_month()
                    ),
                );
                continue;
            }
            if metric.is_share() && !(0.0..=1.0).contains(&value) {
                r.node_error(threshold.as_ref().unwrap_or(item), format!("`{}` is a share from 0 to 1; the threshold {} can never be compared meaningfully (write 20% as 0.2)", metric.name(slugs), format::fmt_g(value)));
                continue;
            }
            if out.iter().any(|o: &Target| o.name == name) {
                r.node_error(
                    name_node.as_ref().unwrap_or(item),
                    format!("target `{name}` is defined twice"),
                );
                continue;
            }
            out.push(Target {
                name,
                metric,
                at_most,
                value,
                by,
                month,
            });
        }
    }
    out
}
