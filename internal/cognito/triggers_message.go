package cognito

import (
	"context"
	"strings"
)

// The custom message trigger's sources (developer guide, "Custom message
// Lambda trigger"). CustomMessage_UpdateUserAttribute is not sent:
// cognitod words every attribute code as a verification.
// CustomMessage_Authentication is the SMS_MFA and EMAIL_OTP sign-in code
// ("Custom message; To send MFA code during authentication", same page).
const (
	sourceMessageAuth        = "CustomMessage_Authentication"
	sourceMessageSignUp      = "CustomMessage_SignUp"
	SourceMessageResendCode  = "CustomMessage_ResendCode"
	sourceMessageForgot      = "CustomMessage_ForgotPassword"
	sourceMessageAdminCreate = "CustomMessage_AdminCreateUser"
	sourceMessageVerifyAttr  = "CustomMessage_VerifyUserAttribute"
)

const triggerCustomMessage = "CustomMessage"

// customMessageRequest is the request of a custom message event: the
// placeholders the function's messages must keep, for Cognito to fill.
type customMessageRequest struct {
	UserAttributes    map[string]string `json:"userAttributes"`
	CodeParameter     string            `json:"codeParameter"`
	UsernameParameter *string           `json:"usernameParameter"`
	ClientMetadata    map[string]string `json:"clientMetadata"`
}

// customMessageResponse is what the function writes: "smsMessage: The
// custom SMS message to be sent to your users. Must include the
// codeParameter value", and likewise emailMessage; emailSubject.
type customMessageResponse struct {
	SMSMessage   *string `json:"smsMessage"`
	EmailMessage *string `json:"emailMessage"`
	EmailSubject *string `json:"emailSubject"`
}

// customMessageSource is the trigger source of a delivery.
func customMessageSource(d Delivery) string {
	if d.Trigger != "" {
		return d.Trigger
	}
	switch d.Kind {
	case DeliverSignUpCode:
		return sourceMessageSignUp
	case DeliverForgotPasswordCode:
		return sourceMessageForgot
	case DeliverInvitation:
		return sourceMessageAdminCreate
	case DeliverMFACode:
		return sourceMessageAuth
	}
	return sourceMessageVerifyAttr
}

// customMessage lets the pool's custom message function rewrite the
// templates of one message before they are rendered. A message the
// function writes without the {####} placeholder is not used (the user
// must get the code), nor is anything when the function fails: the code
// is stored by then, so the pool's own template goes out and the failure
// is logged, instead of failing an operation whose effect is done.
func (s *Service) customMessage(ctx context.Context, pool *UserPool, u *User, d Delivery, subject, email, sms *string) {
	arn := triggerARN(pool, triggerCustomMessage)
	if arn == "" {
		return
	}
	req := customMessageRequest{UserAttributes: userEventAttributes(u), CodeParameter: "{####}", ClientMetadata: map[string]string{}}
	if d.Kind == DeliverInvitation {
		p := "{username}"
		req.UsernameParameter = &p
	}
	ev := &triggerEvent{TriggerSource: customMessageSource(d), UserPoolID: pool.ID, UserName: u.Username,
		Request: req, Response: customMessageResponse{}}
	var r customMessageResponse
	if err := s.invokeTrigger(ctx, triggerCustomMessage, arn, ev, &r); err != nil {
		s.logger.WarnContext(ctx, "custom message trigger failed: sending the pool's own message", "pool", pool.ID, "err", err)
		return
	}
	keep := func(dst *string, v *string, needsCode bool) {
		if v != nil && *v != "" && (!needsCode || strings.Contains(*v, "{####}")) {
			*dst = *v
		}
	}
	keep(email, r.EmailMessage, true)
	keep(sms, r.SMSMessage, true)
	keep(subject, r.EmailSubject, false)
}
