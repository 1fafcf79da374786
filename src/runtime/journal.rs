//! Appends the deletion journal's JSON lines to its file (creating the folder and file),
//! flushed and synced before the deletion is reported done.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// Appends `lines` (one JSON record each) to the file at `path` in one write, then syncs it
/// to disk: a crash right after a deletion must not lose its record.
pub fn append_lines(path: &Path, lines: &[String]) -> io::Result<()> {
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
    file.write_all(text.as_bytes())?;
    file.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_appended_to_a_new_file_in_a_new_folder() {
        let dir = std::env::temp_dir().join(format!("stepdeck-journal-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let path = dir.join("nested").join("deletions.jsonl");
        append_lines(&path, &["{\"a\":1}".into()]).unwrap();
        append_lines(&path, &["{\"b\":2}".into(), "{\"c\":3}".into()]).unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
