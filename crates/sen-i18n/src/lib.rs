//! Sen's translated messages.
//!
//! Vietnamese is the primary language and English is complete. The messages
//! live in Fluent files (`locales/vi/main.ftl`, `locales/en/main.ftl`) that
//! are embedded in the binary; the bundles are parsed once, on first use, and
//! shared between threads.
//!
//! ```
//! use sen_i18n::{negotiate, t, Lang};
//!
//! let lang = negotiate(Some("en-US,en;q=0.9,vi;q=0.8"));
//! assert_eq!(lang, Lang::En);
//! assert_eq!(
//!     t(lang, "error-not-allowed-action", &[("action", "delete this dataset".into())]),
//!     "You are not allowed to delete this dataset."
//! );
//! ```

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};
use unic_langid::{langid, LanguageIdentifier};

const VI_FTL: &str = include_str!("../locales/vi/main.ftl");
const EN_FTL: &str = include_str!("../locales/en/main.ftl");

/// A language Sen is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Vietnamese (the default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Every supported language, the default first.
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The language's BCP 47 code: `"vi"` or `"en"`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Parses a language tag such as `vi`, `vi-VN`, `en`, `en-US` or
    /// `en_GB` (case-insensitive). Region and other subtags are accepted but
    /// ignored; anything that is not a well-formed tag for Vietnamese or
    /// English gives `None`.
    pub fn parse(tag: &str) -> Option<Lang> {
        let mut parts = tag.trim().split(['-', '_']);
        let lang = match parts.next()? {
            p if p.eq_ignore_ascii_case("vi") => Lang::Vi,
            p if p.eq_ignore_ascii_case("en") => Lang::En,
            _ => return None,
        };
        parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then_some(lang)
    }

    fn index(self) -> usize {
        match self {
            Lang::Vi => 0,
            Lang::En => 1,
        }
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::Vi => langid!("vi"),
            Lang::En => langid!("en"),
        }
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Vi => VI_FTL,
            Lang::En => EN_FTL,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Picks the best supported language for an HTTP `Accept-Language` header.
///
/// Quality values (`q=`) are honoured, `q=0` excludes a language, and `*`
/// stands for any language not named explicitly. Among equally preferred
/// languages the one listed first wins. Without a usable header the answer
/// is Vietnamese.
pub fn negotiate(accept_language: Option<&str>) -> Lang {
    let Some(header) = accept_language else {
        return Lang::default();
    };

    // Best (quality, position) per language from explicit ranges, and the
    // wildcard's (quality, position) if present.
    let mut explicit: [Option<(f32, usize)>; 2] = [None, None];
    let mut wildcard: Option<(f32, usize)> = None;

    for (pos, item) in header.split(',').enumerate() {
        let mut fields = item.split(';');
        let range = fields.next().unwrap_or("").trim();
        if range.is_empty() {
            continue;
        }
        let mut quality = 1.0_f32;
        let mut valid = true;
        for param in fields {
            let Some((name, value)) = param.split_once('=') else {
                valid = false;
                break;
            };
            if name.trim().eq_ignore_ascii_case("q") {
                match parse_quality(value.trim()) {
                    Some(q) => quality = q,
                    None => {
                        valid = false;
                        break;
                    }
                }
            }
        }
        if !valid {
            continue;
        }
        let slot = if range == "*" {
            &mut wildcard
        } else if let Some(lang) = Lang::parse(range) {
            &mut explicit[lang.index()]
        } else {
            continue;
        };
        match slot {
            Some((best, _)) if *best >= quality => {}
            _ => *slot = Some((quality, pos)),
        }
    }

    let mut chosen: Option<(Lang, f32, usize)> = None;
    for lang in Lang::ALL {
        let Some((q, pos)) = explicit[lang.index()].or(wildcard) else {
            continue;
        };
        if q <= 0.0 {
            continue;
        }
        let better = match chosen {
            None => true,
            Some((_, best_q, best_pos)) => q > best_q || (q == best_q && pos < best_pos),
        };
        if better {
            chosen = Some((lang, q, pos));
        }
    }
    chosen.map_or_else(Lang::default, |(lang, _, _)| lang)
}

/// Parses a quality value: `0`–`1` with at most three decimals (RFC 9110).
fn parse_quality(s: &str) -> Option<f32> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.len() != 1
        || frac.len() > 3
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let q: f32 = s.parse().ok()?;
    (0.0..=1.0).contains(&q).then_some(q)
}

/// One language's parsed messages.
struct Catalog {
    bundle: FluentBundle<FluentResource>,
    keys: Vec<String>,
}

