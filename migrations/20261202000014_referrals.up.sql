-- Referrals: a patient's history brought in from another clinic's FHIR
-- export. Each record is read-only history (PCs pull it, never push it),
-- with new ids and its provenance: the sending bundle and the resource it
-- came from.
CREATE TABLE referral_records (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    patient_id   uuid NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('appointment', 'medication', 'allergy', 'observation',
                                               'procedure', 'document', 'family')),
    occurred_on  date,
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    detail       text CHECK (length(detail) <= 5000),
    author       text CHECK (length(author) <= 200),
    -- Provenance: the bundle (its id and time) and the resource's own id
    -- in the sending system.
    source       text NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
    source_ref   text CHECK (length(source_ref) <= 500),
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   uuid NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   uuid NOT NULL,
    deleted_at   timestamptz,
    sync_seq     bigint NOT NULL DEFAULT 0,
    field_hlc    jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id) DEFERRABLE
);
CREATE INDEX referral_records_patient_idx ON referral_records (tenant_id, patient_id);

ALTER TABLE referral_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE referral_records FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON referral_records
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
-- UPDATE only for the change log's bookkeeping (clocks, sync_seq) right
-- after the insert; no API changes a record's content.
GRANT SELECT, INSERT, UPDATE ON referral_records TO clinic_app;

-- Bringing records in is audited like taking them out.
ALTER TABLE audit_events DROP CONSTRAINT audit_events_action_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_action_check
    CHECK (action IN ('view', 'print', 'export', 'import', 'sign_in', 'sign_out'));
