package cognito

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
)

// Trigger sources of the pre token generation trigger (developer guide,
// "Pre token generation Lambda trigger").
const (
	SourceTokenHostedAuth        = "TokenGeneration_HostedAuth"
	SourceTokenAuthentication    = "TokenGeneration_Authentication"
	SourceTokenNewPassword       = "TokenGeneration_NewPasswordChallenge"
	SourceTokenRefresh           = "TokenGeneration_RefreshTokens"
	sourceTokenClientCredentials = "TokenGeneration_ClientCredentials"
)

// ClaimOverrides is what a pre token generation function changes in one
// token: claims added or replaced (name to JSON value) and claims left
// out. Claims Cognito does not let a function change never reach it
// (forbiddenClaim). internal/token applies it to the signed payload.
type ClaimOverrides struct {
	Add      map[string]json.RawMessage
	Suppress []string
}

// groupConfiguration is groupConfiguration and groupOverrideDetails.
type groupConfiguration struct {
	GroupsToOverride   []string `json:"groupsToOverride"`
	IAMRolesToOverride []string `json:"iamRolesToOverride"`
	PreferredRole      *string  `json:"preferredRole"`
}

// preTokenRequest is the request of every pre token generation event;
// scopes only in V2_0 and V3_0 events.
type preTokenRequest struct {
	UserAttributes     map[string]string   `json:"userAttributes"`
	Scopes             []string            `json:"scopes,omitempty"`
	GroupConfiguration *groupConfiguration `json:"groupConfiguration"`
	ClientMetadata     map[string]string   `json:"clientMetadata"`
}

// preTokenResponseV1 is the V1_0 response: the ID token only, values
// strings.
type preTokenResponseV1 struct {
	ClaimsOverrideDetails *struct {
		ClaimsToAddOrOverride map[string]string   `json:"claimsToAddOrOverride"`
		ClaimsToSuppress      []string            `json:"claimsToSuppress"`
		GroupOverrideDetails  *groupConfiguration `json:"groupOverrideDetails"`
	} `json:"claimsOverrideDetails"`
}

// tokenGeneration is idTokenGeneration and accessTokenGeneration.
type tokenGeneration struct {
	ClaimsToAddOrOverride map[string]json.RawMessage `json:"claimsToAddOrOverride"`
	ClaimsToSuppress      []string                   `json:"claimsToSuppress"`
	ScopesToAdd           []string                   `json:"scopesToAdd"`
	ScopesToSuppress      []string                   `json:"scopesToSuppress"`
}

// preTokenResponseV2 is the V2_0 and V3_0 response.
type preTokenResponseV2 struct {
	ClaimsAndScopeOverrideDetails *struct {
		IDTokenGeneration     *tokenGeneration    `json:"idTokenGeneration"`
		AccessTokenGeneration *tokenGeneration    `json:"accessTokenGeneration"`
		GroupOverrideDetails  *groupConfiguration `json:"groupOverrideDetails"`
	} `json:"claimsAndScopeOverrideDetails"`
}

// reservedClaims are the claims a pre token generation function cannot
// add, change or suppress ("You can't modify the following claims: acr,
// amr, aud, at_hash, auth_time, azp, cognito:username, exp, iat,
// identities, iss, jti, nbf, nonce, origin_jti, sub, token_use", developer
// guide). Group and role claims change only through groupOverrideDetails.
var reservedClaims = map[string]bool{"acr": true, "amr": true, "aud": true, "at_hash": true, "auth_time": true, "azp": true,
	"cognito:username": true, "exp": true, "iat": true, "identities": true, "iss": true, "jti": true, "nbf": true,
	"nonce": true, "origin_jti": true, "sub": true, "token_use": true,
	"cognito:groups": true, "cognito:roles": true, "cognito:preferred_role": true}

