-- The platform operator's controls (`clinic-server admin`, run as the
-- owner role, never over HTTP).
--
-- Why a clinic is suspended, for its PCs to show before anyone types. Like
-- plan, status and limits it is the platform's to change: clinic_app gets
-- no UPDATE on it (its column grant on tenants is unchanged).
ALTER TABLE tenants
    ADD COLUMN status_reason text CHECK (length(status_reason) <= 500);

-- Every operator action, append-only. Platform data, not a clinic's: the
-- application role has no privilege on it at all, so no clinic can read
-- another's (or its own) audit through the app. The clinic acted on is
-- `clinic_id`, not `tenant_id`: a `tenant_id` column marks a clinic's own
-- table (RLS-keyed, sharded by it), which this is not. No foreign key:
-- the record outlives the clinic's row (a restore with --replace writes
-- that row anew; the details name the clinic's code too).
CREATE TABLE operator_audit (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    operator  text NOT NULL CHECK (length(operator) BETWEEN 1 AND 120),
    action    text NOT NULL CHECK (action IN ('change_plan', 'extend_trial', 'suspend', 'reactivate',
                                              'add_medicine', 'change_medicine', 'retire_medicine')),
    clinic_id uuid,
    details   jsonb NOT NULL CHECK (jsonb_typeof(details) = 'object')
);
CREATE INDEX operator_audit_clinic_idx ON operator_audit (clinic_id, at);
REVOKE ALL ON operator_audit FROM PUBLIC;
ALTER TABLE operator_audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE operator_audit FORCE ROW LEVEL SECURITY;

CREATE FUNCTION operator_audit_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'operator_audit is append-only';
END $$;
CREATE TRIGGER operator_audit_append_only BEFORE UPDATE OR DELETE ON operator_audit
    FOR EACH STATEMENT EXECUTE FUNCTION operator_audit_append_only();
