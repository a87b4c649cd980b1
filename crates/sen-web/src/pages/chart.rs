//! A chart builder and a map for a datastore table, drawn on the server as
//! SVG: a GET form picks the chart and its columns, the figures come from
//! `datastore_query` as the visitor, and the page needs no script (nor any
//! inline style, which the Content-Security-Policy forbids: colours are CSS
//! classes). Each picture comes with its figures as a table, for screen
//! readers and for copying.

use super::routes::{read, Page};
use crate::AppState;
use serde_json::{json, Value};

/// Bars or pie slices drawn at most; a line follows up to `LINE_POINTS` values.
const TOP: i64 = 12;
const PIE_SLICES: i64 = 8;
const LINE_POINTS: i64 = 200;
/// Points or shapes drawn on a map at most.
const MAP_FEATURES: i64 = 3000;
const WIDTH: f64 = 640.0;

fn quoted(column: &str) -> String {
    format!("\"{}\"", column.replace('"', "\"\""))
}

fn is_numeric(field: &Value) -> bool {
    matches!(field["type"].as_str(), Some("int" | "numeric"))
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The chart the visitor asked for (`ch_*` parameters), or a bar chart of
/// the first text column's most frequent values.
pub(crate) async fn chart(state: &AppState, page: &Page, rid: &str, fields: &[Value]) -> Value {
    let names: Vec<&str> = fields.iter().filter_map(|f| f["name"].as_str()).collect();
    let numeric: Vec<&str> = fields
        .iter()
        .filter(|f| is_numeric(f))
        .filter_map(|f| f["name"].as_str())
        .collect();
    let kind = match page.param("ch_type").as_str() {
        "line" => "line",
        "pie" => "pie",
        _ => "bar",
    };
    let asked_x = page.param("ch_x");
    let x = if names.contains(&asked_x.as_str()) {
        asked_x
    } else {
        fields
            .iter()
            .find(|f| f["type"] == "text")
            .or(fields.first())
            .and_then(|f| f["name"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    let asked_y = page.param("ch_y");
    let y = numeric
        .iter()
        .find(|n| **n == asked_y)
        .or(numeric.first())
        .map(|s| s.to_string());
    let agg = match (page.param("ch_agg").as_str(), &y) {
        ("sum", Some(_)) => "sum",
        ("avg", Some(_)) => "avg",
        _ => "count",
    };
    let mut out = json!({
        "kind": kind, "x": x, "y": y, "agg": agg,
        "columns": names, "numeric": numeric,
    });
    if x.is_empty() {
        return out;
    }
    let value = match (agg, &y) {
        ("sum", Some(y)) => format!("SUM({})", quoted(y)),
        ("avg", Some(y)) => format!("AVG({})", quoted(y)),
        _ => "COUNT(*)".into(),
    };
    let qx = quoted(&x);
    let (order, limit) = match kind {
        "line" => ("label ASC", LINE_POINTS),
        "pie" => ("value DESC, label ASC", PIE_SLICES),
        _ => ("value DESC, label ASC", TOP),
    };
    let query = json!({
        "resource_id": rid,
        "select": format!("CAST({qx} AS VARCHAR) AS label, {value} AS value"),
        "where": format!("{qx} IS NOT NULL"),
        "group_by": qx,
        "order_by": order,
        "limit": limit,
    });
    let records = match read(state, page, "datastore_query", query).await {
        Ok(r) => r["records"].as_array().cloned().unwrap_or_default(),
        Err(e) => {
            out["error"] = json!(crate::error::translate(page.lang, &e.message));
            return out;
        }
    };
    let points: Vec<(String, f64)> = records
        .iter()
        .filter_map(|r| {
            let label = match &r["label"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some((label, r["value"].as_f64()?))
        })
        .collect();
    out["rows"] = json!(points
        .iter()
        .map(|(l, v)| json!({"label": l, "value": v}))
        .collect::<Vec<_>>());
    out["svg"] = match kind {
        "line" => line_svg(&points),
        "pie" => pie_svg(&points),
        _ => bar_svg(&points),
    };
    out
}

/// Horizontal bars: long Vietnamese labels stay readable.
fn bar_svg(points: &[(String, f64)]) -> Value {
    const ROW: f64 = 26.0;
    const LABEL: f64 = 230.0;
    const BAR: f64 = 300.0;
    let max = points.iter().map(|(_, v)| v.abs()).fold(0.0, f64::max);
    let bars: Vec<Value> = points
        .iter()
        .enumerate()
        .map(|(i, (label, v))| {
            let w = if max > 0.0 { v.abs() / max * BAR } else { 0.0 };
            let y = i as f64 * ROW;
            json!({
                "label": label, "value": v,
                "label_x": LABEL - 8.0, "text_y": round(y + ROW * 0.65),
                "x": LABEL, "y": round(y + 4.0), "w": round(w.max(1.0)), "h": ROW - 8.0,
                "value_x": round(LABEL + w + 6.0),
            })
        })
        .collect();
    json!({"width": WIDTH, "height": (points.len() as f64 * ROW).max(ROW), "bars": bars})
}

fn line_svg(points: &[(String, f64)]) -> Value {
    const H: f64 = 300.0;
    const LEFT: f64 = 70.0;
    const TOP_PAD: f64 = 20.0;
    const BOTTOM: f64 = 260.0;
    let (min, max) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (_, v)| {
            (lo.min(*v), hi.max(*v))
        });
    let (min, max) = if min.is_finite() {
        (min.min(0.0), max)
    } else {
        (0.0, 1.0)
    };
    let span = if max > min { max - min } else { 1.0 };
    let step = if points.len() > 1 {
        (WIDTH - LEFT - 20.0) / (points.len() - 1) as f64
    } else {
        0.0
    };
    let xy: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            (
                round(LEFT + i as f64 * step),
                round(BOTTOM - (v - min) / span * (BOTTOM - TOP_PAD)),
            )
        })
        .collect();
    let polyline = xy
        .iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ");
    let dots: Vec<Value> = xy
        .iter()
        .zip(points)
        .map(|((x, y), (label, v))| json!({"x": x, "y": y, "label": label, "value": v}))
        .collect();
    // Labels under the axis: first, last and a few between.
    let every = (points.len() / 5).max(1);
    let ticks: Vec<Value> = xy
        .iter()
        .zip(points)
        .enumerate()
        .filter(|(i, _)| i % every == 0 || *i == points.len() - 1)
        .map(|(_, ((x, _), (label, _)))| json!({"x": x, "label": label}))
        .collect();
    json!({
        "width": WIDTH, "height": H, "left": LEFT, "top": TOP_PAD, "bottom": BOTTOM,
        "right": WIDTH - 20.0, "min": min, "max": max, "points": polyline, "dots": dots, "ticks": ticks,
        "label_y": BOTTOM + 20.0,
    })
}

fn pie_svg(points: &[(String, f64)]) -> Value {
    const R: f64 = 120.0;
    const C: f64 = 130.0;
    let total: f64 = points.iter().map(|(_, v)| v.max(0.0)).sum();
    let mut angle = -std::f64::consts::FRAC_PI_2;
    let mut slices = Vec::new();
    for (i, (label, v)) in points.iter().enumerate() {
        let share = if total > 0.0 { v.max(0.0) / total } else { 0.0 };
        let sweep = share * std::f64::consts::TAU;
        let (x1, y1) = (C + R * angle.cos(), C + R * angle.sin());
        angle += sweep;
        let (x2, y2) = (C + R * angle.cos(), C + R * angle.sin());
        let large = i32::from(sweep > std::f64::consts::PI);
        let path = format!(
            "M{C},{C} L{},{} A{R},{R} 0 {large} 1 {},{} Z",
            round(x1),
            round(y1),
            round(x2),
            round(y2)
        );
        slices.push(json!({
            "label": label, "value": v, "percent": round(share * 100.0),
            "whole": share > 0.9999, "path": path, "class": format!("chart-c{}", i % 8),
            "legend_y": 20.0 + i as f64 * 26.0,
        }));
    }
    json!({"width": WIDTH, "height": 2.0 * C, "cx": C, "cy": C, "r": R, "slices": slices, "legend_x": 2.0 * C + 30.0})
}

/// Folded lower-case name, for recognising coordinate columns in either language.
fn column_key(name: &str) -> String {
    sen_domain::fold::fold(name)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Latitude and longitude columns, recognised by name and numeric type.
fn coordinate_columns(fields: &[Value]) -> Option<(String, String)> {
    let find = |names: &[&str]| {
        fields
            .iter()
            .filter(|f| is_numeric(f))
            .filter_map(|f| f["name"].as_str())
            .find(|n| names.contains(&column_key(n).as_str()))
            .map(str::to_string)
    };
    Some((
        find(&["lat", "latitude", "vido"])?,
        find(&["lon", "lng", "long", "longitude", "kinhdo"])?,
    ))
}

/// A map of the table's points (latitude/longitude columns) or shapes (the
/// `geometry` column of a GeoJSON file), projected to fit; Null when the
/// table has neither.
pub(crate) async fn map(state: &AppState, page: &Page, rid: &str, fields: &[Value]) -> Value {
    let coordinates = coordinate_columns(fields);
    let geometry = fields
        .iter()
        .any(|f| f["name"] == "geometry" && f["type"] == "text");
    let query = match (&coordinates, geometry) {
        (Some((lat, lon)), _) => {
            let (lat, lon) = (quoted(lat), quoted(lon));
            json!({"resource_id": rid,
                   "select": format!("{lat} AS lat, {lon} AS lon"),
                   "where": format!("{lat} BETWEEN -90 AND 90 AND {lon} BETWEEN -180 AND 180"),
                   "limit": MAP_FEATURES})
        }
        (None, true) => json!({"resource_id": rid, "select": "geometry",
                               "where": "geometry IS NOT NULL", "limit": MAP_FEATURES}),
        (None, false) => return Value::Null,
    };
    let records = match read(state, page, "datastore_query", query).await {
        Ok(r) => r["records"].as_array().cloned().unwrap_or_default(),
        Err(_) => return Value::Null,
    };
    let mut shapes: Vec<Shape> = Vec::new();
    for r in &records {
        if let (Some(lat), Some(lon)) = (r["lat"].as_f64(), r["lon"].as_f64()) {
            shapes.push(Shape::Point((lon, lat)));
        } else if let Some(text) = r["geometry"].as_str() {
            if let Ok(g) = serde_json::from_str::<Value>(text) {
                geojson_shapes(&g, &mut shapes);
            }
        }
    }
    project(&shapes)
}

enum Shape {
    Point((f64, f64)),
    /// A line, or a ring when closed.
    Path(Vec<(f64, f64)>, bool),
}

fn position(v: &Value) -> Option<(f64, f64)> {
    let lon = v.get(0)?.as_f64()?;
    let lat = v.get(1)?.as_f64()?;
    ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then_some((lon, lat))
}

fn positions(v: &Value) -> Vec<(f64, f64)> {
    v.as_array()
        .map(|a| a.iter().filter_map(position).collect())
        .unwrap_or_default()
}

fn geojson_shapes(g: &Value, out: &mut Vec<Shape>) {
    let coords = &g["coordinates"];
    let empty = Vec::new();
    let items = coords.as_array().unwrap_or(&empty);
    match g["type"].as_str().unwrap_or_default() {
        "Point" => out.extend(position(coords).map(Shape::Point)),
        "MultiPoint" => out.extend(items.iter().filter_map(position).map(Shape::Point)),
        "LineString" => out.push(Shape::Path(positions(coords), false)),
        "MultiLineString" => out.extend(items.iter().map(|l| Shape::Path(positions(l), false))),
        "Polygon" => out.extend(items.iter().map(|r| Shape::Path(positions(r), true))),
        "MultiPolygon" => out.extend(
            items
                .iter()
                .flat_map(|p| p.as_array().cloned().unwrap_or_default())
                .map(|r| Shape::Path(positions(&r), true)),
        ),
        "GeometryCollection" => {
            for inner in g["geometries"].as_array().unwrap_or(&empty) {
                geojson_shapes(inner, out);
            }
        }
        _ => {}
    }
}

/// Fits the shapes into the picture: equirectangular, with longitudes
/// shortened by the cosine of the middle latitude so shapes keep their form.
fn project(shapes: &[Shape]) -> Value {
    let all = shapes.iter().flat_map(|s| match s {
        Shape::Point(p) => std::slice::from_ref(p).iter(),
        Shape::Path(ps, _) => ps.iter(),
    });
    let (mut west, mut east, mut south, mut north) = (180.0_f64, -180.0_f64, 90.0_f64, -90.0_f64);
    let mut any = false;
    for (lon, lat) in all {
        any = true;
        west = west.min(*lon);
        east = east.max(*lon);
        south = south.min(*lat);
        north = north.max(*lat);
    }
    if !any {
        return Value::Null;
    }
    let squeeze = ((south + north) / 2.0).to_radians().cos().max(0.1);
    let span_x = ((east - west) * squeeze).max(0.01);
    let span_y = (north - south).max(0.01);
    const PAD: f64 = 12.0;
    let scale = ((WIDTH - 2.0 * PAD) / span_x).min(480.0 / span_y);
    let height = span_y * scale + 2.0 * PAD;
    let at = |(lon, lat): (f64, f64)| {
        (
            round(PAD + (lon - west) * squeeze * scale),
            round(PAD + (north - lat) * scale),
        )
    };
    let mut points = Vec::new();
    let mut paths = Vec::new();
    for s in shapes {
        match s {
            Shape::Point(p) => {
                let (x, y) = at(*p);
                points.push(json!({"x": x, "y": y}));
            }
            Shape::Path(ps, closed) if ps.len() > 1 => {
                let mut d = String::new();
                for (i, p) in ps.iter().enumerate() {
                    let (x, y) = at(*p);
                    d.push_str(&format!("{}{x},{y} ", if i == 0 { 'M' } else { 'L' }));
                }
                if *closed {
                    d.push('Z');
                }
                paths.push(json!({"d": d.trim_end(), "closed": closed}));
            }
            Shape::Path(..) => {}
        }
    }
    json!({
        "width": WIDTH, "height": round(height), "points": points, "paths": paths,
        "count": shapes.len(), "limit": MAP_FEATURES,
        "west": round(west * 1000.0) / 1000.0, "east": round(east * 1000.0) / 1000.0,
        "south": round(south * 1000.0) / 1000.0, "north": round(north * 1000.0) / 1000.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinate_columns_in_either_language() {
        let fields = vec![
            json!({"name": "Tên trạm", "type": "text"}),
            json!({"name": "Vĩ độ", "type": "numeric"}),
            json!({"name": "Kinh độ", "type": "numeric"}),
        ];
        assert_eq!(
            coordinate_columns(&fields),
            Some(("Vĩ độ".into(), "Kinh độ".into()))
        );
        let text_only = vec![
            json!({"name": "lat", "type": "text"}),
            json!({"name": "lon", "type": "text"}),
        ];
        assert_eq!(coordinate_columns(&text_only), None);
    }

    #[test]
    fn projection_keeps_north_up_and_fits() {
        let shapes = vec![Shape::Point((105.8, 21.0)), Shape::Point((106.7, 10.8))];
        let map = project(&shapes);
        let ys: Vec<f64> = map["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["y"].as_f64().unwrap())
            .collect();
        assert!(ys[0] < ys[1], "Hà Nội is drawn above Hồ Chí Minh City");
        for p in map["points"].as_array().unwrap() {
            assert!(p["x"].as_f64().unwrap() <= WIDTH);
        }
    }

    #[test]
    fn pie_slices_cover_the_circle() {
        let pie = pie_svg(&[("a".into(), 3.0), ("b".into(), 1.0)]);
        let slices = pie["slices"].as_array().unwrap();
        assert_eq!(slices[0]["percent"], 75.0);
        assert_eq!(slices[1]["percent"], 25.0);
        assert!(
            slices[0]["path"].as_str().unwrap().contains(" 1 1 "),
            "the larger slice takes the long arc"
        );
    }
}
