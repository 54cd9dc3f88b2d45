-- The PC's own registry (app.sqlite3), beside the per-clinic stores:
-- which clinics this PC knows, who signed in here online before (with a
-- local argon2id verifier for offline sign-in), and settings.
CREATE TABLE clinics (
    tenant_id   TEXT PRIMARY KEY NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    -- The last subscription view seen online, for the header when offline.
    subscription TEXT
) STRICT;

CREATE TABLE local_users (
    tenant_id  TEXT NOT NULL REFERENCES clinics (tenant_id),
    email      TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    full_name  TEXT NOT NULL,
    role       TEXT NOT NULL,
    doctor_id  TEXT,
    verifier   TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, email)
) STRICT;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
