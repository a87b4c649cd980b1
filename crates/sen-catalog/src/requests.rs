//! Data requests: a signed-in user asks for a dataset that is missing; others
//! vote (once each) and comment; a sysadmin routes the request to an
//! organisation, whose editors and admins answer it with a status. The
//! requester is e-mailed at each step. Requests are public; the requester's
//! e-mail never appears in them.

use crate::input::{require_id, Dict, Input};
use crate::{new_id, not_found, Actor, Catalog};
use sen_db::{DataRequestQuery, DataRequestRow};
use sen_domain::{time, Capacity, Error, Msg, Result};
use serde_json::{json, Value};

/// Every status a request can have.
pub const STATUSES: &[&str] = &[
    "open",
    "routed",
    "under_review",
    "planned",
    "published",
    "refused",
];

/// The statuses an agency may answer with.
pub const ANSWERS: &[&str] = &["under_review", "planned", "published", "refused"];

const TITLE_MAX: usize = 200;
const TEXT_MAX: usize = 5000;

fn check_len(inp: &mut Input, key: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        inp.error(key, Msg::new("field-too-long").arg("max", max));
    }
}

impl Catalog {
    async fn request_row(&self, id: &str) -> Result<DataRequestRow> {
        let mut c = self.db.conn().await?;
        sen_db::get_data_request(&mut c, id)
            .await?
            .ok_or_else(|| not_found("data_request_not_found", "error-data-request-not-found"))
    }

    /// The public dictionary of a request (no e-mail addresses).
    async fn request_dict(&self, actor: &Actor, r: &DataRequestRow, full: bool) -> Result<Value> {
        let mut c = self.db.conn().await?;
        let requester = sen_db::find_user(&mut c, &r.requester_id)
            .await?
            .map(|u| u.name)
            .unwrap_or_default();
        let organization = match &r.organization_id {
            Some(id) => sen_db::find_any_group(&mut c, id)
                .await?
                .map(|g| json!({"id": g.id, "name": g.name, "title": g.title})),
            None => None,
        };
        let dataset = match &r.dataset_id {
            Some(id) => sen_db::find_package(&mut c, id).await?,
            None => None,
        };
        drop(c);
        // A linked dataset shows only to those who may read it.
        let dataset = match dataset {
            Some(p) if self.can_read_package(actor, &p).await? => {
                Some(json!({"id": p.id, "name": p.name, "title": p.title}))
            }
            _ => None,
        };
        let mut d = json!({
            "id": r.id,
            "title": r.title,
            "description": r.description,
            "reason": r.reason,
            "suggested_agency": r.suggested_agency,
            "requester": requester,
            "organization": organization,
            "status": r.status,
            "planned_date": r.planned_date,
            "dataset": dataset,
            "answer": r.answer,
            "votes": r.votes,
            "created": r.created,
            "modified": r.modified,
        });
        if full {
            let mut c = self.db.conn().await?;
            let comments = sen_db::request_comments(&mut c, &r.id).await?;
            let voted = match actor.id() {
                Some(uid) => sen_db::has_voted(&mut c, &r.id, uid).await?,
                None => false,
            };
            d["comments"] = json!(comments
                .iter()
                .map(|m| json!({"id": m.id, "user": m.user_name, "comment": m.body, "created": m.created}))
                .collect::<Vec<_>>());
            d["voted"] = json!(voted);
            d["can_answer"] = json!(self.may_answer(actor, r).await?);
        }
        Ok(d)
    }

    async fn may_answer(&self, actor: &Actor, r: &DataRequestRow) -> Result<bool> {
        let Some(org) = &r.organization_id else {
            return Ok(false);
        };
        Ok(matches!(
            self.capacity_in(actor, org).await?,
            Some(c) if c >= Capacity::Editor
        ))
    }

    /// E-mails the requester about a change of their request.
    async fn notify_requester(&self, r: &DataRequestRow, what: &'static str) -> Result<()> {
        let mut c = self.db.conn().await?;
        let Some(user) = sen_db::find_user(&mut c, &r.requester_id).await? else {
            return Ok(());
        };
        drop(c);
        if user.state != "active" || user.email.is_empty() {
            return Ok(());
        }
        let lang = sen_i18n::Lang::default();
        let link = format!(
            "{}/requests/{}",
            self.config.site_url.trim_end_matches('/'),
            r.id
        );
        let status = sen_i18n::t(
            lang,
            &format!("request-status-{}", r.status.replace('_', "-")),
            &[],
        );
        let mail = sen_mail::Mail {
            to: user.email.clone(),
            subject: sen_i18n::t(
                lang,
                "mail-request-subject",
                &[("title", r.title.clone()), ("site", self.site_title())],
            ),
            body: sen_i18n::t(
                lang,
                "mail-request-body",
                &[
                    ("name", user.name.clone()),
                    ("title", r.title.clone()),
                    ("event", sen_i18n::t(lang, what, &[])),
                    ("status", status),
                    ("answer", r.answer.clone()),
                    ("link", link),
                    ("site", self.site_title()),
                ],
            ),
        };
        self.send_mail(mail);
        Ok(())
    }

