//! The knowledge hub: posts (news, guides, technical articles, standards) and
//! the legal library. Sysadmins write both (there is no separate content-editor
//! role yet); drafts and posts scheduled for later are visible only to them.
//! Legal documents are public metadata: everyone reads them.

use crate::input::{require_id, Dict, Input};
use crate::{new_id, not_found, Actor, Catalog, Upload};
use sen_db::{LegalQuery, LegalRow, PostQuery, PostRow};
use sen_domain::{fold::fold, time, Msg, Result};
use serde_json::{json, Value};

pub const POST_CATEGORIES: &[&str] = &["news", "guide", "article", "standard"];
pub const POST_STATUSES: &[&str] = &["draft", "published"];
pub const LANGUAGES: &[&str] = &["vi", "en"];
pub const LEGAL_TYPES: &[&str] = &[
    "law",
    "ordinance",
    "resolution",
    "decree",
    "decision",
    "directive",
    "circular",
    "official_letter",
    "other",
];
pub const LEGAL_STATUSES: &[&str] = &["in_force", "not_yet_in_force", "amended", "repealed"];
const MAX_BODY: usize = 200_000;
const MAX_TITLE: usize = 300;
const MAX_SUMMARY: usize = 2_000;
const MAX_FULL_TEXT: usize = 2_000_000;

/// Words of a text folded for matching: single spaces, one at each end.
pub(crate) fn search_text(parts: &[&str]) -> String {
    let folded = fold(&parts.join(" "));
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    format!(" {} ", words.join(" "))
}

/// The folded words of a query (each must appear).
pub(crate) fn query_words(q: &str) -> Vec<String> {
    fold(q)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(20)
        .map(str::to_string)
        .collect()
}

/// A URL name from a title or number: folded, lower case, words joined by hyphens.
pub fn slugify(text: &str) -> String {
    let folded = fold(text);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.chars().take(90).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn choice(inp: &mut Input, key: &str, choices: &[&str], default: Option<&str>) -> String {
    match inp.text(key) {
        Some(v) if choices.contains(&v.as_str()) => v,
        Some(v) => {
            inp.error(
                key,
                Msg::new("field-bad-choice")
                    .arg("value", v)
                    .arg("choices", choices.join(", ")),
            );
            String::new()
        }
        None => match default {
            Some(d) => d.to_string(),
            None => {
                inp.error(key, Msg::new("field-missing"));
                String::new()
            }
        },
    }
}

fn limited(inp: &mut Input, key: &str, max: usize) -> Option<String> {
    let v = inp.text(key)?;
    if v.chars().count() > max {
        inp.error(key, Msg::new("field-text-too-long").arg("max", max));
    }
    Some(v)
}

fn date_field(inp: &mut Input, key: &str) -> Option<String> {
    let v = inp.text(key)?;
    match time::parse_date(&v) {
        Some(d) => Some(d.format("%Y-%m-%d").to_string()),
        None => {
            inp.error(key, Msg::new("field-bad-date").arg("value", v));
            None
        }
    }
}

fn check_slug(inp: &mut Input, key: &str, slug: &str) {
    if slug.len() < 2 {
        inp.error(key, Msg::new("field-name-too-short").arg("min", 2));
    } else if !slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        inp.error(key, Msg::new("field-name-characters"));
    }
}

impl Catalog {
    fn can_write_hub(&self, actor: &Actor) -> bool {
        actor.is_sysadmin()
    }

    fn require_hub_writer(&self, actor: &Actor, action: &str) -> Result<()> {
        self.require_sysadmin(actor, action)
    }

    fn post_visible(&self, actor: &Actor, p: &PostRow, now: &str) -> bool {
        self.can_write_hub(actor)
            || (p.status == "published" && p.published_at.as_deref().is_some_and(|at| at <= now))
    }

