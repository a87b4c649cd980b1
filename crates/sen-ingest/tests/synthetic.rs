//! Small made-up files, one behaviour each.

mod common;

use arrow_array::{
    Array, BooleanArray, Date32Array, Float64Array, Int64Array, TimestampMicrosecondArray,
};
use common::{ingest_bytes, strings, try_ingest, type_of};
use sen_ingest::{keys, Field, FieldType, IngestError, IngestOptions, SourceFormat, TableSchema};

fn csv(text: &str) -> (sen_ingest::Ingested, Vec<arrow_array::RecordBatch>) {
    ingest_bytes(text.as_bytes(), SourceFormat::Csv).expect("ingest")
}

#[test]
fn a_late_text_value_demotes_the_column() {
    let mut text = String::from("id,amount\n");
    for i in 1..=20_000 {
        text.push_str(&format!("{i},{i}\n"));
    }
    text.push_str("20001,n/a\n");
    let (ingested, batches) = csv(&text);
    assert_eq!(ingested.rows, 20_001);
    assert_eq!(type_of(&ingested, "id"), "integer");
    assert_eq!(type_of(&ingested, "amount"), "string");
    assert_eq!(
        strings(&batches, "amount")
            .last()
            .cloned()
            .flatten()
            .as_deref(),
        Some("n/a")
    );
    let w = ingested
        .report
        .warnings
        .iter()
        .find(|w| w.key == keys::MIXED_TYPES)
        .expect("warning");
    assert_eq!(w.arg("first_line"), Some("20002"));
    assert_eq!(w.arg("count"), Some("1"));
    // Several row groups were written.
    assert!(batches.len() >= 2);
}

#[test]
fn vietnamese_decimal_commas_are_numbers() {
    let (ingested, batches) = csv(
        "tỉnh;dân số (nghìn);mật độ;mã\nHà Nội;8.435,7;2.511,2;01\nĐà Nẵng;1.220,2;950;48\nLai Châu;482,1;53,1;12\n",
    );
    assert_eq!(type_of(&ingested, "dân số (nghìn)"), "number");
    assert_eq!(type_of(&ingested, "mật độ"), "number");
    assert_eq!(type_of(&ingested, "mã"), "string", "codes stay text");
    let field = ingested
        .table_schema
        .fields
        .iter()
        .find(|f| f.name == "mật độ")
        .expect("field");
    assert_eq!(field.decimal_char.as_deref(), Some(","));
    assert_eq!(field.group_char.as_deref(), Some("."));
    let col = batches[0]
        .column_by_name("dân số (nghìn)")
        .expect("column")
        .clone();
    let col = col.as_any().downcast_ref::<Float64Array>().expect("f64");
    assert_eq!(col.values().to_vec(), [8435.7, 1220.2, 482.1]);
    let density = batches[0].column_by_name("mật độ").expect("column").clone();
    let density = density
        .as_any()
        .downcast_ref::<Float64Array>()
        .expect("f64");
    assert_eq!(density.values().to_vec(), [2511.2, 950.0, 53.1]);
    assert!(ingested
        .report
        .warnings
        .iter()
        .all(|w| w.key != keys::MIXED_TYPES));
}

#[test]
fn typed_columns() {
    let (ingested, batches) = csv(
        "n,x,ok,d,t\n1,1.5,true,31/12/2020,2020-01-31T10:00:00+07:00\n-2,2,FALSE,1/2/2021,2020-01-31 10:00\n,,,,\n3,,,2021-03-04,\n",
    );
    assert_eq!(ingested.rows, 3, "the row of empty cells is skipped");
    let b = &batches[0];
    let col = |n: &str| b.column_by_name(n).expect("column").clone();
    let n = col("n");
    let n = n.as_any().downcast_ref::<Int64Array>().expect("int64");
    assert_eq!(n.values().to_vec(), [1, -2, 3]);
    let x = col("x");
    let x = x.as_any().downcast_ref::<Float64Array>().expect("f64");
    assert_eq!((x.value(0), x.value(1), x.is_null(2)), (1.5, 2.0, true));
    let ok = col("ok");
    let ok = ok.as_any().downcast_ref::<BooleanArray>().expect("bool");
    assert!(ok.value(0) && !ok.value(1));
    let d = col("d");
    let d = d.as_any().downcast_ref::<Date32Array>().expect("date");
    let dates: Vec<String> = (0..3)
        .filter_map(|i| d.value_as_date(i))
        .map(|d| d.to_string())
        .collect();
    assert_eq!(dates, ["2020-12-31", "2021-02-01", "2021-03-04"]);
    assert_eq!(
        ingested
            .table_schema
            .field("d")
            .and_then(|f| f.format.clone())
            .as_deref(),
        Some("%d/%m/%Y")
    );
    let t = col("t");
    let t = t
        .as_any()
        .downcast_ref::<TimestampMicrosecondArray>()
        .expect("ts");
    assert_eq!(
        t.value_as_datetime(0).map(|v| v.to_string()).as_deref(),
        Some("2020-01-31 03:00:00")
    );
    assert_eq!(
        t.value_as_datetime(1).map(|v| v.to_string()).as_deref(),
        Some("2020-01-31 10:00:00")
    );
}

