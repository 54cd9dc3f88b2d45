-- Billing: a visit's invoice and the payments taken against it
-- (domain::billing). Amounts are integer minor units of the invoice's
-- currency. An invoice's lines are fixed when it is issued and it is voided,
-- never deleted; payments are append-only. Whether an invoice is paid is
-- the sum of its payments, worked out when read, so two PCs taking money
-- offline never write the same row.
CREATE TABLE invoices (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    invoice_number  text NOT NULL CHECK (invoice_number ~ '^INV[0-9]{12}$'),
    patient_id      uuid NOT NULL,
    doctor_id       uuid,
    appointment_id  uuid,
    prescription_id uuid,
    issued_on       date NOT NULL,
    currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    lines           jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(lines) = 'array'),
    total_minor     bigint NOT NULL DEFAULT 0 CHECK (total_minor BETWEEN 0 AND 10000000000000),
    status          text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'void')),
    void_reason     text CHECK (length(void_reason) <= 500),
    notes           text CHECK (length(notes) <= 10000),
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      uuid NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      uuid NOT NULL,
    deleted_at      timestamptz,
    sync_seq        bigint NOT NULL DEFAULT 0,
    field_hlc       jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, invoice_number),
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, doctor_id) REFERENCES doctors (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, appointment_id) REFERENCES appointments (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, prescription_id) REFERENCES prescriptions (tenant_id, id) DEFERRABLE
);
-- Reports read a clinic's bills by day; a chart reads a patient's.
CREATE INDEX invoices_issued_idx ON invoices (tenant_id, issued_on);
CREATE INDEX invoices_patient_idx ON invoices (tenant_id, patient_id);

CREATE TABLE payments (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    id             uuid NOT NULL,
    receipt_number text NOT NULL CHECK (receipt_number ~ '^RCP[0-9]{12}$'),
    invoice_id     uuid NOT NULL,
    patient_id     uuid NOT NULL,
    amount_minor   bigint NOT NULL CHECK (amount_minor BETWEEN 1 AND 10000000000000),
    mode           text NOT NULL CHECK (mode IN ('cash', 'card', 'upi', 'other')),
    reference      text CHECK (length(reference) <= 200),
    paid_at        timestamptz NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    created_by     uuid NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    updated_by     uuid NOT NULL,
    deleted_at     timestamptz,
    sync_seq       bigint NOT NULL DEFAULT 0,
    field_hlc      jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, receipt_number),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id) DEFERRABLE
);
CREATE INDEX payments_invoice_idx ON payments (tenant_id, invoice_id);
CREATE INDEX payments_paid_idx ON payments (tenant_id, paid_at);

ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoices
    USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()));
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payments
    USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()));
-- UPDATE on payments only for the change log's bookkeeping right after the
-- insert (the sync spec refuses any pushed change to a payment).
GRANT SELECT, INSERT, UPDATE ON invoices, payments TO clinic_app;

-- An issued bill is what the patient was told they owe: only its status
-- (to void it, for good), the reason and the notes may change afterwards.
CREATE FUNCTION invoices_guard_issued() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.invoice_number, NEW.patient_id, NEW.doctor_id, NEW.appointment_id, NEW.prescription_id,
        NEW.issued_on, NEW.currency, NEW.lines, NEW.total_minor, NEW.deleted_at)
       IS DISTINCT FROM (OLD.invoice_number, OLD.patient_id, OLD.doctor_id, OLD.appointment_id,
        OLD.prescription_id, OLD.issued_on, OLD.currency, OLD.lines, OLD.total_minor, OLD.deleted_at)
       OR (OLD.status = 'void' AND NEW.status <> 'void') THEN
        RAISE EXCEPTION 'invoice % is issued: its bill cannot be changed, only voided', OLD.invoice_number
            USING ERRCODE = 'check_violation', CONSTRAINT = 'invoices_issued_immutable';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER invoices_guard_issued BEFORE UPDATE ON invoices
    FOR EACH ROW EXECUTE FUNCTION invoices_guard_issued();
