package token

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"sync"
)

// A token's claims are a struct per token kind (clientCredentialsClaims,
// accessClaims, idClaims), marshalled with encoding/json in Cognito's
// order, followed by Extras: claims whose names are not known in advance
// (an ID token's user attributes; the claims a pre token generation
// trigger adds, overrides or suppresses).

// Extras are claims merged into a token after its standard ones, in name
// order, at one of two levels (see appendClaims): a token's own claims
// whose names vary (an ID token's user attributes), which never replace a
// standard claim; and overrides (the claims a pre token generation
// trigger adds, replaces or suppresses), which replace standard claims
// and own extras of the same name, or remove them with a nil value,
// except for names in protectedClaims, which overrides cannot touch.
type Extras map[string]any

// protectedClaims are the claims Extras can neither set nor remove: the
// ones verifiers and cognitod itself rely on (who, for whom, by whom,
// when, which token), as Cognito's pre token generation trigger refuses
// to touch them (developer guide, "Pre token generation Lambda trigger":
// acr, amr, aud, auth_time, azp, exp, iat, identities, iss, sub,
// token_use, nonce, at_hash, cognito:username, jti, origin_jti, event_id,
// client_id, version, username).
var protectedClaims = map[string]bool{
	"acr": true, "amr": true, "aud": true, "at_hash": true, "auth_time": true, "azp": true,
	"client_id": true, "cognito:username": true, "event_id": true, "exp": true, "iat": true,
	"identities": true, "iss": true, "jti": true, "nbf": true, "nonce": true, "origin_jti": true,
	"sub": true, "token_use": true, "username": true, "version": true,
}

// clientCredentialsClaims are the claims Cognito sets for the client
// credentials grant, in its order.
type clientCredentialsClaims struct {
	Sub      string `json:"sub"`
	TokenUse string `json:"token_use"`
	Scope    string `json:"scope"`
	AuthTime int64  `json:"auth_time"`
	Iss      string `json:"iss"`
	Exp      int64  `json:"exp"`
	Iat      int64  `json:"iat"`
	Version  int    `json:"version"`
	JTI      string `json:"jti"`
	ClientID string `json:"client_id"`
}

// accessClaims are the claims of a user's access token, in Cognito's
// order.
type accessClaims struct {
	Sub       string   `json:"sub"`
	Groups    []string `json:"cognito:groups,omitempty"`
	Iss       string   `json:"iss"`
	Version   int      `json:"version"`
	ClientID  string   `json:"client_id"`
	OriginJTI string   `json:"origin_jti"`
	EventID   string   `json:"event_id"`
	TokenUse  string   `json:"token_use"`
	Scope     string   `json:"scope"`
	AuthTime  int64    `json:"auth_time"`
	Exp       int64    `json:"exp"`
	Iat       int64    `json:"iat"`
	JTI       string   `json:"jti"`
	Username  string   `json:"username"`
}

// idClaims are the claims of an ID token that are not user attributes,
// in Cognito's order; the attributes are Extras.
type idClaims struct {
	Sub           string   `json:"sub"`
	Groups        []string `json:"cognito:groups,omitempty"`
	Roles         []string `json:"cognito:roles,omitempty"`
	PreferredRole string   `json:"cognito:preferred_role,omitempty"`
	Iss           string   `json:"iss"`
	Username      string   `json:"cognito:username"`
	OriginJTI     string   `json:"origin_jti"`
	Aud           string   `json:"aud"`
	EventID       string   `json:"event_id"`
	TokenUse      string   `json:"token_use"`
	AuthTime      int64    `json:"auth_time"`
	Exp           int64    `json:"exp"`
	Iat           int64    `json:"iat"`
	JTI           string   `json:"jti"`
	Nonce         string   `json:"nonce,omitempty"`
	AtHash        string   `json:"at_hash,omitempty"`
}

