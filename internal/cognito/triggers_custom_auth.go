package cognito

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"
)

// The custom authentication flow (developer guide, "Custom authentication
// challenge Lambda triggers"): AuthFlow CUSTOM_AUTH asks the pool's define
// auth challenge function what comes next; it may issue tokens, fail the
// sign-in, or ask for a CUSTOM_CHALLENGE, which the create auth challenge
// function words and the verify auth challenge response function judges.
// The session carries the history of challenges between the calls.
const (
	triggerDefineAuth = "DefineAuthChallenge"
	triggerCreateAuth = "CreateAuthChallenge"
	triggerVerifyAuth = "VerifyAuthChallengeResponse"

	sourceDefineAuth = "DefineAuthChallenge_Authentication"
	sourceCreateAuth = "CreateAuthChallenge_Authentication"
	sourceVerifyAuth = "VerifyAuthChallengeResponse_Authentication"

	challengeCustom = "CUSTOM_CHALLENGE"

	customAuthPurpose = "custom-auth-session"
	// sharedCustomAuthUsed marks answered sessions (shared state, so every
	// instance refuses a second answer): a session answered twice would
	// let a caller retry a challenge the define function allows once.
	sharedCustomAuthUsed = "custom-auth-used"
	// maxCustomChallenges bounds a session's history: a define function
	// that never decides cannot keep a sign-in (and its webhooks) going.
	maxCustomChallenges = 8
	// maxSessionLength is the Session member's length limit in the
	// service model (RespondToAuthChallengeRequest: 20 to 2048).
	maxSessionLength = 2048
)

// challengeResult is one entry of a custom auth session's history.
type challengeResult struct {
	ChallengeName     string `json:"challengeName"`
	ChallengeResult   bool   `json:"challengeResult"`
	ChallengeMetadata string `json:"challengeMetadata,omitempty"`
}

// customAuthSession is the sealed Session of a custom challenge.
type customAuthSession struct {
	Pool    string `json:"p"`
	Client  string `json:"c"`
	Sub     string `json:"s"`
	Expires int64  `json:"e"`
	// Nonce names the session in sharedCustomAuthUsed.
	Nonce   string            `json:"n"`
	History []challengeResult `json:"h"`
	// Private and Metadata are the pending challenge's
	// privateChallengeParameters and challengeMetadata.
	Private  map[string]string `json:"pv,omitempty"`
	Metadata string            `json:"m,omitempty"`
}

// customAuthRequest is the request of the three events; each uses part.
type customAuthRequest struct {
	UserAttributes map[string]string  `json:"userAttributes"`
	ChallengeName  string             `json:"challengeName,omitempty"`
	Session        *[]challengeResult `json:"session,omitempty"`
	Private        *map[string]string `json:"privateChallengeParameters,omitempty"`
	Answer         *string            `json:"challengeAnswer,omitempty"`
	ClientMetadata map[string]string  `json:"clientMetadata"`
	UserNotFound   bool               `json:"userNotFound"`
}

type defineAuthResponse struct {
	ChallengeName      string `json:"challengeName"`
	IssueTokens        bool   `json:"issueTokens"`
	FailAuthentication bool   `json:"failAuthentication"`
}