impl Catalog {
    fn build(lang: Lang) -> Catalog {
        let source = lang.source();
        let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(_, errors)| {
            panic!(
                "locales/{}/main.ftl has syntax errors: {errors:?}",
                lang.code()
            )
        });
        let mut bundle = FluentBundle::new_concurrent(vec![lang.langid()]);
        bundle.set_use_isolating(false);
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("locales/{}/main.ftl: {errors:?}", lang.code()));
        let keys = message_ids(source)
            .filter(|id| bundle.has_message(id))
            .map(str::to_owned)
            .collect();
        Catalog { bundle, keys }
    }

    /// Formats `key`, or `None` if this catalog has no such message.
    fn format(&self, key: &str, args: &[(&str, String)]) -> Option<(String, Vec<FluentError>)> {
        let pattern = self.bundle.get_message(key)?.value()?;
        let mut errors = Vec::new();
        let text = if args.is_empty() {
            self.bundle.format_pattern(pattern, None, &mut errors)
        } else {
            let mut fluent_args = FluentArgs::with_capacity(args.len());
            for (name, value) in args {
                fluent_args.set(*name, to_fluent_value(value));
            }
            self.bundle
                .format_pattern(pattern, Some(&fluent_args), &mut errors)
        };
        Some((text.into_owned(), errors))
    }
}

/// Plain integers become Fluent numbers (so plural selection works);
/// everything else stays a string and is shown exactly as given.
fn to_fluent_value(value: &str) -> FluentValue<'_> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let plain_integer = !digits.is_empty()
        && digits.len() <= 15
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if plain_integer {
        FluentValue::try_number(value)
    } else {
        FluentValue::String(Cow::Borrowed(value))
    }
}

/// Ids of the messages defined in a Fluent source, in file order. Every
/// message starts at the beginning of a line with a letter (comments start
/// with `#`, terms with `-`, continuation lines with white space).
fn message_ids(source: &str) -> impl Iterator<Item = &str> {
    source.lines().filter_map(|line| {
        if !line.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let (id, _) = line.split_once('=')?;
        Some(id.trim_end())
    })
}

fn catalog(lang: Lang) -> &'static Catalog {
    static CATALOGS: OnceLock<[Catalog; 2]> = OnceLock::new();
    &CATALOGS.get_or_init(|| Lang::ALL.map(Catalog::build))[lang.index()]
}

/// Formats the message `key` in `lang` with named arguments.
///
/// A message missing in `lang` is taken from English; a message missing in
/// English too is returned as the key itself. Arguments that look like plain
/// integers are treated as numbers, all others as text.
pub fn t(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    if let Some((text, _)) = catalog(lang).format(key, args) {
        return text;
    }
    if lang != Lang::En {
        if let Some((text, _)) = catalog(Lang::En).format(key, args) {
            return text;
        }
    }
    key.to_owned()
}

