-- A PC may send its next batch while the one before is on its way, so the
-- server can apply batch N+1 before the PC has read the answer to N. If
-- that answer is lost, the PC sends N again and must get the same answer
-- back: the answers to a device's last two batches are kept, not one.
-- Answers are stored compactly (ops applied as sent are implied by the
-- batch itself, which a replay carries again under the same digest).
ALTER TABLE applied_batches
    ADD COLUMN prev_batch_seq bigint,
    ADD COLUMN prev_digest bytea CHECK (octet_length(prev_digest) = 32),
    ADD COLUMN prev_result jsonb,
    ADD CONSTRAINT applied_batches_prev_before_last
        CHECK (prev_batch_seq IS NULL OR (prev_batch_seq >= 0 AND prev_batch_seq < last_batch_seq));
