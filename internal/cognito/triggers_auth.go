package cognito

import "context"

// Trigger sources of the sign-in triggers (developer guide, "Pre
// authentication Lambda trigger" and "Post authentication Lambda trigger").
const (
	sourcePreAuth  = "PreAuthentication_Authentication"
	sourcePostAuth = "PostAuthentication_Authentication"
)

// preAuthRequest is the request of a pre authentication event.
type preAuthRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ValidationData map[string]string `json:"validationData"`
	UserNotFound   bool              `json:"userNotFound"`
}

// preAuthentication invokes the pool's pre authentication function when
// a known user starts signing in, before the password is looked at: a
// refusal ends the sign-in with UserLambdaValidationException, and counts
// as no failed attempt. Unknown names do not reach the function (Cognito
// sends them with userNotFound when the client prevents user-existence
// errors; cognitod does not, so a function cannot tell names apart for an
// anonymous caller either).
func (s *Service) preAuthentication(ctx context.Context, pool *UserPool, clientID string, u *User) error {
	arn := triggerARN(pool, triggerPreAuth)
	if arn == "" {
		return nil
	}
	ev := &triggerEvent{TriggerSource: sourcePreAuth, UserPoolID: pool.ID, UserName: u.Username,
		CallerContext: callerContext{ClientID: clientID},
		Request:       preAuthRequest{UserAttributes: userEventAttributes(u), ValidationData: map[string]string{}},
		Response:      struct{}{}}
	return s.invokeTrigger(ctx, triggerPreAuth, arn, ev, nil)
}

// postAuthRequest is the request of a post authentication event.
type postAuthRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	NewDeviceUsed  bool              `json:"newDeviceUsed"`
	ClientMetadata map[string]string `json:"clientMetadata"`
}

// postAuthentication invokes the pool's post authentication function once
// a user has proved who they are, before tokens are issued: a failing
// function fails the sign-in, as in Cognito.
func (s *Service) postAuthentication(ctx context.Context, pool *UserPool, clientID string, u *User) error {
	arn := triggerARN(pool, triggerPostAuth)
	if arn == "" {
		return nil
	}
	ev := &triggerEvent{TriggerSource: sourcePostAuth, UserPoolID: pool.ID, UserName: u.Username,
		CallerContext: callerContext{ClientID: clientID},
		Request:       postAuthRequest{UserAttributes: userEventAttributes(u), ClientMetadata: map[string]string{}},
		Response:      struct{}{}}
	return s.invokeTrigger(ctx, triggerPostAuth, arn, ev, nil)
}
