DROP TRIGGER IF EXISTS invoices_one_per_visit ON invoices;
DROP FUNCTION IF EXISTS invoices_one_per_visit();
DROP INDEX IF EXISTS invoices_visit_idx;
