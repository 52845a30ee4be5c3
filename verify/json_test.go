package verify

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

var jsonSamples = []string{
	`{}`, `[]`, `""`, `0`, `-0`, `1.5e10`, `-1E-2`, `true`, `false`, `null`,
	` { "a" : [ 1 , { "b" : null } ] } `, `{"a":"\u00e9\ud83d\ude00\n\"\\\/"}`,
	`"\ud800"`, `"\ud800\u0041"`, `"\udc00\ud800"`, `"\ud83d\ude00"`,
	`{"a":1,"a":2}`, `[1,2,3]`, `"é"`, `{"a":1,"\u0061":2}`, `{"x":{"b":1,"b":2}}`, `[{"a":1},{"a":1}]`,
	`{"a":{"a":1}}`, `{"1":1,"2":2,"3":3,"4":4,"5":5,"6":6,"7":7,"8":8,"9":9,"10":10,"11":11,"12":12,"13":13,"14":14,"15":15,"16":16,"17":17,"3":0}`,
	`{"1":1,"2":2,"3":3,"4":4,"5":5,"6":6,"7":7,"8":8,"9":9,"10":10,"11":11,"12":12,"13":13,"14":14,"15":15,"16":16,"17":17,"17":0}`,
	`{"1":1,"2":2,"3":3,"4":4,"5":5,"6":6,"7":7,"8":8,"9":9,"10":10,"11":11,"12":12,"13":13,"14":14,"15":15,"16":16,"17":17,"18":0}`,
	// invalid
	``, ` `, `{`, `}`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `[,1]`, `01`, `1.`, `.5`, `1e`, `+1`, `-`,
	`tru`, `nul`, `"abc`, `"\x"`, `"\u12"`, `"\u12g4"`, "\"\x01\"", `{"a":1}x`, `{a:1}`, `'a'`,
	`[1 2]`, `{"a":1 "b":2}`, `NaN`, `Infinity`, `1_000`, "\"\t\"",
}

// strictValid is the reference for validJSON: valid for encoding/json,
// and no object names a member twice (checked on encoding/json's tokens,
// which carry member names unescaped).
func strictValid(s string) bool {
	if !json.Valid([]byte(s)) {
		return false
	}
	dec := json.NewDecoder(strings.NewReader(s))
	// One entry per open array (nil) or object (its names so far, and
	// whether the next string token is a name).
	type frame struct {
		names   map[string]bool
		wantKey bool
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return true
		}
		top := len(stack) - 1
		switch tok := tok.(type) {
		case json.Delim:
			if tok == '{' || tok == '[' {
				if top >= 0 && stack[top].names != nil {
					stack[top].wantKey = true
				}
				var f frame
				if tok == '{' {
					f = frame{names: map[string]bool{}, wantKey: true}
				}
				stack = append(stack, f)
				continue
			}
			stack = stack[:top]
			continue
		case string:
			if top >= 0 && stack[top].names != nil && stack[top].wantKey {
				if stack[top].names[tok] {
					return false
				}
				stack[top].names[tok] = true
				stack[top].wantKey = false
				continue
			}
		}
		if top >= 0 && stack[top].names != nil {
			stack[top].wantKey = true
		}
	}
}

func TestValidJSONMatchesEncodingJSON(t *testing.T) {
	for _, s := range jsonSamples {
		if got, want := validJSON(s), strictValid(s); got != want {
			t.Errorf("%q: got %v, want %v", s, got, want)
		}
	}
	deep := strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth)
	if !validJSON(deep) {
		t.Errorf("got invalid for depth %d, want valid", maxDepth)
	}
	if validJSON("[" + deep + "]") {
		t.Errorf("got valid for depth %d, want invalid", maxDepth+1)
	}
}

func TestReadStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range jsonSamples {
		var want string
		if s == "" || s[0] != '"' || json.Unmarshal([]byte(s), &want) != nil {
			continue
		}
		r := jsonReader{s: s}
		got, err := r.readString()
		if err != nil || got != want {
			t.Errorf("%q: got %q, %v, want %q", s, got, err, want)
		}
	}
}

