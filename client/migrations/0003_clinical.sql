-- Version 3: clinical workflows.

-- Views, prints and exports wait here until the engine hands them to the
-- server's audit trail (POST /sync/audit); sent ones are deleted.
CREATE TABLE audit_outbox (
    id           TEXT PRIMARY KEY NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('view', 'print', 'export')),
    entity_table TEXT NOT NULL,
    entity_id    TEXT,
    details      TEXT NOT NULL DEFAULT '{}',
    occurred_at  TEXT NOT NULL
) STRICT;

-- Screens: a patient's history, the walk-in queue, numbering, "pending".
CREATE INDEX appointments_patient_idx ON appointments (patient_id, appointment_date);
CREATE INDEX appointments_date_idx ON appointments (appointment_date, appointment_time);
CREATE INDEX appointments_number_idx ON appointments (appointment_number);
CREATE INDEX prescriptions_patient_idx ON prescriptions (patient_id, visit_date);
CREATE INDEX prescriptions_number_idx ON prescriptions (prescription_number);
CREATE INDEX prescription_items_rx_idx ON prescription_items (prescription_id, sort_order);
CREATE INDEX short_key_medicines_key_idx ON short_key_medicines (short_key_id, sort_order);
CREATE INDEX short_keys_code_idx ON short_keys (code);
CREATE INDEX medicines_name_idx ON medicines (name COLLATE NOCASE);
CREATE INDEX outbox_row_idx ON outbox (row_id);
