DROP TABLE device_enrolments;
ALTER TABLE devices DROP COLUMN enrolled_at;
-- Devices enrolled before anyone signed in on them have no user: they go.
DELETE FROM applied_batches a WHERE EXISTS
    (SELECT 1 FROM devices d WHERE d.tenant_id = a.tenant_id AND d.id = a.device_id AND d.user_id IS NULL);
DELETE FROM devices WHERE user_id IS NULL;
ALTER TABLE devices ALTER COLUMN user_id SET NOT NULL;
