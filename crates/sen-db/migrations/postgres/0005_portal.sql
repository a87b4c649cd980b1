-- Password resets: the e-mailed link holds a random token, the database only its SHA-256.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX password_resets_user ON password_resets(user_id);

-- Who follows what (dataset, organization, group, …); the participation issue notifies them.
CREATE TABLE follows (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (user_id, object_type, object_id)
);
CREATE INDEX follows_object ON follows(object_type, object_id);

-- Page views and downloads per dataset and day (counted in memory, written in batches).
CREATE TABLE usage_daily (
    package_id TEXT NOT NULL,
    day TEXT NOT NULL,
    views BIGINT NOT NULL DEFAULT 0,
    downloads BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (package_id, day)
);
CREATE INDEX usage_daily_day ON usage_daily(day);
