DROP TRIGGER tenants_keep_logged ON tenants;
DROP FUNCTION clinic_without_log();
DROP TRIGGER change_log_tenant_id_exists ON change_log;
DROP FUNCTION change_log_clinics_exist();
ALTER TABLE change_log ADD CONSTRAINT change_log_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id);
