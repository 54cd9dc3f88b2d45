-- Clinical workflows: status machines enforced by the database, walk-ins
-- outside the clash rule, and per-PC number slots.

-- Each PC of a clinic gets a digit 0-9 that it puts in front of the
-- appointment and prescription numbers it allocates offline, so two PCs
-- never hand out the same APT/RX number (domain::clinical::numbering).
ALTER TABLE devices ADD COLUMN number_slot smallint CHECK (number_slot BETWEEN 0 AND 9);
CREATE UNIQUE INDEX devices_number_slot_unique ON devices (tenant_id, number_slot)
    WHERE number_slot IS NOT NULL;

-- A walk-in waits in the queue; it does not occupy a slot of the doctor's
-- calendar, so only scheduled appointments take part in clash detection.
ALTER TABLE appointments DROP CONSTRAINT appointments_no_doctor_clash;
ALTER TABLE appointments ADD CONSTRAINT appointments_no_doctor_clash EXCLUDE USING gist (
    tenant_id WITH =,
    doctor_id WITH =,
    tsrange(appointment_date + appointment_time,
            appointment_date + appointment_time + duration_minutes * interval '1 minute') WITH &&
) WHERE (deleted_at IS NULL AND appointment_type = 'scheduled'
         AND status NOT IN ('cancelled', 'no_show', 'rescheduled')) DEFERRABLE;

-- The status machines of DOMAIN.md (the same tables as
-- domain::clinical::{appointment, prescription}; a test compares them).
-- A change arriving through sync that breaks them is refused, typed.
CREATE FUNCTION appointments_guard_status() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
           (OLD.status = 'scheduled'   AND NEW.status IN ('confirmed', 'in_progress', 'cancelled', 'no_show'))
        OR (OLD.status = 'confirmed'   AND NEW.status IN ('in_progress', 'cancelled', 'no_show'))
        OR (OLD.status = 'in_progress' AND NEW.status IN ('completed', 'cancelled'))
        OR (OLD.status = 'rescheduled' AND NEW.status IN ('scheduled', 'confirmed', 'cancelled'))) THEN
        RAISE EXCEPTION 'an appointment that is % cannot become %',
            replace(OLD.status, '_', ' '), replace(NEW.status, '_', ' ')
            USING ERRCODE = 'check_violation', CONSTRAINT = 'appointments_status_transition';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER appointments_guard_status BEFORE UPDATE OF status ON appointments
    FOR EACH ROW EXECUTE FUNCTION appointments_guard_status();

CREATE FUNCTION prescriptions_guard_status() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
           (OLD.status = 'draft'     AND NEW.status IN ('active', 'cancelled'))
        OR (OLD.status = 'active'    AND NEW.status IN ('dispensed', 'completed', 'cancelled', 'expired'))
        OR (OLD.status = 'dispensed' AND NEW.status = 'completed')
        OR (OLD.status = 'expired'   AND NEW.status = 'active')) THEN
        RAISE EXCEPTION 'a prescription that is % cannot become %', OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'prescriptions_status_transition';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER prescriptions_guard_status BEFORE UPDATE OF status ON prescriptions
    FOR EACH ROW EXECUTE FUNCTION prescriptions_guard_status();

-- Audit events come from PCs in batches (possibly twice: ON CONFLICT DO
-- NOTHING); the trail is read by time.
CREATE INDEX audit_events_tenant_time_idx ON audit_events (tenant_id, occurred_at);
