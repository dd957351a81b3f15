//! A command's files written as one whole set, into a folder that may hold other people's files.
//!
//! A committee paper quotes one run: its `summary.json`, its charts and its report must come from
//! the same run, even when a run is killed, the disk fills, or two runs share a folder. So:
//!
//! - [`OutDir::open`] takes the folder's lock (`.wfsim.lock`, held with the system's file lock,
//!   which ends with its process), refusing while another live wfsim holds it and taking over,
//!   with a note, a lock whose run is gone or that names none; it proves a file can be written
//!   there (under a name of its own), and finishes or discards what an interrupted run left;
//! - [`publish`] makes the whole new folder beside the old one (`.<name>.wfsim-new`): the new
//!   set, its record `.wfsim-set`, and hard links to every other file in the folder, and then
//!   exchanges the two folders in one step (`renameat2(RENAME_EXCHANGE)` on Linux,
//!   `renameatx_np(RENAME_SWAP)` on macOS). A reader sees the whole old set or the whole new set,
//!   whenever the run is killed. Anything left in the old folder that the new one lacks (a file
//!   made during the switch) is moved into the new one just after the exchange; then the old
//!   folder is removed. A run killed after the exchange has this finished by the next run.
//! - Where the exchange is not available (another system, a file system that refuses it or hard
//!   links, an output folder that is a mount point or the current folder, whose parent cannot be
//!   written, or that holds folders of other people's or more than 1,000 of their files, as a
//!   home folder would), [`publish`] falls back to a staging folder inside the output folder: its files are
//!   written there, the staging is marked complete, and they are moved into place one by one,
//!   the previous set's other files removed and the new set recorded in `.wfsim-set`. A run
//!   killed before the mark leaves the previous set whole; one killed during the moves leaves a
//!   mix until the next run finishes them.
//!
//! Files wfsim did not write are never removed.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::{OutFile, WriteError, write_atomic};

/// The folder's lock, held from before the work starts until its files are written.
const LOCK: &str = ".wfsim.lock";
/// The files of the set in the folder, one relative path a line.
const MANIFEST: &str = ".wfsim-set";
/// Staging folders inside the output folder (the fallback) begin with this.
const STAGING: &str = ".wfsim-staging-";
/// In a staging folder: its files are complete and may be moved into place.
const COMPLETE: &str = ".complete";
/// In a new folder made beside the output folder: it was made to be exchanged. After the
/// exchange it is in the output folder until the old folder is cleared away.
const NEW_MARK: &str = ".wfsim-new";

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
    /// The lock file, open while this guard holds the lock (`None` for a refused command, which
    /// leaves another's lock alone).
    lock: Option<fs::File>,
    notes: Vec<String>,
}

impl OutDir {
    /// Creates `dir` if needed, takes its lock, proves a file can be written there and recovers
    /// from an interrupted earlier run, before any work is done.
    pub fn open(dir: &Path) -> Result<OutDir, WriteError> {
        // The file system's root holds the system itself: a run's files have no place there.
        if fs::canonicalize(dir).is_ok_and(|c| c.parent().is_none()) {
            return Err(WriteError {
                path: dir.to_path_buf(),
                source: io::Error::other(
                    "this is the root folder of the file system; give the results a folder of \
                     their own, e.g. --out results",
                ),
            });
        }
        let created = fs::symlink_metadata(dir).is_err();
        fs::create_dir_all(dir).map_err(err(dir))?;
        let mut guard = OutDir {
            dir: dir.to_path_buf(),
            created,
            lock: None,
            notes: Vec::new(),
        };
        let (file, note) = take_lock(dir)?;
        guard.lock = Some(file);
        guard.notes.extend(note);
        let probe = dir.join(format!(".wfsim-write-test-{}", std::process::id()));
        fs::write(&probe, b"").map_err(err(dir))?;
        fs::remove_file(&probe).map_err(err(dir))?;
        recover(dir)?;
        Ok(guard)
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// What the caller should tell the user: a lock taken over, say.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        if let Some(file) = self.lock.take() {
            // Removed while still held, then released (by closing the file).
            let _ = fs::remove_file(self.dir.join(LOCK));
            drop(file);
        }
        if self.created {
            // Only when empty: a failure before any file was written leaves nothing behind.
            let _ = fs::remove_dir(&self.dir);
        }
    }
}

