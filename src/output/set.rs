//! A command's files written as one whole set, into a folder that may hold other people's files.
//!
//! A committee paper quotes one run: its `summary.json`, its charts and its report must come from
//! the same run, even when a run is killed, the disk fills, or two runs share a folder. So:
//!
//! - [`OutDir::open`] takes the folder's lock (`.wfsim.lock`, created exclusively), refusing while
//!   another live wfsim holds it, proves a file can be written there (under a name of its own),
//!   and finishes or discards what an interrupted run left;
//! - [`publish`] writes every file into a hidden staging folder inside it, marks the staging
//!   complete, then moves the files into place, removes the files of the previous set that the new
//!   set does not replace, and records the new set in `.wfsim-set`. A run killed before the mark
//!   leaves the previous set whole (the next run discards the staging); one killed after it has
//!   its moves finished by the next run. Files wfsim did not write are never touched.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{OutFile, WriteError, write_atomic};

/// The folder's lock, held from before the work starts until its files are written.
const LOCK: &str = ".wfsim.lock";
/// The files of the set in the folder, one relative path a line.
const MANIFEST: &str = ".wfsim-set";
/// Staging folders begin with this.
const STAGING: &str = ".wfsim-staging-";
/// In a staging folder: its files are complete and may be moved into place.
const COMPLETE: &str = ".complete";

fn err(path: &Path) -> impl Fn(io::Error) -> WriteError + '_ {
    move |source| WriteError {
        path: path.to_path_buf(),
        source,
    }
}

/// An output folder held for one command: its lock is released, and the folder removed if this
/// command created it and wrote nothing, when the guard is dropped.
#[derive(Debug)]
pub struct OutDir {
    dir: PathBuf,
    created: bool,
    /// Whether this guard holds the lock (so that a refused command leaves another's lock alone).
    locked: bool,
}

impl OutDir {
    /// Creates `dir` if needed, takes its lock, proves a file can be written there and recovers
    /// from an interrupted earlier run, before any work is done.
    pub fn open(dir: &Path) -> Result<OutDir, WriteError> {
        let created = !dir.exists();
        fs::create_dir_all(dir).map_err(err(dir))?;
        let mut guard = OutDir {
            dir: dir.to_path_buf(),
            created,
            locked: false,
        };
        guard.lock()?;
        guard.locked = true;
        let probe = dir.join(format!(".wfsim-write-test-{}", std::process::id()));
        fs::write(&probe, b"").map_err(err(dir))?;
        fs::remove_file(&probe).map_err(err(dir))?;
        recover(dir)?;
        Ok(guard)
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    fn lock(&self) -> Result<(), WriteError> {
        let path = self.dir.join(LOCK);
        for _ in 0..2 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    write!(f, "{}", std::process::id()).map_err(err(&path))?;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(&path).unwrap_or_default();
                    match holder.trim().parse::<u32>() {
                        Ok(pid) if !alive(pid) => {
                            // A run that no longer exists: its lock is stale.
                            let _ = fs::remove_file(&path);
                        }
                        _ => {
                            return Err(WriteError {
                                path: self.dir.clone(),
                                source: io::Error::other(format!(
                                    "another wfsim run (process {}) is writing to this folder; wait \
                                     for it to finish or give another --out (if no wfsim is running, \
                                     delete {})",
                                    holder.trim(),
                                    path.display()
                                )),
                            });
                        }
                    }
                }
                Err(e) => return Err(err(&path)(e)),
            }
        }
        Err(err(&path)(io::Error::other("cannot take the lock")))
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        if self.locked {
            let _ = fs::remove_file(self.dir.join(LOCK));
        }
        if self.created {
            // Only when empty: a failure before any file was written leaves nothing behind.
            let _ = fs::remove_dir(&self.dir);
        }
    }
}

/// Whether process `pid` is running. Where the system cannot say (no `/proc`), it is taken to be.
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// The set recorded in `dir`'s manifest (empty when there is none).
fn recorded(dir: &Path) -> BTreeSet<PathBuf> {
    fs::read_to_string(dir.join(MANIFEST))
        .unwrap_or_default()
        .lines()
        .map(PathBuf::from)
        .filter(|p| is_plain(p))
        .collect()
}

/// A relative path inside the folder: no `..`, no root.
fn is_plain(p: &Path) -> bool {
    !p.as_os_str().is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// Finishes or discards the staging folders an interrupted run left in `dir` (the lock is held).
fn recover(dir: &Path) -> Result<(), WriteError> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        if name.starts_with(STAGING) && path.is_dir() {
            if path.join(COMPLETE).exists() {
                commit(dir, &path)?;
            } else {
                fs::remove_dir_all(&path).map_err(err(&path))?;
            }
        } else if name.starts_with(".wfsim-write-test") || name.contains(".tmp-") {
            let _ = fs::remove_file(&path);
        }
    }
    Ok(())
}

