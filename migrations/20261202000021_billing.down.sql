DROP FUNCTION IF EXISTS invoices_guard_issued CASCADE;
DROP TABLE payments;
DROP TABLE invoices;
