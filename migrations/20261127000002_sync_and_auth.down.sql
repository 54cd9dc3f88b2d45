DROP TABLE IF EXISTS login_attempts, refresh_tokens, sync_conflicts, applied_batches, change_log,
    devices, tenant_sync_state;
