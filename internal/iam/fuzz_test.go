package iam

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

var seedPolicies = []string{
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cognito-idp:Describe*","cognito-idp:List*"],"Resource":"` + poolA + `"}]}`,
	`{"Statement":{"Effect":"Deny","NotAction":"cognito-idp:List*","NotResource":"*"}}`,
	`{"Version":"2012-10-17","Statement":{"Sid":"a1","Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["127.0.0.1/32","::1"]},"Bool":{"aws:SecureTransport":false},"DateLessThanIfExists":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"StringNotLike":{"aws:EpochTime":"1?*"}}}}`,
	`{"Statement":{"Effect":"Allow","Effect":"Deny"}}`,
	`{"Statement":[[]]}`,
}

// FuzzParsePolicy: Parse never panics, and whatever it accepts evaluates
// without panicking.
func FuzzParsePolicy(f *testing.F) {
	for _, s := range seedPolicies {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := Parse(text)
		if err != nil {
			if p != nil {
				t.Fatal("Parse returned a policy with an error")
			}
			return
		}
		if len(p.Statements) == 0 || len(p.Statements) > MaxStatements {
			t.Fatalf("accepted %d statements", len(p.Statements))
		}
		Evaluate(p, req("cognito-idp:ListUserPools", "*"))
	})
}

// FuzzEvaluate: evaluation never panics and is consistent with the
// documented logic: adding a Deny-all statement always denies; a policy
// whose statements are all Allow never gives an explicit deny; a policy of
// only Deny statements never allows.
func FuzzEvaluate(f *testing.F) {
	for _, s := range seedPolicies {
		f.Add(s, "cognito-idp:DescribeUserPool", poolA, "127.0.0.1", int64(1780315200), false)
	}
	f.Fuzz(func(t *testing.T, text, action, resource, ip string, epoch int64, tls bool) {
		p, err := Parse(text)
		if err != nil {
			return
		}
		r := Request{Action: action, Resource: resource, Time: time.Unix(epoch%(1<<40), 0), SecureTransport: tls}
		r.SourceIP, _ = netip.ParseAddr(ip)
		d := Evaluate(p, r)
		allAllow, allDeny := true, true
		for _, st := range p.Statements {
			if st.Effect == Deny {
				allAllow = false
			} else {
				allDeny = false
			}
		}
		if allAllow && d == ExplicitDeny || allDeny && d == Allowed {
			t.Fatalf("got %v from a policy of only one effect", d)
		}
		withDeny := strings.TrimSpace(text)
		q, err := Parse(`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`)
		if err != nil {
			t.Fatal(err)
		}
		both := &Policy{Version: p.Version, Statements: append(append([]Statement{}, p.Statements...), q.Statements...)}
		if got := Evaluate(both, r); got != ExplicitDeny {
			t.Fatalf("with a Deny-all statement added to %s: got %v", withDeny, got)
		}
		// NotAction "*" Allow never applies, so it changes nothing.
		na, _ := Parse(`{"Statement":{"Effect":"Allow","NotAction":"*","Resource":"*"}}`)
		more := &Policy{Statements: append(append([]Statement{}, p.Statements...), na.Statements...)}
		if got := Evaluate(more, r); got != d {
			t.Fatalf("an Allow that cannot apply changed %v to %v", d, got)
		}
	})
}