/// What a lock file says of its run, for messages: `(process 123)`, or nothing.
fn holder(text: &str) -> String {
    match text.trim().parse::<u32>() {
        Ok(pid) => format!(" (process {pid})"),
        Err(_) => String::new(),
    }
}

fn refused(dir: &Path, text: &str) -> WriteError {
    WriteError {
        path: dir.to_path_buf(),
        source: io::Error::other(format!(
            "another wfsim run{} is writing to this folder; wait for it to finish or give another \
             --out (if no wfsim is running, delete {})",
            holder(text),
            dir.join(LOCK).display()
        )),
    }
}

/// The note for a lock taken over from a run that is gone.
fn took_over(dir: &Path, text: &str) -> String {
    match text.trim().parse::<u32>() {
        Ok(pid) => format!(
            "took over the lock of {}, left by a wfsim run (process {pid}) that is no longer running",
            dir.display()
        ),
        Err(_) => format!(
            "took over the lock of {}, which named no run (one stopped before it could write its \
             number, for example by a full disk)",
            dir.display()
        ),
    }
}

/// Takes `dir`'s lock: the file `.wfsim.lock`, locked with `flock`, which the system releases
/// when its process ends however it ends, holding the process's number for messages. A lock file
/// that nobody holds (its run was killed, or stopped before writing its number) is taken over
/// with a note.
#[cfg(unix)]
fn take_lock(dir: &Path) -> Result<(fs::File, Option<String>), WriteError> {
    use rustix::fs::{FlockOperation, flock};
    let path = dir.join(LOCK);
    for _ in 0..8 {
        let (mut file, existed) = match fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => (f, false),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                match fs::OpenOptions::new().read(true).write(true).open(&path) {
                    Ok(f) => (f, true),
                    // Removed by its run between the two opens: try again.
                    Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                    Err(e) => return Err(err(&path)(e)),
                }
            }
            Err(e) => return Err(err(&path)(e)),
        };
        let mut text = String::new();
        let _ = file.read_to_string(&mut text);
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(e) if e == rustix::io::Errno::WOULDBLOCK => return Err(refused(dir, &text)),
            // A file system without file locks: the number in the file decides.
            Err(_) => {
                if existed
                    && let Ok(pid) = text.trim().parse::<u32>()
                    && alive(pid)
                {
                    return Err(refused(dir, &text));
                }
            }
        }
        // The file may have been removed (and another made) by the run that held it while this
        // one waited to lock it: then this lock locks nothing.
        let same = match (file.metadata(), fs::metadata(&path)) {
            (Ok(a), Ok(b)) => same_file(&a, &b),
            _ => false,
        };
        if !same {
            continue;
        }
        if existed {
            // Re-read under the lock: the run before may have written its number since.
            text.clear();
            let _ = file.rewind();
            let _ = file.read_to_string(&mut text);
        }
        let note = existed.then(|| took_over(dir, &text));
        let written = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|_| write!(file, "{}", std::process::id()));
        if let Err(e) = written {
            // A full disk, say: the lock is given up, not left empty behind.
            let _ = fs::remove_file(&path);
            return Err(err(&path)(e));
        }
        return Ok((file, note));
    }
    Err(err(&path)(io::Error::other("cannot take the lock")))
}

/// Takes `dir`'s lock where the system has no `flock`: the file is created exclusively; one whose
/// process is gone, or that names none, is taken over with a note.
#[cfg(not(unix))]
fn take_lock(dir: &Path) -> Result<(fs::File, Option<String>), WriteError> {
    let path = dir.join(LOCK);
    let mut note = None;
    for _ in 0..2 {
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                write!(f, "{}", std::process::id()).map_err(err(&path))?;
                return Ok((f, note));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let text = fs::read_to_string(&path).unwrap_or_default();
                match text.trim().parse::<u32>() {
                    Ok(pid) if alive(pid) => return Err(refused(dir, &text)),
                    _ => {
                        note = Some(took_over(dir, &text));
                        let _ = fs::remove_file(&path);
                    }
                }
            }
            Err(e) => return Err(err(&path)(e)),
        }
    }
    Err(err(&path)(io::Error::other("cannot take the lock")))
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

