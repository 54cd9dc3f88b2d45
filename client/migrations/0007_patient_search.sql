-- Version 7: patient search by any part of a name or mobile number through
-- an FTS5 trigram index, kept by triggers: a search reads the matching
-- rows only, instead of walking every patient for a `LIKE '%q%'`.
-- Contentless (the names live in `patients`), keyed by the patient's rowid.
CREATE VIRTUAL TABLE patient_search USING fts5(
    name, mobile, content = '', contentless_delete = 1, tokenize = 'trigram'
);
INSERT INTO patient_search (rowid, name, mobile)
SELECT rowid, coalesce(first_name, '') || ' ' || coalesce(last_name, ''), coalesce(mobile_number, '')
  FROM patients;

CREATE TRIGGER patient_search_insert AFTER INSERT ON patients BEGIN
    INSERT INTO patient_search (rowid, name, mobile)
    VALUES (new.rowid, coalesce(new.first_name, '') || ' ' || coalesce(new.last_name, ''),
            coalesce(new.mobile_number, ''));
END;

CREATE TRIGGER patient_search_update AFTER UPDATE OF first_name, last_name, mobile_number ON patients BEGIN
    DELETE FROM patient_search WHERE rowid = old.rowid;
    INSERT INTO patient_search (rowid, name, mobile)
    VALUES (new.rowid, coalesce(new.first_name, '') || ' ' || coalesce(new.last_name, ''),
            coalesce(new.mobile_number, ''));
END;

CREATE TRIGGER patient_search_delete AFTER DELETE ON patients BEGIN
    DELETE FROM patient_search WHERE rowid = old.rowid;
END;
