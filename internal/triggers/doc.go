// Package triggers calls Lambda triggers as webhooks. cognitod cannot run
// AWS Lambda: an operator maps each function ARN a pool's LambdaConfig
// names to an HTTPS URL (or an HTTP URL on a loopback address), and
// [Invoker] POSTs Cognito's trigger event there, signed, and hands the
// answer back to internal/cognito, which owns every rule about which
// trigger runs when and what its response changes.
//
// It owns the ARN-to-URL map and its validation ([ParseTarget],
// [LoadFile]), the request signature ([Sign], [Verify]: HMAC-SHA256 over
// a timestamp and the body, so receivers can refuse forgeries and
// replays), and the HTTP call: Cognito's 5-second limit, a bounded
// response, no redirects, and the reading of a function's error.
package triggers
