-- Data requests: a signed-in user asks for a dataset that is missing; the
-- operator routes it to an organisation, which answers with a status.
CREATE TABLE data_requests (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    suggested_agency TEXT NOT NULL DEFAULT '',
    requester_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id TEXT REFERENCES groups(id),
    status TEXT NOT NULL,
    planned_date TEXT,
    dataset_id TEXT,
    answer TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX data_requests_org ON data_requests(organization_id);
CREATE INDEX data_requests_status ON data_requests(status);

-- One vote per user and request.
CREATE TABLE data_request_votes (
    request_id TEXT NOT NULL REFERENCES data_requests(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created TEXT NOT NULL,
    PRIMARY KEY (request_id, user_id)
);

CREATE TABLE data_request_comments (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES data_requests(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX data_request_comments_request ON data_request_comments(request_id, created);
