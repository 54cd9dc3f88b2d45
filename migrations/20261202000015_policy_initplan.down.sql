DO $$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT tablename FROM pg_policies
              WHERE schemaname = 'public' AND policyname = 'tenant_isolation' AND tablename <> 'tenants'
    LOOP
        EXECUTE format(
            'ALTER POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) '
            'WITH CHECK (tenant_id = app_tenant())', t);
    END LOOP;
END $$;

ALTER POLICY tenant_isolation ON tenants USING (id = app_tenant()) WITH CHECK (id = app_tenant());
ALTER POLICY medicines_read ON medicines USING (tenant_id IS NULL OR tenant_id = app_tenant());
ALTER POLICY medicines_insert ON medicines WITH CHECK (tenant_id = app_tenant());
ALTER POLICY medicines_update ON medicines
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER POLICY medicines_delete ON medicines USING (tenant_id = app_tenant());
