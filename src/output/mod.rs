//! Writing results: one exporter per file format behind one trait, every file made in memory
//! first and then written as one set.
//!
//! An exporter ([`Exporter`]) turns what a command produced into files: `wfsim run`'s data files,
//! workbook, charts and report from a [`Projection`], and the decision tools' files from their
//! results. Every file is made in memory (in parallel) before any is written, so a failure to make
//! one leaves the folder as it was; [`set`] then writes them as one whole set. The folder is locked
//! and checked for writing before any simulation starts.

pub mod backtest;
pub mod census;
pub mod chance;
pub mod charts;
pub mod check;
pub mod csv;
pub mod decide;
pub mod json;
pub mod provenance;
pub mod report;
pub mod set;
pub mod table;
pub mod xlsx;

pub use set::{OutDir, publish};

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::census::Published;
use crate::sim::run::Results;

/// What `wfsim run`'s files are made from: the results, and the census they are set against (with
/// `--census`).
#[derive(Clone, Copy)]
pub struct Projection<'a> {
    pub results: &'a Results,
    pub census: Option<&'a Published>,
}

impl<'a> Projection<'a> {
    /// Results with no census beside them.
    pub fn of(results: &'a Results) -> Projection<'a> {
        Projection {
            results,
            census: None,
        }
    }
}

/// One file made in memory, its path relative to the output folder.
#[derive(Clone, Debug)]
pub struct OutFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Makes the files of one output format from `T`: one file for most, several for charts.
pub trait Exporter<T: ?Sized>: Sync {
    fn files(&self, data: &T) -> Result<Vec<OutFile>, OutputError>;
}

/// One file called `name`, made by `fill`; a failure names the file.
pub fn one_file(
    name: &str,
    fill: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
) -> Result<Vec<OutFile>, OutputError> {
    let mut bytes = Vec::new();
    match fill(&mut bytes) {
        Ok(()) => Ok(vec![OutFile {
            path: PathBuf::from(name),
            bytes,
        }]),
        Err(source) => Err(WriteError {
            path: PathBuf::from(name),
            source,
        }
        .into()),
    }
}

/// Every exporter's files, made in memory in parallel, in exporter order. The first failure, in
/// exporter order, is returned.
pub fn render<T: Sync + ?Sized>(
    data: &T,
    exporters: &[&dyn Exporter<T>],
) -> Result<Vec<OutFile>, OutputError> {
    let made: Vec<Result<Vec<OutFile>, OutputError>> =
        exporters.par_iter().map(|e| e.files(data)).collect();
    let mut out = Vec::new();
    for files in made {
        out.extend(files?);
    }
    Ok(out)
}

#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}")]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
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

/// Failures while producing the outputs.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(transparent)]
    Chart(#[from] crate::output::charts::draw::ChartError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Writes everything `wfsim run` produces into `dir`: the data files, and unless `report` is false
/// the workbook, the charts (`charts/*.svg`, `charts/*.png`), `report.html` and `report.md`. The
/// files and charts are all made in memory first, the charts beside the data files and workbook
/// (which alone takes about as long as the rest), so a failure to make any of them leaves the
/// folder as it was.
pub fn write_run(dir: &Path, p: &Projection, report: bool) -> Result<Vec<PathBuf>, OutputError> {
    let mut exporters: Vec<&dyn Exporter<Projection>> = vec![
        &csv::TrajectoriesCsv,
        &csv::CostsCsv,
        &csv::ComparisonCsv,
        &csv::CensusCsv,
        &json::SummaryJson,
    ];
    if report {
        exporters.push(&xlsx::Workbook);
    }
    let (files, drawn) = rayon::join(
        || render(p, &exporters),
        || {
            if report {
                charts::draw_all(charts::figures(p))
            } else {
                Ok(Vec::new())
            }
        },
    );
    let mut files = files?;
    if report {
        let drawn = charts::Drawing {
            projection: *p,
            drawn: drawn?,
        };
        files.extend(render(
            &drawn,
            &[&charts::ChartFiles, &report::ReportHtml, &report::ReportMd],
        )?);
    }
    Ok(publish(dir, &files)?)
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
