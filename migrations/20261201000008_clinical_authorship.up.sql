-- Clinical records are written in the name of the signed-in doctor only.
-- The server sets `app.current_doctor_id` in every push transaction to the
-- caller's active doctor row ('none' for a caller who is not one); it is
-- empty for the server's own writes, which these guards leave alone.
CREATE FUNCTION guard_clinical_author() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    acting text := coalesce(current_setting('app.current_doctor_id', true), '');
    record_name text := TG_ARGV[0];
    author uuid;
    previous uuid;
BEGIN
    IF acting = '' THEN
        RETURN NEW;
    END IF;
    IF acting = 'none' THEN
        RAISE EXCEPTION 'only an active doctor can write a %', record_name
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_TABLE_NAME = 'prescription_items' THEN
        SELECT doctor_id INTO author FROM prescriptions WHERE id = NEW.prescription_id;
        IF TG_OP = 'UPDATE' THEN
            SELECT doctor_id INTO previous FROM prescriptions WHERE id = OLD.prescription_id;
        END IF;
    ELSIF TG_TABLE_NAME = 'dental_attachments' THEN
        author := coalesce(
            (SELECT doctor_id FROM dental_observations WHERE id = NEW.observation_id),
            (SELECT doctor_id FROM dental_procedures WHERE id = NEW.procedure_id),
            (SELECT doctor_id FROM case_studies WHERE id = NEW.case_study_id));
    ELSE
        author := NEW.doctor_id;
        IF TG_OP = 'UPDATE' THEN
            previous := OLD.doctor_id;
        END IF;
    END IF;
    -- A parent that does not exist is the foreign key's refusal, not ours.
    IF (author IS NOT NULL AND author::text <> acting)
       OR (previous IS NOT NULL AND previous::text <> acting) THEN
        RAISE EXCEPTION 'only the doctor who wrote this % can change it', record_name
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Nested: PL/pgSQL evaluates a whole condition, and other tables'
    -- rows have no amends_prescription_id.
    IF TG_TABLE_NAME = 'prescriptions' AND TG_OP = 'INSERT' THEN
        SELECT doctor_id INTO previous FROM prescriptions WHERE id = NEW.amends_prescription_id;
        IF previous IS NOT NULL AND previous::text <> acting THEN
            RAISE EXCEPTION 'only the doctor who wrote a prescription can amend it'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER prescriptions_author BEFORE INSERT OR UPDATE ON prescriptions
    FOR EACH ROW EXECUTE FUNCTION guard_clinical_author('prescription');
CREATE TRIGGER prescription_items_author BEFORE INSERT OR UPDATE ON prescription_items
    FOR EACH ROW EXECUTE FUNCTION guard_clinical_author('prescription');
CREATE TRIGGER dental_observations_author BEFORE INSERT OR UPDATE ON dental_observations
    FOR EACH ROW EXECUTE FUNCTION guard_clinical_author('dental observation');
CREATE TRIGGER dental_procedures_author BEFORE INSERT OR UPDATE ON dental_procedures
    FOR EACH ROW EXECUTE FUNCTION guard_clinical_author('dental procedure');
CREATE TRIGGER case_studies_author BEFORE INSERT OR UPDATE ON case_studies
    FOR EACH ROW EXECUTE FUNCTION guard_clinical_author('case study');
CREATE TRIGGER dental_attachments_author BEFORE INSERT OR UPDATE ON dental_attachments
    FOR EACH ROW EXECUTE FUNCTION guard_clinical_author('dental attachment');

-- The status machine holds from the first write: a prescription starts as
-- a draft or active, never already dispensed or completed.
CREATE FUNCTION prescriptions_guard_initial_status() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status NOT IN ('draft', 'active') THEN
        RAISE EXCEPTION 'a new prescription is draft or active, not %', NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'prescriptions_status_transition';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER prescriptions_guard_initial_status BEFORE INSERT ON prescriptions
    FOR EACH ROW EXECUTE FUNCTION prescriptions_guard_initial_status();

-- Foreign-key checks do not see row-level security: a medicine id is
-- accepted only when the clinic can see it (a global medicine or its own),
-- refused exactly like an id that exists nowhere.
CREATE FUNCTION guard_visible_medicine() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.medicine_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM medicines WHERE id = NEW.medicine_id) THEN
        RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"',
                TG_TABLE_NAME, TG_TABLE_NAME || '_medicine_id_fkey'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_TABLE_NAME || '_medicine_id_fkey';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER prescription_items_visible_medicine BEFORE INSERT OR UPDATE OF medicine_id ON prescription_items
    FOR EACH ROW EXECUTE FUNCTION guard_visible_medicine();
CREATE TRIGGER short_key_medicines_visible_medicine BEFORE INSERT OR UPDATE OF medicine_id ON short_key_medicines
    FOR EACH ROW EXECUTE FUNCTION guard_visible_medicine();

-- Front-desk roles archive patients and appointments (reversible); only
-- an admin deletes them.
ALTER TABLE patients ADD COLUMN archived_at timestamptz;
ALTER TABLE appointments ADD COLUMN archived_at timestamptz;
