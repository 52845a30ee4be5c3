// Package metrics owns cognitod's Prometheus metrics: the collectors, the
// registry they live on (with the Go runtime and process collectors), the
// /metrics handler, and the hooks the rest of the server reports through.
//
// Every label value comes from a fixed set known when the Metrics is
// made (operation names, route patterns of the server's own mux, grant
// types, OAuth error codes, store methods) or from a small bounded set
// (HTTP status codes, throttle categories): nothing a caller sends, such as
// a path with a pool ID, a made-up X-Amz-Target, or a grant_type, becomes
// a label value, so no caller can grow the number of series.
//
// The hooks are methods safe to call on a nil *Metrics (metrics turned
// off), and the hot ones resolve their series once, when the Metrics is
// made or on first use, so counting costs an atomic add or two.
package metrics

//go:generate go run gen_store.go
