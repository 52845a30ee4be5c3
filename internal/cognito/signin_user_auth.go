package cognito

import (
	"context"
	"errors"
	"slices"
)

// USER_AUTH is choice-based sign-in: the client names the user and either
// a PREFERRED_CHALLENGE or nothing, in which case the answer is
// SELECT_CHALLENGE with the AvailableChallenges to choose from. cognitod
// serves the password factor, as PASSWORD (the password itself) or
// PASSWORD_SRP (SRP); the passwordless factors (EMAIL_OTP, SMS_OTP,
// WEB_AUTHN) are refused with a clear message, never pretended.

// passwordChallenges are the choices the PASSWORD factor offers.
var passwordChallenges = []string{"PASSWORD", "PASSWORD_SRP"}

// unservedFactors are AuthFactorType values cognitod cannot serve yet.
var unservedFactors = []string{"EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"}

// startUserAuth is InitiateAuth with USER_AUTH.
func (s *Service) startUserAuth(ctx context.Context, pool *UserPool, client *AppClient, p map[string]string) (*AuthOutput, error) {
	if !allowsAuthFlow(client, "USER_AUTH") {
		return nil, ErrInvalidParameter.WithMessage(msgUserAuthOff)
	}
	if err := requireParams(p, "USERNAME"); err != nil {
		return nil, err
	}
	name := p["USERNAME"]
	if err := s.checkSecretHash(client, p["SECRET_HASH"], msgSecretHashWrong, name); err != nil {
		return nil, err
	}
	switch pref := p["PREFERRED_CHALLENGE"]; pref {
	case "":
		return s.selectChallenge(ctx, pool, client, name)
	case "PASSWORD", "PASSWORD_SRP":
		return s.answerPasswordChoice(ctx, pool, client, pref, name, p)
	default:
		return nil, refuseChallenge(pool, pref, msgPreferredChallenge)
	}
}

// refuseChallenge answers a choice cognitod does not serve: a factor the
// pool does not allow, one cognitod cannot serve yet, or no factor at all.
func refuseChallenge(pool *UserPool, choice, unknownFormat string) error {
	if slices.Contains(unservedFactors, choice) {
		if !slices.Contains(allowedFirstFactors(pool), choice) {
			return ErrInvalidParameter.WithMessagef(msgFactorNotAllowed, choice)
		}
		return ErrInvalidParameter.WithMessagef(msgFactorUnsupported, choice)
	}
	return ErrInvalidParameter.WithMessagef(unknownFormat, choice)
}

// selectChallenge answers USER_AUTH without a preferred challenge. An
// unknown name gets the same choices when existence errors are
// prevented, UserNotFoundException otherwise.
func (s *Service) selectChallenge(ctx context.Context, pool *UserPool, client *AppClient, name string) (*AuthOutput, error) {
	sess := authSession{Pool: pool.ID, Client: client.ClientID, Expires: s.sessionExpiry(client).Unix(),
		Challenge: challengeSelect, Name: signInKey(pool, name)}
	u, err := s.findUser(ctx, s.store, pool, name)
	switch {
	case errors.Is(err, ErrUserNotFound):
		if client.Settings.PreventUserExistenceErrors != "ENABLED" {
			return nil, ErrUserNotFound
		}
	case err != nil:
		return nil, err
	default:
		sess.Sub = u.Sub
	}
	return &AuthOutput{ChallengeName: challengeSelect, Session: s.sealSession(sess),
		ChallengeParameters: map[string]string{}, AvailableChallenges: slices.Clone(passwordChallenges)}, nil
}

// answerPasswordChoice goes on with PASSWORD (p holds PASSWORD) or
// PASSWORD_SRP (p holds SRP_A).
func (s *Service) answerPasswordChoice(ctx context.Context, pool *UserPool, client *AppClient, choice, name string, p map[string]string) (*AuthOutput, error) {
	if choice == "PASSWORD" {
		if err := requireParams(p, "PASSWORD"); err != nil {
			return nil, err
		}
		return s.passwordSignIn(ctx, pool, client, name, p["PASSWORD"], p["SECRET_HASH"])
	}
	if err := requireParams(p, "SRP_A"); err != nil {
		return nil, err
	}
	return s.startSRP(ctx, pool, client, name, p["SRP_A"], true)
}

// respondSelectChallenge answers SELECT_CHALLENGE: ANSWER names the
// choice, with PASSWORD or SRP_A.
func (s *Service) respondSelectChallenge(ctx context.Context, pool *UserPool, client *AppClient, session string, r map[string]string) (*AuthOutput, error) {
	sess, err := s.openSession(session)
	if err != nil {
		return nil, err
	}
	if sess.Pool != pool.ID || sess.Client != client.ClientID || sess.Challenge != challengeSelect {
		return nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	if err := requireParams(r, "USERNAME", "ANSWER"); err != nil {
		return nil, err
	}
	name := r["USERNAME"]
	if signInKey(pool, name) != sess.Name {
		// USERNAME may also be the user's sub or other alias.
		if u, err := s.findUser(ctx, s.store, pool, name); err != nil || sess.Sub == "" || u.Sub != sess.Sub {
			return nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
		}
	}
	if err := s.checkSecretHash(client, r["SECRET_HASH"], msgSecretHashWrong, name); err != nil {
		return nil, err
	}
	answer := r["ANSWER"]
	if !slices.Contains(passwordChallenges, answer) {
		return nil, refuseChallenge(pool, answer, msgSelectAnswer)
	}
	return s.answerPasswordChoice(ctx, pool, client, answer, name, r)
}
