//! Inter-agency sharing (Law on Data 60/2024/QH15, Decree 47/2020): staff of
//! one agency request access to a shared dataset of another; the owning
//! agency approves (scope, expiry) or refuses in writing (reasons and legal
//! basis); every request has a deadline, overdue requests are flagged and
//! mailed to the owning agency and the operator, a refusal can be escalated.
//! A grant opens the dataset's DATA to the requesting agency (see
//! `Catalog::can_read_data`); the metadata of shared data is already visible
//! to all staff. Reads of non-open data and decisions go to the audit log.

use crate::auth::forbidden;
use crate::input::{require_id, Dict, Input};
use crate::{new_id, not_found, Actor, Catalog};
use sen_db::{AccessEventRow, AccessRequestRow, AuditQuery, AuditRow, GrantRow, PackageRow};
use sen_domain::{time, Capacity, Error, Msg, Result};
use serde_json::{json, Value};

/// Days an agency has to answer a request unless `sen.access_request_days` says otherwise.
pub const DEFAULT_REQUEST_DAYS: i64 = 15;

fn request_not_found() -> Error {
    not_found("access_request_not_found", "error-access-request-not-found")
}

fn bad_state(state: &str) -> Error {
    let mut e = Error::field(
        "state",
        Msg::new("error-access-request-state").arg("state", state),
    );
    e.code = "access_request_state";
    e
}

fn request_dict(r: &AccessRequestRow, events: Option<&[AccessEventRow]>) -> Value {
    let resource_ids: Value = serde_json::from_str(&r.resource_ids).unwrap_or(json!([]));
    let mut v = json!({
        "id": r.id, "package_id": r.package_id, "owner_org": r.owner_org,
        "requester_user_id": r.requester_user_id, "requester_org": r.requester_org,
        "resource_ids": resource_ids, "purpose": r.purpose, "legal_basis": r.legal_basis,
        "period": r.period, "state": r.state, "due": r.due, "overdue": r.overdue_at.is_some(),
        "overdue_at": r.overdue_at, "decided_by": r.decided_by, "reason": r.reason,
        "decision_legal_basis": r.decision_legal_basis, "created": r.created, "modified": r.modified,
    });
    if let Some(events) = events {
        v["history"] = events
            .iter()
            .map(|e| {
                json!({"at": e.at, "user_id": e.user_id, "action": e.action, "state": e.state, "note": e.note})
            })
            .collect();
    }
    v
}

fn grant_dict(g: &GrantRow, resources: Vec<String>, now: &str) -> Value {
    let live = g.revoked.is_none() && g.expires.as_str() > now;
    json!({
        "id": g.id, "request_id": g.request_id, "package_id": g.package_id, "organization_id": g.org_id,
        "whole_dataset": g.whole == 1, "resource_ids": resources, "expires": g.expires,
        "revoked": g.revoked, "revoked_by": g.revoked_by, "created": g.created,
        "created_by": g.created_by, "active": live,
    })
}

