package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// envDefaults gives serve's flags their COGNITOD_* defaults. A variable
// that is set but does not parse is kept as a problem, so that serve
// refuses to start instead of running on the built-in default: a typo in
// COGNITOD_TLS_SELF_SIGNED must not mean plain HTTP, nor one in
// COGNITOD_MAX_APP_CLIENTS Cognito's quota. The flag, when given, wins
// over its variable, malformed or not.
type envDefaults struct{ malformed []envProblem }

// envProblem is a malformed variable: its name without COGNITOD_, which
// is its flag's name in upper case with _ for -, and what is wrong.
type envProblem struct{ name, text string }

// problems are the malformed variables whose flags fs's command line did
// not set.
func (e *envDefaults) problems(fs *flag.FlagSet) []string {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))] = true })
	var out []string
	for _, p := range e.malformed {
		if !given[p.name] {
			out = append(out, p.text)
		}
	}
	return out
}

func (e *envDefaults) lookup(name string) (string, bool) {
	return os.LookupEnv("COGNITOD_" + name)
}

func (e *envDefaults) refuse(name, v, want string) {
	if len(v) > 40 {
		v = v[:40] + "..."
	}
	e.malformed = append(e.malformed, envProblem{name, fmt.Sprintf("COGNITOD_%s %q: want %s", name, v, want)})
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
	return parsed(e, name, def, strconv.Atoi, "an integer")
}

// number is COGNITOD_<name> as a decimal number, or def when it is not
// set.
func (e *envDefaults) number(name string, def float64) float64 {
	return parsed(e, name, def, func(v string) (float64, error) { return strconv.ParseFloat(v, 64) }, "a number")
}

// boolean is COGNITOD_<name> as strconv.ParseBool reads it (true, false,
// 1, 0, ...); unset or empty is false.
func (e *envDefaults) boolean(name string) bool {
	if v, _ := e.lookup(name); v == "" {
		return false
	}
	return parsed(e, name, false, strconv.ParseBool, "true or false")
}

// parsed is COGNITOD_<name> read by parse, or def when it is not set or
// does not parse (then a problem says what was wanted).
func parsed[T any](e *envDefaults, name string, def T, parse func(string) (T, error), want string) T {
	v, ok := e.lookup(name)
	if !ok {
		return def
	}
	x, err := parse(v)
	if err != nil {
		e.refuse(name, v, want)
		return def
	}
	return x
}
