DROP INDEX prescriptions_expiry_idx;
