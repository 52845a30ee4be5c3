package cognito

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
)

// The hosted UI's sign-up and password reset pages (internal/oauth) call
// the public operations (SignUp, ConfirmSignUp, ResendConfirmationCode,
// ForgotPassword, ConfirmForgotPassword), so their rules, exceptions and
// messages are the API's. Two things differ, and are decided here:
//   - The pages act for the app client, secret included: HostedSecretHash
//     computes the SECRET_HASH a client with a secret needs, as Cognito's
//     hosted UI does for its own clients.
//   - A page must not tell which names exist, whatever the client's
//     PreventUserExistenceErrors says: HostedForgotPassword and
//     HostedConfirmForgotPassword answer an unknown name as a known one
//     (the pretended codes of phantom_codes.go), as an ENABLED client's
//     API calls are answered. Sign-up itself says "User already exists",
//     as Cognito's hosted sign-up page does.

// HostedSecretHash returns the SECRET_HASH of username for client, ""
// for a client without a secret.
func (s *Service) HostedSecretHash(client *AppClient, username string) (string, error) {
	if !client.HasSecret() {
		return "", nil
	}
	secret, err := s.ClientSecret(client)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + client.ClientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil)), nil
}

// HostedForgotPassword is ForgotPassword for the hosted page: an unknown
// name gets the pretended delivery a known one would.
func (s *Service) HostedForgotPassword(ctx context.Context, pool *UserPool, client *AppClient, username string) (*CodeDeliveryOutput, error) {
	in := &ForgotPasswordInput{ClientId: client.ClientID, Username: username}
	if err := s.validate(ctx, "ForgotPassword", in); err != nil {
		return nil, err
	}
	return s.forgotPassword(ctx, pool, client, in, true)
}

// HostedConfirmForgotPassword is ConfirmForgotPassword for the hosted
// page: an unknown name is answered as a wrong code.
func (s *Service) HostedConfirmForgotPassword(ctx context.Context, pool *UserPool, client *AppClient, username, code, password string) error {
	in := &ConfirmForgotPasswordInput{ClientId: client.ClientID, Username: username, ConfirmationCode: code, Password: password}
	if err := s.validate(ctx, "ConfirmForgotPassword", in); err != nil {
		return err
	}
	_, err := s.confirmForgotPassword(ctx, pool, in, true)
	return err
}

// HostedSignUpAttributes are the attributes the hosted sign-up page asks
// for: the pool schema's required ones, without the one the username
// already is (UsernameAttributes), and "email" or "phone_number" when the
// username is neither and the pool verifies it.
func HostedSignUpAttributes(pool *UserPool) []string {
	var out []string
	add := func(name string) {
		for _, n := range out {
			if n == name {
				return
			}
		}
		for _, n := range pool.Settings.UsernameAttributes {
			if n == name {
				return
			}
		}
		out = append(out, name)
	}
	for _, a := range pool.Settings.SchemaAttributes {
		if a.Required != nil && *a.Required && a.Name != "sub" {
			add(a.Name)
		}
	}
	for _, name := range pool.Settings.AutoVerifiedAttributes {
		add(name)
	}
	return out
}

// HostedSignUpAllowed reports whether users may sign themselves up
// (AdminCreateUserConfig.AllowAdminCreateUserOnly is off).
func HostedSignUpAllowed(pool *UserPool) bool {
	c := pool.Settings.AdminCreateUserConfig
	return c == nil || !c.AllowAdminCreateUserOnly
}

// HostedPasswordRules lists the pool's password policy as the sign-up
// and reset pages show it.
func HostedPasswordRules(pool *UserPool) []string {
	p := passwordPolicy(pool)
	if p == nil {
		return nil // no policy, no rules (checkPasswordPolicy)
	}
	min := 8
	if p.MinimumLength != nil {
		min = int(*p.MinimumLength)
	}
	rules := []string{"At least " + strconv.Itoa(min) + " characters"}
	for _, r := range []struct {
		on   bool
		text string
	}{{p.RequireLowercase, "A lowercase letter"}, {p.RequireUppercase, "An uppercase letter"}, {p.RequireNumbers, "A number"},
		{p.RequireSymbols, "A special character"}} {
		if r.on {
			rules = append(rules, r.text)
		}
	}
	return rules
}

// HostedRecoveryAllowed reports whether the pool lets users reset their
// own password (AccountRecoverySetting is not admin_only).
func HostedRecoveryAllowed(pool *UserPool) bool { return !adminOnlyRecovery(pool) }

// HostedConfirmedUser returns the user whose sub is sub when the hosted
// UI may sign them in right after they confirmed the sign-up they made
// in the same browser (the sealed flow of internal/oauth proves that):
// enabled and confirmed; nil otherwise.
func (s *Service) HostedConfirmedUser(ctx context.Context, pool *UserPool, sub string) *User {
	u, err := s.store.GetUserBySub(ctx, pool.ID, sub)
	if err != nil || !u.Enabled || u.Status != StatusConfirmed {
		return nil
	}
	return u
}
