ALTER TABLE prescriptions RESET (fillfactor);
ALTER TABLE appointments RESET (fillfactor);
ALTER TABLE patients RESET (fillfactor);
