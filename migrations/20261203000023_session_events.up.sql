-- Every change that can end a sign-in or change a clinic's standing sends
-- the clinic's id on `clinic_sessions`, at commit, whichever code path
-- (or restore, or operator at a psql prompt) made it. Server processes
-- keep "this sign-in is live" answers only until they hear of the clinic
-- (server/src/auth/live.rs), so an ended sign-in is refused everywhere
-- within moments instead of after a fixed recheck interval.
CREATE FUNCTION notify_session_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV[0] names the column holding the clinic's id.
    PERFORM pg_notify('clinic_sessions', to_jsonb(OLD) ->> TG_ARGV[0]);
    RETURN NULL;
END $$;

CREATE TRIGGER refresh_tokens_revoked AFTER UPDATE OF revoked_at ON refresh_tokens
    FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at)
    EXECUTE FUNCTION notify_session_change('tenant_id');
-- A family with no token left has ended.
CREATE TRIGGER refresh_tokens_removed AFTER DELETE ON refresh_tokens
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL)
    EXECUTE FUNCTION notify_session_change('tenant_id');

CREATE TRIGGER users_standing AFTER UPDATE OF is_active, deleted_at ON users
    FOR EACH ROW WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active
                       OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
    EXECUTE FUNCTION notify_session_change('tenant_id');
CREATE TRIGGER users_removed AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION notify_session_change('tenant_id');

CREATE TRIGGER devices_revoked AFTER UPDATE OF revoked_at ON devices
    FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at)
    EXECUTE FUNCTION notify_session_change('tenant_id');

CREATE TRIGGER tenants_standing AFTER UPDATE OF status, status_reason ON tenants
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                       OR OLD.status_reason IS DISTINCT FROM NEW.status_reason)
    EXECUTE FUNCTION notify_session_change('id');
