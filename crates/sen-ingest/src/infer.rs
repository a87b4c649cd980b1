//! Value grammars and per-column type inference.
//!
//! Classification is strict (so "01" stays text and codes keep their zeros);
//! conversion in pass 2 is lenient, because it also serves the publisher's
//! overridden types, where "01" as an integer is meant to be 1.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use crate::report::{keys, Notice};

/// The types we store, in order of preference when several fit every value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Integer,
    Number,
    Boolean,
    Date,
    Datetime,
    String,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Date => "date",
            Kind::Datetime => "datetime",
            Kind::String => "string",
        }
    }
}

const TYPED: [Kind; 5] = [
    Kind::Integer,
    Kind::Number,
    Kind::Boolean,
    Kind::Date,
    Kind::Datetime,
];
const ALL: u8 = 0b1_1111;

fn bit(k: Kind) -> u8 {
    match k {
        Kind::Integer => 1,
        Kind::Number => 2,
        Kind::Boolean => 4,
        Kind::Date => 8,
        Kind::Datetime => 16,
        Kind::String => 0,
    }
}

/// The typed kinds a (trimmed, non-empty) value fits, as a bit set, and
/// whether it was a day-first date.
pub(crate) fn classify(v: &str) -> (u8, bool) {
    if !v.is_ascii() {
        return (0, false);
    }
    let mut mask = 0;
    let mut dmy = false;
    if strict_integer(v) {
        mask |= bit(Kind::Integer) | bit(Kind::Number);
    } else if strict_number(v) {
        mask |= bit(Kind::Number);
    }
    if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") {
        mask |= bit(Kind::Boolean);
    }
    if let Some((_, day_first)) = parse_date(v) {
        // A date is also a datetime at midnight, so date and datetime columns mix.
        mask |= bit(Kind::Date) | bit(Kind::Datetime);
        dmy = day_first;
    } else if let Some((_, day_first)) = parse_datetime_only(v) {
        mask |= bit(Kind::Datetime);
        dmy = day_first;
    }
    (mask, dmy)
}

/// True for digit strings with a leading zero ("01"): identifiers, not numbers.
pub(crate) fn zero_padded(v: &str) -> bool {
    let digits = v.strip_prefix('-').unwrap_or(v);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

fn digits_no_leading_zero(d: &str) -> bool {
    !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) && (d == "0" || !d.starts_with('0'))
}

fn strict_integer(v: &str) -> bool {
    let d = v.strip_prefix('-').unwrap_or(v);
    digits_no_leading_zero(d) && v.parse::<i64>().is_ok()
}

