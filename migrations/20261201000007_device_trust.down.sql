ALTER TABLE applied_batches DROP COLUMN last_digest;
ALTER TABLE devices DROP COLUMN secret_hash;
