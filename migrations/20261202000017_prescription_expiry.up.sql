-- The server's hourly expiry sweep per clinic (server/src/sync/expiry.rs)
-- reads only issued prescriptions, by their last valid day.
CREATE INDEX prescriptions_expiry_idx ON prescriptions (tenant_id, valid_until)
    WHERE deleted_at IS NULL AND status IN ('active', 'expired');
