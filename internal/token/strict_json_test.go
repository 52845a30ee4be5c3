package token

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

var uniqueNamesCases = map[string]bool{
	`{}`: true, `{"a":1,"b":[{"a":1},{"a":2}],"c":{"a":{"a":1}}}`: true, `[{"a":1},{"a":1}]`: true,
	`{"a":"b","b":"a"}`: true, `"x"`: true, `[]`: true,
	`{"a":1,"a":1}`: false, `{"a":1,"\u0061":2}`: false, `{"x":{"b":1,"b":2}}`: false,
	`{"x":[1,{"y":null,"y":null}]}`: false, `{"a":{},"a":[]}`: false, `{"a":{"b":1},"c":2,"a":3}`: false,
	`{"a":1,}`: false, `{`: false, ``: false, `{"a":1}{"a":1}`: false,
	strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth):           true,
	strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1):       false,
	strings.Repeat(`{"a":`, maxJSONDepth) + "1" + strings.Repeat("}", maxJSONDepth): true,
}

func TestUniqueNames(t *testing.T) {
	for in, want := range uniqueNamesCases {
		if got := uniqueNames([]byte(in)); got != want {
			t.Errorf("uniqueNames(%.60q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzUniqueNames compares the duplicate check with go-json-experiment's
// jsontext, whose decoder refuses duplicate names by default: on UTF-8
// input nested no deeper than maxJSONDepth they must agree, and nothing
// may panic.
func FuzzUniqueNames(f *testing.F) {
	for in := range uniqueNamesCases {
		f.Add(in)
	}
	f.Add(`{"sub":"a","cognito:groups":["x"],"exp":1,"sub":"b"}`)
	f.Fuzz(func(t *testing.T, in string) {
		got := uniqueNames([]byte(in))
		if !utf8.ValidString(in) || tooDeep(in) {
			return
		}
		dec := jsontext.NewDecoder(bytes.NewReader([]byte(in)))
		_, err := dec.ReadValue()
		want := err == nil
		if want {
			_, err = dec.ReadToken()
			want = errors.Is(err, io.EOF)
		}
		if got != want {
			t.Fatalf("uniqueNames(%q) = %v, jsontext says %v (%v)", in, got, want, err)
		}
	})
}

// tooDeep reports whether s nests arrays or objects deeper than
// maxJSONDepth, the one place the two may differ.
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
			if depth++; depth > maxJSONDepth {
				return true
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return false
}
