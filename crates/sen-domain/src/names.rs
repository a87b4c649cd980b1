//! URL names ("slugs") of datasets, organisations, topics and users, with CKAN's rules.

use crate::fold::fold;

pub const MIN_LEN: usize = 2;
pub const MAX_LEN: usize = 100;

/// Why a name was refused; the catalogue turns this into a translated field error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    TooShort,
    TooLong,
    BadCharacters,
}

/// CKAN's rule: 2–100 characters, lower-case ASCII letters, digits, `-` and `_`.
pub fn check(name: &str) -> Result<(), NameProblem> {
    if name.len() < MIN_LEN {
        return Err(NameProblem::TooShort);
    }
    if name.len() > MAX_LEN {
        return Err(NameProblem::TooLong);
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        return Err(NameProblem::BadCharacters);
    }
    Ok(())
}

/// A valid name made from a Vietnamese title: "Dân số Hà Nội 2024" → "dan-so-ha-noi-2024".
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in fold(title).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut s = out.trim_end_matches('-').to_string();
    s.truncate(MAX_LEN);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ckan_name_rules() {
        assert!(check("dan-so_2024").is_ok());
        assert_eq!(check("a"), Err(NameProblem::TooShort));
        assert_eq!(check("Dân-số"), Err(NameProblem::BadCharacters));
        assert_eq!(check("has space"), Err(NameProblem::BadCharacters));
        assert_eq!(check(&"a".repeat(101)), Err(NameProblem::TooLong));
    }

    #[test]
    fn slugs_from_vietnamese_titles() {
        assert_eq!(slugify("Dân số Hà Nội 2024"), "dan-so-ha-noi-2024");
        assert_eq!(
            slugify("  Đơn vị hành chính — GSO "),
            "don-vi-hanh-chinh-gso"
        );
        assert!(check(&slugify("Bộ Tài chính")).is_ok());
    }
}
