// Package sigv4 verifies AWS Signature Version 4 Authorization headers on
// incoming requests, server side.
//
// It owns: parsing the header form of SigV4
// ("AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…"),
// checking the credential scope (service, region shape, date, terminator)
// and the request time against the allowed clock skew, rebuilding the
// canonical request and string to sign from the received request exactly as
// AWS's SigV4 specification describes, and comparing signatures in constant
// time. Failures are reported as *Error values carrying the exception name
// and message AWS's JSON services send, ready for the caller to put in
// `__type` and `message`.
//
// It does not own: storing or issuing access keys (the caller supplies
// Verifier.Lookup), session tokens (requests carrying X-Amz-Security-Token
// are refused, since cognitod has no STS), query-string (presigned) SigV4,
// reading the request body (the caller reads it, with its own size limit,
// and passes it in), HTTP routing, or writing error responses.
package sigv4
