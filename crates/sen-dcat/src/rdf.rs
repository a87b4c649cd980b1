//! DCAT-AP 3 graphs of the catalogue and of single datasets, and their four
//! serialisations.
//!
//! IRIs: the catalogue is `{site}/catalog`, a dataset `{site}/dataset/{id}`
//! (the id survives renames; the address answers with the page or, by content
//! negotiation, with RDF), a distribution `{site}/dataset/{id}/resource/{rid}`,
//! a publisher `{site}/organization/{name}`, a theme `{site}/group/{name}`.
//! Contact points, periods of time, free-text locations and checksums are
//! blank nodes.

use crate::vocab::{self, DCAT, DCT, FOAF, HYDRA, LOCN, RDFS, SKOS, SPDX, VCARD, XSD};
use crate::{list_of, str_of, utc, Site};
use oxrdf::{
    BlankNode, Graph, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, QuadRef, Term, Triple,
    TripleRef,
};
use sen_domain::AccessLevel;
use serde_json::Value;

/// The four RDF serialisations offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RdfFormat {
    Turtle,
    RdfXml,
    JsonLd,
    NTriples,
}

impl RdfFormat {
    pub const ALL: [RdfFormat; 4] = [Self::Turtle, Self::RdfXml, Self::JsonLd, Self::NTriples];

    pub fn extension(self) -> &'static str {
        match self {
            Self::Turtle => "ttl",
            Self::RdfXml => "rdf",
            Self::JsonLd => "jsonld",
            Self::NTriples => "nt",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Turtle => "text/turtle",
            Self::RdfXml => "application/rdf+xml",
            Self::JsonLd => "application/ld+json",
            Self::NTriples => "application/n-triples",
        }
    }

    /// `ttl`, `rdf` (or `xml`), `jsonld`, `nt`.
    pub fn from_extension(ext: &str) -> Option<Self> {
        match ext {
            "ttl" => Some(Self::Turtle),
            "rdf" | "xml" => Some(Self::RdfXml),
            "jsonld" => Some(Self::JsonLd),
            "nt" => Some(Self::NTriples),
            _ => None,
        }
    }

    pub fn from_media_type(m: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.media_type() == m)
    }
}

/// Content negotiation between the HTML page and the RDF serialisations:
/// the highest `q` wins, the more specific media range decides a type's `q`,
/// and HTML wins ties (so `*/*` and browsers get the page). `None` = HTML.
pub fn negotiate(accept: Option<&str>) -> Option<RdfFormat> {
    let accept = accept?.trim();
    if accept.is_empty() {
        return None;
    }
    let ranges: Vec<(String, f32)> = accept
        .split(',')
        .filter_map(|part| {
            let mut it = part.split(';');
            let range = it.next()?.trim().to_ascii_lowercase();
            if range.is_empty() {
                return None;
            }
            let mut q = 1.0f32;
            for param in it {
                if let Some((k, v)) = param.split_once('=') {
                    if k.trim().eq_ignore_ascii_case("q") {
                        q = v.trim().parse().unwrap_or(0.0);
                    }
                }
            }
            Some((range, q.clamp(0.0, 1.0)))
        })
        .collect();
    let quality = |media: &str| -> f32 {
        let (top, _) = media.split_once('/').unwrap_or((media, ""));
        let mut best: Option<(u8, f32)> = None;
        for (range, q) in &ranges {
            let specificity = if range == media {
                3
            } else if range.strip_suffix("/*") == Some(top) {
                2
            } else if range == "*/*" {
                1
            } else {
                continue;
            };
            if best.is_none_or(|(s, _)| specificity > s) {
                best = Some((specificity, *q));
            }
        }
        best.map_or(0.0, |(_, q)| q)
    };
    let html = quality("text/html").max(quality("application/xhtml+xml"));
    let mut chosen: Option<(RdfFormat, f32)> = None;
    for f in RdfFormat::ALL {
        let q = quality(f.media_type());
        if q > 0.0 && q > html && chosen.is_none_or(|(_, best)| q > best) {
            chosen = Some((f, q));
        }
    }
    chosen.map(|(f, _)| f)
}

