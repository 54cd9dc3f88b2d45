-- Policies compare with `(SELECT app_tenant())`: an init plan evaluated
-- once per statement, instead of the function (current_setting, NULLIF,
-- a cast) once per row a scan reads. Same rows, same plans otherwise.
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT tablename FROM pg_policies
              WHERE schemaname = 'public' AND policyname = 'tenant_isolation' AND tablename <> 'tenants'
    LOOP
        EXECUTE format(
            'ALTER POLICY tenant_isolation ON %I USING (tenant_id = (SELECT app_tenant())) '
            'WITH CHECK (tenant_id = (SELECT app_tenant()))', t);
    END LOOP;
END $$;

ALTER POLICY tenant_isolation ON tenants
    USING (id = (SELECT app_tenant())) WITH CHECK (id = (SELECT app_tenant()));
ALTER POLICY medicines_read ON medicines
    USING (tenant_id IS NULL OR tenant_id = (SELECT app_tenant()));
ALTER POLICY medicines_insert ON medicines WITH CHECK (tenant_id = (SELECT app_tenant()));
ALTER POLICY medicines_update ON medicines
    USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()));
ALTER POLICY medicines_delete ON medicines USING (tenant_id = (SELECT app_tenant()));
