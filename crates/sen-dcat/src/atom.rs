//! Atom feeds (RFC 4287), with RFC 5005 paging links (`first`, `previous`,
//! `next`, `last`). Text is escaped, and characters XML 1.0 forbids are
//! dropped, so any catalogue text makes a well-formed feed.

use crate::{list_of, str_of, utc, Site};
use serde_json::Value;

#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// A permanent IRI: the dataset's address, or `urn:uuid:` of an activity.
    pub id: String,
    pub title: String,
    /// The HTML page the entry is about.
    pub link: String,
    /// RFC 3339.
    pub updated: String,
    pub published: Option<String>,
    pub author: String,
    pub summary: String,
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Feed {
    pub id: String,
    pub title: String,
    pub subtitle: String,
    /// The feed's own address (this page of it).
    pub self_url: String,
    /// The HTML page the feed follows.
    pub alternate_url: String,
    /// Paging and other links: (`rel`, `href`).
    pub links: Vec<(String, String)>,
    /// The feed's author when entries have none (RFC 4287 requires one).
    pub author: String,
    /// Newest entry's `updated`, or the time of the request for an empty feed.
    pub updated: String,
    pub lang: String,
    pub entries: Vec<Entry>,
}

/// Escapes text for element content and attribute values; drops characters
/// XML 1.0 does not allow.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An entry id for a record id: `urn:uuid:` for UUIDs, else a `tag:` URI of the site's host.
pub fn entry_id(site: &Site, kind: &str, id: &str) -> String {
    let is_uuid = id.len() == 36
        && id.chars().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    if is_uuid {
        return format!("urn:uuid:{}", id.to_ascii_lowercase());
    }
    let host = site
        .url
        .split("://")
        .nth(1)
        .unwrap_or(&site.url)
        .split(['/', ':'])
        .next()
        .unwrap_or("localhost");
    format!("tag:{host},2025:{kind}/{id}")
}

/// An entry for a dataset as it is now (catalogue, organisation and topic feeds).
pub fn dataset_entry(site: &Site, d: &Value) -> Entry {
    let name = str_of(d, "name");
    let title = str_of(d, "title");
    let org = d.get("organization").cloned().unwrap_or(Value::Null);
    let author = if str_of(&org, "title").is_empty() {
        str_of(&org, "name")
    } else {
        str_of(&org, "title")
    };
    Entry {
        id: format!("{}/dataset/{}", site.url, str_of(d, "id")),
        title: if title.is_empty() { name } else { title }.to_string(),
        link: site.dataset_page(name),
        updated: utc(str_of(d, "metadata_modified")).unwrap_or_default(),
        published: utc(str_of(d, "metadata_created")),
        author: author.to_string(),
        summary: str_of(d, "notes").to_string(),
        categories: list_of(d, "tags")
            .iter()
            .map(|t| str_of(t, "name").to_string())
            .filter(|t| !t.is_empty())
            .collect(),
    }
}

/// The feed as an XML document.
pub fn render(feed: &Feed) -> String {
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(&feed.lang)
    ));
    x.push_str(&format!("  <id>{}</id>\n", escape(&feed.id)));
    x.push_str(&format!(
        "  <title type=\"text\">{}</title>\n",
        escape(&feed.title)
    ));
    if !feed.subtitle.is_empty() {
        x.push_str(&format!(
            "  <subtitle type=\"text\">{}</subtitle>\n",
            escape(&feed.subtitle)
        ));
    }
    let updated = feed
        .entries
        .iter()
        .map(|e| e.updated.as_str())
        .filter(|u| !u.is_empty())
        .max()
        .unwrap_or(&feed.updated);
    x.push_str(&format!("  <updated>{}</updated>\n", escape(updated)));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&feed.self_url)
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&feed.alternate_url)
    ));
    for (rel, href) in &feed.links {
        x.push_str(&format!(
            "  <link rel=\"{}\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            escape(rel),
            escape(href)
        ));
    }
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(&feed.author)
    ));
    x.push_str("  <generator>Sen</generator>\n");
    for e in &feed.entries {
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <id>{}</id>\n", escape(&e.id)));
        x.push_str(&format!(
            "    <title type=\"text\">{}</title>\n",
            escape(&e.title)
        ));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&e.link)
        ));
        let entry_updated = if e.updated.is_empty() {
            updated
        } else {
            &e.updated
        };
        x.push_str(&format!(
            "    <updated>{}</updated>\n",
            escape(entry_updated)
        ));
        if let Some(p) = e.published.as_deref().filter(|p| !p.is_empty()) {
            x.push_str(&format!("    <published>{}</published>\n", escape(p)));
        }
        if !e.author.is_empty() {
            x.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                escape(&e.author)
            ));
        }
        for c in &e.categories {
            x.push_str(&format!("    <category term=\"{}\"/>\n", escape(c)));
        }
        if !e.summary.is_empty() {
            x.push_str(&format!(
                "    <summary type=\"text\">{}</summary>\n",
                escape(&e.summary)
            ));
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(escape("a<b>&\"c'\u{1}d"), "a&lt;b&gt;&amp;&quot;c&apos;d");
        let site = fixtures::site();
        let feed = Feed {
            id: "http://sen.test/feeds/dataset.atom".into(),
            title: "Tin <mới>".into(),
            self_url: "http://sen.test/feeds/dataset.atom?page=1&x=\"y\"".into(),
            alternate_url: "http://sen.test/dataset".into(),
            author: "Cổng".into(),
            updated: "2025-01-01T00:00:00Z".into(),
            lang: "vi".into(),
            entries: vec![dataset_entry(&site, &fixtures::dataset())],
            ..Default::default()
        };
        let xml = render(&feed);
        assert!(xml.contains("<title type=\"text\">Tin &lt;mới&gt;</title>"));
        assert!(
            xml.contains("href=\"http://sen.test/feeds/dataset.atom?page=1&amp;x=&quot;y&quot;\"")
        );
        assert!(xml.contains("Dân số Hà Nội &lt;2024&gt; &amp; &quot;khác&quot;"));
        // The feed is as new as its newest entry.
        assert!(xml.contains("<updated>2024-06-07T08:09:10Z</updated>"));
        assert!(xml.contains("<category term=\"dân số\"/>"));
    }

    #[test]
    fn entry_ids_are_permanent_iris() {
        let site = fixtures::site();
        assert_eq!(
            entry_id(&site, "activity", "3F1C2A9E-0000-4000-8000-000000000001"),
            "urn:uuid:3f1c2a9e-0000-4000-8000-000000000001"
        );
        assert_eq!(
            entry_id(&site, "activity", "42"),
            "tag:sen.test,2025:activity/42"
        );
    }
}