    async fn post_dict(&self, actor: &Actor, p: &PostRow, full: bool) -> Result<Value> {
        let mut c = self.db.conn().await?;
        let now = time::now();
        let author = match &p.author_id {
            Some(id) => sen_db::find_user(&mut c, id).await?.map(|u| {
                let display = if u.fullname.is_empty() {
                    u.name.clone()
                } else {
                    u.fullname.clone()
                };
                json!({"name": u.name, "display_name": display})
            }),
            None => None,
        };
        let translation = match &p.translation_id {
            Some(id) => sen_db::find_post(&mut c, id)
                .await?
                .filter(|t| self.post_visible(actor, t, &now))
                .map(|t| json!({"id": t.id, "slug": t.slug, "title": t.title, "language": t.language})),
            None => None,
        };
        let scheduled = p.status == "published"
            && p.published_at
                .as_deref()
                .is_some_and(|at| at > now.as_str());
        let mut d = json!({
            "id": p.id, "slug": p.slug, "title": p.title, "summary": p.summary,
            "category": p.category, "language": p.language, "translation": translation,
            "image_url": p.image_url, "author": author, "status": p.status,
            "published_at": p.published_at, "scheduled": scheduled,
            "created": p.created, "modified": p.modified,
        });
        if full {
            d["body"] = json!(p.body);
        }
        Ok(d)
    }

    async fn find_visible_post(&self, actor: &Actor, key: &str) -> Result<PostRow> {
        let mut c = self.db.conn().await?;
        let p = sen_db::find_post(&mut c, key).await?;
        p.filter(|p| self.post_visible(actor, p, &time::now()))
            .ok_or_else(|| not_found("post_not_found", "error-post-not-found"))
    }

    pub async fn post_show(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let key = require_id(data, &["id", "slug"])?;
        let p = self.find_visible_post(actor, &key).await?;
        self.post_dict(actor, &p, true).await
    }

    pub async fn post_list(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let mut inp = Input::new(data);
        let rows = inp.int_in("rows", 20, 0, 100);
        let start = inp.int_in("start", 0, 0, 1_000_000);
        let category = inp.text("category");
        let language = inp.text("language");
        let q = inp.text("q").unwrap_or_default();
        // Writers see drafts and scheduled posts too, unless they ask not to.
        let published_only = inp.bool("published_only").unwrap_or(false);
        inp.finish()?;
        let pq = PostQuery {
            public_at: (published_only || !self.can_write_hub(actor)).then(time::now),
            category,
            language,
            words: query_words(&q),
            rows,
            start,
        };
        let mut c = self.db.conn().await?;
        let count = sen_db::count_posts(&mut c, &pq).await?;
        let rows = if rows > 0 {
            sen_db::list_posts(&mut c, &pq).await?
        } else {
            Vec::new()
        };
        drop(c);
        let mut results = Vec::new();
        for p in &rows {
            results.push(self.post_dict(actor, p, false).await?);
        }
        Ok(json!({"count": count, "results": results}))
    }