    fn read_request_fields(inp: &mut Input, r: &mut DataRequestRow, patch: bool) {
        for (key, max) in [
            ("title", TITLE_MAX),
            ("description", TEXT_MAX),
            ("reason", TEXT_MAX),
            ("suggested_agency", TITLE_MAX),
        ] {
            let required = matches!(key, "title" | "description");
            if patch && !inp.has(key) {
                continue;
            }
            let v = if required {
                inp.required(key)
            } else {
                inp.text(key).unwrap_or_default()
            };
            check_len(inp, key, &v, max);
            match key {
                "title" => r.title = v,
                "description" => r.description = v,
                "reason" => r.reason = v,
                _ => r.suggested_agency = v,
            }
        }
    }

    pub async fn data_request_create(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let user = actor.require_user()?.clone();
        let now = time::now();
        let mut r = DataRequestRow {
            id: new_id(),
            title: String::new(),
            description: String::new(),
            reason: String::new(),
            suggested_agency: String::new(),
            requester_id: user.id.clone(),
            organization_id: None,
            status: "open".into(),
            planned_date: None,
            dataset_id: None,
            answer: String::new(),
            created: now.clone(),
            modified: now,
            votes: 0,
        };
        let mut inp = Input::new(data);
        Self::read_request_fields(&mut inp, &mut r, false);
        inp.finish()?;
        let mut tx = self.db.begin_write().await?;
        sen_db::insert_data_request(tx.conn(), &r).await?;
        tx.commit().await?;
        self.request_dict(actor, &r, true).await
    }

