package cognito

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"time"
)

// The second factor of a sign-in. Once the password (or its SRP proof) is
// right and permanent, a pool whose MfaConfiguration is ON, or OPTIONAL
// for a user who turned a factor on, answers with a challenge instead of
// tokens:
//
//   - SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP: the factor to answer with
//     (SOFTWARE_TOKEN_MFA_CODE, SMS_MFA_CODE, EMAIL_OTP_CODE); the SMS and
//     email codes are sent as the challenge is issued;
//   - SELECT_MFA_TYPE: several factors and none preferred; ANSWER names one;
//   - MFA_SETUP: an ON pool and a user with no factor, who sets up a
//     software token (AssociateSoftwareToken and VerifySoftwareToken with
//     the session) before answering.
//
// The session carries the challenge, the user and, for SMS and email, the
// code itself (sealed: the client cannot read it). Each session yields
// tokens once (consumeSession), a TOTP code works once (UserMFA's last
// step), and every wrong code counts toward the user's lockout exactly as
// a wrong password does.

const (
	challengeMFASetup  = "MFA_SETUP"
	challengeSelectMFA = "SELECT_MFA_TYPE"
	// mfaCodeLen is the length of the SMS and email codes.
	mfaCodeLen = 6
	// SharedAuthSessionUsed marks the MFA sessions that completed a
	// sign-in, until they expire (shared_state.go). Only a caller who
	// proved a password and a second factor can make one.
	SharedAuthSessionUsed = "auth-session-used"
)

// ErrInvalidUserPoolConfiguration is InvalidUserPoolConfigurationException.
var ErrInvalidUserPoolConfiguration = &Error{Type: "InvalidUserPoolConfigurationException"}

// mfaCodeParam is the ChallengeResponses member that answers a factor.
var mfaCodeParam = map[string]string{
	MFASoftwareToken: "SOFTWARE_TOKEN_MFA_CODE",
	MFASMS:           "SMS_MFA_CODE",
	MFAEmail:         "EMAIL_OTP_CODE",
}

// userMFA returns the user's MFA state (an empty one when there is none).
func (s *Service) userMFA(ctx context.Context, r Reader, u *User) (*UserMFA, error) {
	m, err := r.GetUserMFA(ctx, u.UserPoolID, u.Sub)
	if errors.Is(err, ErrNotFound) {
		return &UserMFA{UserPoolID: u.UserPoolID, Sub: u.Sub}, nil
	}
	if err != nil {
		return nil, asError(err)
	}
	return m, nil
}

// userFactors are the factors a sign-in of u may use, in Cognito's order.
// A verified software token stays usable after the pool stops offering
// TOTP (developer guide, "TOTP software token MFA"); SMS and email need
// the pool to offer them and the user to have the attribute. In an ON
// pool the user need not have turned SMS or email on: a phone number or
// address is enough, as Cognito sends required MFA codes to them.
func userFactors(pool *UserPool, u *User, m *UserMFA) []string {
	mode, pf := mfaMode(pool), poolFactors(pool)
	var out []string
	if len(m.TOTPSecret) > 0 && (m.TOTPEnabled || mode == "ON") {
		out = append(out, MFASoftwareToken)
	}
	if _, ok := attr(u, "phone_number"); ok && pf.SMS && (m.SMSEnabled || mode == "ON") {
		out = append(out, MFASMS)
	}
	if _, ok := attr(u, "email"); ok && pf.Email && (m.EmailEnabled || mode == "ON") {
		out = append(out, MFAEmail)
	}
	return out
}

