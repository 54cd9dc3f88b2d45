-- Version 9: a doctor's days off and leave, pulled like the weekly hours
-- (JSON [{from, to, reason}]); NULL on rows pulled before reads as none.
ALTER TABLE doctors ADD COLUMN time_off TEXT;
