//! Feedback ("report a problem"): anyone, signed in or not, reports a
//! problem with a dataset (or the portal in general). A report reaches the
//! queue of the organisation that publishes the dataset (general reports:
//! the sysadmins'), whose editors and admins answer it. The reporter may
//! make a report public: its category, message, status and answer then show
//! on the dataset page. The contact address never leaves the queue.

use crate::input::{is_email, require_id, Dict, Input};
use crate::{new_id, not_found, Actor, Catalog};
use sen_db::{FeedbackRow, FeedbackScope};
use sen_domain::{time, Capacity, Msg, Result};
use serde_json::{json, Value};

pub const CATEGORIES: &[&str] = &["wrong_data", "broken_link", "outdated", "other"];
pub const STATUSES: &[&str] = &["open", "answered", "closed"];
const MESSAGE_MAX: usize = 5000;

fn bad_choice(inp: &mut Input, key: &str, value: &str, choices: &[&str]) {
    inp.error(
        key,
        Msg::new("field-bad-choice")
            .arg("value", value)
            .arg("choices", choices.join(", ")),
    );
}

impl Catalog {
    /// The queue's view (with the contact) or the public one (without).
    async fn feedback_dict(&self, f: &FeedbackRow, queue: bool) -> Result<Value> {
        let mut c = self.db.conn().await?;
        let dataset = match &f.package_id {
            Some(id) => sen_db::find_package(&mut c, id)
                .await?
                .map(|p| json!({"id": p.id, "name": p.name, "title": p.title})),
            None => None,
        };
        let mut d = json!({
            "id": f.id, "category": f.category, "message": f.message, "public": f.public != 0,
            "status": f.status, "answer": f.answer, "created": f.created, "modified": f.modified,
        });
        if queue {
            let reporter = match &f.reporter_id {
                Some(id) => sen_db::find_user(&mut c, id).await?.map(|u| u.name),
                None => None,
            };
            d["dataset"] = json!(dataset);
            d["contact_email"] = json!(f.contact_email);
            d["reporter"] = json!(reporter);
        }
        Ok(d)
    }

    async fn may_handle_feedback(&self, actor: &Actor, org: Option<&str>) -> Result<bool> {
        if actor.is_sysadmin() {
            return Ok(true);
        }
        let Some(org) = org else { return Ok(false) };
        Ok(matches!(self.capacity_in(actor, org).await?, Some(c) if c >= Capacity::Editor))
    }

    pub async fn feedback_create(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let mut inp = Input::new(data);
        let category = inp.required("category");
        if !category.is_empty() && !CATEGORIES.contains(&category.as_str()) {
            bad_choice(&mut inp, "category", &category, CATEGORIES);
        }
        let message = inp.required("message");
        if message.chars().count() > MESSAGE_MAX {
            inp.error(
                "message",
                Msg::new("field-too-long").arg("max", MESSAGE_MAX),
            );
        }
        let contact = inp.text("contact_email").unwrap_or_default();
        if !contact.is_empty() && !is_email(&contact) {
            inp.error(
                "contact_email",
                Msg::new("field-bad-email").arg("value", &contact),
            );
        }
        let public = inp.bool("public").unwrap_or(false);
        let dataset = inp.text("dataset");
        inp.finish()?;
        let (package_id, organization_id) = match dataset {
            Some(d) => {
                let mut q = Dict::new();
                q.insert("id".into(), json!(d));
                let p = self.readable_package(actor, &q).await?;
                let org = Some(p.owner_org.clone()).filter(|o| !o.is_empty());
                (Some(p.id), org)
            }
            None => (None, None),
        };
        let now = time::now();
        let f = FeedbackRow {
            id: new_id(),
            package_id,
            organization_id,
            category,
            message,
            contact_email: contact,
            reporter_id: actor.id().map(str::to_string),
            public: i64::from(public),
            status: "open".into(),
            answer: String::new(),
            created: now.clone(),
            modified: now,
        };
        let mut tx = self.db.begin_write().await?;
        sen_db::insert_feedback(tx.conn(), &f).await?;
        tx.commit().await?;
        self.feedback_dict(&f, false).await
    }

