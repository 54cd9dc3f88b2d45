-- Version 1 of the PC store: one SQLite database per clinic.
-- Data tables mirror the synced tables (domain::sync::TABLES) without
-- tenant_id: the whole file belongs to one clinic. Values are stored as
-- they travel: text, integers (booleans 0/1) and JSON text.
-- This file is frozen: change the schema with a new migration.

CREATE TABLE users (
    id          TEXT PRIMARY KEY NOT NULL,
    email TEXT,
    full_name TEXT,
    role TEXT,
    is_active INTEGER,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    -- per-field hybrid logical clocks of the values held here
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE doctors (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id TEXT,
    licence_number TEXT,
    specialization TEXT,
    qualification TEXT,
    experience_years INTEGER,
    consultation_fee_minor INTEGER,
    consultation_minutes INTEGER,
    offices TEXT,
    availability TEXT,
    is_active INTEGER,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    -- per-field hybrid logical clocks of the values held here
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE patients (
    id          TEXT PRIMARY KEY NOT NULL,
    mobile_number TEXT,
    first_name TEXT,
    last_name TEXT,
    date_of_birth TEXT,
    gender TEXT,
    relationship TEXT,
    email TEXT,
    address TEXT,
    emergency_contact TEXT,
    allergies TEXT,
    blood_group TEXT,
    notes TEXT,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    -- per-field hybrid logical clocks of the values held here
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE medicines (
    id          TEXT PRIMARY KEY NOT NULL,
    name TEXT,
    generic_name TEXT,
    composition TEXT,
    manufacturer TEXT,
    dosage_forms TEXT,
    strength TEXT,
    category TEXT,
    price_minor INTEGER,
    prescription_required INTEGER,
    atc_code TEXT,
    contraindications TEXT,
    side_effects TEXT,
    is_active INTEGER,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    -- per-field hybrid logical clocks of the values held here
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE short_keys (
    id          TEXT PRIMARY KEY NOT NULL,
    code TEXT,
    name TEXT,
    description TEXT,
    owner_doctor_id TEXT,
    usage_count INTEGER,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    -- per-field hybrid logical clocks of the values held here
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE short_key_medicines (
    id          TEXT PRIMARY KEY NOT NULL,
    short_key_id TEXT,
    medicine_id TEXT,
    default_dosage TEXT,
    default_frequency TEXT,
    default_duration TEXT,
    default_instructions TEXT,
    sort_order INTEGER,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    -- per-field hybrid logical clocks of the values held here
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE appointments (
    id          TEXT PRIMARY KEY NOT NULL,
    appointment_number TEXT,
    patient_id TEXT,
    doctor_id TEXT,
    office_id TEXT,
    appointment_date TEXT,
    appointment_time TEXT,
    duration_minutes INTEGER,
    appointment_type TEXT,
    reason TEXT,
    status TEXT,
    queue_number INTEGER,
    checked_in_at TEXT,
    notes TEXT,
    cancellation_reason TEXT,
    rescheduled_from_id TEXT,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    -- per-field hybrid logical clocks of the values held here
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE print_layouts (
    id          TEXT PRIMARY KEY NOT NULL,
    doctor_id TEXT,
    office_id TEXT,
    name TEXT,
    preset TEXT,
    paper TEXT,
    orientation TEXT,
    margins_mm TEXT,
    options TEXT,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    -- per-field hybrid logical clocks of the values held here
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE prescriptions (
    id          TEXT PRIMARY KEY NOT NULL,
    prescription_number TEXT,
    patient_id TEXT,
    doctor_id TEXT,
    appointment_id TEXT,
    office_id TEXT,
    visit_date TEXT,
    chief_complaint TEXT,
    diagnosis TEXT,
    symptoms TEXT,
    clinical_notes TEXT,
    general_instructions TEXT,
    follow_up_date TEXT,
    status TEXT,
    valid_until TEXT,
    issued_at TEXT,
    printed_at TEXT,
    print_layout_id TEXT,
    amends_prescription_id TEXT,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    -- per-field hybrid logical clocks of the values held here
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE prescription_items (
    id          TEXT PRIMARY KEY NOT NULL,
    prescription_id TEXT,
    medicine_id TEXT,
    medicine_name TEXT,
    dosage TEXT,
    frequency TEXT,
    duration TEXT,
    instructions TEXT,
    quantity INTEGER,
    unit_price_minor INTEGER,
    total_minor INTEGER,
    generic_substitution_allowed INTEGER,
    sort_order INTEGER,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    -- per-field hybrid logical clocks of the values held here
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE dental_observations (
    id          TEXT PRIMARY KEY NOT NULL,
    patient_id TEXT,
    doctor_id TEXT,
    appointment_id TEXT,
    prescription_id TEXT,
    tooth_number INTEGER,
    tooth_surface TEXT,
    condition_type TEXT,
    severity TEXT,
    observation_notes TEXT,
    treatment_required INTEGER,
    treatment_done INTEGER,
    treatment_date TEXT,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    -- per-field hybrid logical clocks of the values held here
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE dental_procedures (
    id          TEXT PRIMARY KEY NOT NULL,
    patient_id TEXT,
    doctor_id TEXT,
    observation_id TEXT,
    appointment_id TEXT,
    prescription_id TEXT,
    procedure_code TEXT,
    procedure_name TEXT,
    tooth_numbers TEXT,
    description TEXT,
    estimated_cost_minor INTEGER,
    actual_cost_minor INTEGER,
    duration_minutes INTEGER,
    status TEXT,
    procedure_date TEXT,
    completed_date TEXT,
    notes TEXT,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    -- per-field hybrid logical clocks of the values held here
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE dental_observation_templates (
    id          TEXT PRIMARY KEY NOT NULL,
    condition_type TEXT,
    tooth_surface TEXT,
    severity TEXT,
    template_text TEXT,
    owner_doctor_id TEXT,
    display_order INTEGER,
    usage_count INTEGER,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    -- per-field hybrid logical clocks of the values held here
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE case_studies (
    id          TEXT PRIMARY KEY NOT NULL,
    patient_id TEXT,
    doctor_id TEXT,
    title TEXT,
    chief_complaint TEXT,
    observation_ids TEXT,
    procedure_ids TEXT,
    pre_treatment TEXT,
    treatment_summary TEXT,
    outcome TEXT,
    narrative TEXT,
    status TEXT,
    finalized_at TEXT,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    -- per-field hybrid logical clocks of the values held here
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE TABLE dental_attachments (
    id          TEXT PRIMARY KEY NOT NULL,
    patient_id TEXT,
    observation_id TEXT,
    procedure_id TEXT,
    case_study_id TEXT,
    kind TEXT,
    file_name TEXT,
    mime_type TEXT,
    size_bytes INTEGER,
    sha256 TEXT,
    caption TEXT,
    taken_at TEXT,
    created_at  TEXT,
    created_by  TEXT,
    updated_at  TEXT,
    updated_by  TEXT,
    deleted_at  TEXT,
    -- per-field hybrid logical clocks of the values held here
    field_hlc   TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX patients_mobile_idx ON patients (mobile_number, first_name);
CREATE INDEX patients_name_idx ON patients (first_name COLLATE NOCASE, last_name COLLATE NOCASE);
CREATE INDEX appointments_doctor_date_idx ON appointments (doctor_id, appointment_date);
CREATE INDEX prescriptions_doctor_visit_idx ON prescriptions (doctor_id, visit_date);

-- Sync bookkeeping.
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- Local writes not yet acknowledged by the server, oldest first. A row
-- gets its batch_seq when first sent, so a retry resends the same batch.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id      TEXT NOT NULL UNIQUE,
    table_name TEXT NOT NULL,
    row_id     TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('insert', 'update', 'delete')),
    fields     TEXT NOT NULL,
    hlc        TEXT NOT NULL,
    created_at TEXT NOT NULL,
    batch_seq  INTEGER
) STRICT;
CREATE INDEX outbox_batch_idx ON outbox (batch_seq);

-- Writes the server refused: shown to the user to fix or discard.
CREATE TABLE refused_ops (
    op_id      TEXT PRIMARY KEY NOT NULL,
    table_name TEXT NOT NULL,
    row_id     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    fields     TEXT NOT NULL,
    hlc        TEXT NOT NULL,
    refusal    TEXT NOT NULL,
    message    TEXT NOT NULL,
    refused_at TEXT NOT NULL
) STRICT;

-- Values of this PC that lost to newer writes elsewhere, for review.
CREATE TABLE conflicts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id       TEXT NOT NULL,
    table_name  TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    field       TEXT NOT NULL,
    lost_value  TEXT,
    detected_at TEXT NOT NULL,
    reviewed_at TEXT
) STRICT;
