//! Whatever the bytes, ingestion returns (Ok or a clear error) and never panics.

mod common;

use common::ingest_bytes;
use proptest::prelude::*;
use sen_ingest::SourceFormat;

const FORMATS: [SourceFormat; 7] = [
    SourceFormat::Csv,
    SourceFormat::Tsv,
    SourceFormat::Json,
    SourceFormat::Ndjson,
    SourceFormat::GeoJson,
    SourceFormat::Xlsx,
    SourceFormat::Xls,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512), f in 0usize..7) {
        let _ = ingest_bytes(&bytes, FORMATS[f]);
        let _ = sen_ingest::detect_format("x", "", &bytes);
    }

    #[test]
    fn csvish_text(text in "[a-c0-9 ,;\t|\"\r\n.\\-/:TZé{}\\[\\]]{0,300}", f in 0usize..5) {
        let _ = ingest_bytes(text.as_bytes(), FORMATS[f]);
    }
}
