//! Decision tools built on the runner: a sweep of one input over a range (`sweep`), the value of an
//! input that meets a target with a stated probability (`solve`), and which inputs the answer hangs
//! on (`sensitivity`). They return data; `output::decide` writes and prints it.
//!
//! They take the scenario file parsed once (a [`Document`]), the scenario read from it, and the
//! run's settings checked once (`Settings`). Each value of an input is applied to a copy of the
//! parsed tree by key path and the scenario is read from it again, so a varied input is checked
//! exactly as if it were written in the file. Every value runs on the same random streams (same seed, same replication indices), so
//! differences between values are common-random-number comparisons, not noise between
//! independent runs.

pub mod sensitivity;
pub mod solve;
pub mod sweep;
pub mod vary;

pub use solve::{Constraint, Goal, Solution, solve};
pub use sweep::{Point, sweep};
pub use vary::Vary;

use crate::scenario::diag::ScenarioErrors;
use crate::scenario::{Document, Scenario};
use crate::sim::run::{self, Progress, Results, RunError, Settings};

/// Why a sweep or search could not run.
#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error(transparent)]
    Scenario(#[from] ScenarioErrors),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error("{0}")]
    Usage(String),
}
/// Checks once, before any value is tried, that the path names an input that can be varied; the
/// error names the nearest valid path.
fn check_path(doc: &Document, vary: &Vary) -> Result<(), DecideError> {
    doc.check_patch_path(&vary.path).map_err(|e| {
        // How to add the table, only where the file lacks it (not for a slip inside it).
        let hint = vary::missing_hint(&vary.path)
            .filter(|_| doc.by_index("intake.asye").is_none())
            .map_or(String::new(), |h| format!("; {h}"));
        DecideError::Usage(format!("--vary: {e}{hint}"))
    })
}
/// The option a sweep or search of `path` runs: `option` when given; otherwise the option whose
/// input `path` is (`options[NAME]...` or `options[INDEX]...`), since no other variant uses it;
/// otherwise the baseline (`None`). Varying one option's input while running another variant
/// would give the same results at every value, so that is an error.
pub fn option_to_run(
    s: &Scenario,
    path: &str,
    option: Option<&str>,
) -> Result<Option<String>, DecideError> {
    let named = crate::scenario::keypath::selects_from(path, "options").and_then(|sel| {
        let options = s.variants.get(1..).unwrap_or_default();
        match sel.parse::<usize>() {
            Ok(ix) => options.get(ix),
            Err(_) => options.iter().find(|v| v.name == sel),
        }
        .map(|v| v.name.clone())
    });
    match (named, option) {
        // A path that selects no option is reported by `check_path`, with the nearest name.
        (None, _) => Ok(option.map(str::to_string)),
        (Some(named), None) => Ok(Some(named)),
        (Some(named), Some(o)) if o == named => Ok(Some(named)),
        (Some(named), Some(o)) => Err(DecideError::Usage(format!(
            "--vary changes an input of option `{named}`, but --option {o} runs a variant that \
             does not use it, so every value would give the same results; leave out --option \
             (option `{named}` is then run) or give --option {named}"
        ))),
    }
}
/// An input to vary and the variant it is varied in, checked once against the scenario
/// ([`Varied::resolve`]): what `sweep` and `solve` take.
#[derive(Clone, Debug)]
pub struct Varied {
    vary: Vary,
    option: Option<String>,
}

impl Varied {
    /// Checks, before any value is tried, that `vary.path` names an input that can be varied
    /// and that varying it can change the results of the variant run, which it resolves
    /// ([`option_to_run`]); and whether the input takes whole numbers only, which a range of
    /// other numbers cannot give it.
    pub fn resolve(
        doc: &Document,
        s: &Scenario,
        vary: &Vary,
        option: Option<&str>,
    ) -> Result<Varied, DecideError> {
        let option = checked_option(doc, s, vary, option)?;
        let by_index = doc.by_index(&vary.path);
        let whole = by_index
            .as_ref()
            .is_some_and(|p| doc.whole_inputs(s).contains(p));
        // Paths compared by index: `posts[0]` is `posts[Social worker]`.
        let uncertain = s
            .variants
            .iter()
            .find(|v| v.name == option.as_deref().unwrap_or("baseline"))
            .is_some_and(|v| {
                v.spec.inputs().iter().any(|p| {
                    p.is_uncertain() && by_index.is_some() && doc.by_index(&p.path) == by_index
                })
            });
        if whole && !vary.ends_whole() {
            return Err(DecideError::Usage(format!(
                "--vary {}: this input takes whole numbers only, so FROM, TO and STEP must be \
                 whole numbers; found {}..{}{}",
                vary.path,
                vary.from,
                vary.to,
                vary.step.map_or(String::new(), |s| format!(":{s}"))
            )));
        }
        Ok(Varied {
            vary: Vary {
                whole_input: Some(whole),
                uncertain_input: uncertain,
                ..vary.clone()
            },
            option,
        })
    }

