-- Offline sign-in keeps the server's rule: five wrong passwords and the
-- account waits 15 minutes on this PC.
ALTER TABLE local_users ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE local_users ADD COLUMN locked_until TEXT;
