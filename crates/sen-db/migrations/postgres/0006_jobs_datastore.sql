-- The durable work queue: ingestion now, harvests and notifications later.
-- A job is taken by leasing it (state 'running', lease_until in the future);
-- a lease that runs out (the node died) makes the job takeable again.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    -- What the job is about (e.g. a resource id): one queued or running job per (kind, subject).
    subject TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'queued',
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL DEFAULT 5,
    run_after TEXT NOT NULL,
    lease_until TEXT,
    leased_by TEXT,
    progress_done BIGINT NOT NULL DEFAULT 0,
    progress_total BIGINT NOT NULL DEFAULT 0,
    result TEXT,
    error TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE UNIQUE INDEX jobs_one_active ON jobs(kind, subject) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_ready ON jobs(state, run_after);
CREATE INDEX jobs_subject ON jobs(subject, created);

-- A resource's table in the datastore: a Parquet object in the file store,
-- replaced whole (new object, then this row) so readers never see half a table.
CREATE TABLE datastore_tables (
    resource_id TEXT PRIMARY KEY REFERENCES resources(id) ON DELETE CASCADE,
    package_id TEXT NOT NULL,
    object_key TEXT NOT NULL,
    -- The file version it was made from ('' for tables made by datastore_create).
    source_version TEXT NOT NULL DEFAULT '',
    table_schema TEXT NOT NULL,
    row_count BIGINT NOT NULL DEFAULT 0,
    byte_size BIGINT NOT NULL DEFAULT 0,
    report TEXT NOT NULL DEFAULT '{}',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX datastore_tables_package ON datastore_tables(package_id);
