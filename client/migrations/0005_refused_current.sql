-- Version 5: a refused change of a row the server has keeps the server's
-- values of those fields (with their clocks), put back when the user
-- discards the change.
ALTER TABLE refused_ops ADD COLUMN current TEXT;
