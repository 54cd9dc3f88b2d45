-- The clinic schema: tenants and every clinic table of DOMAIN.md.
--
-- Rules (DESIGN.md): every clinic table has tenant_id NOT NULL and primary
-- key (tenant_id, id); foreign keys include tenant_id; ids are UUIDv7 made by
-- the client; rows are never hard-deleted (deleted_at tombstones); every row
-- carries created_by, updated_by, updated_at and sync bookkeeping:
--   sync_seq  - the tenant's change-log sequence number of the last change
--   field_hlc - per-field hybrid logical clock of the last accepted write,
--               used for field-level last-writer-wins
-- Money is stored in minor units (bigint) with the currency in the clinic's
-- settings, so nothing is tied to one country.
-- Foreign keys between clinical rows are DEFERRABLE so a sync batch may
-- apply a child before its parent inside one transaction.

-- Exclusion constraints on (doctor, time range) need btree_gist (trusted).
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The tenant of the current transaction, or NULL when none is set.
-- SECURITY INVOKER and STABLE: it only reads the caller's own setting.
CREATE FUNCTION app_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.current_tenant_id', true), '')::uuid $$;

CREATE TABLE tenants (
    id                   uuid PRIMARY KEY,
    code                 text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9_]{3,32}$'),
    name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    plan                 text NOT NULL DEFAULT 'trial'
                         CHECK (plan IN ('trial', 'basic', 'premium', 'enterprise')),
    status               text NOT NULL DEFAULT 'active'
                         CHECK (status IN ('active', 'suspended', 'cancelled', 'expired')),
    trial_ends_at        timestamptz,
    subscription_ends_at timestamptz,
    -- Limits are copied from the plan and may be changed by contract; -1 = unlimited.
    max_offices          bigint NOT NULL CHECK (max_offices >= -1),
    max_doctors          bigint NOT NULL CHECK (max_doctors >= -1),
    max_patients         bigint NOT NULL CHECK (max_patients >= -1),
    max_storage_bytes    bigint NOT NULL CHECK (max_storage_bytes >= -1),
    contact_email        text,
    contact_phone        text,
    settings             jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(settings) = 'object'),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (plan <> 'trial' OR trial_ends_at IS NOT NULL)
);

CREATE TABLE users (
    tenant_id            uuid NOT NULL REFERENCES tenants (id),
    id                   uuid NOT NULL,
    email                text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    full_name            text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 120),
    role                 text NOT NULL CHECK (role IN ('admin', 'doctor', 'nurse', 'receptionist')),
    password_hash        text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    must_change_password boolean NOT NULL DEFAULT false,
    is_active            boolean NOT NULL DEFAULT true,
    locked_until         timestamptz,
    last_login_at        timestamptz,
    password_changed_at  timestamptz NOT NULL DEFAULT now(),
    created_at           timestamptz NOT NULL DEFAULT now(),
    created_by           uuid NOT NULL,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    updated_by           uuid NOT NULL,
    deleted_at           timestamptz,
    sync_seq             bigint NOT NULL DEFAULT 0,
    field_hlc            jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email)
);

CREATE TABLE doctors (
    tenant_id              uuid NOT NULL REFERENCES tenants (id),
    id                     uuid NOT NULL,
    user_id                uuid NOT NULL,
    -- NULL until an owner who registered as a doctor fills it in.
    licence_number         text CHECK (licence_number ~ '^[A-Z0-9/.-]{3,40}$'),
    specialization         text NOT NULL CHECK (length(specialization) BETWEEN 1 AND 120),
    qualification          text CHECK (length(qualification) <= 120),
    experience_years       integer CHECK (experience_years BETWEEN 0 AND 70),
    consultation_fee_minor bigint CHECK (consultation_fee_minor >= 0),
    consultation_minutes   integer NOT NULL DEFAULT 15 CHECK (consultation_minutes BETWEEN 10 AND 240),
    -- [{id, name, address, is_primary}]: there is no offices table.
    offices                jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(offices) = 'array'),
    -- {"monday": [{"start": "09:00:00", "end": "13:00:00"}], ...}
    availability           jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(availability) = 'object'),
    is_active              boolean NOT NULL DEFAULT true,
    created_at             timestamptz NOT NULL DEFAULT now(),
    created_by             uuid NOT NULL,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    updated_by             uuid NOT NULL,
    deleted_at             timestamptz,
    sync_seq               bigint NOT NULL DEFAULT 0,
    field_hlc              jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) DEFERRABLE,
    UNIQUE (tenant_id, user_id)
);
CREATE UNIQUE INDEX doctors_licence_unique ON doctors (tenant_id, licence_number) WHERE deleted_at IS NULL;

