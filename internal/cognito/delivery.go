package cognito

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"html"
	"log/slog"
	"strings"
	"time"
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
	// DeliverMFACode is a sign-in's SMS_MFA or EMAIL_OTP code, from the
	// pool's SmsAuthenticationMessage or EmailMfaConfiguration.
	DeliverMFACode DeliveryKind = "sign-in code"
)

// Delivery asks for one message to a user.
type Delivery struct {
	Kind DeliveryKind
	// Attribute is where it goes ("email" or "phone_number"); "" sends to
	// the email address if the user has one, else to the phone number.
	Attribute string
	// Code is the code or temporary password the message carries.
	Code string
	// Trigger is the custom message trigger source when Kind does not say
	// it (SourceMessageResendCode); see customMessageSource.
	Trigger string
}

// Message is one email or SMS as rendered from the pool's templates.
type Message struct {
	PoolID, Username string
	Kind             DeliveryKind
	// Medium is EMAIL or SMS; To is the address or phone number.
	Medium, To string
	// From is the pool's EmailConfiguration.From, or Cognito's default
	// sender; ReplyTo its ReplyToEmailAddress ("" for none).
	From, ReplyTo string
	// Subject is the email's subject ("" for SMS). Body is the rendered
	// template: HTML for email (Cognito's templates may hold HTML), plain
	// text for SMS.
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
	lg.WarnContext(ctx, "MESSAGE FOR A USER (written to the log, not sent): "+string(m.Kind),
		"pool", m.PoolID, "username", m.Username, "medium", m.Medium, "to", m.To,
		"code", m.Code, "subject", m.Subject, "body", m.Body)
	return nil
}

// DefaultEmailFrom is the sender Cognito's own email uses when the pool's
// EmailConfiguration names none.
const DefaultEmailFrom = "no-reply@verificationemail.com"

// Cognito's messages when the pool sets no template (the console's
// defaults; unconfirmed against a captured Cognito message).
const (
	defaultVerificationSubject = "Your verification code"                                         // (unconfirmed)
	defaultVerificationMessage = "Your verification code is {####}. "                             // (unconfirmed)
	defaultInviteSubject       = "Your temporary password"                                        // (unconfirmed)
	defaultInviteMessage       = "Your username is {username} and temporary password is {####}. " // (unconfirmed)
	defaultMFASubject          = "Your sign-in code"                                              // (unconfirmed)
	defaultMFAMessage          = "Your authentication code is {####}. "                           // (unconfirmed)
)

// messageTemplate is the subset of VerificationMessageTemplateType and
// MessageTemplateType (the invitation) that renders messages.
type messageTemplate struct {
	EmailMessage string `json:"EmailMessage"`
	EmailSubject string `json:"EmailSubject"`
	SmsMessage   string `json:"SmsMessage"`
	SMSMessage   string `json:"SMSMessage"` // the invitation's spelling
}

// emailConfiguration is the subset of EmailConfigurationType that
// addresses mail.
type emailConfiguration struct {
	From                string `json:"From"`
	ReplyToEmailAddress string `json:"ReplyToEmailAddress"`
}