impl Catalog {
    /// Days to answer an access request (site setting, default 15).
    pub fn access_request_days(&self) -> i64 {
        self.settings_value("sen.access_request_days")
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|d| (0..=365).contains(d))
            .unwrap_or(DEFAULT_REQUEST_DAYS)
    }

    /// Writes an audit entry for a read of non-open data (nothing for open data).
    pub(crate) async fn audit_read(
        &self,
        actor: &Actor,
        action: &str,
        p: &PackageRow,
        resource_id: Option<&str>,
    ) -> Result<()> {
        if p.access_level == "open" {
            return Ok(());
        }
        self.audit(actor, action, Some(p), resource_id, "").await
    }

    pub(crate) async fn audit(
        &self,
        actor: &Actor,
        action: &str,
        p: Option<&PackageRow>,
        resource_id: Option<&str>,
        detail: &str,
    ) -> Result<()> {
        let row = AuditRow {
            id: new_id(),
            at: time::now(),
            user_id: actor.user.as_ref().map(|u| u.id.clone()),
            user_name: actor
                .user
                .as_ref()
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            action: action.to_string(),
            package_id: p.map(|p| p.id.clone()),
            owner_org: p.map(|p| p.owner_org.clone()),
            resource_id: resource_id.map(str::to_string),
            access_level: p.map(|p| p.access_level.clone()).unwrap_or_default(),
            detail: detail.to_string(),
        };
        let mut tx = self.db.begin_write().await?;
        sen_db::insert_audit(tx.conn(), &row).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The request, if the actor may see it: a member of the requesting or
    /// owning agency, or a sysadmin. Otherwise Not Found.
    async fn visible_request(&self, actor: &Actor, id: &str) -> Result<AccessRequestRow> {
        actor.require_user()?;
        let mut c = self.db.conn().await?;
        let r = sen_db::find_access_request(&mut c, id)
            .await?
            .ok_or_else(request_not_found)?;
        drop(c);
        if actor.is_sysadmin()
            || self.capacity_in(actor, &r.owner_org).await?.is_some()
            || self.capacity_in(actor, &r.requester_org).await?.is_some()
        {
            Ok(r)
        } else {
            Err(request_not_found())
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn event(
        &self,
        c: &mut sen_db::Conn,
        request_id: &str,
        actor: Option<&Actor>,
        action: &str,
        state: &str,
        note: &str,
        now: &str,
    ) -> Result<()> {
        sen_db::insert_access_event(
            c,
            &AccessEventRow {
                id: new_id(),
                request_id: request_id.to_string(),
                at: now.to_string(),
                user_id: actor.and_then(|a| a.id().map(str::to_string)),
                action: action.to_string(),
                state: state.to_string(),
                note: note.to_string(),
            },
        )
        .await
    }

    fn mail_all(
        &self,
        to: Vec<String>,
        subject_key: &str,
        body_key: &str,
        args: &[(&str, String)],
    ) {
        let lang = sen_i18n::Lang::Vi;
        for addr in to {
            self.send_mail(sen_mail::Mail {
                to: addr,
                subject: sen_i18n::t(lang, subject_key, args),
                body: sen_i18n::t(lang, body_key, args),
            });
        }
    }

    /// `access_request_create`: a member of an agency asks for the data of a
    /// shared dataset of another agency (or some of its resources).
    pub async fn access_request_create(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let user = actor.require_user()?.clone();
        let mut inp = Input::new(data);
        let package = inp.required("package_id");
        let purpose = inp.required("purpose");
        let legal_basis = inp.required("legal_basis");
        let period = inp.required("period");
        let org = inp.text("organization");
        let resource_ids = inp.string_list("resource_ids").unwrap_or_default();
        inp.finish()?;
        let p = self
            .readable_package(
                actor,
                &Dict::from_iter([("id".to_string(), json!(package))]),
            )
            .await?;
        let mut c = self.db.conn().await?;
        let orgs: Vec<String> = sen_db::memberships_of(&mut c, &user.id)
            .await?
            .into_iter()
            .map(|m| m.group_id)
            .collect();
        let mut requester_org = None;
        for g in sen_db::get_groups(&mut c, &orgs).await? {
            if g.is_organization == 1 && g.state == "active" {
                let wanted = org.as_deref();
                if wanted.is_none()
                    || wanted == Some(g.id.as_str())
                    || wanted == Some(g.name.as_str())
                {
                    requester_org = Some(g.id);
                    break;
                }
            }
        }
        let Some(requester_org) = requester_org else {
            let mut e = Error::field("organization", Msg::new("error-access-request-staff-only"));
            e.code = "access_request_staff_only";
            return Err(e);
        };
        if p.access_level != "shared" || p.state != "active" {
            let mut e = Error::field("package_id", Msg::new("error-access-request-not-shared"));
            e.code = "access_request_not_shared";
            return Err(e);
        }
        if requester_org == p.owner_org {
            let mut e = Error::field("organization", Msg::new("error-access-request-own-agency"));
            e.code = "access_request_own_agency";
            return Err(e);
        }
        let own: Vec<String> = sen_db::package_resources(&mut c, &p.id)
            .await?
            .into_iter()
            .filter(|r| r.state == "active")
            .map(|r| r.id)
            .collect();
        for r in &resource_ids {
            if !own.contains(r) {
                return Err(Error::field(
                    "resource_ids",
                    Msg::new("error-resource-not-found"),
                ));
            }
        }
        drop(c);
        let now = time::now();
        let due =
            time::format(chrono::Utc::now() + chrono::Duration::days(self.access_request_days()));
        let row = AccessRequestRow {
            id: new_id(),
            package_id: p.id.clone(),
            owner_org: p.owner_org.clone(),
            requester_user_id: user.id.clone(),
            requester_org,
            resource_ids: serde_json::to_string(&resource_ids).map_err(Error::internal)?,
            purpose,
            legal_basis,
            period,
            state: "pending".into(),
            due,
            overdue_at: None,
            decided_by: None,
            reason: String::new(),
            decision_legal_basis: String::new(),
            created: now.clone(),
            modified: now.clone(),
        };
        let mut tx = self.db.begin_write().await?;
        sen_db::insert_access_request(tx.conn(), &row).await?;
        self.event(
            tx.conn(),
            &row.id,
            Some(actor),
            "create",
            "pending",
            &row.purpose,
            &now,
        )
        .await?;
        let to = sen_db::deciders_emails(tx.conn(), &p.owner_org).await?;
        tx.commit().await?;
        self.mail_all(
            to,
            "mail-access-request-subject",
            "mail-access-request-body",
            &[
                ("dataset", p.title.clone()),
                ("user", user.name.clone()),
                (
                    "link",
                    format!("{}/access-requests/{}", self.config.site_url, row.id),
                ),
                ("due", row.due.chars().take(10).collect()),
            ],
        );
        Ok(request_dict(&row, Some(&[])))
    }

    pub async fn access_request_show(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["id"])?;
        let r = self.visible_request(actor, &id).await?;
        let mut c = self.db.conn().await?;
        let events = sen_db::access_events(&mut c, &r.id).await?;
        Ok(request_dict(&r, Some(&events)))
    }

    /// Requests made or received by the actor's agencies (sysadmins: all).
    pub async fn access_request_list(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let user = actor.require_user()?;
        let mut inp = Input::new(data);
        let state = inp.text("state");
        inp.finish()?;
        let mut c = self.db.conn().await?;
        let who = (!actor.is_sysadmin()).then_some(user.id.as_str());
        let rows = sen_db::list_access_requests(&mut c, who, state.as_deref()).await?;
        Ok(Value::Array(
            rows.iter().map(|r| request_dict(r, None)).collect(),
        ))
    }

    /// `access_request_decide`: an admin or editor of the owning agency (or a
    /// sysadmin) approves with an expiry (and optionally a narrower scope) or
    /// refuses with reasons and a legal basis.
    pub async fn access_request_decide(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let user = actor.require_user()?.clone();
        let mut inp = Input::new(data);
        let id = inp.required("id");
        let decision = inp.required("decision");
        let reason = inp.text("reason").unwrap_or_default();
        let legal_basis = inp.text("legal_basis").unwrap_or_default();
        let expires = inp.text("expires");
        let scope = inp.string_list("resource_ids");
        inp.finish()?;
        let r = self.visible_request(actor, &id).await?;
        if !actor.is_sysadmin()
            && self
                .capacity_in(actor, &r.owner_org)
                .await?
                .is_none_or(|c| c < Capacity::Editor)
        {
            return Err(forbidden("access_request_decide"));
        }
        if r.state != "pending" && r.state != "disputed" {
            return Err(bad_state(&r.state));
        }
        let now = time::now();
        let mut tx = self.db.begin_write().await?;
        let state = match decision.as_str() {
            "approve" => {
                let mut errors = sen_domain::error::Validation::default();
                let expires = match expires.as_deref().map(|e| (e, time::parse(e))) {
                    Some((e, Some(t))) => {
                        // A plain date grants until the end of that day.
                        let t = if time::parse_date(e).is_some() {
                            t + chrono::Duration::days(1) - chrono::Duration::seconds(1)
                        } else {
                            t
                        };
                        time::format(t)
                    }
                    Some((e, None)) => {
                        errors.add("expires", Msg::new("field-bad-date").arg("value", e));
                        String::new()
                    }
                    None => {
                        errors.add("expires", Msg::new("field-missing"));
                        String::new()
                    }
                };
                let requested: Vec<String> =
                    serde_json::from_str(&r.resource_ids).unwrap_or_default();
                let scope = scope.unwrap_or(requested);
                let own: Vec<String> = sen_db::package_resources(tx.conn(), &r.package_id)
                    .await?
                    .into_iter()
                    .map(|r| r.id)
                    .collect();
                if scope.iter().any(|s| !own.contains(s)) {
                    errors.add("resource_ids", Msg::new("error-resource-not-found"));
                }
                errors.finish()?;
                let g = GrantRow {
                    id: new_id(),
                    request_id: Some(r.id.clone()),
                    package_id: r.package_id.clone(),
                    org_id: r.requester_org.clone(),
                    whole: i64::from(scope.is_empty()),
                    expires: expires.clone(),
                    revoked: None,
                    revoked_by: None,
                    created: now.clone(),
                    created_by: user.id.clone(),
                };
                sen_db::insert_grant(tx.conn(), &g, &scope).await?;
                sen_db::update_access_request(
                    tx.conn(),
                    &r.id,
                    "approved",
                    Some(&user.id),
                    &reason,
                    &legal_basis,
                    &now,
                )
                .await?;
                self.event(
                    tx.conn(),
                    &r.id,
                    Some(actor),
                    "approve",
                    "approved",
                    &format!("expires {expires}; {reason}"),
                    &now,
                )
                .await?;
                "approved"
            }
            "refuse" => {
                let mut errors = sen_domain::error::Validation::default();
                if reason.is_empty() {
                    errors.add("reason", Msg::new("field-missing"));
                }
                if legal_basis.is_empty() {
                    errors.add("legal_basis", Msg::new("field-missing"));
                }
                errors.finish()?;
                sen_db::update_access_request(
                    tx.conn(),
                    &r.id,
                    "refused",
                    Some(&user.id),
                    &reason,
                    &legal_basis,
                    &now,
                )
                .await?;
                self.event(
                    tx.conn(),
                    &r.id,
                    Some(actor),
                    "refuse",
                    "refused",
                    &format!("{reason} ({legal_basis})"),
                    &now,
                )
                .await?;
                "refused"
            }
            other => {
                return Err(Error::field(
                    "decision",
                    Msg::new("field-bad-choice")
                        .arg("value", other)
                        .arg("choices", "approve, refuse"),
                ));
            }
        };
        let p = sen_db::find_package(tx.conn(), &r.package_id).await?;
        tx.commit().await?;
        self.audit(
            actor,
            "access_request_decide",
            p.as_ref(),
            None,
            &format!("{state}: {}", r.id),
        )
        .await?;
        self.access_request_show(actor, &Dict::from_iter([("id".to_string(), json!(r.id))]))
            .await
    }

    /// `access_request_escalate`: a member of the requesting agency takes a
    /// refused or overdue request to the portal operator (a dispute).
    pub async fn access_request_escalate(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let mut inp = Input::new(data);
        let id = inp.required("id");
        let note = inp.text("reason").unwrap_or_default();
        inp.finish()?;
        let r = self.visible_request(actor, &id).await?;
        if !actor.is_sysadmin() && self.capacity_in(actor, &r.requester_org).await?.is_none() {
            return Err(forbidden("access_request_escalate"));
        }
        let overdue = r.state == "pending" && r.due.as_str() < time::now().as_str();
        if r.state != "refused" && !overdue {
            return Err(bad_state(&r.state));
        }
        let now = time::now();
        let mut tx = self.db.begin_write().await?;
        sen_db::update_access_request(
            tx.conn(),
            &r.id,
            "disputed",
            r.decided_by.as_deref(),
            &r.reason,
            &r.decision_legal_basis,
            &now,
        )
        .await?;
        self.event(
            tx.conn(),
            &r.id,
            Some(actor),
            "escalate",
            "disputed",
            &note,
            &now,
        )
        .await?;
        let to = sen_db::sysadmin_emails(tx.conn()).await?;
        tx.commit().await?;
        self.mail_all(
            to,
            "mail-access-escalated-subject",
            "mail-access-escalated-body",
            &[
                (
                    "link",
                    format!("{}/access-requests/{}", self.config.site_url, r.id),
                ),
                ("reason", note),
            ],
        );
        self.access_request_show(actor, &Dict::from_iter([("id".to_string(), json!(r.id))]))
            .await
    }

    pub async fn access_grant_list(&self, actor: &Actor, _data: &Dict) -> Result<Value> {
        let user = actor.require_user()?;
        let mut c = self.db.conn().await?;
        let who = (!actor.is_sysadmin()).then_some(user.id.as_str());
        let now = time::now();
        let mut out = Vec::new();
        for g in sen_db::list_grants(&mut c, who).await? {
            let res = sen_db::grant_resources(&mut c, &g.id).await?;
            out.push(grant_dict(&g, res, &now));
        }
        Ok(Value::Array(out))
    }

    /// `access_grant_revoke`: an admin or editor of the owning agency, or a sysadmin.
    pub async fn access_grant_revoke(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let user = actor.require_user()?.clone();
        let id = require_id(data, &["id"])?;
        let mut c = self.db.conn().await?;
        let g = sen_db::find_grant(&mut c, &id).await?;
        let p = match &g {
            Some(g) => sen_db::find_package(&mut c, &g.package_id).await?,
            None => None,
        };
        drop(c);
        let (Some(g), Some(p)) = (g, p) else {
            return Err(not_found(
                "access_grant_not_found",
                "error-access-grant-not-found",
            ));
        };
        let cap = self.capacity_in(actor, &p.owner_org).await?;
        if !actor.is_sysadmin() && cap.is_none_or(|c| c < Capacity::Editor) {
            if self.capacity_in(actor, &g.org_id).await?.is_some() {
                return Err(forbidden("access_grant_revoke"));
            }
            return Err(not_found(
                "access_grant_not_found",
                "error-access-grant-not-found",
            ));
        }
        let now = time::now();
        let mut tx = self.db.begin_write().await?;
        if !sen_db::revoke_grant(tx.conn(), &g.id, &user.id, &now).await? {
            return Err(bad_state("revoked"));
        }
        if let Some(rid) = &g.request_id {
            self.event(tx.conn(), rid, Some(actor), "revoke", "revoked", "", &now)
                .await?;
            sen_db::update_access_request(tx.conn(), rid, "revoked", Some(&user.id), "", "", &now)
                .await?;
        }
        tx.commit().await?;
        self.audit(actor, "access_grant_revoke", Some(&p), None, &g.id)
            .await?;
        let mut c = self.db.conn().await?;
        let g = sen_db::find_grant(&mut c, &id)
            .await?
            .ok_or_else(|| Error::internal("grant vanished"))?;
        let res = sen_db::grant_resources(&mut c, &g.id).await?;
        Ok(grant_dict(&g, res, &now))
    }

    /// Runs [`Catalog::flag_overdue_access_requests`] every `every`.
    pub fn spawn_access_request_clock(
        &self,
        every: std::time::Duration,
    ) -> tokio::task::JoinHandle<()> {
        let catalog = self.clone();
        tokio::spawn(async move {
            loop {
                match catalog.flag_overdue_access_requests().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(flagged = n, "overdue access requests flagged"),
                    Err(e) => tracing::warn!(error = %e, "access request clock failed"),
                }
                tokio::time::sleep(every).await;
            }
        })
    }

    /// The scheduler step: flags pending requests past their deadline and
    /// e-mails the owning agency's admins and editors and the sysadmins.
    /// Each request is flagged once (by whichever node gets there first).
    pub async fn flag_overdue_access_requests(&self) -> Result<usize> {
        let now = time::now();
        let mut c = self.db.conn().await?;
        let due = sen_db::overdue_access_requests(&mut c, &now).await?;
        drop(c);
        let mut n = 0;
        for r in due {
            let mut tx = self.db.begin_write().await?;
            if !sen_db::flag_overdue(tx.conn(), &r.id, &now).await? {
                continue;
            }
            self.event(tx.conn(), &r.id, None, "overdue", &r.state, "", &now)
                .await?;
            let mut to = sen_db::deciders_emails(tx.conn(), &r.owner_org).await?;
            to.extend(sen_db::sysadmin_emails(tx.conn()).await?);
            let title = sen_db::find_package(tx.conn(), &r.package_id)
                .await?
                .map(|p| p.title)
                .unwrap_or_default();
            tx.commit().await?;
            to.sort();
            to.dedup();
            self.mail_all(
                to,
                "mail-access-overdue-subject",
                "mail-access-overdue-body",
                &[
                    ("dataset", title),
                    (
                        "link",
                        format!("{}/access-requests/{}", self.config.site_url, r.id),
                    ),
                    ("due", r.due.chars().take(10).collect()),
                ],
            );
            n += 1;
        }
        Ok(n)
    }

    /// `audit_log_search` (sysadmins): filters user, organization, dataset,
    /// action, from/to dates.
    pub async fn audit_log_search(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        self.require_sysadmin(actor, "audit_log_search")?;
        let rows = self.audit_rows(data).await?;
        Ok(Value::Array(
            rows.iter()
                .map(|a| {
                    json!({"id": a.id, "at": a.at, "user_id": a.user_id, "user_name": a.user_name,
                           "action": a.action, "package_id": a.package_id, "owner_org": a.owner_org,
                           "resource_id": a.resource_id, "access_level": a.access_level, "detail": a.detail})
                })
                .collect(),
        ))
    }

    /// The audit rows a search asks for (the caller checks sysadmin).
    pub async fn audit_rows(&self, data: &Dict) -> Result<Vec<AuditRow>> {
        let mut inp = Input::new(data);
        let mut aq = AuditQuery {
            user: inp.text("user"),
            org: inp.text("organization"),
            package_id: inp.text("package_id"),
            action: inp.text("action"),
            from: inp.text("from"),
            to: inp.text("to"),
            limit: inp.int_in("limit", 1000, 1, 100_000),
            offset: inp.int_in("offset", 0, 0, i64::MAX),
        };
        for (k, v) in [("from", &aq.from), ("to", &aq.to)] {
            if let Some(v) = v {
                if time::parse(v).is_none() {
                    inp.error(k, Msg::new("field-bad-date").arg("value", v.as_str()));
                }
            }
        }
        inp.finish()?;
        let mut c = self.db.conn().await?;
        if let Some(o) = aq.org.clone() {
            if let Some(g) = sen_db::find_any_group(&mut c, &o).await? {
                aq.org = Some(g.id);
            }
        }
        if let Some(pid) = aq.package_id.clone() {
            if let Some(p) = sen_db::find_package(&mut c, &pid).await? {
                aq.package_id = Some(p.id);
            }
        }
        sen_db::search_audit(&mut c, &aq).await
    }

    /// The audit rows as CSV (sysadmins).
    pub async fn audit_log_csv(&self, actor: &Actor, data: &Dict) -> Result<String> {
        self.require_sysadmin(actor, "audit_log_search")?;
        let rows = self.audit_rows(data).await?;
        let mut out = String::from(
            "at,user_id,user_name,action,package_id,owner_org,resource_id,access_level,detail\r\n",
        );
        let cell = |s: &str| {
            // Quoted, and a leading formula character neutralised for spreadsheets.
            let s = if s.starts_with(['=', '+', '-', '@']) {
                format!("'{s}")
            } else {
                s.to_string()
            };
            format!("\"{}\"", s.replace('"', "\"\""))
        };
        for a in rows {
            let cols = [
                a.at.as_str(),
                a.user_id.as_deref().unwrap_or(""),
                &a.user_name,
                &a.action,
                a.package_id.as_deref().unwrap_or(""),
                a.owner_org.as_deref().unwrap_or(""),
                a.resource_id.as_deref().unwrap_or(""),
                &a.access_level,
                &a.detail,
            ];
            out.push_str(&cols.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        Ok(out)
    }
}
