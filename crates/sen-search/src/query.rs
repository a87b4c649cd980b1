//! Turning a search request into a tantivy query, and running it with counts,
//! facets and sorting.

use crate::facets::{FacetCollector, FacetCounts};
use crate::schema::{date, Fields};
use crate::synonyms::{words, Synonyms};
use crate::union::SeekUnionQuery;
use crate::{exact, fold, Result, SearchError};
use sen_domain::query::{Filter, FilterField};
use serde_json::{json, Value};
use std::ops::Bound;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::AggregationResults;
use tantivy::aggregation::AggregationCollector;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur,
    PhrasePrefixQuery, PhraseQuery, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value as _};
use tantivy::{DateTime, DocAddress, Order, Searcher, TantivyDocument, Term};

/// Who is searching, and what they asked to include.
#[derive(Debug, Clone, Default)]
pub struct Visibility {
    pub sysadmin: bool,
    /// Ids of the organisations the searcher belongs to.
    pub member_orgs: Vec<String>,
    /// Government staff (a member of an organisation): sees shared datasets' metadata.
    pub staff: bool,
    /// Without it, only open datasets (CKAN's default).
    pub include_private: bool,
    pub include_drafts: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Score,
    Modified,
    Created,
    Title,
    Name,
    Id,
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// Free text (field terms already taken out as filters).
    pub text: String,
    pub filters: Vec<Filter>,
    pub visibility: Visibility,
    /// Sort keys with `true` for descending; the first decides, as far as the index goes.
    pub sort: Vec<(SortKey, bool)>,
    pub rows: usize,
    pub start: usize,
    pub facets: Vec<String>,
    /// Negative: no limit.
    pub facet_limit: i64,
    pub facet_mincount: u64,
}

