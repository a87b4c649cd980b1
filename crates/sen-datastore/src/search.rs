//! CKAN's `datastore_search` over one table: filters, full-text `q`,
//! `fields`, `distinct`, `sort`, `limit`/`offset`, the total.

use crate::records::{ckan_type, render, RecordsFormat};
use crate::{DsError, Engine, Result, Table};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Column, DFSchema};
use datafusion::logical_expr::expr::Like;
use datafusion::logical_expr::{cast, lit, Expr};
use datafusion::prelude::DataFrame;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    pub column: String,
    pub ascending: bool,
}

impl SortKey {
    /// CKAN's sort string: `"col1 asc, col2 desc"`; names may hold spaces and be quoted.
    pub fn parse_list(text: &str) -> Result<Vec<SortKey>> {
        let mut keys = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let lower = part.to_lowercase();
            let (name, ascending) = if lower.ends_with(" desc") {
                (&part[..part.len() - 5], false)
            } else if lower.ends_with(" asc") {
                (&part[..part.len() - 4], true)
            } else {
                (part, true)
            };
            let name = name.trim().trim_matches('"').to_string();
            if name.is_empty() {
                return Err(DsError::BadQuery(format!("bad sort {part:?}")));
            }
            keys.push(SortKey {
                column: name,
                ascending,
            });
        }
        Ok(keys)
    }
}

/// A `datastore_search` request, already checked for shape by the catalogue.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// Column → accepted values (one value, or any of a list).
    pub filters: Vec<(String, Vec<Value>)>,
    /// Words every row must contain, in any column.
    pub q: Option<String>,
    /// Words per column (`q` given as a dictionary).
    pub q_columns: Vec<(String, String)>,
    pub fields: Option<Vec<String>>,
    pub distinct: bool,
    pub sort: Vec<SortKey>,
    pub limit: usize,
    pub offset: usize,
    pub include_total: bool,
    pub format: RecordsFormat,
}

pub struct SearchAnswer {
    /// (name, CKAN type) of each returned column, in order.
    pub fields: Vec<(String, String)>,
    pub records: Value,
    pub total: Option<u64>,
}

fn column(name: &str) -> Expr {
    Expr::Column(Column::new_unqualified(name))
}

fn data_type(schema: &DFSchema, name: &str) -> Result<DataType> {
    schema
        .field_with_unqualified_name(name)
        .map(|f| f.data_type().clone())
        .map_err(|_| DsError::UnknownColumn(name.to_string()))
}

/// `value` as a literal of the column's type (a bad value fails the query, as in CKAN).
fn typed_literal(value: &Value, dtype: &DataType) -> Expr {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if *dtype == DataType::Utf8 {
        lit(text)
    } else {
        cast(lit(text), dtype.clone())
    }
}

/// Rows where `expr`, as text, contains `word`: case-insensitive, and for
/// text columns accent-insensitive too ("ha noi" finds "Hà Nội").
fn contains(expr: Expr, dtype: &DataType, word: &str) -> Expr {
    let is_text = matches!(
        dtype,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    );
    let word = if is_text {
        sen_domain::fold::fold(word)
    } else {
        word.to_string()
    };
    let escaped: String = word
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let text = cast(expr, DataType::Utf8);
    let text = if is_text {
        crate::fold::udf().call(vec![text])
    } else {
        text
    };
    Expr::Like(Like::new(
        false,
        Box::new(text),
        Box::new(lit(format!("%{escaped}%"))),
        Some('\\'),
        !is_text,
    ))
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace().filter(|w| !w.is_empty())
}

impl Engine {
    pub async fn search(&self, table: &Table, req: &SearchRequest) -> Result<SearchAnswer> {
        self.bounded(self.search_unbounded(table, req)).await
    }

    async fn search_unbounded(&self, table: &Table, req: &SearchRequest) -> Result<SearchAnswer> {
        let ctx = self.session()?;
        self.register(&ctx, table).await?;
        let mut df: DataFrame = ctx.table(table.name.as_str()).await?;
        let schema = df.schema().clone();

        for (name, values) in &req.filters {
            let dtype = data_type(&schema, name)?;
            let condition = match values.as_slice() {
                [Value::Null] => column(name).is_null(),
                [one] => column(name).eq(typed_literal(one, &dtype)),
                many => column(name).in_list(
                    many.iter().map(|v| typed_literal(v, &dtype)).collect(),
                    false,
                ),
            };
            df = df.filter(condition)?;
        }
        if let Some(q) = &req.q {
            let all: Vec<(String, DataType)> = schema
                .fields()
                .iter()
                .map(|f| (f.name().clone(), f.data_type().clone()))
                .collect();
            for word in words(q) {
                let any = all
                    .iter()
                    .map(|(c, dtype)| contains(column(c), dtype, word))
                    .reduce(Expr::or);
                if let Some(any) = any {
                    df = df.filter(any)?;
                }
            }
        }
        for (name, text) in &req.q_columns {
            let dtype = data_type(&schema, name)?;
            for word in words(text) {
                df = df.filter(contains(column(name), &dtype, word))?;
            }
        }
        let names: Vec<String> = match &req.fields {
            Some(fields) => {
                for f in fields {
                    data_type(&schema, f)?;
                }
                fields.clone()
            }
            None => schema.fields().iter().map(|f| f.name().clone()).collect(),
        };
        df = df.select(names.iter().map(|n| column(n)).collect::<Vec<_>>())?;
        if req.distinct {
            df = df.distinct()?;
        }
        let total = if req.include_total {
            Some(df.clone().count().await? as u64)
        } else {
            None
        };
        if !req.sort.is_empty() {
            let mut keys = Vec::new();
            for k in &req.sort {
                if !names.contains(&k.column) {
                    // Sorting by a column not returned is fine unless rows were made distinct.
                    data_type(&schema, &k.column)?;
                    if req.distinct {
                        return Err(DsError::BadQuery(format!(
                            "cannot sort distinct rows by {:?}, which is not among the fields",
                            k.column
                        )));
                    }
                }
                keys.push(column(&k.column).sort(k.ascending, !k.ascending));
            }
            df = df.sort(keys)?;
        }
        df = df.limit(req.offset, Some(req.limit))?;
        let out_schema = df.schema().clone();
        let batches = df.collect().await?;
        let fields: Vec<(String, String)> = out_schema
            .fields()
            .iter()
            .map(|f| (f.name().clone(), ckan_type(f.data_type()).to_string()))
            .collect();
        let records = render(&batches, &names, req.format)?;
        Ok(SearchAnswer {
            fields,
            records,
            total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::SortKey;

    #[test]
    fn sort_strings_read_like_ckan() {
        let keys = SortKey::parse_list("Mã TP desc, \"Tên\" ASC,năm").unwrap();
        assert_eq!(
            keys,
            vec![
                SortKey {
                    column: "Mã TP".into(),
                    ascending: false
                },
                SortKey {
                    column: "Tên".into(),
                    ascending: true
                },
                SortKey {
                    column: "năm".into(),
                    ascending: true
                },
            ]
        );
        assert!(SortKey::parse_list("\"\" desc").is_err());
        assert!(SortKey::parse_list("").unwrap().is_empty());
    }
}
