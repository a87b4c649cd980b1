//! `package_search`, first version: the query language harvesters and ckanapi
//! send (a Solr subset) parsed here, evaluated by the database. The search issue
//! replaces the evaluation with a full-text index; the parsing stays.

use crate::input::{Dict, Input};
use crate::{Actor, Catalog};
use sen_db::{Filter, FilterField};
use sen_domain::{Error, ErrorKind, Msg, Result};
use sen_search::{SearchRequest, SortKey, Visibility};
use serde_json::{json, Map, Value};

pub const DEFAULT_ROWS: i64 = 10;
pub const MAX_ROWS: i64 = 1000;
pub const FACET_FIELDS: &[&str] = sen_search::FACETS;

fn query_error(detail: impl Into<String>) -> Error {
    Error::new(
        ErrorKind::SearchQuery,
        "invalid_search_query",
        Msg::new("error-search-query").arg("detail", detail.into()),
    )
}

fn field_of(name: &str) -> Option<FilterField> {
    Some(match name {
        "organization" => FilterField::Organization,
        "owner_org" => FilterField::OwnerOrg,
        "groups" => FilterField::Groups,
        "tags" => FilterField::Tags,
        "res_format" => FilterField::ResFormat,
        "license_id" | "license" => FilterField::LicenseId,
        "access_level" => FilterField::AccessLevel,
        "data_class" => FilterField::DataClass,
        "name" => FilterField::Name,
        "id" => FilterField::Id,
        "dataset_type" | "type" => FilterField::Type,
        "state" => FilterField::State,
        "metadata_modified" => FilterField::MetadataModified,
        "metadata_created" => FilterField::MetadataCreated,
        "capacity" => FilterField::AccessLevel,
        "organization_kind" => FilterField::OrganizationKind,
        "year" => FilterField::Year,
        _ => return None,
    })
}

/// Parses a Solr-style filter query into conditions that must all hold.
///
/// Supported: `field:value`, `field:"quoted value"`, `+field:v`, `-field:v`,
/// `NOT field:v`, `field:(a OR b)`, `a OR b` on one field, `AND`,
/// `field:[from TO to]` with `*` for open ends, and `*:*`.
pub fn parse_fq(text: &str) -> Result<Vec<Filter>> {
    let mut filters: Vec<Filter> = Vec::new();
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        src: text,
    };
    let mut negate_next = false;
    let mut or_next = false;
    loop {
        p.skip_ws();
        if p.done() {
            break;
        }
        if p.keyword("AND") || p.eat_str("&&") {
            continue;
        }
        if p.keyword("OR") || p.eat_str("||") {
            or_next = true;
            continue;
        }
        if p.keyword("NOT") {
            negate_next = true;
            continue;
        }
        let mut negate = std::mem::take(&mut negate_next);
        if p.eat(b'-') || p.eat(b'!') {
            negate = !negate;
        } else {
            p.eat(b'+');
        }
        if p.eat_str("*:*") {
            continue;
        }
        let field_name = p.word();
        if field_name.is_empty() || !p.eat(b':') {
            return Err(query_error(format!(
                "expected field:value near {:?}",
                p.rest()
            )));
        }
        let field = field_of(&field_name)
            .ok_or_else(|| query_error(format!("undefined field {field_name}")))?;
        let mut values = p.values()?;
        if values.len() == 1 && values[0] == "*" {
            // `field:*` — any value; the first version matches everything.
            if negate {
                return Err(query_error(format!("-{field_name}:* is not supported")));
            }
            or_next = false;
            continue;
        }
        if field_name == "capacity" {
            // CKAN's index field: public → open, private → anything else.
            let private = values.iter().any(|v| v == "private");
            values = vec!["open".into()];
            if private {
                negate = !negate;
            }
        }
        if std::mem::take(&mut or_next) {
            match filters.last_mut() {
                Some(last) if last.field == field && last.negate == negate && !is_range(field) => {
                    last.values.extend(values);
                    continue;
                }
                _ => return Err(query_error("OR between different fields is not supported")),
            }
        }
        filters.push(Filter {
            field,
            values,
            negate,
        });
    }
    if or_next || negate_next {
        return Err(query_error("the query ends with an operator"));
    }
    Ok(filters)
}

