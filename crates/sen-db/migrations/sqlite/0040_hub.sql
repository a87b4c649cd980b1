-- The knowledge hub: posts (news, guides, articles, standards) and the legal library.
CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL,
    language TEXT NOT NULL,
    -- The same post in the other language (kept on both sides).
    translation_id TEXT,
    image_url TEXT NOT NULL DEFAULT '',
    author_id TEXT REFERENCES users(id),
    status TEXT NOT NULL,
    -- When it becomes public; in the future = scheduled.
    published_at TEXT,
    search_text TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX posts_published ON posts(status, published_at);

CREATE TABLE legal_documents (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    issuer TEXT NOT NULL,
    signed_on TEXT,
    effective_from TEXT,
    status TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    full_text TEXT NOT NULL DEFAULT '',
    file_key TEXT,
    file_name TEXT NOT NULL DEFAULT '',
    file_size BIGINT NOT NULL DEFAULT 0,
    file_sha256 TEXT NOT NULL DEFAULT '',
    file_mimetype TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);

-- "document amends/repeals target"; the inverse is read from the same rows.
CREATE TABLE legal_relations (
    document_id TEXT NOT NULL REFERENCES legal_documents(id) ON DELETE CASCADE,
    target_id TEXT NOT NULL REFERENCES legal_documents(id) ON DELETE CASCADE,
    relation TEXT NOT NULL,
    PRIMARY KEY (document_id, target_id)
);
CREATE INDEX legal_relations_target ON legal_relations(target_id);
