package cognito

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"slices"
	"time"
)

// RefreshTokenRotation is RefreshTokenRotationType: with Feature ENABLED
// every refresh returns a new refresh token, and the one it replaces stays
// good for RetryGracePeriodSeconds (0 to 60) so that a client can retry.
type RefreshTokenRotation struct {
	Feature                 string `json:"Feature"`
	RetryGracePeriodSeconds *int32 `json:"RetryGracePeriodSeconds,omitempty"`
}

// ErrRefreshTokenReuse is a refresh with a token that rotation has
// replaced, after its grace period.
var ErrRefreshTokenReuse = &Error{Type: "RefreshTokenReuseException"}

// rotation reports whether the client rotates refresh tokens, and the
// grace period of a rotated token.
func (c *AppClient) rotation() (bool, time.Duration) {
	r := c.Settings.RefreshTokenRotation
	if r == nil || r.Feature != "ENABLED" {
		return false, 0
	}
	if r.RetryGracePeriodSeconds == nil {
		return true, 0
	}
	return true, time.Duration(*r.RetryGracePeriodSeconds) * time.Second
}

// GetTokensFromRefreshTokenInput is GetTokensFromRefreshTokenRequest.
// ClientMetadata is for Lambda triggers, which cognitod refuses to
// configure, and DeviceKey for remembered devices, which it does not
// track: both are accepted and have nothing to act on.
type GetTokensFromRefreshTokenInput struct {
	RefreshToken   string            `json:"RefreshToken,omitempty"`
	ClientId       string            `json:"ClientId,omitempty"`
	ClientSecret   string            `json:"ClientSecret,omitempty"`
	DeviceKey      string            `json:"DeviceKey,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// GetTokensFromRefreshTokenOutput is GetTokensFromRefreshTokenResponse.
type GetTokensFromRefreshTokenOutput struct {
	AuthenticationResult *AuthenticationResult `json:"AuthenticationResult"`
}

// GetTokensFromRefreshToken exchanges a refresh token for new tokens, and
// a new refresh token when the client rotates them.
func (s *Service) GetTokensFromRefreshToken(ctx context.Context, in *GetTokensFromRefreshTokenInput) (*GetTokensFromRefreshTokenOutput, error) {
	if err := s.validate(ctx, "GetTokensFromRefreshToken", in); err != nil {
		return nil, err
	}
	client, _, err := s.appClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	// The client proves itself with its secret, as at the token endpoint.
	if _, err := s.authenticateClient(ctx, "", ClientAuth{ClientID: in.ClientId, Secret: in.ClientSecret}); err != nil {
		var refused *GrantError
		if !errors.As(err, &refused) {
			return nil, err
		}
		switch {
		case client.HasSecret() && in.ClientSecret == "":
			return nil, ErrNotAuthorized.WithMessagef(msgClientSecretMissing, client.ClientID)
		case client.HasSecret():
			return nil, ErrNotAuthorized.WithMessagef(msgClientSecretWrong, client.ClientID)
		default:
			return nil, ErrNotAuthorized.WithMessagef(msgClientHasNoSecret, client.ClientID)
		}
	}
	if on, _ := client.rotation(); !on && !allowsAuthFlow(client, "REFRESH_TOKEN_AUTH") {
		// Without rotation a refresh is the REFRESH_TOKEN_AUTH flow by
		// another name: a client that turned it off refreshes no tokens.
		return nil, ErrInvalidParameter.WithMessage(msgAuthFlowOff)
	}
	res, err := s.refresh(ctx, client, in.RefreshToken, nil)
	if err != nil {
		return nil, err
	}
	return &GetTokensFromRefreshTokenOutput{AuthenticationResult: res}, nil
}

// Refresh is the REFRESH_TOKEN_AUTH flow (InitiateAuth, AdminInitiateAuth):
// new access and ID tokens for a refresh token; check (may be nil) runs on
// the token's user first (SECRET_HASH). A client that rotates refresh
// tokens refuses the flow, as Cognito's does: rotation happens only
// through GetTokensFromRefreshToken and the token endpoint.
func (s *Service) Refresh(ctx context.Context, client *AppClient, token string, check func(*User) error) (*AuthenticationResult, error) {
	if on, _ := client.rotation(); on {
		return nil, ErrInvalidParameter.WithMessage(msgRefreshFlowWithRotation)
	}
	return s.refresh(ctx, client, token, check)
}

// refresh is the one refresh rule of every refresh path. Without rotation
// the refresh token stays as it is. With rotation it is exchanged, in one
// transaction, for a successor that expires when it would have; the old
// token is rotated at most once, and answers with that same successor for
// the client's grace period (a retry, or concurrent requests of one app).
// Used after that, it is a replay: the whole family is revoked.
func (s *Service) refresh(ctx context.Context, client *AppClient, token string, check func(*User) error) (*AuthenticationResult, error) {
	invalid := ErrNotAuthorized.WithMessage(msgInvalidRefreshToken)
	if token == "" {
		return nil, invalid
	}
	hash := hashCode(token)
	rt, err := s.store.GetRefreshToken(ctx, hash)
	if errors.Is(err, ErrNotFound) {
		return nil, invalid
	}
	if err != nil {
		return nil, asError(err)
	}
	if rt.ClientID != client.ClientID {
		return nil, invalid
	}
	if err := s.usable(rt); err != nil {
		return nil, err
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
	successor := ""
	if on, grace := client.rotation(); on || !rt.RotatedAt.IsZero() {
		if successor, err = s.rotate(ctx, rt, grace); err != nil {
			return nil, err
		}
	}
	res, err := s.IssueUserTokens(ctx, pool, client, u, scopes, IssueOptions{
		IDToken: slices.Contains(rt.Scopes, "openid") || slices.Contains(rt.Scopes, ScopeAdmin), AuthTime: rt.AuthTime, OriginJTI: rt.OriginJTI, Source: SourceTokenRefresh})
	if err != nil {
		return nil, err
	}
	res.RefreshToken = successor
	return res, nil
}

// usable checks a refresh token's revocation and expiry.
func (s *Service) usable(rt *RefreshToken) error {
	if !rt.RevokedAt.IsZero() {
		return ErrNotAuthorized.WithMessage(msgRefreshRevoked)
	}
	if !s.now().Before(rt.Expires) {
		return ErrNotAuthorized.WithMessage(msgRefreshExpired)
	}
	return nil
}

// successorPurpose seals a rotated token's successor to that token's row:
// a sealed successor copied to another row does not open there.
func successorPurpose(hash string) string { return "refresh-successor:" + hash }

// rotate returns rt's successor: a new one if rt is current, the one it
// was rotated to if that happened less than grace ago and the successor
// is itself still current. Anything else is a replay of a spent token.
func (s *Service) rotate(ctx context.Context, rt *RefreshToken, grace time.Duration) (string, error) {
	raw := newRefreshTokenValue()
	now := s.now().UTC()
	var successor string
	var replay bool
	err := s.updateUncached(ctx, func(tx Tx) error {
		successor, replay = "", false
		cur, err := tx.GetRefreshToken(ctx, rt.Hash)
		if errors.Is(err, ErrNotFound) {
			return ErrNotAuthorized.WithMessage(msgInvalidRefreshToken) // its user was deleted meanwhile
		}
		if err != nil {
			return err
		}
		if err := s.usable(cur); err != nil {
			return err
		}
		if cur.RotatedAt.IsZero() {
			next := &RefreshToken{Hash: hashCode(raw), UserPoolID: cur.UserPoolID, ClientID: cur.ClientID, Sub: cur.Sub,
				Scopes: cur.Scopes, OriginJTI: cur.OriginJTI, AuthTime: cur.AuthTime, CreationDate: now, Expires: cur.Expires}
			if err := tx.RotateRefreshToken(ctx, cur.Hash, now, s.sealer.Seal(successorPurpose(cur.Hash), []byte(raw))); err != nil {
				return err
			}
			if err := tx.CreateRefreshToken(ctx, next); err != nil {
				return err
			}
			successor = raw
			return nil
		}
		if now.Before(cur.RotatedAt.Add(grace)) {
			b, err := s.sealer.Open(successorPurpose(cur.Hash), cur.SealedSuccessor)
			if err == nil {
				next, err := tx.GetRefreshToken(ctx, hashCode(string(b)))
				if err == nil && next.RotatedAt.IsZero() {
					successor = string(b)
					return nil
				}
			}
		}
		// A spent token came back: whoever holds the family may have
		// stolen it. Revoke it all; the error is returned after the
		// commit, or the revocation would be rolled back with it.
		replay = true
		return tx.RevokeRefreshTokens(ctx, cur.UserPoolID, cur.Sub, cur.Hash, now)
	})
	if err != nil {
		return "", err
	}
	if replay {
		// Operators want to know: a replay is a stolen token or a client
		// that retries too late. Neither token is logged.
		s.logger.WarnContext(ctx, "refresh token replayed after rotation; its family is revoked",
			"pool", rt.UserPoolID, "client", rt.ClientID, "sub", rt.Sub)
		return "", ErrRefreshTokenReuse.WithMessage(msgRefreshTokenReused)
	}
	return successor, nil
}

// newRefreshTokenValue is a new refresh token: 48 random bytes.
func newRefreshTokenValue() string {
	raw := make([]byte, 48)
	rand.Read(raw)
	return base64.RawURLEncoding.EncodeToString(raw)
}
