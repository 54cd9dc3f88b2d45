-- "Forgot the clinic code?": the clinics where an active account signs in
-- with this e-mail address. The server mails the answer to that address
-- only and tells the asker nothing, so it cannot be used to find clinics.
-- Like tenant_id_for_code it returns identifiers of clinics (code and
-- name), never their rows or anyone's account.
CREATE FUNCTION clinic_codes_for_email(address text)
    RETURNS TABLE (code text, clinic_name text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public
    AS $$
        SELECT t.code, t.name
          FROM public.users u JOIN public.tenants t ON t.id = u.tenant_id
         WHERE u.email = lower(btrim(address)) AND u.is_active AND u.deleted_at IS NULL
           AND t.status <> 'cancelled'
         ORDER BY t.name
         LIMIT 20
    $$;
REVOKE ALL ON FUNCTION clinic_codes_for_email(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION clinic_codes_for_email(text) TO clinic_app;
