-- The change log was indexed by row (tenant, table, row id) for one reader
-- only: the conflict review, which finds the write a conflict kept by its
-- row and its HLC. Row ids are random, so every logged change landed on a
-- random page of that index: at a million entries it cost a push about as
-- much again as the rest of writing the log. The HLC begins with the
-- writing PC's clock, so one PC's changes land next to each other in an
-- index on it, and the review's look-up (one HLC, then its row) is served
-- as well.
DROP INDEX change_log_row_idx;
CREATE INDEX change_log_hlc_idx ON change_log (tenant_id, hlc);
