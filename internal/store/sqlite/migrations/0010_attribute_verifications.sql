-- 0007: pending attribute verification codes (UpdateUserAttributes,
-- GetUserAttributeVerificationCode, VerifyUserAttribute), kept with the
-- user as a JSON list: the code's hash, its expiry, the wrong attempts and
-- the value waiting for verification.

ALTER TABLE users ADD COLUMN attribute_verifications TEXT NOT NULL DEFAULT '[]';
