DROP TABLE IF EXISTS audit_events, dental_attachments, case_studies, dental_observation_templates,
    dental_procedures, dental_observations, prescription_items, prescriptions, print_layouts,
    appointments, short_key_medicines, short_keys, medicines, patients, doctors, users, tenants;
DROP FUNCTION IF EXISTS prescription_items_guard_issued();
DROP FUNCTION IF EXISTS prescriptions_guard_issued();
DROP FUNCTION IF EXISTS app_tenant();
-- btree_gist is left installed: other objects of the database may use it.