CREATE TABLE patients (
    tenant_id          uuid NOT NULL REFERENCES tenants (id),
    id                 uuid NOT NULL,
    mobile_number      text NOT NULL CHECK (mobile_number ~ '^\+?[0-9]{6,15}$'),
    first_name         text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 120),
    last_name          text CHECK (length(last_name) <= 120),
    date_of_birth      date NOT NULL CHECK (date_of_birth >= DATE '1880-01-01'),
    gender             text NOT NULL CHECK (gender IN ('male', 'female', 'other', 'undisclosed')),
    relationship       text NOT NULL DEFAULT 'self'
                       CHECK (relationship IN ('self', 'spouse', 'child', 'parent', 'sibling', 'other')),
    email              text CHECK (length(email) <= 254),
    address            text CHECK (length(address) <= 500),
    -- {name, phone, relationship}
    emergency_contact  jsonb CHECK (emergency_contact IS NULL OR jsonb_typeof(emergency_contact) = 'object'),
    allergies          text[] NOT NULL DEFAULT '{}',
    blood_group        text CHECK (blood_group IN ('A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-', 'unknown')),
    notes              text CHECK (length(notes) <= 10000),
    created_at         timestamptz NOT NULL DEFAULT now(),
    created_by         uuid NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    updated_by         uuid NOT NULL,
    deleted_at         timestamptz,
    sync_seq           bigint NOT NULL DEFAULT 0,
    field_hlc          jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id)
);
-- The seed's composite index: family look-up by mobile number.
CREATE INDEX patients_tenant_mobile_first_name_idx ON patients (tenant_id, mobile_number, first_name);
-- A patient is identified inside a clinic by (mobile number, first name).
CREATE UNIQUE INDEX patients_identity_unique
    ON patients (tenant_id, mobile_number, lower(first_name)) WHERE deleted_at IS NULL;

-- Global catalog rows have tenant_id NULL, so the key is id alone.
CREATE TABLE medicines (
    id                    uuid PRIMARY KEY,
    tenant_id             uuid REFERENCES tenants (id),
    name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    generic_name          text CHECK (length(generic_name) <= 200),
    composition           text NOT NULL CHECK (length(composition) BETWEEN 1 AND 500),
    manufacturer          text CHECK (length(manufacturer) <= 200),
    dosage_forms          text[] NOT NULL DEFAULT '{}',
    strength              text CHECK (length(strength) <= 100),
    category              text CHECK (length(category) <= 100),
    price_minor           bigint CHECK (price_minor >= 0),
    prescription_required boolean NOT NULL DEFAULT true,
    atc_code              text CHECK (atc_code ~ '^[A-Z][0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?$'),
    contraindications     text[] NOT NULL DEFAULT '{}',
    side_effects          text[] NOT NULL DEFAULT '{}',
    is_active             boolean NOT NULL DEFAULT true,
    created_at            timestamptz NOT NULL DEFAULT now(),
    created_by            uuid,
    updated_at            timestamptz NOT NULL DEFAULT now(),
    updated_by            uuid,
    deleted_at            timestamptz,
    sync_seq              bigint NOT NULL DEFAULT 0,
    field_hlc             jsonb NOT NULL DEFAULT '{}'::jsonb,
    -- Clinic rows name who made them; global rows are the platform's.
    CHECK (tenant_id IS NULL OR (created_by IS NOT NULL AND updated_by IS NOT NULL)),
    -- Lets clinic rows be referenced with their tenant.
    UNIQUE (tenant_id, id)
);
CREATE INDEX medicines_tenant_name_idx ON medicines (tenant_id, lower(name));

