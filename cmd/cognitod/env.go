package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
)

// Every serve flag has an environment twin: COGNITOD_ and the flag's name
// in upper case, with _ for - (--max-app-clients: COGNITOD_MAX_APP_CLIENTS).

// envName is the environment twin of the flag named flagName.
func envName(flagName string) string {
	return "COGNITOD_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// listFlags are the repeatable flags, whose variables hold lists and are
// read by their own code (COGNITOD_QUOTA comma-separated, COGNITOD_TRIGGERS
// space-separated), in addition to the flags given.
var listFlags = []string{"quota", "trigger"}

// applyEnv sets each flag of fs that the command line did not set from its
// environment twin, through the flag's own Set: a variable is parsed, and
// refused, exactly as its flag is, so a malformed one stops serve instead
// of leaving the built-in default in force. An empty variable counts as
// unset. Values are never flag defaults, so -h prints no secret.
func applyEnv(fs *flag.FlagSet) []string {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var problems []string
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || slices.Contains(listFlags, f.Name) {
			return
		}
		name := envName(f.Name)
		v := os.Getenv(name)
		if v == "" {
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			if len(v) > 40 {
				v = v[:40] + "..."
			}
			problems = append(problems, fmt.Sprintf("%s %q: invalid value for --%s: %v", name, v, f.Name, err))
		}
	})
	return problems
}