// templateFor returns the pool's subject, email body and SMS body for a
// kind of message, with Cognito's defaults for what the pool leaves out.
// Verification codes (sign-up, attributes, password reset: Cognito sends
// them all from the verification template) read VerificationMessageTemplate
// first, then the legacy EmailVerificationMessage/Subject and
// SmsVerificationMessage members.
func templateFor(pool *UserPool, kind DeliveryKind) (subject, email, sms string) {
	var t messageTemplate
	if kind == DeliverMFACode {
		f := poolFactors(pool)
		return firstNonEmpty(f.EmailSubject, defaultMFASubject), firstNonEmpty(f.EmailMessage, defaultMFAMessage),
			firstNonEmpty(pool.Settings.SmsAuthenticationMessage, defaultMFAMessage)
	}
	if kind == DeliverInvitation {
		subject, email, sms = defaultInviteSubject, defaultInviteMessage, defaultInviteMessage
		if c := pool.Settings.AdminCreateUserConfig; c != nil && len(c.InviteMessageTemplate) > 0 {
			json.Unmarshal(c.InviteMessageTemplate, &t)
		}
		t.SmsMessage = t.SMSMessage
	} else {
		subject, email, sms = defaultVerificationSubject, defaultVerificationMessage, defaultVerificationMessage
		st := pool.Settings
		if len(st.VerificationMessageTemplate) > 0 {
			json.Unmarshal(st.VerificationMessageTemplate, &t)
		}
		t.EmailMessage = firstNonEmpty(t.EmailMessage, st.EmailVerificationMessage)
		t.EmailSubject = firstNonEmpty(t.EmailSubject, st.EmailVerificationSubject)
		t.SmsMessage = firstNonEmpty(t.SmsMessage, st.SmsVerificationMessage)
	}
	return firstNonEmpty(t.EmailSubject, subject), firstNonEmpty(t.EmailMessage, email), firstNonEmpty(t.SmsMessage, sms)
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// render fills Cognito's placeholders: {####} is the code or temporary
// password, {username} the username (invitations only). In email, which
// Cognito sends as HTML, both are escaped: a username must not become
// markup in someone's mailbox.
func render(tmpl string, kind DeliveryKind, username, code string, isHTML bool) string {
	esc := func(s string) string { return s }
	if isHTML {
		esc = html.EscapeString
	}
	pairs := []string{"{####}", esc(code)}
	if kind == DeliverInvitation {
		pairs = append(pairs, "{username}", esc(username))
	}
	return strings.NewReplacer(pairs...).Replace(tmpl)
}

// deliveryAttribute is where d goes for u: d.Attribute, or for "" the
// email address if the user has one, else the phone number.
func deliveryAttribute(u *User, d Delivery) string {
	if d.Attribute != "" {
		return d.Attribute
	}
	if _, ok := attr(u, "email"); !ok {
		if _, ok := attr(u, "phone_number"); ok {
			return "phone_number"
		}
	}
	return "email"
}

// deliver renders d for user u of pool from the pool's templates and
// hands it to the message sender, returning Cognito's CodeDeliveryDetails
// (masked destination), or nil when the user has nowhere to receive it.
//
// As in Cognito, a message that fails to send does not fail the
// operation (Cognito accepts the request and delivers asynchronously):
// the failure is logged, without the code, and the user asks again.
func (s *Service) deliver(ctx context.Context, pool *UserPool, u *User, d Delivery) *CodeDeliveryDetails {
	attrName := deliveryAttribute(u, d)
	to, _ := attr(u, attrName)
	if to == "" {
		return nil
	}
	m := Message{PoolID: pool.ID, Username: u.Username, Kind: d.Kind, To: to, Code: d.Code, Medium: "EMAIL"}
	subject, email, sms := templateFor(pool, d.Kind)
	s.customMessage(ctx, pool, u, d, &subject, &email, &sms) // triggers_message.go
	if attrName == "phone_number" {
		m.Medium = "SMS"
		m.Body = render(sms, d.Kind, u.Username, d.Code, false)
	} else {
		var ec emailConfiguration
		if len(pool.Settings.EmailConfiguration) > 0 {
			json.Unmarshal(pool.Settings.EmailConfiguration, &ec)
		}
		m.From, m.ReplyTo = firstNonEmpty(ec.From, DefaultEmailFrom), ec.ReplyToEmailAddress
		m.Subject = render(subject, d.Kind, u.Username, d.Code, false)
		m.Body = render(email, d.Kind, u.Username, d.Code, true)
	}
	// The send outlives a caller that hangs up (the code is stored by
	// now), within its own bound.
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := s.messages.Send(sendCtx, m); err != nil {
		s.logger.ErrorContext(ctx, "message to a user not sent", "pool", pool.ID, "username", u.Username,
			"kind", string(d.Kind), "medium", m.Medium, "err", err)
	}
	return &CodeDeliveryDetails{Destination: maskDestination(attrName, to), DeliveryMedium: m.Medium, AttributeName: attrName}
}

// maskDestination hides most of an address as Cognito's
// CodeDeliveryDetails do: "a***@e***" for email, "+*******1234" for a
// phone number (the plus, a star for each hidden digit, the last four).
func maskDestination(attrName, to string) string {
	if attrName == "phone_number" {
		return maskPhone(to)
	}
	return maskEmail(to)
}

// maskEmail: the first character of the local part and of the domain.
func maskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || domain == "" {
		return "***"
	}
	first := func(s string) string { r := []rune(s); return string(r[:1]) }
	return first(local) + "***@" + first(domain) + "***"
}

func maskPhone(phone string) string {
	if len(phone) <= 5 {
		return strings.Repeat("*", len(phone))
	}
	return phone[:1] + strings.Repeat("*", len(phone)-5) + phone[len(phone)-4:]
}

// phantomDestination is a plausible CodeDeliveryDetails for a user who
// does not exist (or has nowhere to receive a code), for clients that
// prevent user-existence errors: derived from the name with a keyed hash,
// so that asking twice gives the same answer and nothing tells it from a
// real user's.
func (s *Service) phantomDestination(pool *UserPool, name, attrName string) *CodeDeliveryDetails {
	mac := hmac.New(sha256.New, deriveKey(s.sealer.paginationKey, "cognitod phantom destination v1"))
	mac.Write([]byte(pool.ID + "\x00" + name))
	sum := mac.Sum(nil)
	if attrName == "phone_number" {
		digits := make([]byte, 4)
		for i := range digits {
			digits[i] = '0' + sum[i]%10
		}
		return &CodeDeliveryDetails{Destination: "+*******" + string(digits), DeliveryMedium: "SMS", AttributeName: "phone_number"}
	}
	dest := maskEmail(name)
	if !strings.Contains(name, "@") {
		letter := func(b byte) string { return string(rune('a' + b%26)) }
		dest = letter(sum[0]) + "***@" + letter(sum[1]) + "***"
	}
	return &CodeDeliveryDetails{Destination: dest, DeliveryMedium: "EMAIL", AttributeName: "email"}
}
