package main

import (
	"flag"
	"os"
	"strings"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/triggers"
)

// triggerFlags are the Lambda trigger webhooks (issue 13): --trigger
// ARN=URL (repeatable), --triggers-file, --trigger-secret.
type triggerFlags struct {
	targets  map[string]string
	file     string
	secret   string
	problems []string
	// invoker is built by check; nil when no trigger is configured.
	invoker *triggers.Invoker
}

// triggerList is the repeatable --trigger flag.
type triggerList struct{ t *triggerFlags }

func (l triggerList) String() string { return "" }

func (l triggerList) Set(v string) error {
	arn, target, err := triggers.ParseTarget(v)
	if err != nil {
		return err
	}
	l.t.targets[arn] = target
	return nil
}

func addTriggerFlags(fs *flag.FlagSet, c *serveConfig) {
	t := &triggerFlags{targets: map[string]string{}}
	c.triggers = t
	if v, ok := os.LookupEnv("COGNITOD_TRIGGERS"); ok {
		for _, one := range strings.Fields(v) {
			if err := (triggerList{t}).Set(one); err != nil {
				t.problems = append(t.problems, "COGNITOD_TRIGGERS: "+err.Error())
			}
		}
	}
	fs.Var(triggerList{t}, "trigger", "call the Lambda function ARN as a webhook at URL, ARN=URL (https, or http to a loopback address); repeatable (COGNITOD_TRIGGERS, space-separated)")
	fs.StringVar(&t.file, "triggers-file", "", "JSON object of Lambda function ARN to webhook URL, added to --trigger (COGNITOD_TRIGGERS_FILE)")
	fs.StringVar(&t.secret, "trigger-secret", "", "secret that signs every webhook request (HMAC-SHA256, header X-Cognitod-Signature), at least 32 characters; required with triggers (COGNITOD_TRIGGER_SECRET)")
}

// check loads the file, builds the invoker and returns the problems.
func (t *triggerFlags) check() []string {
	problems := t.problems
	if t.file != "" {
		m, err := triggers.LoadFile(t.file)
		if err != nil {
			return append(problems, err.Error())
		}
		for arn, target := range m {
			t.targets[arn] = target
		}
	}
	if len(t.targets) == 0 {
		return problems
	}
	inv, err := triggers.New(triggers.Config{Targets: t.targets, Secret: t.secret})
	if err != nil {
		return append(problems, err.Error())
	}
	t.invoker = inv
	return problems
}

// serviceInvoker is the invoker for cognito.Config: a nil interface, not a
// nil pointer, when no trigger is configured.
func (t *triggerFlags) serviceInvoker() cognito.TriggerInvoker {
	if t == nil || t.invoker == nil {
		return nil
	}
	return t.invoker
}
