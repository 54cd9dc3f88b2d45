-- A device id is a claim anyone can copy from a pulled change's clock; a
-- secret only the PC holds makes it a proof. Only its SHA-256 is kept.
ALTER TABLE devices ADD COLUMN secret_hash bytea CHECK (octet_length(secret_hash) = 32);

-- The digest of the last applied batch: a replay of the same number with
-- other content is refused instead of answered from the stored record.
ALTER TABLE applied_batches ADD COLUMN last_digest bytea CHECK (octet_length(last_digest) = 32);