// mfaPlan is the challenge that follows a proved password for u: "" for
// none (tokens), a factor, SELECT_MFA_TYPE (with the choices) or
// MFA_SETUP.
func (s *Service) mfaPlan(ctx context.Context, pool *UserPool, u *User) (string, []string, error) {
	mode := mfaMode(pool)
	if mode == "OFF" {
		return "", nil, nil
	}
	m, err := s.userMFA(ctx, s.store, u)
	if err != nil {
		return "", nil, err
	}
	factors := userFactors(pool, u, m)
	switch {
	case len(factors) == 0 && mode == "OPTIONAL":
		return "", nil, nil
	case len(factors) == 0 && poolFactors(pool).SoftwareToken:
		return challengeMFASetup, []string{MFASoftwareToken}, nil
	case len(factors) == 0:
		return "", nil, ErrInvalidUserPoolConfiguration.WithMessage(msgMfaNoFactorForUser)
	case slices.Contains(factors, m.Preferred):
		return m.Preferred, nil, nil
	case len(factors) == 1:
		return factors[0], nil, nil
	}
	return challengeSelectMFA, factors, nil
}

// StartSecondFactor continues a sign-in whose first factor is proved and
// whose password is permanent: the MFA challenge the pool and the user
// call for, or the tokens (RespondToAuthChallenge answers the
// challenge). The hosted pages start it with HostedSecondFactor.
func (s *Service) StartSecondFactor(ctx context.Context, pool *UserPool, client *AppClient, u *User) (*AuthOutput, error) {
	return s.startSecondFactor(ctx, pool, client, u, "")
}

// startSecondFactor is StartSecondFactor; source is the pre token
// generation trigger source of tokens issued right away (signedInFrom).
func (s *Service) startSecondFactor(ctx context.Context, pool *UserPool, client *AppClient, u *User, source string) (*AuthOutput, error) {
	challenge, choices, err := s.mfaPlan(ctx, pool, u)
	if err != nil {
		return nil, err
	}
	if challenge == "" {
		return s.signedInFrom(ctx, pool, client, u, source)
	}
	return s.issueMFAChallenge(ctx, pool, client, u, challenge, choices)
}

func newNonce() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newMFACode returns a random numeric code for SMS or email.
func newMFACode() string {
	b := make([]byte, mfaCodeLen)
	rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10 // 256 % 10 != 0: a bias of under 1% per digit, as for the other codes
	}
	return string(b)
}

// issueMFAChallenge answers with challenge for u, sending the SMS or email
// code it needs.
func (s *Service) issueMFAChallenge(ctx context.Context, pool *UserPool, client *AppClient, u *User, challenge string, choices []string) (*AuthOutput, error) {
	sess := authSession{Pool: pool.ID, Client: client.ClientID, Sub: u.Sub, Expires: s.sessionExpiry(client).Unix(),
		Challenge: challenge, Nonce: newNonce()}
	params := map[string]string{"USER_ID_FOR_SRP": u.Username}
	switch challenge {
	case MFASMS, MFAEmail:
		sess.Code = newMFACode()
		attrName := "phone_number"
		if challenge == MFAEmail {
			attrName = "email"
		}
		d := s.deliver(ctx, pool, u, Delivery{Kind: DeliverMFACode, Attribute: attrName, Code: sess.Code})
		if d == nil {
			return nil, ErrInvalidParameter.WithMessagef(msgNoDeliveryConfig, challenge)
		}
		params["CODE_DELIVERY_DELIVERY_MEDIUM"], params["CODE_DELIVERY_DESTINATION"] = d.DeliveryMedium, d.Destination
	case challengeMFASetup:
		b, _ := json.Marshal(choices)
		params["MFAS_CAN_SETUP"] = string(b)
	case challengeSelectMFA:
		b, _ := json.Marshal(choices)
		params["MFAS_CAN_CHOOSE"] = string(b)
	}
	return &AuthOutput{ChallengeName: challenge, Session: s.sealSession(sess), ChallengeParameters: params}, nil
}

