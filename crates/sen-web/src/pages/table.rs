//! The datastore part of a resource page: ingestion status and report, a
//! table that pages, sorts and filters through plain links and a GET form
//! (no script needed), the column profile, exports and ready-to-copy API calls.

use super::routes::{read, Page};
use crate::AppState;
use serde_json::{json, Value};

/// Rows a page of the table shows.
const ROWS: i64 = 25;

/// A link to this resource page with the table parameters changed.
fn table_href(path: &str, params: &[(&str, String)]) -> String {
    let kept: Vec<(&str, &str)> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    if kept.is_empty() {
        format!("{path}#data")
    } else {
        format!(
            "{path}?{}#data",
            serde_urlencoded::to_string(kept).unwrap_or_default()
        )
    }
}

pub(crate) async fn view(state: &AppState, page: &Page, rid: &str, path: &str) -> Value {
    let Ok(status) = read(state, page, "datastore_status", json!({"resource_id": rid})).await
    else {
        return Value::Null;
    };
    let job_state = status["job"]["state"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let active = status["datastore_active"] == json!(true);
    let working = matches!(job_state.as_str(), "queued" | "running");
    let report = if active && !working {
        status["report"].clone()
    } else {
        status["job"]["report"].clone()
    };
    let mut out = json!({
        "status": status,
        "active": active,
        "working": working,
        "job_state": job_state,
        "report": report,
    });
    if let (Some(done), Some(total)) = (
        status["job"]["progress"]["done"].as_i64(),
        status["job"]["progress"]["total"].as_i64(),
    ) {
        if total > 0 {
            out["percent"] = json!((done * 100 / total).clamp(0, 100));
        }
    }
    if !active {
        return out;
    }

    let q = page.param("ds_q");
    let column = page.param("ds_col");
    let value = page.param("ds_val");
    let sort = page.param("ds_sort");
    let descending = page.param("ds_dir") == "desc";
    let number: i64 = page.param("ds_page").parse().unwrap_or(1).max(1);
    let mut search = json!({"resource_id": rid, "limit": ROWS, "offset": (number - 1) * ROWS});
    if !q.trim().is_empty() {
        search["q"] = json!(q.trim());
    }
    if !column.is_empty() && !value.is_empty() {
        search["filters"] = json!({ column.clone(): value.clone() });
    }
    if !sort.is_empty() {
        search["sort"] = json!(format!(
            "{sort} {}",
            if descending { "desc" } else { "asc" }
        ));
    }
    let base = |extra: &[(&'static str, String)]| {
        let mut p: Vec<(&str, String)> = vec![
            ("ds_q", q.clone()),
            ("ds_col", column.clone()),
            ("ds_val", value.clone()),
            ("ds_sort", sort.clone()),
            (
                "ds_dir",
                if descending {
                    "desc".into()
                } else {
                    String::new()
                },
            ),
        ];
        for (k, v) in extra {
            p.retain(|(name, _)| name != k);
            p.push((k, v.clone()));
        }
        table_href(path, &p)
    };
    match read(state, page, "datastore_search", search).await {
        Ok(result) => {
            let total = result["total"].as_i64().unwrap_or(0);
            let pages = ((total + ROWS - 1) / ROWS).max(1);
            let fields: Vec<Value> = result["fields"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|f| {
                    let name = f["id"].as_str().unwrap_or_default().to_string();
                    let sorted_here = name == sort;
                    let next_desc = sorted_here && !descending;
                    let href = base(&[
                        ("ds_sort", name.clone()),
                        ("ds_dir", if next_desc { "desc".into() } else { String::new() }),
                        ("ds_page", String::new()),
                    ]);
                    json!({"name": name, "type": f["type"], "label": f["info"]["label"], "href": href,
                           "sorted": if sorted_here { if descending { "descending" } else { "ascending" } } else { "none" }})
                })
                .collect();
            let rows: Vec<Vec<Value>> = result["records"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|r| {
                    fields
                        .iter()
                        .map(|f| r[f["name"].as_str().unwrap_or_default()].clone())
                        .collect()
                })
                .collect();
            out["table"] = json!({
                "fields": fields, "rows": rows, "total": total, "page": number, "pages": pages,
                "prev_href": (number > 1).then(|| base(&[("ds_page", (number - 1).to_string())])),
                "next_href": (number < pages).then(|| base(&[("ds_page", (number + 1).to_string())])),
                "q": q, "column": column, "value": value,
                "reset_href": table_href(path, &[]),
            });
        }
        Err(e) => {
            out["error"] = json!(crate::error::translate(page.lang, &e.message));
            if let Some(first) = e.fields.values().flatten().next() {
                out["error"] = json!(crate::error::translate(page.lang, first));
            }
        }
    }
    if let Some(fields) = out["table"]["fields"].as_array().cloned() {
        // The chart is drawn when asked for (a GROUP BY over the whole table);
        // the map, which reads a bounded number of rows, always.
        if !page.param("ch_type").is_empty() {
            out["chart"] = super::chart::chart(state, page, rid, &fields).await;
        } else {
            out["chart"] = json!({"columns": fields.iter().map(|f| f["name"].clone()).collect::<Vec<_>>(),
                "numeric": fields.iter().filter(|f| matches!(f["type"].as_str(), Some("int" | "numeric"))).map(|f| f["name"].clone()).collect::<Vec<_>>(),
                "kind": "bar", "agg": "count"});
        }
        out["map"] = super::chart::map(state, page, rid, &fields).await;
    }
    let site = state
        .catalog
        .config
        .site_url
        .trim_end_matches('/')
        .to_string();
    let first_column = out["table"]["fields"][0]["name"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let quoted = format!("\"{}\"", first_column.replace('"', "\"\""));
    let exports: Vec<Value> = ["csv", "tsv", "json", "ndjson", "xlsx", "parquet"]
        .iter()
        .map(|f| json!({"format": f.to_uppercase(), "href": format!("/api/v1/resources/{rid}/export/{f}")}))
        .collect();
    out["api"] = json!({
        "search": format!("{site}/api/3/action/datastore_search?resource_id={rid}&limit=5"),
        "sql": format!("{site}/api/3/action/datastore_search_sql?sql={}",
            percent_encoding::utf8_percent_encode(
                &format!("SELECT {quoted}, COUNT(*) AS n FROM \"{rid}\" GROUP BY {quoted} ORDER BY n DESC LIMIT 10"),
                percent_encoding::NON_ALPHANUMERIC)),
        "query": format!("{site}/api/v1/resources/{rid}/query?select=*&limit=5"),
        "exports": exports,
    });
    out
}
