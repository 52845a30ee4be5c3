package cognito

import (
	"context"
	"slices"
)

// AdminInitiateAuthInput is AdminInitiateAuthRequest.
type AdminInitiateAuthInput struct {
	UserPoolId     string            `json:"UserPoolId,omitempty"`
	ClientId       string            `json:"ClientId,omitempty"`
	AuthFlow       string            `json:"AuthFlow,omitempty"`
	AuthParameters map[string]string `json:"AuthParameters,omitempty"`
}

// AdminRespondToAuthChallengeInput is AdminRespondToAuthChallengeRequest.
type AdminRespondToAuthChallengeInput struct {
	UserPoolId         string            `json:"UserPoolId,omitempty"`
	ClientId           string            `json:"ClientId,omitempty"`
	ChallengeName      string            `json:"ChallengeName,omitempty"`
	Session            string            `json:"Session,omitempty"`
	ChallengeResponses map[string]string `json:"ChallengeResponses,omitempty"`
}

// adminClient is the app client an Admin* sign-in names, which must
// belong to the pool it names (a pool the caller's region sees).
func (s *Service) adminClient(ctx context.Context, poolID, clientID string) (*AppClient, *UserPool, error) {
	pool, err := s.getPool(ctx, s.store, poolID)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.grants.client(ctx, s, clientID)
	if err != nil {
		return nil, nil, err
	}
	if c.client == nil || c.client.UserPoolID != pool.ID {
		return nil, nil, ErrResourceNotFound.WithMessagef(msgClientNotFound, clientID)
	}
	return c.client, pool, nil
}

