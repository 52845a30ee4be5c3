package cognito

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// TestEveryConstraintIsEnforced walks the members of every operation's
// input shape, and of structures nested in it, in the model and, for each
// constraint the model declares (required, length, range, pattern, enum,
// list size), sends a request that breaks it and checks that the answer
// names that member and that constraint. Not walked: members of
// structures inside lists and maps (Scopes, Schema elements), map sizes,
// and string maximums of 5000 or more (to keep the cases small).
func TestEveryConstraintIsEnforced(t *testing.T) {
	ops := make([]string, 0, len(model.ops))
	for name := range model.ops {
		ops = append(ops, name)
	}
	sort.Strings(ops)
	cases := 0
	for _, op := range ops {
		var walk func(s *shape, path []string, wirePath string, depth int)
		walk = func(s *shape, path []string, wirePath string, depth int) {
			if depth > 4 || s.Type != "structure" {
				return
			}
			for _, member := range s.Order {
				ms := model.shapes[s.Members[member].Shape]
				mpath := append(append([]string{}, path...), member)
				mwire := memberPath(wirePath, member)
				for _, c := range violations(ms, s.required[member]) {
					cases++
					name := fmt.Sprintf("%s/%s/%s", op, strings.Join(mpath, "."), c.constraint)
					t.Run(name, func(t *testing.T) {
						tree := nest(mpath, c.value, c.absent)
						err := Validate(op, tree)
						var ce *Error
						if !errors.As(err, &ce) || ce.Type != "InvalidParameterException" {
							t.Fatalf("got %v, want InvalidParameterException", err)
						}
						want := fmt.Sprintf("at '%s' failed to satisfy constraint: %s", mwire, c.constraint)
						if !strings.Contains(ce.Message, want) {
							t.Errorf("message %q lacks %q", ce.Message, want)
						}
					})
				}
				if ms.Type == "structure" {
					walk(ms, mpath, mwire, depth+1)
				}
			}
		}
		walk(model.ops[op].input, nil, "", 0)
	}
	if cases < 200 {
		t.Errorf("only %d constraint cases; the model walk is broken", cases)
	}
}

type violation struct {
	constraint string
	value      any
	absent     bool
}

// violations returns one value per constraint of s that breaks it.
func violations(s *shape, required bool) []violation {
	var out []violation
	if required {
		out = append(out, violation{constraint: "Member must not be null", absent: true})
	}
	switch s.Type {
	case "string":
		if s.Min != nil && *s.Min > 0 {
			out = append(out, violation{fmt.Sprintf("Member must have length greater than or equal to %d", int(*s.Min)), "", false})
		}
		if s.Max != nil && *s.Max < 5000 {
			out = append(out, violation{fmt.Sprintf("Member must have length less than or equal to %d", int(*s.Max)), strings.Repeat("a", int(*s.Max)+1), false})
		}
		if s.match != nil {
			for _, bad := range []string{"\x00", "a b", "\n", "%", "/", "", "@@"} {
				if !s.match(bad) {
					out = append(out, violation{"Member must satisfy regular expression pattern: " + s.Pattern, bad, false})
					break
				}
			}
		}
		if len(s.Enum) > 0 {
			out = append(out, violation{"Member must satisfy enum value set: " + s.enumText, "NOT_IN_THE_ENUM", false})
		}
	case "integer", "long":
		if s.Min != nil {
			out = append(out, violation{fmt.Sprintf("Member must have value greater than or equal to %d", int64(*s.Min)), json.Number(fmt.Sprint(int64(*s.Min) - 1)), false})
		}
		if s.Max != nil {
			out = append(out, violation{fmt.Sprintf("Member must have value less than or equal to %d", int64(*s.Max)), json.Number(fmt.Sprint(int64(*s.Max) + 1)), false})
		}
	case "list":
		if s.Max != nil {
			items := make([]any, int(*s.Max)+1)
			for i := range items {
				items[i] = map[string]any{}
				if model.shapes[s.Member.Shape].Type == "string" {
					items[i] = "x"
				}
			}
			out = append(out, violation{fmt.Sprintf("Member must have length less than or equal to %d", int(*s.Max)), items, false})
		}
		if s.Min != nil && *s.Min > 0 {
			out = append(out, violation{fmt.Sprintf("Member must have length greater than or equal to %d", int(*s.Min)), []any{}, false})
		}
	}
	return out
}

