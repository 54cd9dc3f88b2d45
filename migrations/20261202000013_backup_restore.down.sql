DROP POLICY medicines_delete ON medicines;

CREATE OR REPLACE FUNCTION prescriptions_guard_initial_status() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status NOT IN ('draft', 'active') THEN
        RAISE EXCEPTION 'a new prescription is draft or active, not %', NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'prescriptions_status_transition';
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION prescription_items_guard_issued() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    parent_status text;
BEGIN
    SELECT status INTO parent_status FROM prescriptions
     WHERE tenant_id = NEW.tenant_id AND id = NEW.prescription_id;
    IF parent_status IS NOT NULL AND parent_status NOT IN ('draft', 'active') THEN
        RAISE EXCEPTION 'items of a % prescription cannot be changed', parent_status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'prescriptions_issued_immutable';
    END IF;
    RETURN NEW;
END $$;

DROP FUNCTION app_restoring(oid);

ALTER TABLE tenant_sync_state DROP COLUMN epoch;
