-- Version 6: history brought in with a referral (domain::sync::TABLES,
-- "referral_records"), read-only on the PC.
CREATE TABLE referral_records (
    id          TEXT PRIMARY KEY NOT NULL,
    patient_id  TEXT,
    kind        TEXT,
    occurred_on TEXT,
    title       TEXT,
    detail      TEXT,
    author      TEXT,
    source      TEXT,
    source_ref  TEXT,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX referral_records_patient_idx ON referral_records (patient_id, occurred_on);

-- Earlier versions skipped changes of tables they did not know yet, so a
-- store that has synced before takes one snapshot to pick up what it
-- missed (keeping its unsent changes, as any resync does).
INSERT INTO sync_state (key, value)
SELECT 'resync_needed', '1' WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = 'cursor');