// nest builds {"A":{"B":value}} for path [A B]; absent leaves the last
// member out.
func nest(path []string, value any, absent bool) map[string]any {
	root := map[string]any{}
	cur := root
	for i, p := range path {
		if i == len(path)-1 {
			if !absent {
				cur[p] = value
			}
			break
		}
		next := map[string]any{}
		cur[p] = next
		cur = next
	}
	return root
}

func TestJavaHashSetOrder(t *testing.T) {
	// The order AWS printed for AllowedOAuthFlows (reference notes).
	got := strings.Join(javaHashSetOrder([]string{"code", "implicit", "client_credentials"}), ", ")
	if want := "implicit, client_credentials, code"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestUTF16Length(t *testing.T) {
	for s, want := range map[string]int{"abc": 3, "é": 1, "😀": 2, "": 0} {
		if got := utf16Len(s); got != want {
			t.Errorf("utf16Len(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestTypeErrorsNameTheMember: a member of the wrong JSON type is a
// SerializationException naming its path, at every depth (a structure's
// member, a list element's member, a list of scalars, a map value) and
// for every scalar type; values of the right type pass, however deep.
func TestTypeErrorsNameTheMember(t *testing.T) {
	parse := func(s string) map[string]any {
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	good := `{"UserPoolId":"us-east-1_abc","Identifier":"com.example","Name":"n","Scopes":[{"ScopeName":"read","ScopeDescription":"d"}]}`
	if err := Validate("CreateResourceServer", parse(good)); err != nil {
		t.Fatalf("valid input: %v", err)
	}
	for _, c := range []struct{ op, body, want string }{
		{"CreateResourceServer", `{"UserPoolId":1,"Identifier":"x","Name":"n"}`, "Unexpected value type for 'userPoolId': expected string"},
		{"CreateResourceServer", `{"UserPoolId":"us-east-1_abc","Identifier":"x","Name":"n","Scopes":{}}`, "Unexpected value type for 'scopes': expected list"},
		{"CreateResourceServer", `{"UserPoolId":"us-east-1_abc","Identifier":"x","Name":"n","Scopes":[{"ScopeName":"a","ScopeDescription":"d"},{"ScopeName":true,"ScopeDescription":"d"}]}`,
			"Unexpected value type for 'scopes.2.member.scopeName': expected string"},
		{"CreateResourceServer", `{"UserPoolId":"us-east-1_abc","Identifier":"x","Name":"n","Scopes":["read"]}`, "Unexpected value type for 'scopes.1.member': expected structure"},
		{"CreateUserPoolClient", `{"UserPoolId":"us-east-1_abc","ClientName":"c","AllowedOAuthScopes":["openid",7]}`, "Unexpected value type for 'allowedOAuthScopes.2.member': expected string"},
		{"CreateUserPoolClient", `{"UserPoolId":"us-east-1_abc","ClientName":"c","GenerateSecret":"yes"}`, "Unexpected value type for 'generateSecret': expected boolean"},
		{"CreateUserPoolClient", `{"UserPoolId":"us-east-1_abc","ClientName":"c","RefreshTokenValidity":2147483648}`, "Unexpected value type for 'refreshTokenValidity': expected integer"},
		{"CreateUserPoolClient", `{"UserPoolId":"us-east-1_abc","ClientName":"c","RefreshTokenValidity":1.5}`, "Unexpected value type for 'refreshTokenValidity': expected integer"},
		{"CreateUserPool", `{"PoolName":"p","UserPoolTags":{"team":"a","cost":3}}`, "Unexpected value type for 'userPoolTags.cost': expected string"},
	} {
		err := Validate(c.op, parse(c.body))
		var e *Error
		if !errors.As(err, &e) || e.Type != ErrSerialization.Type || e.Message != c.want {
			t.Errorf("%s %s:\n got %v\nwant %s: %s", c.op, c.body, err, ErrSerialization.Type, c.want)
		}
	}
}
