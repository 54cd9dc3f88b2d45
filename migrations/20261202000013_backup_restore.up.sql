-- Per-clinic backup and restore (`clinic-server backup` / `restore`).

-- A clinic's sync epoch: a new value each time its data is restored from a
-- backup. A PC whose cursor and batch numbers belong to another epoch
-- resyncs from a snapshot instead of trusting them (DESIGN.md, sync).
ALTER TABLE tenant_sync_state ADD COLUMN epoch uuid NOT NULL DEFAULT gen_random_uuid();

-- Whether this transaction is a restore run by the owner of `rel`: the
-- owner sets `app.restoring` and loads rows exactly as they were backed
-- up, including prescriptions already dispensed. The application role owns
-- nothing, so setting the flag gains it nothing.
CREATE FUNCTION app_restoring(rel oid) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
        SELECT coalesce(current_setting('app.restoring', true), '') = 'on'
           AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = rel), 'MEMBER')
    $$;

CREATE OR REPLACE FUNCTION prescription_items_guard_issued() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    parent_status text;
BEGIN
    IF app_restoring(TG_RELID) THEN
        RETURN NEW;
    END IF;
    SELECT status INTO parent_status FROM prescriptions
     WHERE tenant_id = NEW.tenant_id AND id = NEW.prescription_id;
    IF parent_status IS NOT NULL AND parent_status NOT IN ('draft', 'active') THEN
        RAISE EXCEPTION 'items of a % prescription cannot be changed', parent_status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'prescriptions_issued_immutable';
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION prescriptions_guard_initial_status() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF app_restoring(TG_RELID) THEN
        RETURN NEW;
    END IF;
    IF NEW.status NOT IN ('draft', 'active') THEN
        RAISE EXCEPTION 'a new prescription is draft or active, not %', NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'prescriptions_status_transition';
    END IF;
    RETURN NEW;
END $$;

-- Replacing a clinic's data removes its own medicines first; the
-- application role has no DELETE grant, so only the owner can use this.
CREATE POLICY medicines_delete ON medicines FOR DELETE USING (tenant_id = app_tenant());
