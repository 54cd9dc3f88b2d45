-- The clinic's logo (a data: URL of up to 1 MB of image) moves out of the
-- settings JSON into its own column: every read of the settings (limits,
-- sign-in, the PCs' minute-by-minute plan refresh) would otherwise read
-- and send it. The fingerprint tells a PC whether its copy is current
-- without fetching the image.
ALTER TABLE tenants
    ADD COLUMN logo text CONSTRAINT tenants_logo_size CHECK (octet_length(logo) <= 1500000),
    ADD COLUMN logo_fingerprint text;
UPDATE tenants
   SET logo = settings->>'logo',
       logo_fingerprint = left(md5(settings->>'logo'), 16),
       settings = settings - 'logo'
 WHERE settings ? 'logo';
GRANT UPDATE (logo, logo_fingerprint) ON tenants TO clinic_app;
