DROP FUNCTION IF EXISTS clinic_codes_for_email(text);