// reservedAccessClaims are the access token's own claims beyond those:
// scope changes through scopesToAdd and scopesToSuppress, and the client
// and user a token names cannot change.
var reservedAccessClaims = map[string]bool{"client_id": true, "scope": true, "username": true, "version": true, "event_id": true}

// forbiddenClaim reports whether a function may not touch name in an
// access (or else ID) token. Such claims are ignored, the rest of the
// response applies.
func forbiddenClaim(name string, access bool) bool {
	return name == "" || reservedClaims[name] || access && reservedAccessClaims[name]
}

// claimOverrides keeps what a function may change; nil when nothing.
func claimOverrides(add map[string]json.RawMessage, suppress []string, access bool) *ClaimOverrides {
	o := &ClaimOverrides{}
	for name, v := range add {
		if !forbiddenClaim(name, access) && json.Valid(v) {
			if o.Add == nil {
				o.Add = map[string]json.RawMessage{}
			}
			o.Add[name] = v
		}
	}
	for _, name := range suppress {
		if !forbiddenClaim(name, access) {
			o.Suppress = append(o.Suppress, name)
		}
	}
	if len(o.Add) == 0 && len(o.Suppress) == 0 {
		return nil
	}
	return o
}

// changeScopes applies scopesToAdd and scopesToSuppress to a copy of
// scopes. A scope with a space in it would split into two: ignored.
func changeScopes(scopes []string, g *tokenGeneration) []string {
	out := slices.Clone(scopes)
	for _, sc := range g.ScopesToAdd {
		if sc != "" && !strings.ContainsAny(sc, " \t\r\n\"\\") && !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return slices.DeleteFunc(out, func(sc string) bool { return slices.Contains(g.ScopesToSuppress, sc) })
}

// eventVersion is an event's version member for a LambdaVersion.
func eventVersion(lambdaVersion string) string {
	switch lambdaVersion {
	case "V2_0":
		return "2"
	case "V3_0":
		return "3"
	}
	return "1"
}

// preTokenGeneration invokes the pool's pre token generation function, if
// it has one, for a user's tokens and applies its answer to t: claims
// (t.IDOverrides, t.AccessOverrides, for internal/token to apply), scopes
// and groups. source is the trigger source ("" means
// TokenGeneration_Authentication). A pool that names a function while
// this server has no webhooks (a pool imported, or a restart without
// --trigger) fails the sign-in as an unreachable function does: tokens
// without the function's say would be a check skipped. preTokenTrigger's
// byte check keeps pools without triggers off the JSON decoder.
func (s *Service) preTokenGeneration(ctx context.Context, pool *UserPool, source string, t *UserTokens) error {
	arn, version := preTokenTrigger(pool)
	if arn == "" {
		return nil
	}
	if source == "" {
		source = SourceTokenAuthentication
	}
	groups := &groupConfiguration{GroupsToOverride: nonNilSlice(t.Groups), IAMRolesToOverride: nonNilSlice(t.Roles)}
	if t.PreferredRole != "" {
		groups.PreferredRole = &t.PreferredRole
	}
	req := preTokenRequest{UserAttributes: userEventAttributes(t.User), GroupConfiguration: groups, ClientMetadata: map[string]string{}}
	ev := &triggerEvent{Version: eventVersion(version), TriggerSource: source, UserPoolID: pool.ID, UserName: t.User.Username,
		CallerContext: callerContext{ClientID: t.ClientID}}
	if version == "V1_0" {
		ev.Request, ev.Response = req, preTokenResponseV1{}
		var r preTokenResponseV1
		if err := s.invokeTrigger(ctx, triggerPreToken, arn, ev, &r); err != nil {
			return err
		}
		d := r.ClaimsOverrideDetails
		if d == nil {
			return nil
		}
		add := make(map[string]json.RawMessage, len(d.ClaimsToAddOrOverride))
		for k, v := range d.ClaimsToAddOrOverride {
			b, _ := json.Marshal(v)
			add[k] = b
		}
		t.IDOverrides = claimOverrides(add, d.ClaimsToSuppress, false)
		overrideGroups(t, d.GroupOverrideDetails)
		return nil
	}
	req.Scopes = nonNilSlice(t.Scopes)
	ev.Request, ev.Response = req, preTokenResponseV2{}
	var r preTokenResponseV2
	if err := s.invokeTrigger(ctx, triggerPreToken, arn, ev, &r); err != nil {
		return err
	}
	d := r.ClaimsAndScopeOverrideDetails
	if d == nil {
		return nil
	}
	if g := d.IDTokenGeneration; g != nil {
		t.IDOverrides = claimOverrides(g.ClaimsToAddOrOverride, g.ClaimsToSuppress, false)
	}
	if g := d.AccessTokenGeneration; g != nil {
		t.AccessOverrides = claimOverrides(g.ClaimsToAddOrOverride, g.ClaimsToSuppress, true)
		t.Scopes = changeScopes(t.Scopes, g)
	}
	overrideGroups(t, d.GroupOverrideDetails)
	return nil
}

// overrideGroups replaces the token's groups and roles with the
// function's: "The groupOverrideDetails object is replaced with the one
// you provide", in both tokens' cognito:groups. A response without the
// member leaves them as they are.
func overrideGroups(t *UserTokens, g *groupConfiguration) {
	if g == nil {
		return
	}
	t.Groups, t.Roles, t.PreferredRole = g.GroupsToOverride, g.IAMRolesToOverride, ""
	if g.PreferredRole != nil {
		t.PreferredRole = *g.PreferredRole
	}
}

// preTokenClientCredentials invokes a V3_0 pre token generation function
// for a client credentials token (V1_0 and V2_0 functions are not called
// for machine-to-machine tokens), changing g's claims and scopes. Which
// function that is comes from the grant cache (machineTrigger): the token
// endpoint's fast path stays one map read for a pool without one. As for
// user tokens, a function named without webhooks to run it fails the
// grant.
func (s *Service) preTokenClientCredentials(ctx context.Context, g *ClientGrant) error {
	arn, err := s.grants.machineTrigger(ctx, s, g.PoolID)
	if err != nil || arn == "" {
		return err
	}
	ev := &triggerEvent{Version: eventVersion("V3_0"), TriggerSource: sourceTokenClientCredentials, UserPoolID: g.PoolID, UserName: g.ClientID,
		CallerContext: callerContext{ClientID: g.ClientID},
		Request:       preTokenRequest{UserAttributes: map[string]string{}, Scopes: nonNilSlice(g.Scopes), ClientMetadata: map[string]string{}},
		Response:      preTokenResponseV2{}}
	var r preTokenResponseV2
	if err := s.invokeTrigger(ctx, triggerPreToken, arn, ev, &r); err != nil {
		return err
	}
	if d := r.ClaimsAndScopeOverrideDetails; d != nil && d.AccessTokenGeneration != nil {
		a := d.AccessTokenGeneration
		g.Overrides = claimOverrides(a.ClaimsToAddOrOverride, a.ClaimsToSuppress, true)
		g.Scopes = changeScopes(g.Scopes, a)
	}
	return nil
}

// machineTrigger returns the ARN of the pool's V3_0 pre token generation
// function, "" when it has none: the LambdaConfig is read once per
// generation, not once per token.
func (g *grantCache) machineTrigger(ctx context.Context, s *Service, poolID string) (string, error) {
	arn, err := cachedLookup(g, &g.machineTriggers, poolID, func() (*string, error) {
		pool, err := s.LookupPool(ctx, poolID)
		if err != nil {
			return nil, err
		}
		arn, version := preTokenTrigger(pool)
		if version != "V3_0" {
			arn = ""
		}
		return &arn, nil
	})
	if err != nil || arn == nil {
		return "", err
	}
	return *arn, nil
}

// nonNilSlice is s, or an empty list for nil: events carry [] where
// Cognito's do, never null.
func nonNilSlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
