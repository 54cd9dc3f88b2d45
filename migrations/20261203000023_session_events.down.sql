DROP TRIGGER IF EXISTS tenants_standing ON tenants;
DROP TRIGGER IF EXISTS devices_revoked ON devices;
DROP TRIGGER IF EXISTS users_removed ON users;
DROP TRIGGER IF EXISTS users_standing ON users;
DROP TRIGGER IF EXISTS refresh_tokens_removed ON refresh_tokens;
DROP TRIGGER IF EXISTS refresh_tokens_revoked ON refresh_tokens;
DROP FUNCTION IF EXISTS notify_session_change();
