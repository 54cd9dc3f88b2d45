DROP INDEX change_log_hlc_idx;
CREATE INDEX change_log_row_idx ON change_log (tenant_id, table_name, row_id);
