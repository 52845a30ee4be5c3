package cognito

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/big"
)

// A password is stored twice, for the two ways a user proves it:
//   - the argon2id hash (User.PasswordHash), for USER_PASSWORD_AUTH,
//     ADMIN_USER_PASSWORD_AUTH and the hosted login page;
//   - the SRP salt and verifier v = g^x (User.SRPVerifier), for
//     USER_SRP_AUTH. v cannot be computed from the argon2id hash, and x is a
//     fast hash of the password, so v is a password equivalent: it is
//     sealed at rest like every other secret.
//
// Both come from one function, DerivePassword, wherever a password is set.

// UserPassword is what cognitod stores for a password being set. Derive
// it with DerivePassword before the transaction (it is slow), store it
// with Set inside.
type UserPassword struct {
	hash        string
	srpVerifier []byte
	sub         string
}

// srpVerifierRecord is a sealed User.SRPVerifier in the clear.
type srpVerifierRecord struct {
	Salt     []byte `json:"s"`
	Verifier []byte `json:"v"`
}

func srpVerifierPurpose(poolID, sub string) string { return "srp-verifier:" + poolID + "/" + sub }

// DerivePassword is THE function that turns a password being set for a
// user into what is stored: the argon2id hash and the sealed SRP verifier.
// Every operation that sets a password (SignUp, AdminCreateUser and its
// invitation resend, AdminSetUserPassword, the NEW_PASSWORD_REQUIRED
// answer, and ChangePassword, ConfirmForgotPassword, AdminResetUserPassword
// as they come) must call it and then Set the result on the user, so that
// the two stay the same password. username is the user's Username (the
// SRP identity Cognito calls USER_ID_FOR_SRP), sub their sub; neither
// changes over a user's life.
func (s *Service) DerivePassword(ctx context.Context, poolID, username, sub, password string) (UserPassword, error) {
	hash, err := hashPassword(ctx, password)
	if err != nil {
		return UserPassword{}, err
	}
	v, err := s.sealedSRPVerifier(ctx, poolID, username, sub, password)
	if err != nil {
		return UserPassword{}, err
	}
	return UserPassword{hash: hash, srpVerifier: v, sub: sub}, nil
}

// Set stores p on u. It refuses a derivation made for another user (the
// name now belongs to someone else), whose verifier would not open.
func (p UserPassword) Set(u *User) error {
	if p.sub != u.Sub || p.hash == "" {
		return ErrConcurrentModif.WithMessage(msgPasswordUserChanged)
	}
	u.PasswordHash, u.SRPVerifier = p.hash, p.srpVerifier
	return nil
}

// sealedSRPVerifier derives a fresh salt and verifier for a password and
// seals them for the user, within the bound on concurrent password work.
func (s *Service) sealedSRPVerifier(ctx context.Context, poolID, username, sub, password string) ([]byte, error) {
	if err := acquireHashSlot(ctx); err != nil {
		return nil, asError(err)
	}
	defer releaseHashSlot()
	salt := newSRPSalt()
	v := srpVerifier(salt, poolNameOf(poolID), username, password)
	b, _ := json.Marshal(srpVerifierRecord{Salt: salt, Verifier: v.Bytes()})
	return s.sealer.Seal(srpVerifierPurpose(poolID, sub), b), nil
}

// openSRPVerifier opens a user's verifier; ok is false for a user who has
// none yet (created before SRP, and not signed in with a password since).
func (s *Service) openSRPVerifier(u *User) (salt []byte, v *big.Int, ok bool) {
	if len(u.SRPVerifier) == 0 {
		return nil, nil, false
	}
	b, err := s.sealer.Open(srpVerifierPurpose(u.UserPoolID, u.Sub), u.SRPVerifier)
	if err != nil {
		s.logger.Error("cannot open a user's SRP verifier (wrong master key or corrupted row)", "pool", u.UserPoolID, "sub", u.Sub)
		return nil, nil, false
	}
	var rec srpVerifierRecord
	if json.Unmarshal(b, &rec) != nil || len(rec.Salt) == 0 || len(rec.Verifier) == 0 {
		return nil, nil, false
	}
	return rec.Salt, new(big.Int).SetBytes(rec.Verifier), true
}

// srpFakeSalt is the salt shown for a name that has no verifier (an
// unknown user when existence errors are prevented, or a user from before
// SRP): derived from a server secret, so that asking twice gives the same
// salt, as for a real user.
func (s *Service) srpFakeSalt(poolID, key string) []byte {
	m := hmac.New(sha256.New, s.sealer.srpKey)
	m.Write([]byte("salt\x00" + poolID + "\x00" + key))
	salt := m.Sum(nil)[:srpSaltBytes]
	canonicalSalt(salt)
	return salt
}

// srpFakeUserID is the USER_ID_FOR_SRP shown for an unknown name in a pool
// whose users are named by their sub: a stable UUID-shaped value.
func (s *Service) srpFakeUserID(poolID, key string) string {
	m := hmac.New(sha256.New, s.sealer.srpKey)
	m.Write([]byte("user\x00" + poolID + "\x00" + key))
	b := m.Sum(nil)[:16]
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return formatUUID(b)
}

func formatUUID(u []byte) string {
	h := hex.EncodeToString(u)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