    /// Reads the post fields given, over `p` (all of them when creating).
    async fn apply_post_fields(
        &self,
        c: &mut sen_db::Conn,
        inp: &mut Input<'_>,
        p: &mut PostRow,
        creating: bool,
    ) -> Result<Option<Option<String>>> {
        if creating || inp.has("title") {
            match limited(inp, "title", MAX_TITLE) {
                Some(t) => p.title = t,
                None => inp.error("title", Msg::new("field-missing")),
            }
        }
        if creating || inp.has("body") {
            match inp.text("body") {
                Some(b) if b.chars().count() > MAX_BODY => {
                    inp.error("body", Msg::new("field-text-too-long").arg("max", MAX_BODY))
                }
                Some(b) => p.body = b,
                None => inp.error("body", Msg::new("field-missing")),
            }
        }
        if creating || inp.has("summary") {
            p.summary = limited(inp, "summary", MAX_SUMMARY).unwrap_or_default();
        }
        if creating || inp.has("category") {
            p.category = choice(inp, "category", POST_CATEGORIES, Some("news"));
        }
        if creating || inp.has("language") {
            p.language = choice(inp, "language", LANGUAGES, Some("vi"));
        }
        if creating || inp.has("status") {
            p.status = choice(inp, "status", POST_STATUSES, Some("draft"));
        }
        if creating || inp.has("image_url") {
            p.image_url = inp.text("image_url").unwrap_or_default();
            let ok = p.image_url.is_empty()
                || (p.image_url.starts_with('/') && !p.image_url.starts_with("//"))
                || p.image_url.starts_with("https://")
                || p.image_url.starts_with("http://");
            if !ok {
                inp.error(
                    "image_url",
                    Msg::new("field-bad-url").arg("value", p.image_url.clone()),
                );
            }
        }
        if creating || inp.has("published_at") {
            p.published_at = match inp.text("published_at") {
                Some(v) => match time::parse(&v) {
                    Some(t) => Some(time::format(t)),
                    None => {
                        inp.error("published_at", Msg::new("field-bad-date").arg("value", v));
                        None
                    }
                },
                None => None,
            };
        }
        if p.status == "published" && p.published_at.is_none() {
            p.published_at = Some(time::now());
        }
        if creating || inp.has("slug") {
            let slug = inp
                .text("slug")
                .unwrap_or_else(|| slugify(&p.title))
                .to_lowercase();
            if !p.title.is_empty() || inp.has("slug") {
                check_slug(inp, "slug", &slug);
            }
            if let Some(other) = sen_db::find_post(&mut *c, &slug).await? {
                if other.id != p.id {
                    inp.error("slug", Msg::new("field-name-taken"));
                }
            }
            p.slug = slug;
        }
        // The same post in the other language: `Some(None)` clears the link.
        let mut translation = None;
        if inp.has("translation_of") {
            translation = Some(None);
            if let Some(key) = inp.text("translation_of") {
                match sen_db::find_post(&mut *c, &key).await? {
                    Some(t) if t.id != p.id && t.language != p.language => {
                        translation = Some(Some(t.id))
                    }
                    Some(_) => inp.error("translation_of", Msg::new("field-translation-language")),
                    None => inp.error(
                        "translation_of",
                        Msg::new("field-unknown-post").arg("value", key),
                    ),
                }
            }
        }
        Ok(translation)
    }

    async fn link_translation(
        &self,
        c: &mut sen_db::Conn,
        p: &mut PostRow,
        translation: Option<Option<String>>,
    ) -> Result<()> {
        let Some(new) = translation else {
            return Ok(());
        };
        if let Some(old) = p.translation_id.take() {
            sen_db::set_post_translation(&mut *c, &old, None).await?;
        }
        if let Some(other) = &new {
            if let Some(t) = sen_db::find_post(&mut *c, other).await? {
                if let Some(prev) = t.translation_id {
                    sen_db::set_post_translation(&mut *c, &prev, None).await?;
                }
            }
            sen_db::set_post_translation(&mut *c, other, Some(&p.id)).await?;
        }
        p.translation_id = new;
        Ok(())
    }

    fn refresh_post_search(p: &mut PostRow) {
        p.search_text = search_text(&[&p.title, &p.summary, &p.body, &p.slug]);
    }

    pub async fn post_create(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        self.require_hub_writer(actor, "post_create")?;
        let now = time::now();
        let mut p = PostRow {
            id: new_id(),
            author_id: actor.id().map(str::to_string),
            created: now.clone(),
            modified: now,
            ..Default::default()
        };
        let mut tx = self.db.begin_write().await?;
        let mut inp = Input::new(data);
        let translation = self
            .apply_post_fields(tx.conn(), &mut inp, &mut p, true)
            .await?;
        inp.finish()?;
        Self::refresh_post_search(&mut p);
        sen_db::insert_post(tx.conn(), &p).await?;
        self.link_translation(tx.conn(), &mut p, translation)
            .await?;
        sen_db::update_post(tx.conn(), &p).await?;
        tx.commit().await?;
        self.post_dict(actor, &p, true).await
    }

    /// Changes the fields given (a patch: absent fields keep their value).
    pub async fn post_update(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        self.require_hub_writer(actor, "post_update")?;
        let key = require_id(data, &["id"])?;
        let mut tx = self.db.begin_write().await?;
        let mut p = sen_db::find_post(tx.conn(), &key)
            .await?
            .ok_or_else(|| not_found("post_not_found", "error-post-not-found"))?;
        let mut inp = Input::new(data);
        let translation = self
            .apply_post_fields(tx.conn(), &mut inp, &mut p, false)
            .await?;
        inp.finish()?;
        p.modified = time::now();
        Self::refresh_post_search(&mut p);
        self.link_translation(tx.conn(), &mut p, translation)
            .await?;
        sen_db::update_post(tx.conn(), &p).await?;
        tx.commit().await?;
        self.post_dict(actor, &p, true).await
    }

