DROP FUNCTION IF EXISTS tenant_id_for_code(text);
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY[
        'users', 'doctors', 'patients', 'short_keys', 'short_key_medicines', 'appointments',
        'print_layouts', 'prescriptions', 'prescription_items', 'dental_observations',
        'dental_procedures', 'dental_observation_templates', 'case_studies', 'dental_attachments',
        'tenant_sync_state', 'devices', 'applied_batches', 'sync_conflicts', 'refresh_tokens',
        'audit_events', 'change_log', 'login_attempts', 'tenants']
    LOOP
        EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t);
        EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
        EXECUTE format('REVOKE ALL ON %I FROM clinic_app', t);
    END LOOP;
END $$;
DROP POLICY IF EXISTS medicines_read ON medicines;
DROP POLICY IF EXISTS medicines_insert ON medicines;
DROP POLICY IF EXISTS medicines_update ON medicines;
ALTER TABLE medicines NO FORCE ROW LEVEL SECURITY;
ALTER TABLE medicines DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON medicines FROM clinic_app;
REVOKE ALL ON FUNCTION app_tenant() FROM clinic_app;
REVOKE ALL ON SCHEMA public FROM clinic_app;
GRANT USAGE ON SCHEMA public TO PUBLIC;