/// Writes `files` into `dir` as one set (the caller holds the folder's [`OutDir`]); returns their
/// paths.
pub fn publish(dir: &Path, files: &[OutFile]) -> Result<Vec<PathBuf>, WriteError> {
    let staging = dir.join(format!("{STAGING}{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(err(&staging))?;
    }
    fs::create_dir_all(&staging).map_err(err(&staging))?;
    let result = (|| {
        for f in files {
            if !is_plain(&f.path) {
                return Err(err(&f.path)(io::Error::other(
                    "not a path inside the folder",
                )));
            }
            let path = staging.join(&f.path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(err(parent))?;
            }
            write_atomic(&path, |w| w.write_all(&f.bytes))?;
        }
        let list: String = files
            .iter()
            .map(|f| format!("{}\n", f.path.display()))
            .collect();
        write_atomic(&staging.join(MANIFEST), |w| w.write_all(list.as_bytes()))?;
        write_atomic(&staging.join(COMPLETE), |_| Ok(()))
    })();
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    commit(dir, &staging)?;
    Ok(files.iter().map(|f| dir.join(&f.path)).collect())
}

/// Moves a complete staging folder's files into place, removes the previous set's files the new
/// set does not replace, records the new set, and removes the staging folder. Safe to repeat after
/// an interruption at any point.
fn commit(dir: &Path, staging: &Path) -> Result<(), WriteError> {
    let new: BTreeSet<PathBuf> = fs::read_to_string(staging.join(MANIFEST))
        .map(|t| {
            t.lines()
                .map(PathBuf::from)
                .filter(|p| is_plain(p))
                .collect()
        })
        .unwrap_or_else(|_| recorded(dir));
    for rel in &new {
        let from = staging.join(rel);
        if from.exists() {
            let to = dir.join(rel);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(err(parent))?;
            }
            fs::rename(&from, &to).map_err(err(&to))?;
        }
    }
    if staging.join(MANIFEST).exists() {
        for rel in recorded(dir).difference(&new) {
            let old = dir.join(rel);
            if old.is_file() {
                fs::remove_file(&old).map_err(err(&old))?;
            }
            // A folder the old set alone used (charts/), once empty.
            if let Some(parent) = old.parent()
                && parent != dir
            {
                let _ = fs::remove_dir(parent);
            }
        }
        fs::rename(staging.join(MANIFEST), dir.join(MANIFEST)).map_err(err(dir))?;
    }
    fs::remove_dir_all(staging).map_err(err(staging))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutFile {
        OutFile {
            path: PathBuf::from(path),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = walk(dir)
            .into_iter()
            .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
            .collect();
        v.sort();
        v
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn a_new_set_replaces_the_old_and_leaves_other_files_alone() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("out");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("mine.txt"), "a user's file").unwrap();
        {
            let _g = OutDir::open(&dir).unwrap();
            publish(
                &dir,
                &[
                    file("a.csv", "1"),
                    file("report.html", "r"),
                    file("charts/x.svg", "x"),
                ],
            )
            .unwrap();
        }
        {
            let _g = OutDir::open(&dir).unwrap();
            publish(&dir, &[file("a.csv", "2")]).unwrap();
        }
        assert_eq!(names(&dir), [".wfsim-set", "a.csv", "mine.txt"]);
        assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "2");
        assert!(!dir.join("charts").exists());
    }

    #[test]
    fn a_second_run_is_refused_while_the_first_holds_the_folder() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("out");
        let first = OutDir::open(&dir).unwrap();
        let e = OutDir::open(&dir).unwrap_err();
        assert!(e.source.to_string().contains("another wfsim run"), "{e:?}");
        // The refusal left the first run's lock in place.
        assert!(OutDir::open(&dir).is_err());
        drop(first);
        assert!(OutDir::open(&dir).is_ok());
    }

    #[test]
    fn a_stale_lock_is_taken_over() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().to_path_buf();
        // No process has this id on Linux (pid_max is at most 2^22).
        fs::write(dir.join(LOCK), "4294967295").unwrap();
        if Path::new("/proc").is_dir() {
            assert!(OutDir::open(&dir).is_ok());
        }
    }

    #[test]
    fn an_interrupted_run_leaves_the_old_set_or_has_its_moves_finished() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().to_path_buf();
        {
            let _g = OutDir::open(&dir).unwrap();
            publish(&dir, &[file("a.csv", "old"), file("b.csv", "old")]).unwrap();
        }
        // Killed while staging: no mark, so the next run discards it and the old set stands.
        let s = dir.join(format!("{STAGING}1"));
        fs::create_dir_all(&s).unwrap();
        fs::write(s.join("a.csv"), "new").unwrap();
        drop(OutDir::open(&dir).unwrap());
        assert_eq!(names(&dir), [".wfsim-set", "a.csv", "b.csv"]);
        assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "old");
        // Killed after the mark, with one file moved: the next run finishes the set.
        let s = dir.join(format!("{STAGING}2"));
        fs::create_dir_all(&s).unwrap();
        fs::write(s.join("c.csv"), "new").unwrap();
        fs::write(s.join(MANIFEST), "a.csv\nc.csv\n").unwrap();
        fs::write(s.join(COMPLETE), "").unwrap();
        fs::write(dir.join("a.csv"), "new").unwrap();
        drop(OutDir::open(&dir).unwrap());
        assert_eq!(names(&dir), [".wfsim-set", "a.csv", "c.csv"]);
        assert_eq!(fs::read_to_string(dir.join("c.csv")).unwrap(), "new");
    }

    #[test]
    fn a_folder_made_for_a_command_that_wrote_nothing_is_removed() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("fresh");
        drop(OutDir::open(&dir).unwrap());
        assert!(!dir.exists());
    }
}
