package cognito

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// ScopeAdmin is the scope of tokens from the user pool API (InitiateAuth):
// it lets a user read and change their own profile (GetUser).
const ScopeAdmin = "aws.cognito.signin.user.admin"

// InitiateAuthInput is InitiateAuthRequest.
type InitiateAuthInput struct {
	AuthFlow       string            `json:"AuthFlow,omitempty"`
	AuthParameters map[string]string `json:"AuthParameters,omitempty"`
	ClientId       string            `json:"ClientId,omitempty"`
}

// AuthenticationResult is AuthenticationResultType.
type AuthenticationResult struct {
	AccessToken  string `json:"AccessToken"`
	ExpiresIn    int64  `json:"ExpiresIn"`
	TokenType    string `json:"TokenType"`
	RefreshToken string `json:"RefreshToken,omitempty"`
	IdToken      string `json:"IdToken,omitempty"`
}

// AuthOutput is InitiateAuthResponse and RespondToAuthChallengeResponse.
type AuthOutput struct {
	ChallengeName        string                `json:"ChallengeName,omitempty"`
	Session              string                `json:"Session,omitempty"`
	ChallengeParameters  map[string]string     `json:"ChallengeParameters"`
	AuthenticationResult *AuthenticationResult `json:"AuthenticationResult,omitempty"`
	// AvailableChallenges lists the choices of SELECT_CHALLENGE (USER_AUTH).
	AvailableChallenges []string `json:"AvailableChallenges,omitempty"`
}

// RespondToAuthChallengeInput is RespondToAuthChallengeRequest.
type RespondToAuthChallengeInput struct {
	ClientId           string            `json:"ClientId,omitempty"`
	ChallengeName      string            `json:"ChallengeName,omitempty"`
	Session            string            `json:"Session,omitempty"`
	ChallengeResponses map[string]string `json:"ChallengeResponses,omitempty"`
}

// LookupClient returns an app client of the pool, served from the grant
// cache: for the hosted pages, which name a client in the query string.
func (s *Service) LookupClient(ctx context.Context, poolID, clientID string) (*AppClient, error) {
	c, err := s.grants.client(ctx, s, clientID)
	if err != nil {
		return nil, err
	}
	if c.client == nil || c.client.UserPoolID != poolID {
		return nil, ErrResourceNotFound.WithMessagef(msgClientNotFound, clientID)
	}
	return c.client, nil
}

// appClient returns a client for the public operations, which name the
// client instead of being signed.
func (s *Service) appClient(ctx context.Context, clientID string) (*AppClient, *UserPool, error) {
	c, err := s.grants.client(ctx, s, clientID)
	if err != nil {
		return nil, nil, err
	}
	if c.client == nil {
		return nil, nil, ErrResourceNotFound.WithMessagef(msgClientNotFound, clientID)
	}
	pool, err := s.LookupPool(ctx, c.client.UserPoolID)
	if err != nil {
		return nil, nil, err
	}
	return c.client, pool, nil
}

// clientWithSecretHash is the app client of a public user operation
// (SignUp, ConfirmSignUp) and its pool, once the client has proved itself
// with SECRET_HASH for username.
func (s *Service) clientWithSecretHash(ctx context.Context, clientID, secretHash, username string) (*AppClient, *UserPool, error) {
	client, pool, err := s.appClient(ctx, clientID)
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkSecretHash(client, secretHash, msgSecretHashWrong, username); err != nil {
		return nil, nil, err
	}
	return client, pool, nil
}

// checkSecretHash verifies SECRET_HASH = Base64(HMAC-SHA256(client secret,
// username + client ID)) for a client that has a secret. Any of names may
// be the username the caller hashed (the username, its alias, or the sub).
// A wrong hash is NotAuthorized with wrongFormat (which takes the client
// ID): Cognito words it differently for refresh.
func (s *Service) checkSecretHash(c *AppClient, presented, wrongFormat string, names ...string) error {
	if !c.HasSecret() {
		return nil
	}
	if presented == "" {
		return ErrNotAuthorized.WithMessagef(msgSecretHashMissing, c.ClientID)
	}
	secret, err := s.ClientSecret(c)
	if err != nil {
		return err
	}
	got, err := base64.StdEncoding.DecodeString(presented)
	ok := false
	for _, name := range names {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(name + c.ClientID))
		if err == nil && hmac.Equal(got, m.Sum(nil)) {
			ok = true
		}
	}
	if !ok {
		return ErrNotAuthorized.WithMessagef(wrongFormat, c.ClientID)
	}
	return nil
}

