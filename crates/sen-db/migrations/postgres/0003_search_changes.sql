-- The change log every node's search index follows: one row per dataset change,
-- numbered in commit order. Nodes re-index the datasets of rows they have not seen.
CREATE TABLE search_changes (
    seq BIGSERIAL PRIMARY KEY,
    package_id TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