    /// The input and its range.
    pub fn vary(&self) -> &Vary {
        &self.vary
    }

    /// The option run (`None`: the baseline).
    pub fn option(&self) -> Option<&str> {
        self.option.as_deref()
    }
}

/// Checks that varying `vary.path` can change the results of the variant run, and returns that
/// variant ([`option_to_run`]). An input the option's own `set` replaces cannot: the option's
/// value wins at every value of the range.
fn checked_option(
    doc: &Document,
    s: &Scenario,
    vary: &Vary,
    option: Option<&str>,
) -> Result<Option<String>, DecideError> {
    check_path(doc, vary)?;
    let option = option_to_run(s, &vary.path, option)?;
    let name = option.as_deref().unwrap_or("baseline");
    if s.variants
        .iter()
        .any(|v| v.name == name && v.sets_input(&vary.path))
    {
        return Err(DecideError::Usage(format!(
            "--vary {}: option `{name}` sets this input itself (in its `set`), and its value wins \
             over the varied one, so every value would give the same results; vary it on the \
             baseline (leave out --option) instead",
            vary.path
        )));
    }
    Ok(option)
}
/// The scenario with `path` set to `x`, reduced to the variant named `option` (default: baseline).
pub fn scenario_at(
    doc: &Document,
    path: &str,
    x: f64,
    option: Option<&str>,
) -> Result<Scenario, DecideError> {
    let mut s = doc.read(&[(path.to_string(), x)])?;
    select(&mut s, option)?;
    Ok(s)
}
/// Keeps only the variant named `option` (the baseline when `None`).
pub fn select(s: &mut Scenario, option: Option<&str>) -> Result<(), DecideError> {
    let name = option.unwrap_or("baseline");
    let Some(i) = s.variants.iter().position(|v| v.name == name) else {
        let names: Vec<&str> = s.variants.iter().map(|v| v.name.as_str()).collect();
        let hint = crate::scenario::spanned::closest(name, &names)
            .map(|n| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        return Err(DecideError::Usage(format!(
            "there is no option `{name}` in {}; {hint}the options are: {}",
            s.file,
            names.join(", ")
        )));
    };
    let v = s.variants.swap_remove(i);
    s.variants = vec![v];
    Ok(())
}
/// Refuses target `name` of `s` when its deadline falls after a horizon of `months`, saying how
/// long to run (`flag` names where it was asked for, e.g. `--subject-to: `); a name that is not a
/// target is left to the caller, which lists the targets.
pub fn deadline_within(
    s: &Scenario,
    name: &str,
    months: u32,
    flag: &str,
) -> Result<(), DecideError> {
    match s.targets.iter().find(|t| t.name == name) {
        Some(t) if t.month > months as usize => Err(DecideError::Usage(format!(
            "{flag}target `{name}` (by {}) is beyond the horizon, which ends {}; run at least {} months",
            t.by,
            s.date(months as usize),
            t.month
        ))),
        _ => Ok(()),
    }
}
/// The scenario's targets whose deadline falls after a horizon of `months`, each as a note saying
/// it is not assessed, in `run`'s words (the notes [`Scenario::within`] adds after the scenario's
/// own): a sweep or search has no chance of meeting them to show.
pub fn unassessed(s: &Scenario, months: u32) -> Vec<String> {
    s.within(months)
        .map(|w| w.notes[s.notes.len()..].to_vec())
        .unwrap_or_default()
}
/// Progress of one run inside a larger job (sweep, solve, sensitivity): the job sets the total.
pub(crate) struct Within<'a>(pub(crate) &'a dyn Progress);
impl Progress for Within<'_> {
    fn advance(&self, n: u64) {
        self.0.advance(n);
    }
    fn cancelled(&self) -> bool {
        self.0.cancelled()
    }
}
/// Runs the scenario at one value of the input.
pub fn run_at(
    doc: &Document,
    path: &str,
    x: f64,
    option: Option<&str>,
    cfg: &Settings,
    progress: &dyn Progress,
) -> Result<Results, DecideError> {
    let s = scenario_at(doc, path, x, option)?;
    Ok(run::run_settled(&s, cfg, &Within(progress))?)
}