    pub async fn post_delete(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        self.require_hub_writer(actor, "post_delete")?;
        let key = require_id(data, &["id"])?;
        let mut tx = self.db.begin_write().await?;
        let p = sen_db::find_post(tx.conn(), &key)
            .await?
            .ok_or_else(|| not_found("post_not_found", "error-post-not-found"))?;
        sen_db::delete_post(tx.conn(), &p.id).await?;
        tx.commit().await?;
        Ok(Value::Null)
    }

    // ---- The legal library ----

    async fn legal_dict(&self, d: &LegalRow, full: bool) -> Result<Value> {
        let mut v = json!({
            "id": d.id, "slug": d.slug, "number": d.number, "title": d.title,
            "type": d.doc_type, "issuer": d.issuer, "signed_on": d.signed_on,
            "effective_from": d.effective_from, "status": d.status, "summary": d.summary,
            "file": d.file_key.as_ref().map(|_| json!({
                "name": d.file_name, "size": d.file_size, "sha256": d.file_sha256,
                "mimetype": d.file_mimetype,
                "url": format!("{}/legal/{}/download", self.config.site_url.trim_end_matches('/'), d.slug),
            })),
            "has_full_text": !d.full_text.is_empty(),
            "created": d.created, "modified": d.modified,
        });
        if full {
            let mut c = self.db.conn().await?;
            let link = |l: &sen_db::LegalLink| json!({"id": l.id, "slug": l.slug, "number": l.number, "title": l.title, "relation": l.relation});
            let out = sen_db::legal_links(&mut c, &d.id, true).await?;
            let inc = sen_db::legal_links(&mut c, &d.id, false).await?;
            v["full_text"] = json!(d.full_text);
            v["amends"] = json!(out
                .iter()
                .filter(|l| l.relation == "amends")
                .map(link)
                .collect::<Vec<_>>());
            v["repeals"] = json!(out
                .iter()
                .filter(|l| l.relation == "repeals")
                .map(link)
                .collect::<Vec<_>>());
            v["amended_by"] = json!(inc
                .iter()
                .filter(|l| l.relation == "amends")
                .map(link)
                .collect::<Vec<_>>());
            v["repealed_by"] = json!(inc
                .iter()
                .filter(|l| l.relation == "repeals")
                .map(link)
                .collect::<Vec<_>>());
        }
        Ok(v)
    }

    pub async fn legal_document_show(&self, _actor: &Actor, data: &Dict) -> Result<Value> {
        let key = require_id(data, &["id", "slug", "number"])?;
        let mut c = self.db.conn().await?;
        let d = sen_db::find_legal(&mut c, &key)
            .await?
            .ok_or_else(|| not_found("legal_document_not_found", "error-legal-not-found"))?;
        drop(c);
        self.legal_dict(&d, true).await
    }

    /// The stored file of a legal document, for downloading.
    pub async fn legal_document_file(&self, key: &str) -> Result<LegalRow> {
        let mut c = self.db.conn().await?;
        sen_db::find_legal(&mut c, key)
            .await?
            .filter(|d| d.file_key.is_some())
            .ok_or_else(|| not_found("file_not_found", "error-file-not-found"))
    }

    pub async fn legal_document_list(&self, _actor: &Actor, data: &Dict) -> Result<Value> {
        let mut inp = Input::new(data);
        let rows = inp.int_in("rows", 20, 0, 100);
        let start = inp.int_in("start", 0, 0, 1_000_000);
        let lq = LegalQuery {
            doc_type: inp.text("type"),
            status: inp.text("status"),
            issuer: inp.text("issuer"),
            words: query_words(&inp.text("q").unwrap_or_default()),
            rows,
            start,
        };
        inp.finish()?;
        let mut c = self.db.conn().await?;
        let count = sen_db::count_legal(&mut c, &lq).await?;
        let rows = if rows > 0 {
            sen_db::list_legal(&mut c, &lq).await?
        } else {
            Vec::new()
        };
        let issuers = sen_db::legal_issuers(&mut c).await?;
        drop(c);
        let mut results = Vec::new();
        for d in &rows {
            results.push(self.legal_dict(d, false).await?);
        }
        Ok(json!({"count": count, "results": results, "issuers": issuers}))
    }

