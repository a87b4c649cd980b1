//! The search query parsers (fq, q, sort) never panic on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = sen_catalog::parse_fq(text);
        let _ = sen_catalog::parse_search_q(text);
        let _ = sen_catalog::parse_search_sort(text);
    }
});
