-- Version 12: a batch of the outbox is a range of its entries, noted once
-- in `outbox_batches`, instead of a number written on each entry. Cutting
-- a 2,000-entry batch rewrote 2,000 rows and moved 2,000 index entries,
-- and acknowledging it looked each of them up again by that number: most
-- of what a PC spent on a push. Entries are numbered in the order they
-- are written and a batch takes the next ones in line, so a range holds
-- exactly a batch's entries; an entry the server's answer did not name
-- goes back in line at the end. Entries are also no longer indexed by
-- `op_id`: an acknowledgement finds them by range.
--
-- The entries are renumbered, each batch cut and not yet acknowledged
-- first (in batch order, its entries in their order), then those in line:
-- so every open batch is a range, and is sent again exactly as it was cut.
CREATE TABLE outbox_renumbered (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id      TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_id     TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('insert', 'update', 'delete')),
    fields     TEXT NOT NULL,
    hlc        TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

INSERT INTO outbox_renumbered (op_id, table_name, row_id, kind, fields, hlc, created_at)
SELECT op_id, table_name, row_id, kind, fields, hlc, created_at FROM outbox
 ORDER BY batch_seq IS NULL, batch_seq, seq;

CREATE TABLE outbox_batches (
    batch_seq       INTEGER PRIMARY KEY,
    first_seq       INTEGER NOT NULL,
    last_seq        INTEGER NOT NULL CHECK (last_seq >= first_seq),
    attempts        INTEGER NOT NULL,
    last_attempt_at TEXT NOT NULL
) STRICT;

INSERT INTO outbox_batches (batch_seq, first_seq, last_seq, attempts, last_attempt_at)
SELECT o.batch_seq, min(r.seq), max(r.seq), max(o.attempts), max(coalesce(o.last_attempt_at, o.created_at))
  FROM outbox o JOIN outbox_renumbered r ON r.op_id = o.op_id
 WHERE o.batch_seq IS NOT NULL
 GROUP BY o.batch_seq;

DROP TABLE outbox;
ALTER TABLE outbox_renumbered RENAME TO outbox;
CREATE INDEX outbox_row_idx ON outbox (row_id);
