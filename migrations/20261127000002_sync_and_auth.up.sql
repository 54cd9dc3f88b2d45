-- Sync bookkeeping and authentication state, all per tenant.

-- One row per tenant: the change counter. A sync apply takes the next
-- numbers from it under its row lock, so per tenant the change sequence is
-- gapless and commit order equals sequence order (a pull cursor can never
-- skip a change). last_hash is the head of the change log's hash chain.
CREATE TABLE tenant_sync_state (
    tenant_id  uuid PRIMARY KEY REFERENCES tenants (id),
    last_seq   bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    last_hash  bytea NOT NULL DEFAULT '\x'::bytea,
    -- Tombstones with sync_seq at or below this have been purged; a device
    -- whose cursor is older must resync from a snapshot.
    purged_through_seq bigint NOT NULL DEFAULT 0 CHECK (purged_through_seq >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Installations of the desktop app (clinic PCs).
CREATE TABLE devices (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    user_id         uuid NOT NULL,
    name            text CHECK (length(name) <= 120),
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    -- Highest change sequence this device has pulled (tombstone GC horizon).
    last_pulled_seq bigint NOT NULL DEFAULT 0 CHECK (last_pulled_seq >= 0),
    revoked_at      timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);

-- Append-only change log: the pull source and the audit trail of changes.
-- hash = sha256(prev_hash || canonical entry), chained per tenant.
CREATE TABLE change_log (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    seq         bigint NOT NULL CHECK (seq > 0),
    table_name  text NOT NULL CHECK (length(table_name) BETWEEN 1 AND 63),
    row_id      uuid NOT NULL,
    op          text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    -- Only the changed fields, with their HLC timestamps.
    changes     jsonb NOT NULL CHECK (jsonb_typeof(changes) = 'object'),
    hlc         text NOT NULL CHECK (length(hlc) BETWEEN 1 AND 64),
    user_id     uuid NOT NULL,
    device_id   uuid,
    batch_seq   bigint,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    prev_hash   bytea NOT NULL,
    hash        bytea NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX change_log_row_idx ON change_log (tenant_id, table_name, row_id);

-- Idempotent pushes: the highest batch applied per device, and the result
-- returned for it so a retried batch gets the same answer.
CREATE TABLE applied_batches (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    device_id      uuid NOT NULL,
    last_batch_seq bigint NOT NULL CHECK (last_batch_seq >= 0),
    last_result    jsonb NOT NULL DEFAULT '{}'::jsonb,
    applied_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, device_id),
    FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id)
);

-- Losing values of field-level last-writer-wins, for a person to review.
CREATE TABLE sync_conflicts (
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    id               uuid NOT NULL,
    table_name       text NOT NULL CHECK (length(table_name) BETWEEN 1 AND 63),
    row_id           uuid NOT NULL,
    field            text NOT NULL CHECK (length(field) BETWEEN 1 AND 63),
    winning_value    jsonb,
    winning_hlc      text NOT NULL,
    losing_value     jsonb,
    losing_hlc       text NOT NULL,
    losing_user_id   uuid NOT NULL,
    losing_device_id uuid,
    detected_at      timestamptz NOT NULL DEFAULT now(),
    resolved_at      timestamptz,
    resolved_by      uuid,
    resolution       text CHECK (resolution IN ('kept_winner', 'restored_loser')),
    PRIMARY KEY (tenant_id, id),
    CHECK ((resolved_at IS NULL) = (resolution IS NULL))
);
CREATE INDEX sync_conflicts_open_idx ON sync_conflicts (tenant_id, detected_at) WHERE resolved_at IS NULL;

-- Rotating refresh tokens. Only a SHA-256 of the secret is stored. Tokens of
-- one sign-in form a family: presenting an already-used token revokes the
-- whole family (it was stolen or replayed).
CREATE TABLE refresh_tokens (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    family_id   uuid NOT NULL,
    user_id     uuid NOT NULL,
    device_id   uuid NOT NULL,
    token_hash  bytea NOT NULL CHECK (length(token_hash) = 32),
    issued_at   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id)
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (tenant_id, family_id);
CREATE INDEX refresh_tokens_device_idx ON refresh_tokens (tenant_id, user_id, device_id) WHERE revoked_at IS NULL;

-- Sign-in attempts, for lockout (5 failures in 15 minutes) and audit.
CREATE TABLE login_attempts (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    email        text NOT NULL CHECK (length(email) <= 254),
    user_id      uuid,
    device_id    uuid,
    succeeded    boolean NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX login_attempts_user_time_idx ON login_attempts (tenant_id, user_id, attempted_at DESC);
