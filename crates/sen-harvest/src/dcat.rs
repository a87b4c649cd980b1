//! DCAT catalogues in RDF — Turtle, N-Triples, RDF/XML or JSON-LD, chosen by
//! the answer's media type (then the URL's extension, then the first byte) —
//! paged with Hydra (`hydra:next`, or the older `hydra:nextPage`), as
//! ckanext-dcat and Sen's own catalogue endpoint page them.

use crate::{
    get, last_segment, parse_error, strip_mailto, Budget, FetchLimits, Gathered, HarvestError,
    RemoteDataset, RemoteResource, MAX_PAGES,
};
use oxrdf::{NamedOrBlankNode, Term};
use std::collections::{HashMap, HashSet};
use url::Url;

const ACCEPT: &str = "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, application/n-triples;q=0.7, */*;q=0.1";

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCT: &str = "http://purl.org/dc/terms/";
const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";
const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
const FOAF: &str = "http://xmlns.com/foaf/0.1/";
const OWL: &str = "http://www.w3.org/2002/07/owl#";
const ADMS: &str = "http://www.w3.org/ns/adms#";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const IANA: &str = "http://www.iana.org/assignments/media-types/";

/// An RDF syntax Sen reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Turtle,
    NTriples,
    RdfXml,
    JsonLd,
}