CREATE TABLE short_keys (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    code            text NOT NULL CHECK (code ~ '^[A-Z0-9]{2,20}$'
                                         AND code NOT IN ('ALL', 'NONE', 'NULL', 'ADMIN', 'TEST')),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    description     text CHECK (length(description) <= 500),
    -- NULL = shared in the clinic; set = private to that doctor.
    owner_doctor_id uuid,
    usage_count     bigint NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      uuid NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      uuid NOT NULL,
    deleted_at      timestamptz,
    sync_seq        bigint NOT NULL DEFAULT 0,
    field_hlc       jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, owner_doctor_id) REFERENCES doctors (tenant_id, id) DEFERRABLE
);
-- Improve on the original: codes are unique per clinic, not globally.
CREATE UNIQUE INDEX short_keys_code_unique ON short_keys (tenant_id, code) WHERE deleted_at IS NULL;

CREATE TABLE short_key_medicines (
    tenant_id            uuid NOT NULL REFERENCES tenants (id),
    id                   uuid NOT NULL,
    short_key_id         uuid NOT NULL,
    medicine_id          uuid NOT NULL REFERENCES medicines (id) DEFERRABLE,
    default_dosage       text NOT NULL CHECK (length(default_dosage) BETWEEN 1 AND 100),
    default_frequency    text NOT NULL CHECK (length(default_frequency) BETWEEN 1 AND 100),
    default_duration     text NOT NULL CHECK (length(default_duration) BETWEEN 1 AND 100),
    default_instructions text CHECK (length(default_instructions) <= 500),
    sort_order           integer NOT NULL DEFAULT 0 CHECK (sort_order >= 0),
    created_at           timestamptz NOT NULL DEFAULT now(),
    created_by           uuid NOT NULL,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    updated_by           uuid NOT NULL,
    deleted_at           timestamptz,
    sync_seq             bigint NOT NULL DEFAULT 0,
    field_hlc            jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, short_key_id) REFERENCES short_keys (tenant_id, id) DEFERRABLE
);
CREATE INDEX short_key_medicines_key_idx ON short_key_medicines (tenant_id, short_key_id, sort_order);

CREATE TABLE appointments (
    tenant_id           uuid NOT NULL REFERENCES tenants (id),
    id                  uuid NOT NULL,
    appointment_number  text NOT NULL CHECK (appointment_number ~ '^APT[0-9]{12}$'),
    patient_id          uuid NOT NULL,
    doctor_id           uuid NOT NULL,
    office_id           text NOT NULL CHECK (length(office_id) BETWEEN 1 AND 40),
    appointment_date    date NOT NULL,
    appointment_time    time NOT NULL,
    duration_minutes    integer NOT NULL DEFAULT 30 CHECK (duration_minutes BETWEEN 10 AND 480),
    appointment_type    text NOT NULL DEFAULT 'scheduled' CHECK (appointment_type IN ('scheduled', 'walk_in')),
    reason              text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    status              text NOT NULL DEFAULT 'scheduled'
                        CHECK (status IN ('scheduled', 'confirmed', 'in_progress', 'completed',
                                          'cancelled', 'no_show', 'rescheduled')),
    queue_number        integer CHECK (queue_number > 0),
    checked_in_at       timestamptz,
    notes               text CHECK (length(notes) <= 10000),
    cancellation_reason text CHECK (length(cancellation_reason) <= 500),
    rescheduled_from_id uuid,
    created_at          timestamptz NOT NULL DEFAULT now(),
    created_by          uuid NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    updated_by          uuid NOT NULL,
    deleted_at          timestamptz,
    sync_seq            bigint NOT NULL DEFAULT 0,
    field_hlc           jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    -- Improve on the original: numbering is per clinic.
    UNIQUE (tenant_id, appointment_number),
    -- Lets a prescription name an appointment of the same patient and doctor.
    UNIQUE (tenant_id, id, patient_id, doctor_id),
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, doctor_id) REFERENCES doctors (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, rescheduled_from_id) REFERENCES appointments (tenant_id, id) DEFERRABLE,
    -- Clash detection per doctor as the last line of defence: two live
    -- appointments of one doctor never overlap in time.
    CONSTRAINT appointments_no_doctor_clash EXCLUDE USING gist (
        tenant_id WITH =,
        doctor_id WITH =,
        tsrange(appointment_date + appointment_time,
                appointment_date + appointment_time + duration_minutes * interval '1 minute') WITH &&
    ) WHERE (deleted_at IS NULL AND status NOT IN ('cancelled', 'no_show', 'rescheduled')) DEFERRABLE
);
-- The seed's composite index: a doctor's day.
CREATE INDEX appointments_tenant_doctor_date_idx ON appointments (tenant_id, doctor_id, appointment_date);
CREATE INDEX appointments_tenant_patient_idx ON appointments (tenant_id, patient_id);
CREATE INDEX appointments_tenant_date_office_idx ON appointments (tenant_id, appointment_date, office_id);