    /// `organization`: that organisation's queue (its editors and admins,
    /// sysadmins); `dataset`: the public reports of a dataset (anyone who may
    /// read it); neither: every report (sysadmins).
    pub async fn feedback_list(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let mut inp = Input::new(data);
        let org = inp.text("organization");
        let dataset = inp.text("dataset");
        let limit = inp.int_in("limit", 100, 1, 1000);
        inp.finish()?;
        let (scope, queue) = if let Some(o) = org {
            let mut c = self.db.conn().await?;
            let g = sen_db::find_any_group(&mut c, &o)
                .await?
                .filter(|g| g.is_organization != 0 && g.state == "active")
                .ok_or_else(|| {
                    not_found("organization_not_found", "error-organization-not-found")
                })?;
            drop(c);
            actor.require_user()?;
            if !self.may_handle_feedback(actor, Some(&g.id)).await? {
                return Err(crate::auth::forbidden("feedback_list"));
            }
            (FeedbackScope::Organization(g.id), true)
        } else if let Some(d) = dataset {
            let mut q = Dict::new();
            q.insert("id".into(), json!(d));
            let p = self.readable_package(actor, &q).await?;
            (FeedbackScope::PublicOfPackage(p.id), false)
        } else {
            self.require_sysadmin(actor, "feedback_list")?;
            (FeedbackScope::All, true)
        };
        let mut c = self.db.conn().await?;
        let rows = sen_db::list_feedback(&mut c, &scope, limit).await?;
        drop(c);
        let mut out = Vec::new();
        for f in &rows {
            out.push(self.feedback_dict(f, queue).await?);
        }
        Ok(Value::Array(out))
    }

    /// The agency answers a report; the answer is e-mailed to the contact given.
    pub async fn feedback_answer(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        actor.require_user()?;
        let id = require_id(data, &["id"])?;
        let mut c = self.db.conn().await?;
        let found = sen_db::get_feedback(&mut c, &id).await?;
        drop(c);
        let not_found = || not_found("feedback_not_found", "error-feedback-not-found");
        let mut f = found.ok_or_else(not_found)?;
        if !self
            .may_handle_feedback(actor, f.organization_id.as_deref())
            .await?
        {
            // Another agency's report does not exist for this caller.
            return Err(not_found());
        }
        let mut inp = Input::new(data);
        let status = inp.required("status");
        if !status.is_empty() && !STATUSES.contains(&status.as_str()) {
            bad_choice(&mut inp, "status", &status, STATUSES);
        }
        let answer = inp.text("answer").unwrap_or_default();
        if status == "answered" && answer.is_empty() {
            inp.error("answer", Msg::new("field-missing"));
        }
        if answer.chars().count() > MESSAGE_MAX {
            inp.error("answer", Msg::new("field-too-long").arg("max", MESSAGE_MAX));
        }
        inp.finish()?;
        let changed_answer = !answer.is_empty() && answer != f.answer;
        f.status = status;
        if !answer.is_empty() {
            f.answer = answer;
        }
        f.modified = time::now();
        let mut tx = self.db.begin_write().await?;
        sen_db::update_feedback_answer(tx.conn(), &f).await?;
        tx.commit().await?;
        if changed_answer && !f.contact_email.is_empty() {
            let lang = sen_i18n::Lang::default();
            self.send_mail(sen_mail::Mail {
                to: f.contact_email.clone(),
                subject: sen_i18n::t(
                    lang,
                    "mail-feedback-subject",
                    &[("site", self.site_title())],
                ),
                body: sen_i18n::t(
                    lang,
                    "mail-feedback-body",
                    &[
                        ("message", f.message.clone()),
                        ("answer", f.answer.clone()),
                        ("site", self.site_title()),
                    ],
                ),
            });
        }
        self.feedback_dict(&f, true).await
    }
}