fn is_range(f: FilterField) -> bool {
    matches!(
        f,
        FilterField::MetadataModified | FilterField::MetadataCreated
    )
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    src: &'a str,
}

impl Parser<'_> {
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }
    fn rest(&self) -> &str {
        self.src.get(self.i..).unwrap_or("")
    }
    fn skip_ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn eat(&mut self, b: u8) -> bool {
        if self.s.get(self.i) == Some(&b) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn eat_str(&mut self, t: &str) -> bool {
        if self.rest().starts_with(t) {
            self.i += t.len();
            true
        } else {
            false
        }
    }
    fn keyword(&mut self, k: &str) -> bool {
        let rest = self.rest();
        if rest.starts_with(k)
            && rest[k.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace())
        {
            self.i += k.len();
            true
        } else {
            false
        }
    }
    fn word(&mut self) -> String {
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        self.src[start..self.i].to_string()
    }
    /// A bare value up to whitespace or a closing bracket; UTF-8 safe.
    fn bare(&mut self) -> String {
        let rest = self.rest();
        let end = rest
            .find(|c: char| c.is_whitespace() || c == ')' || c == ']')
            .unwrap_or(rest.len());
        let v = rest[..end].to_string();
        self.i += end;
        v.replace('\\', "")
    }
    fn quoted(&mut self) -> Result<String> {
        let rest = self.rest();
        let mut out = String::new();
        let mut chars = rest.char_indices();
        while let Some((idx, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, n)) = chars.next() {
                        out.push(n);
                    }
                }
                '"' => {
                    self.i += idx + 1;
                    return Ok(out);
                }
                c => out.push(c),
            }
        }
        Err(query_error("unterminated quoted value"))
    }
    fn value(&mut self) -> Result<String> {
        if self.eat(b'"') {
            self.quoted()
        } else {
            let v = self.bare();
            if v.is_empty() {
                return Err(query_error("missing value"));
            }
            Ok(v)
        }
    }
    fn values(&mut self) -> Result<Vec<String>> {
        if self.eat(b'(') {
            let mut values = Vec::new();
            loop {
                self.skip_ws();
                if self.eat(b')') {
                    break;
                }
                if self.done() {
                    return Err(query_error("missing )"));
                }
                if self.keyword("OR") || self.eat_str("||") {
                    continue;
                }
                values.push(self.value()?);
            }
            if values.is_empty() {
                return Err(query_error("empty ()"));
            }
            return Ok(values);
        }
        if self.eat(b'[') || self.eat(b'{') {
            self.skip_ws();
            let from = self.value()?;
            self.skip_ws();
            if !self.keyword("TO") {
                return Err(query_error("expected TO in range"));
            }
            self.skip_ws();
            let to = self.value()?;
            self.skip_ws();
            if !(self.eat(b']') || self.eat(b'}')) {
                return Err(query_error("missing ] after range"));
            }
            let norm = |v: String| -> Result<String> {
                if v == "*" {
                    return Ok(v);
                }
                let v = v.replace("NOW", &sen_domain::time::now());
                sen_domain::time::parse(&v)
                    .map(sen_domain::time::format)
                    .ok_or_else(|| query_error(format!("not a date: {v}")))
            };
            return Ok(vec![norm(from)?, norm(to)?]);
        }
        Ok(vec![self.value()?])
    }
}

/// `q` as the search reads it: free words, and `field:value` terms as filters.
pub fn parse_search_q(q: &str) -> Result<(Vec<String>, Vec<Filter>)> {
    split_q(q)
}

