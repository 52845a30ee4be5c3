package cognito

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"slices"
	"time"
)

// USER_SRP_AUTH: InitiateAuth (or AdminInitiateAuth, or USER_AUTH's
// PASSWORD_SRP) takes USERNAME and SRP_A and answers PASSWORD_VERIFIER
// with SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP and USERNAME; the
// client answers with PASSWORD_CLAIM_SIGNATURE over SECRET_BLOCK and
// TIMESTAMP. The server keeps nothing between the two calls: the
// SECRET_BLOCK is the server's state (the derived key, the user, the
// expiry), sealed so that only this server can read it or make one.

// srpBlock is a SECRET_BLOCK in the clear.
type srpBlock struct {
	Pool   string `json:"p"`
	Client string `json:"c"`
	// Sub is the user the block is for; empty for a name that does not
	// exist (the proof then always fails).
	Sub string `json:"s,omitempty"`
	// UserID is the USER_ID_FOR_SRP the client signs with.
	UserID string `json:"u"`
	// Name is the sign-in key, for the lockouts of unknown names.
	Name string `json:"n"`
	// Key is the derived key K both sides end with.
	Key []byte `json:"k"`
	// Verifier identifies the stored verifier K was derived from: a
	// password set since then makes the proof fail.
	Verifier []byte `json:"v"`
	Nonce    []byte `json:"r"`
	Expires  int64  `json:"e"` // Unix milliseconds
}

const srpBlockPurpose = "srp-secret-block"

// maxSecretBlock bounds PASSWORD_CLAIM_SECRET_BLOCK before it is decoded.
const maxSecretBlock = 4096

func verifierFingerprint(sealed []byte) []byte {
	sum := sha256.Sum256(sealed)
	return sum[:16]
}

// startSRP answers USER_SRP_AUTH for name and SRP_A. An unknown name gets
// a challenge that looks like a real one (a stable salt, a B of the same
// size, computed at the same cost) when the client prevents user-existence
// errors, and UserNotFoundException otherwise. A user from before SRP,
// who has no verifier yet, gets such a challenge too: the proof then fails
// as a wrong password does, until a password sign-in stores a verifier.
// withSession adds a Session (USER_AUTH's PASSWORD_SRP does).
func (s *Service) startSRP(ctx context.Context, pool *UserPool, client *AppClient, name, srpA string, withSession bool) (*AuthOutput, error) {
	A, err := parseSRPA(srpA)
	if err != nil {
		return nil, ErrInvalidParameter.WithMessage(msgInvalidSRPA)
	}
	key := signInKey(pool, name)
	block := srpBlock{Pool: pool.ID, Client: client.ClientID, Name: key, UserID: name, Expires: s.sessionExpiry(client).UnixMilli()}
	var salt []byte
	var v *big.Int
	u, err := s.findUser(ctx, s.store, pool, name)
	switch {
	case errors.Is(err, ErrUserNotFound):
		if client.Settings.PreventUserExistenceErrors != "ENABLED" {
			return nil, ErrUserNotFound
		}
		salt = s.srpFakeSalt(pool.ID, "name:"+key)
		if len(pool.Settings.UsernameAttributes) > 0 {
			block.UserID = s.srpFakeUserID(pool.ID, key)
		}
	case err != nil:
		return nil, err
	default:
		if err := s.preAuthentication(ctx, pool, client.ClientID, u); err != nil { // triggers_auth.go
			return nil, err
		}
		block.Sub, block.UserID = u.Sub, u.Username
		block.Verifier = verifierFingerprint(u.SRPVerifier)
		var ok bool
		if salt, v, ok = s.openSRPVerifier(u); !ok {
			salt = s.srpFakeSalt(pool.ID, "sub:"+u.Sub)
		}
	}
	if v == nil {
		// Any group element will do: B = k*v + g^b hides it, and the key
		// derived from it is one nobody can match.
		raw := make([]byte, len(srpN.Bytes()))
		rand.Read(raw)
		v = new(big.Int).Mod(new(big.Int).SetBytes(raw), srpN)
	}
	if err := acquireHashSlot(ctx); err != nil {
		return nil, asError(err)
	}
	B, K := srpServerStep(A, v)
	releaseHashSlot()
	block.Key = K
	block.Nonce = make([]byte, 16)
	rand.Read(block.Nonce)
	plain, _ := json.Marshal(block)
	secret := base64.StdEncoding.EncodeToString(s.sealer.Seal(srpBlockPurpose, plain))
	out := &AuthOutput{ChallengeName: "PASSWORD_VERIFIER", ChallengeParameters: map[string]string{
		"SALT": srpSaltHex(salt), "SRP_B": srpHex(B), "SECRET_BLOCK": secret,
		"USER_ID_FOR_SRP": block.UserID, "USERNAME": block.UserID,
	}}
	if withSession {
		out.Session = s.sealSession(authSession{Pool: pool.ID, Client: client.ClientID, Sub: block.Sub,
			Expires: s.sessionExpiry(client).Unix(), Challenge: "PASSWORD_VERIFIER", Name: key})
	}
	return out, nil
}