func TestSplitScope(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{"a b", []string{"a", "b"}},
		{"a  b ", []string{"a", "b"}},
		{" openid email phone/x", []string{"openid", "email", "phone/x"}},
	}
	for _, tc := range cases {
		if got := splitScope(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestClaimsAccessors(t *testing.T) {
	payload := mustJSON(with(idClaims("https://issuer/pool"), "custom:tenant", "acme", "custom:n", 3))
	var c Claims
	if err := parseClaims(payload, &c); err != nil {
		t.Fatal(err)
	}
	if got, ok := c.Get("custom:n"); !ok || got != 3.0 {
		t.Errorf("got %v, %v, want 3, true", got, ok)
	}
	if got, ok := c.Get("custom:none"); ok || got != nil {
		t.Errorf("got %v, %v, want nil, false", got, ok)
	}
	if got, ok := c.GetString("custom:n"); ok || got != "" {
		t.Errorf("got %q, %v, want \"\", false", got, ok)
	}
	var attrs struct {
		Tenant string `json:"custom:tenant"`
		AtHash string `json:"at_hash"`
	}
	if err := c.Decode(&attrs); err != nil || attrs.Tenant != "acme" || attrs.AtHash == "" {
		t.Errorf("got %+v, %v, want tenant acme and at_hash", attrs, err)
	}
	if got, want := string(c.RawJSON()), payload; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

// FuzzParse compares the hand-written claims decoder with encoding/json: it
// must never panic, must accept only valid JSON objects in which no
// object names a member twice (strictValid), and when it accepts, the
// string claims it decoded must be what encoding/json decodes.
func FuzzParse(f *testing.F) {
	f.Add(mustJSON(accessClaims("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_x")))
	f.Add(mustJSON(idClaims("https://auth.example.com/us-east-1_x")))
	f.Add(`{"iss":"a\u00e9\ud83d","aud":["x","y"],"scope":" a  b ","exp":1.25,"version":2,"email_verified":"true"}`)
	f.Add(`{"x":[{"y":[null,true,false,-1.5e-3,"\"\\\/"]}],"iss":null}`)
	f.Add(`{"exp":1e300}`)
	f.Add(`{"a":1,}`)
	f.Add(`{"iss":"a","x":{"y":[{"z":1,"\u007a":2}]},"iss":"b"}`)
	for _, s := range jsonSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // Verify rejects these before decoding
		}
		var c Claims
		err := parseClaims(s, &c)
		valid := strictValid(s)
		// Nesting beyond maxDepth is the only allowed difference.
		if got := validJSON(s); got != valid && !tooDeep(s) {
			t.Fatalf("validJSON(%q) = %v, strictValid = %v", s, got, valid)
		}
		if err != nil {
			return
		}
		if !valid {
			t.Fatalf("parseClaims accepted invalid JSON or a duplicate member name: %q", s)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatalf("parseClaims accepted %q, encoding/json: %v", s, err)
		}
		for name, got := range map[string]string{
			"iss": c.Issuer, "sub": c.Subject, "token_use": string(c.TokenUse), "client_id": c.ClientID,
			"jti": c.JTI, "origin_jti": c.OriginJTI, "event_id": c.EventID, "email": c.Email, "nonce": c.Nonce,
		} {
			want, _ := m[name].(string)
			if got != want {
				t.Errorf("%s: got %q, want %q", name, got, want)
			}
		}
		if scope, _ := m["scope"].(string); !reflect.DeepEqual(c.Scope, splitScope(scope)) {
			t.Errorf("scope: got %q, want %q", c.Scope, splitScope(scope))
		}
	})
}

// tooDeep reports whether s nests arrays or objects deeper than maxDepth.
func tooDeep(s string) bool {
	depth, inString, escaped := 0, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			if depth > maxDepth {
				return true
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return false
}