/// A CKAN `sort` parameter: (field, descending) pairs.
pub fn parse_search_sort(sort: &str) -> Result<Vec<(String, bool)>> {
    parse_sort(sort)
}

/// Splits `q` into free words and `field:value` terms.
fn split_q(q: &str) -> Result<(Vec<String>, Vec<Filter>)> {
    let mut words = Vec::new();
    let mut filter_text = String::new();
    let q = sen_domain::fold::nfc(q);
    let mut rest = q.trim();
    while !rest.is_empty() {
        let token_end = token_end(rest);
        let token = &rest[..token_end];
        let field = token
            .split_once(':')
            .map(|(f, _)| f.trim_start_matches(['+', '-']));
        if token == "*:*" {
        } else if field.is_some_and(looks_like_field) {
            filter_text.push_str(token);
            filter_text.push(' ');
        } else if !matches!(token, "AND" | "OR" | "&&" | "||") {
            // Words as typed: the index folds them itself and ranks exact spelling first.
            for w in token
                .trim_matches('"')
                .split(|c: char| !c.is_alphanumeric())
            {
                if !w.is_empty() {
                    words.push(w.to_string());
                }
            }
        }
        rest = rest[token_end..].trim_start();
    }
    Ok((words, parse_fq(&filter_text)?))
}

/// `name` in `name:value` when it reads as a field (not a URL scheme or a time).
fn looks_like_field(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(name, "http" | "https" | "ftp")
}

/// The end of the next whitespace-separated token, keeping quotes and brackets whole.
fn token_end(s: &str) -> usize {
    let mut depth = 0i32;
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' | '[' if !quoted => depth += 1,
            ')' | ']' if !quoted => depth -= 1,
            c if c.is_whitespace() && !quoted && depth <= 0 => return i,
            _ => {}
        }
    }
    s.len()
}

fn parse_sort(sort: &str) -> Result<Vec<(String, bool)>> {
    let mut out = Vec::new();
    for part in sort.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let mut it = part.split_whitespace();
        let field = it.next().unwrap_or_default();
        let desc = match it.next() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => return Err(query_error(format!("bad sort direction {other}"))),
        };
        match field {
            "score" | "metadata_modified" | "metadata_created" | "title_string" | "title"
            | "name" | "id" => {}
            other => return Err(query_error(format!("can not sort on {other}"))),
        }
        out.push((field.to_string(), desc));
    }
    Ok(out)
}

fn sort_key(field: &str) -> Option<SortKey> {
    Some(match field {
        "score" => SortKey::Score,
        "metadata_modified" => SortKey::Modified,
        "metadata_created" => SortKey::Created,
        "title_string" | "title" => SortKey::Title,
        "name" => SortKey::Name,
        "id" => SortKey::Id,
        _ => return None,
    })
}

impl Catalog {
    /// What the actor may find: open data, and non-open data of their organisations.
    async fn visibility(
        &self,
        actor: &Actor,
        include_private: bool,
        include_drafts: bool,
    ) -> Result<Visibility> {
        let (member_orgs, staff) = match &actor.user {
            Some(u) if !actor.is_sysadmin() => {
                let mut c = self.db.conn().await?;
                let orgs = sen_db::memberships_of(&mut c, &u.id)
                    .await?
                    .into_iter()
                    .map(|m| m.group_id)
                    .collect();
                (orgs, sen_db::is_staff(&mut c, &u.id).await?)
            }
            _ => (Vec::new(), false),
        };
        Ok(Visibility {
            sysadmin: actor.is_sysadmin(),
            member_orgs,
            staff,
            include_private: include_private && actor.user.is_some(),
            include_drafts: include_drafts && actor.user.is_some(),
        })
    }