#[test]
fn windows_1258_bytes() {
    // Windows-1258 writes many Vietnamese letters as a base letter plus a combining
    // mark: "Mã" is M a 0xDE (combining tilde), "Nội" is N ô 0xF2 (dot below) i.
    let bytes = b"Ten,Ma\xDE\nH\xE0 N\xF4\xF2i,01\n";
    let (ingested, batches) = ingest_bytes(bytes, SourceFormat::Csv).expect("ingest");
    assert_eq!(ingested.report.encoding, "windows-1258");
    assert_eq!(ingested.table_schema.fields[1].name, "Ma\u{303}");
    assert_eq!(
        strings(&batches, "Ten")[0].as_deref(),
        Some("H\u{e0} N\u{f4}\u{323}i")
    );
    assert_eq!(strings(&batches, "Ma\u{303}")[0].as_deref(), Some("01"));
}

#[test]
fn utf16le_with_bom() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in "Mã\tTên\r\n01\tHà Nội\r\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let (ingested, batches) = ingest_bytes(&bytes, SourceFormat::Csv).expect("ingest");
    assert_eq!(ingested.report.encoding, "UTF-16LE");
    assert_eq!(ingested.report.delimiter, Some('\t'));
    assert_eq!(strings(&batches, "Tên")[0].as_deref(), Some("Hà Nội"));
    assert_eq!(strings(&batches, "Mã")[0].as_deref(), Some("01"));
}

#[test]
fn semicolons_and_tabs() {
    let (ingested, _) = csv("a;b;c\n1,5;x;2\n2,5;y;3\n");
    assert_eq!(ingested.report.delimiter, Some(';'));
    assert_eq!(ingested.table_schema.fields.len(), 3);
    assert_eq!(
        type_of(&ingested, "a"),
        "number",
        "decimal commas, Vietnamese style"
    );
    let (ingested, _) = ingest_bytes(b"a\tb\n1\t2\n", SourceFormat::Tsv).expect("tsv");
    assert_eq!(ingested.report.delimiter, Some('\t'));
    assert_eq!(type_of(&ingested, "b"), "integer");
}

#[test]
fn quoted_fields() {
    let (ingested, batches) = csv("name,note\r\n\"Nguyễn, Văn A\",\"he said \"\"hi\"\"\"\r\n\"B\",\"two\r\nlines\"\r\nC,plain\r\n");
    assert_eq!(ingested.rows, 3);
    assert_eq!(ingested.report.rejected_count, 0);
    let names = strings(&batches, "name");
    assert_eq!(names[0].as_deref(), Some("Nguyễn, Văn A"));
    let notes = strings(&batches, "note");
    assert_eq!(notes[0].as_deref(), Some("he said \"hi\""));
    assert_eq!(notes[1].as_deref(), Some("two\r\nlines"));
}

#[test]
fn ragged_rows_line_numbers_count_physical_lines() {
    let (ingested, batches) = csv("a,b\n1,2\n\"x\ny\",3\n4\n5,6,7\n8,9,\n");
    assert_eq!(ingested.rows, 4);
    assert_eq!(ingested.report.rejected_count, 1);
    assert_eq!(ingested.report.rejected[0].line, 6);
    let short = ingested
        .report
        .warnings
        .iter()
        .find(|w| w.key == keys::SHORT_ROWS)
        .expect("short");
    assert_eq!(
        (short.arg("count"), short.arg("first_line")),
        (Some("1"), Some("5"))
    );
    assert_eq!(
        strings(&batches, "a"),
        [Some("1"), Some("x\ny"), Some("4"), Some("8")].map(|v| v.map(String::from))
    );
}

