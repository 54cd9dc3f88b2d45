-- Version 4: front-desk staff archive patients and appointments (a
-- reversible hide); only an admin deletes them.
ALTER TABLE patients ADD COLUMN archived_at TEXT;
ALTER TABLE appointments ADD COLUMN archived_at TEXT;