CREATE TABLE print_layouts (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    -- The most specific layout wins: doctor+office, then doctor, then the
    -- clinic default (both NULL).
    doctor_id    uuid,
    office_id    text CHECK (length(office_id) BETWEEN 1 AND 40),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    preset       text NOT NULL DEFAULT 'classic' CHECK (preset IN ('classic', 'modern', 'minimal')),
    paper        text NOT NULL DEFAULT 'a4' CHECK (paper IN ('a4', 'a5', 'letter')),
    orientation  text NOT NULL DEFAULT 'portrait' CHECK (orientation IN ('portrait', 'landscape')),
    -- {"top": 15, "right": 15, "bottom": 15, "left": 15} in millimetres
    margins_mm   jsonb NOT NULL DEFAULT '{"top": 15, "right": 15, "bottom": 15, "left": 15}'::jsonb,
    -- show/hide switches: logo, header, licence, patient fields, columns, signature
    options      jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(options) = 'object'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   uuid NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   uuid NOT NULL,
    deleted_at   timestamptz,
    sync_seq     bigint NOT NULL DEFAULT 0,
    field_hlc    jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, doctor_id) REFERENCES doctors (tenant_id, id) DEFERRABLE,
    CHECK (office_id IS NULL OR doctor_id IS NOT NULL)
);
CREATE UNIQUE INDEX print_layouts_scope_unique
    ON print_layouts (tenant_id, doctor_id, office_id) NULLS NOT DISTINCT WHERE deleted_at IS NULL;

CREATE TABLE prescriptions (
    tenant_id              uuid NOT NULL REFERENCES tenants (id),
    id                     uuid NOT NULL,
    prescription_number    text NOT NULL CHECK (prescription_number ~ '^RX[0-9]{12}$'),
    patient_id             uuid NOT NULL,
    doctor_id              uuid NOT NULL,
    appointment_id         uuid,
    office_id              text CHECK (length(office_id) BETWEEN 1 AND 40),
    visit_date             date NOT NULL,
    chief_complaint        text CHECK (length(chief_complaint) <= 500),
    diagnosis              text NOT NULL CHECK (length(diagnosis) BETWEEN 1 AND 2000),
    symptoms               text CHECK (length(symptoms) <= 2000),
    clinical_notes         text CHECK (length(clinical_notes) <= 10000),
    general_instructions   text CHECK (length(general_instructions) <= 2000),
    follow_up_date         date,
    status                 text NOT NULL DEFAULT 'draft'
                           CHECK (status IN ('draft', 'active', 'dispensed', 'completed', 'cancelled', 'expired')),
    valid_until            date NOT NULL,
    issued_at              timestamptz,
    printed_at             timestamptz,
    print_layout_id        uuid,
    -- An issued prescription is never changed: it is amended by a new one.
    amends_prescription_id uuid,
    created_at             timestamptz NOT NULL DEFAULT now(),
    created_by             uuid NOT NULL,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    updated_by             uuid NOT NULL,
    deleted_at             timestamptz,
    sync_seq               bigint NOT NULL DEFAULT 0,
    field_hlc              jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, prescription_number),
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, doctor_id) REFERENCES doctors (tenant_id, id) DEFERRABLE,
    -- The linked appointment must be of the same patient and doctor.
    FOREIGN KEY (tenant_id, appointment_id, patient_id, doctor_id)
        REFERENCES appointments (tenant_id, id, patient_id, doctor_id) DEFERRABLE,
    FOREIGN KEY (tenant_id, print_layout_id) REFERENCES print_layouts (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, amends_prescription_id) REFERENCES prescriptions (tenant_id, id) DEFERRABLE,
    CHECK (valid_until >= visit_date)
);
-- The seed's composite index: a doctor's prescriptions by visit date.
CREATE INDEX prescriptions_tenant_doctor_visit_idx ON prescriptions (tenant_id, doctor_id, visit_date);
CREATE INDEX prescriptions_tenant_patient_idx ON prescriptions (tenant_id, patient_id);

