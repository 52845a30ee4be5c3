package token

import (
	"encoding/json"
	"testing"
)

// TestClaimsOrderAndEscaping: the standard claims come out in Cognito's
// order as encoding/json writes them, with "<", ">" and "&" as
// themselves, quotes and control characters escaped.
func TestClaimsOrderAndEscaping(t *testing.T) {
	got, err := appendClaims(nil, &clientCredentialsClaims{Sub: "c", TokenUse: "access", Scope: `a/<b>&"q"` + "\x01",
		AuthTime: 1, Iss: "http://x/us-east-1_A", Exp: 2, Iat: 1, Version: 2, JTI: "j", ClientID: "c"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"sub":"c","token_use":"access","scope":"a/<b>&\"q\"\u0001","auth_time":1,"iss":"http://x/us-east-1_A","exp":2,"iat":1,"version":2,"jti":"j","client_id":"c"}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestExtras: own extras (attributes) follow the standard claims in name
// order and never replace one; overrides replace standard and own claims
// or remove them with nil, except protected claims, which stay as they
// were whatever an override says.
func TestExtras(t *testing.T) {
	std := &idClaims{Sub: "s", Groups: []string{"g"}, Iss: "i", Username: "u", Aud: "a", TokenUse: "id", Exp: 9, Iat: 1, JTI: "j"}
	cases := []struct {
		name           string
		own, overrides Extras
		want           string
	}{
		{"none", nil, nil,
			`{"sub":"s","cognito:groups":["g"],"iss":"i","cognito:username":"u","origin_jti":"","aud":"a","event_id":"","token_use":"id","auth_time":0,"exp":9,"iat":1,"jti":"j"}`},
		{"own after, in name order; own sub ignored", Extras{"zoneinfo": "z", "email": "e@x", "email_verified": true, "sub": "attacker"}, nil,
			`{"sub":"s","cognito:groups":["g"],"iss":"i","cognito:username":"u","origin_jti":"","aud":"a","event_id":"","token_use":"id","auth_time":0,"exp":9,"iat":1,"jti":"j","email":"e@x","email_verified":true,"zoneinfo":"z"}`},
		{"overrides: replace, add, suppress; protected untouched", Extras{"email": "e@x", "name": "n"},
			Extras{"cognito:groups": []string{"h", "k"}, "email": nil, "custom:tier": "gold", "name": "N", "exp": 99999, "sub": "attacker", "token_use": nil},
			`{"sub":"s","cognito:groups":["h","k"],"iss":"i","cognito:username":"u","origin_jti":"","aud":"a","event_id":"","token_use":"id","auth_time":0,"exp":9,"iat":1,"jti":"j","custom:tier":"gold","name":"N"}`},
		{"suppress a standard claim", nil, Extras{"cognito:groups": nil},
			`{"sub":"s","iss":"i","cognito:username":"u","origin_jti":"","aud":"a","event_id":"","token_use":"id","auth_time":0,"exp":9,"iat":1,"jti":"j"}`},
	}
	for _, c := range cases {
		got, err := appendClaims([]byte("prefix"), std, c.own, c.overrides)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != "prefix"+c.want {
			t.Errorf("%s:\ngot  %s\nwant prefix%s", c.name, got, c.want)
		}
		if !json.Valid(got[len("prefix"):]) {
			t.Errorf("%s: not JSON", c.name)
		}
	}
	if _, err := appendClaims(nil, std, nil, Extras{"bad": func() {}}); err == nil {
		t.Error("an extra that does not marshal was accepted")
	}
}
