-- Version 8: the secondary indexes a fresh PC sets aside while its first
-- snapshot loads (built once after, instead of updated row by row). A
-- store that holds rows here lost its load part-way: opening it builds
-- them again.
CREATE TABLE deferred_indexes (
    name TEXT PRIMARY KEY,
    sql  TEXT NOT NULL
) WITHOUT ROWID;
