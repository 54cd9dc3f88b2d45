DROP TABLE operator_audit;
DROP FUNCTION operator_audit_append_only();
ALTER TABLE tenants DROP COLUMN status_reason;