/// Where a page of the catalogue sits among all pages (Hydra paging).
#[derive(Debug, Clone)]
pub struct Paging {
    /// 1-based.
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    /// The address of this listing without its `page` parameter, with any
    /// other parameters (`/catalog.ttl?modified_since=…`).
    pub url: String,
}

impl Paging {
    pub fn last_page(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }

    pub fn page_url(&self, n: u64) -> String {
        let sep = if self.url.contains('?') { '&' } else { '?' };
        format!("{}{sep}page={n}", self.url)
    }
}

fn iri(s: &str) -> Option<NamedNode> {
    let s = s.trim();
    if !(s.starts_with("http://") || s.starts_with("https://") || s.starts_with("mailto:")) {
        return None;
    }
    NamedNode::new(s).ok()
}

fn p(ns: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ns}{local}"))
}

fn lit(s: &str) -> Term {
    Literal::new_simple_literal(s).into()
}

fn typed(s: &str, ns: &str, local: &str) -> Term {
    Literal::new_typed_literal(s, p(ns, local)).into()
}

fn node_term(n: &NamedOrBlankNode) -> Term {
    match n {
        NamedOrBlankNode::NamedNode(x) => x.clone().into(),
        NamedOrBlankNode::BlankNode(b) => b.clone().into(),
    }
}

/// The licence's own address, else its entry on the portal's licence page.
pub(crate) fn license_iri(site: &Site, d: &Value) -> Option<NamedNode> {
    iri(str_of(d, "license_url")).or_else(|| {
        let id = str_of(d, "license_id");
        let ok = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if ok {
            iri(&format!("{}/licenses#{id}", site.url))
        } else {
            None
        }
    })
}

struct Builder<'a> {
    g: Graph,
    site: &'a Site,
}

impl<'a> Builder<'a> {
    fn new(site: &'a Site) -> Self {
        Self {
            g: Graph::new(),
            site,
        }
    }

    fn add(&mut self, s: &NamedOrBlankNode, pred: NamedNode, o: impl Into<Term>) {
        self.g.insert(&Triple::new(s.clone(), pred, o));
    }

    fn a(&mut self, s: &NamedOrBlankNode, ns: &str, class: &str) {
        self.add(s, p(vocab::RDF, "type"), p(ns, class));
    }

    fn text(&mut self, s: &NamedOrBlankNode, ns: &str, local: &str, value: &str) {
        if !value.trim().is_empty() {
            self.add(s, p(ns, local), lit(value.trim()));
        }
    }

    fn date_time(&mut self, s: &NamedOrBlankNode, local: &str, value: &str) {
        if let Some(t) = utc(value) {
            self.add(s, p(DCT, local), typed(&t, XSD, "dateTime"));
        }
    }

    /// `s pred o` where `o` is an IRI of `class` (the 3.0.1 shapes want the class stated).
    fn link_typed(
        &mut self,
        s: &NamedOrBlankNode,
        pred: NamedNode,
        o: NamedNode,
        ns: &str,
        class: &str,
    ) {
        // EU authority concepts also name their table, as the EU vocabularies do.
        let scheme = o
            .as_str()
            .strip_prefix(vocab::EU_AUTHORITY)
            .and_then(|rest| rest.split('/').next())
            .map(|table| p(vocab::EU_AUTHORITY, table));
        let on: NamedOrBlankNode = o.into();
        self.add(s, pred, node_term(&on));
        self.a(&on, ns, class);
        if let Some(scheme) = scheme {
            self.add(&on, p(SKOS, "inScheme"), scheme);
        }
    }