// openSRPBlock decodes and opens PASSWORD_CLAIM_SECRET_BLOCK, returning
// the block and its raw bytes (which the signature covers).
func (s *Service) openSRPBlock(encoded string) (*srpBlock, []byte, bool) {
	if len(encoded) > maxSecretBlock {
		return nil, nil, false
	}
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return nil, nil, false
	}
	plain, err := s.sealer.Open(srpBlockPurpose, raw)
	if err != nil {
		return nil, nil, false
	}
	var b srpBlock
	if json.Unmarshal(plain, &b) != nil || len(b.Key) != 16 || len(b.Nonce) == 0 {
		return nil, nil, false
	}
	return &b, raw, true
}

// respondSRP checks PASSWORD_VERIFIER. The client proves itself
// (SECRET_HASH) first; a proof that fails counts toward the user's
// lockout exactly as a wrong password does, and an unknown name fails and
// locks out like a real one.
func (s *Service) respondSRP(ctx context.Context, pool *UserPool, client *AppClient, r map[string]string) (*AuthOutput, error) {
	if err := requireParams(r, "USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP"); err != nil {
		return nil, err
	}
	wrong := ErrNotAuthorized.WithMessage(msgIncorrectPassword)
	block, raw, ok := s.openSRPBlock(r["PASSWORD_CLAIM_SECRET_BLOCK"])
	if !ok || block.Pool != pool.ID || block.Client != client.ClientID {
		return nil, wrong
	}
	if err := s.checkSecretHash(client, r["SECRET_HASH"], msgSecretHashWrong, r["USERNAME"], block.UserID); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if now.UnixMilli() > block.Expires {
		return nil, ErrNotAuthorized.WithMessage(msgSessionExpired)
	}
	timestamp, ok := canonicalSRPTimestamp(r["TIMESTAMP"])
	if !ok {
		return nil, ErrInvalidParameter.WithMessage(msgSRPTimestamp)
	}
	got, err := base64.StdEncoding.DecodeString(r["PASSWORD_CLAIM_SIGNATURE"])
	want := srpSignature(block.Key, poolNameOf(pool.ID), block.UserID, raw, timestamp)
	proved := err == nil && hmac.Equal(got, want)

	if block.Sub == "" {
		// An unknown name: the proof cannot be right; lock out as for a
		// real user, so that lockouts tell nothing.
		s.signInFailed(SignInSRP, FailUnknownUser)
		locked, err := s.phantoms.fail(ctx, pool.ID+"/"+block.Name, now)
		if err != nil {
			return nil, err
		}
		if locked {
			return nil, ErrNotAuthorized.WithMessage(msgPasswordAttempts)
		}
		return nil, wrong
	}
	u, err := s.store.GetUserBySub(ctx, pool.ID, block.Sub)
	if errors.Is(err, ErrNotFound) {
		return nil, wrong
	}
	if err != nil {
		return nil, asError(err)
	}
	// USERNAME names the user the block was issued to (by username,
	// alias or sub, as USER_ID_FOR_SRP may be the sub).
	if named, err := s.findUser(ctx, s.store, pool, r["USERNAME"]); err != nil || named.Sub != u.Sub {
		return nil, wrong
	}
	if err := checkCanSignIn(u, now); err != nil {
		s.signInFailed(SignInSRP, gateReason(err))
		return nil, err
	}
	// A password set since the challenge voids it: the key came from the
	// old verifier.
	if !hmac.Equal(block.Verifier, verifierFingerprint(u.SRPVerifier)) || len(u.SRPVerifier) == 0 {
		proved = false
	}
	if proved {
		fresh, err := s.useSRPBlock(ctx, block.Nonce, time.UnixMilli(block.Expires), now)
		if err != nil {
			return nil, err
		}
		if !fresh {
			// A correct proof seen before: a replay, not a password guess.
			s.signInFailed(SignInSRP, FailReplay)
			return nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
		}
	}
	if err := s.recordSignIn(ctx, pool, u, proved, now, nil); err != nil {
		return nil, err
	}
	if !proved {
		s.signInFailed(SignInSRP, FailWrongPassword)
		return nil, wrong
	}
	if err := afterProof(u, now); err != nil {
		s.signInFailed(SignInSRP, gateReason(err))
		return nil, err
	}
	return s.proved(ctx, pool, client, u)
}

// allowedFirstFactors is the pool's SignInPolicy.AllowedFirstAuthFactors;
// PASSWORD is always allowed.
func allowedFirstFactors(pool *UserPool) []string {
	factors := []string{"PASSWORD"}
	if pool.Settings.Policies == nil || len(pool.Settings.Policies.SignInPolicy) == 0 {
		return factors
	}
	var sp struct {
		AllowedFirstAuthFactors []string `json:"AllowedFirstAuthFactors"`
	}
	if json.Unmarshal(pool.Settings.Policies.SignInPolicy, &sp) == nil {
		for _, f := range sp.AllowedFirstAuthFactors {
			if !slices.Contains(factors, f) {
				factors = append(factors, f)
			}
		}
	}
	return factors
}
