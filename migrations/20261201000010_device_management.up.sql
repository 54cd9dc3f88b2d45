-- What an admin sees of each clinic PC: the app version and the unsynced
-- changes it last reported, and who removed it and when.
ALTER TABLE devices
    ADD COLUMN app_version text CHECK (length(app_version) BETWEEN 1 AND 40),
    ADD COLUMN pending_changes integer CHECK (pending_changes >= 0),
    ADD COLUMN revoked_by uuid;
