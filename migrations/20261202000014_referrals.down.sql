DELETE FROM audit_events WHERE action = 'import';
ALTER TABLE audit_events DROP CONSTRAINT audit_events_action_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_action_check
    CHECK (action IN ('view', 'print', 'export', 'sign_in', 'sign_out'));

DROP TABLE referral_records;