// authSession is the state of a challenge between InitiateAuth and
// RespondToAuthChallenge, sealed so the client cannot alter it.
type authSession struct {
	Pool    string `json:"p"`
	Client  string `json:"c"`
	Sub     string `json:"s"`
	Expires int64  `json:"e"`
	// Challenge is the challenge the session answers, so that a session
	// of one kind cannot answer another.
	Challenge string `json:"ch,omitempty"`
	// Name is the sign-in name a SELECT_CHALLENGE session was opened for
	// (Sub is empty for a name that does not exist).
	Name string `json:"n,omitempty"`
	// Nonce names an MFA session, so that it completes one sign-in only;
	// Code is an SMS or email MFA code (sealed with the session); Verified
	// marks an MFA_SETUP session whose software token VerifySoftwareToken
	// verified (signin_mfa.go).
	Nonce    string `json:"nn,omitempty"`
	Code     string `json:"oc,omitempty"`
	Verified bool   `json:"v,omitempty"`
}

const (
	challengeNewPassword = "NEW_PASSWORD_REQUIRED"
	challengeSelect      = "SELECT_CHALLENGE"
)

// sessionExpiry is when a challenge's session ends: the client's
// AuthSessionValidity, in minutes (3 to 15; 3 by default).
func (s *Service) sessionExpiry(client *AppClient) time.Time {
	minutes := client.Settings.AuthSessionValidity
	if minutes <= 0 {
		minutes = 3
	}
	return s.now().Add(time.Duration(minutes) * time.Minute)
}

func (s *Service) sealSession(sess authSession) string {
	b, _ := json.Marshal(sess)
	return base64.RawURLEncoding.EncodeToString(s.sealer.Seal("auth-session", b))
}