    async fn apply_legal_fields(
        &self,
        c: &mut sen_db::Conn,
        inp: &mut Input<'_>,
        d: &mut LegalRow,
        creating: bool,
    ) -> Result<Option<Vec<(String, String)>>> {
        if creating || inp.has("number") {
            match limited(inp, "number", 100) {
                Some(n) => d.number = sen_domain::fold::nfc(&n),
                None => inp.error("number", Msg::new("field-missing")),
            }
        }
        if creating || inp.has("title") {
            match limited(inp, "title", 1000) {
                Some(t) => d.title = t,
                None => inp.error("title", Msg::new("field-missing")),
            }
        }
        if creating || inp.has("type") {
            d.doc_type = choice(inp, "type", LEGAL_TYPES, None);
        }
        if creating || inp.has("issuer") {
            match limited(inp, "issuer", 300) {
                Some(t) => d.issuer = t,
                None => inp.error("issuer", Msg::new("field-missing")),
            }
        }
        if creating || inp.has("status") {
            d.status = choice(inp, "status", LEGAL_STATUSES, Some("in_force"));
        }
        if creating || inp.has("signed_on") {
            d.signed_on = date_field(inp, "signed_on");
        }
        if creating || inp.has("effective_from") {
            d.effective_from = date_field(inp, "effective_from");
        }
        if creating || inp.has("summary") {
            d.summary = limited(inp, "summary", 20_000).unwrap_or_default();
        }
        if creating || inp.has("full_text") {
            d.full_text = limited(inp, "full_text", MAX_FULL_TEXT).unwrap_or_default();
        }
        if creating || inp.has("slug") {
            let slug = inp
                .text("slug")
                .unwrap_or_else(|| slugify(&d.number))
                .to_lowercase();
            if !d.number.is_empty() || inp.has("slug") {
                check_slug(inp, "slug", &slug);
            }
            if let Some(other) = sen_db::find_legal(&mut *c, &slug).await? {
                if other.id != d.id {
                    inp.error("slug", Msg::new("field-name-taken"));
                }
            }
            d.slug = slug;
        }
        if !d.number.is_empty() {
            if let Some(other) = sen_db::find_legal(&mut *c, &d.number).await? {
                if other.id != d.id {
                    inp.error("number", Msg::new("field-name-taken"));
                }
            }
        }
        if !(inp.has("amends") || inp.has("repeals")) {
            return Ok(None);
        }
        let mut relations = Vec::new();
        for (key, relation) in [("amends", "amends"), ("repeals", "repeals")] {
            for target in inp.string_list(key).unwrap_or_default() {
                match sen_db::find_legal(&mut *c, &target).await? {
                    Some(t) if t.id != d.id => relations.push((t.id, relation.to_string())),
                    _ => inp.error(key, Msg::new("field-unknown-legal").arg("value", target)),
                }
            }
        }
        Ok(Some(relations))
    }

    /// Saves the relations and marks what is amended or repealed as such.
    async fn save_legal_relations(
        &self,
        c: &mut sen_db::Conn,
        d: &LegalRow,
        relations: Option<Vec<(String, String)>>,
    ) -> Result<()> {
        let Some(relations) = relations else {
            return Ok(());
        };
        sen_db::set_legal_relations(&mut *c, &d.id, &relations).await?;
        for (target, relation) in &relations {
            if let Some(mut t) = sen_db::find_legal(&mut *c, target).await? {
                let status = if relation == "repeals" {
                    "repealed"
                } else {
                    "amended"
                };
                if t.status != "repealed" && t.status != status {
                    t.status = status.to_string();
                    t.modified = time::now();
                    sen_db::update_legal(&mut *c, &t).await?;
                }
            }
        }
        Ok(())
    }