/// The syntax of a body, from its media type, else the URL, else its first byte.
pub fn syntax_of(content_type: &str, url: &str, body: &[u8]) -> Syntax {
    match content_type {
        "text/turtle" | "application/x-turtle" | "application/turtle" => return Syntax::Turtle,
        "application/n-triples" => return Syntax::NTriples,
        "application/rdf+xml" | "application/xml" | "text/xml" => return Syntax::RdfXml,
        "application/ld+json" | "application/json" => return Syntax::JsonLd,
        _ => {}
    }
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    if path.ends_with(".ttl") {
        return Syntax::Turtle;
    }
    if path.ends_with(".nt") {
        return Syntax::NTriples;
    }
    if path.ends_with(".rdf") || path.ends_with(".xml") || path.ends_with(".owl") {
        return Syntax::RdfXml;
    }
    if path.ends_with(".jsonld") || path.ends_with(".json") {
        return Syntax::JsonLd;
    }
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<')
            if body
                .windows(5)
                .take(200)
                .any(|w| w == b"<?xml" || w == b"<rdf:") =>
        {
            Syntax::RdfXml
        }
        Some(b'{') | Some(b'[') => Syntax::JsonLd,
        _ => Syntax::Turtle,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Node {
    Iri(String),
    Blank(String),
    Lit { value: String, lang: String },
}

impl Node {
    fn text(&self) -> &str {
        match self {
            Node::Iri(s) | Node::Blank(s) => s,
            Node::Lit { value, .. } => value,
        }
    }
}

/// The triples of one or more pages, by subject.
#[derive(Default)]
struct Graph {
    by_subject: HashMap<Node, Vec<(String, Node)>>,
    /// Subjects in the order first seen, so datasets keep the remote's order.
    order: Vec<Node>,
}

impl Graph {
    fn add(&mut self, s: Node, p: String, o: Node) {
        let entry = self.by_subject.entry(s.clone()).or_default();
        if entry.is_empty() {
            self.order.push(s);
        }
        entry.push((p, o));
    }

    fn objects(&self, s: &Node, p: &str) -> Vec<&Node> {
        self.by_subject
            .get(s)
            .into_iter()
            .flatten()
            .filter(|(pp, _)| pp == p)
            .map(|(_, o)| o)
            .collect()
    }

    fn first(&self, s: &Node, p: &str) -> Option<&Node> {
        self.objects(s, p).into_iter().next()
    }

    /// A literal in Vietnamese if there is one, else without language, else English, else any.
    fn text(&self, s: &Node, p: &str) -> String {
        let all: Vec<&Node> = self.objects(s, p);
        for want in ["vi", "", "en"] {
            if let Some(Node::Lit { value, .. }) = all.iter().find(
                |n| matches!(n, Node::Lit { lang, .. } if lang.eq_ignore_ascii_case(want) || lang.to_ascii_lowercase().starts_with(&format!("{want}-")) && !want.is_empty()),
            ) {
                return value.trim().to_string();
            }
        }
        all.first()
            .map(|n| n.text().trim().to_string())
            .unwrap_or_default()
    }
}

fn subject_node(s: &NamedOrBlankNode) -> Node {
    match s {
        NamedOrBlankNode::NamedNode(n) => Node::Iri(n.as_str().to_string()),
        NamedOrBlankNode::BlankNode(b) => Node::Blank(format!("{}#{}", "_", b.as_str())),
    }
}

fn term_node(t: &Term) -> Option<Node> {
    Some(match t {
        Term::NamedNode(n) => Node::Iri(n.as_str().to_string()),
        Term::BlankNode(b) => Node::Blank(format!("{}#{}", "_", b.as_str())),
        Term::Literal(l) => Node::Lit {
            value: l.value().to_string(),
            lang: l.language().unwrap_or_default().to_string(),
        },
        #[allow(unreachable_patterns)]
        _ => return None,
    })
}

/// Adds a page's triples to `graph`. Blank nodes are prefixed with the page
/// number so two pages' `_:b0` stay apart.
fn read_page(
    graph: &mut Graph,
    page_no: usize,
    url: &str,
    content_type: &str,
    body: &[u8],
) -> Result<(), HarvestError> {
    let syntax = syntax_of(content_type, url, body);
    let mut add = |s: Node, p: String, o: Option<Node>| {
        let scope = |n: Node| match n {
            Node::Blank(b) => Node::Blank(format!("p{page_no}{b}")),
            other => other,
        };
        if let Some(o) = o {
            graph.add(scope(s), p, scope(o));
        }
    };
    match syntax {
        Syntax::Turtle => {
            let parser = oxttl::TurtleParser::new()
                .with_base_iri(url)
                .map_err(|e| parse_error(url, e))?;
            for t in parser.for_slice(body) {
                let t = t.map_err(|e| parse_error(url, e))?;
                add(
                    subject_node(&t.subject),
                    t.predicate.as_str().to_string(),
                    term_node(&t.object),
                );
            }
        }
        Syntax::NTriples => {
            for t in oxttl::NTriplesParser::new().for_slice(body) {
                let t = t.map_err(|e| parse_error(url, e))?;
                add(
                    subject_node(&t.subject),
                    t.predicate.as_str().to_string(),
                    term_node(&t.object),
                );
            }
        }
        Syntax::RdfXml => {
            let parser = oxrdfxml::RdfXmlParser::new()
                .with_base_iri(url)
                .map_err(|e| parse_error(url, e))?;
            for t in parser.for_slice(body) {
                let t = t.map_err(|e| parse_error(url, e))?;
                add(
                    subject_node(&t.subject),
                    t.predicate.as_str().to_string(),
                    term_node(&t.object),
                );
            }
        }
        Syntax::JsonLd => {
            let parser = oxjsonld::JsonLdParser::new()
                .with_base_iri(url)
                .map_err(|e| parse_error(url, e))?;
            for q in parser.for_slice(body) {
                let q = q.map_err(|e| parse_error(url, e))?;
                add(
                    subject_node(&q.subject),
                    q.predicate.as_str().to_string(),
                    term_node(&q.object),
                );
            }
        }
    }
    Ok(())
}

pub(crate) async fn gather(url: &str, limits: &FetchLimits) -> Result<Gathered, HarvestError> {
    let mut graph = Graph::default();
    let mut visited: HashSet<String> = HashSet::new();
    let mut next = Some(url.trim().to_string());
    let mut pages = 0usize;
    let mut budget = Budget::new(limits);
    while let Some(page_url) = next.take() {
        if !visited.insert(page_url.clone()) {
            return Err(HarvestError::PagingLoop { url: page_url });
        }
        if pages >= MAX_PAGES {
            return Err(HarvestError::TooManyPages(MAX_PAGES));
        }
        let page = get(&page_url, ACCEPT, limits).await?;
        budget.spend(&page_url, page.body.len())?;
        pages += 1;
        let mut page_graph = Graph::default();
        read_page(
            &mut page_graph,
            pages,
            &page.url,
            &page.content_type,
            &page.body,
        )?;
        next = next_page(&page_graph, &page.url);
        for s in page_graph.order.clone() {
            for (p, o) in page_graph.by_subject.remove(&s).unwrap_or_default() {
                graph.add(s.clone(), p, o);
            }
        }
    }
    let mut out = datasets(&graph, url);
    out.pages = pages;
    Ok(out)
}

/// The next page named by Hydra paging on this page, made absolute.
fn next_page(g: &Graph, page_url: &str) -> Option<String> {
    for s in &g.order {
        for p in ["next", "nextPage"] {
            if let Some(n) = g.first(s, &format!("{HYDRA}{p}")) {
                let base = Url::parse(page_url).ok()?;
                return base.join(n.text()).ok().map(|u| u.to_string());
            }
        }
    }
    None
}

/// Reads a whole RDF document (one page) into datasets; for tests and tools.
pub fn parse(url: &str, content_type: &str, body: &[u8]) -> Result<Gathered, HarvestError> {
    let mut g = Graph::default();
    read_page(&mut g, 1, url, content_type, body)?;
    let mut out = datasets(&g, url);
    out.pages = 1;
    Ok(out)
}

fn datasets(g: &Graph, source: &str) -> Gathered {
    let mut out = Gathered {
        complete: true,
        ..Default::default()
    };
    let dataset_type = Node::Iri(format!("{DCAT}Dataset"));
    let mut seen = HashSet::new();
    for s in &g.order {
        if !g
            .objects(s, RDF_TYPE)
            .into_iter()
            .any(|t| *t == dataset_type)
        {
            continue;
        }
        match read_dataset(g, s, source) {
            Ok(d) => {
                if seen.insert(d.remote_id.clone()) {
                    out.datasets.push(d);
                }
            }
            Err(m) => out.skipped.push((s.text().to_string(), m)),
        }
    }
    out
}

fn iri_or_text(n: Option<&Node>) -> String {
    n.map(|n| n.text().trim().to_string()).unwrap_or_default()
}

fn read_dataset(g: &Graph, s: &Node, source: &str) -> Result<RemoteDataset, sen_domain::Msg> {
    let dct = |p: &str| format!("{DCT}{p}");
    let dcat = |p: &str| format!("{DCAT}{p}");
    let identifier = g.text(s, &dct("identifier"));
    let remote_id = match (s, identifier.is_empty()) {
        (_, false) => identifier.clone(),
        (Node::Iri(iri), true) => iri.clone(),
        _ => return Err(sen_domain::Msg::new("harvest-error-object-no-id")),
    };
    let mut tags: Vec<String> = Vec::new();
    let keywords: Vec<&Node> = g.objects(s, &dcat("keyword"));
    let has_vi = keywords
        .iter()
        .any(|k| matches!(k, Node::Lit { lang, .. } if lang.eq_ignore_ascii_case("vi")));
    for k in keywords {
        if let Node::Lit { value, lang } = k {
            if !has_vi || lang.eq_ignore_ascii_case("vi") {
                tags.push(value.trim().to_string());
            }
        }
    }
    let access_level = match g.first(s, &dct("accessRights")) {
        None => "open",
        Some(n) => {
            let v = last_segment(n.text()).to_ascii_uppercase();
            match v.as_str() {
                "PUBLIC" => "open",
                "RESTRICTED" => "shared",
                _ => "internal",
            }
        }
    };
    let contact = g.first(s, &dcat("contactPoint")).cloned();
    let (contact_name, contact_email) = match &contact {
        Some(c) => (
            g.text(c, &format!("{VCARD}fn")),
            strip_mailto(&iri_or_text(g.first(c, &format!("{VCARD}hasEmail")))),
        ),
        None => (String::new(), String::new()),
    };
    let publisher = g
        .first(s, &dct("publisher"))
        .map(|p| g.text(p, &format!("{FOAF}name")))
        .unwrap_or_default();
    let (temporal_start, temporal_end) = match g.first(s, &dct("temporal")) {
        Some(t) => (
            crate::date_prefix(&g.text(t, &dcat("startDate"))),
            crate::date_prefix(&g.text(t, &dcat("endDate"))),
        ),
        None => (String::new(), String::new()),
    };
    let mut license = iri_or_text(g.first(s, &dct("license")));
    let mut resources = Vec::new();
    for d in g.objects(s, &dcat("distribution")) {
        let mut url = iri_or_text(g.first(d, &dcat("downloadURL")));
        if url.is_empty() {
            url = iri_or_text(g.first(d, &dcat("accessURL")));
        }
        if url.is_empty() {
            continue;
        }
        if license.is_empty() {
            license = iri_or_text(g.first(d, &dct("license")));
        }
        let format = match g.first(d, &dct("format")) {
            Some(Node::Iri(i)) => last_segment(i),
            Some(other) => other.text().to_string(),
            None => String::new(),
        };
        let mimetype = iri_or_text(g.first(d, &dcat("mediaType")))
            .trim_start_matches(IANA)
            .to_string();
        resources.push(RemoteResource {
            name: g.text(d, &dct("title")),
            description: g.text(d, &dct("description")),
            url,
            format,
            mimetype,
        });
    }
    let languages: Vec<String> = g
        .objects(s, &dct("language"))
        .into_iter()
        .map(|l| last_segment(l.text()).to_ascii_lowercase())
        .collect();
    let spatial = match g.first(s, &dct("spatial")) {
        Some(n @ Node::Blank(_)) => g.text(n, &format!("{SKOS}prefLabel")),
        other => iri_or_text(other),
    };
    let mut version = g.text(s, &format!("{OWL}versionInfo"));
    if version.is_empty() {
        version = g.text(s, &dcat("version"));
    }
    let landing = iri_or_text(g.first(s, &dcat("landingPage")));
    let object_url = match s {
        Node::Iri(iri) => iri.clone(),
        _ if !landing.is_empty() => landing.clone(),
        _ => format!("{source}#{remote_id}"),
    };
    let _ = ADMS;
    Ok(RemoteDataset {
        remote_id,
        remote_name: String::new(),
        object_url,
        modified: g.text(s, &dct("modified")),
        title: g.text(s, &dct("title")),
        notes: g.text(s, &dct("description")),
        url: landing,
        version,
        author: publisher,
        author_email: String::new(),
        maintainer: contact_name.clone(),
        maintainer_email: contact_email.clone(),
        license,
        tags,
        frequency: g
            .first(s, &dct("accrualPeriodicity"))
            .map(|f| last_segment(f.text()))
            .unwrap_or_default(),
        language: languages.join(","),
        spatial,
        temporal_start,
        temporal_end,
        identifier,
        contact_name,
        contact_email,
        extras: Vec::new(),
        resources,
        access_level: access_level.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTL: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
<https://x.vn/catalog> a dcat:Catalog ; dcat:dataset <https://x.vn/dataset/a> .
<https://x.vn/catalog?page=1> a hydra:PagedCollection ; hydra:next <catalog?page=2> .
<https://x.vn/dataset/a> a dcat:Dataset ;
  dct:identifier "a-1" ; dct:title "Dân số"@vi , "Population"@en ;
  dcat:keyword "dân số"@vi , "population"@en ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> ;
  dcat:contactPoint [ vcard:fn "Cục Thống kê" ; vcard:hasEmail <mailto:tk@gso.gov.vn> ] ;
  dcat:distribution [ dcat:accessURL <https://x.vn/a.csv> ; dct:title "CSV"@vi ;
     dcat:mediaType <http://www.iana.org/assignments/media-types/text/csv> ] .
_:b a dcat:Dataset ; dct:title "Không định danh" .
"#;

    #[test]
    fn reads_turtle_datasets_and_the_next_page() {
        let mut g = Graph::default();
        read_page(
            &mut g,
            1,
            "https://x.vn/catalog?page=1",
            "text/turtle",
            TTL.as_bytes(),
        )
        .unwrap();
        assert_eq!(
            next_page(&g, "https://x.vn/catalog?page=1").as_deref(),
            Some("https://x.vn/catalog?page=2")
        );
        let out = datasets(&g, "https://x.vn/catalog");
        assert_eq!(out.datasets.len(), 1);
        assert_eq!(out.skipped.len(), 1);
        let d = &out.datasets[0];
        assert_eq!(d.remote_id, "a-1");
        assert_eq!(d.title, "Dân số");
        assert_eq!(d.tags, vec!["dân số".to_string()]);
        assert_eq!(d.access_level, "internal");
        assert_eq!(d.contact_email, "tk@gso.gov.vn");
        assert_eq!(d.resources[0].mimetype, "text/csv");
    }

    #[test]
    fn reads_rdf_xml_and_json_ld() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Dataset rdf:about="https://x.vn/dataset/b">
    <dct:title xml:lang="vi">Giá điện</dct:title>
    <dcat:keyword xml:lang="vi">năng lượng</dcat:keyword>
    <dcat:distribution><dcat:Distribution><dcat:downloadURL rdf:resource="https://x.vn/b.csv"/></dcat:Distribution></dcat:distribution>
  </dcat:Dataset>
</rdf:RDF>"#;
        let g = parse(
            "https://x.vn/catalog.rdf",
            "application/rdf+xml",
            xml.as_bytes(),
        )
        .unwrap();
        assert_eq!(g.datasets.len(), 1);
        assert_eq!(g.datasets[0].remote_id, "https://x.vn/dataset/b");
        assert_eq!(g.datasets[0].title, "Giá điện");
        assert_eq!(g.datasets[0].resources[0].url, "https://x.vn/b.csv");

        let jsonld = r#"{"@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"},
          "@graph": [{"@id": "https://x.vn/dataset/c", "@type": "dcat:Dataset",
                      "dct:identifier": "c-1", "dct:title": {"@value": "Trường học", "@language": "vi"},
                      "dcat:keyword": ["giáo dục"]}]}"#;
        let g = parse(
            "https://x.vn/catalog.jsonld",
            "application/ld+json",
            jsonld.as_bytes(),
        )
        .unwrap();
        assert_eq!(g.datasets.len(), 1);
        assert_eq!(g.datasets[0].remote_id, "c-1");
        assert_eq!(g.datasets[0].tags, vec!["giáo dục".to_string()]);
    }

    #[test]
    fn garbage_is_a_parse_error() {
        assert!(parse("https://x/c.ttl", "text/turtle", b"this is < not turtle").is_err());
        assert!(parse("https://x/c.rdf", "application/rdf+xml", b"<rdf:RDF").is_err());
    }

    #[test]
    fn syntax_from_type_extension_or_first_byte() {
        assert_eq!(syntax_of("application/ld+json", "x", b""), Syntax::JsonLd);
        assert_eq!(syntax_of("", "https://x/c.rdf?x=1", b""), Syntax::RdfXml);
        assert_eq!(
            syntax_of("text/plain", "https://x/c", b"  {\"@context\":{}}"),
            Syntax::JsonLd
        );
        assert_eq!(
            syntax_of("", "https://x/c", b"@prefix a: <b> ."),
            Syntax::Turtle
        );
    }
}
