-- Version 2: count send attempts per outbox entry, so the status can tell
-- a PC that keeps failing to push from one that is merely offline.
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_attempt_at TEXT;