    fn publisher(&mut self, org: &Value) -> Option<NamedOrBlankNode> {
        let name = str_of(org, "name");
        if name.is_empty() {
            return None;
        }
        let agent: NamedOrBlankNode =
            iri(&format!("{}/organization/{name}", self.site.url))?.into();
        self.a(&agent, FOAF, "Agent");
        self.a(&agent, FOAF, "Organization");
        let title = str_of(org, "title");
        self.text(
            &agent,
            FOAF,
            "name",
            if title.is_empty() { name } else { title },
        );
        Some(agent)
    }

    fn dataset(&mut self, d: &Value) -> Option<NamedOrBlankNode> {
        let id = str_of(d, "id");
        let name = str_of(d, "name");
        if id.is_empty() {
            return None;
        }
        let ds: NamedOrBlankNode = iri(&format!("{}/dataset/{id}", self.site.url))?.into();
        self.a(&ds, DCAT, "Dataset");
        let title = str_of(d, "title");
        let title = if title.is_empty() { name } else { title };
        self.text(&ds, DCT, "title", title);
        let notes = str_of(d, "notes");
        self.text(
            &ds,
            DCT,
            "description",
            if notes.is_empty() { title } else { notes },
        );
        let identifier = str_of(d, "identifier");
        self.text(
            &ds,
            DCT,
            "identifier",
            if identifier.is_empty() {
                id
            } else {
                identifier
            },
        );
        self.text(&ds, DCAT, "version", str_of(d, "version"));
        if let Some(page) = iri(&self
            .site
            .dataset_page(if name.is_empty() { id } else { name }))
        {
            self.link_typed(&ds, p(DCAT, "landingPage"), page, FOAF, "Document");
        }
        if let Some(source) = iri(str_of(d, "url")) {
            self.link_typed(&ds, p(FOAF, "page"), source, FOAF, "Document");
        }
        for tag in list_of(d, "tags") {
            self.text(&ds, DCAT, "keyword", str_of(tag, "name"));
        }
        for group in list_of(d, "groups") {
            let gname = str_of(group, "name");
            if let Some(theme) =
                iri(&format!("{}/group/{gname}", self.site.url)).filter(|_| !gname.is_empty())
            {
                let t: NamedOrBlankNode = theme.into();
                self.add(&ds, p(DCAT, "theme"), node_term(&t));
                self.a(&t, SKOS, "Concept");
                let gtitle = str_of(group, "title");
                self.text(
                    &t,
                    SKOS,
                    "prefLabel",
                    if gtitle.is_empty() { gname } else { gtitle },
                );
            }
        }
        if let Some(agent) = d.get("organization").and_then(|o| self.publisher(o)) {
            self.add(&ds, p(DCT, "publisher"), node_term(&agent));
        }
        self.contact_point(&ds, d);
        let level = AccessLevel::parse(str_of(d, "access_level")).unwrap_or(AccessLevel::Internal);
        if let Some(right) = iri(&vocab::access_right_iri(level)) {
            self.link_typed(&ds, p(DCT, "accessRights"), right, DCT, "RightsStatement");
        }
        self.date_time(&ds, "issued", str_of(d, "metadata_created"));
        self.date_time(&ds, "modified", str_of(d, "metadata_modified"));
        let (start, end) = (str_of(d, "temporal_start"), str_of(d, "temporal_end"));
        if !start.is_empty() || !end.is_empty() {
            let period: NamedOrBlankNode = BlankNode::default().into();
            self.add(&ds, p(DCT, "temporal"), node_term(&period));
            self.a(&period, DCT, "PeriodOfTime");
            for (local, v) in [("startDate", start), ("endDate", end)] {
                if sen_domain::time::parse_date(v).is_some() {
                    self.add(&period, p(DCAT, local), typed(v, XSD, "date"));
                }
            }
        }
        let spatial = str_of(d, "spatial");
        if !spatial.is_empty() {
            let place: NamedOrBlankNode = match iri(spatial) {
                Some(i) => i.into(),
                None => {
                    let b: NamedOrBlankNode = BlankNode::default().into();
                    self.add(&b, p(LOCN, "geographicName"), lit(spatial));
                    b
                }
            };
            self.add(&ds, p(DCT, "spatial"), node_term(&place));
            self.a(&place, DCT, "Location");
        }
        if let Some(f) = vocab::frequency_iri(str_of(d, "frequency")).and_then(|f| iri(&f)) {
            self.link_typed(&ds, p(DCT, "accrualPeriodicity"), f, DCT, "Frequency");
        }
        for l in vocab::language_iris(str_of(d, "language")) {
            if let Some(l) = iri(&l) {
                self.link_typed(&ds, p(DCT, "language"), l, DCT, "LinguisticSystem");
            }
        }
        if let Some(standard) = iri(str_of(d, "conforms_to")) {
            self.link_typed(&ds, p(DCT, "conformsTo"), standard, DCT, "Standard");
        }
        for r in list_of(d, "resources") {
            if let Some(dist) = self.distribution(id, d, r) {
                self.add(&ds, p(DCAT, "distribution"), node_term(&dist));
            }
        }
        Some(ds)
    }

