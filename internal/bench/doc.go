// Package bench measures a running cognitod from the outside: it creates a
// pool, a resource server and a client credentials app client through the
// admin API, drives the token endpoint at a chosen concurrency for a
// bounded time, and reports tokens per second and latency percentiles next
// to this machine's raw RS256 signing rates (crypto/rsa in process, and
// OpenSSL's through `openssl speed`), the bounds the endpoint is meant to
// approach. It backs `cognitod bench token`; with Config.Clients it first
// has many app clients seeded straight into the server's store and
// spreads the requests over them. RunAdmin backs `cognitod bench admin`:
// SigV4-signed DescribeResourceServer and ListResourceServers calls.
//
// It only sends traffic to the URL it is given and stops by itself.
package bench
