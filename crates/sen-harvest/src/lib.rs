//! Sen's harvesting client: reads a remote catalogue whole — a CKAN portal
//! through its Action API, a DCAT catalogue in RDF (Turtle, N-Triples, RDF/XML,
//! JSON-LD; paged with Hydra), or a DCAT-US `data.json` — into plain
//! [`RemoteDataset`]s. It knows nothing of the database: the catalogue decides
//! what to create, update or withdraw, and writes it in one transaction, so a
//! source that fails half-way changes nothing.
//!
//! Every request goes through [`fetch::fetch`], which refuses private
//! addresses, caps sizes and times, and counts redirects.

pub mod ckan;
pub mod datajson;
pub mod dcat;
pub mod fetch;

pub use fetch::{FetchError, FetchLimits};

use sen_domain::Msg;
use serde::Serialize;

/// Pages read from one source at most (100 datasets a page for CKAN).
pub const MAX_PAGES: usize = 2000;

/// A whole run may read at most this many times `max_bytes` (all pages together).
pub const MAX_TOTAL_FACTOR: u64 = 20;

/// Counts the bytes of a run against its budget.
pub(crate) struct Budget {
    used: u64,
    max: u64,
}

impl Budget {
    pub(crate) fn new(limits: &FetchLimits) -> Self {
        Self {
            used: 0,
            max: limits.max_bytes.saturating_mul(MAX_TOTAL_FACTOR),
        }
    }

    pub(crate) fn spend(&mut self, url: &str, n: usize) -> Result<(), HarvestError> {
        self.used += n as u64;
        if self.used > self.max {
            return Err(HarvestError::Fetch {
                url: url.to_string(),
                error: FetchError::TooLarge(self.max),
            });
        }
        Ok(())
    }
}

/// The kinds of source Sen harvests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Ckan,
    Dcat,
    DataJson,
}

impl SourceKind {
    pub const ALL: [SourceKind; 3] = [Self::Ckan, Self::Dcat, Self::DataJson];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ckan => "ckan",
            Self::Dcat => "dcat",
            Self::DataJson => "datajson",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A remote dataset as read, in Sen's field names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RemoteDataset {
    /// The remote's stable identifier (CKAN id, DCAT identifier or IRI).
    pub remote_id: String,
    /// The remote's URL name, when it has one (CKAN).
    pub remote_name: String,
    /// Where a person sees it on the remote.
    pub object_url: String,
    /// When the remote last changed it, as the remote writes it.
    pub modified: String,
    pub title: String,
    pub notes: String,
    pub url: String,
    pub version: String,
    pub author: String,
    pub author_email: String,
    pub maintainer: String,
    pub maintainer_email: String,
    /// The remote licence: an id (CKAN) or a URI (DCAT, data.json).
    pub license: String,
    pub tags: Vec<String>,
    pub frequency: String,
    pub language: String,
    pub spatial: String,
    pub temporal_start: String,
    pub temporal_end: String,
    pub identifier: String,
    pub contact_name: String,
    pub contact_email: String,
    pub extras: Vec<(String, String)>,
    pub resources: Vec<RemoteResource>,
    /// The most open access the remote grants: `open`, `shared` or `internal`.
    pub access_level: String,
}

/// A distribution, harvested as a link (never downloaded).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RemoteResource {
    pub name: String,
    pub description: String,
    pub url: String,
    pub format: String,
    pub mimetype: String,
}

/// Everything read from a source in one run.
#[derive(Debug, Clone, Default)]
pub struct Gathered {
    pub datasets: Vec<RemoteDataset>,
    /// True when `datasets` is the whole remote catalogue (so what is
    /// missing was removed there); false for an incremental read.
    pub complete: bool,
    /// For an incremental read: the names of every dataset the remote still
    /// has, when it could list them (CKAN `package_list`).
    pub alive_names: Option<Vec<String>>,
    /// Remote entries that could not be read, with why.
    pub skipped: Vec<(String, Msg)>,
    pub pages: usize,
}

/// Why a source could not be read. Nothing is written when this happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HarvestError {
    Fetch {
        url: String,
        error: FetchError,
    },
    /// The body is not what the source type promises.
    Parse {
        url: String,
        detail: String,
    },
    /// The remote's paging does not advance.
    PagingLoop {
        url: String,
    },
    TooManyPages(usize),
}

impl HarvestError {
    /// Why, in words for the operator (the URL is reported beside it).
    pub fn msg(&self) -> Msg {
        match self {
            HarvestError::Fetch { error, .. } => error.msg(),
            HarvestError::Parse { detail, .. } => {
                Msg::new("harvest-error-parse").arg("detail", detail)
            }
            HarvestError::PagingLoop { .. } => Msg::new("harvest-error-paging"),
            HarvestError::TooManyPages(n) => Msg::new("harvest-error-too-many-pages").arg("max", n),
        }
    }

    /// The URL the error happened at.
    pub fn url(&self) -> Option<&str> {
        match self {
            HarvestError::Fetch { url, .. }
            | HarvestError::Parse { url, .. }
            | HarvestError::PagingLoop { url } => Some(url),
            HarvestError::TooManyPages(_) => None,
        }
    }
}

/// Reads a whole source. `since` (CKAN only) asks for the datasets changed
/// since then (an ISO-8601 UTC time), plus the list of names still there.
pub async fn gather(
    kind: SourceKind,
    url: &str,
    since: Option<&str>,
    limits: &FetchLimits,
) -> Result<Gathered, HarvestError> {
    match kind {
        SourceKind::Ckan => ckan::gather(url, since, limits).await,
        SourceKind::Dcat => dcat::gather(url, limits).await,
        SourceKind::DataJson => datajson::gather(url, limits).await,
    }
}

pub(crate) async fn get(
    url: &str,
    accept: &str,
    limits: &FetchLimits,
) -> Result<fetch::Fetched, HarvestError> {
    fetch::fetch(url, accept, limits)
        .await
        .map_err(|error| HarvestError::Fetch {
            url: url.to_string(),
            error,
        })
}

pub(crate) fn parse_error(url: &str, detail: impl std::fmt::Display) -> HarvestError {
    let mut detail = detail.to_string();
    if detail.len() > 300 {
        let mut cut = 300;
        while !detail.is_char_boundary(cut) {
            cut -= 1;
        }
        detail.truncate(cut);
    }
    HarvestError::Parse {
        url: url.to_string(),
        detail,
    }
}

/// A date `YYYY-MM-DD` at the start of `s`, or empty.
pub(crate) fn date_prefix(s: &str) -> String {
    let s = s.trim();
    let head: String = s.chars().take(10).collect();
    let ok = head.len() == 10
        && head.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if ok {
        head
    } else {
        String::new()
    }
}

/// The last segment of an IRI (`…/frequency/MONTHLY` → `MONTHLY`).
pub(crate) fn last_segment(iri: &str) -> String {
    iri.trim_end_matches('/')
        .rsplit(['/', '#'])
        .next()
        .unwrap_or(iri)
        .to_string()
}

/// `mailto:a@b` → `a@b`.
pub(crate) fn strip_mailto(s: &str) -> String {
    s.trim().trim_start_matches("mailto:").to_string()
}
