package cognito

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"
)

// ScopeAdmin is the scope of tokens from the user pool API (InitiateAuth):
// it lets a user read and change their own profile (GetUser).
const ScopeAdmin = "aws.cognito.signin.user.admin"

// Lockout: after five failed sign-ins a user is locked out for 2^(n-5)
// seconds, at most about 15 minutes; 15 quiet minutes reset the count
// (developer guide, "Lockout behavior for failed sign-in attempts").
const (
	lockoutFreeAttempts = 5
	lockoutMax          = 15 * time.Minute
)

// failSignIn counts a failed sign-in at now, outside any lockout, for a
// user or an unknown name alike: a lockout that ended more than lockoutMax
// ago is forgotten first (15 quiet minutes reset the count).
func failSignIn(failures *int, lockedUntil *time.Time, now time.Time) {
	if !lockedUntil.IsZero() && now.Sub(*lockedUntil) > lockoutMax {
		*failures, *lockedUntil = 0, time.Time{}
	}
	*failures++
	if d, locked := lockoutFor(*failures); locked {
		*lockedUntil = now.Add(d)
	}
}

// lockoutFor is the lockout after the given number of failed sign-ins:
// none for the first four, then 2^(n-5) seconds, at most lockoutMax.
func lockoutFor(failures int) (time.Duration, bool) {
	n := failures - lockoutFreeAttempts
	if n < 0 {
		return 0, false
	}
	if n >= 10 {
		return lockoutMax, true
	}
	return min(time.Duration(1<<n)*time.Second, lockoutMax), true
}

// signOut revokes every token a user holds: refresh tokens now, and
// access tokens through SignedOutAt. Tokens carry whole seconds, so the
// sign-out is recorded at the start of the next second: every token issued
// up to now has an earlier iat.
func (s *Service) signOut(ctx context.Context, tx Tx, u *User) error {
	at := s.now().UTC().Truncate(time.Second).Add(time.Second)
	u.SignedOutAt = at
	if err := tx.UpdateUser(ctx, u); err != nil {
		return err
	}
	return tx.RevokeRefreshTokens(ctx, u.UserPoolID, u.Sub, "", at)
}

// SignUpInput is SignUpRequest.
type SignUpInput struct {
	ClientId       string      `json:"ClientId,omitempty"`
	SecretHash     string      `json:"SecretHash,omitempty"`
	Username       string      `json:"Username,omitempty"`
	Password       string      `json:"Password,omitempty"`
	UserAttributes []Attribute `json:"UserAttributes,omitempty"`
}

// CodeDeliveryDetails is CodeDeliveryDetailsType.
type CodeDeliveryDetails struct {
	Destination    string `json:"Destination,omitempty"`
	DeliveryMedium string `json:"DeliveryMedium,omitempty"`
	AttributeName  string `json:"AttributeName,omitempty"`
}

// SignUpOutput is SignUpResponse.
type SignUpOutput struct {
	UserConfirmed       bool                 `json:"UserConfirmed"`
	UserSub             string               `json:"UserSub"`
	CodeDeliveryDetails *CodeDeliveryDetails `json:"CodeDeliveryDetails,omitempty"`
}

// ConfirmSignUpInput is ConfirmSignUpRequest.
type ConfirmSignUpInput struct {
	ClientId         string `json:"ClientId,omitempty"`
	SecretHash       string `json:"SecretHash,omitempty"`
	Username         string `json:"Username,omitempty"`
	ConfirmationCode string `json:"ConfirmationCode,omitempty"`
}

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
}

// RespondToAuthChallengeInput is RespondToAuthChallengeRequest.
type RespondToAuthChallengeInput struct {
	ClientId           string            `json:"ClientId,omitempty"`
	ChallengeName      string            `json:"ChallengeName,omitempty"`
	Session            string            `json:"Session,omitempty"`
	ChallengeResponses map[string]string `json:"ChallengeResponses,omitempty"`
}

// AccessTokenInput is GetUserRequest and GlobalSignOutRequest.
type AccessTokenInput struct {
	AccessToken string `json:"AccessToken,omitempty"`
}

// GetUserOutput is GetUserResponse.
type GetUserOutput struct {
	Username       string      `json:"Username"`
	UserAttributes []Attribute `json:"UserAttributes"`
}

