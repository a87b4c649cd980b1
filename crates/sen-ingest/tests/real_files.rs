//! Acceptance tests on the real Vietnamese files in shared/data (see its SOURCES.md).

mod common;

use arrow_array::{Array, Date32Array};
use common::{data, ingest, strings, type_of, types};
use sen_ingest::{keys, SourceFormat};

const GSO_COLUMNS: [&str; 8] = [
    "Tỉnh Thành Phố",
    "Mã TP",
    "Quận Huyện",
    "Mã QH",
    "Phường Xã",
    "Mã PX",
    "Cấp",
    "Tên Tiếng Anh",
];

#[test]
fn gso_code_list_in_three_formats_gives_one_table() {
    let mut schemas = Vec::new();
    for (file, format) in [
        ("gso_dvhc_2021-07-11.csv", SourceFormat::Csv),
        ("gso_dvhc_2021-07-11.xls", SourceFormat::Xls),
        ("gso_dvhc_2021-07-11.xlsx", SourceFormat::Xlsx),
    ] {
        let (ingested, batches) = ingest(&data(file), format);
        assert_eq!(ingested.rows, 10_604, "{file}");
        assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 10_604);
        assert_eq!(ingested.report.rejected_count, 0, "{file}");
        let names: Vec<_> = ingested
            .table_schema
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(names, GSO_COLUMNS, "{file}");
        assert!(
            types(&ingested).iter().all(|(_, t)| t == "string"),
            "{file}: {:?}",
            types(&ingested)
        );
        assert!(ingested.report.header_row);
        let tp = strings(&batches, "Mã TP");
        assert_eq!(tp[0].as_deref(), Some("01"), "{file}");
        assert_eq!(strings(&batches, "Mã QH")[0].as_deref(), Some("001"));
        assert_eq!(strings(&batches, "Mã PX")[0].as_deref(), Some("00001"));
        let english = strings(&batches, "Tên Tiếng Anh");
        assert_eq!(
            english.iter().filter(|v| v.is_some()).count(),
            168,
            "{file}"
        );
        let level = strings(&batches, "Cấp");
        let count = |v: &str| level.iter().filter(|x| x.as_deref() == Some(v)).count();
        assert_eq!(
            (count("Xã"), count("Phường"), count("Thị trấn")),
            (8_264, 1_723, 612)
        );
        assert_eq!(
            strings(&batches, "Mã PX")
                .iter()
                .filter(|v| v.is_none())
                .count(),
            5
        );
        schemas.push(ingested.table_schema);
        if format == SourceFormat::Csv {
            assert_eq!(ingested.report.encoding, "UTF-8 (BOM)");
            assert_eq!(ingested.report.delimiter, Some(','));
        }
    }
    assert_eq!(schemas[0], schemas[1]);
    assert_eq!(schemas[0], schemas[2]);
}

#[test]
fn provinces() {
    let (ingested, batches) = ingest(&data("vn_provinces.csv"), SourceFormat::Csv);
    assert_eq!(ingested.rows, 63);
    assert_eq!(ingested.report.encoding, "UTF-8");
    assert_eq!(ingested.table_schema.fields.len(), 9);
    assert_eq!(
        strings(&batches, "name")[1].as_deref(),
        Some("Bà Rịa-Vũng Tàu")
    );
    assert!(
        ingested.report.warnings.is_empty(),
        "{:?}",
        ingested.report.warnings
    );
}

#[test]
fn listed_companies_have_a_date_column() {
    let (ingested, batches) = ingest(&data("vn_listed_companies.csv"), SourceFormat::Csv);
    assert_eq!(ingested.rows, 752);
    assert_eq!(type_of(&ingested, "listingDate"), "date");
    let field = ingested.table_schema.field("listingDate").expect("field");
    assert_eq!(field.format.as_deref(), Some("default"));
    assert_eq!(
        strings(&batches, "subsector")[0].as_deref(),
        Some("Nhựa, cao su & sợi")
    );
    let dates = batches[0].column_by_name("listingDate").expect("column");
    let dates = dates
        .as_any()
        .downcast_ref::<Date32Array>()
        .expect("date32");
    // 2016-11-25
    assert_eq!(
        dates.value_as_date(0).map(|d| d.to_string()),
        Some("2016-11-25".into())
    );
    assert!(dates.is_valid(0));
}

#[test]
fn national_assembly_members_are_reported_not_crashed() {
    let (ingested, _) = ingest(&data("vn_national_assembly_members.csv"), SourceFormat::Csv);
    assert_eq!(ingested.report.rejected_count, 5);
    let lines: Vec<u64> = ingested.report.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2290, 2490, 2621, 3277, 3501]);
    let first = &ingested.report.rejected[0].notice;
    assert_eq!(first.key, keys::RAGGED_ROW);
    assert_eq!(first.arg("expected"), Some("10"));
    assert_eq!(first.arg("found"), Some("11"));
    assert_eq!(ingested.rows, 6_511 - 5);
    assert_eq!(type_of(&ingested, "date_of_birth"), "string");
    assert_eq!(type_of(&ingested, "no"), "integer");
    assert_eq!(type_of(&ingested, "active"), "boolean");
    assert!(ingested
        .report
        .warnings
        .iter()
        .any(|w| w.key == keys::MIXED_TYPES && w.arg("column") == Some("date_of_birth")));
}

#[test]
fn nested_json_keeps_nested_values_as_json_text() {
    let (ingested, batches) = ingest(&data("vn_units_simplified.json"), SourceFormat::Json);
    assert_eq!(ingested.rows, 63);
    let names: Vec<_> = ingested
        .table_schema
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(&names[..3], ["Code", "Name", "NameEn"]);
    assert_eq!(type_of(&ingested, "Code"), "string");
    let districts = strings(&batches, "District");
    let first = districts[0].as_deref().unwrap_or("");
    let parsed: serde_json::Value = serde_json::from_str(first).expect("JSON text");
    assert_eq!(parsed[0]["Name"], "Ba Đình");
    assert_eq!(strings(&batches, "Name")[0].as_deref(), Some("Hà Nội"));
}
