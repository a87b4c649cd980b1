-- Sen core schema (SQLite). Keep in step with ../postgres/0001_core.sql:
-- same tables, same columns, same meaning; only the dialect differs.
-- Timestamps are ISO-8601 UTC text ("2025-07-01T08:30:00.123456"), as CKAN shows them,
-- so ordering and range filters compare the same on both backends.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    fullname TEXT NOT NULL DEFAULT '',
    about TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    sysadmin BIGINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'active',
    created TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    expires_at TEXT,
    last_access TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Organisations and topics (CKAN "groups") share one table, as in CKAN.
CREATE TABLE groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    image_url TEXT NOT NULL DEFAULT '',
    is_organization BIGINT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'other',
    parent_id TEXT REFERENCES groups(id),
    successor_id TEXT REFERENCES groups(id),
    valid_from TEXT,
    valid_to TEXT,
    extras TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL DEFAULT 'active',
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);

CREATE TABLE memberships (
    group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    capacity TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE licenses (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    od_conformance TEXT NOT NULL DEFAULT 'not reviewed',
    osd_conformance TEXT NOT NULL DEFAULT 'not reviewed',
    is_open BIGINT NOT NULL DEFAULT 0,
    is_generic BIGINT NOT NULL DEFAULT 0,
    domain_content BIGINT NOT NULL DEFAULT 0,
    domain_data BIGINT NOT NULL DEFAULT 0,
    domain_software BIGINT NOT NULL DEFAULT 0,
    position BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE packages (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    author_email TEXT NOT NULL DEFAULT '',
    maintainer TEXT NOT NULL DEFAULT '',
    maintainer_email TEXT NOT NULL DEFAULT '',
    license_id TEXT NOT NULL DEFAULT '',
    owner_org TEXT NOT NULL REFERENCES groups(id),
    type TEXT NOT NULL DEFAULT 'dataset',
    state TEXT NOT NULL DEFAULT 'active',
    access_level TEXT NOT NULL DEFAULT 'open',
    data_class TEXT NOT NULL DEFAULT 'ordinary',
    frequency TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    spatial TEXT NOT NULL DEFAULT '',
    temporal_start TEXT NOT NULL DEFAULT '',
    temporal_end TEXT NOT NULL DEFAULT '',
    conforms_to TEXT NOT NULL DEFAULT '',
    identifier TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    extras TEXT NOT NULL DEFAULT '[]',
    -- lower-cased, accent-folded title/notes/tags/organisation for the first search version
    search_text TEXT NOT NULL DEFAULT '',
    creator_user_id TEXT,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX packages_owner ON packages(owner_org);
CREATE INDEX packages_modified ON packages(modified);

CREATE TABLE tags (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE package_tags (
    package_id TEXT NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
    tag_id TEXT NOT NULL REFERENCES tags(id),
    PRIMARY KEY (package_id, tag_id)
);
CREATE INDEX package_tags_tag ON package_tags(tag_id);

CREATE TABLE package_groups (
    package_id TEXT NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
    group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    PRIMARY KEY (package_id, group_id)
);
CREATE INDEX package_groups_group ON package_groups(group_id);

CREATE TABLE resources (
    id TEXT PRIMARY KEY,
    package_id TEXT NOT NULL REFERENCES packages(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    url_type TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL DEFAULT '',
    mimetype TEXT NOT NULL DEFAULT '',
    size BIGINT,
    hash TEXT NOT NULL DEFAULT '',
    storage_key TEXT,
    extras TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'active',
    created TEXT NOT NULL,
    last_modified TEXT
);
CREATE INDEX resources_package ON resources(package_id, position);

-- Every uploaded file a resource ever had; the newest is also on the resource row.
CREATE TABLE resource_versions (
    id TEXT PRIMARY KEY,
    resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    storage_key TEXT NOT NULL,
    filename TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    mimetype TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    user_id TEXT
);
CREATE INDEX resource_versions_resource ON resource_versions(resource_id, created);

CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    timestamp TEXT NOT NULL,
    user_id TEXT,
    object_id TEXT NOT NULL,
    object_type TEXT NOT NULL,
    activity_type TEXT NOT NULL,
    -- the package (or group) the activity concerns, to filter by visibility
    package_id TEXT,
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX activities_object ON activities(object_id, timestamp);
CREATE INDEX activities_time ON activities(timestamp);

CREATE TABLE site_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
