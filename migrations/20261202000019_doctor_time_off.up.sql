-- A doctor's days off and leave: [{from, to, reason}] date ranges on which
-- booking offers no free time. Synced to PCs like the weekly hours, and
-- like them written only by the server (PATCH /doctors/{id}).
ALTER TABLE doctors
    ADD COLUMN time_off jsonb NOT NULL DEFAULT '[]'::jsonb
        CONSTRAINT doctors_time_off_is_array CHECK (jsonb_typeof(time_off) = 'array');
