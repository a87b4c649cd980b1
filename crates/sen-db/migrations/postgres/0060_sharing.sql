-- Inter-agency sharing (Law on Data 60/2024/QH15): access requests for
-- shared datasets, their history, grants, and the audit log.
CREATE TABLE access_requests (
    id TEXT PRIMARY KEY,
    package_id TEXT NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
    owner_org TEXT NOT NULL REFERENCES groups(id),
    requester_user_id TEXT NOT NULL REFERENCES users(id),
    requester_org TEXT NOT NULL REFERENCES groups(id),
    -- JSON array of resource ids; empty array: the whole dataset
    resource_ids TEXT NOT NULL DEFAULT '[]',
    purpose TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    period TEXT NOT NULL,
    -- 'pending', 'approved', 'refused', 'disputed'
    state TEXT NOT NULL DEFAULT 'pending',
    due TEXT NOT NULL,
    -- when the overdue reminder was sent (once)
    overdue_at TEXT,
    decided_by TEXT,
    reason TEXT NOT NULL DEFAULT '',
    decision_legal_basis TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX access_requests_owner ON access_requests(owner_org, state);
CREATE INDEX access_requests_requester ON access_requests(requester_org);

-- Every state change of a request: who, when, why. Append-only.
CREATE TABLE access_request_events (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES access_requests(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    user_id TEXT,
    action TEXT NOT NULL,
    state TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_request_events_request ON access_request_events(request_id, at);

CREATE TABLE access_grants (
    id TEXT PRIMARY KEY,
    request_id TEXT REFERENCES access_requests(id) ON DELETE CASCADE,
    package_id TEXT NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    -- 1: the whole dataset; 0: only the resources in access_grant_resources
    whole BIGINT NOT NULL,
    expires TEXT NOT NULL,
    revoked TEXT,
    revoked_by TEXT,
    created TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX access_grants_package ON access_grants(package_id, org_id);

CREATE TABLE access_grant_resources (
    grant_id TEXT NOT NULL REFERENCES access_grants(id) ON DELETE CASCADE,
    resource_id TEXT NOT NULL,
    PRIMARY KEY (grant_id, resource_id)
);

-- Who viewed or downloaded non-open data, and every request decision. Append-only.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    user_id TEXT,
    user_name TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    package_id TEXT,
    owner_org TEXT,
    resource_id TEXT,
    access_level TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
