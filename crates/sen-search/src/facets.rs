//! Facet counts straight from the fast fields' term ordinals.
//!
//! Each segment counts, per facet, how many matching datasets hold each term
//! ordinal (a dataset counts once per value, however often it repeats it);
//! only ordinals that were counted are turned into text, and segments merge
//! by value. Same counts as a terms aggregation, without its JSON framework.

use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Per facet, (value, number of matching datasets holding it), unordered.
pub type FacetCounts = Vec<Vec<(String, u64)>>;

pub struct FacetCollector {
    pub fields: Vec<String>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let mut columns = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            let column = reader.fast_fields().str(field)?;
            let counts = vec![0u32; column.as_ref().map_or(0, |c| c.dictionary().num_terms())];
            columns.push((column, counts));
        }
        Ok(FacetSegmentCollector {
            columns,
            ords: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        if segments.len() == 1 {
            return Ok(segments.into_iter().next().expect("one segment"));
        }
        let mut merged: Vec<HashMap<String, u64>> = vec![HashMap::new(); self.fields.len()];
        for segment in segments {
            for (into, counts) in merged.iter_mut().zip(segment) {
                for (value, n) in counts {
                    *into.entry(value).or_default() += n;
                }
            }
        }
        Ok(merged
            .into_iter()
            .map(|m| m.into_iter().collect())
            .collect())
    }
}

pub struct FacetSegmentCollector {
    columns: Vec<(Option<StrColumn>, Vec<u32>)>,
    ords: Vec<u64>,
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (column, counts) in &mut self.columns {
            let Some(column) = column else { continue };
            let ords = column.ords();
            self.ords.clear();
            self.ords.extend(ords.values_for_doc(doc));
            if self.ords.len() > 1 {
                self.ords.sort_unstable();
                self.ords.dedup();
            }
            for &ord in &self.ords {
                if let Some(c) = counts.get_mut(ord as usize) {
                    *c += 1;
                }
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut text = String::new();
        self.columns
            .into_iter()
            .map(|(column, counts)| {
                let Some(column) = column else {
                    return Vec::new();
                };
                counts
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n > 0)
                    .filter_map(|(ord, n)| match column.ord_to_str(ord as u64, &mut text) {
                        Ok(true) => Some((text.clone(), u64::from(*n))),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }
}
