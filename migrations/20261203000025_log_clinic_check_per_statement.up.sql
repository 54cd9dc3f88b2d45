-- A change log row must belong to an existing clinic. The foreign key
-- checked that once per row: a 2,000-change push ran 2,000 look-ups of the
-- same clinic row, 12 of the INSERT's 32 ms (measured with EXPLAIN ANALYZE
-- on the bench's data). The same rule is now checked once per statement,
-- over the statement's distinct clinics (about 1 ms), with the same locks
-- a foreign key takes, so it holds under concurrency as the key did:
--   * an insert locks its clinics' rows FOR KEY SHARE until it commits, so
--     a clinic cannot be deleted under a log being written;
--   * deleting a clinic first locks its row, then refuses if the clinic has
--     a log (the check sees committed rows once the lock is granted).
-- Both run as the caller: the app role writes only its own clinic's log
-- (row security), and that clinic's row is the one it can read and lock.
ALTER TABLE change_log DROP CONSTRAINT change_log_tenant_id_fkey;

CREATE FUNCTION change_log_clinics_exist() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    missing uuid;
BEGIN
    PERFORM 1 FROM tenants t WHERE t.id IN (SELECT DISTINCT tenant_id FROM added) FOR KEY SHARE;
    SELECT a.tenant_id INTO missing FROM (SELECT DISTINCT tenant_id FROM added) a
     WHERE NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = a.tenant_id) LIMIT 1;
    IF FOUND THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('change_log rows name clinic %s, which does not exist', missing),
            TABLE = 'change_log', CONSTRAINT = 'change_log_tenant_id_exists';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER change_log_tenant_id_exists AFTER INSERT ON change_log
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION change_log_clinics_exist();

CREATE FUNCTION clinic_without_log() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM change_log WHERE tenant_id = OLD.id) THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('clinic %s has a change log and cannot be deleted', OLD.id),
            TABLE = 'tenants', CONSTRAINT = 'change_log_tenant_id_exists';
    END IF;
    RETURN OLD;
END $$;

CREATE TRIGGER tenants_keep_logged BEFORE DELETE ON tenants
    FOR EACH ROW EXECUTE FUNCTION clinic_without_log();