CREATE TABLE prescription_items (
    tenant_id                    uuid NOT NULL REFERENCES tenants (id),
    id                           uuid NOT NULL,
    prescription_id              uuid NOT NULL,
    medicine_id                  uuid REFERENCES medicines (id) DEFERRABLE,
    -- The name as printed, kept even if the catalog entry changes later.
    medicine_name                text NOT NULL CHECK (length(medicine_name) BETWEEN 1 AND 200),
    dosage                       text NOT NULL CHECK (length(dosage) BETWEEN 1 AND 100),
    -- Free text or morning-noon-night notation such as 1-0-1.
    frequency                    text NOT NULL CHECK (length(frequency) BETWEEN 1 AND 100),
    duration                     text NOT NULL CHECK (length(duration) BETWEEN 1 AND 100),
    instructions                 text CHECK (length(instructions) <= 500),
    quantity                     integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    unit_price_minor             bigint CHECK (unit_price_minor >= 0),
    total_minor                  bigint CHECK (total_minor >= 0),
    generic_substitution_allowed boolean NOT NULL DEFAULT true,
    sort_order                   integer NOT NULL DEFAULT 0 CHECK (sort_order >= 0),
    created_at                   timestamptz NOT NULL DEFAULT now(),
    created_by                   uuid NOT NULL,
    updated_at                   timestamptz NOT NULL DEFAULT now(),
    updated_by                   uuid NOT NULL,
    deleted_at                   timestamptz,
    sync_seq                     bigint NOT NULL DEFAULT 0,
    field_hlc                    jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, prescription_id) REFERENCES prescriptions (tenant_id, id) DEFERRABLE
);
CREATE INDEX prescription_items_prescription_idx ON prescription_items (tenant_id, prescription_id, sort_order);

CREATE TABLE dental_observations (
    tenant_id          uuid NOT NULL REFERENCES tenants (id),
    id                 uuid NOT NULL,
    patient_id         uuid NOT NULL,
    doctor_id          uuid NOT NULL,
    appointment_id     uuid,
    prescription_id    uuid,
    -- FDI notation: 11-18, 21-28, 31-38, 41-48 permanent; 51-55 .. 81-85 primary.
    tooth_number       smallint NOT NULL CHECK (
                           (tooth_number / 10 BETWEEN 1 AND 4 AND tooth_number % 10 BETWEEN 1 AND 8)
                        OR (tooth_number / 10 BETWEEN 5 AND 8 AND tooth_number % 10 BETWEEN 1 AND 5)),
    tooth_surface      text CHECK (tooth_surface IN ('occlusal', 'mesial', 'distal', 'buccal', 'lingual',
                                                     'palatal', 'incisal', 'multiple')),
    condition_type     text NOT NULL CHECK (condition_type IN (
                           'caries', 'fracture', 'missing', 'filling', 'crown', 'root_canal', 'abscess',
                           'mobility', 'gingivitis', 'calculus', 'impacted', 'sensitivity',
                           'discoloration', 'other')),
    severity           text CHECK (severity IN ('mild', 'moderate', 'severe')),
    observation_notes  text CHECK (length(observation_notes) <= 10000),
    treatment_required boolean NOT NULL DEFAULT false,
    treatment_done     boolean NOT NULL DEFAULT false,
    treatment_date     date,
    created_at         timestamptz NOT NULL DEFAULT now(),
    created_by         uuid NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    updated_by         uuid NOT NULL,
    deleted_at         timestamptz,
    sync_seq           bigint NOT NULL DEFAULT 0,
    field_hlc          jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, doctor_id) REFERENCES doctors (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, appointment_id) REFERENCES appointments (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, prescription_id) REFERENCES prescriptions (tenant_id, id) DEFERRABLE,
    CHECK (treatment_date IS NULL OR treatment_done)
);
CREATE INDEX dental_observations_patient_idx ON dental_observations (tenant_id, patient_id, tooth_number);