#[derive(Debug, Clone, Default)]
pub struct SearchResponse {
    pub ids: Vec<String>,
    /// The stored dataset dictionaries (JSON) of `ids`, in the same order;
    /// an empty string where a document was indexed without one.
    pub dicts: Vec<String>,
    pub count: u64,
    /// Facet → its values, most frequent first.
    pub facets: Vec<(String, Vec<FacetValue>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    pub name: String,
    /// The organisation's or topic's title, where the facet has titles.
    pub title: Option<String>,
    pub count: u64,
}

/// The index field a facet counts: organisations and topics count a field
/// holding name and title together (see `TITLE_SEPARATOR`).
fn facet_field(facet: &str) -> &str {
    match facet {
        "organization" => "organization_facet",
        "groups" => "groups_facet",
        other => other,
    }
}

/// A counted value, split into name and title where it carries both.
fn facet_value(value: &str, count: u64) -> FacetValue {
    match value.split_once(crate::schema::TITLE_SEPARATOR) {
        Some((name, title)) => FacetValue {
            name: name.to_string(),
            title: Some(title.to_string()).filter(|t| !t.is_empty()),
            count,
        },
        None => FacetValue {
            name: value.to_string(),
            title: None,
            count,
        },
    }
}

/// Facet names and the index fields they count.
pub const FACETS: &[&str] = &[
    "organization",
    "groups",
    "tags",
    "res_format",
    "license_id",
    "access_level",
    "data_class",
    "organization_kind",
    "year",
];

fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        term(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}

/// A phrase (or a single word) on one field.
fn phrase(field: Field, words: &[String]) -> Box<dyn Query> {
    if words.len() == 1 {
        return term_query(field, &words[0]);
    }
    Box::new(PhraseQuery::new(
        words.iter().map(|w| term(field, w)).collect(),
    ))
}

/// One query word, accents optional: folded title and text, with one typo allowed on longer words.
fn word_clause(f: &Fields, w: &str, fuzzy: bool) -> Box<dyn Query> {
    let mut should: Vec<Box<dyn Query>> = vec![
        boosted(term_query(f.title_folded, w), 3.0),
        term_query(f.text_folded, w),
    ];
    if fuzzy && w.chars().count() >= 5 {
        should.push(boosted(
            Box::new(FuzzyTermQuery::new(term(f.title_folded, w), 1, true)),
            0.6,
        ));
        should.push(boosted(
            Box::new(FuzzyTermQuery::new(term(f.text_folded, w), 1, true)),
            0.2,
        ));
    }
    Box::new(SeekUnionQuery::new(should))
}

/// Several words that must occur as a phrase (a synonym), in title or text.
fn phrase_clause(f: &Fields, words: &[String]) -> Box<dyn Query> {
    Box::new(SeekUnionQuery::new(vec![
        boosted(phrase(f.title_folded, words), 3.0),
        phrase(f.text_folded, words),
    ]))
}

fn text_query(f: &Fields, synonyms: &Synonyms, text: &str, fuzzy: bool) -> Option<Box<dyn Query>> {
    let folded = words(&fold(text));
    if folded.is_empty() {
        return None;
    }
    let exact_words = words(&exact(text));
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();

    // Every word must match, or a synonym of the phrase it belongs to.
    let expansions = synonyms.expansions(&folded);
    let mut i = 0;
    while i < folded.len() {
        match expansions
            .iter()
            .filter(|(s, _, _)| *s == i)
            .max_by_key(|(_, n, _)| *n)
        {
            Some((_, n, alternatives)) => {
                // The words themselves (together or apart; together ranks higher
                // through the phrase boosts below), or a synonym as a phrase.
                let own: Vec<(Occur, Box<dyn Query>)> = folded[i..i + n]
                    .iter()
                    .map(|w| (Occur::Must, word_clause(f, w, fuzzy)))
                    .collect();
                let mut options: Vec<Box<dyn Query>> = vec![Box::new(BooleanQuery::new(own))];
                for alt in alternatives {
                    options.push(boosted(phrase_clause(f, alt), 0.8));
                }
                clauses.push((Occur::Must, Box::new(SeekUnionQuery::new(options))));
                i += n;
            }
            None => {
                clauses.push((Occur::Must, word_clause(f, &folded[i], fuzzy)));
                i += 1;
            }
        }
    }
    // Boosts only: they rank, and are sought only on the datasets that match.
    let mut boosts: Vec<Box<dyn Query>> = Vec::new();
    // Exact spelling ranks first, the more so for words typed with their
    // marks: "sở" (department) should not rank below "số" (number).
    if exact_words.len() == folded.len() {
        for (w, plain) in exact_words.iter().zip(&folded) {
            let marked = w != plain;
            boosts.push(boosted(
                term_query(f.title_exact, w),
                if marked { 5.0 } else { 2.0 },
            ));
            boosts.push(boosted(
                term_query(f.text_exact, w),
                if marked { 2.0 } else { 0.7 },
            ));
        }
    }
    // Words together rank above words apart: the whole query, and each pair
    // of syllables (Vietnamese words are often two).
    if folded.len() > 1 {
        boosts.push(boosted(phrase(f.title_folded, &folded), 6.0));
        boosts.push(boosted(phrase(f.text_folded, &folded), 3.0));
        if exact_words.len() == folded.len() {
            boosts.push(boosted(phrase(f.title_exact, &exact_words), 3.0));
        }
        // (with two words the pair is the whole query, already boosted)
        for pair in folded.windows(2).filter(|_| folded.len() > 2) {
            boosts.push(boosted(phrase(f.title_folded, pair), 2.0));
            boosts.push(boosted(phrase(f.text_folded, pair), 1.5));
        }
    }
    if !boosts.is_empty() {
        clauses.push((Occur::Should, Box::new(SeekUnionQuery::new(boosts))));
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

fn filter_field(f: &Fields, field: FilterField) -> Option<Field> {
    Some(match field {
        FilterField::Organization => f.organization,
        FilterField::OwnerOrg => f.owner_org,
        FilterField::Groups => f.groups,
        FilterField::Tags => f.tags,
        FilterField::ResFormat => f.res_format,
        FilterField::LicenseId => f.license_id,
        FilterField::AccessLevel => f.access_level,
        FilterField::DataClass => f.data_class,
        FilterField::Name => f.name,
        FilterField::Id => f.id,
        FilterField::Type => f.kind,
        FilterField::State => f.state,
        FilterField::OrganizationKind => f.organization_kind,
        FilterField::Year => f.year,
        FilterField::MetadataModified | FilterField::MetadataCreated => return None,
    })
}

fn filter_query(f: &Fields, filter: &Filter) -> Box<dyn Query> {
    match filter.field {
        FilterField::MetadataModified | FilterField::MetadataCreated => {
            let field = if filter.field == FilterField::MetadataModified {
                f.metadata_modified
            } else {
                f.metadata_created
            };
            let bound = |v: Option<&String>| match v.map(String::as_str) {
                None | Some("*") => Bound::Unbounded,
                // The range runs on the fast field, which keeps microseconds; a term
                // "for search" would be cut to whole seconds (the inverted index's
                // precision) and let earlier changes of the same second through.
                Some(t) => Bound::Included(Term::from_field_date(field, date(t))),
            };
            Box::new(RangeQuery::new(
                bound(filter.values.first()),
                bound(filter.values.get(1)),
            ))
        }
        other => {
            let Some(field) = filter_field(f, other) else {
                return Box::new(EmptyQuery);
            };
            let values: Vec<String> = filter
                .values
                .iter()
                .map(|v| {
                    if other == FilterField::ResFormat {
                        v.to_uppercase()
                    } else {
                        v.clone()
                    }
                })
                .collect();
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            any_of(field, &values)
        }
    }
}

/// Datasets with any of these values, each scoring 1 (as a set query does).
/// A few values are sought term by term; building a term set's automaton
/// costs more than the search itself.
fn any_of(field: Field, values: &[&str]) -> Box<dyn Query> {
    let exists = |v: &&str| -> Box<dyn Query> {
        Box::new(TermQuery::new(term(field, v), IndexRecordOption::Basic))
    };
    let q: Box<dyn Query> = match values {
        [one] => exists(one),
        few if few.len() <= 16 => Box::new(SeekUnionQuery::new(few.iter().map(exists).collect())),
        many => return Box::new(TermSetQuery::new(many.iter().map(|v| term(field, v)))),
    };
    Box::new(ConstScoreQuery::new(q, 1.0))
}

/// The conditions that make a dataset exist for this searcher.
fn visibility_clauses(f: &Fields, v: &Visibility) -> Vec<(Occur, Box<dyn Query>)> {
    let states: &[&str] = if v.include_drafts {
        &["active", "draft"]
    } else {
        &["active"]
    };
    let mut out = vec![(Occur::Must, any_of(f.state, states))];
    if !v.include_private {
        out.push((Occur::Must, any_of(f.access_level, &["open"])));
    } else if !v.sysadmin {
        let mut either: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Should, any_of(f.access_level, &["open"]))];
        if !v.member_orgs.is_empty() {
            let orgs: Vec<&str> = v.member_orgs.iter().map(String::as_str).collect();
            either.push((Occur::Should, any_of(f.owner_org, &orgs)));
        }
        if v.staff {
            either.push((Occur::Should, any_of(f.access_level, &["shared"])));
        }
        out.push((Occur::Must, Box::new(BooleanQuery::new(either))));
    }
    out
}

fn build_query(
    f: &Fields,
    synonyms: &Synonyms,
    req: &SearchRequest,
    fuzzy: bool,
) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    match text_query(f, synonyms, &req.text, fuzzy) {
        Some(q) => clauses.push((Occur::Must, q)),
        None => clauses.push((Occur::Must, Box::new(AllQuery))),
    }
    for filter in &req.filters {
        let occur = if filter.negate {
            Occur::MustNot
        } else {
            Occur::Must
        };
        clauses.push((occur, filter_query(f, filter)));
    }
    // Filters and visibility decide membership, not rank.
    for (occur, q) in visibility_clauses(f, &req.visibility) {
        clauses.push((occur, Box::new(ConstScoreQuery::new(q, 0.0))));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// How many values a facet lists at most.
fn facet_size(req: &SearchRequest) -> u64 {
    let size = if req.facet_limit < 0 {
        10_000
    } else {
        req.facet_limit.min(10_000) as u64
    };
    size.max(1)
}

/// Facets counted from fast-field ordinals; with a minimum count of zero
/// (values no matching dataset holds are listed too) the aggregation does it.
fn facet_collectors(
    req: &SearchRequest,
) -> Result<(Option<FacetCollector>, Option<AggregationCollector>)> {
    if req.facets.is_empty() {
        return Ok((None, None));
    }
    for facet in &req.facets {
        if !FACETS.contains(&facet.as_str()) {
            return Err(SearchError::Query(format!("can not facet on {facet}")));
        }
    }
    if req.facet_mincount > 0 {
        return Ok((
            Some(FacetCollector {
                fields: req
                    .facets
                    .iter()
                    .map(|f| facet_field(f).to_string())
                    .collect(),
            }),
            None,
        ));
    }
    Ok((None, aggregations(req)?))
}

fn aggregations(req: &SearchRequest) -> Result<Option<AggregationCollector>> {
    let size = facet_size(req);
    let mut aggs = serde_json::Map::new();
    for facet in &req.facets {
        aggs.insert(
            facet.clone(),
            json!({"terms": {"field": facet_field(facet), "size": size, "segment_size": 100_000, "min_doc_count": req.facet_mincount, "order": {"_count": "desc"}}}),
        );
    }
    let aggs: Aggregations = serde_json::from_value(Value::Object(aggs))
        .map_err(|e| SearchError::Query(e.to_string()))?;
    Ok(Some(AggregationCollector::from_aggs(
        aggs,
        Default::default(),
    )))
}

fn facet_values(
    req: &SearchRequest,
    counted: Option<FacetCounts>,
    results: Option<AggregationResults>,
) -> Vec<(String, Vec<FacetValue>)> {
    let counted: Vec<Vec<(String, u64)>> = match (counted, results) {
        (Some(counted), _) => counted,
        (None, Some(results)) => {
            let value = serde_json::to_value(results).unwrap_or(Value::Null);
            req.facets
                .iter()
                .map(|facet| {
                    value[facet]["buckets"]
                        .as_array()
                        .map(|b| {
                            b.iter()
                                .filter_map(|x| {
                                    Some((x["key"].as_str()?.to_string(), x["doc_count"].as_u64()?))
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        }
        (None, None) => return Vec::new(),
    };
    let size = if req.facet_limit == 0 {
        0
    } else {
        facet_size(req) as usize
    };
    req.facets
        .iter()
        .zip(counted)
        .map(|(facet, items)| {
            let mut items: Vec<FacetValue> = items
                .into_iter()
                .filter(|(k, n)| !k.is_empty() && *n >= req.facet_mincount)
                .map(|(k, n)| facet_value(&k, n))
                .collect();
            // Most frequent first, then by name, for stable output.
            items.sort_unstable_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
            items.truncate(size);
            (facet.clone(), items)
        })
        .collect()
}

/// The datasets' ids and stored dictionaries, in result order.
fn stored_of(
    searcher: &Searcher,
    f: &Fields,
    docs: impl Iterator<Item = DocAddress>,
) -> Result<(Vec<String>, Vec<String>)> {
    let mut ids = Vec::new();
    let mut dicts = Vec::new();
    for addr in docs {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        ids.push(text(f.id));
        dicts.push(text(f.dict));
    }
    Ok((ids, dicts))
}

/// Searches for the words as given; only when nothing matches does it try
/// again forgiving one typo per longer word (typo expansion is costly on a
/// large vocabulary, and exact matches should not compete with near ones).
pub fn search(
    searcher: &Searcher,
    f: &Fields,
    synonyms: &Synonyms,
    req: &SearchRequest,
) -> Result<SearchResponse> {
    let found = search_with(searcher, f, synonyms, req, false)?;
    if found.count > 0
        || words(&fold(&req.text))
            .iter()
            .all(|w| w.chars().count() < 5)
    {
        return Ok(found);
    }
    search_with(searcher, f, synonyms, req, true)
}

fn search_with(
    searcher: &Searcher,
    f: &Fields,
    synonyms: &Synonyms,
    req: &SearchRequest,
    fuzzy: bool,
) -> Result<SearchResponse> {
    let query = build_query(f, synonyms, req, fuzzy);
    let (counted, aggs) = facet_collectors(req)?;
    // Without words every score is equal: "score desc, metadata_modified desc"
    // then means newest first, as CKAN users expect when browsing.
    let has_words = !words(&fold(&req.text)).is_empty();
    let mut keys = req
        .sort
        .iter()
        .copied()
        .filter(|(k, _)| has_words || *k != SortKey::Score);
    let (key, desc) = keys.next().unwrap_or(if has_words {
        (SortKey::Score, true)
    } else {
        (SortKey::Modified, true)
    });
    let order = if desc { Order::Desc } else { Order::Asc };
    let (count, (ids, dicts), counted, agg_results) = if req.rows == 0 {
        let (count, counted, aggs) = searcher.search(&query, &(Count, counted, aggs))?;
        (count, (Vec::new(), Vec::new()), counted, aggs)
    } else {
        let top = TopDocs::with_limit(req.rows).and_offset(req.start);
        match key {
            SortKey::Score => {
                let (count, docs, counted, aggs) =
                    searcher.search(&query, &(Count, top.order_by_score(), counted, aggs))?;
                (
                    count,
                    stored_of(searcher, f, docs.into_iter().map(|(_, a)| a))?,
                    counted,
                    aggs,
                )
            }
            SortKey::Modified | SortKey::Created => {
                let name = if key == SortKey::Modified {
                    "metadata_modified"
                } else {
                    "metadata_created"
                };
                let (count, docs, counted, aggs) = searcher.search(
                    &query,
                    &(
                        Count,
                        top.order_by_fast_field::<DateTime>(name, order),
                        counted,
                        aggs,
                    ),
                )?;
                (
                    count,
                    stored_of(searcher, f, docs.into_iter().map(|(_, a)| a))?,
                    counted,
                    aggs,
                )
            }
            SortKey::Title | SortKey::Name | SortKey::Id => {
                let name = match key {
                    SortKey::Title => "title_sort",
                    SortKey::Name => "name",
                    _ => "id",
                };
                let (count, docs, counted, aggs) = searcher.search(
                    &query,
                    &(
                        Count,
                        top.order_by_string_fast_field(name, order),
                        counted,
                        aggs,
                    ),
                )?;
                (
                    count,
                    stored_of(searcher, f, docs.into_iter().map(|(_, a)| a))?,
                    counted,
                    aggs,
                )
            }
        }
    };
    Ok(SearchResponse {
        ids,
        dicts,
        count: count as u64,
        facets: facet_values(req, counted, agg_results),
    })
}

pub fn suggest(
    searcher: &Searcher,
    f: &Fields,
    prefix: &str,
    v: &Visibility,
    limit: usize,
) -> Result<Vec<(String, String)>> {
    let folded = words(&fold(prefix));
    if folded.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    // Every finished word must be in the title, anywhere; the last one typed
    // may be partial. Titles holding the words in the order typed rank first.
    let Some((last, finished)) = folded.split_last() else {
        return Ok(Vec::new());
    };
    let mut words_present: Vec<(Occur, Box<dyn Query>)> = finished
        .iter()
        .map(|w| (Occur::Must, term_query(f.title_folded, w)))
        .collect();
    words_present.push((
        Occur::Must,
        Box::new(PhrasePrefixQuery::new(vec![term(f.title_folded, last)])),
    ));
    let mut text_clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, Box::new(BooleanQuery::new(words_present)))];
    if !finished.is_empty() {
        let in_order =
            PhrasePrefixQuery::new(folded.iter().map(|w| term(f.title_folded, w)).collect());
        text_clauses.push((Occur::Should, boosted(Box::new(in_order), 4.0)));
    }
    let text: Box<dyn Query> = Box::new(BooleanQuery::new(text_clauses));
    let mut clauses = vec![(Occur::Must, text)];
    clauses.push((Occur::Must, any_of(f.kind, &["dataset"])));
    clauses.extend(visibility_clauses(f, v));
    let query = BooleanQuery::new(clauses);
    let docs = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
    let mut out = Vec::new();
    for (_, addr) in docs {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let get = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        out.push((get(f.name), get(f.title_stored)));
    }
    Ok(out)
}

pub fn newest_modified(searcher: &Searcher) -> Result<Option<String>> {
    let top = searcher.search(
        &AllQuery,
        &TopDocs::with_limit(1).order_by_fast_field::<DateTime>("metadata_modified", Order::Desc),
    )?;
    Ok(top.first().and_then(|(d, _)| *d).map(|d| {
        chrono::DateTime::from_timestamp_micros(d.into_timestamp_micros())
            .map(sen_domain::time::format)
            .unwrap_or_default()
    }))
}
