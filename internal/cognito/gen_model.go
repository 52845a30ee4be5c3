//go:build ignore

// gen_model trims AWS's public cognito-idp service model to the shapes that
// cognitod's operations read, without documentation, so that input
// validation runs from data instead of hand-written checks.
//
//	go run gen_model.go -in ../../../shared/reference/cognito-idp-2016-04-18.json
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"log"
	"os"
	"sort"
)

// operations is every cognito-idp operation cognitod serves or plans to.
var operations = []string{
	"CreateUserPool", "DescribeUserPool", "ListUserPools", "UpdateUserPool", "DeleteUserPool",
	"CreateUserPoolClient", "DescribeUserPoolClient", "UpdateUserPoolClient", "ListUserPoolClients", "DeleteUserPoolClient",
	"CreateUserPoolDomain", "DescribeUserPoolDomain", "DeleteUserPoolDomain",
	"CreateResourceServer", "DescribeResourceServer", "ListResourceServers", "UpdateResourceServer", "DeleteResourceServer",
	"AdminCreateUser", "AdminSetUserPassword", "AdminGetUser", "ListUsers", "AdminDeleteUser",
	"AdminDisableUser", "AdminEnableUser", "AdminConfirmSignUp", "AdminUpdateUserAttributes",
	"SignUp", "ConfirmSignUp", "InitiateAuth", "AdminInitiateAuth", "RespondToAuthChallenge",
	"GetUser", "GlobalSignOut", "RevokeToken", "GetSigningCertificate",
	// SRP, choice-based and admin sign-in.
	"AdminRespondToAuthChallenge",
}

type ref struct {
	Shape string `json:"shape"`
}

type shape struct {
	Type      string         `json:"type"`
	Required  []string       `json:"required,omitempty"`
	Members   map[string]ref `json:"members,omitempty"`
	Member    *ref           `json:"member,omitempty"`
	Key       *ref           `json:"key,omitempty"`
	Value     *ref           `json:"value,omitempty"`
	Min       *float64       `json:"min,omitempty"`
	Max       *float64       `json:"max,omitempty"`
	Pattern   string         `json:"pattern,omitempty"`
	Enum      []string       `json:"enum,omitempty"`
	Sensitive bool           `json:"sensitive,omitempty"`
	Exception bool           `json:"exception,omitempty"`
	Order     []string       `json:"order,omitempty"`
}

type operation struct {
	Input    string `json:"input"`
	Output   string `json:"output,omitempty"`
	Unsigned bool   `json:"unsigned,omitempty"`
}

func main() {
	in := flag.String("in", "", "path to cognito-idp-2016-04-18.json")
	out := flag.String("out", "apimodel.json", "output path")
	flag.Parse()
	raw, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	var model struct {
		Operations map[string]struct {
			Input    ref    `json:"input"`
			Output   *ref   `json:"output"`
			AuthType string `json:"authtype"`
		} `json:"operations"`
		Shapes map[string]json.RawMessage `json:"shapes"`
	}
	if err := json.Unmarshal(raw, &model); err != nil {
		log.Fatal(err)
	}
	shapes := map[string]shape{}
	var visit func(name string)
	visit = func(name string) {
		if _, ok := shapes[name]; ok {
			return
		}
		var s shape
		if err := json.Unmarshal(model.Shapes[name], &s); err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		// Keep member order as the model lists it: AWS reports
		// validation errors in that order.
		if s.Type == "structure" {
			s.Order = memberOrder(model.Shapes[name])
		}
		shapes[name] = s
		for _, m := range s.Order {
			visit(s.Members[m].Shape)
		}
		for _, r := range []*ref{s.Member, s.Key, s.Value} {
			if r != nil {
				visit(r.Shape)
			}
		}
	}
	ops := map[string]operation{}
	for _, name := range operations {
		op, ok := model.Operations[name]
		if !ok {
			log.Fatalf("no operation %s", name)
		}
		o := operation{Input: op.Input.Shape, Unsigned: op.AuthType == "none"}
		visit(op.Input.Shape)
		if op.Output != nil {
			o.Output = op.Output.Shape
		}
		ops[name] = o
	}
	names := make([]string, 0, len(shapes))
	for n := range shapes {
		names = append(names, n)
	}
	sort.Strings(names)
	b, err := json.MarshalIndent(struct {
		Operations map[string]operation `json:"operations"`
		Shapes     map[string]shape     `json:"shapes"`
	}{ops, shapes}, "", " ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
}

// memberOrder returns the member names of a structure shape in document order.
func memberOrder(raw json.RawMessage) []string {
	var s struct {
		Members json.RawMessage `json:"members"`
	}
	if err := json.Unmarshal(raw, &s); err != nil || len(s.Members) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytesReader(s.Members))
	var names []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 {
				names = append(names, t)
				// skip the member's value
				var v json.RawMessage
				if err := dec.Decode(&v); err != nil {
					return names
				}
			}
		}
	}
	return names
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