    fn attach_legal_file(inp: &mut Input, d: &mut LegalRow, upload: Option<&Upload>) {
        let Some(u) = upload else { return };
        let lower = u.filename.to_ascii_lowercase();
        let mimetype = if lower.ends_with(".pdf") {
            "application/pdf"
        } else if lower.ends_with(".docx") {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        } else {
            inp.error("upload", Msg::new("field-legal-file-type"));
            return;
        };
        d.file_key = Some(u.key.clone());
        d.file_name = u
            .filename
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("file")
            .to_string();
        d.file_size = u.size as i64;
        d.file_sha256 = u.sha256.clone();
        d.file_mimetype = mimetype.to_string();
    }

    fn refresh_legal_search(d: &mut LegalRow) {
        d.search_text = search_text(&[&d.number, &d.title, &d.issuer, &d.summary, &d.full_text]);
    }

    pub async fn legal_document_create(
        &self,
        actor: &Actor,
        data: &Dict,
        upload: Option<Upload>,
    ) -> Result<Value> {
        self.require_hub_writer(actor, "legal_document_create")?;
        let now = time::now();
        let mut d = LegalRow {
            id: new_id(),
            created: now.clone(),
            modified: now,
            ..Default::default()
        };
        let mut tx = self.db.begin_write().await?;
        let mut inp = Input::new(data);
        let relations = self
            .apply_legal_fields(tx.conn(), &mut inp, &mut d, true)
            .await?;
        Self::attach_legal_file(&mut inp, &mut d, upload.as_ref());
        inp.finish()?;
        Self::refresh_legal_search(&mut d);
        sen_db::insert_legal(tx.conn(), &d).await?;
        self.save_legal_relations(tx.conn(), &d, relations).await?;
        tx.commit().await?;
        self.legal_dict(&d, true).await
    }

    pub async fn legal_document_update(
        &self,
        actor: &Actor,
        data: &Dict,
        upload: Option<Upload>,
    ) -> Result<Value> {
        self.require_hub_writer(actor, "legal_document_update")?;
        let key = require_id(data, &["id"])?;
        let mut tx = self.db.begin_write().await?;
        let mut d = sen_db::find_legal(tx.conn(), &key)
            .await?
            .ok_or_else(|| not_found("legal_document_not_found", "error-legal-not-found"))?;
        let old_file = d.file_key.clone();
        let mut inp = Input::new(data);
        let relations = self
            .apply_legal_fields(tx.conn(), &mut inp, &mut d, false)
            .await?;
        Self::attach_legal_file(&mut inp, &mut d, upload.as_ref());
        inp.finish()?;
        d.modified = time::now();
        Self::refresh_legal_search(&mut d);
        sen_db::update_legal(tx.conn(), &d).await?;
        self.save_legal_relations(tx.conn(), &d, relations).await?;
        tx.commit().await?;
        if upload.is_some() {
            if let Some(old) = old_file {
                if let Err(e) = self.storage.delete(&old).await {
                    tracing::warn!(%e, key = old, "old legal file not removed");
                }
            }
        }
        self.legal_dict(&d, true).await
    }

    pub async fn legal_document_delete(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        self.require_hub_writer(actor, "legal_document_delete")?;
        let key = require_id(data, &["id"])?;
        let mut tx = self.db.begin_write().await?;
        let d = sen_db::find_legal(tx.conn(), &key)
            .await?
            .ok_or_else(|| not_found("legal_document_not_found", "error-legal-not-found"))?;
        sen_db::delete_legal(tx.conn(), &d.id).await?;
        tx.commit().await?;
        if let Some(k) = d.file_key {
            if let Err(e) = self.storage.delete(&k).await {
                tracing::warn!(%e, key = k, "legal file not removed");
            }
        }
        Ok(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_words_fold() {
        assert_eq!(slugify("47/2020/NĐ-CP"), "47-2020-nd-cp");
        assert_eq!(slugify("Luật Dữ liệu"), "luat-du-lieu");
        assert_eq!(
            search_text(&["Nghị định về dữ liệu"]),
            " nghi dinh ve du lieu "
        );
        assert_eq!(
            query_words("nghi định, DỮ liệu"),
            ["nghi", "dinh", "du", "lieu"]
        );
    }
}
