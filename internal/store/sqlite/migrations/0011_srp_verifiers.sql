-- 0007: each user's SRP salt and verifier, sealed by the domain (a
-- verifier is a fast-hash password equivalent). NULL for users created
-- before SRP, until their next password sign-in stores one.

ALTER TABLE users ADD COLUMN srp_verifier BLOB;
