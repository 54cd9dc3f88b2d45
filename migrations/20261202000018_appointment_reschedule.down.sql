CREATE OR REPLACE FUNCTION appointments_guard_status() RETURNS trigger
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