    pub async fn data_request_show(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["id"])?;
        let r = self.request_row(&id).await?;
        self.request_dict(actor, &r, true).await
    }

    pub async fn data_request_list(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let mut inp = Input::new(data);
        let status = inp.text("status");
        if let Some(s) = &status {
            if !STATUSES.contains(&s.as_str()) {
                inp.error(
                    "status",
                    Msg::new("field-bad-choice")
                        .arg("value", s)
                        .arg("choices", STATUSES.join(", ")),
                );
            }
        }
        let sort = inp.text("sort").unwrap_or_else(|| "newest".into());
        if !matches!(sort.as_str(), "newest" | "votes") {
            inp.error(
                "sort",
                Msg::new("field-bad-choice")
                    .arg("value", &sort)
                    .arg("choices", "newest, votes"),
            );
        }
        let limit = inp.int_in("limit", 20, 1, 100);
        let offset = inp.int_in("offset", 0, 0, i64::MAX);
        let org = inp.text("organization");
        inp.finish()?;
        let mut c = self.db.conn().await?;
        let organization_id = match org {
            Some(o) => Some(
                sen_db::find_any_group(&mut c, &o)
                    .await?
                    .filter(|g| g.is_organization != 0 && g.state == "active")
                    .ok_or_else(|| {
                        not_found("organization_not_found", "error-organization-not-found")
                    })?
                    .id,
            ),
            None => None,
        };
        let q = DataRequestQuery {
            status,
            organization_id,
            by_votes: sort == "votes",
            limit,
            offset,
        };
        let (count, rows) = sen_db::list_data_requests(&mut c, &q).await?;
        drop(c);
        let mut results = Vec::new();
        for r in &rows {
            results.push(self.request_dict(actor, r, false).await?);
        }
        Ok(json!({"count": count, "results": results}))
    }

    /// The requester (before routing) or a sysadmin edits the request's text.
    pub async fn data_request_update(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let user = actor.require_user()?.clone();
        let id = require_id(data, &["id"])?;
        let mut r = self.request_row(&id).await?;
        if !(actor.is_sysadmin() || (r.requester_id == user.id && r.status == "open")) {
            return Err(crate::auth::forbidden("data_request_update"));
        }
        let mut inp = Input::new(data);
        Self::read_request_fields(&mut inp, &mut r, true);
        inp.finish()?;
        r.modified = time::now();
        let mut tx = self.db.begin_write().await?;
        sen_db::update_data_request(tx.conn(), &r).await?;
        tx.commit().await?;
        self.request_dict(actor, &r, true).await
    }

    /// Votes for a request, or withdraws the vote with `withdraw: true`.
    /// Voting twice counts once.
    pub async fn data_request_vote(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let user = actor.require_user()?.clone();
        let id = require_id(data, &["id"])?;
        let mut inp = Input::new(data);
        let withdraw = inp.bool("withdraw").unwrap_or(false);
        inp.finish()?;
        let r = self.request_row(&id).await?;
        let mut tx = self.db.begin_write().await?;
        if withdraw {
            sen_db::delete_vote(tx.conn(), &r.id, &user.id).await?;
        } else {
            sen_db::insert_vote(tx.conn(), &r.id, &user.id, &time::now()).await?;
        }
        tx.commit().await?;
        let r = self.request_row(&id).await?;
        Ok(json!({"id": r.id, "votes": r.votes, "voted": !withdraw}))
    }

    pub async fn data_request_comment(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let user = actor.require_user()?.clone();
        let id = require_id(data, &["id"])?;
        let mut inp = Input::new(data);
        let body = inp.required("comment");
        check_len(&mut inp, "comment", &body, TEXT_MAX);
        inp.finish()?;
        let r = self.request_row(&id).await?;
        let cid = new_id();
        let now = time::now();
        let mut tx = self.db.begin_write().await?;
        sen_db::insert_request_comment(tx.conn(), &cid, &r.id, &user.id, &body, &now).await?;
        tx.commit().await?;
        if r.requester_id != user.id {
            self.notify_requester(&r, "request-event-comment").await?;
        }
        Ok(json!({"id": cid, "user": user.name, "comment": body, "created": now}))
    }

    /// A sysadmin sends the request to the organisation that should answer it.
    pub async fn data_request_route(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        self.require_sysadmin(actor, "data_request_route")?;
        let id = require_id(data, &["id"])?;
        let mut r = self.request_row(&id).await?;
        let mut inp = Input::new(data);
        let org = inp.required("organization");
        inp.finish()?;
        let mut c = self.db.conn().await?;
        let g = sen_db::find_any_group(&mut c, &org)
            .await?
            .filter(|g| g.is_organization != 0 && g.state == "active");
        drop(c);
        let Some(g) = g else {
            return Err(Error::field(
                "organization",
                Msg::new("error-organization-not-found"),
            ));
        };
        r.organization_id = Some(g.id);
        if matches!(r.status.as_str(), "open" | "routed") {
            r.status = "routed".into();
        }
        r.modified = time::now();
        let mut tx = self.db.begin_write().await?;
        sen_db::update_data_request(tx.conn(), &r).await?;
        tx.commit().await?;
        self.notify_requester(&r, "request-event-routed").await?;
        self.request_dict(actor, &r, true).await
    }

    /// The routed organisation's editors and admins answer with a status:
    /// `planned` needs a date, `published` a public dataset, `refused` reasons.
    pub async fn data_request_answer(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        actor.require_user()?;
        let id = require_id(data, &["id"])?;
        let mut r = self.request_row(&id).await?;
        if !self.may_answer(actor, &r).await? {
            return Err(crate::auth::forbidden("data_request_answer"));
        }
        let mut inp = Input::new(data);
        let status = inp.required("status");
        let answer = inp.text("answer").unwrap_or_default();
        check_len(&mut inp, "answer", &answer, TEXT_MAX);
        let mut planned = None;
        let mut dataset_id = None;
        match status.as_str() {
            "under_review" => {}
            "planned" => match inp.text("planned_date") {
                Some(d) if chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").is_ok() => {
                    planned = Some(d)
                }
                Some(d) => inp.error("planned_date", Msg::new("field-bad-date").arg("value", d)),
                None => inp.error("planned_date", Msg::new("field-missing")),
            },
            "published" => match inp.text("dataset") {
                Some(name) => {
                    let mut c = self.db.conn().await?;
                    let p = sen_db::find_package(&mut c, &name).await?;
                    drop(c);
                    // Only a dataset everyone may read answers a public request.
                    match p {
                        Some(p) if self.can_read_package(&Actor::anonymous(), &p).await? => {
                            dataset_id = Some(p.id)
                        }
                        _ => inp.error("dataset", Msg::new("error-request-dataset-not-public")),
                    }
                }
                None => inp.error("dataset", Msg::new("field-missing")),
            },
            "refused" => {
                if answer.is_empty() {
                    inp.error("answer", Msg::new("error-request-refusal-reasons"));
                }
            }
            "" => {}
            other => inp.error(
                "status",
                Msg::new("field-bad-choice")
                    .arg("value", other)
                    .arg("choices", ANSWERS.join(", ")),
            ),
        }
        inp.finish()?;
        r.status = status;
        r.answer = answer;
        r.planned_date = planned;
        r.dataset_id = dataset_id;
        r.modified = time::now();
        let mut tx = self.db.begin_write().await?;
        sen_db::update_data_request(tx.conn(), &r).await?;
        tx.commit().await?;
        self.notify_requester(&r, "request-event-answered").await?;
        self.request_dict(actor, &r, true).await
    }
}
