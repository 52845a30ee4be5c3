// Package smshook sends cognitod's text messages (SMS MFA codes,
// verification codes, temporary passwords) to an SMS gateway over HTTPS:
// the MessageSender that --sms-webhook chooses. Each message is one POST
// of JSON ({"phoneNumber", "message", ...}) signed with HMAC-SHA256 under
// a shared secret, so that the gateway can tell cognitod's requests from
// anyone else's and refuse replays older than its window. Each number
// gets at most PerNumberPerHour messages an hour (limit.go), so that users
// signed up with premium-rate numbers cannot run up the operator's bill.
//
// Messages that are not SMS go to Next (the log or SMTP). It owns neither
// the wording of messages (internal/cognito renders them) nor a queue
// (internal/mail's Queue sends in the background).
package smshook