#[test]
fn rejected_rows_listed_up_to_the_limit() {
    let mut text = String::from("a,b\n");
    for _ in 0..10 {
        text.push_str("1,2,3\n");
    }
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("f.csv");
    std::fs::write(&path, text).expect("write");
    let options = IngestOptions {
        max_reported_rows: 3,
        ..IngestOptions::default()
    };
    let (ingested, _) = try_ingest(&path, SourceFormat::Csv, &options).expect("ingest");
    assert_eq!(
        (
            ingested.report.rejected.len(),
            ingested.report.rejected_count,
            ingested.rows
        ),
        (3, 10, 0)
    );
}

#[test]
fn unterminated_quote_does_not_panic() {
    let (ingested, _) = csv("a,b\n1,\"open\n2,3\n");
    assert_eq!(ingested.rows, 1);
}

#[test]
fn no_header() {
    let (ingested, _) = csv("1,2020-01-01,3.5\n2,2020-01-02,4\n");
    assert!(!ingested.report.header_row);
    assert_eq!(ingested.rows, 2);
    let names: Vec<_> = ingested
        .table_schema
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["column_1", "column_2", "column_3"]);
    assert_eq!(type_of(&ingested, "column_2"), "date");
    assert!(ingested
        .report
        .warnings
        .iter()
        .any(|w| w.key == keys::NO_HEADER));
}

#[test]
fn duplicate_and_empty_header_names() {
    let (ingested, _) = csv("Tên,,Tên, Tên ,x\n1,2,3,4,5\n");
    let names: Vec<_> = ingested
        .table_schema
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["Tên", "column_2", "Tên_2", "Tên_3", "x"]);
    assert!(ingested
        .report
        .warnings
        .iter()
        .any(|w| w.key == keys::COLUMN_DUPLICATE));
    assert!(ingested
        .report
        .warnings
        .iter()
        .any(|w| w.key == keys::COLUMN_UNNAMED));
}

#[test]
fn empty_and_binary_files_are_clear_errors() {
    for bytes in [&b""[..], b"\xEF\xBB\xBF", b"  \r\n"] {
        let err = ingest_bytes(bytes, SourceFormat::Csv).expect_err("error");
        assert!(matches!(err, IngestError::Empty), "{err:?}");
        assert_eq!(err.notice().key, keys::ERR_EMPTY);
    }
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let err = ingest_bytes(&garbage, SourceFormat::Csv).expect_err("error");
    assert_eq!(err.notice().key, keys::ERR_UNREADABLE);
    for format in [SourceFormat::Xlsx, SourceFormat::Xls] {
        let err = ingest_bytes(&garbage, format).expect_err("error");
        assert_eq!(err.notice().key, keys::ERR_UNREADABLE, "{format}");
    }
}

#[test]
fn overrides_replace_types_and_count_failures() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("f.csv");
    std::fs::write(&path, "code,value,note\n01,1,a\n02,x,b\n").expect("write");
    let field = |name: &str, t: FieldType| Field {
        name: name.into(),
        field_type: t,
        title: Some(format!("Title {name}")),
        description: None,
        format: None,
        decimal_char: None,
        group_char: None,
    };
    let overrides = TableSchema {
        fields: vec![
            field("code", FieldType::Integer),
            field("value", FieldType::Number),
            field("note", FieldType::Other("year".into())),
            field("gone", FieldType::String),
        ],
    };
    let options = IngestOptions {
        overrides: Some(overrides),
        ..IngestOptions::default()
    };
    let (ingested, batches) = try_ingest(&path, SourceFormat::Csv, &options).expect("ingest");
    assert_eq!(type_of(&ingested, "code"), "integer");
    assert_eq!(
        ingested.table_schema.fields[0].title.as_deref(),
        Some("Title code")
    );
    let code = batches[0]
        .column(0)
        .as_any()
        .downcast_ref::<Int64Array>()
        .expect("int")
        .values()
        .to_vec();
    assert_eq!(code, [1, 2]);
    let value = batches[0]
        .column(1)
        .as_any()
        .downcast_ref::<Float64Array>()
        .expect("f64")
        .clone();
    assert!(value.is_null(1));
    let keys_seen: Vec<&str> = ingested
        .report
        .warnings
        .iter()
        .map(|w| w.key.as_str())
        .collect();
    assert!(keys_seen.contains(&keys::OVERRIDE_NULL), "{keys_seen:?}");
    assert!(keys_seen.contains(&keys::OVERRIDE_UNKNOWN_TYPE));
    assert!(keys_seen.contains(&keys::OVERRIDE_MISSING_COLUMN));
    let null = ingested
        .report
        .warnings
        .iter()
        .find(|w| w.key == keys::OVERRIDE_NULL)
        .expect("w");
    assert_eq!(
        (null.arg("column"), null.arg("first_line")),
        (Some("value"), Some("3"))
    );
}

