-- Harvest sources: remote catalogues (CKAN, DCAT RDF, DCAT-US data.json)
-- whose datasets are copied into a local organisation on a schedule.
CREATE TABLE harvest_sources (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL,
    -- 'ckan', 'dcat' or 'datajson'
    source_type TEXT NOT NULL,
    owner_org TEXT NOT NULL REFERENCES groups(id),
    -- 'manual', 'hourly', 'daily' or 'weekly'
    frequency TEXT NOT NULL DEFAULT 'manual',
    -- the most open level harvested datasets get ('open', 'shared', 'internal')
    access_level TEXT NOT NULL DEFAULT 'open',
    -- JSON object: remote licence id or URI -> local licence id
    license_map TEXT NOT NULL DEFAULT '{}',
    -- 1: fields edited here since the last harvest are not overwritten
    keep_local_edits BIGINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'active',
    -- when a dry run last succeeded; a real run is refused until then
    validated_at TEXT,
    -- when the last real run that ended without error started (incremental runs ask for changes since)
    last_success_started TEXT,
    next_run_at TEXT,
    creator_user_id TEXT,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX harvest_sources_due ON harvest_sources(state, next_run_at);

-- One row per remote dataset ever harvested from a source: the local dataset
-- it became, so a harvest updates instead of duplicating.
CREATE TABLE harvest_objects (
    source_id TEXT NOT NULL REFERENCES harvest_sources(id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL,
    package_id TEXT NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
    remote_url TEXT NOT NULL DEFAULT '',
    remote_name TEXT NOT NULL DEFAULT '',
    remote_modified TEXT NOT NULL DEFAULT '',
    -- SHA-256 of the remote metadata as read: equal means unchanged
    content_hash TEXT NOT NULL DEFAULT '',
    -- JSON: the field values this harvest last wrote, to tell local edits apart
    harvested_fields TEXT NOT NULL DEFAULT '{}',
    -- 'active' or 'withdrawn' (gone from the remote)
    state TEXT NOT NULL DEFAULT 'active',
    last_harvested TEXT NOT NULL,
    PRIMARY KEY (source_id, remote_id)
);
CREATE UNIQUE INDEX harvest_objects_package ON harvest_objects(package_id);
