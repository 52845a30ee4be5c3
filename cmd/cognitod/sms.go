package main

import (
	"flag"

	"github.com/cognitod/cognitod/internal/smshook"
)

// smsFlags choose where text messages go: the log by default, or an SMS
// gateway's webhook. The secret, like the SMTP password, is never printed
// and the environment's value is not a flag default (-h would show it).
type smsFlags struct {
	webhook, secret string
	sender          *smshook.Sender
}

func addSMSFlags(fs *flag.FlagSet, c *serveConfig) {
	fs.StringVar(&c.sms.webhook, "sms-webhook", "",
		"send text messages (SMS MFA and verification codes) as signed JSON POSTs to this https URL, for an SMS gateway; default: write them to the log (COGNITOD_SMS_WEBHOOK)")
	fs.StringVar(&c.sms.secret, "sms-webhook-secret", "",
		"the HMAC-SHA256 key that signs each webhook request (X-Cognitod-Signature), at least 16 bytes; prefer COGNITOD_SMS_WEBHOOK_SECRET, which ps does not show")
}

// checkSMSFlags builds the webhook sender and returns what is wrong.
func checkSMSFlags(c *serveConfig) []string {
	switch {
	case c.sms.webhook == "" && c.sms.secret != "":
		return []string{"--sms-webhook-secret: given without --sms-webhook"}
	case c.sms.webhook == "":
		return nil
	case c.sms.secret == "":
		return []string{"--sms-webhook: needs --sms-webhook-secret (or COGNITOD_SMS_WEBHOOK_SECRET) to sign its requests"}
	}
	s, err := smshook.New(c.sms.webhook, []byte(c.sms.secret))
	if err != nil {
		return []string{"--sms-webhook: " + err.Error()} // smshook's errors never quote the secret
	}
	c.sms.sender = s
	return nil
}
