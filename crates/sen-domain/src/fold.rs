//! Folding Vietnamese text for matching: NFC or NFD input alike, tone marks and
//! vowel marks removed, đ/Đ to d, lower case. "Hà Nội" and "HA NOI" fold the same.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Canonical composition (NFC): the same text typed on any keyboard compares equal.
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::fold;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn vietnamese_folds_to_ascii() {
        assert_eq!(fold("Hà Nội"), "ha noi");
        assert_eq!(fold("HÀ NỘI"), "ha noi");
        assert_eq!(fold(&"Hà Nội".nfd().collect::<String>()), "ha noi");
        assert_eq!(fold("Đà Nẵng"), "da nang");
        assert_eq!(fold("Thừa Thiên Huế"), "thua thien hue");
    }
}
