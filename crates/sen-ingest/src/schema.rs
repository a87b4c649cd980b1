//! The Frictionless Table Schema we publish alongside the Parquet file.

use serde::{Deserialize, Serialize};

/// A Frictionless Table Schema, restricted to what Sen stores.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TableSchema {
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// For dates: "default" (ISO) or "%d/%m/%Y" when that form was seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// For numbers written the Vietnamese way ("1.234,5"): "," (and `group_char` ".").
    #[serde(
        rename = "decimalChar",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub decimal_char: Option<String>,
    #[serde(rename = "groupChar", default, skip_serializing_if = "Option::is_none")]
    pub group_char: Option<String>,
}

/// A Table Schema type. Types Sen does not store (e.g. "year") are kept as
/// `Other` so a publisher's schema round-trips; they fall back to inference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum FieldType {
    Integer,
    Number,
    Boolean,
    Date,
    Datetime,
    String,
    Other(String),
}

impl FieldType {
    pub fn as_str(&self) -> &str {
        match self {
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::String => "string",
            FieldType::Other(s) => s,
        }
    }
}

impl From<String> for FieldType {
    fn from(s: String) -> Self {
        match s.as_str() {
            "integer" => FieldType::Integer,
            "number" => FieldType::Number,
            "boolean" => FieldType::Boolean,
            "date" => FieldType::Date,
            "datetime" => FieldType::Datetime,
            "string" => FieldType::String,
            _ => FieldType::Other(s),
        }
    }
}

impl From<FieldType> for String {
    fn from(t: FieldType) -> Self {
        t.as_str().to_owned()
    }
}

impl TableSchema {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}