func (s *Service) openSession(token string) (*authSession, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	b, err := s.sealer.Open("auth-session", raw)
	if err != nil {
		return nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	var sess authSession
	if json.Unmarshal(b, &sess) != nil {
		return nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	if s.now().Unix() > sess.Expires {
		return nil, ErrNotAuthorized.WithMessage(msgSessionExpired)
	}
	return &sess, nil
}

// InitiateAuth starts a sign-in (USER_PASSWORD_AUTH, USER_SRP_AUTH,
// USER_AUTH) or refreshes tokens (REFRESH_TOKEN_AUTH); see initiate.
func (s *Service) InitiateAuth(ctx context.Context, in *InitiateAuthInput) (*AuthOutput, error) {
	if err := s.validate(ctx, "InitiateAuth", in); err != nil {
		return nil, err
	}
	client, pool, err := s.appClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	return s.initiate(ctx, pool, client, in.AuthFlow, in.AuthParameters, false)
}

// CheckUserPassword applies the sign-in rules shared by InitiateAuth and
// the hosted login page: existence (without revealing it when the client
// prevents user-existence errors), enabled, confirmed, lockout, password.
// It returns the user, whose status may still ask for a new password.
// The password is checked outside any transaction (argon2id is slow and
// the store has one writer); the outcome is then recorded in a short one
// that re-reads the user, so concurrent failures all count.
func (s *Service) CheckUserPassword(ctx context.Context, pool *UserPool, client *AppClient, username, password string) (*User, error) {
	wrong := ErrNotAuthorized.WithMessage(msgIncorrectPassword)
	u, err := s.findUser(ctx, s.store, pool, username)
	if errors.Is(err, ErrUserNotFound) {
		u, err = s.migrateUser(ctx, pool, client, username, password, nil) // triggers_migration.go: ErrUserNotFound without one
	}
	if errors.Is(err, ErrUserNotFound) {
		// As slow as a real check, and shed under load as a real one is:
		// an unknown name must not be the one answer that stays fast.
		if _, err := checkPassword(ctx, dummyHash, password); err != nil {
			return nil, err
		}
		s.signInFailed(SignInPassword, FailUnknownUser)
		if client.Settings.PreventUserExistenceErrors == "ENABLED" {
			// An unknown name locks out like a real one, or six wrong
			// tries would tell which names exist.
			locked, err := s.phantoms.fail(ctx, pool.ID+"/"+signInKey(pool, username), s.now())
			if err != nil {
				return nil, err
			}
			if locked {
				return nil, ErrNotAuthorized.WithMessage(msgPasswordAttempts)
			}
			return nil, wrong
		}
		return nil, ErrUserNotFound
	}
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if err := checkCanSignIn(u, now); err != nil {
		s.signInFailed(SignInPassword, gateReason(err))
		return nil, err
	}
	if err := s.preAuthentication(ctx, pool, client.ClientID, u); err != nil { // triggers_auth.go
		return nil, err
	}
	ok, err := checkPassword(ctx, u.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	// A user from before SRP gets their verifier now that the password is
	// known to be right, so that SRP works for them from the next sign-in.
	var verifier []byte
	if ok && len(u.SRPVerifier) == 0 {
		if verifier, err = s.sealedSRPVerifier(ctx, pool.ID, u.Username, u.Sub, password); err != nil {
			return nil, err
		}
	}
	if err := s.recordSignIn(ctx, pool, u, ok, now, func(cur *User) bool {
		if verifier == nil || len(cur.SRPVerifier) > 0 || cur.PasswordHash != u.PasswordHash {
			return false // the password changed meanwhile: this verifier is not its own
		}
		cur.SRPVerifier = verifier
		return true
	}); err != nil {
		return nil, err
	}
	if !ok {
		s.signInFailed(SignInPassword, FailWrongPassword)
		return nil, wrong
	}
	if err := afterProof(u, now); err != nil {
		s.signInFailed(SignInPassword, gateReason(err))
		return nil, err
	}
	return u, nil
}

// recordSignIn records the outcome of a password or SRP proof for u in a
// short transaction that re-reads the user, so that concurrent failures
// all count: a success clears the failure count, a failure outside a
// lockout counts toward one (attempts during a lockout do not extend it).
// also, when not nil, may change the re-read user on success; it reports
// whether it did.
func (s *Service) recordSignIn(ctx context.Context, pool *UserPool, u *User, ok bool, now time.Time, also func(cur *User) bool) error {
	return s.updateUncached(ctx, func(tx Tx) error {
		cur, err := tx.GetUserBySub(ctx, pool.ID, u.Sub)
		if err != nil {
			return err
		}
		changed := ok && also != nil && also(cur)
		switch {
		case ok && cur.FailedSignIns == 0 && cur.LockedUntil.IsZero() && !changed:
			return nil
		case ok:
			cur.FailedSignIns, cur.LockedUntil = 0, time.Time{}
		case now.Before(cur.LockedUntil):
			return nil // attempts during a lockout do not extend it
		default:
			failSignIn(&cur.FailedSignIns, &cur.LockedUntil, now)
		}
		return tx.UpdateUser(ctx, cur)
	})
}

// checkCanSignIn applies, before a proof is looked at, what stops a user
// from signing in at all: a lockout, being disabled, being unconfirmed.
func checkCanSignIn(u *User, now time.Time) error {
	if now.Before(u.LockedUntil) {
		return ErrNotAuthorized.WithMessage(msgPasswordAttempts)
	}
	if !u.Enabled {
		return ErrNotAuthorized.WithMessage(msgUserDisabled)
	}
	if u.Status == StatusUnconfirmed {
		return ErrUserNotConfirmed
	}
	return nil
}

// afterProof applies, once the password is proved, what still stops the
// sign-in: an expired temporary password, or a reset the administrator
// asked for.
func afterProof(u *User, now time.Time) error {
	if u.Status == StatusForceChangePassword && !u.PasswordExpires.IsZero() && now.After(u.PasswordExpires) {
		return ErrNotAuthorized.WithMessage(msgTemporaryPasswordExpired)
	}
	if u.Status == StatusResetRequired {
		return ErrPasswordResetRequired.WithMessage(msgPasswordResetRequired)
	}
	return nil
}

func (s *Service) passwordSignIn(ctx context.Context, pool *UserPool, client *AppClient, username, password, secretHash string) (*AuthOutput, error) {
	// The client proves itself before the password is looked at: a wrong
	// SECRET_HASH must neither count as a failed sign-in nor tell a right
	// password from a wrong one.
	if err := s.checkSecretHash(client, secretHash, msgSecretHashWrong, username); err != nil {
		return nil, err
	}
	u, err := s.CheckUserPassword(ctx, pool, client, username, password)
	if err != nil {
		return nil, err
	}
	return s.proved(ctx, pool, client, u)
}

// proved continues a sign-in whose password is proved: a user with a
// temporary password must choose a new one first, then comes the second
// factor if the pool asks for one (signin_mfa.go).
func (s *Service) proved(ctx context.Context, pool *UserPool, client *AppClient, u *User) (*AuthOutput, error) {
	if u.Status == StatusForceChangePassword {
		return s.newPasswordChallenge(pool, client, u), nil
	}
	return s.StartSecondFactor(ctx, pool, client, u)
}

// newPasswordChallenge answers a sign-in with a temporary password.
func (s *Service) newPasswordChallenge(pool *UserPool, client *AppClient, u *User) *AuthOutput {
	// Only what the client may read: the challenge comes before any
	// token, to a client that ReadAttributes may restrict.
	visible := map[string]string{}
	for _, a := range u.Attributes {
		if a.Name != "sub" && !strings.HasSuffix(a.Name, "_verified") && clientReads(client, a.Name) {
			visible[a.Name] = a.Value
		}
	}
	attrs, _ := json.Marshal(visible)
	required := []string{}
	for _, name := range missingRequired(pool, u) {
		required = append(required, "userAttributes."+name)
	}
	requiredJSON, _ := json.Marshal(required)
	return &AuthOutput{ChallengeName: "NEW_PASSWORD_REQUIRED",
		Session: s.sealSession(authSession{Pool: pool.ID, Client: client.ClientID, Sub: u.Sub,
			Expires: s.sessionExpiry(client).Unix(), Challenge: challengeNewPassword}),
		ChallengeParameters: map[string]string{"USER_ID_FOR_SRP": u.Username, "requiredAttributes": string(requiredJSON), "userAttributes": string(attrs)}}
}

// NewPasswordChallenge starts the NEW_PASSWORD_REQUIRED step for the
// hosted login page; it returns the session to answer it with.
func (s *Service) NewPasswordChallenge(pool *UserPool, client *AppClient, u *User) string {
	return s.newPasswordChallenge(pool, client, u).Session
}

// RespondToAuthChallenge answers a challenge (NEW_PASSWORD_REQUIRED,
// PASSWORD_VERIFIER, SELECT_CHALLENGE); see respond.
func (s *Service) RespondToAuthChallenge(ctx context.Context, in *RespondToAuthChallengeInput) (*AuthOutput, error) {
	if err := s.validate(ctx, "RespondToAuthChallenge", in); err != nil {
		return nil, err
	}
	client, pool, err := s.appClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	return s.respond(ctx, pool, client, in.ChallengeName, in.Session, in.ChallengeResponses)
}

// respondNewPassword answers NEW_PASSWORD_REQUIRED.
func (s *Service) respondNewPassword(ctx context.Context, pool *UserPool, client *AppClient, session string, r map[string]string) (*AuthOutput, error) {
	if err := s.checkSecretHash(client, r["SECRET_HASH"], msgSecretHashWrong, r["USERNAME"]); err != nil {
		return nil, err
	}
	u, err := s.CompleteNewPassword(ctx, pool, client, session, r["USERNAME"], r["NEW_PASSWORD"], r)
	if err != nil {
		return nil, err
	}
	// Tokens issued right after the new password are Cognito's
	// TokenGeneration_NewPasswordChallenge; after an MFA challenge that
	// follows it, they are those of the MFA answer (Authentication).
	return s.startSecondFactor(ctx, pool, client, u, SourceTokenNewPassword)
}

// signedIn issues the tokens of a completed sign-in.
func (s *Service) signedIn(ctx context.Context, pool *UserPool, client *AppClient, u *User) (*AuthOutput, error) {
	return s.signedInFrom(ctx, pool, client, u, "")
}

// signedInFrom is signedIn with the pre token generation trigger source
// ("" for TokenGeneration_Authentication).
func (s *Service) signedInFrom(ctx context.Context, pool *UserPool, client *AppClient, u *User, source string) (*AuthOutput, error) {
	if err := s.postAuthentication(ctx, pool, client.ClientID, u); err != nil { // triggers_auth.go
		return nil, err
	}
	res, err := s.IssueUserTokens(ctx, pool, client, u, []string{ScopeAdmin}, IssueOptions{IDToken: true, Refresh: true, Source: source})
	if err != nil {
		return nil, err
	}
	return &AuthOutput{ChallengeParameters: map[string]string{}, AuthenticationResult: res}, nil
}

// CompleteNewPassword sets the permanent password of a user answering
// NEW_PASSWORD_REQUIRED; responses may carry "userAttributes.<name>"
// values to set at the same time.
func (s *Service) CompleteNewPassword(ctx context.Context, pool *UserPool, client *AppClient, session, username, password string, responses map[string]string) (*User, error) {
	// The client may set only the attributes it is allowed to write,
	// whichever page or operation relays them.
	if err := checkClientWrite(client, attributeNames(challengeAttributes(responses))); err != nil {
		return nil, err
	}
	sess, err := s.openSession(session)
	if err != nil {
		return nil, err
	}
	if sess.Pool != pool.ID || sess.Client != client.ClientID || sess.Challenge != challengeNewPassword {
		return nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	if password == "" {
		return nil, ErrInvalidParameter.WithMessage(msgMissingNewPassword)
	}
	if err := checkPasswordPolicy(passwordPolicy(pool), password, msgPasswordPolicyChange); err != nil {
		return nil, err
	}
	attrs := challengeAttributes(responses)
	target, err := s.store.GetUserBySub(ctx, pool.ID, sess.Sub)
	if err != nil {
		return nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	secret, err := s.DerivePassword(ctx, pool.ID, target.Username, target.Sub, password)
	if err != nil {
		return nil, err
	}
	var user *User
	err = s.updateUncached(ctx, func(tx Tx) error {
		u, err := tx.GetUserBySub(ctx, pool.ID, sess.Sub)
		if err != nil || u.Status != StatusForceChangePassword {
			return ErrNotAuthorized.WithMessage(msgInvalidSession)
		}
		if !u.Enabled {
			return ErrNotAuthorized.WithMessage(msgUserDisabled)
		}
		if username != "" {
			if named, err := s.findUser(ctx, tx, pool, username); err != nil || named.Sub != u.Sub {
				return ErrNotAuthorized.WithMessage(msgInvalidSession)
			}
		}
		if err := checkUserAttributes(pool, u, attrs, writeChallenge); err != nil {
			return err
		}
		applyAttributes(u, attrs)
		if missing := missingRequired(pool, u); len(missing) > 0 {
			return ErrInvalidParameter.WithMessagef(msgRequiredAttributeGiven, missing[0])
		}
		if err := secret.Set(u); err != nil {
			return err
		}
		u.Status, u.PasswordExpires = StatusConfirmed, time.Time{}
		u.LastModifiedDate = s.now().UTC()
		user = u
		return tx.UpdateUser(ctx, u)
	})
	return user, err
}

// challengeAttributes reads the "userAttributes.<name>" answers of
// NEW_PASSWORD_REQUIRED.
func challengeAttributes(responses map[string]string) []Attribute {
	var attrs []Attribute
	for k, v := range responses {
		if name, ok := strings.CutPrefix(k, "userAttributes."); ok {
			attrs = append(attrs, Attribute{Name: name, Value: v})
		}
	}
	return attrs
}