CREATE TABLE dental_procedures (
    tenant_id            uuid NOT NULL REFERENCES tenants (id),
    id                   uuid NOT NULL,
    patient_id           uuid NOT NULL,
    doctor_id            uuid NOT NULL,
    observation_id       uuid,
    appointment_id       uuid,
    prescription_id      uuid,
    procedure_code       text NOT NULL CHECK (procedure_code ~ '^D[0-9]{4}$'),
    procedure_name       text NOT NULL CHECK (length(procedure_name) BETWEEN 1 AND 200),
    tooth_numbers        smallint[] NOT NULL DEFAULT '{}',
    description          text CHECK (length(description) <= 2000),
    estimated_cost_minor bigint CHECK (estimated_cost_minor >= 0),
    actual_cost_minor    bigint CHECK (actual_cost_minor >= 0),
    duration_minutes     integer CHECK (duration_minutes BETWEEN 1 AND 600),
    status               text NOT NULL DEFAULT 'planned'
                         CHECK (status IN ('planned', 'in_progress', 'completed', 'cancelled')),
    procedure_date       date,
    completed_date       date,
    notes                text CHECK (length(notes) <= 10000),
    created_at           timestamptz NOT NULL DEFAULT now(),
    created_by           uuid NOT NULL,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    updated_by           uuid NOT NULL,
    deleted_at           timestamptz,
    sync_seq             bigint NOT NULL DEFAULT 0,
    field_hlc            jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, doctor_id) REFERENCES doctors (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, observation_id) REFERENCES dental_observations (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, appointment_id) REFERENCES appointments (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, prescription_id) REFERENCES prescriptions (tenant_id, id) DEFERRABLE,
    CHECK (completed_date IS NULL OR status = 'completed')
);
CREATE INDEX dental_procedures_patient_idx ON dental_procedures (tenant_id, patient_id);

CREATE TABLE dental_observation_templates (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    id             uuid NOT NULL,
    -- An empty (NULL) matcher matches anything.
    condition_type text CHECK (condition_type IN (
                       'caries', 'fracture', 'missing', 'filling', 'crown', 'root_canal', 'abscess',
                       'mobility', 'gingivitis', 'calculus', 'impacted', 'sensitivity',
                       'discoloration', 'other')),
    tooth_surface  text CHECK (tooth_surface IN ('occlusal', 'mesial', 'distal', 'buccal', 'lingual',
                                                 'palatal', 'incisal', 'multiple')),
    severity       text CHECK (severity IN ('mild', 'moderate', 'severe')),
    template_text  text NOT NULL CHECK (length(template_text) BETWEEN 1 AND 2000),
    owner_doctor_id uuid,
    display_order  integer NOT NULL DEFAULT 0,
    usage_count    bigint NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    created_by     uuid NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    updated_by     uuid NOT NULL,
    deleted_at     timestamptz,
    sync_seq       bigint NOT NULL DEFAULT 0,
    field_hlc      jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, owner_doctor_id) REFERENCES doctors (tenant_id, id) DEFERRABLE
);

CREATE TABLE case_studies (
    tenant_id          uuid NOT NULL REFERENCES tenants (id),
    id                 uuid NOT NULL,
    patient_id         uuid NOT NULL,
    doctor_id          uuid NOT NULL,
    title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    chief_complaint    text CHECK (length(chief_complaint) <= 2000),
    observation_ids    uuid[] NOT NULL DEFAULT '{}',
    procedure_ids      uuid[] NOT NULL DEFAULT '{}',
    pre_treatment      text CHECK (length(pre_treatment) <= 20000),
    treatment_summary  text CHECK (length(treatment_summary) <= 20000),
    outcome            text CHECK (length(outcome) <= 20000),
    narrative          text CHECK (length(narrative) <= 50000),
    status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'finalized', 'archived')),
    finalized_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    created_by         uuid NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    updated_by         uuid NOT NULL,
    deleted_at         timestamptz,
    sync_seq           bigint NOT NULL DEFAULT 0,
    field_hlc          jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, doctor_id) REFERENCES doctors (tenant_id, id) DEFERRABLE
);
CREATE INDEX case_studies_patient_idx ON case_studies (tenant_id, patient_id);

