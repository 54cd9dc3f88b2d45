ALTER TABLE applied_batches
    DROP CONSTRAINT applied_batches_prev_before_last,
    DROP COLUMN prev_result,
    DROP COLUMN prev_digest,
    DROP COLUMN prev_batch_seq;
