ALTER TABLE devices
    DROP COLUMN revoked_by,
    DROP COLUMN pending_changes,
    DROP COLUMN app_version;
