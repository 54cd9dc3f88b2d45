-- Version 9: a doctor's days off and leave, pulled like the weekly hours
-- (JSON [{from, to, reason}]); NULL reads as none.
ALTER TABLE doctors ADD COLUMN time_off TEXT;

-- Earlier versions did not keep the field, so a store that has synced
-- before takes one snapshot to learn the leave already set (keeping its
-- unsent changes, as any resync does).
INSERT OR REPLACE INTO sync_state (key, value)
SELECT 'resync_needed', '1' WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = 'cursor');
