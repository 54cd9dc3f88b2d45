DROP INDEX audit_events_tenant_received_idx;
ALTER TABLE audit_events DROP CONSTRAINT audit_events_details_bounded;
ALTER TABLE audit_events DROP COLUMN received_at;
