//! Appends the deletion journal's JSON lines to its file (creating the folder and file),
//! flushed and synced before the deletion is reported done.

use std::fs::{self, OpenOptions};
use std::io::{self, Seek, Write};
use std::path::Path;

/// Appends `lines` (one JSON record each) to the file at `path` in one write, then syncs it
/// to disk: a crash right after a deletion must not lose its record. Returns the byte offset
/// the lines begin at (for the store's index of the journal).
pub fn append_lines(path: &Path, lines: &[String]) -> io::Result<u64> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        fs::create_dir_all(dir)?;
    }
    let mut text = String::new();
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    // One write in append mode lands whole at the end, even with another console appending:
    // where the file's end is after it, less its length, is where it began.
    file.write_all(text.as_bytes())?;
    let end = file.stream_position()?;
    file.sync_data()?;
    Ok(end.saturating_sub(text.len() as u64))
}

/// Whether lines could be appended at `path`, without writing anything: the file opens for
/// appending, or (not there yet) its nearest existing folder is writable. Checked at start so
/// that a deletion is refused up front rather than done without a record.
pub fn check_writable(path: &Path) -> Result<(), String> {
    let shown = path.display();
    if path.is_dir() {
        return Err(format!("{shown} is a folder"));
    }
    if path.exists() {
        return OpenOptions::new()
            .append(true)
            .open(path)
            .map(drop)
            .map_err(|e| format!("{shown}: {e}"));
    }
    let mut ancestor = path.parent();
    while let Some(dir) = ancestor {
        if dir.as_os_str().is_empty() {
            ancestor = Some(Path::new("."));
            continue;
        }
        if dir.exists() {
            if !dir.is_dir() {
                return Err(format!("{shown}: {} is not a folder", dir.display()));
            }
            return writable_dir(dir).map_err(|e| format!("{shown}: {}: {e}", dir.display()));
        }
        ancestor = dir.parent();
    }
    Ok(())
}

fn writable_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path holds a NUL byte"))?;
    // SAFETY: `c_path` is a valid NUL-terminated string that outlives the call.
    let status = unsafe { libc::access(c_path.as_ptr(), libc::W_OK | libc::X_OK) };
    if status == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writability_is_checked_without_writing() {
        let dir =
            std::env::temp_dir().join(format!("stepdeck-journal-check-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let path = dir.join("a").join("deletions.jsonl");
        assert_eq!(check_writable(&path), Ok(()));
        assert!(!dir.exists(), "the check creates nothing");
        let under_a_file = Path::new("/dev/null/deletions.jsonl");
        let error = check_writable(under_a_file).unwrap_err();
        assert!(error.contains("/dev/null is not a folder"), "{error}");
        assert!(
            check_writable(Path::new("/tmp"))
                .unwrap_err()
                .contains("is a folder")
        );
    }

    #[test]
    fn lines_are_appended_to_a_new_file_in_a_new_folder() {
        let dir = std::env::temp_dir().join(format!("stepdeck-journal-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let path = dir.join("nested").join("deletions.jsonl");
        assert_eq!(append_lines(&path, &["{\"a\":1}".into()]).unwrap(), 0);
        // The second write begins after the first line and its newline.
        assert_eq!(
            append_lines(&path, &["{\"b\":2}".into(), "{\"c\":3}".into()]).unwrap(),
            8
        );
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