#[test]
fn json_ndjson_and_geojson() {
    let (ingested, batches) = ingest_bytes(
        br#"[{"b":1,"a":"01"},{"a":"02","c":{"x":[1]}},3]"#,
        SourceFormat::Json,
    )
    .expect("json");
    let names: Vec<_> = ingested
        .table_schema
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["b", "a", "c"]);
    assert_eq!(ingested.rows, 2);
    assert_eq!(ingested.report.rejected_count, 1);
    assert_eq!(strings(&batches, "c")[1].as_deref(), Some(r#"{"x":[1]}"#));
    assert_eq!(type_of(&ingested, "a"), "string");

    let (ingested, _) = ingest_bytes(
        b"{\"a\":1}\n\n{\"a\":2.5}\nnot json\n",
        SourceFormat::Ndjson,
    )
    .expect("ndjson");
    assert_eq!(ingested.rows, 2);
    assert_eq!(type_of(&ingested, "a"), "number");
    assert_eq!(ingested.report.rejected[0].line, 4);
    assert_eq!(
        ingested.report.rejected[0].notice.key,
        keys::JSON_INVALID_LINE
    );

    let geo = r#"{"type":"FeatureCollection","name":"x","features":[
        {"type":"Feature","properties":{"ten":"Hà Nội","ma":"01"},"geometry":{"type":"Point","coordinates":[105.8,21.0]}},
        {"type":"Feature","properties":{"ten":"Huế","ma":"46"},"geometry":null}]}"#;
    let (ingested, batches) = ingest_bytes(geo.as_bytes(), SourceFormat::GeoJson).expect("geojson");
    let names: Vec<_> = ingested
        .table_schema
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["ten", "ma", "geometry"]);
    assert_eq!(
        strings(&batches, "geometry"),
        [
            Some(r#"{"type":"Point","coordinates":[105.8,21.0]}"#.to_owned()),
            None
        ]
    );
}

#[test]
fn json_errors() {
    let notice = |bytes: &[u8]| {
        ingest_bytes(bytes, SourceFormat::Json)
            .err()
            .map(|e| e.notice().key)
    };
    assert_eq!(
        notice(br#"{"a":1}"#).as_deref(),
        Some(keys::ERR_JSON_NOT_RECORDS)
    );
    assert_eq!(
        notice(b"[1,2]").as_deref(),
        Some(keys::ERR_JSON_NOT_RECORDS)
    );
    assert_eq!(notice(b"42").as_deref(), Some(keys::ERR_JSON_NOT_RECORDS));
    assert_eq!(notice(b"[]").as_deref(), Some(keys::ERR_EMPTY));
    assert_eq!(
        notice(br#"[{"a":1},"#).as_deref(),
        Some(keys::ERR_JSON_SYNTAX)
    );
    assert_eq!(
        notice(br#"[{"a":1}] x"#).as_deref(),
        Some(keys::ERR_JSON_SYNTAX)
    );
}

#[test]
fn progress_is_reported() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("f.csv");
    std::fs::write(&path, "a\n1\n").expect("write");
    let mut calls = Vec::new();
    let mut out = Vec::new();
    sen_ingest::ingest_file(
        &path,
        SourceFormat::Csv,
        &mut out,
        &IngestOptions::default(),
        &mut |d, t| calls.push((d, t)),
    )
    .expect("ingest");
    assert_eq!(calls.last(), Some(&(8, 8)));
}

#[test]
fn notice_keys_are_listed_in_messages_md() {
    let messages = include_str!("../messages.md");
    for key in sen_ingest::NOTICE_KEYS {
        assert!(
            messages.contains(&format!("| `{key}` |")),
            "{key} missing from messages.md"
        );
    }
}
