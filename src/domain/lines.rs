//! Byte offset → 1-based line number for the files the console reads (settings, keymap), in
//! O(log n) per lookup: the readers report every problem with its line, and rescanning the text
//! from the start for each one made loading quadratic in the file's size.

/// The start offsets of a text's lines, computed once.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of each line's first byte; `starts[0] == 0`.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let newlines = text.bytes().enumerate().filter(|&(_, b)| b == b'\n');
        let starts = std::iter::once(0).chain(newlines.map(|(i, _)| i + 1));
        LineIndex {
            starts: starts.collect(),
        }
    }

    /// The 1-based line holding byte `offset` (an offset past the end is on the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        // Lines whose start is at or before the offset; `starts[0] == 0` makes it at least 1.
        self.starts.partition_point(|&start| start <= offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_their_lines() {
        let index = LineIndex::new("a\nb\nc");
        let lines: Vec<usize> = (0..7).map(|o| index.line_of(o)).collect();
        // a=0 \n=1 | b=2 \n=3 | c=4, then past the end.
        assert_eq!(lines, [1, 1, 2, 2, 3, 3, 3]);
    }

    #[test]
    fn a_trailing_newline_starts_an_empty_last_line() {
        let index = LineIndex::new("x\n");
        assert_eq!(index.line_of(1), 1);
        assert_eq!(index.line_of(2), 2);
        assert_eq!(LineIndex::new("").line_of(0), 1);
    }
}