// AdminInitiateAuth starts a sign-in from a trusted back end (SigV4):
// ADMIN_USER_PASSWORD_AUTH (or its legacy name ADMIN_NO_SRP_AUTH),
// USER_SRP_AUTH, REFRESH_TOKEN_AUTH, USER_AUTH.
func (s *Service) AdminInitiateAuth(ctx context.Context, in *AdminInitiateAuthInput) (*AuthOutput, error) {
	if err := s.validate(ctx, "AdminInitiateAuth", in); err != nil {
		return nil, err
	}
	client, pool, err := s.adminClient(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	return s.initiate(ctx, pool, client, in.AuthFlow, in.AuthParameters, true)
}

// AdminRespondToAuthChallenge answers a challenge of AdminInitiateAuth.
func (s *Service) AdminRespondToAuthChallenge(ctx context.Context, in *AdminRespondToAuthChallengeInput) (*AuthOutput, error) {
	if err := s.validate(ctx, "AdminRespondToAuthChallenge", in); err != nil {
		return nil, err
	}
	client, pool, err := s.adminClient(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	return s.respond(ctx, pool, client, in.ChallengeName, in.Session, in.ChallengeResponses)
}

// initiate is InitiateAuth and AdminInitiateAuth once the client is
// known. The password flows are split by side: USER_PASSWORD_AUTH only
// through InitiateAuth, ADMIN_USER_PASSWORD_AUTH only through
// AdminInitiateAuth (AWS: "Initiate Auth method not supported.").
func (s *Service) initiate(ctx context.Context, pool *UserPool, client *AppClient, flow string, p map[string]string, admin bool) (*AuthOutput, error) {
	switch flow {
	case "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH":
		if (flow == "USER_PASSWORD_AUTH") == admin {
			return nil, ErrInvalidParameter.WithMessage(msgInitiateAuthMethod)
		}
		if !allowsAuthFlow(client, flow) {
			if flow == "USER_PASSWORD_AUTH" {
				return nil, ErrInvalidParameter.WithMessage(msgUserPasswordAuthOff)
			}
			return nil, ErrInvalidParameter.WithMessage(msgAuthFlowOff)
		}
		if p["USERNAME"] == "" || p["PASSWORD"] == "" {
			return nil, ErrInvalidParameter.WithMessage(msgMissingAuthParams)
		}
		return s.passwordSignIn(ctx, pool, client, p["USERNAME"], p["PASSWORD"], p["SECRET_HASH"])
	case "USER_SRP_AUTH":
		if !allowsAuthFlow(client, flow) {
			return nil, ErrInvalidParameter.WithMessage(msgSRPAuthOff)
		}
		if err := requireParams(p, "USERNAME", "SRP_A"); err != nil {
			return nil, err
		}
		if err := s.checkSecretHash(client, p["SECRET_HASH"], msgSecretHashWrong, p["USERNAME"]); err != nil {
			return nil, err
		}
		return s.startSRP(ctx, pool, client, p["USERNAME"], p["SRP_A"], false)
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		if !allowsAuthFlow(client, flow) {
			return nil, ErrInvalidParameter.WithMessage(msgAuthFlowOff)
		}
		res, err := s.Refresh(ctx, client, p["REFRESH_TOKEN"], func(u *User) error {
			return s.checkSecretHash(client, p["SECRET_HASH"], msgRefreshSecretHash, u.Username, u.Sub, p["USERNAME"])
		})
		if err != nil {
			return nil, err
		}
		return &AuthOutput{ChallengeParameters: map[string]string{}, AuthenticationResult: res}, nil
	case "USER_AUTH":
		return s.startUserAuth(ctx, pool, client, p)
	case "CUSTOM_AUTH":
		return s.startCustomAuth(ctx, pool, client, p) // triggers_custom_auth.go
	default:
		return nil, ErrInvalidParameter.WithMessagef(msgAuthFlowUnsupported, flow)
	}
}

// respond is RespondToAuthChallenge and AdminRespondToAuthChallenge once
// the client is known.
func (s *Service) respond(ctx context.Context, pool *UserPool, client *AppClient, challenge, session string, r map[string]string) (*AuthOutput, error) {
	switch challenge {
	case challengeNewPassword:
		return s.respondNewPassword(ctx, pool, client, session, r)
	case "PASSWORD_VERIFIER":
		return s.respondSRP(ctx, pool, client, r)
	case challengeSelect:
		return s.respondSelectChallenge(ctx, pool, client, session, r)
	case challengeCustom:
		return s.respondCustomChallenge(ctx, pool, client, session, r) // triggers_custom_auth.go
	case MFASoftwareToken, MFASMS, MFAEmail:
		return s.respondMFA(ctx, pool, client, challenge, session, r)
	case challengeSelectMFA:
		return s.respondSelectMFA(ctx, pool, client, session, r)
	case challengeMFASetup:
		return s.respondMFASetup(ctx, pool, client, session, r)
	default:
		return nil, ErrInvalidParameter.WithMessagef(msgChallengeUnsupported, challenge)
	}
}

// requireParams refuses AuthParameters or ChallengeResponses that lack
// one of names.
func requireParams(p map[string]string, names ...string) error {
	for _, n := range names {
		if p[n] == "" {
			return ErrInvalidParameter.WithMessagef(msgMissingParameter, n)
		}
	}
	return nil
}

// allowsAuthFlow reports whether ExplicitAuthFlows lets the client use
// flow. Without any, Cognito allows refresh, SRP and custom auth. The
// legacy names (ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY,
// USER_PASSWORD_AUTH) cannot be mixed with the ALLOW_ ones; a client
// with only legacy names keeps what they meant before 2019: refresh and
// SRP always (unless CUSTOM_AUTH_FLOW_ONLY), plus the flows they name.
func allowsAuthFlow(c *AppClient, flow string) bool {
	flows := c.Settings.ExplicitAuthFlows
	if len(flows) == 0 {
		flows = []string{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"}
	}
	has := func(f string) bool { return slices.Contains(flows, f) }
	legacy := slices.ContainsFunc(flows, func(f string) bool { return slices.Contains(legacyAuthFlows, f) })
	switch flow {
	case "USER_PASSWORD_AUTH":
		return has("ALLOW_USER_PASSWORD_AUTH") || has("USER_PASSWORD_AUTH")
	case "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH":
		return has("ALLOW_ADMIN_USER_PASSWORD_AUTH") || has("ADMIN_NO_SRP_AUTH")
	case "USER_SRP_AUTH":
		return has("ALLOW_USER_SRP_AUTH") || legacy && !has("CUSTOM_AUTH_FLOW_ONLY")
	case "USER_AUTH":
		return has("ALLOW_USER_AUTH")
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		return has("ALLOW_REFRESH_TOKEN_AUTH") || !has("ALLOW_USER_PASSWORD_AUTH") && len(c.Settings.ExplicitAuthFlows) > 0 && legacy
	}
	return false
}