CREATE TABLE dental_attachments (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    patient_id      uuid NOT NULL,
    observation_id  uuid,
    procedure_id    uuid,
    case_study_id   uuid,
    kind            text NOT NULL CHECK (kind IN ('xray', 'photo_before', 'photo_after', 'test_result',
                                                  'document', 'other')),
    file_name       text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    mime_type       text NOT NULL CHECK (mime_type IN ('application/pdf', 'image/jpeg', 'image/png',
                                                       'application/dicom')),
    size_bytes      bigint NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
    -- Bytes are stored by content hash and moved separately from this row.
    sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    caption         text CHECK (length(caption) <= 500),
    taken_at        timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      uuid NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      uuid NOT NULL,
    deleted_at      timestamptz,
    sync_seq        bigint NOT NULL DEFAULT 0,
    field_hlc       jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, observation_id) REFERENCES dental_observations (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, procedure_id) REFERENCES dental_procedures (tenant_id, id) DEFERRABLE,
    FOREIGN KEY (tenant_id, case_study_id) REFERENCES case_studies (tenant_id, id) DEFERRABLE,
    -- Belongs to exactly one observation, procedure or case study.
    CHECK (num_nonnulls(observation_id, procedure_id, case_study_id) = 1)
);
CREATE INDEX dental_attachments_patient_idx ON dental_attachments (tenant_id, patient_id);

-- Who viewed, printed or exported what (changes are in change_log).
-- Append-only: the application role may insert and read, never change.
CREATE TABLE audit_events (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    user_id      uuid NOT NULL,
    device_id    uuid,
    action       text NOT NULL CHECK (action IN ('view', 'print', 'export', 'sign_in', 'sign_out')),
    entity_table text NOT NULL CHECK (length(entity_table) BETWEEN 1 AND 63),
    entity_id    uuid,
    details      jsonb NOT NULL DEFAULT '{}'::jsonb,
    occurred_at  timestamptz NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_events_entity_idx ON audit_events (tenant_id, entity_table, entity_id);

-- Issued prescriptions are immutable: once past draft/active only the
-- status, print bookkeeping and sync bookkeeping may change.
CREATE FUNCTION prescriptions_guard_issued() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status NOT IN ('draft', 'active') AND (
           NEW.patient_id, NEW.doctor_id, NEW.appointment_id, NEW.visit_date, NEW.chief_complaint,
           NEW.diagnosis, NEW.symptoms, NEW.clinical_notes, NEW.general_instructions,
           NEW.prescription_number, NEW.valid_until, NEW.deleted_at)
       IS DISTINCT FROM (
           OLD.patient_id, OLD.doctor_id, OLD.appointment_id, OLD.visit_date, OLD.chief_complaint,
           OLD.diagnosis, OLD.symptoms, OLD.clinical_notes, OLD.general_instructions,
           OLD.prescription_number, OLD.valid_until, OLD.deleted_at) THEN
        RAISE EXCEPTION 'prescription % is % and cannot be changed', OLD.prescription_number, OLD.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'prescriptions_issued_immutable';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER prescriptions_guard_issued BEFORE UPDATE ON prescriptions
    FOR EACH ROW EXECUTE FUNCTION prescriptions_guard_issued();

CREATE FUNCTION prescription_items_guard_issued() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    parent_status text;
BEGIN
    SELECT status INTO parent_status FROM prescriptions
     WHERE tenant_id = NEW.tenant_id AND id = NEW.prescription_id;
    IF parent_status IS NOT NULL AND parent_status NOT IN ('draft', 'active') THEN
        RAISE EXCEPTION 'items of a % prescription cannot be changed', parent_status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'prescriptions_issued_immutable';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER prescription_items_guard_issued BEFORE INSERT OR UPDATE ON prescription_items
    FOR EACH ROW EXECUTE FUNCTION prescription_items_guard_issued();