/// A file of wfsim's own bookkeeping (lock, record, staging, marks, temporary files).
fn is_internal(name: &str) -> bool {
    name == LOCK
        || name == MANIFEST
        || name == NEW_MARK
        || name.starts_with(STAGING)
        || name.starts_with(".wfsim-write-test")
        || (name.starts_with('.') && name.contains(".tmp-"))
}

/// The folder made beside `dir` to be exchanged with it (and, after the exchange, the old folder
/// until it is cleared away); `None` where `dir` has no parent or its name is too long for one.
fn beside(dir: &Path) -> Option<PathBuf> {
    let name = dir.file_name()?.to_str()?;
    let staged = format!(".{name}.wfsim-new");
    (staged.len() <= 255).then(|| dir.with_file_name(staged))
}

/// Finishes or discards what an interrupted run left in `dir` (the lock is held).
fn recover(dir: &Path) -> Result<(), WriteError> {
    // The exchange: the old folder beside, still to clear (after the exchange the mark is in
    // `dir`); or a new folder never exchanged (its mark is still in it).
    if let Ok(real) = fs::canonicalize(dir)
        && let Some(other) = beside(&real)
    {
        if real.join(NEW_MARK).exists() {
            if other.is_dir() && !other.join(NEW_MARK).exists() {
                retire(&other, &real)?;
            }
            fs::remove_file(real.join(NEW_MARK)).map_err(err(&real))?;
        } else if other.join(NEW_MARK).is_file() {
            discard(&other).map_err(err(&other))?;
        } else if other.is_dir() {
            // Made, and killed before its mark was written (or after `discard` removed it): empty.
            let _ = fs::remove_dir(&other);
        }
    }
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

/// Where a test asks the process to stop as if killed: `WFSIM_TEST_ABORT_AT=<step>` aborts it
/// at that step of the switch. Only in debug builds (the tests'), never in a release build, so
/// that it cannot be set off by accident; docs/development.md lists the steps.
/// `WFSIM_TEST_INTERRUPT_AT=<step>` sends the process Ctrl-C's signal there instead, as a user
/// pressing Ctrl-C while the files are written.
fn crash_point(step: &str) {
    #[cfg(debug_assertions)]
    {
        if std::env::var("WFSIM_TEST_ABORT_AT").is_ok_and(|s| s == step) {
            std::process::abort();
        }
        #[cfg(unix)]
        if std::env::var("WFSIM_TEST_INTERRUPT_AT").is_ok_and(|s| s == step) {
            use rustix::process::{Signal, getpid, kill_process};
            let _ = kill_process(getpid(), Signal::INT);
            // Time for the handler's thread to see it.
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = step;
}

/// Whether a test asks for the fallback (`WFSIM_TEST_NO_EXCHANGE=1`, debug builds only).
fn exchange_refused_for_test() -> bool {
    cfg!(debug_assertions) && std::env::var("WFSIM_TEST_NO_EXCHANGE").is_ok_and(|s| s == "1")
}

/// Writes `files` into `dir` as one set (the caller holds the folder's [`OutDir`]); returns their
/// paths.
pub fn publish(dir: &Path, files: &[OutFile]) -> Result<Vec<PathBuf>, WriteError> {
    for f in files {
        if !is_plain(&f.path) {
            return Err(err(&f.path)(io::Error::other(
                "not a path inside the folder",
            )));
        }
    }
    in_the_way(dir, files)?;
    if !exchange(dir, files)? {
        by_moves(dir, files)?;
    }
    Ok(files.iter().map(|f| dir.join(&f.path)).collect())
}

/// Refuses, before anything in `dir` is changed, a set one of whose files has a folder (or a
/// link, or a device) of its name in `dir`, or one of whose folders (`charts/`) has a file of its
/// name: the switch would move someone's folder aside, or fail half done.
fn in_the_way(dir: &Path, files: &[OutFile]) -> Result<(), WriteError> {
    let set: BTreeSet<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    for rel in with_folders(&set) {
        let path = dir.join(&rel);
        let Ok(m) = fs::symlink_metadata(&path) else {
            continue;
        };
        let folder = !set.contains(&rel);
        let (fits, what) = if folder {
            (
                m.is_dir(),
                "a folder, and something else of that name is there",
            )
        } else {
            (
                m.is_file(),
                "a file, and a folder (or a link) of that name is there",
            )
        };
        if !fits {
            return Err(err(&path)(io::Error::other(format!(
                "wfsim writes {what}: move it, or give another --out; nothing was changed"
            ))));
        }
    }
    Ok(())
}

/// Exchanges the system can make in one step, and the errors that say this system or file system
/// cannot (so the moves one by one are used instead).
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn swap(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn swap(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// The set made whole beside `dir` and exchanged with it in one step. `Ok(false)` where that
/// cannot be done here (nothing is changed in `dir` then); errors are failures to write.
fn exchange(dir: &Path, files: &[OutFile]) -> Result<bool, WriteError> {
    if exchange_refused_for_test() {
        return Ok(false);
    }
    let Ok(real) = fs::canonicalize(dir) else {
        return Ok(false);
    };
    // Not the folder a user's shell is in (it would be left in the old folder, removed), and
    // not where the folder beside cannot be made.
    let here = std::env::current_dir().and_then(fs::canonicalize);
    let Some(staged) = beside(&real) else {
        return Ok(false);
    };
    if here.is_ok_and(|h| h == real) || fs::symlink_metadata(&staged).is_ok() {
        return Ok(false);
    }
    if fs::create_dir(&staged).is_err() {
        return Ok(false);
    }
    let made = (|| -> Result<bool, WriteError> {
        fs::write(staged.join(NEW_MARK), b"").map_err(err(&staged))?;
        if let Ok(m) = fs::metadata(&real) {
            let _ = fs::set_permissions(&staged, m.permissions());
        }
        for f in files {
            let path = staged.join(&f.path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(err(parent))?;
            }
            write_atomic(&path, |w| w.write_all(&f.bytes))?;
        }
        let list: String = files
            .iter()
            .map(|f| format!("{}\n", f.path.display()))
            .collect();
        write_atomic(&staged.join(MANIFEST), |w| w.write_all(list.as_bytes()))?;
        // Everything else in the folder comes along as a hard link (the same file, not a copy):
        // other people's files, and the lock, so that the folder stays locked after the exchange.
        // (A folder of theirs sends the switch to the fallback.)
        let old: BTreeSet<PathBuf> = recorded(&real);
        let new: BTreeSet<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
        let folders = with_folders(&old.union(&new).cloned().collect());
        if !carry(
            &real,
            &staged,
            Path::new(""),
            (&old, &new),
            &folders,
            &mut 0,
        ) {
            return Ok(false);
        }
        if real.join(LOCK).exists() {
            fs::hard_link(real.join(LOCK), staged.join(LOCK)).map_err(err(&staged))?;
        }
        Ok(true)
    })();
    match made {
        Ok(true) => {}
        other => {
            let _ = discard(&staged);
            return other;
        }
    }
    crash_point("staged");
    if swap(&staged, &real).is_err() {
        // Not available here: the folder is as it was.
        let _ = discard(&staged);
        return Ok(false);
    }
    crash_point("exchanged");
    retire(&staged, &real)?;
    let _ = fs::remove_file(real.join(NEW_MARK));
    Ok(true)
}

/// Removes a new folder made beside the output folder and never exchanged, its mark last, so
/// that a run killed while removing it leaves it marked (or empty) for the next run to finish.
fn discard(staged: &Path) -> io::Result<()> {
    for e in fs::read_dir(staged)?.flatten() {
        if e.file_name() == NEW_MARK {
            continue;
        }
        if e.file_type()?.is_dir() {
            fs::remove_dir_all(e.path())?;
        } else {
            fs::remove_file(e.path())?;
        }
    }
    match fs::remove_file(staged.join(NEW_MARK)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(staged)
}

/// Paths of `set` and every folder they are in.
fn with_folders(set: &BTreeSet<PathBuf>) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    for p in set {
        let mut q = p.as_path();
        out.insert(q.to_path_buf());
        while let Some(parent) = q.parent().filter(|p| !p.as_os_str().is_empty()) {
            out.insert(parent.to_path_buf());
            q = parent;
        }
    }
    out
}

/// The most files of other people's an output folder may hold for its switch to be an exchange
/// (each is linked into the new folder first).
const MOST_CARRIED: usize = 1000;

/// Hard-links into `to` every file under `from/rel` that is neither wfsim's bookkeeping nor in
/// the old or new set, going into the set's folders (`charts/`). `false`, so that the fallback is
/// used, where a link cannot be made, or where the folder holds a folder of other people's or more
/// than [`MOST_CARRIED`] of their files: a folder such as a home folder, which other programs
/// may be working in, is never exchanged. `carried` counts the files linked.
fn carry(
    from: &Path,
    to: &Path,
    rel: &Path,
    sets: (&BTreeSet<PathBuf>, &BTreeSet<PathBuf>),
    folders: &BTreeSet<PathBuf>,
    carried: &mut usize,
) -> bool {
    let Ok(entries) = fs::read_dir(from.join(rel)) else {
        return false;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let r = rel.join(&name);
        if rel.as_os_str().is_empty() && is_internal(&name.to_string_lossy()) {
            continue;
        }
        if sets.0.contains(&r) || sets.1.contains(&r) {
            continue;
        }
        let Ok(kind) = e.file_type() else {
            return false;
        };
        if kind.is_dir() {
            if !folders.contains(&r) || !carry(from, to, &r, sets, folders, carried) {
                return false;
            }
        } else {
            *carried += 1;
            if *carried > MOST_CARRIED
                || fs::create_dir_all(to.join(rel)).is_err()
                || fs::hard_link(from.join(&r), to.join(&r)).is_err()
            {
                return false;
            }
        }
    }
    true
}

/// Clears away the old folder `old` after the exchange: what is not in `dir` (other people's
/// folders, a file made during the switch) is moved into it, the rest removed. Safe to repeat.
fn retire(old: &Path, dir: &Path) -> Result<(), WriteError> {
    let sets: BTreeSet<PathBuf> = recorded(old).union(&recorded(dir)).cloned().collect();
    let folders = with_folders(&sets);
    retire_in(old, dir, Path::new(""), &sets, &folders)?;
    crash_point("retired");
    // The old set's record goes last: until then a repeat knows the old set's files from other
    // people's.
    match fs::remove_file(old.join(MANIFEST)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(err(old)(e)),
        _ => {}
    }
    // Anything that could not be moved back (a folder where the new folder has a file of the
    // same name, or the other way round) stays, and so does the old folder.
    let _ = fs::remove_dir(old);
    Ok(())
}

fn retire_in(
    old: &Path,
    dir: &Path,
    rel: &Path,
    sets: &BTreeSet<PathBuf>,
    folders: &BTreeSet<PathBuf>,
) -> Result<(), WriteError> {
    let Ok(entries) = fs::read_dir(old.join(rel)) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let r = rel.join(&name);
        let (from, to) = (old.join(&r), dir.join(&r));
        let Ok(meta) = fs::symlink_metadata(&from) else {
            continue;
        };
        let internal = rel.as_os_str().is_empty() && is_internal(&name.to_string_lossy());
        if internal && name == MANIFEST {
            continue;
        }
        if meta.is_dir() && folders.contains(&r) {
            retire_in(old, dir, &r, sets, folders)?;
            let _ = fs::remove_dir(&from);
        } else if internal || (!meta.is_dir() && sets.contains(&r)) {
            fs::remove_file(&from).map_err(err(&from))?;
            crash_point("retiring");
        } else {
            match fs::symlink_metadata(&to) {
                // The same file, linked before the exchange.
                Ok(m) if !meta.is_dir() && same_file(&m, &meta) => {
                    fs::remove_file(&from).map_err(err(&from))?;
                }
                // Saved anew (under the same name) after it was linked: the newer file wins.
                Ok(m) if !meta.is_dir() && !m.is_dir() => {
                    fs::rename(&from, &to).map_err(err(&to))?;
                }
                // A folder where a file is, or the other way round: left where it is.
                Ok(_) => {}
                Err(_) => {
                    if let Some(parent) = to.parent() {
                        fs::create_dir_all(parent).map_err(err(parent))?;
                    }
                    fs::rename(&from, &to).map_err(err(&to))?;
                }
            }
        }
    }
    Ok(())
}

/// Whether two entries are the same file (hard links to it).
#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    false
}

/// The fallback: files written into a staging folder inside `dir`, then moved into place one by
/// one.
fn by_moves(dir: &Path, files: &[OutFile]) -> Result<(), WriteError> {
    let staging = dir.join(format!("{STAGING}{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(err(&staging))?;
    }
    fs::create_dir_all(&staging).map_err(err(&staging))?;
    let result = (|| {
        for f in files {
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
    crash_point("staged");
    commit(dir, &staging)
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
            crash_point("moved-one");
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

    /// A run killed just after making the folder beside, before marking it, leaves it empty; the
    /// next run removes it and still switches by exchange. A file saved anew in the old folder
    /// during the switch (after it was linked) is kept, the newer version.
    #[cfg(target_os = "linux")]
    #[test]
    fn an_empty_folder_beside_is_cleared_and_a_file_saved_during_the_switch_kept() {
        use std::os::unix::fs::MetadataExt;
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("out");
        {
            let _g = OutDir::open(&dir).unwrap();
            publish(&dir, &[file("a.csv", "1")]).unwrap();
        }
        fs::create_dir(t.path().join(".out.wfsim-new")).unwrap();
        let before = fs::metadata(&dir).unwrap().ino();
        {
            let _g = OutDir::open(&dir).unwrap();
            publish(&dir, &[file("a.csv", "2")]).unwrap();
        }
        assert_ne!(fs::metadata(&dir).unwrap().ino(), before, "not exchanged");
        assert!(!t.path().join(".out.wfsim-new").exists());
        // The old folder as a kill after the exchange leaves it: the user's notes saved anew in
        // it (another file than the one linked into the new folder), and the new folder marked.
        fs::write(dir.join("notes.txt"), "old").unwrap();
        let old = t.path().join(".out.wfsim-new");
        fs::create_dir(&old).unwrap();
        fs::write(old.join("notes.txt"), "newer").unwrap();
        fs::write(old.join("b.csv"), "old set").unwrap();
        fs::write(old.join(MANIFEST), "b.csv\n").unwrap();
        fs::write(dir.join(NEW_MARK), "").unwrap();
        drop(OutDir::open(&dir).unwrap());
        assert!(!old.exists());
        assert_eq!(fs::read_to_string(dir.join("notes.txt")).unwrap(), "newer");
        assert_eq!(names(&dir), [".wfsim-set", "a.csv", "notes.txt"]);
    }

    #[test]
    fn a_folder_made_for_a_command_that_wrote_nothing_is_removed() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("fresh");
        drop(OutDir::open(&dir).unwrap());
        assert!(!dir.exists());
    }

    #[test]
    fn the_root_folder_is_refused_before_anything_is_written_there() {
        for root in ["/", "/tmp/.."] {
            let e = OutDir::open(Path::new(root)).unwrap_err();
            assert!(
                e.source
                    .to_string()
                    .starts_with("this is the root folder of the file system"),
                "{e}"
            );
        }
        assert!(!Path::new("/").join(LOCK).exists());
    }
}
