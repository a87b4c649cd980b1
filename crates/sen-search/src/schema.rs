//! The index schema and how a dataset becomes a document.

use crate::{exact, fold};
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, Schema, TextFieldIndexing,
    TextOptions, FAST, STORED, STRING,
};
use tantivy::{DateTime, TantivyDocument};

/// A dataset as the index needs it; built by the catalogue from the database.
#[derive(Debug, Clone, Default)]
pub struct IndexDoc {
    pub id: String,
    pub name: String,
    pub title: String,
    pub notes: String,
    pub tags: Vec<String>,
    /// Organisation name (facet and filter value).
    pub organization: String,
    pub organization_title: String,
    pub organization_kind: String,
    /// Organisation id (visibility).
    pub owner_org: String,
    /// Topic names.
    pub groups: Vec<String>,
    pub group_titles: Vec<String>,
    pub res_formats: Vec<String>,
    pub res_names: Vec<String>,
    pub license_id: String,
    pub access_level: String,
    pub data_class: String,
    pub state: String,
    pub kind: String,
    pub creator_user_id: String,
    /// Other searchable text: extras' values, spatial coverage, resource descriptions.
    pub other_text: Vec<String>,
    pub years: Vec<i32>,
    /// ISO-8601 UTC timestamps as stored in the database.
    pub metadata_modified: String,
    pub metadata_created: String,
    /// The dataset as clients see it (JSON), returned with results so that a
    /// search needs no database read; empty when the caller has none.
    pub dict: String,
}

#[derive(Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub name: Field,
    pub title_sort: Field,
    pub title_stored: Field,
    pub title_exact: Field,
    pub title_folded: Field,
    pub text_exact: Field,
    pub text_folded: Field,
    pub organization: Field,
    pub owner_org: Field,
    pub organization_kind: Field,
    pub groups: Field,
    pub tags: Field,
    pub res_format: Field,
    pub license_id: Field,
    pub access_level: Field,
    pub data_class: Field,
    pub state: Field,
    pub kind: Field,
    pub creator: Field,
    pub year: Field,
    pub metadata_modified: Field,
    pub metadata_created: Field,
    pub dict: Field,
    pub organization_facet: Field,
    pub groups_facet: Field,
}

/// Separates a facet value's name from its title in the `*_facet` fields,
/// which carry both so that facets need no database read for their titles.
pub const TITLE_SEPARATOR: char = '\u{1f}';

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("default")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let keyword = STRING | FAST;
    let date = DateOptions::default()
        .set_indexed()
        .set_fast()
        .set_stored()
        .set_precision(DateTimePrecision::Microseconds);
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED | FAST),
        name: b.add_text_field("name", STRING | STORED | FAST),
        title_sort: b.add_text_field("title_sort", keyword.clone()),
        title_stored: b.add_text_field("title", STORED),
        title_exact: b.add_text_field("title_exact", text.clone()),
        title_folded: b.add_text_field("title_folded", text.clone()),
        text_exact: b.add_text_field("text_exact", text.clone()),
        text_folded: b.add_text_field("text_folded", text),
        organization: b.add_text_field("organization", keyword.clone()),
        owner_org: b.add_text_field("owner_org", keyword.clone()),
        organization_kind: b.add_text_field("organization_kind", keyword.clone()),
        groups: b.add_text_field("groups", keyword.clone()),
        tags: b.add_text_field("tags", keyword.clone()),
        res_format: b.add_text_field("res_format", keyword.clone()),
        license_id: b.add_text_field("license_id", keyword.clone()),
        access_level: b.add_text_field("access_level", keyword.clone()),
        data_class: b.add_text_field("data_class", keyword.clone()),
        state: b.add_text_field("state", keyword.clone()),
        kind: b.add_text_field("type", keyword.clone()),
        creator: b.add_text_field("creator", keyword.clone()),
        year: b.add_text_field("year", keyword),
        metadata_modified: b.add_date_field("metadata_modified", date.clone()),
        metadata_created: b.add_date_field("metadata_created", date),
        dict: b.add_text_field("dict", STORED),
        organization_facet: b.add_text_field("organization_facet", FAST),
        groups_facet: b.add_text_field("groups_facet", FAST),
    };
    (b.build(), fields)
}

/// An index date from a stored timestamp; unreadable ones sort first.
pub fn date(text: &str) -> DateTime {
    let micros = sen_domain::time::parse(text)
        .map(|t| t.timestamp_micros())
        .unwrap_or(0);
    DateTime::from_timestamp_micros(micros)
}

pub fn to_document(f: &Fields, d: &IndexDoc) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &d.id);
    doc.add_text(f.name, &d.name);
    doc.add_text(
        f.title_sort,
        fold(if d.title.is_empty() {
            &d.name
        } else {
            &d.title
        }),
    );
    doc.add_text(
        f.title_stored,
        if d.title.is_empty() {
            &d.name
        } else {
            &d.title
        },
    );
    doc.add_text(f.title_exact, exact(&d.title));
    doc.add_text(f.title_folded, fold(&d.title));
    // The name's words ("dan-so-ha-noi") help where titles are terse.
    doc.add_text(f.text_folded, d.name.replace(['-', '_'], " "));
    let mut texts: Vec<&str> = vec![&d.notes, &d.organization_title];
    texts.extend(d.tags.iter().map(String::as_str));
    texts.extend(d.group_titles.iter().map(String::as_str));
    texts.extend(d.res_names.iter().map(String::as_str));
    texts.extend(d.res_formats.iter().map(String::as_str));
    texts.extend(d.other_text.iter().map(String::as_str));
    for t in texts.into_iter().filter(|t| !t.is_empty()) {
        doc.add_text(f.text_exact, exact(t));
        doc.add_text(f.text_folded, fold(t));
    }
    doc.add_text(f.organization, &d.organization);
    if !d.organization.is_empty() {
        doc.add_text(
            f.organization_facet,
            format!(
                "{}{TITLE_SEPARATOR}{}",
                d.organization, d.organization_title
            ),
        );
    }
    for (name, title) in d.groups.iter().zip(&d.group_titles) {
        doc.add_text(f.groups_facet, format!("{name}{TITLE_SEPARATOR}{title}"));
    }
    doc.add_text(f.owner_org, &d.owner_org);
    doc.add_text(f.organization_kind, &d.organization_kind);
    for g in &d.groups {
        doc.add_text(f.groups, g);
    }
    for t in &d.tags {
        doc.add_text(f.tags, t);
    }
    for r in &d.res_formats {
        doc.add_text(f.res_format, r.to_uppercase());
    }
    doc.add_text(f.license_id, &d.license_id);
    doc.add_text(f.access_level, &d.access_level);
    doc.add_text(f.data_class, &d.data_class);
    doc.add_text(f.state, &d.state);
    doc.add_text(f.kind, &d.kind);
    doc.add_text(f.creator, &d.creator_user_id);
    for y in &d.years {
        doc.add_text(f.year, y.to_string());
    }
    doc.add_date(f.metadata_modified, date(&d.metadata_modified));
    doc.add_date(f.metadata_created, date(&d.metadata_created));
    if !d.dict.is_empty() {
        doc.add_text(f.dict, &d.dict);
    }
    doc
}
