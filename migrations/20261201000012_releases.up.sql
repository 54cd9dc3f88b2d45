-- Releases of the desktop app, published by the owner (`clinic-server
-- release publish`) and offered to every signed-in PC: global, not per
-- clinic, so no tenant and no RLS; the application role only reads them.
CREATE TABLE releases (
    id           uuid PRIMARY KEY,
    channel      text NOT NULL CHECK (channel ~ '^[a-z0-9-]{1,20}$'),
    version      text NOT NULL CHECK (length(version) BETWEEN 5 AND 40),
    target       text NOT NULL CHECK (target ~ '^[a-z0-9_-]{1,20}$'),
    arch         text NOT NULL CHECK (arch ~ '^[a-z0-9_-]{1,20}$'),
    file_name    text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
    -- The updater's minisign signature (base64), checked by the PC.
    signature    text NOT NULL CHECK (length(signature) BETWEEN 1 AND 2000),
    notes        text NOT NULL DEFAULT '' CHECK (length(notes) <= 10000),
    bundle       bytea NOT NULL CHECK (octet_length(bundle) BETWEEN 1 AND 268435456),
    sha256       bytea NOT NULL CHECK (octet_length(sha256) = 32),
    published_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (channel, target, arch, version)
);
GRANT SELECT ON releases TO clinic_app;
