package cognito

import "context"

// Trigger sources of the sign-up triggers (developer guide, "Pre sign-up
// Lambda trigger" and "Post confirmation Lambda trigger").
const (
	sourcePreSignUpSignUp      = "PreSignUp_SignUp"
	sourcePreSignUpAdminCreate = "PreSignUp_AdminCreateUser"
	sourcePostConfirmSignUp    = "PostConfirmation_ConfirmSignUp"
	sourcePostConfirmForgot    = "PostConfirmation_ConfirmForgotPassword"
)

// preSignUpRequest is the request of a pre sign-up event.
type preSignUpRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ValidationData map[string]string `json:"validationData"`
	ClientMetadata map[string]string `json:"clientMetadata"`
}

// PreSignUpResponse is what a pre sign-up function decides: "autoConfirmUser:
// Set to true to auto-confirm the user, or false otherwise. autoVerifyEmail:
// Set to true to set as verified the email address of a user who is signing
// up. autoVerifyPhone: ... the phone number" (developer guide).
type PreSignUpResponse struct {
	AutoConfirmUser bool `json:"autoConfirmUser"`
	AutoVerifyEmail bool `json:"autoVerifyEmail"`
	AutoVerifyPhone bool `json:"autoVerifyPhone"`
}

// preSignUp invokes the pool's pre sign-up function, if it has one,
// before anything is stored: a refusal, a failure or a timeout leaves no
// user behind. It returns nil when the pool has no such trigger.
func (s *Service) preSignUp(ctx context.Context, pool *UserPool, clientID, source, username string, attrs, validation []Attribute, meta map[string]string) (*PreSignUpResponse, error) {
	arn := triggerARN(pool, triggerPreSignUp)
	if arn == "" {
		return nil, nil
	}
	resp := &PreSignUpResponse{}
	ev := &triggerEvent{TriggerSource: source, UserPoolID: pool.ID, UserName: username,
		CallerContext: callerContext{ClientID: clientID},
		Request:       preSignUpRequest{UserAttributes: attributeMap(attrs), ValidationData: attributeMap(validation), ClientMetadata: nonNil(meta)},
		Response:      PreSignUpResponse{}}
	if err := s.invokeTrigger(ctx, triggerPreSignUp, arn, ev, resp); err != nil {
		return nil, err
	}
	return resp, nil
}

// apply makes a new user what the function decided: confirmed, and its
// email or phone number verified when it has one. For AdminCreateUser
// only the verifications apply: the user still chooses a password at
// first sign-in (FORCE_CHANGE_PASSWORD). r may be nil (no trigger).
func (r *PreSignUpResponse) apply(u *User, confirm bool) {
	if r == nil {
		return
	}
	if confirm && r.AutoConfirmUser {
		u.Status, u.CodeHash = StatusConfirmed, ""
	}
	if _, ok := attr(u, "email"); ok && r.AutoVerifyEmail {
		u.Attributes = setAttr(u.Attributes, "email_verified", "true")
	}
	if _, ok := attr(u, "phone_number"); ok && r.AutoVerifyPhone {
		u.Attributes = setAttr(u.Attributes, "phone_number_verified", "true")
	}
}

// userEventRequest is the request of the events that carry only the user
// and the caller's metadata (post confirmation, post authentication).
type userEventRequest struct {
	UserAttributes map[string]string `json:"userAttributes"`
	ClientMetadata map[string]string `json:"clientMetadata"`
}

// postConfirmation invokes the pool's post confirmation function once a
// user is confirmed. The confirmation is stored by then, as in Cognito: a
// failing function fails the call, but the user stays confirmed.
func (s *Service) postConfirmation(ctx context.Context, pool *UserPool, clientID, source string, u *User, meta map[string]string) error {
	arn := triggerARN(pool, triggerPostConfirmation)
	if arn == "" || u == nil {
		return nil
	}
	ev := &triggerEvent{TriggerSource: source, UserPoolID: pool.ID, UserName: u.Username,
		CallerContext: callerContext{ClientID: clientID},
		Request:       userEventRequest{UserAttributes: userEventAttributes(u), ClientMetadata: nonNil(meta)},
		Response:      struct{}{}}
	return s.invokeTrigger(ctx, triggerPostConfirmation, arn, ev, nil)
}