/// `-?(int)(.frac)?([eE][+-]?digits)?` where int has no leading zero; or `-?.frac`.
fn strict_number(v: &str) -> bool {
    let body = v.strip_prefix('-').unwrap_or(v);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    if let Some(e) = exponent {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e.is_empty() || !e.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let int_ok = if int.is_empty() {
        frac.is_some()
    } else {
        digits_no_leading_zero(int)
    };
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    int_ok && frac_ok && v.parse::<f64>().is_ok_and(f64::is_finite)
}

/// A number written the Vietnamese way: "." groups thousands, "," marks the
/// decimals ("1.234.567,89", "2,5", "1234"); no leading zero.
pub(crate) fn decimal_comma_number(v: &str) -> bool {
    let body = v.strip_prefix('-').unwrap_or(v);
    let (int, frac) = match body.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let mut groups = int.split('.');
    let Some(first) = groups.next() else {
        return false;
    };
    let rest: Vec<&str> = groups.collect();
    let first_ok = if rest.is_empty() {
        digits_no_leading_zero(first)
    } else {
        (1..=3).contains(&first.len()) && digits_no_leading_zero(first)
    };
    first_ok
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

pub(crate) fn convert_decimal_comma(v: &str) -> Option<f64> {
    if !decimal_comma_number(v.strip_prefix('+').unwrap_or(v)) {
        return convert_number(v);
    }
    v.replace('.', "")
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
}

fn num<T: std::str::FromStr>(s: &str, len: std::ops::RangeInclusive<usize>) -> Option<T> {
    if len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// `yyyy-mm-dd` or day-first `d/m/yyyy`; the flag says day-first.
pub(crate) fn parse_date(v: &str) -> Option<(NaiveDate, bool)> {
    if !v.is_ascii() {
        return None;
    }
    let b = v.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let d = NaiveDate::from_ymd_opt(
            num(&v[..4], 4..=4)?,
            num(&v[5..7], 2..=2)?,
            num(&v[8..], 2..=2)?,
        )?;
        return Some((d, false));
    }
    let mut parts = v.split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(num(y, 4..=4)?, num(m, 1..=2)?, num(d, 1..=2)?)?;
    Some((date, true))
}

/// `hh:mm[:ss[.fff]]`.
fn parse_time(t: &str) -> Option<NaiveTime> {
    let mut parts = t.splitn(3, ':');
    let h: u32 = num(parts.next()?, 1..=2)?;
    let m: u32 = num(parts.next()?, 2..=2)?;
    let (s, micros) = match parts.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = match sec.split_once(['.', ',']) {
                Some((w, f)) => (w, Some(f)),
                None => (sec, None),
            };
            let s: u32 = num(whole, 2..=2)?;
            let micros = match frac {
                None => 0,
                Some(f) => {
                    if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    // Microseconds: further digits are dropped.
                    let f: &str = &f[..f.len().min(6)];
                    let n: u32 = num(f, 1..=6)?;
                    n * 10u32.pow(6 - f.len() as u32)
                }
            };
            (s, micros)
        }
    };
    NaiveTime::from_hms_micro_opt(h, m, s, micros)
}