// RevokeTokenInput is RevokeTokenRequest.
type RevokeTokenInput struct {
	Token        string `json:"Token,omitempty"`
	ClientId     string `json:"ClientId,omitempty"`
	ClientSecret string `json:"ClientSecret,omitempty"`
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

// allowsAuthFlow reports whether ExplicitAuthFlows lets the client use
// flow; without any, Cognito allows refresh, SRP and custom auth.
func allowsAuthFlow(c *AppClient, flow string) bool {
	flows := c.Settings.ExplicitAuthFlows
	if len(flows) == 0 {
		flows = []string{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"}
	}
	switch flow {
	case "USER_PASSWORD_AUTH":
		return slices.Contains(flows, "ALLOW_USER_PASSWORD_AUTH") || slices.Contains(flows, "USER_PASSWORD_AUTH")
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		return slices.Contains(flows, "ALLOW_REFRESH_TOKEN_AUTH") || !slices.Contains(flows, "ALLOW_USER_PASSWORD_AUTH") && len(c.Settings.ExplicitAuthFlows) > 0 && slices.ContainsFunc(flows, func(f string) bool { return slices.Contains(legacyAuthFlows, f) })
	}
	return false
}

func hashCode(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

func newConfirmationCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	return fmt.Sprintf("%06d", n.Int64())
}

// maskEmail hides most of an address, as Cognito's CodeDeliveryDetails do
// (a***@e***).
func maskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || domain == "" {
		return "***"
	}
	return local[:1] + "***@" + domain[:1] + "***"
}

// SignUp registers an unconfirmed user and "sends" the confirmation code
// to the server log.
func (s *Service) SignUp(ctx context.Context, in *SignUpInput) (*SignUpOutput, error) {
	if err := Validate("SignUp", in); err != nil {
		return nil, err
	}
	client, pool, err := s.clientWithSecretHash(ctx, in.ClientId, in.SecretHash, in.Username)
	if err != nil {
		return nil, err
	}
	if pool.Settings.AdminCreateUserConfig != nil && pool.Settings.AdminCreateUserConfig.AllowAdminCreateUserOnly {
		return nil, ErrNotAuthorized.WithMessage(msgSignUpNotAllowed)
	}
	if err := checkPasswordPolicy(passwordPolicy(pool), in.Password, msgPasswordPolicySignUp); err != nil {
		return nil, err
	}
	if err := checkUserAttributes(pool, in.UserAttributes); err != nil {
		return nil, err
	}
	if err := checkClientWrite(client, in.UserAttributes); err != nil {
		return nil, err
	}
	username, key, sub, attrs, err := newUserIdentity(pool, in.Username, in.UserAttributes)
	if err != nil {
		return nil, err
	}
	exists := func() error {
		if username == sub {
			return ErrUsernameExists.WithMessage(msgAliasExists)
		}
		return ErrUsernameExists.WithMessage(msgSignUpExists)
	}
	// A taken name is refused before the (slow, memory-hard) hash.
	if _, err := s.store.GetUser(ctx, pool.ID, key); err == nil {
		return nil, exists()
	}
	hash, err := hashPassword(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	code := newConfirmationCode()
	now := s.now().UTC()
	u := &User{UserPoolID: pool.ID, Username: username, UsernameKey: key, Sub: sub, Attributes: attrs,
		PasswordHash: hash, Status: StatusUnconfirmed, Enabled: true, CreationDate: now, LastModifiedDate: now,
		CodeHash: hashCode(code), CodeExpires: now.Add(24 * time.Hour)}
	err = s.updateUncached(ctx, func(tx Tx) error {
		if s.subTaken(ctx, tx, pool.ID, key) {
			return exists()
		}
		err := tx.CreateUser(ctx, u)
		if errors.Is(err, ErrAlreadyExists) {
			return exists()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	s.deliver(ctx, "sign-up confirmation code", pool.ID, in.Username, code)
	out := &SignUpOutput{UserSub: sub}
	if email, ok := attr(u, "email"); ok {
		out.CodeDeliveryDetails = &CodeDeliveryDetails{Destination: maskEmail(email), DeliveryMedium: "EMAIL", AttributeName: "email"}
	}
	return out, nil
}

// ConfirmSignUp confirms a user with the code SignUp sent.
func (s *Service) ConfirmSignUp(ctx context.Context, in *ConfirmSignUpInput) (*Empty, error) {
	if err := Validate("ConfirmSignUp", in); err != nil {
		return nil, err
	}
	client, pool, err := s.clientWithSecretHash(ctx, in.ClientId, in.SecretHash, in.Username)
	if err != nil {
		return nil, err
	}
	// Wrong codes are counted like wrong passwords: after five, the user
	// is locked out of confirming for a while; a 6-digit code cannot be
	// guessed by brute force.
	var refused error
	err = s.changePoolUser(ctx, pool, in.Username, func(u *User) error {
		now := s.now().UTC()
		if u.Status != StatusUnconfirmed {
			return ErrNotAuthorized.WithMessagef(msgCannotConfirm, u.Status)
		}
		if now.Before(u.LockedUntil) {
			return ErrLimitExceeded.WithMessage(msgConfirmAttempts)
		}
		if subtle.ConstantTimeCompare([]byte(hashCode(in.ConfirmationCode)), []byte(u.CodeHash)) != 1 {
			u.FailedSignIns++
			if u.FailedSignIns >= lockoutFreeAttempts {
				u.LockedUntil, u.FailedSignIns = now.Add(lockoutMax), 0
			}
			refused = ErrCodeMismatch
			return nil // commit the count, then refuse
		}
		if now.After(u.CodeExpires) {
			return ErrExpiredCode
		}
		u.Status, u.CodeHash, u.CodeExpires = StatusConfirmed, "", time.Time{}
		u.FailedSignIns, u.LockedUntil = 0, time.Time{}
		if _, ok := attr(u, "email"); ok {
			u.Attributes = setAttr(u.Attributes, "email_verified", "true")
		}
		return nil
	})
	if errors.Is(err, ErrUserNotFound) && client.Settings.PreventUserExistenceErrors == "ENABLED" {
		return nil, ErrCodeMismatch
	}
	if err == nil {
		err = refused
	}
	return empty(err)
}

// authSession is the state of a challenge between InitiateAuth and
// RespondToAuthChallenge, sealed so the client cannot alter it.
type authSession struct {
	Pool    string `json:"p"`
	Client  string `json:"c"`
	Sub     string `json:"s"`
	Expires int64  `json:"e"`
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

// InitiateAuth signs a user in with USER_PASSWORD_AUTH, or refreshes with
// REFRESH_TOKEN_AUTH.
func (s *Service) InitiateAuth(ctx context.Context, in *InitiateAuthInput) (*AuthOutput, error) {
	if err := Validate("InitiateAuth", in); err != nil {
		return nil, err
	}
	client, pool, err := s.appClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	p := in.AuthParameters
	switch in.AuthFlow {
	case "USER_PASSWORD_AUTH":
		if !allowsAuthFlow(client, in.AuthFlow) {
			return nil, ErrInvalidParameter.WithMessage(msgUserPasswordAuthOff)
		}
		if p["USERNAME"] == "" || p["PASSWORD"] == "" {
			return nil, ErrInvalidParameter.WithMessage(msgMissingAuthParams)
		}
		return s.passwordSignIn(ctx, pool, client, p["USERNAME"], p["PASSWORD"], p["SECRET_HASH"])
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		if !allowsAuthFlow(client, in.AuthFlow) {
			return nil, ErrInvalidParameter.WithMessage(msgAuthFlowOff)
		}
		res, err := s.Refresh(ctx, client, p["REFRESH_TOKEN"], func(u *User) error {
			return s.checkSecretHash(client, p["SECRET_HASH"], msgRefreshSecretHash, u.Username, u.Sub, p["USERNAME"])
		})
		if err != nil {
			return nil, err
		}
		return &AuthOutput{ChallengeParameters: map[string]string{}, AuthenticationResult: res}, nil
	default:
		return nil, ErrInvalidParameter.WithMessagef(msgAuthFlowUnsupported, in.AuthFlow)
	}
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
		checkPassword(ctx, dummyHash, password) // as slow as a real check
		if client.Settings.PreventUserExistenceErrors == "ENABLED" {
			// An unknown name locks out like a real one, or six wrong
			// tries would tell which names exist.
			if s.phantoms.fail(pool.ID+"/"+signInKey(pool, username), s.now()) {
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
	if now.Before(u.LockedUntil) {
		return nil, ErrNotAuthorized.WithMessage(msgPasswordAttempts)
	}
	if !u.Enabled {
		return nil, ErrNotAuthorized.WithMessage(msgUserDisabled)
	}
	if u.Status == StatusUnconfirmed {
		return nil, ErrUserNotConfirmed
	}
	ok, err := checkPassword(ctx, u.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	err = s.updateUncached(ctx, func(tx Tx) error {
		cur, err := tx.GetUserBySub(ctx, pool.ID, u.Sub)
		if err != nil {
			return err
		}
		switch {
		case ok && cur.FailedSignIns == 0 && cur.LockedUntil.IsZero():
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
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, wrong
	}
	if u.Status == StatusForceChangePassword && !u.PasswordExpires.IsZero() && now.After(u.PasswordExpires) {
		return nil, ErrNotAuthorized.WithMessage(msgTemporaryPasswordExpired)
	}
	return u, nil
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
	if u.Status == StatusForceChangePassword {
		return s.newPasswordChallenge(pool, client, u), nil
	}
	res, err := s.IssueUserTokens(ctx, pool, client, u, []string{ScopeAdmin}, IssueOptions{IDToken: true, Refresh: true})
	if err != nil {
		return nil, err
	}
	return &AuthOutput{ChallengeParameters: map[string]string{}, AuthenticationResult: res}, nil
}

// newPasswordChallenge answers a sign-in with a temporary password.
func (s *Service) newPasswordChallenge(pool *UserPool, client *AppClient, u *User) *AuthOutput {
	minutes := client.Settings.AuthSessionValidity
	if minutes <= 0 {
		minutes = 3
	}
	visible := map[string]string{}
	for _, a := range u.Attributes {
		if a.Name != "sub" && !strings.HasSuffix(a.Name, "_verified") {
			visible[a.Name] = a.Value
		}
	}
	attrs, _ := json.Marshal(visible)
	return &AuthOutput{ChallengeName: "NEW_PASSWORD_REQUIRED",
		Session:             s.sealSession(authSession{Pool: pool.ID, Client: client.ClientID, Sub: u.Sub, Expires: s.now().Add(time.Duration(minutes) * time.Minute).Unix()}),
		ChallengeParameters: map[string]string{"USER_ID_FOR_SRP": u.Username, "requiredAttributes": "[]", "userAttributes": string(attrs)}}
}

// NewPasswordChallenge starts the NEW_PASSWORD_REQUIRED step for the
// hosted login page; it returns the session to answer it with.
func (s *Service) NewPasswordChallenge(pool *UserPool, client *AppClient, u *User) string {
	return s.newPasswordChallenge(pool, client, u).Session
}

// RespondToAuthChallenge answers NEW_PASSWORD_REQUIRED.
func (s *Service) RespondToAuthChallenge(ctx context.Context, in *RespondToAuthChallengeInput) (*AuthOutput, error) {
	if err := Validate("RespondToAuthChallenge", in); err != nil {
		return nil, err
	}
	client, pool, err := s.appClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	if in.ChallengeName != "NEW_PASSWORD_REQUIRED" {
		return nil, ErrInvalidParameter.WithMessagef(msgChallengeUnsupported, in.ChallengeName)
	}
	r := in.ChallengeResponses
	if err := s.checkSecretHash(client, r["SECRET_HASH"], msgSecretHashWrong, r["USERNAME"]); err != nil {
		return nil, err
	}
	u, err := s.CompleteNewPassword(ctx, pool, client, in.Session, r["USERNAME"], r["NEW_PASSWORD"], r)
	if err != nil {
		return nil, err
	}
	res, err := s.IssueUserTokens(ctx, pool, client, u, []string{ScopeAdmin}, IssueOptions{IDToken: true, Refresh: true})
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
	if err := checkClientWrite(client, challengeAttributes(responses)); err != nil {
		return nil, err
	}
	sess, err := s.openSession(session)
	if err != nil {
		return nil, err
	}
	if sess.Pool != pool.ID || sess.Client != client.ClientID {
		return nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	if password == "" {
		return nil, ErrInvalidParameter.WithMessage(msgMissingNewPassword)
	}
	if err := checkPasswordPolicy(passwordPolicy(pool), password, msgPasswordPolicyChange); err != nil {
		return nil, err
	}
	attrs := challengeAttributes(responses)
	if err := checkUserAttributes(pool, attrs); err != nil {
		return nil, err
	}
	hash, err := hashPassword(ctx, password)
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
		applyAttributes(u, attrs)
		u.PasswordHash, u.Status, u.PasswordExpires = hash, StatusConfirmed, time.Time{}
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

// IssueOptions chooses what IssueUserTokens issues.
type IssueOptions struct {
	IDToken bool
	Refresh bool
	Nonce   string
	AtHash  bool
	// AuthTime is the original sign-in (zero: now).
	AuthTime time.Time
	// OriginJTI continues an earlier sign-in (a refresh).
	OriginJTI string
}

// IssueUserTokens mints a signed-in user's tokens and stores the refresh
// token's hash.
func (s *Service) IssueUserTokens(ctx context.Context, pool *UserPool, client *AppClient, u *User, scopes []string, o IssueOptions) (*AuthenticationResult, error) {
	if s.tokens == nil {
		return nil, asError(errors.New("cognito: no token signer configured"))
	}
	now := s.now().UTC()
	if o.AuthTime.IsZero() {
		o.AuthTime = now
	}
	if o.OriginJTI == "" {
		o.OriginJTI = NewUUID()
	}
	accessTTL := time.Duration(client.AccessTokenTTLSeconds()) * time.Second
	req := UserTokens{PoolID: pool.ID, ClientID: client.ClientID, User: u, Scopes: scopes, AuthTime: o.AuthTime,
		OriginJTI: o.OriginJTI, EventID: NewUUID(), AccessLifetime: accessTTL,
		IDLifetime: time.Duration(client.IDTokenTTLSeconds()) * time.Second, WithIDToken: o.IDToken,
		IDAttributes: readableAttributes(client, u, scopes), Nonce: o.Nonce, AtHash: o.AtHash}
	access, id, err := s.tokens.MintUserTokens(ctx, req)
	if err != nil {
		return nil, asError(err)
	}
	res := &AuthenticationResult{AccessToken: access, ExpiresIn: int64(accessTTL / time.Second), TokenType: "Bearer", IdToken: id}
	if o.Refresh {
		raw := make([]byte, 48)
		rand.Read(raw)
		refresh := base64.RawURLEncoding.EncodeToString(raw)
		rt := &RefreshToken{Hash: hashCode(refresh), UserPoolID: pool.ID, ClientID: client.ClientID, Sub: u.Sub, Scopes: scopes,
			OriginJTI: o.OriginJTI, AuthTime: o.AuthTime, CreationDate: now,
			Expires: now.Add(time.Duration(client.RefreshTokenTTLSeconds()) * time.Second)}
		if err := s.updateUncached(ctx, func(tx Tx) error { return tx.CreateRefreshToken(ctx, rt) }); err != nil {
			return nil, err
		}
		res.RefreshToken = refresh
	}
	return res, nil
}

// readableAttributes are the attributes an ID token carries: the
// client's ReadAttributes (all when it names none), narrowed by the OAuth
// scopes when the token comes from the OAuth endpoints (email, phone,
// profile).
func readableAttributes(c *AppClient, u *User, scopes []string) []Attribute {
	oauth := slices.Contains(scopes, "openid")
	var out []Attribute
	for _, a := range u.Attributes {
		if a.Name == "sub" {
			continue
		}
		if len(c.Settings.ReadAttributes) > 0 && !slices.Contains(c.Settings.ReadAttributes, a.Name) {
			continue
		}
		if oauth && !slices.Contains(scopes, ScopeAdmin) && !scopeAllowsAttribute(scopes, a.Name) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// scopeAllowsAttribute maps OpenID scopes to the attributes they release.
func scopeAllowsAttribute(scopes []string, name string) bool {
	switch name {
	case "email", "email_verified":
		return slices.Contains(scopes, "email") || slices.Contains(scopes, "profile")
	case "phone_number", "phone_number_verified":
		return slices.Contains(scopes, "phone") || slices.Contains(scopes, "profile")
	default:
		return slices.Contains(scopes, "profile")
	}
}

// Refresh exchanges a refresh token for new access and ID tokens; check
// (may be nil) runs on the token's user first (SECRET_HASH).
func (s *Service) Refresh(ctx context.Context, client *AppClient, token string, check func(*User) error) (*AuthenticationResult, error) {
	invalid := ErrNotAuthorized.WithMessage(msgInvalidRefreshToken)
	if token == "" {
		return nil, invalid
	}
	rt, err := s.store.GetRefreshToken(ctx, hashCode(token))
	if errors.Is(err, ErrNotFound) {
		return nil, invalid
	}
	if err != nil {
		return nil, asError(err)
	}
	if rt.ClientID != client.ClientID {
		return nil, invalid
	}
	if !rt.RevokedAt.IsZero() {
		return nil, ErrNotAuthorized.WithMessage(msgRefreshRevoked)
	}
	if !s.now().Before(rt.Expires) {
		return nil, ErrNotAuthorized.WithMessage(msgRefreshExpired)
	}
	pool, err := s.LookupPool(ctx, rt.UserPoolID)
	if err != nil {
		return nil, err
	}
	u, err := s.store.GetUserBySub(ctx, pool.ID, rt.Sub)
	if err != nil {
		return nil, invalid
	}
	if check != nil {
		if err := check(u); err != nil {
			return nil, err
		}
	}
	if !u.Enabled {
		return nil, ErrNotAuthorized.WithMessage(msgUserDisabled)
	}
	scopes, err := s.activeOf(ctx, pool.ID, rt.Scopes)
	if err != nil {
		return nil, err
	}
	return s.IssueUserTokens(ctx, pool, client, u, scopes, IssueOptions{
		IDToken: slices.Contains(rt.Scopes, "openid") || slices.Contains(rt.Scopes, ScopeAdmin), AuthTime: rt.AuthTime, OriginJTI: rt.OriginJTI})
}

// activeOf keeps the built-in scopes and the custom scopes still defined.
// When the store cannot say which are defined it fails: a deleted scope
// must never reach a token.
func (s *Service) activeOf(ctx context.Context, poolID string, scopes []string) ([]string, error) {
	active, err := s.grants.activeScopes(ctx, s, poolID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, sc := range scopes {
		if IsBuiltinScope(sc) || active[sc] {
			out = append(out, sc)
		}
	}
	return out, nil
}

// CheckAccessToken verifies an access token and that it is not revoked
// (GlobalSignOut, RevokeToken), and returns its claims and user.
func (s *Service) CheckAccessToken(ctx context.Context, token string, requiredScope string) (*AccessClaims, *User, error) {
	if s.tokens == nil {
		return nil, nil, asError(errors.New("cognito: no token checker configured"))
	}
	c, err := s.tokens.ParseAccessToken(ctx, token)
	if err != nil {
		if errors.Is(err, ErrAccessTokenExpired) {
			return nil, nil, ErrNotAuthorized.WithMessage(msgAccessTokenExpired)
		}
		return nil, nil, ErrNotAuthorized.WithMessage(msgInvalidAccessToken)
	}
	if c.OriginJTI == "" || c.Username == "" {
		return nil, nil, ErrNotAuthorized.WithMessage(msgInvalidAccessToken) // a client credentials token
	}
	if requiredScope != "" && !slices.Contains(c.Scopes, requiredScope) {
		return nil, nil, ErrNotAuthorized.WithMessage(msgAccessTokenScopes)
	}
	u, err := s.store.GetUserBySub(ctx, c.PoolID, c.Sub)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, ErrUserNotFound
	}
	if err != nil {
		return nil, nil, asError(err)
	}
	// Sign-out is recorded at the start of the second after it happened;
	// tokens count whole seconds, so a token from before has an earlier iat.
	if !u.Enabled {
		return nil, nil, ErrNotAuthorized.WithMessage(msgUserDisabled)
	}
	revoked := !u.SignedOutAt.IsZero() && c.IssuedAt.Before(u.SignedOutAt)
	if rt, err := s.store.GetRefreshTokenByOriginJTI(ctx, c.PoolID, c.OriginJTI); err == nil && !rt.RevokedAt.IsZero() {
		revoked = true
	}
	if revoked {
		return nil, nil, ErrNotAuthorized.WithMessage(msgAccessTokenRevoked)
	}
	return c, u, nil
}

// GetUser returns the signed-in user's own attributes.
func (s *Service) GetUser(ctx context.Context, in *AccessTokenInput) (*GetUserOutput, error) {
	if err := Validate("GetUser", in); err != nil {
		return nil, err
	}
	_, u, err := s.CheckAccessToken(ctx, in.AccessToken, ScopeAdmin)
	if err != nil {
		return nil, err
	}
	return &GetUserOutput{Username: u.Username, UserAttributes: u.Attributes}, nil
}

// GlobalSignOut revokes every token of the signed-in user.
func (s *Service) GlobalSignOut(ctx context.Context, in *AccessTokenInput) (*Empty, error) {
	if err := Validate("GlobalSignOut", in); err != nil {
		return nil, err
	}
	c, u, err := s.CheckAccessToken(ctx, in.AccessToken, ScopeAdmin)
	if err != nil {
		return nil, err
	}
	err = s.updateUncached(ctx, func(tx Tx) error {
		cur, err := tx.GetUserBySub(ctx, c.PoolID, u.Sub)
		if err != nil {
			return err
		}
		return s.signOut(ctx, tx, cur)
	})
	return empty(err)
}

// RevokeToken revokes a refresh token and the access and ID tokens issued
// with it or from it.
func (s *Service) RevokeToken(ctx context.Context, in *RevokeTokenInput) (*Empty, error) {
	if err := Validate("RevokeToken", in); err != nil {
		return nil, err
	}
	if _, _, err := s.appClient(ctx, in.ClientId); err != nil {
		return nil, err
	}
	c, err := s.authenticateClient(ctx, "", ClientAuth{ClientID: in.ClientId, Secret: in.ClientSecret})
	if refused := (*GrantError)(nil); errors.As(err, &refused) {
		return nil, ErrUnauthorized.WithMessage(msgRevokeBadClient)
	}
	if err != nil {
		return nil, err
	}
	return empty(s.RevokeRefreshToken(ctx, c.client, in.Token))
}

// RevokeRefreshToken revokes token for an authenticated client; it is
// shared by RevokeToken and /oauth2/revoke. An unknown token is not an
// error (RFC 7009 section 2.2).
func (s *Service) RevokeRefreshToken(ctx context.Context, client *AppClient, token string) error {
	if !client.Settings.EnableTokenRevocation {
		return ErrUnsupportedOperation.WithMessage(msgRevocationDisabled)
	}
	rt, err := s.store.GetRefreshToken(ctx, hashCode(token))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return asError(err)
	}
	if rt.ClientID != client.ClientID {
		return ErrUnauthorized.WithMessage(msgRevokeBadClient)
	}
	return s.updateUncached(ctx, func(tx Tx) error {
		return tx.RevokeRefreshTokens(ctx, rt.UserPoolID, rt.Sub, rt.Hash, s.now().UTC())
	})
}

// phantomLockouts keeps, in memory, the failed sign-ins of names that do
// not exist, so that the lockout a real user would get is simulated for
// them when user-existence errors are prevented. It is bounded: past
// maxPhantoms names it starts afresh.
type phantomLockouts struct {
	mu    sync.Mutex
	names map[string]*phantom
}

type phantom struct {
	failures    int
	lockedUntil time.Time
}

const maxPhantoms = 100_000

// fail records a failed sign-in for name at now and reports whether the
// name is locked out (the attempt then does not count, as for real users).
func (p *phantomLockouts) fail(name string, now time.Time) (locked bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.names == nil || len(p.names) >= maxPhantoms {
		p.names = map[string]*phantom{}
	}
	ph := p.names[name]
	if ph == nil {
		ph = &phantom{}
		p.names[name] = ph
	}
	if now.Before(ph.lockedUntil) {
		return true
	}
	failSignIn(&ph.failures, &ph.lockedUntil, now)
	return false
}
