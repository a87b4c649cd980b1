//! Synonyms an operator can edit: groups of phrases that mean the same, one
//! group a line, phrases separated by commas. A query containing one phrase of
//! a group also matches the others ("tp hcm" finds "Thành phố Hồ Chí Minh").

use crate::fold;

/// The groups Sen starts with; an operator's file adds to them.
pub const DEFAULT_SYNONYMS: &str = include_str!("../synonyms.txt");

#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// Each group as folded phrases, each phrase as its words.
    groups: Vec<Vec<Vec<String>>>,
}

impl Synonyms {
    /// Parses the text format; blank lines and lines starting with `#` are skipped.
    pub fn parse(text: &str) -> Self {
        let groups = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                l.split(',')
                    .map(|p| words(&fold(p)))
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|g| g.len() > 1)
            .collect();
        Self { groups }
    }

    pub fn defaults() -> Self {
        Self::parse(DEFAULT_SYNONYMS)
    }

    /// The defaults plus an operator's groups.
    pub fn with_extra(text: &str) -> Self {
        let mut s = Self::defaults();
        s.groups.extend(Self::parse(text).groups);
        s
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// For folded query words, the alternative phrases of every synonym phrase
    /// found in them: (start, length in words, alternatives).
    pub fn expansions(&self, query: &[String]) -> Vec<(usize, usize, Vec<Vec<String>>)> {
        let mut out = Vec::new();
        for group in &self.groups {
            for phrase in group {
                let n = phrase.len();
                if n == 0 || n > query.len() {
                    continue;
                }
                for start in 0..=query.len() - n {
                    if query[start..start + n] == phrase[..] {
                        let alternatives = group.iter().filter(|p| *p != phrase).cloned().collect();
                        out.push((start, n, alternatives));
                    }
                }
            }
        }
        out
    }
}

pub fn words(folded: &str) -> Vec<String> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_expand_both_ways() {
        let s = Synonyms::parse("# comment\ntp hcm, Thành phố Hồ Chí Minh, Sài Gòn\n\nsingle\n");
        assert_eq!(s.len(), 1);
        let q = words("dan so tp hcm");
        let e = s.expansions(&q);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].0, 2);
        assert_eq!(e[0].2[0], words("thanh pho ho chi minh"));
        let back = s.expansions(&words("sai gon"));
        assert_eq!(back[0].2.len(), 2);
    }

    #[test]
    fn defaults_parse() {
        assert!(Synonyms::defaults().len() >= 10);
    }
}
