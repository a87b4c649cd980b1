//! A disjunction that moves its clauses one seek at a time.
//!
//! tantivy's `BooleanQuery` of `Should` clauses becomes a buffered union: each
//! seek past its 4,096-document window refills the next window from every
//! clause, so a union sought by a sparse intersection (a few hundred datasets
//! left by the filters) still reads every clause's postings end to end, and a
//! phrase clause checks positions on every document holding its words. This
//! union instead seeks each clause to the target (skip lists, positions read
//! only there), so its cost follows the documents asked about. Matching and
//! score are those of the `Should`-only `BooleanQuery`: a document matches
//! when any clause does and scores the sum of the clauses that match.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

#[derive(Debug)]
pub struct SeekUnionQuery {
    clauses: Vec<Box<dyn Query>>,
}

impl Clone for SeekUnionQuery {
    fn clone(&self) -> Self {
        Self {
            clauses: self.clauses.iter().map(|q| q.box_clone()).collect(),
        }
    }
}

impl SeekUnionQuery {
    pub fn new(clauses: Vec<Box<dyn Query>>) -> Self {
        Self { clauses }
    }
}

impl Query for SeekUnionQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|q| q.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(SeekUnionWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.clauses {
            q.query_terms(visitor);
        }
    }
}

struct SeekUnionWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for SeekUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.weights.len());
        for w in &self.weights {
            let s = w.scorer(reader, boost)?;
            if s.doc() != TERMINATED {
                scorers.push(s);
            }
        }
        if scorers.len() == 1 {
            return Ok(scorers.pop().expect("one scorer"));
        }
        let doc = scorers.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
        Ok(Box::new(SeekUnionScorer { scorers, doc }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        let mut explanation = Explanation::new("sum of matching clauses", scorer.score());
        for w in &self.weights {
            if let Ok(e) = w.explain(reader, doc) {
                explanation.add_detail(e);
            }
        }
        Ok(explanation)
    }
}

struct SeekUnionScorer {
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl SeekUnionScorer {
    fn settle(&mut self) -> DocId {
        self.scorers.retain(|s| s.doc() != TERMINATED);
        self.doc = self
            .scorers
            .iter()
            .map(|s| s.doc())
            .min()
            .unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for SeekUnionScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let current = self.doc;
        for s in &mut self.scorers {
            if s.doc() == current {
                s.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for s in &mut self.scorers {
            if s.doc() < target {
                s.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(|s| s.size_hint())
            .fold(0u32, u32::saturating_add)
    }
}

impl Scorer for SeekUnionScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut total = 0.0;
        for s in &mut self.scorers {
            if s.doc() == doc {
                total += s.score();
            }
        }
        total
    }
}