type createAuthResponse struct {
	PublicChallengeParameters  map[string]string `json:"publicChallengeParameters"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeMetadata          string            `json:"challengeMetadata"`
}

type verifyAuthResponse struct {
	AnswerCorrect bool `json:"answerCorrect"`
}

// startCustomAuth is InitiateAuth and AdminInitiateAuth with CUSTOM_AUTH.
func (s *Service) startCustomAuth(ctx context.Context, pool *UserPool, client *AppClient, p map[string]string) (*AuthOutput, error) {
	if !allowsCustomAuth(client) {
		return nil, ErrInvalidParameter.WithMessage(msgAuthFlowOff)
	}
	if triggerARN(pool, triggerDefineAuth) == "" {
		return nil, ErrInvalidParameter.WithMessage(msgCustomAuthNotConfigured)
	}
	if err := requireParams(p, "USERNAME"); err != nil {
		return nil, err
	}
	if err := s.checkSecretHash(client, p["SECRET_HASH"], msgSecretHashWrong, p["USERNAME"]); err != nil {
		return nil, err
	}
	u, err := s.findUser(ctx, s.store, pool, p["USERNAME"])
	if errors.Is(err, ErrUserNotFound) && client.Settings.PreventUserExistenceErrors == "ENABLED" {
		return nil, ErrNotAuthorized.WithMessage(msgIncorrectPassword)
	}
	if err != nil {
		return nil, err
	}
	if err := checkCanSignIn(u, s.now()); err != nil {
		return nil, err
	}
	if err := s.preAuthentication(ctx, pool, client.ClientID, u); err != nil {
		return nil, err
	}
	sess := &customAuthSession{Pool: pool.ID, Client: client.ClientID, Sub: u.Sub, Expires: s.sessionExpiry(client).Unix(), History: []challengeResult{}}
	return s.nextCustomStep(ctx, pool, client, u, sess)
}

// allowsCustomAuth: ALLOW_CUSTOM_AUTH (on by default), or the legacy
// CUSTOM_AUTH_FLOW_ONLY.
func allowsCustomAuth(c *AppClient) bool {
	flows := c.Settings.ExplicitAuthFlows
	if len(flows) == 0 {
		return true
	}
	for _, f := range flows {
		if f == "ALLOW_CUSTOM_AUTH" || f == "CUSTOM_AUTH_FLOW_ONLY" {
			return true
		}
	}
	return false
}

// nextCustomStep asks the define function what follows sess's history.
func (s *Service) nextCustomStep(ctx context.Context, pool *UserPool, client *AppClient, u *User, sess *customAuthSession) (*AuthOutput, error) {
	attrs := userEventAttributes(u)
	var d defineAuthResponse
	ev := &triggerEvent{TriggerSource: sourceDefineAuth, UserPoolID: pool.ID, UserName: u.Username,
		CallerContext: callerContext{ClientID: client.ClientID},
		Request:       customAuthRequest{UserAttributes: attrs, Session: &sess.History, ClientMetadata: map[string]string{}},
		Response:      map[string]any{"challengeName": nil, "issueTokens": nil, "failAuthentication": nil}}
	if err := s.invokeTrigger(ctx, triggerDefineAuth, triggerARN(pool, triggerDefineAuth), ev, &d); err != nil {
		return nil, err
	}
	switch {
	case d.FailAuthentication:
		return nil, ErrNotAuthorized.WithMessage(msgIncorrectPassword)
	case d.IssueTokens:
		return s.signedIn(ctx, pool, client, u)
	case d.ChallengeName != challengeCustom:
		// cognitod asks only custom challenges inside CUSTOM_AUTH (no SRP
		// or MFA steps).
		return nil, ErrInvalidLambdaResp
	case len(sess.History) >= maxCustomChallenges:
		return nil, ErrNotAuthorized.WithMessage(msgIncorrectPassword)
	}
	arn := triggerARN(pool, triggerCreateAuth)
	if arn == "" {
		return nil, ErrInvalidParameter.WithMessage(msgCustomAuthNotConfigured)
	}
	var c createAuthResponse
	ev = &triggerEvent{TriggerSource: sourceCreateAuth, UserPoolID: pool.ID, UserName: u.Username,
		CallerContext: callerContext{ClientID: client.ClientID},
		Request:       customAuthRequest{UserAttributes: attrs, ChallengeName: challengeCustom, Session: &sess.History, ClientMetadata: map[string]string{}},
		Response:      map[string]any{"publicChallengeParameters": nil, "privateChallengeParameters": nil, "challengeMetadata": nil}}
	if err := s.invokeTrigger(ctx, triggerCreateAuth, arn, ev, &c); err != nil {
		return nil, err
	}
	sess.Private, sess.Metadata = c.PrivateChallengeParameters, c.ChallengeMetadata
	nonce := make([]byte, 16)
	rand.Read(nonce)
	sess.Nonce = base64.RawURLEncoding.EncodeToString(nonce)
	b, _ := json.Marshal(sess)
	token := base64.RawURLEncoding.EncodeToString(s.sealer.Seal(customAuthPurpose, b))
	if len(token) > maxSessionLength {
		// The client could not send it back: the private parameters are
		// too large to travel in the session.
		return nil, ErrInvalidLambdaResp
	}
	params := map[string]string{}
	for k, v := range c.PublicChallengeParameters {
		params[k] = v
	}
	params["USERNAME"] = u.Username
	return &AuthOutput{ChallengeName: challengeCustom, Session: token, ChallengeParameters: params}, nil
}

// respondCustomChallenge answers CUSTOM_CHALLENGE with ANSWER: the verify
// function judges it, the define function decides what follows.
func (s *Service) respondCustomChallenge(ctx context.Context, pool *UserPool, client *AppClient, session string, r map[string]string) (*AuthOutput, error) {
	if err := requireParams(r, "USERNAME", "ANSWER"); err != nil {
		return nil, err
	}
	if err := s.checkSecretHash(client, r["SECRET_HASH"], msgSecretHashWrong, r["USERNAME"]); err != nil {
		return nil, err
	}
	raw, err := base64.RawURLEncoding.DecodeString(session)
	if err != nil {
		return nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	b, err := s.sealer.Open(customAuthPurpose, raw)
	var sess customAuthSession
	if err != nil || json.Unmarshal(b, &sess) != nil || sess.Pool != pool.ID || sess.Client != client.ClientID {
		return nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	now := s.now()
	if now.Unix() > sess.Expires {
		return nil, ErrNotAuthorized.WithMessage(msgSessionExpired)
	}
	n, err := s.store.IncrShared(ctx, sharedCustomAuthUsed, sess.Nonce, now, time.Unix(sess.Expires+1, 0))
	if err != nil {
		return nil, asError(err)
	}
	if n > 1 || sess.Nonce == "" {
		return nil, ErrNotAuthorized.WithMessage(msgInvalidSession) // answered before
	}
	u, err := s.store.GetUserBySub(ctx, pool.ID, sess.Sub)
	if err != nil {
		return nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	if named, err := s.findUser(ctx, s.store, pool, r["USERNAME"]); err != nil || named.Sub != u.Sub {
		return nil, ErrNotAuthorized.WithMessage(msgInvalidSession)
	}
	if err := checkCanSignIn(u, now); err != nil {
		return nil, err
	}
	arn := triggerARN(pool, triggerVerifyAuth)
	if arn == "" {
		return nil, ErrInvalidParameter.WithMessage(msgCustomAuthNotConfigured)
	}
	answer, private := r["ANSWER"], nonNil(sess.Private)
	var v verifyAuthResponse
	ev := &triggerEvent{TriggerSource: sourceVerifyAuth, UserPoolID: pool.ID, UserName: u.Username,
		CallerContext: callerContext{ClientID: client.ClientID},
		Request:       customAuthRequest{UserAttributes: userEventAttributes(u), Private: &private, Answer: &answer, ClientMetadata: map[string]string{}},
		Response:      map[string]any{"answerCorrect": nil}}
	if err := s.invokeTrigger(ctx, triggerVerifyAuth, arn, ev, &v); err != nil {
		return nil, err
	}
	sess.History = append(sess.History, challengeResult{ChallengeName: challengeCustom, ChallengeResult: v.AnswerCorrect, ChallengeMetadata: sess.Metadata})
	sess.Private, sess.Metadata = nil, ""
	return s.nextCustomStep(ctx, pool, client, u, &sess)
}
