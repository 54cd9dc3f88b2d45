-- One standing bill per visit, whichever PC wrote it: two PCs working
-- offline could each bill the same visit, and the patient would owe twice.
-- The second issued bill of a visit is refused when it reaches the server
-- (a unique violation the sync maps to a typed refusal naming the bill that
-- stands); a voided bill does not count, so a visit can be billed again
-- after its bill is voided. A trigger rather than a unique index: bills
-- written before this rule are left as they are, and pushes of one clinic
-- are serialised by its log's counter lock, so the check cannot race.
CREATE INDEX invoices_visit_idx ON invoices (tenant_id, appointment_id) WHERE appointment_id IS NOT NULL;

CREATE FUNCTION invoices_one_per_visit() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    standing text;
BEGIN
    IF NEW.appointment_id IS NULL OR NEW.status <> 'issued' OR NEW.deleted_at IS NOT NULL THEN
        RETURN NEW;
    END IF;
    SELECT invoice_number INTO standing FROM invoices
     WHERE tenant_id = NEW.tenant_id AND appointment_id = NEW.appointment_id AND id <> NEW.id
       AND status = 'issued' AND deleted_at IS NULL
     LIMIT 1;
    IF standing IS NOT NULL THEN
        RAISE EXCEPTION 'this visit is already billed (%)', standing
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'invoices_one_per_visit';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER invoices_one_per_visit BEFORE INSERT OR UPDATE OF appointment_id, status, deleted_at ON invoices
    FOR EACH ROW EXECUTE FUNCTION invoices_one_per_visit();
