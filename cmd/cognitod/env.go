package main

import (
	"fmt"
	"os"
	"strconv"
)

// envDefaults gives serve's flags their COGNITOD_* defaults. A variable
// that is set but does not parse is kept as a problem, so that serve
// refuses to start instead of running on the built-in default: a typo in
// COGNITOD_TLS_SELF_SIGNED must not mean plain HTTP, nor one in
// COGNITOD_MAX_APP_CLIENTS Cognito's quota.
type envDefaults struct{ problems []string }

func (e *envDefaults) lookup(name string) (string, bool) {
	return os.LookupEnv("COGNITOD_" + name)
}

func (e *envDefaults) refuse(name, v, want string) {
	if len(v) > 40 {
		v = v[:40] + "..."
	}
	e.problems = append(e.problems, fmt.Sprintf("COGNITOD_%s %q: want %s", name, v, want))
}

// str is COGNITOD_<name>, or def when it is not set.
func (e *envDefaults) str(name, def string) string {
	if v, ok := e.lookup(name); ok {
		return v
	}
	return def
}

// integer is COGNITOD_<name> as a decimal integer, or def when it is not
// set.
func (e *envDefaults) integer(name string, def int) int {
	v, ok := e.lookup(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		e.refuse(name, v, "an integer")
		return def
	}
	return n
}

// number is COGNITOD_<name> as a decimal number, or def when it is not
// set.
func (e *envDefaults) number(name string, def float64) float64 {
	v, ok := e.lookup(name)
	if !ok {
		return def
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil {
		e.refuse(name, v, "a number")
		return def
	}
	return n
}

// boolean is COGNITOD_<name> as strconv.ParseBool reads it (true, false,
// 1, 0, ...); unset or empty is false.
func (e *envDefaults) boolean(name string) bool {
	v, ok := e.lookup(name)
	if !ok || v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		e.refuse(name, v, "true or false")
		return false
	}
	return b
}