    fn contact_point(&mut self, ds: &NamedOrBlankNode, d: &Value) {
        let pairs = [
            ("contact_name", "contact_email"),
            ("maintainer", "maintainer_email"),
            ("author", "author_email"),
        ];
        let Some((name, email)) = pairs
            .iter()
            .map(|(n, e)| (str_of(d, n), str_of(d, e)))
            .find(|(n, e)| !n.is_empty() || !e.is_empty())
        else {
            return;
        };
        let kind: NamedOrBlankNode = BlankNode::default().into();
        self.add(ds, p(DCAT, "contactPoint"), node_term(&kind));
        self.a(&kind, VCARD, "Kind");
        self.text(
            &kind,
            VCARD,
            "fn",
            if name.is_empty() { email } else { name },
        );
        if let Some(mail) = iri(&format!("mailto:{email}")).filter(|_| !email.is_empty()) {
            self.add(&kind, p(VCARD, "hasEmail"), mail);
        }
    }

    fn distribution(&mut self, package_id: &str, d: &Value, r: &Value) -> Option<NamedOrBlankNode> {
        let rid = str_of(r, "id");
        if rid.is_empty() {
            return None;
        }
        let page = format!("{}/dataset/{package_id}/resource/{rid}", self.site.url);
        let dist: NamedOrBlankNode = iri(&page)?.into();
        self.a(&dist, DCAT, "Distribution");
        let url = str_of(r, "url");
        let access = iri(url).or_else(|| iri(&page))?;
        self.add(&dist, p(DCAT, "accessURL"), access.clone());
        if str_of(r, "url_type") == "upload" {
            self.add(&dist, p(DCAT, "downloadURL"), access);
        }
        self.text(&dist, DCT, "title", str_of(r, "name"));
        self.text(&dist, DCT, "description", str_of(r, "description"));
        let format = str_of(r, "format");
        if let Some(ft) = vocab::file_type_iri(format).and_then(|f| iri(&f)) {
            self.link_typed(&dist, p(DCT, "format"), ft, DCT, "MediaTypeOrExtent");
        }
        if let Some(mt) = vocab::media_type(str_of(r, "mimetype"), format)
            .and_then(|m| iri(&vocab::media_type_iri(&m)))
        {
            self.link_typed(&dist, p(DCAT, "mediaType"), mt, DCT, "MediaType");
        }
        if let Some(size) = r.get("size").and_then(Value::as_u64) {
            self.add(
                &dist,
                p(DCAT, "byteSize"),
                typed(&size.to_string(), XSD, "nonNegativeInteger"),
            );
        }
        let hash = str_of(r, "hash");
        let hash = hash
            .strip_prefix("sha256:")
            .unwrap_or(hash)
            .to_ascii_lowercase();
        if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            let sum: NamedOrBlankNode = BlankNode::default().into();
            self.add(&dist, p(SPDX, "checksum"), node_term(&sum));
            self.a(&sum, SPDX, "Checksum");
            self.link_typed(
                &sum,
                p(SPDX, "algorithm"),
                p(SPDX, "checksumAlgorithm_sha256"),
                SPDX,
                "ChecksumAlgorithm",
            );
            self.add(
                &sum,
                p(SPDX, "checksumValue"),
                typed(&hash, XSD, "hexBinary"),
            );
        }
        if let Some(license) = license_iri(self.site, d) {
            let l: NamedOrBlankNode = license.clone().into();
            self.link_typed(&dist, p(DCT, "license"), license, DCT, "LicenseDocument");
            self.text(&l, RDFS, "label", str_of(d, "license_title"));
        }
        self.date_time(&dist, "issued", str_of(r, "created"));
        let modified = str_of(r, "last_modified");
        self.date_time(
            &dist,
            "modified",
            if modified.is_empty() {
                str_of(r, "created")
            } else {
                modified
            },
        );
        Some(dist)
    }

    fn catalog(&mut self, datasets: &[Value], paging: Option<&Paging>) {
        let site = self.site;
        let Some(cat) = iri(&format!("{}/catalog", site.url)) else {
            return;
        };
        let cat: NamedOrBlankNode = cat.into();
        self.a(&cat, DCAT, "Catalog");
        self.text(&cat, DCT, "title", &site.title);
        let description = if site.description.trim().is_empty() {
            &site.title
        } else {
            &site.description
        };
        self.text(&cat, DCT, "description", description);
        if let Some(agent) = iri(&format!("{}/#publisher", site.url)) {
            let agent: NamedOrBlankNode = agent.into();
            self.add(&cat, p(DCT, "publisher"), node_term(&agent));
            self.a(&agent, FOAF, "Agent");
            self.text(&agent, FOAF, "name", &site.title);
        }
        if let Some(home) = iri(&format!("{}/", site.url)) {
            self.link_typed(&cat, p(FOAF, "homepage"), home, FOAF, "Document");
        }
        for l in vocab::language_iris(&site.language) {
            if let Some(l) = iri(&l) {
                self.link_typed(&cat, p(DCT, "language"), l, DCT, "LinguisticSystem");
            }
        }
        for d in datasets {
            if let Some(ds) = self.dataset(d) {
                self.add(&cat, p(DCAT, "dataset"), node_term(&ds));
            }
        }
        if let Some(paging) = paging {
            let Some(view) = iri(&paging.page_url(paging.page)) else {
                return;
            };
            let view: NamedOrBlankNode = view.into();
            self.a(&view, HYDRA, "PartialCollectionView");
            self.add(&cat, p(HYDRA, "view"), node_term(&view));
            let last = paging.last_page();
            let mut links = vec![("first", 1), ("last", last)];
            if paging.page < last {
                links.push(("next", paging.page + 1));
            }
            if paging.page > 1 {
                links.push(("previous", (paging.page - 1).min(last)));
            }
            for (rel, n) in links {
                if let Some(target) = iri(&paging.page_url(n)) {
                    self.add(&view, p(HYDRA, rel), target);
                }
            }
            self.add(
                &view,
                p(HYDRA, "totalItems"),
                typed(&paging.total.to_string(), XSD, "integer"),
            );
            self.add(
                &view,
                p(HYDRA, "itemsPerPage"),
                typed(&paging.per_page.to_string(), XSD, "integer"),
            );
        }
    }
}