    /// CKAN's `package_autocomplete`: datasets whose title starts like `q`,
    /// accents optional, for the search box.
    pub async fn package_autocomplete(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let mut inp = Input::new(data);
        let q = inp.str("q").unwrap_or_default();
        let limit = inp.int_in("limit", 10, 1, 100) as usize;
        inp.finish()?;
        let visibility = self.visibility(actor, true, false).await?;
        let search = self.search.clone();
        let found = tokio::task::spawn_blocking(move || search.suggest(&q, &visibility, limit))
            .await
            .map_err(Error::internal)?
            .map_err(Error::internal)?;
        Ok(Value::Array(
            found
                .into_iter()
                .map(|(name, title)| json!({"name": name, "title": title, "match_field": "title", "match_displayed": title}))
                .collect(),
        ))
    }

    pub async fn package_search(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let mut inp = Input::new(data);
        let q = inp.str("q").unwrap_or_default();
        let mut fq = inp.str("fq").unwrap_or_default();
        if inp.has("fq_list") {
            for f in inp.string_list("fq_list").unwrap_or_default() {
                fq.push(' ');
                fq.push_str(&f);
            }
        }
        let sort_text = inp
            .text("sort")
            .unwrap_or_else(|| "score desc, metadata_modified desc".into());
        let rows = inp.int_in("rows", DEFAULT_ROWS, 0, i64::MAX).min(MAX_ROWS);
        let start = inp.int_in("start", 0, 0, i64::MAX);
        let facet = inp.bool("facet").unwrap_or(true);
        let facet_fields = if inp.has("facet.field") {
            inp.string_list("facet.field").unwrap_or_default()
        } else {
            Vec::new()
        };
        let facet_limit = inp.int_in("facet.limit", 50, -1, i64::MAX);
        let facet_mincount = inp.int_in("facet.mincount", 1, 0, i64::MAX);
        let include_private = inp.bool("include_private").unwrap_or(false);
        let include_drafts = inp.bool("include_drafts").unwrap_or(false);
        inp.finish()?;

        let (words, mut filters) = split_q(&q)?;
        filters.extend(parse_fq(&fq)?);
        // CKAN searches only datasets unless a type is asked for.
        if !filters.iter().any(|f| f.field == FilterField::Type) {
            filters.push(Filter {
                field: FilterField::Type,
                values: vec!["dataset".into()],
                negate: false,
            });
        }
        for field in &facet_fields {
            if !FACET_FIELDS.contains(&field.as_str()) {
                return Err(query_error(format!("can not facet on {field}")));
            }
        }
        let request = SearchRequest {
            text: words.join(" "),
            filters,
            visibility: self
                .visibility(actor, include_private, include_drafts)
                .await?,
            sort: parse_sort(&sort_text)?
                .into_iter()
                .filter_map(|(f, desc)| sort_key(&f).map(|k| (k, desc)))
                .collect(),
            rows: rows as usize,
            start: start.min(1_000_000) as usize,
            facets: if facet {
                facet_fields.clone()
            } else {
                Vec::new()
            },
            facet_limit,
            facet_mincount: facet_mincount as u64,
        };
        let search = self.search.clone();
        let found = tokio::task::spawn_blocking(move || search.search(&request))
            .await
            .map_err(Error::internal)?
            .map_err(|e| match e {
                sen_search::SearchError::Query(detail) => query_error(detail),
                other => Error::internal(other),
            })?;

        let mut c = self.db.conn().await?;
        let licenses = sen_db::list_licenses(&mut c).await?;
        let results = self.result_dicts(&mut c, &found, &licenses).await?;
        let count = found.count;

        let mut facets = Map::new();
        let mut search_facets = Map::new();
        for (field, values) in &found.facets {
            facets.insert(
                field.clone(),
                Value::Object(
                    values
                        .iter()
                        .map(|v| (v.name.clone(), json!(v.count)))
                        .collect(),
                ),
            );
            let items: Vec<Value> = values
                .iter()
                .map(|v| json!({"name": v.name, "display_name": facet_title(field, v, &licenses), "count": v.count}))
                .collect();
            search_facets.insert(field.clone(), json!({"title": field, "items": items}));
        }
        Ok(json!({
            "count": count,
            "sort": sort_text,
            "results": results,
            "facets": facets,
            "search_facets": search_facets,
        }))
    }

