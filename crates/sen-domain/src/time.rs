//! Timestamps as CKAN shows them: UTC, ISO-8601, microseconds, no offset.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6f";

pub fn now() -> String {
    format(Utc::now())
}

pub fn format(t: DateTime<Utc>) -> String {
    t.format(FORMAT).to_string()
}

/// Accepts what clients send: RFC 3339, naive date-times (taken as UTC) or plain dates.
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

/// A date (`YYYY-MM-DD`) as used for validity periods and temporal coverage.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_client_forms() {
        let a = parse("2024-01-01T00:00:00Z").unwrap();
        assert_eq!(format(a), "2024-01-01T00:00:00.000000");
        assert_eq!(parse("2024-01-01").unwrap(), a);
        assert_eq!(parse("2024-01-01T07:00:00+07:00").unwrap(), a);
        assert!(parse("yesterday").is_none());
    }
}
