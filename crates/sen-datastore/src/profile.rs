//! A column profile for people deciding whether a table is what they need:
//! type, empty cells, distinct values, smallest and largest, most frequent.
//! Computed once after ingestion and stored beside the table.

use crate::records::{ckan_type, to_objects};
use crate::{Engine, Result, Table};
use serde_json::{json, Value};

/// How many most frequent values a profile lists per column.
const TOP_VALUES: usize = 5;

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Engine {
    /// `[{name, type, count, nulls, distinct, min, max, top: [{value, count}]}]`.
    pub async fn profile(&self, table: &Table) -> Result<Value> {
        self.bounded(async {
            let ctx = self.session()?;
            self.register(&ctx, table).await?;
            let schema = ctx.table(table.name.as_str()).await?.schema().clone();
            let t = quoted(&table.name);
            let mut columns = Vec::new();
            for field in schema.fields() {
                let c = quoted(field.name());
                let kind = ckan_type(field.data_type());
                // min/max of text says little and costs a sort of long strings.
                let range = if kind == "text" || kind == "bool" {
                    "NULL AS min_value, NULL AS max_value".to_string()
                } else {
                    format!("CAST(MIN({c}) AS VARCHAR) AS min_value, CAST(MAX({c}) AS VARCHAR) AS max_value")
                };
                let stats = ctx
                    .sql(&format!(
                        "SELECT COUNT(*) AS n, COUNT({c}) AS filled, approx_distinct({c}) AS distinct_values, {range} FROM {t}"
                    ))
                    .await?
                    .collect()
                    .await?;
                let stats = to_objects(&stats)?.into_iter().next().unwrap_or_default();
                let top = ctx
                    .sql(&format!(
                        "SELECT CAST({c} AS VARCHAR) AS value, COUNT(*) AS n FROM {t} WHERE {c} IS NOT NULL GROUP BY {c} ORDER BY n DESC, value LIMIT {TOP_VALUES}"
                    ))
                    .await?
                    .collect()
                    .await?;
                let top: Vec<Value> = to_objects(&top)?
                    .into_iter()
                    .map(|r| json!({"value": r.get("value"), "count": r.get("n")}))
                    .collect();
                let n = stats.get("n").and_then(Value::as_i64).unwrap_or(0);
                let filled = stats.get("filled").and_then(Value::as_i64).unwrap_or(0);
                columns.push(json!({
                    "name": field.name(),
                    "type": kind,
                    "count": n,
                    "nulls": n - filled,
                    "distinct": stats.get("distinct_values"),
                    "min": stats.get("min_value"),
                    "max": stats.get("max_value"),
                    "top": top,
                }));
            }
            Ok(Value::Array(columns))
        })
        .await
    }
}
