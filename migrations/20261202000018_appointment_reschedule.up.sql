-- Rescheduling becomes reachable (DOMAIN.md had `rescheduled` with ways
-- out and none in): a scheduled or confirmed appointment moved to another
-- slot turns `rescheduled` (freeing its slot, kept in the history) and a
-- new appointment with `rescheduled_from_id` takes the new slot. The same
-- machine as domain::clinical::appointment.
CREATE OR REPLACE FUNCTION appointments_guard_status() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
           (OLD.status = 'scheduled'   AND NEW.status IN ('confirmed', 'in_progress', 'cancelled', 'no_show',
                                                          'rescheduled'))
        OR (OLD.status = 'confirmed'   AND NEW.status IN ('in_progress', 'cancelled', 'no_show', 'rescheduled'))
        OR (OLD.status = 'in_progress' AND NEW.status IN ('completed', 'cancelled'))
        OR (OLD.status = 'rescheduled' AND NEW.status IN ('scheduled', 'confirmed', 'cancelled'))) THEN
        RAISE EXCEPTION 'an appointment that is % cannot become %',
            replace(OLD.status, '_', ' '), replace(NEW.status, '_', ' ')
            USING ERRCODE = 'check_violation', CONSTRAINT = 'appointments_status_transition';
    END IF;
    RETURN NEW;
END $$;
