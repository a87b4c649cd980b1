//! `sen bench search` at a size CI can afford: it generates a catalogue, serves
//! it, drives package_search and prints the table (with the PostgreSQL
//! reference when TEST_DATABASE_URL is set).

use std::process::Command;

/// The values of the row starting with `label`, split on runs of two spaces.
fn row<'a>(text: &'a str, label: &str) -> Vec<&'a str> {
    let line = text
        .lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no {label:?} row in:\n{text}"));
    line[label.len()..]
        .split("  ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn bench_search_prints_the_table_without_errors() {
    let postgres = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sen"));
    cmd.args([
        "bench",
        "search",
        "--datasets",
        "300",
        "--requests",
        "200",
        "--concurrency",
        "4",
    ])
    .env("SEN_LOG", "warn")
    .env_remove("SEN_BENCH_POSTGRES")
    .env_remove("DATABASE_URL");
    if let Some(url) = &postgres {
        cmd.args(["--postgres", url]);
    }
    let out = cmd.output().expect("run sen bench search");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "sen bench search failed:\n{stdout}\n{stderr}"
    );

    assert!(
        stdout.contains("Sen search benchmark — 300 datasets, 200 requests, concurrency 4"),
        "{stdout}"
    );
    assert!(stdout.contains("index rebuild:"), "{stdout}");
    for label in [
        "p50",
        "p99",
        "requests/s",
        "server peak memory",
        "faster than PG",
    ] {
        assert!(!row(&stdout, label).is_empty(), "{label}");
    }
    let answered = row(&stdout, "requests answered");
    assert_eq!(answered[0], "200", "{stdout}");
    let errors = row(&stdout, "errors (non-200)");
    assert_eq!(errors[0], "0", "Sen answered with errors:\n{stdout}");
    assert!(stdout.contains("dân số | organization:tong-cuc-thong-ke res_format:CSV"));
    // The web pages of the same catalogue are measured too, without errors.
    for label in [
        "search page p50",
        "search page p99",
        "dataset page p50",
        "dataset page p99",
    ] {
        assert!(row(&stdout, label)[0].ends_with("ms"), "{label}: {stdout}");
    }
    let first_load = row(&stdout, "first page load");
    let kb: f64 = first_load[0]
        .trim_end_matches(" KB")
        .parse()
        .expect("KB figure");
    assert!(kb > 5.0 && kb <= 150.0, "a first visit weighs {kb} KB");
    assert!(!stdout.contains("first Sen page error"), "{stdout}");
    // Progress goes to standard error, the table alone to standard output.
    assert!(stderr.contains("rebuilding the search index"), "{stderr}");

    match postgres {
        Some(_) => {
            assert!(
                stdout.contains("PostgreSQL reference: PostgreSQL"),
                "{stdout}"
            );
            assert_eq!(errors[1], "0", "the reference failed:\n{stdout}");
            assert_eq!(answered[1], "200", "{stdout}");
        }
        None => assert!(stdout.contains("PostgreSQL reference: skipped"), "{stdout}"),
    }
}

#[test]
fn bench_datastore_prints_the_table_without_errors() {
    let postgres = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sen"));
    cmd.args([
        "bench",
        "datastore",
        "--rows",
        "3000",
        "--requests",
        "60",
        "--concurrency",
        "2",
    ])
    .env("SEN_LOG", "warn")
    .env_remove("SEN_BENCH_POSTGRES")
    .env_remove("DATABASE_URL");
    if let Some(url) = &postgres {
        cmd.args(["--postgres", url]);
    }
    let out = cmd.output().expect("run sen bench datastore");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "sen bench datastore failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("Sen datastore benchmark — 3000 rows"),
        "{stdout}"
    );
    assert!(
        stdout.contains("rows queryable: 3000"),
        "every generated row is queryable: {stdout}"
    );
    for label in [
        "upload → queryable",
        "server peak memory",
        "filter+sort p50",
        "GROUP BY (median of 5)",
    ] {
        assert!(!row(&stdout, label).is_empty(), "{label}");
    }
    assert_eq!(row(&stdout, "errors")[0], "0", "{stdout}");
    assert_eq!(row(&stdout, "requests answered")[0], "60", "{stdout}");
    match postgres {
        Some(_) => assert!(stdout.contains("reference loaded: 3000"), "{stdout}"),
        None => assert!(stdout.contains("PostgreSQL reference: skipped"), "{stdout}"),
    }
}
