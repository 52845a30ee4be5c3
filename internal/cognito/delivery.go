package cognito

import (
	"context"
	"log/slog"
)

// DeliveryKind says why a message goes to a user; it chooses the pool's
// template (VerificationMessageTemplate, InviteMessageTemplate, ...).
type DeliveryKind string

// The messages Cognito sends users.
const (
	DeliverSignUpCode         DeliveryKind = "sign-up confirmation code"
	DeliverForgotPasswordCode DeliveryKind = "password reset code"
	DeliverAttributeCode      DeliveryKind = "attribute verification code"
	DeliverInvitation         DeliveryKind = "temporary password"
)

// Delivery asks for one message to a user.
type Delivery struct {
	Kind DeliveryKind
	// Attribute is where it goes ("email" or "phone_number"); "" lets the
	// pool's settings choose.
	Attribute string
	// Code is the code or temporary password the message carries.
	Code string
}

// Message is one email or SMS as rendered from the pool's templates.
type Message struct {
	PoolID, Username string
	Kind             DeliveryKind
	// Medium is EMAIL or SMS; To is the address or phone number.
	Medium, To string
	// From is the pool's EmailConfiguration.From, if any.
	From          string
	Subject, Body string
	// Code is the code or temporary password inside Body, for senders
	// that log it.
	Code string
}

// MessageSender sends users their codes and temporary passwords. It is
// chosen at start: the server log (the default) or SMTP.
type MessageSender interface {
	Send(ctx context.Context, m Message) error
}

// LogSender writes each message to the log, clearly marked, for the
// developer to read: cognitod's default, since a local server has no mail.
type LogSender struct{ Logger *slog.Logger }

// Send logs m.
func (l LogSender) Send(ctx context.Context, m Message) error {
	lg := l.Logger
	if lg == nil {
		lg = slog.Default()
	}
	lg.WarnContext(ctx, "MESSAGE FOR A USER (not sent: no --smtp-url): "+string(m.Kind),
		"pool", m.PoolID, "username", m.Username, "medium", m.Medium, "to", m.To,
		"code", m.Code, "subject", m.Subject, "body", m.Body)
	return nil
}

// deliver renders d for user u of pool and hands it to the message sender,
// returning Cognito's CodeDeliveryDetails (masked destination), or nil
// when the user has nowhere to receive it.
func (s *Service) deliver(ctx context.Context, pool *UserPool, u *User, d Delivery) *CodeDeliveryDetails {
	attrName := d.Attribute
	if attrName == "" {
		attrName = "email"
		if _, ok := attr(u, "email"); !ok {
			if _, ok := attr(u, "phone_number"); ok {
				attrName = "phone_number"
			}
		}
	}
	to, _ := attr(u, attrName)
	m := Message{PoolID: pool.ID, Username: u.Username, Kind: d.Kind, To: to, Code: d.Code,
		Subject: "Your " + string(d.Kind), Body: "Your " + string(d.Kind) + " is " + d.Code}
	var details *CodeDeliveryDetails
	if to != "" {
		m.Medium = "EMAIL"
		if attrName == "phone_number" {
			m.Medium = "SMS"
		}
		details = &CodeDeliveryDetails{Destination: maskEmail(to), DeliveryMedium: m.Medium, AttributeName: attrName}
	}
	if err := s.messages.Send(ctx, m); err != nil {
		s.logger.ErrorContext(ctx, "message not sent", "pool", pool.ID, "kind", string(d.Kind), "err", err)
	}
	return details
}
