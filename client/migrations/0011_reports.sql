-- Version 11: the Reports page. Issued prescriptions are read by visit day
-- across every doctor (top diagnoses and medicines of a range).
CREATE INDEX prescriptions_visit_idx ON prescriptions (visit_date);

-- A report sums figures kept per day, so a year reads a few thousand rows
-- instead of every visit, payment and prescription item in it. A day's
-- figures are worked out from the records the first time a report needs
-- them and stand while `report_days` lists the day; any write to a record
-- of that day (a local edit, a pulled change, a snapshot, a purge) strikes
-- the day off through the triggers below, and the next report works it out
-- again. Local to this PC: nothing here is synced.
CREATE TABLE report_days (day TEXT PRIMARY KEY NOT NULL) STRICT, WITHOUT ROWID;

CREATE TABLE report_day_visits (
    day       TEXT NOT NULL,
    doctor_id TEXT NOT NULL,
    booked    INTEGER NOT NULL,
    walk_ins  INTEGER NOT NULL,
    completed INTEGER NOT NULL,
    no_shows  INTEGER NOT NULL,
    cancelled INTEGER NOT NULL,
    PRIMARY KEY (day, doctor_id)
) STRICT, WITHOUT ROWID;

-- Money by the PC's local day of each payment, the bill's doctor and mode.
CREATE TABLE report_day_takings (
    day          TEXT NOT NULL,
    doctor_id    TEXT NOT NULL,
    mode         TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    payments     INTEGER NOT NULL,
    PRIMARY KEY (day, doctor_id, mode)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_day_bills (
    day          TEXT PRIMARY KEY NOT NULL,
    bills        INTEGER NOT NULL,
    billed_minor INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Diagnoses and medicines of issued prescriptions, grouped however they
-- were capitalised (`key`), shown as first written (`name`).
CREATE TABLE report_day_diagnoses (
    day   TEXT NOT NULL,
    key   TEXT NOT NULL,
    name  TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_day_medicines (
    day   TEXT NOT NULL,
    key   TEXT NOT NULL,
    name  TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, key)
) STRICT, WITHOUT ROWID;

-- Patients with a visit held on the day (not cancelled, missed or moved:
-- store::reports::HELD), and each patient's first held visit ever, kept
-- whole while any day is kept: new and returning patients of a range.
CREATE TABLE report_day_patients (
    day        TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    PRIMARY KEY (day, patient_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_first_visits (
    patient_id TEXT PRIMARY KEY NOT NULL,
    first_day  TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Each trigger runs only once some day is kept (a first sync loading a
-- clinic pays one check per row, nothing more).
CREATE TRIGGER report_appointments_insert AFTER INSERT ON appointments
WHEN EXISTS (SELECT 1 FROM report_days) BEGIN
    DELETE FROM report_days WHERE day = new.appointment_date;
    DELETE FROM report_first_visits WHERE patient_id IN (new.patient_id);
    INSERT INTO report_first_visits (patient_id, first_day)
    SELECT a.patient_id, min(a.appointment_date) FROM appointments a
     WHERE a.patient_id IN (new.patient_id) AND a.deleted_at IS NULL
       AND a.status NOT IN ('cancelled', 'no_show', 'rescheduled')
     GROUP BY a.patient_id;
END;
CREATE TRIGGER report_appointments_update
AFTER UPDATE OF appointment_date, doctor_id, status, appointment_type, patient_id, deleted_at ON appointments
WHEN EXISTS (SELECT 1 FROM report_days) BEGIN
    DELETE FROM report_days WHERE day IN (old.appointment_date, new.appointment_date);
    DELETE FROM report_first_visits WHERE patient_id IN (old.patient_id, new.patient_id);
    INSERT INTO report_first_visits (patient_id, first_day)
    SELECT a.patient_id, min(a.appointment_date) FROM appointments a
     WHERE a.patient_id IN (old.patient_id, new.patient_id) AND a.deleted_at IS NULL
       AND a.status NOT IN ('cancelled', 'no_show', 'rescheduled')
     GROUP BY a.patient_id;
END;
CREATE TRIGGER report_appointments_delete AFTER DELETE ON appointments
WHEN EXISTS (SELECT 1 FROM report_days) BEGIN
    DELETE FROM report_days WHERE day = old.appointment_date;
    DELETE FROM report_first_visits WHERE patient_id IN (old.patient_id);
    INSERT INTO report_first_visits (patient_id, first_day)
    SELECT a.patient_id, min(a.appointment_date) FROM appointments a
     WHERE a.patient_id IN (old.patient_id) AND a.deleted_at IS NULL
       AND a.status NOT IN ('cancelled', 'no_show', 'rescheduled')
     GROUP BY a.patient_id;
END;

CREATE TRIGGER report_prescriptions_insert AFTER INSERT ON prescriptions
WHEN EXISTS (SELECT 1 FROM report_days) BEGIN
    DELETE FROM report_days WHERE day = new.visit_date;
END;
CREATE TRIGGER report_prescriptions_update
AFTER UPDATE OF visit_date, status, diagnosis, deleted_at ON prescriptions
WHEN EXISTS (SELECT 1 FROM report_days) BEGIN
    DELETE FROM report_days WHERE day IN (old.visit_date, new.visit_date);
END;
CREATE TRIGGER report_prescriptions_delete AFTER DELETE ON prescriptions
WHEN EXISTS (SELECT 1 FROM report_days) BEGIN
    DELETE FROM report_days WHERE day = old.visit_date;
END;

-- An item counts on its prescription's visit day.
CREATE TRIGGER report_items_insert AFTER INSERT ON prescription_items
WHEN EXISTS (SELECT 1 FROM report_days) BEGIN
    DELETE FROM report_days
     WHERE day = (SELECT visit_date FROM prescriptions WHERE id = new.prescription_id);
END;
CREATE TRIGGER report_items_update
AFTER UPDATE OF prescription_id, medicine_name, deleted_at ON prescription_items
WHEN EXISTS (SELECT 1 FROM report_days) BEGIN
    DELETE FROM report_days
     WHERE day IN (SELECT visit_date FROM prescriptions WHERE id IN (old.prescription_id, new.prescription_id));
END;
CREATE TRIGGER report_items_delete AFTER DELETE ON prescription_items
WHEN EXISTS (SELECT 1 FROM report_days) BEGIN
    DELETE FROM report_days
     WHERE day = (SELECT visit_date FROM prescriptions WHERE id = old.prescription_id);
END;

-- A bill counts on its day; its doctor is whom its payments count for.
CREATE TRIGGER report_invoices_insert AFTER INSERT ON invoices
WHEN EXISTS (SELECT 1 FROM report_days) BEGIN
    DELETE FROM report_days WHERE day = new.issued_on
        OR day IN (SELECT date(paid_at, 'localtime') FROM payments WHERE invoice_id = new.id);
END;
CREATE TRIGGER report_invoices_update
AFTER UPDATE OF issued_on, status, total_minor, doctor_id, deleted_at ON invoices
WHEN EXISTS (SELECT 1 FROM report_days) BEGIN
    DELETE FROM report_days WHERE day IN (old.issued_on, new.issued_on)
        OR day IN (SELECT date(paid_at, 'localtime') FROM payments WHERE invoice_id = new.id);
END;
CREATE TRIGGER report_invoices_delete AFTER DELETE ON invoices
WHEN EXISTS (SELECT 1 FROM report_days) BEGIN
    DELETE FROM report_days WHERE day = old.issued_on
        OR day IN (SELECT date(paid_at, 'localtime') FROM payments WHERE invoice_id = old.id);
END;

CREATE TRIGGER report_payments_insert AFTER INSERT ON payments
WHEN EXISTS (SELECT 1 FROM report_days) BEGIN
    DELETE FROM report_days WHERE day = date(new.paid_at, 'localtime');
END;
CREATE TRIGGER report_payments_update
AFTER UPDATE OF paid_at, amount_minor, mode, invoice_id, deleted_at ON payments
WHEN EXISTS (SELECT 1 FROM report_days) BEGIN
    DELETE FROM report_days WHERE day IN (date(old.paid_at, 'localtime'), date(new.paid_at, 'localtime'));
END;
CREATE TRIGGER report_payments_delete AFTER DELETE ON payments
WHEN EXISTS (SELECT 1 FROM report_days) BEGIN
    DELETE FROM report_days WHERE day = date(old.paid_at, 'localtime');
END;
