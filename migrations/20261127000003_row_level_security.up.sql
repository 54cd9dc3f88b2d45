-- Isolation between clinics (DESIGN.md, "Isolation (RLS) rules").
--
-- The application role `clinic_app` (NOSUPERUSER NOBYPASSRLS, owns nothing)
-- must exist before this migration; `clinic-server dev` and the README's
-- operator SQL create it. Every tenant table gets ENABLE + FORCE ROW LEVEL
-- SECURITY and one policy keyed on the transaction-local tenant setting, so
-- no tenant context means zero rows and refused writes.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_app') THEN
        RAISE EXCEPTION 'role clinic_app does not exist: create it first (see README, "Configuration")';
    END IF;
END $$;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO clinic_app;
REVOKE ALL ON FUNCTION app_tenant() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_tenant() TO clinic_app;

-- Tables the application reads and writes (soft deletes are updates).
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY[
        'users', 'doctors', 'patients', 'short_keys', 'short_key_medicines', 'appointments',
        'print_layouts', 'prescriptions', 'prescription_items', 'dental_observations',
        'dental_procedures', 'dental_observation_templates', 'case_studies', 'dental_attachments',
        'tenant_sync_state', 'devices', 'applied_batches', 'sync_conflicts', 'refresh_tokens',
        'audit_events', 'change_log', 'login_attempts']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) '
            'WITH CHECK (tenant_id = app_tenant())', t);
    END LOOP;
END $$;

-- Least privilege: no DELETE on clinical tables (tombstones only), and the
-- logs are append-only.
GRANT SELECT, INSERT, UPDATE ON
    users, doctors, patients, short_keys, short_key_medicines, appointments, print_layouts,
    prescriptions, prescription_items, dental_observations, dental_procedures,
    dental_observation_templates, case_studies, dental_attachments,
    tenant_sync_state, devices, applied_batches, sync_conflicts
    TO clinic_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON refresh_tokens TO clinic_app;
GRANT SELECT, INSERT, DELETE ON login_attempts TO clinic_app;
GRANT SELECT, INSERT ON change_log, audit_events TO clinic_app;

-- Tenants: a clinic sees and updates only its own row. Registration sets
-- the new tenant's id as the context before inserting it.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (id = app_tenant()) WITH CHECK (id = app_tenant());
GRANT SELECT, INSERT ON tenants TO clinic_app;
-- Plan, status, limits and dates are the platform's to change, not a clinic's.
GRANT UPDATE (name, contact_email, contact_phone, settings, updated_at) ON tenants TO clinic_app;

-- Medicines: the global catalog (tenant_id NULL) is readable by every
-- clinic and writable by none; a clinic writes only its own rows.
ALTER TABLE medicines ENABLE ROW LEVEL SECURITY;
ALTER TABLE medicines FORCE ROW LEVEL SECURITY;
CREATE POLICY medicines_read ON medicines FOR SELECT
    USING (tenant_id IS NULL OR tenant_id = app_tenant());
CREATE POLICY medicines_insert ON medicines FOR INSERT WITH CHECK (tenant_id = app_tenant());
CREATE POLICY medicines_update ON medicines FOR UPDATE
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
GRANT SELECT, INSERT, UPDATE ON medicines TO clinic_app;

-- Sign-in needs the tenant of a clinic code before any tenant context
-- exists. This SECURITY DEFINER function returns only that id (never a row)
-- and runs as the owner, which is the only role allowed to bypass RLS.
CREATE FUNCTION tenant_id_for_code(clinic_code text) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public
    AS $$ SELECT id FROM public.tenants WHERE code = upper(btrim(clinic_code)) $$;
REVOKE ALL ON FUNCTION tenant_id_for_code(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_id_for_code(text) TO clinic_app;