/// The catalogue with the given datasets (one page of them when `paging` says so).
pub fn catalog_graph(site: &Site, datasets: &[Value], paging: Option<&Paging>) -> Graph {
    let mut b = Builder::new(site);
    b.catalog(datasets, paging);
    b.g
}

/// One dataset with its distributions, publisher, contact point and so on.
pub fn dataset_graph(site: &Site, dataset: &Value) -> Graph {
    let mut b = Builder::new(site);
    b.dataset(dataset);
    b.g
}

/// Writes a graph; subjects are grouped (and sorted, named before blank) so
/// that each description reads as one block.
pub fn serialize(graph: &Graph, format: RdfFormat) -> std::io::Result<Vec<u8>> {
    let mut triples: Vec<TripleRef<'_>> = graph.iter().collect();
    triples.sort_by_cached_key(|t| {
        let subject = t.subject.to_string();
        (
            subject.starts_with("_:"),
            subject,
            t.predicate.as_str().to_string(),
            t.object.to_string(),
        )
    });
    let bad_prefix = |e: oxrdf::IriParseError| std::io::Error::other(e.to_string());
    match format {
        RdfFormat::Turtle => {
            let mut s = oxttl::TurtleSerializer::new();
            for (prefix, ns) in vocab::PREFIXES {
                s = s.with_prefix(*prefix, *ns).map_err(bad_prefix)?;
            }
            let mut w = s.for_writer(Vec::new());
            for t in triples {
                w.serialize_triple(t)?;
            }
            w.finish()
        }
        RdfFormat::NTriples => {
            let mut w = oxttl::NTriplesSerializer::new().for_writer(Vec::new());
            for t in triples {
                w.serialize_triple(t)?;
            }
            Ok(w.finish())
        }
        RdfFormat::RdfXml => {
            let mut s = oxrdfxml::RdfXmlSerializer::new();
            for (prefix, ns) in vocab::PREFIXES {
                s = s.with_prefix(*prefix, *ns).map_err(bad_prefix)?;
            }
            let mut w = s.for_writer(Vec::new());
            for t in triples {
                w.serialize_triple(t)?;
            }
            w.finish()
        }
        RdfFormat::JsonLd => {
            let mut s = oxjsonld::JsonLdSerializer::new();
            for (prefix, ns) in vocab::PREFIXES {
                s = s.with_prefix(*prefix, *ns).map_err(bad_prefix)?;
            }
            let mut w = s.for_writer(Vec::new());
            for t in triples {
                w.serialize_quad(QuadRef::new(
                    t.subject,
                    t.predicate,
                    t.object,
                    GraphNameRef::DefaultGraph,
                ))?;
            }
            w.finish()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    fn count(g: &Graph, pred: &str, obj: Option<&str>) -> usize {
        g.iter()
            .filter(|t| t.predicate.as_str() == pred)
            .filter(|t| obj.is_none_or(|o| t.object.to_string() == o))
            .count()
    }

    #[test]
    fn a_dataset_carries_the_dcat_ap_properties_with_classes() {
        let g = dataset_graph(&fixtures::site(), &fixtures::dataset());
        let rdf_type = format!("{}type", vocab::RDF);
        let has_type = |node: &str, class: &str| {
            g.iter().any(|t| {
                t.subject.to_string() == format!("<{node}>")
                    && t.predicate.as_str() == rdf_type
                    && t.object.to_string() == format!("<{class}>")
            })
        };
        let eu = vocab::EU_AUTHORITY;
        assert!(has_type(
            "http://sen.test/dataset/3f1c2a9e-0000-4000-8000-000000000001",
            &format!("{DCAT}Dataset")
        ));
        assert!(has_type(
            &format!("{eu}access-right/PUBLIC"),
            &format!("{DCT}RightsStatement")
        ));
        assert!(has_type(
            &format!("{eu}frequency/ANNUAL"),
            &format!("{DCT}Frequency")
        ));
        assert!(has_type(
            &format!("{eu}language/VIE"),
            &format!("{DCT}LinguisticSystem")
        ));
        assert!(has_type(
            &format!("{eu}language/ENG"),
            &format!("{DCT}LinguisticSystem")
        ));
        assert!(has_type(
            &format!("{eu}file-type/CSV"),
            &format!("{DCT}MediaTypeOrExtent")
        ));
        assert!(has_type(
            "https://www.iana.org/assignments/media-types/text/csv",
            &format!("{DCT}MediaType")
        ));
        assert!(has_type(
            "https://creativecommons.org/licenses/by/4.0/",
            &format!("{DCT}LicenseDocument")
        ));
        assert!(has_type(
            "http://sen.test/organization/cuc-thong-ke",
            &format!("{FOAF}Agent")
        ));
        assert!(has_type(
            "http://sen.test/group/dan-cu",
            &format!("{SKOS}Concept")
        ));
        assert_eq!(count(&g, &format!("{DCAT}distribution"), None), 2);
        assert_eq!(
            count(&g, &format!("{DCAT}downloadURL"), None),
            1,
            "only the upload is a download"
        );
        assert_eq!(count(&g, &format!("{DCAT}keyword"), None), 2);
        assert_eq!(
            count(
                &g,
                &format!("{DCAT}byteSize"),
                Some(&format!("\"1234\"^^<{XSD}nonNegativeInteger>"))
            ),
            1
        );
        assert_eq!(count(&g, &format!("{SPDX}checksumValue"), None), 1);
        assert_eq!(
            count(
                &g,
                &format!("{DCT}modified"),
                Some(&format!("\"2024-06-07T08:09:10Z\"^^<{XSD}dateTime>"))
            ),
            2,
            "dataset and the upload"
        );
        assert_eq!(
            count(
                &g,
                &format!("{DCAT}startDate"),
                Some(&format!("\"2020-01-01\"^^<{XSD}date>"))
            ),
            1
        );
        assert_eq!(
            count(
                &g,
                &format!("{VCARD}hasEmail"),
                Some("<mailto:danso@example.gov.vn>")
            ),
            1
        );
    }

    #[test]
    fn access_levels_and_odd_values() {
        let mut d = fixtures::dataset();
        d["access_level"] = "shared".into();
        d["frequency"] = "whenever".into();
        d["spatial"] = "https://sws.geonames.org/1562822/".into();
        d["resources"][0]["hash"] = "not-a-hash".into();
        d["license_url"] = "not an iri".into();
        d["license_id"] = "".into();
        let g = dataset_graph(&fixtures::site(), &d);
        let eu = vocab::EU_AUTHORITY;
        assert_eq!(
            count(
                &g,
                &format!("{DCT}accessRights"),
                Some(&format!("<{eu}access-right/RESTRICTED>"))
            ),
            1
        );
        assert_eq!(count(&g, &format!("{DCT}accrualPeriodicity"), None), 0);
        assert_eq!(
            count(
                &g,
                &format!("{DCT}spatial"),
                Some("<https://sws.geonames.org/1562822/>")
            ),
            1
        );
        assert_eq!(count(&g, &format!("{SPDX}checksum"), None), 0);
        assert_eq!(count(&g, &format!("{DCT}license"), None), 0);
        d["access_level"] = "internal".into();
        d["license_id"] = "other-open".into();
        let g = dataset_graph(&fixtures::site(), &d);
        assert_eq!(
            count(
                &g,
                &format!("{DCT}license"),
                Some("<http://sen.test/licenses#other-open>")
            ),
            2
        );
        assert_eq!(
            count(
                &g,
                &format!("{DCT}accessRights"),
                Some(&format!("<{eu}access-right/NON_PUBLIC>"))
            ),
            1
        );
    }

    #[test]
    fn the_catalogue_pages_with_hydra() {
        let ds = vec![fixtures::dataset()];
        let paging = Paging {
            page: 2,
            per_page: 1,
            total: 3,
            url: "http://sen.test/catalog.ttl?q=d%C3%A2n".into(),
        };
        let g = catalog_graph(&fixtures::site(), &ds, Some(&paging));
        let view = "<http://sen.test/catalog.ttl?q=d%C3%A2n&page=2>";
        let rel = |r: &str| {
            g.iter()
                .find(|t| {
                    t.subject.to_string() == view && t.predicate.as_str() == format!("{HYDRA}{r}")
                })
                .map(|t| t.object.to_string())
        };
        assert_eq!(
            rel("first").as_deref(),
            Some("<http://sen.test/catalog.ttl?q=d%C3%A2n&page=1>")
        );
        assert_eq!(
            rel("last").as_deref(),
            Some("<http://sen.test/catalog.ttl?q=d%C3%A2n&page=3>")
        );
        assert_eq!(
            rel("next").as_deref(),
            Some("<http://sen.test/catalog.ttl?q=d%C3%A2n&page=3>")
        );
        assert_eq!(
            rel("previous").as_deref(),
            Some("<http://sen.test/catalog.ttl?q=d%C3%A2n&page=1>")
        );
        assert_eq!(count(&g, &format!("{DCAT}dataset"), None), 1);
        let first = Paging { page: 1, ..paging };
        let g = catalog_graph(&fixtures::site(), &ds, Some(&first));
        assert_eq!(count(&g, &format!("{HYDRA}previous"), None), 0);
        assert_eq!(count(&g, &format!("{HYDRA}next"), None), 1);
    }

    #[test]
    fn every_serialisation_parses_back_to_the_same_graph() {
        let g = catalog_graph(&fixtures::site(), &[fixtures::dataset()], None);
        for f in RdfFormat::ALL {
            let bytes = serialize(&g, f).unwrap();
            let back: Vec<Triple> = match f {
                RdfFormat::Turtle => oxttl::TurtleParser::new()
                    .for_slice(&bytes)
                    .collect::<Result<_, _>>()
                    .unwrap(),
                RdfFormat::NTriples => oxttl::NTriplesParser::new()
                    .for_slice(&bytes)
                    .collect::<Result<_, _>>()
                    .unwrap(),
                RdfFormat::RdfXml => oxrdfxml::RdfXmlParser::new()
                    .for_slice(&bytes)
                    .collect::<Result<_, _>>()
                    .unwrap(),
                RdfFormat::JsonLd => oxjsonld::JsonLdParser::new()
                    .for_slice(&bytes)
                    .map(|q| q.map(Triple::from))
                    .collect::<Result<_, _>>()
                    .unwrap(),
            };
            assert_eq!(
                back.len(),
                g.len(),
                "{f:?}: {}",
                String::from_utf8_lossy(&bytes)
            );
            let named = |t: &Triple| !t.subject.is_blank_node() && !t.object.is_blank_node();
            for t in back.iter().filter(|t| named(t)) {
                assert!(g.contains(t), "{f:?} lost or changed {t}");
            }
        }
    }

    #[test]
    fn negotiation_prefers_html_for_browsers() {
        assert_eq!(negotiate(None), None);
        assert_eq!(negotiate(Some("*/*")), None);
        assert_eq!(
            negotiate(Some(
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
            )),
            None
        );
        assert_eq!(negotiate(Some("text/turtle")), Some(RdfFormat::Turtle));
        assert_eq!(
            negotiate(Some("application/rdf+xml")),
            Some(RdfFormat::RdfXml)
        );
        assert_eq!(
            negotiate(Some("application/ld+json, text/html;q=0.5")),
            Some(RdfFormat::JsonLd)
        );
        assert_eq!(
            negotiate(Some("application/n-triples;q=0.9, text/turtle")),
            Some(RdfFormat::Turtle)
        );
        assert_eq!(negotiate(Some("text/turtle;q=0")), None);
        assert_eq!(negotiate(Some("text/*")), None, "text/html ties and wins");
        assert_eq!(negotiate(Some("application/json")), None);
    }
}
