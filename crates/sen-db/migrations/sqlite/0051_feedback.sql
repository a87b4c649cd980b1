-- Problem reports ("report a problem") on a dataset or the portal; they reach
-- the queue of the organisation that published the dataset (general reports:
-- sysadmins). The contact address is never shown publicly.
CREATE TABLE feedback (
    id TEXT PRIMARY KEY,
    package_id TEXT,
    organization_id TEXT,
    category TEXT NOT NULL,
    message TEXT NOT NULL,
    contact_email TEXT NOT NULL DEFAULT '',
    reporter_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    public BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX feedback_org ON feedback(organization_id, created);
CREATE INDEX feedback_package ON feedback(package_id, created);
