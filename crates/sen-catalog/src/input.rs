//! Reading CKAN-style input dictionaries leniently, as CKAN does (numbers and
//! booleans where strings are expected, `"true"` from multipart forms, JSON
//! lists sent as strings), while collecting one error per bad field.

use sen_domain::error::Validation;
use sen_domain::{Error, Msg};
use serde_json::{Map, Value};

pub type Dict = Map<String, Value>;

pub struct Input<'a> {
    map: &'a Dict,
    pub errors: Validation,
}

impl<'a> Input<'a> {
    pub fn new(map: &'a Dict) -> Self {
        Self {
            map,
            errors: Validation::default(),
        }
    }

    /// Every key and value given, for fields kept as free-form extras.
    pub fn entries(&self) -> impl Iterator<Item = (&'a String, &'a Value)> {
        self.map.iter()
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub fn error(&mut self, key: &str, msg: Msg) {
        self.errors.add(key, msg);
    }

    /// A text field; absent and null are `None`.
    pub fn str(&mut self, key: &str) -> Option<String> {
        match self.raw(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => {
                self.error(key, Msg::new("field-not-string"));
                None
            }
        }
    }

    /// A text field that is trimmed and treated as absent when empty.
    pub fn text(&mut self, key: &str) -> Option<String> {
        self.str(key)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    pub fn required(&mut self, key: &str) -> String {
        match self.text(key) {
            Some(s) => s,
            None => {
                if !self.errors_for(key) {
                    self.error(key, Msg::new("field-missing"));
                }
                String::new()
            }
        }
    }

    fn errors_for(&self, key: &str) -> bool {
        // Validation does not expose its map; a second message for a key is harmless,
        // but avoid "missing" on top of "not a string".
        matches!(self.raw(key), Some(Value::Array(_) | Value::Object(_)))
    }

    pub fn bool(&mut self, key: &str) -> Option<bool> {
        match self.raw(key)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" | "t" | "y" => Some(true),
                "false" | "0" | "no" | "off" | "f" | "n" | "" => Some(false),
                _ => {
                    self.error(key, Msg::new("field-not-boolean"));
                    None
                }
            },
            Value::Number(n) => Some(n.as_f64() != Some(0.0)),
            _ => {
                self.error(key, Msg::new("field-not-boolean"));
                None
            }
        }
    }

    pub fn int(&mut self, key: &str) -> Option<i64> {
        match self.raw(key)? {
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => match s.trim().parse::<i64>() {
                Ok(i) => Some(i),
                Err(_) => {
                    self.error(key, Msg::new("field-not-integer"));
                    None
                }
            },
            _ => {
                self.error(key, Msg::new("field-not-integer"));
                None
            }
        }
    }

    /// An integer within bounds, or the default when absent.
    pub fn int_in(&mut self, key: &str, default: i64, min: i64, max: i64) -> i64 {
        match self.int(key) {
            None => default,
            Some(i) if (min..=max).contains(&i) => i,
            Some(_) => {
                self.error(
                    key,
                    Msg::new("field-integer-range")
                        .arg("min", min)
                        .arg("max", max),
                );
                default
            }
        }
    }

    /// A list; a string holding a JSON list (multipart forms) is accepted too.
    pub fn list(&mut self, key: &str) -> Option<Vec<Value>> {
        match self.raw(key)? {
            Value::Array(a) => Some(a.clone()),
            Value::String(s) if s.trim().starts_with('[') => match serde_json::from_str(s) {
                Ok(Value::Array(a)) => Some(a),
                _ => {
                    self.error(key, Msg::new("field-not-list"));
                    None
                }
            },
            Value::String(s) if s.trim().is_empty() => Some(Vec::new()),
            _ => {
                self.error(key, Msg::new("field-not-list"));
                None
            }
        }
    }

    /// A list of strings, also accepting a comma-separated string.
    pub fn string_list(&mut self, key: &str) -> Option<Vec<String>> {
        if let Some(Value::String(s)) = self.raw(key) {
            if !s.trim().starts_with('[') {
                return Some(split_commas(s));
            }
        }
        let items = self.list(key)?;
        let mut out = Vec::new();
        for v in items {
            match v {
                Value::String(s) => out.push(s),
                Value::Number(n) => out.push(n.to_string()),
                _ => {
                    self.error(key, Msg::new("field-not-string"));
                    return None;
                }
            }
        }
        Some(out)
    }

    pub fn finish(self) -> Result<(), Error> {
        self.errors.finish()
    }
}

pub fn split_commas(s: &str) -> Vec<String> {
    s.split(',')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The value of `key` as a plain string for lookups (`id` parameters).
pub fn id_param(map: &Dict, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match map.get(*k) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// A validation error "missing value" on `key` when no id was given.
pub fn require_id(map: &Dict, keys: &[&str]) -> Result<String, Error> {
    id_param(map, keys).ok_or_else(|| Error::field(keys[0], Msg::new("field-missing")))
}

pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace())
}
