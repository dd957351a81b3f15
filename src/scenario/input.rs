//! Reading an input file with a bound on its size: a device (`/dev/zero`) or a file far larger
//! than any input of its kind is refused with a clear error instead of exhausting the memory.

use std::io::Read;
use std::path::Path;

/// The bytes of the file at `path`, which may hold at most `most` bytes: the first `most + 1`
/// are read, so that an endless device is refused as soon as it passes the bound.
pub fn read_at_most(path: &Path, most: u64, what: &str) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(std::io::Error::other("it is a folder, not a file"));
    }
    let mut bytes = Vec::new();
    file.take(most + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > most {
        return Err(std::io::Error::other(format!(
            "it holds more than {} MB, far more than {what}",
            most / 1_000_000
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_whole_up_to_its_bound_and_refused_past_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, vec![b'x'; 2_000_000]).unwrap();
        assert_eq!(read_at_most(&p, 2_000_000, "any").unwrap().len(), 2_000_000);
        let e = read_at_most(&p, 1_999_999, "a scenario").unwrap_err();
        assert_eq!(
            e.to_string(),
            "it holds more than 1 MB, far more than a scenario"
        );
        let e = read_at_most(dir.path(), 10, "any").unwrap_err();
        assert_eq!(e.to_string(), "it is a folder, not a file");
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_is_refused_once_past_the_bound() {
        let e = read_at_most(Path::new("/dev/zero"), 1_000_000, "a census").unwrap_err();
        assert!(e.to_string().starts_with("it holds more than 1 MB"), "{e}");
    }
}