// encoder is a reusable JSON encoder and its buffer: marshalling into a
// pooled buffer saves the per-token allocation of json.Marshal's result.
type encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var encoders = sync.Pool{New: func() any {
	e := &encoder{}
	e.enc = json.NewEncoder(&e.buf)
	// Claims are not HTML: "<" stays "<", as Cognito writes it, rather
	// than encoding/json's default "\u003c".
	e.enc.SetEscapeHTML(false)
	return e
}}

// extra is one claim after the standard ones.
type extra struct {
	name     string
	value    any // nil: left out (an override that suppresses)
	override bool
}

// resolve merges own extras and overrides into one list in name order.
func resolve(own, overrides Extras) []extra {
	list := make([]extra, 0, len(own)+len(overrides))
	for name, v := range own {
		if o, ok := overrides[name]; ok && !protectedClaims[name] {
			list = append(list, extra{name, o, true})
			continue
		}
		list = append(list, extra{name, v, false})
	}
	for name, v := range overrides {
		if _, done := own[name]; !done && !protectedClaims[name] {
			list = append(list, extra{name, v, true})
		}
	}
	slices.SortFunc(list, func(a, b extra) int { return strings.Compare(a.name, b.name) })
	return list
}

// appendClaims appends to dst the JSON claims set of std followed by own
// and overrides (see Extras).
func appendClaims(dst []byte, std any, own, overrides Extras) ([]byte, error) {
	e := encoders.Get().(*encoder)
	defer encoders.Put(e)
	obj, err := e.value(std)
	if err != nil {
		return nil, err
	}
	if len(own) == 0 && len(overrides) == 0 {
		return append(dst, obj...), nil
	}
	list := resolve(own, overrides)
	// obj stays in e.buf: the extras are encoded with a second encoder.
	x := encoders.Get().(*encoder)
	defer encoders.Put(x)
	// std is a flat struct: a member name shows as "name": outside any
	// string (a quote inside a string value is escaped), so this finds
	// exactly the extras named like a standard claim.
	for _, c := range list {
		q, err := x.value(c.name)
		if err != nil {
			return nil, err
		}
		if bytes.Contains(obj, append(q, ':')) {
			return mergeClaims(dst, obj, list)
		}
	}
	out := append(dst, obj[:len(obj)-1]...) // without the closing brace
	first := len(obj) == 2                  // std was {}
	for _, c := range list {
		if c.value == nil {
			continue
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		q, err := x.value(c.name)
		if err != nil {
			return nil, err
		}
		out = append(append(out, q...), ':')
		val, err := x.value(c.value)
		if err != nil {
			return nil, err
		}
		out = append(out, val...)
	}
	return append(out, '}'), nil
}

// value returns the JSON of v, valid until the encoder's next use.
func (e *encoder) value(v any) ([]byte, error) {
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(e.buf.Bytes(), []byte("\n")), nil
}

// mergeClaims is appendClaims when extras are named like standard
// claims: the standard members are read back in order; an override
// replaces or removes one, an own extra yields to it.
func mergeClaims(dst, obj []byte, list []extra) ([]byte, error) {
	byName := make(map[string]extra, len(list))
	for _, c := range list {
		byName[c.name] = c
	}
	dec := json.NewDecoder(bytes.NewReader(obj))
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteByte('{')
	write := func(name string, raw []byte) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		q, _ := json.Marshal(name)
		b.Write(q)
		b.WriteByte(':')
		b.Write(raw)
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		name := t.(string)
		seen[name] = true
		c, ok := byName[name]
		switch {
		case !ok || !c.override:
			write(name, raw)
		case c.value != nil:
			v, err := marshalNoHTML(c.value)
			if err != nil {
				return nil, err
			}
			write(name, v)
		}
	}
	for _, c := range list {
		if c.value != nil && !seen[c.name] {
			v, err := marshalNoHTML(c.value)
			if err != nil {
				return nil, err
			}
			write(c.name, v)
		}
	}
	b.WriteByte('}')
	return append(dst, b.Bytes()...), nil
}

func marshalNoHTML(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
