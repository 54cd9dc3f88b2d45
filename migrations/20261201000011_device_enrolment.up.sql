-- IT enrols a PC with a one-time code an admin made: the PC joins the
-- clinic before anyone signs in on it, so a device may have no user yet.
ALTER TABLE devices ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE devices ADD COLUMN enrolled_at timestamptz;

-- Only the SHA-256 of a code's secret is kept; a code works once, for
-- seven days.
CREATE TABLE device_enrolments (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    id             uuid NOT NULL,
    secret_hash    bytea NOT NULL CHECK (octet_length(secret_hash) = 32),
    name           text CHECK (length(name) BETWEEN 1 AND 120),
    created_by     uuid NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    used_at        timestamptz,
    used_by_device uuid,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, secret_hash),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id),
    CHECK (expires_at > created_at),
    CHECK ((used_at IS NULL) = (used_by_device IS NULL))
);

ALTER TABLE device_enrolments ENABLE ROW LEVEL SECURITY;
ALTER TABLE device_enrolments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON device_enrolments
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
GRANT SELECT, INSERT, UPDATE ON device_enrolments TO clinic_app;