    /// The found datasets' dictionaries: as the index stored them, or read
    /// from the database for documents indexed without one.
    async fn result_dicts(
        &self,
        c: &mut sen_db::Conn,
        found: &sen_search::SearchResponse,
        licenses: &[sen_db::LicenseRow],
    ) -> Result<Vec<Value>> {
        let stored: Option<Vec<Value>> = found
            .dicts
            .iter()
            .map(|d| crate::dicts::served_dict(d, &self.config.site_url, licenses))
            .collect();
        if let Some(dicts) = stored {
            return Ok(dicts);
        }
        let mut rows = sen_db::get_packages(&mut *c, &found.ids).await?;
        rows.sort_by_key(|r| found.ids.iter().position(|i| i == &r.id));
        self.package_dicts(c, &rows).await
    }
}

/// A facet value's human name: the organisation's or topic's title (kept in
/// the index), the licence's title, or the value itself.
fn facet_title(field: &str, v: &sen_search::FacetValue, licenses: &[sen_db::LicenseRow]) -> String {
    if let Some(title) = &v.title {
        return title.clone();
    }
    if field == "license_id" {
        if let Some(l) = licenses.iter().find(|l| l.id == v.name) {
            return l.title.clone();
        }
    }
    v.name.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn harvester_filters_parse() {
        let f = parse_fq(r#"+dataset_type:dataset -organization:bo-y-te metadata_modified:[2024-01-01T00:00:00Z TO *]"#).unwrap();
        assert_eq!(f.len(), 3);
        assert_eq!(f[1].field, FilterField::Organization);
        assert!(f[1].negate);
        assert_eq!(
            f[2].values,
            vec!["2024-01-01T00:00:00.000000".to_string(), "*".to_string()]
        );
    }

    #[test]
    fn quoted_or_and_groups() {
        let f = parse_fq(r#"tags:"dân số" OR tags:covid-19 AND res_format:(CSV OR XLSX)"#).unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].values, vec!["dân số", "covid-19"]);
        assert_eq!(f[1].values, vec!["CSV", "XLSX"]);
    }

    #[test]
    fn malformed_queries_are_query_errors() {
        for bad in [
            "tags:",
            "nosuchfield:x",
            "tags:\"open",
            "metadata_modified:[2024 TO",
            "tags:a OR",
            "organization:a OR tags:b",
            "res_format:(CSV",
        ] {
            let e = parse_fq(bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::SearchQuery, "{bad}");
        }
    }

    /// Random strings over the query language's alphabet never panic the
    /// parsers: they parse, or they are a Search Query Error.
    #[test]
    fn random_queries_parse_or_fail_cleanly() {
        let alphabet: Vec<char> =
            "ab đĐà\u{301}\"'():[]{}*?~^-+!&|\\/,.;TONRA019_:tags organization metadata_modified "
                .chars()
                .collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize;
            let mut s = String::new();
            let mut x = seed;
            for _ in 0..len {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(alphabet[(x >> 33) as usize % alphabet.len()]);
            }
            for result in [
                parse_fq(&s).map(|_| ()),
                split_q(&s).map(|_| ()),
                parse_sort(&s).map(|_| ()),
            ] {
                if let Err(e) = result {
                    assert_eq!(e.kind, ErrorKind::SearchQuery, "{s:?}");
                }
            }
        }
    }

    #[test]
    fn q_mixes_words_and_fields() {
        let (words, filters) = split_q("Hà Nội tags:\"dân số\"").unwrap();
        assert_eq!(words, vec!["Hà", "Nội"]);
        assert_eq!(filters.len(), 1);
    }
}
