-- An audit event's time comes from the PC (it may have been offline); the
-- server's own receipt time sits next to it, and details stay small.
ALTER TABLE audit_events ADD COLUMN received_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE audit_events ADD CONSTRAINT audit_events_details_bounded
    CHECK (jsonb_typeof(details) = 'object' AND octet_length(details::text) <= 4096) NOT VALID;
CREATE INDEX audit_events_tenant_received_idx ON audit_events (tenant_id, received_at);
