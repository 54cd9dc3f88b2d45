-- Version 11: reports read issued prescriptions by visit day across every
-- doctor (top diagnoses and medicines of a range).
CREATE INDEX prescriptions_visit_idx ON prescriptions (visit_date);