/// Splits a trailing `Z`, `±hh:mm`, `±hhmm` or `±hh` offset off a time; minutes east of UTC.
fn split_offset(t: &str) -> Option<(&str, i64)> {
    if let Some(rest) = t.strip_suffix(['Z', 'z']) {
        return Some((rest, 0));
    }
    // The sign of an offset comes after the minutes, so search from position 4 on.
    let Some(pos) = t.get(4..).and_then(|s| s.find(['+', '-'])).map(|p| p + 4) else {
        return Some((t, 0));
    };
    let (time, off) = t.split_at(pos);
    let sign = if off.starts_with('-') { -1 } else { 1 };
    let off = &off[1..];
    let (h, m): (i64, i64) = match off.len() {
        2 => (num(off, 2..=2)?, 0),
        4 => (num(&off[..2], 2..=2)?, num(&off[2..], 2..=2)?),
        5 if off.as_bytes()[2] == b':' => (num(&off[..2], 2..=2)?, num(&off[3..], 2..=2)?),
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    Some((time, sign * (h * 60 + m)))
}

/// A datetime with a time part (not a bare date), normalised to UTC when an offset is given.
pub(crate) fn parse_datetime_only(v: &str) -> Option<(NaiveDateTime, bool)> {
    if !v.is_ascii() {
        return None;
    }
    let b = v.as_bytes();
    if b.len() > 11 && b[4] == b'-' && (b[10] == b'T' || b[10] == b' ') {
        let (date, false) = parse_date(&v[..10])? else {
            return None;
        };
        let (time, offset) = split_offset(&v[11..])?;
        let dt = date.and_time(parse_time(time)?);
        return Some((dt - TimeDelta::minutes(offset), false));
    }
    let (date, time) = v.split_once(' ')?;
    let (date, true) = parse_date(date)? else {
        return None;
    };
    Some((date.and_time(parse_time(time.trim_start())?), true))
}

pub(crate) fn convert_integer(v: &str) -> Option<i64> {
    v.strip_prefix('+').unwrap_or(v).parse().ok()
}

pub(crate) fn convert_number(v: &str) -> Option<f64> {
    if v.bytes()
        .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
    {
        v.parse::<f64>().ok().filter(|f| f.is_finite())
    } else {
        None
    }
}

pub(crate) fn convert_boolean(v: &str) -> Option<bool> {
    if v.eq_ignore_ascii_case("true") || v == "1" {
        Some(true)
    } else if v.eq_ignore_ascii_case("false") || v == "0" {
        Some(false)
    } else {
        None
    }
}

pub(crate) fn convert_date(v: &str) -> Option<NaiveDate> {
    parse_date(v).map(|(d, _)| d)
}

pub(crate) fn convert_datetime(v: &str) -> Option<NaiveDateTime> {
    parse_datetime_only(v)
        .map(|(dt, _)| dt)
        .or_else(|| convert_date(v).map(|d| d.and_time(NaiveTime::MIN)))
}

/// What pass 1 learns about one column.
#[derive(Debug, Clone)]
pub(crate) struct ColumnProfile {
    candidates: u8,
    non_empty: u64,
    matches: [u64; 5],
    first_miss: [u64; 5],
    zero_padded: u64,
    saw_dmy: bool,
    /// Values that read as Vietnamese-style numbers, and whether any had a decimal comma.
    decimal_comma: u64,
    saw_decimal_comma: bool,
}

impl Default for ColumnProfile {
    fn default() -> Self {
        ColumnProfile {
            candidates: ALL,
            non_empty: 0,
            matches: [0; 5],
            first_miss: [0; 5],
            zero_padded: 0,
            saw_dmy: false,
            decimal_comma: 0,
            saw_decimal_comma: false,
        }
    }
}

impl ColumnProfile {
    /// Counts one raw cell; blanks do not vote.
    pub(crate) fn observe(&mut self, line: u64, raw: &str) {
        let v = raw.trim();
        if v.is_empty() {
            return;
        }
        self.non_empty += 1;
        let (mask, dmy) = classify(v);
        self.candidates &= mask;
        self.saw_dmy |= dmy;
        if zero_padded(v) {
            self.zero_padded += 1;
        }
        if decimal_comma_number(v) {
            self.decimal_comma += 1;
            self.saw_decimal_comma |= v.contains(',');
        }
        for (i, k) in TYPED.iter().enumerate() {
            if mask & bit(*k) != 0 {
                self.matches[i] += 1;
            } else if self.first_miss[i] == 0 {
                self.first_miss[i] = line;
            }
        }
    }

    /// The most specific kind every value fits; text when none, or no values at all.
    pub(crate) fn kind(&self) -> Kind {
        if self.non_empty == 0 {
            return Kind::String;
        }
        TYPED
            .iter()
            .copied()
            .find(|k| self.candidates & bit(*k) != 0)
            .unwrap_or(Kind::String)
    }

    /// True when the column is text to the usual grammars but every value is a
    /// Vietnamese-style number and at least one has a decimal comma ("2,5").
    pub(crate) fn decimal_comma(&self) -> bool {
        self.candidates == 0
            && self.non_empty > 0
            && self.decimal_comma == self.non_empty
            && self.saw_decimal_comma
    }

    /// Table Schema `format` for date columns.
    pub(crate) fn date_format(&self) -> &'static str {
        if self.saw_dmy {
            "%d/%m/%Y"
        } else {
            "default"
        }
    }

    /// A warning when a column fell back to text although at least half its values
    /// had one type: the publisher probably wants to fix the few others. Not for
    /// zero-padded codes, which are text on purpose.
    pub(crate) fn mixed_warning(&self, column: &str) -> Option<Notice> {
        if self.kind() != Kind::String || self.zero_padded > 0 || self.non_empty == 0 {
            return None;
        }
        // The first (most specific) type among those with the most matches.
        let mut i = 0;
        for (j, m) in self.matches.iter().enumerate() {
            if *m > self.matches[i] {
                i = j;
            }
        }
        let best = self.matches[i];
        if best == 0 || best * 2 < self.non_empty {
            return None;
        }
        Some(Notice::new(
            keys::MIXED_TYPES,
            &[
                ("column", column.to_owned()),
                ("type", TYPED[i].name().to_owned()),
                ("count", (self.non_empty - best).to_string()),
                ("first_line", self.first_miss[i].to_string()),
            ],
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(values: &[&str]) -> Kind {
        let mut p = ColumnProfile::default();
        for (i, v) in values.iter().enumerate() {
            p.observe(i as u64 + 2, v);
        }
        p.kind()
    }

    #[test]
    fn integers_and_leading_zeros() {
        assert_eq!(kind_of(&["1", "-2", "0", ""]), Kind::Integer);
        assert_eq!(kind_of(&["1", "01"]), Kind::String);
        assert_eq!(kind_of(&["001"]), Kind::String);
        assert_eq!(kind_of(&["99999999999999999999"]), Kind::Number);
    }

    #[test]
    fn vietnamese_decimal_commas() {
        for v in ["1.234,5", "2,5", "-1.234.567,89", "1234", "0,5", "12.345"] {
            assert!(decimal_comma_number(v), "{v}");
        }
        for v in [
            "1.23,4", "01,5", "1,", ",5", "1.2345", "1,2,3", "abc", "1.234.56",
        ] {
            assert!(!decimal_comma_number(v), "{v}");
        }
        assert_eq!(convert_decimal_comma("1.234,5"), Some(1234.5));
        assert_eq!(convert_decimal_comma("-2,25"), Some(-2.25));
        let mut p = ColumnProfile::default();
        for (i, v) in ["1.234,5", "2,5", "17"].iter().enumerate() {
            p.observe(i as u64 + 2, v);
        }
        assert_eq!(p.kind(), Kind::String);
        assert!(p.decimal_comma());
        let mut dotted = ColumnProfile::default();
        for (i, v) in ["1.234", "5.678"].iter().enumerate() {
            dotted.observe(i as u64 + 2, v);
        }
        assert_eq!(
            dotted.kind(),
            Kind::Number,
            "a decimal point is read as one"
        );
        assert!(!dotted.decimal_comma());
    }

    #[test]
    fn numbers() {
        assert_eq!(kind_of(&["1", "2.5", "-3e4", ".5"]), Kind::Number);
        assert_eq!(kind_of(&["1.5", "inf"]), Kind::String);
        assert_eq!(kind_of(&["1.5", "NaN"]), Kind::String);
        assert_eq!(kind_of(&["1.", "2"]), Kind::String);
        assert_eq!(kind_of(&["1,5"]), Kind::String);
    }

    #[test]
    fn booleans_dates_datetimes() {
        assert_eq!(kind_of(&["TRUE", "false", "True"]), Kind::Boolean);
        assert_eq!(
            kind_of(&["2020-01-31", "31/12/2020", "1/2/2003"]),
            Kind::Date
        );
        assert_eq!(kind_of(&["2020-02-30"]), Kind::String);
        assert_eq!(kind_of(&["1953", "1914-01-01"]), Kind::String);
        assert_eq!(
            kind_of(&[
                "2020-01-31T10:00",
                "2020-01-31 10:00:05.123+07:00",
                "2020-01-01"
            ]),
            Kind::Datetime
        );
        assert_eq!(kind_of(&["31/12/2020 23:59"]), Kind::Datetime);
        assert_eq!(kind_of(&["", " "]), Kind::String);
    }

    #[test]
    fn datetimes_normalise_to_utc() {
        let dt = convert_datetime("2020-01-31T10:00:00+07:00");
        assert_eq!(
            dt.map(|d| d.to_string()),
            Some("2020-01-31 03:00:00".into())
        );
        let dt = convert_datetime("2020-01-31T10:00:00.5Z");
        assert_eq!(
            dt.map(|d| d.to_string()),
            Some("2020-01-31 10:00:00.500".into())
        );
        assert_eq!(convert_datetime("2020-01-31T25:00"), None);
    }

    #[test]
    fn date_format_and_mixed_warning() {
        let mut p = ColumnProfile::default();
        for (i, v) in ["1", "2", "3", "x"].iter().enumerate() {
            p.observe(i as u64 + 2, v);
        }
        let w = p.mixed_warning("c");
        assert_eq!(w.as_ref().and_then(|n| n.arg("first_line")), Some("5"));
        assert_eq!(w.as_ref().and_then(|n| n.arg("type")), Some("integer"));
        let mut p = ColumnProfile::default();
        p.observe(2, "01");
        p.observe(3, "10");
        assert!(p.mixed_warning("c").is_none());
    }
}
