package cognito

import (
	"context"
	"encoding/json"
	"net/url"
)

// The second factor of a hosted sign-in. The hosted pages ask the same
// questions as RespondToAuthChallenge, through the same checks (a code
// counts toward the lockout, a TOTP step and a session work once), but a
// passed sign-in ends in an authorization code, not in tokens: so these
// operations return a HostedSignIn, and the hosted pages complete only
// with one. The only ways to get one are HostedSecondFactor (the pool and
// the user need no second factor) and the answers below: a page that
// cannot ask for a factor cannot skip it.

// HostedSignIn is a hosted sign-in whose every factor is proved.
type HostedSignIn struct{ user *User }

// User is the signed-in user.
func (h *HostedSignIn) User() *User { return h.user }

// HostedChallenge is the second-factor step a hosted page shows.
type HostedChallenge struct {
	// Name is SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE or
	// MFA_SETUP.
	Name string
	// Session answers the challenge; the page keeps it sealed.
	Session string
	// Medium and Destination say where an SMS or email code went (the
	// destination masked).
	Medium, Destination string
	// Choices are the factors of SELECT_MFA_TYPE.
	Choices []string
}

func hostedChallenge(out *AuthOutput) *HostedChallenge {
	c := &HostedChallenge{Name: out.ChallengeName, Session: out.Session,
		Medium: out.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"], Destination: out.ChallengeParameters["CODE_DELIVERY_DESTINATION"]}
	if v := out.ChallengeParameters["MFAS_CAN_CHOOSE"]; v != "" {
		_ = json.Unmarshal([]byte(v), &c.Choices)
	}
	return c
}

// HostedSecondFactor continues a hosted sign-in whose password is proved
// and permanent: the challenge to show, or the completed sign-in when
// the pool and the user need no second factor.
func (s *Service) HostedSecondFactor(ctx context.Context, pool *UserPool, client *AppClient, u *User) (*HostedSignIn, *HostedChallenge, error) {
	challenge, choices, err := s.mfaPlan(ctx, pool, u)
	if err != nil {
		return nil, nil, err
	}
	if challenge == "" {
		done, err := s.hostedSignedIn(ctx, pool, client, u)
		return done, nil, err
	}
	out, err := s.issueMFAChallenge(ctx, pool, client, u, challenge, choices)
	if err != nil {
		return nil, nil, err
	}
	return nil, hostedChallenge(out), nil
}

// hostedResponses are the ChallengeResponses a hosted page's answer
// stands for: the user's name and the client's SECRET_HASH (the hosted
// pages act for the client), and the answer.
func (s *Service) hostedResponses(client *AppClient, username string, answer map[string]string) (map[string]string, error) {
	hash, err := s.HostedSecretHash(client, username)
	if err != nil {
		return nil, err
	}
	r := map[string]string{"USERNAME": username}
	if hash != "" {
		r["SECRET_HASH"] = hash
	}
	for k, v := range answer {
		r[k] = v
	}
	return r, nil
}

// HostedAnswerMFA answers a SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP
// challenge with code, or SELECT_MFA_TYPE with the factor chosen (code
// names it): the completed sign-in, or the next challenge.
func (s *Service) HostedAnswerMFA(ctx context.Context, pool *UserPool, client *AppClient, challenge, session, username, code string) (*HostedSignIn, *HostedChallenge, error) {
	switch challenge {
	case MFASoftwareToken, MFASMS, MFAEmail:
		r, err := s.hostedResponses(client, username, map[string]string{mfaCodeParam[challenge]: code})
		if err != nil {
			return nil, nil, err
		}
		u, err := s.passMFA(ctx, pool, client, challenge, session, r)
		if err != nil {
			return nil, nil, err
		}
		done, err := s.hostedSignedIn(ctx, pool, client, u)
		return done, nil, err
	case challengeSelectMFA:
		r, err := s.hostedResponses(client, username, map[string]string{"ANSWER": code})
		if err != nil {
			return nil, nil, err
		}
		out, err := s.respondSelectMFA(ctx, pool, client, session, r)
		if err != nil {
			return nil, nil, err
		}
		return nil, hostedChallenge(out), nil
	}
	return nil, nil, ErrInvalidParameter.WithMessagef(msgChallengeUnsupported, challenge)
}

// hostedSetupSession refuses an MFA_SETUP session that is not this pool's
// and client's: AssociateSoftwareToken and VerifySoftwareToken take any
// session of their own, the hosted pages only the one they issued.
func (s *Service) hostedSetupSession(pool *UserPool, client *AppClient, session string) error {
	sess, err := s.openSession(session)
	if err != nil {
		return err
	}
	if sess.Pool != pool.ID || sess.Client != client.ClientID || sess.Challenge != challengeMFASetup {
		return ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	return nil
}

// HostedAssociateTOTP gives the user of an MFA_SETUP session a new TOTP
// secret (AssociateSoftwareToken with the session): the secret, in
// base32, and the session to verify it with.
func (s *Service) HostedAssociateTOTP(ctx context.Context, pool *UserPool, client *AppClient, session string) (secret, next string, err error) {
	if err := s.hostedSetupSession(pool, client, session); err != nil {
		return "", "", err
	}
	out, err := s.AssociateSoftwareToken(ctx, &SoftwareTokenInput{Session: session})
	if err != nil {
		return "", "", err
	}
	return out.SecretCode, out.Session, nil
}

// HostedVerifyTOTP verifies the new software token with code
// (VerifySoftwareToken with the session), then answers MFA_SETUP: the
// completed sign-in. On a wrong code the session still holds, so the
// page may ask again.
func (s *Service) HostedVerifyTOTP(ctx context.Context, pool *UserPool, client *AppClient, session, username, code, device string) (*HostedSignIn, error) {
	if err := s.hostedSetupSession(pool, client, session); err != nil {
		return nil, err
	}
	v, err := s.VerifySoftwareToken(ctx, &VerifySoftwareTokenInput{Session: session, UserCode: code, FriendlyDeviceName: device})
	if err != nil {
		return nil, err
	}
	r, err := s.hostedResponses(client, username, nil)
	if err != nil {
		return nil, err
	}
	u, err := s.passMFASetup(ctx, pool, client, v.Session, r)
	if err != nil {
		return nil, err
	}
	return s.hostedSignedIn(ctx, pool, client, u)
}

// hostedSignedIn completes a hosted sign-in whose every factor is proved:
// the pool's post authentication function runs, as after an API sign-in,
// and its refusal ends the sign-in (the page shows it). It is the only
// maker of a HostedSignIn.
func (s *Service) hostedSignedIn(ctx context.Context, pool *UserPool, client *AppClient, u *User) (*HostedSignIn, error) {
	if err := s.postAuthentication(ctx, pool, client.ClientID, u); err != nil { // triggers_auth.go
		return nil, err
	}
	return &HostedSignIn{user: u}, nil
}

// TOTPKeyURI is the otpauth URI an authenticator app reads from a QR
// code (Google Authenticator's Key Uri Format): the issuer, the user's
// name and the base32 secret.
func TOTPKeyURI(issuer, username, secret string) string {
	label := url.PathEscape(issuer) + ":" + url.PathEscape(username)
	q := url.Values{"secret": {secret}, "issuer": {issuer}}
	return "otpauth://totp/" + label + "?" + q.Encode()
}
