package iam

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// decodeStrict decodes JSON into plain values (map[string]any, []any,
// string, json.Number, bool, nil), refusing duplicate member names: with
// encoding/json the last of two "Effect" members would silently win, and
// a reviewer reading the first would be misled.
func decodeStrict(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("the policy document has content after its closing brace")
	}
	return v, nil
}

// maxDepth bounds nesting; a policy needs four levels
// (document, statement list, statement, condition block, key).
const maxDepth = 8

func decodeValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errors.New("the policy document is nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, errors.New("the policy document is not valid JSON")
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := map[string]any{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, errors.New("the policy document is not valid JSON")
				}
				k, ok := kt.(string)
				if !ok {
					return nil, errors.New("the policy document is not valid JSON")
				}
				if _, dup := obj[k]; dup {
					return nil, fmt.Errorf("the policy document has the member %q twice in one object", truncate(k))
				}
				v, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				obj[k] = v
			}
			if _, err := dec.Token(); err != nil {
				return nil, errors.New("the policy document is not valid JSON")
			}
			return obj, nil
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, errors.New("the policy document is not valid JSON")
			}
			return arr, nil
		}
		return nil, errors.New("the policy document is not valid JSON")
	default:
		return t, nil
	}
}

// truncate keeps error messages short whatever the input.
func truncate(s string) string {
	const max = 64
	if len(s) > max {
		return strings.ToValidUTF8(s[:max], "") + "..."
	}
	return s
}
