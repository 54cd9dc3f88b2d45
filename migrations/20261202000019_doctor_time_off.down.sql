ALTER TABLE doctors DROP COLUMN time_off;
