//! CSV dialect and header guesses from the start of the file, and column naming.

use std::collections::HashSet;

use crate::infer::classify;
use crate::report::{keys, Notice};

const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
/// Records of the sample used to judge a delimiter.
const SAMPLE_RECORDS: usize = 200;

fn field_counts(sample: &str, delimiter: u8) -> Vec<usize> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(sample.as_bytes());
    let mut counts: Vec<usize> = reader
        .records()
        .take(SAMPLE_RECORDS + 1)
        .map_while(Result::ok)
        .map(|r| r.len())
        .collect();
    // The sample may end inside a record.
    if counts.len() > 1 {
        counts.pop();
    }
    counts
}

/// The delimiter whose field count is most consistent across the sample's records
/// (then the one giving more fields); comma when none gives two or more fields.
pub(crate) fn sniff_delimiter(sample: &str) -> u8 {
    let mut best = (0usize, 0usize, b',');
    for d in CANDIDATES {
        let counts = field_counts(sample, d);
        // The most frequent field count, and how many records have it.
        let mut mode = (0usize, 0usize);
        for &c in &counts {
            let freq = counts.iter().filter(|&&x| x == c).count();
            if (freq, c) > (mode.1, mode.0) {
                mode = (c, freq);
            }
        }
        if mode.0 >= 2 && (mode.1, mode.0) > (best.0, best.1) {
            best = (mode.1, mode.0, d);
        }
    }
    best.2
}

/// The first row is data, not a header, when every non-empty cell in it is a
/// number, date, datetime or boolean (a header of only years is misread; rare).
pub(crate) fn looks_like_data<'a>(first_row: impl IntoIterator<Item = Option<&'a str>>) -> bool {
    let mut any = false;
    for cell in first_row.into_iter().flatten() {
        let v = cell.trim();
        if v.is_empty() {
            continue;
        }
        any = true;
        if classify(v).0 == 0 {
            return false;
        }
    }
    any
}

/// Header cells to unique, non-empty column names, with a warning per rename.
pub(crate) fn column_names<'a>(
    header: impl IntoIterator<Item = Option<&'a str>>,
    warnings: &mut Vec<Notice>,
) -> Vec<String> {
    let mut used = HashSet::new();
    let mut names = Vec::new();
    for (i, cell) in header.into_iter().enumerate() {
        let original = cell.unwrap_or("").trim();
        let mut name = if original.is_empty() {
            let generated = format!("column_{}", i + 1);
            warnings.push(Notice::new(
                keys::COLUMN_UNNAMED,
                &[("column", generated.clone())],
            ));
            generated
        } else {
            original.to_owned()
        };
        if used.contains(&name) {
            let base = name.clone();
            let mut n = 2;
            while used.contains(&format!("{base}_{n}")) {
                n += 1;
            }
            name = format!("{base}_{n}");
            warnings.push(Notice::new(
                keys::COLUMN_DUPLICATE,
                &[("column", name.clone()), ("original", base)],
            ));
        }
        used.insert(name.clone());
        names.push(name);
    }
    names
}

/// Names for a file without a header row.
pub(crate) fn generated_names(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("column_{i}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n4,5,6\n"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3\n4;5,2;6\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b\n1|2\n"), b'|');
        assert_eq!(sniff_delimiter("\"x, y\";b\n\"1,2\";3\n"), b';');
        assert_eq!(sniff_delimiter("one column\nvalue\n"), b',');
    }

    #[test]
    fn header_guess() {
        assert!(looks_like_data([
            Some("1"),
            Some("2.5"),
            None,
            Some("2020-01-01")
        ]));
        assert!(!looks_like_data([Some("id"), Some("2")]));
        assert!(!looks_like_data([None, Some(" ")]));
    }

    #[test]
    fn names() {
        let mut w = Vec::new();
        let n = column_names(
            [
                Some(" Mã TP "),
                Some(""),
                Some("a"),
                Some("a"),
                Some("a"),
                None,
            ],
            &mut w,
        );
        assert_eq!(n, ["Mã TP", "column_2", "a", "a_2", "a_3", "column_6"]);
        assert_eq!(w.len(), 4);
    }
}
