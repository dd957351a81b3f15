//! The one progress bar, and Ctrl-C asking a run to stop.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use wfsim::sim::run::Progress;

/// The one progress-bar factory: hidden when quiet or when stderr is not a terminal, and shown only
/// once a run has taken more than a second.
pub struct Bar {
    bar: ProgressBar,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    shown: Mutex<bool>,
    started: Instant,
    enabled: bool,
}

impl Bar {
    /// Ctrl-C asks the run to stop between chunks; a second while it stops asks the same. If the
    /// handler cannot be installed, Ctrl-C still ends the process, and files are never
    /// half-written.
    pub fn install_ctrlc(&self) {
        let stop = self.stop.clone();
        let _ = ctrlc::set_handler(move || stop.store(true, std::sync::atomic::Ordering::SeqCst));
    }

    pub fn new(quiet: bool) -> Bar {
        Bar::with_unit(quiet, "replications")
    }

    /// A bar counting `unit` (e.g. "replications").
    pub fn with_unit(quiet: bool, unit: &str) -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{bar:40}} {{pos}}/{{len}} {unit}, {{eta}} left"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Bar {
            bar,
            stop: Default::default(),
            shown: Mutex::new(false),
            started: Instant::now(),
            enabled: !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
        }
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        self.bar.set_length(total);
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
        if self.enabled && self.started.elapsed() > Duration::from_secs(1) {
            let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
            if !*shown {
                self.bar.set_draw_target(ProgressDrawTarget::stderr());
                *shown = true;
            }
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }

    fn cancelled(&self) -> bool {
        self.stop.load(std::sync::atomic::Ordering::SeqCst)
    }
}
