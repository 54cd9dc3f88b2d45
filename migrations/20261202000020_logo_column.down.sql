REVOKE UPDATE (logo, logo_fingerprint) ON tenants FROM clinic_app;
UPDATE tenants SET settings = settings || jsonb_build_object('logo', logo) WHERE logo IS NOT NULL;
ALTER TABLE tenants DROP COLUMN logo_fingerprint, DROP COLUMN logo;
