-- Version 10: bills and payments (domain::sync::TABLES "invoices",
-- "payments"; domain::billing). Amounts are integer minor units.
CREATE TABLE invoices (
    id              TEXT PRIMARY KEY NOT NULL,
    invoice_number  TEXT,
    patient_id      TEXT,
    doctor_id       TEXT,
    appointment_id  TEXT,
    prescription_id TEXT,
    issued_on       TEXT,
    currency        TEXT,
    lines           TEXT,
    total_minor     INTEGER,
    status          TEXT,
    void_reason     TEXT,
    notes           TEXT,
    created_at      TEXT,
    created_by      TEXT,
    updated_at      TEXT,
    updated_by      TEXT,
    deleted_at      TEXT,
    field_hlc       TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX invoices_patient_idx ON invoices (patient_id, issued_on);
CREATE INDEX invoices_issued_idx ON invoices (issued_on);
CREATE INDEX invoices_number_idx ON invoices (invoice_number);

CREATE TABLE payments (
    id             TEXT PRIMARY KEY NOT NULL,
    receipt_number TEXT,
    invoice_id     TEXT,
    patient_id     TEXT,
    amount_minor   INTEGER,
    mode           TEXT,
    reference      TEXT,
    paid_at        TEXT,
    created_at     TEXT,
    created_by     TEXT,
    updated_at     TEXT,
    updated_by     TEXT,
    deleted_at     TEXT,
    field_hlc      TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX payments_invoice_idx ON payments (invoice_id);
CREATE INDEX payments_paid_idx ON payments (paid_at);
CREATE INDEX payments_number_idx ON payments (receipt_number);

-- Earlier versions skipped changes of tables they did not know, so a store
-- that has synced before takes one snapshot to pick up bills made by PCs
-- that upgraded first (keeping its unsent changes, as any resync does).
INSERT OR REPLACE INTO sync_state (key, value)
SELECT 'resync_needed', '1' WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = 'cursor');
