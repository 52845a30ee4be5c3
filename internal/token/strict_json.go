package token

import (
	"bytes"
	"encoding/json"
	"io"
)

// maxJSONDepth bounds the nesting a token's header or claims may have.
const maxJSONDepth = 32

// uniqueNames reports whether b is one valid JSON value in which no object,
// at any depth, names a member twice. encoding/json keeps the last copy
// of a duplicate and says nothing; a token that another parser reads with
// the first copy (RFC 7515 section 4 and RFC 7519 section 4 allow either)
// would carry two different values of one claim past two checks, so a
// token with duplicates is refused whole. The caller bounds len(b).
func uniqueNames(b []byte) bool {
	if !json.Valid(b) {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	// One frame per open array (names nil) or object (names so far; key
	// says the next string token is a member name).
	type frame struct {
		names map[string]struct{}
		key   bool
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
		top := len(stack) - 1
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:top]
			if top > 0 && stack[top-1].names != nil {
				stack[top-1].key = true
			}
			continue
		}
		if s, ok := tok.(string); ok && top >= 0 && stack[top].key {
			if _, dup := stack[top].names[s]; dup {
				return false
			}
			stack[top].names[s] = struct{}{}
			stack[top].key = false
			continue
		}
		if d, ok := tok.(json.Delim); ok {
			if len(stack) >= maxJSONDepth {
				return false
			}
			f := frame{}
			if d == '{' {
				f = frame{names: map[string]struct{}{}, key: true}
			}
			stack = append(stack, f)
			continue
		}
		// A scalar: inside an object it was a member's value.
		if top >= 0 && stack[top].names != nil {
			stack[top].key = true
		}
	}
}