// openMFASession opens a session of one of challenges for pool and
// client, and the user it names, who must be the one USERNAME names, and
// checks the client's SECRET_HASH.
func (s *Service) openMFASession(ctx context.Context, pool *UserPool, client *AppClient, session string, r map[string]string, challenges ...string) (*authSession, *User, error) {
	sess, err := s.openSession(session)
	if err != nil {
		return nil, nil, err
	}
	if sess.Pool != pool.ID || sess.Client != client.ClientID || !slices.Contains(challenges, sess.Challenge) || sess.Sub == "" {
		return nil, nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	if err := requireParams(r, "USERNAME"); err != nil {
		return nil, nil, err
	}
	u, err := s.store.GetUserBySub(ctx, pool.ID, sess.Sub)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	if err != nil {
		return nil, nil, asError(err)
	}
	if err := s.checkSecretHash(client, r["SECRET_HASH"], msgSecretHashWrong, r["USERNAME"], u.Username, u.Sub); err != nil {
		return nil, nil, err
	}
	if named, err := s.findUser(ctx, s.store, pool, r["USERNAME"]); err != nil || named.Sub != u.Sub {
		return nil, nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	if err := checkCanSignIn(u, s.now()); err != nil {
		return nil, nil, err
	}
	return sess, u, nil
}

// respondMFA answers SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP.
func (s *Service) respondMFA(ctx context.Context, pool *UserPool, client *AppClient, challenge, session string, r map[string]string) (*AuthOutput, error) {
	u, err := s.passMFA(ctx, pool, client, challenge, session, r)
	if err != nil {
		return nil, err
	}
	return s.signedIn(ctx, pool, client, u)
}

// passMFA checks the answer to a factor's challenge and uses its session:
// the user who passed, for the API (tokens) or the hosted pages (a code).
func (s *Service) passMFA(ctx context.Context, pool *UserPool, client *AppClient, challenge, session string, r map[string]string) (*User, error) {
	sess, u, err := s.openMFASession(ctx, pool, client, session, r, challenge)
	if err != nil {
		return nil, err
	}
	param := mfaCodeParam[challenge]
	if err := requireParams(r, param); err != nil {
		return nil, err
	}
	code := r[param]
	now := s.now().UTC()
	var check func(m *UserMFA) (ok, changed bool)
	if challenge == MFASoftwareToken {
		var secret []byte
		m, err := s.userMFA(ctx, s.store, u)
		if err != nil {
			return nil, err
		}
		if len(m.TOTPSecret) == 0 {
			return nil, ErrSoftwareTokenMFANotFound.WithMessage(msgTOTPNotForUser)
		}
		if secret, err = s.openTOTPSecret(u, m.TOTPSecret); err != nil {
			return nil, asError(err)
		}
		check = func(m *UserMFA) (bool, bool) {
			// The stored secret may have changed since it was opened (a
			// new token verified meanwhile): the code must be the current
			// secret's.
			cur, err := s.openTOTPSecret(u, m.TOTPSecret)
			if err != nil || subtle.ConstantTimeCompare(cur, secret) != 1 {
				return false, false
			}
			step, ok := checkTOTP(secret, code, now, m.TOTPLastStep)
			if ok {
				m.TOTPLastStep = step
			}
			return ok, ok
		}
	} else {
		check = func(*UserMFA) (bool, bool) {
			return len(code) == len(sess.Code) && subtle.ConstantTimeCompare([]byte(code), []byte(sess.Code)) == 1, false
		}
	}
	ok, err := s.recordSecondFactor(ctx, pool, u, now, check)
	if err != nil {
		return nil, err
	}
	if !ok {
		s.signInFailed(SignInMFA, FailWrongCode)
		return nil, ErrCodeMismatch.WithMessage(msgMfaCodeMismatch)
	}
	if err := s.consumeSession(ctx, sess); err != nil {
		return nil, err
	}
	return u, nil
}

// recordSecondFactor checks a second factor with check, in one
// transaction that re-reads the user and their MFA state (so that a TOTP
// step is used once however many answers race), and records the outcome
// as recordSignIn does: a wrong code counts toward the lockout, a right
// one clears the count. check must be pure but for changing m (which is
// stored when it reports changed).
func (s *Service) recordSecondFactor(ctx context.Context, pool *UserPool, u *User, now time.Time, check func(m *UserMFA) (ok, changed bool)) (bool, error) {
	var ok bool
	err := s.updateUncached(ctx, func(tx Tx) error {
		ok = false
		cur, err := tx.GetUserBySub(ctx, pool.ID, u.Sub)
		if err != nil {
			return err
		}
		if now.Before(cur.LockedUntil) {
			return ErrNotAuthorized.WithMessage(msgPasswordAttempts)
		}
		m, err := s.userMFA(ctx, tx, cur)
		if err != nil {
			return err
		}
		var changed bool
		ok, changed = check(m)
		if changed {
			if err := tx.PutUserMFA(ctx, m); err != nil {
				return err
			}
		}
		switch {
		case ok && cur.FailedSignIns == 0 && cur.LockedUntil.IsZero():
			return nil
		case ok:
			cur.FailedSignIns, cur.LockedUntil = 0, time.Time{}
		default:
			failSignIn(&cur.FailedSignIns, &cur.LockedUntil, now)
		}
		return tx.UpdateUser(ctx, cur)
	})
	return ok, err
}

// consumeSession lets an MFA session complete one sign-in: the second use
// of a session (a replay of a captured answer) is refused. The mark lives
// in shared state, so every instance on the database sees it, until the
// session would have expired anyway.
func (s *Service) consumeSession(ctx context.Context, sess *authSession) error {
	sum := sha256.Sum256([]byte("auth-session:" + sess.Nonce))
	n, err := s.store.IncrShared(ctx, SharedAuthSessionUsed, hex.EncodeToString(sum[:]), s.now(), time.Unix(sess.Expires+1, 0))
	if err != nil {
		return asError(err)
	}
	if n > 1 {
		s.signInFailed(SignInMFA, FailReplay)
		return ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	return nil
}

// respondSelectMFA answers SELECT_MFA_TYPE: ANSWER names one of the
// user's factors, whose challenge follows.
func (s *Service) respondSelectMFA(ctx context.Context, pool *UserPool, client *AppClient, session string, r map[string]string) (*AuthOutput, error) {
	sess, u, err := s.openMFASession(ctx, pool, client, session, r, challengeSelectMFA)
	if err != nil {
		return nil, err
	}
	if err := requireParams(r, "ANSWER"); err != nil {
		return nil, err
	}
	m, err := s.userMFA(ctx, s.store, u)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(userFactors(pool, u, m), r["ANSWER"]) {
		return nil, ErrInvalidParameter.WithMessagef(msgSelectAnswer, r["ANSWER"])
	}
	// The choice is made once: the next challenge has its own session.
	if err := s.consumeSession(ctx, sess); err != nil {
		return nil, err
	}
	return s.issueMFAChallenge(ctx, pool, client, u, r["ANSWER"], nil)
}

// respondMFASetup answers MFA_SETUP once VerifySoftwareToken has verified
// the user's new software token with the session: the token becomes the
// user's MFA, and the sign-in completes.
func (s *Service) respondMFASetup(ctx context.Context, pool *UserPool, client *AppClient, session string, r map[string]string) (*AuthOutput, error) {
	u, err := s.passMFASetup(ctx, pool, client, session, r)
	if err != nil {
		return nil, err
	}
	return s.signedIn(ctx, pool, client, u)
}

// passMFASetup turns the verified software token of an MFA_SETUP session
// on and uses the session: the user who passed.
func (s *Service) passMFASetup(ctx context.Context, pool *UserPool, client *AppClient, session string, r map[string]string) (*User, error) {
	sess, u, err := s.openMFASession(ctx, pool, client, session, r, challengeMFASetup)
	if err != nil {
		return nil, err
	}
	if !sess.Verified {
		return nil, ErrNotAuthorized.WithMessage(msgMfaSetupNotVerified)
	}
	if err := s.consumeSession(ctx, sess); err != nil {
		return nil, err
	}
	err = s.updateUncached(ctx, func(tx Tx) error {
		m, err := s.userMFA(ctx, tx, u)
		if err != nil {
			return err
		}
		if len(m.TOTPSecret) == 0 {
			return ErrSoftwareTokenMFANotFound.WithMessage(msgTOTPNotForUser)
		}
		m.TOTPEnabled = true
		if m.Preferred == "" {
			m.Preferred = MFASoftwareToken
		}
		return tx.PutUserMFA(ctx, m)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
