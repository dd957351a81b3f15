//! Writing results: one exporter per file format behind one trait, and atomic file replacement.
//!
//! Every file is written to a temporary name in the output folder and renamed into place only when
//! complete, so an interrupted run never leaves a half-written file and the previous results stay
//! whole. The folder is checked for writing before any simulation starts.

pub mod census;
pub mod charts;
pub mod check;
pub mod csv;
pub mod decide;
pub mod json;
pub mod report;
pub mod table;
pub mod xlsx;

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::sim::run::Results;

/// Writes one output file from the results. Exporters of one run are rendered in parallel.
pub trait Exporter: Sync {
    fn file_name(&self) -> &'static str;
    fn write(&self, results: &Results, out: &mut dyn Write) -> io::Result<()>;
}

/// The exporters `wfsim run` uses, in the order it writes them.
pub fn standard_exporters() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(csv::Trajectories),
        Box::new(csv::Costs),
        Box::new(csv::Comparison),
        Box::new(json::SummaryJson),
    ]
}

#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}")]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Creates `dir` if needed and proves a file can be written there, before any work is done.
pub fn prepare_dir(dir: &Path) -> Result<(), WriteError> {
    let err = |source| WriteError {
        path: dir.to_path_buf(),
        source,
    };
    fs::create_dir_all(dir).map_err(err)?;
    let probe = dir.join(".wfsim-write-test");
    fs::write(&probe, b"").map_err(err)?;
    fs::remove_file(&probe).map_err(err)
}

/// Writes `path` atomically: to a temporary file beside it, then renamed over it.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), WriteError> {
    let tmp = path.with_file_name(format!(
        ".{}.tmp-{}",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    let result = (|| {
        let file = fs::File::create(&tmp)?;
        let mut w = BufWriter::new(file);
        fill(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    result.map_err(|source| {
        let _ = fs::remove_file(&tmp);
        WriteError {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Every exporter's file, made in memory in parallel: `(path in dir, contents)` in exporter order.
/// The first failure, in exporter order, is returned.
fn render_all(
    dir: &Path,
    results: &Results,
    exporters: &[Box<dyn Exporter>],
) -> Result<Vec<(PathBuf, Vec<u8>)>, WriteError> {
    exporters
        .par_iter()
        .map(|e| {
            let path = dir.join(e.file_name());
            let mut bytes = Vec::new();
            match e.write(results, &mut bytes) {
                Ok(()) => Ok((path, bytes)),
                Err(source) => Err(WriteError { path, source }),
            }
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// Writes files made in memory, each atomically.
fn write_files(files: &[(PathBuf, Vec<u8>)]) -> Result<(), WriteError> {
    for (path, bytes) in files {
        write_atomic(path, |w| w.write_all(bytes))?;
    }
    Ok(())
}

/// Failures while producing the outputs.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(transparent)]
    Chart(#[from] crate::output::charts::draw::ChartError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Writes everything `wfsim run` produces into `dir`: the data files, and unless `report` is false
/// the charts (`charts/*.svg`, `charts/*.png`), `report.html`, `report.md` and `results.xlsx`.
/// The files and charts are all made in memory first, in parallel (the workbook alone takes about
/// as long as everything else), so a failure to make any of them leaves the folder as it was.
pub fn write_run(dir: &Path, results: &Results, report: bool) -> Result<Vec<PathBuf>, OutputError> {
    let mut exporters = standard_exporters();
    if report {
        exporters.push(Box::new(xlsx::Xlsx));
    }
    let (files, drawn) = rayon::join(
        || render_all(dir, results, &exporters),
        || {
            if report {
                charts::draw_all(charts::figures(results))
            } else {
                Ok(Vec::new())
            }
        },
    );
    let drawn = drawn?;
    let files = files?;
    write_files(&files)?;
    let mut written: Vec<PathBuf> = files.into_iter().map(|(path, _)| path).collect();
    if report {
        let figures: Vec<charts::Figure> = drawn.iter().map(|d| d.figure.clone()).collect();
        let blocks = report::document(results, &figures);
        written.extend(charts::write(dir, &drawn)?);
        let html = dir.join("report.html");
        write_atomic(&html, |w| {
            w.write_all(report::html(results, &blocks, &drawn).as_bytes())
        })?;
        let md = dir.join("report.md");
        write_atomic(&md, |w| {
            w.write_all(report::markdown(results, &blocks, &figures).as_bytes())
        })?;
        written.extend([html, md]);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_leaves_no_temporary_file_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        fs::write(&path, "old").unwrap();
        let r = write_atomic(&path, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("interrupted"))
        });
        assert!(r.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomic(&path, |w| w.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
    }
}
