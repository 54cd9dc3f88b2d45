DROP INDEX IF EXISTS audit_events_tenant_time_idx;
DROP TRIGGER IF EXISTS prescriptions_guard_status ON prescriptions;
DROP FUNCTION IF EXISTS prescriptions_guard_status();
DROP TRIGGER IF EXISTS appointments_guard_status ON appointments;
DROP FUNCTION IF EXISTS appointments_guard_status();
ALTER TABLE appointments DROP CONSTRAINT appointments_no_doctor_clash;
ALTER TABLE appointments ADD CONSTRAINT appointments_no_doctor_clash EXCLUDE USING gist (
    tenant_id WITH =,
    doctor_id WITH =,
    tsrange(appointment_date + appointment_time,
            appointment_date + appointment_time + duration_minutes * interval '1 minute') WITH &&
) WHERE (deleted_at IS NULL AND status NOT IN ('cancelled', 'no_show', 'rescheduled')) DEFERRABLE;
DROP INDEX IF EXISTS devices_number_slot_unique;
ALTER TABLE devices DROP COLUMN number_slot;
