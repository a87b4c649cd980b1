-- The government data inventory ("hiện trạng dữ liệu"): each agency's
-- databases and information systems, and its open-data list with review dates.

-- One information system or database. The searchable columns are kept apart;
-- the whole record (unit, legal basis, classes, counts, sharing, data services,
-- contact, linked datasets) is the JSON document in `data`.
CREATE TABLE inventory_systems (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES groups(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    data TEXT NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX inventory_systems_org ON inventory_systems(org_id);

-- An item of an agency's open-data list ("danh mục dữ liệu mở").
CREATE TABLE open_data_items (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES groups(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    planned_date TEXT NOT NULL,
    package_id TEXT REFERENCES packages(id),
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX open_data_items_org ON open_data_items(org_id);

-- Each review of an agency's open-data list.
CREATE TABLE open_data_reviews (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES groups(id),
    reviewed_on TEXT NOT NULL,
    user_id TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX open_data_reviews_org ON open_data_reviews(org_id, reviewed_on);