/// The ids of all messages defined for `lang`, in file order.
pub fn keys(lang: Lang) -> Vec<String> {
    catalog(lang).keys.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The `$variables` a message uses, read from the Fluent source.
    fn variables(lang: Lang, key: &str) -> BTreeSet<String> {
        let source = lang.source();
        let mut lines = source
            .lines()
            .skip_while(|line| message_ids(line).next().is_none_or(|id| id != key));
        let mut body = String::from(lines.next().expect("message exists"));
        // A message goes on over indented lines, blank lines between them included.
        for line in lines {
            if !line.starts_with(' ') && !line.trim().is_empty() {
                break;
            }
            body.push_str(line);
        }
        let mut vars = BTreeSet::new();
        let mut rest = body.as_str();
        while let Some(i) = rest.find('$') {
            rest = &rest[i + 1..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len());
            vars.insert(rest[..end].to_owned());
            rest = &rest[end..];
        }
        vars
    }

    fn sample_value(var: &str) -> String {
        match var {
            "min" => "2".into(),
            "max" => "100".into(),
            "limit" => "100 MB".into(),
            "action" => "package_delete".into(),
            "what" => "dataset".into(),
            "detail" => "expected value at line 1 column 1".into(),
            "choices" => "open, shared, internal".into(),
            "value" => "gia-ca-thi-truong".into(),
            other => format!("<{other}>"),
        }
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let vi = keys(Lang::Vi);
        let en = keys(Lang::En);
        assert!(!vi.is_empty());
        let vi_set: BTreeSet<_> = vi.iter().cloned().collect();
        let en_set: BTreeSet<_> = en.iter().cloned().collect();
        assert_eq!(vi_set.len(), vi.len(), "duplicate key in vi");
        assert_eq!(en_set.len(), en.len(), "duplicate key in en");
        let only_vi: Vec<_> = vi_set.difference(&en_set).collect();
        let only_en: Vec<_> = en_set.difference(&vi_set).collect();
        assert!(only_vi.is_empty(), "keys only in vi: {only_vi:?}");
        assert!(only_en.is_empty(), "keys only in en: {only_en:?}");
    }

    #[test]
    fn keys_are_all_messages_in_the_files() {
        // Every line that defines a message was recognised by the bundle.
        for lang in Lang::ALL {
            assert_eq!(
                message_ids(lang.source()).count(),
                keys(lang).len(),
                "{lang}"
            );
        }
        assert!(keys(Lang::Vi).contains(&"error-internal".to_owned()));
        assert!(keys(Lang::En).contains(&"field-expires".to_owned()));
    }

    #[test]
    fn both_languages_use_the_same_arguments() {
        for key in keys(Lang::Vi) {
            assert_eq!(
                variables(Lang::Vi, &key),
                variables(Lang::En, &key),
                "arguments of {key}"
            );
        }
    }

    #[test]
    fn every_message_formats_without_errors() {
        for lang in Lang::ALL {
            for key in keys(lang) {
                let vars = variables(lang, &key);
                let args: Vec<(&str, String)> = vars
                    .iter()
                    .map(|var| (var.as_str(), sample_value(var)))
                    .collect();
                let (text, errors) = catalog(lang)
                    .format(&key, &args)
                    .unwrap_or_else(|| panic!("{lang}: {key} has no value"));
                assert!(errors.is_empty(), "{lang}: {key}: {errors:?}");
                assert!(!text.trim().is_empty(), "{lang}: {key} is empty");
                assert!(
                    !text.contains(['{', '}', '$', '\u{2068}', '\u{2069}']),
                    "{lang}: {key} formatted badly: {text:?}"
                );
                for (_, value) in &args {
                    assert!(text.contains(value.as_str()), "{lang}: {key}: {text}");
                }
                assert_eq!(t(lang, &key, &args), text);
            }
        }
    }

    #[test]
    fn formats_arguments() {
        let args = [("value", "abc".to_owned())];
        assert_eq!(
            t(Lang::Vi, "field-unknown-organization", &args),
            "Tổ chức “abc” không tồn tại"
        );
        assert_eq!(
            t(Lang::En, "field-unknown-organization", &args),
            "Organisation “abc” does not exist"
        );
        assert_eq!(
            t(Lang::Vi, "error-internal", &[]),
            "Đã xảy ra lỗi không mong muốn trên máy chủ. Lỗi đã được ghi lại."
        );
        let range = [("min", "1".to_owned()), ("max", "10".to_owned())];
        assert_eq!(
            t(Lang::En, "field-integer-range", &range),
            "Must be between 1 and 10"
        );
        // Strings that merely look numeric are kept as given.
        let value = [("value", "007".to_owned())];
        assert_eq!(
            t(Lang::En, "field-unknown-user", &value),
            "User “007” does not exist"
        );
    }

    #[test]
    fn english_plurals() {
        let one = [("min", "1".to_owned())];
        let many = [("min", "3".to_owned())];
        assert_eq!(
            t(Lang::En, "field-name-too-short", &one),
            "Must be at least 1 character long"
        );
        assert_eq!(
            t(Lang::En, "field-name-too-short", &many),
            "Must be at least 3 characters long"
        );
        assert_eq!(
            t(Lang::Vi, "field-name-too-short", &many),
            "Phải dài ít nhất 3 ký tự"
        );
    }

    #[test]
    fn unknown_key_falls_back_to_the_key() {
        assert_eq!(t(Lang::Vi, "no-such-message", &[]), "no-such-message");
        assert_eq!(t(Lang::En, "no-such-message", &[]), "no-such-message");
        assert_eq!(t(Lang::Vi, "", &[]), "");
    }

    #[test]
    fn missing_argument_does_not_panic() {
        let text = t(Lang::En, "error-not-found", &[]);
        assert!(text.contains("not found"), "{text}");
    }

    #[test]
    fn usable_from_many_threads() {
        fn assert_sync<T: Sync + Send>() {}
        assert_sync::<Catalog>();
        let handles: Vec<_> = (0..8)
            .map(|i| {
                std::thread::spawn(move || {
                    let lang = Lang::ALL[i % 2];
                    t(
                        lang,
                        "field-tag-length",
                        &[("min", "2".into()), ("max", "100".into())],
                    )
                })
            })
            .collect();
        for (i, handle) in handles.into_iter().enumerate() {
            let text = handle.join().unwrap();
            assert!(text.contains("2") && text.contains("100"), "{i}: {text}");
        }
    }

    #[test]
    fn lang_basics() {
        assert_eq!(Lang::default(), Lang::Vi);
        assert_eq!(Lang::ALL, [Lang::Vi, Lang::En]);
        assert_eq!(Lang::Vi.code(), "vi");
        assert_eq!(Lang::En.code(), "en");
        assert_eq!(Lang::En.to_string(), "en");
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
    }

    #[test]
    fn lang_parse() {
        assert_eq!(Lang::parse("vi"), Some(Lang::Vi));
        assert_eq!(Lang::parse("VI"), Some(Lang::Vi));
        assert_eq!(Lang::parse("vi-VN"), Some(Lang::Vi));
        assert_eq!(Lang::parse("vi_vn"), Some(Lang::Vi));
        assert_eq!(Lang::parse(" en "), Some(Lang::En));
        assert_eq!(Lang::parse("en-US"), Some(Lang::En));
        assert_eq!(Lang::parse("EN-gb"), Some(Lang::En));
        assert_eq!(Lang::parse("en-Latn-US"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse("fr-VN"), None);
        assert_eq!(Lang::parse("eng"), None);
        assert_eq!(Lang::parse("vie"), None);
        assert_eq!(Lang::parse(""), None);
        assert_eq!(Lang::parse("*"), None);
        assert_eq!(Lang::parse("en-"), None);
        assert_eq!(Lang::parse("en-US x"), None);
        assert_eq!(Lang::parse("en-toolongsubtag"), None);
    }

    #[test]
    fn negotiate_headers() {
        assert_eq!(negotiate(None), Lang::Vi);
        assert_eq!(negotiate(Some("")), Lang::Vi);
        assert_eq!(negotiate(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(negotiate(Some("vi")), Lang::Vi);
        assert_eq!(negotiate(Some("en")), Lang::En);
        assert_eq!(negotiate(Some("fr")), Lang::Vi);
        assert_eq!(negotiate(Some("en;q=0.1, vi;q=0.9")), Lang::Vi);
        assert_eq!(negotiate(Some("vi;q=0.1, en;q=0.9")), Lang::En);
        assert_eq!(negotiate(Some("fr-FR,fr;q=0.9,en;q=0.8")), Lang::En);
        assert_eq!(negotiate(Some("en-GB, vi")), Lang::En, "first wins a tie");
        assert_eq!(
            negotiate(Some("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7")),
            Lang::Vi
        );
        assert_eq!(negotiate(Some("EN-us ; Q=0.5")), Lang::En);
        assert_eq!(negotiate(Some("en;q=0")), Lang::Vi);
        assert_eq!(negotiate(Some("vi;q=0, en;q=0.1")), Lang::En);
        assert_eq!(negotiate(Some("vi;q=0, *")), Lang::En);
        assert_eq!(negotiate(Some("*")), Lang::Vi);
        assert_eq!(negotiate(Some("fr, *;q=0.5")), Lang::Vi);
        assert_eq!(
            negotiate(Some("en;q=1.5, vi;q=0.2")),
            Lang::Vi,
            "bad q ignored"
        );
        assert_eq!(negotiate(Some("en;q=abc")), Lang::Vi);
        assert_eq!(negotiate(Some("en;q=NaN")), Lang::Vi);
        for garbage in [
            "garbage",
            ";;;,,,",
            "q=0.9",
            ";q=1",
            "\u{0}\u{7f}",
            "tiếng việt",
            "en-US-🦀",
            ",,,,",
            "vi;;q",
        ] {
            assert_eq!(negotiate(Some(garbage)), Lang::Vi, "{garbage:?}");
        }
    }

    #[test]
    fn quality_values() {
        assert_eq!(parse_quality("1"), Some(1.0));
        assert_eq!(parse_quality("1.000"), Some(1.0));
        assert_eq!(parse_quality("0.5"), Some(0.5));
        assert_eq!(parse_quality("0"), Some(0.0));
        assert_eq!(parse_quality("1.5"), None);
        assert_eq!(parse_quality("0.1234"), None);
        assert_eq!(parse_quality("-0.5"), None);
        assert_eq!(parse_quality(""), None);
        assert_eq!(parse_quality("inf"), None);
    }
}
