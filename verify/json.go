package verify

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds a small strict JSON (RFC 8259) reader used to decode the
// JOSE header and the claims set of a token in one pass, without reflection.
// Strings without escapes are returned as substrings of the input, so the
// common path allocates nothing per claim. Custom claims are validated and
// skipped; Claims.Get decodes them with encoding/json on demand.

// maxDepth bounds the nesting of arrays and objects in a token.
const maxDepth = 64

var errSyntax = errors.New("invalid JSON or unexpected type")

// errDuplicate refuses an object that names a member twice. RFC 7515
// section 4 and RFC 7519 section 4 let a parser either reject such a
// header or claims set or take the last value; parsers disagree on which
// copy wins (encoding/json and this reader took the last, others the
// first), so a token that reads one way to a gateway and another way to
// an app could carry two different "sub" or "exp" values past one check.
// Rejecting it, at every nesting level, leaves one reading.
var errDuplicate = errors.New("duplicate member name")

// nameSet detects repeated member names in one object. Small objects
// (every real token header and claims set) are checked against a fixed
// array with no allocation; a larger one moves to a map, whose size the
// token's length bounds.
type nameSet struct {
	small [16]string
	n     int
	big   map[string]struct{}
}

// add records name and reports whether it was new.
func (s *nameSet) add(name string) bool {
	if s.big != nil {
		if _, ok := s.big[name]; ok {
			return false
		}
		s.big[name] = struct{}{}
		return true
	}
	for _, k := range s.small[:s.n] {
		if k == name {
			return false
		}
	}
	if s.n < len(s.small) {
		s.small[s.n] = name
		s.n++
		return true
	}
	s.big = make(map[string]struct{}, 2*len(s.small))
	for _, k := range s.small {
		s.big[k] = struct{}{}
	}
	s.big[name] = struct{}{}
	return true
}

// jsonReader reads JSON values from s starting at offset i.
type jsonReader struct {
	s string
	i int
}

// skipWS advances past JSON whitespace.
func (r *jsonReader) skipWS() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek returns the next non-whitespace byte, or 0 at the end of input.
func (r *jsonReader) peek() byte {
	r.skipWS()
	if r.i < len(r.s) {
		return r.s[r.i]
	}
	return 0
}

// consume skips whitespace and then requires byte c.
func (r *jsonReader) consume(c byte) bool {
	r.skipWS()
	if r.i < len(r.s) && r.s[r.i] == c {
		r.i++
		return true
	}
	return false
}

// literal requires the literal word (true, false, null) at the current position.
func (r *jsonReader) literal(word string) error {
	if strings.HasPrefix(r.s[r.i:], word) {
		r.i += len(word)
		return nil
	}
	return errSyntax
}

// readString reads a JSON string whose opening quote is at r.i (after
// whitespace). The input must already be known to be valid UTF-8.
func (r *jsonReader) readString() (string, error) {
	if !r.consume('"') {
		return "", errSyntax
	}
	start := r.i
	for r.i < len(r.s) {
		c := r.s[r.i]
		switch {
		case c == '"':
			v := r.s[start:r.i]
			r.i++
			return v, nil
		case c == '\\':
			return r.readEscapedString(start)
		case c < 0x20:
			return "", errSyntax
		}
		r.i++
	}
	return "", errSyntax
}

// readEscapedString continues readString after the first backslash; the
// string content begins at start. Invalid surrogate escapes decode to
// U+FFFD, as encoding/json does.
func (r *jsonReader) readEscapedString(start int) (string, error) {
	b := make([]byte, 0, len(r.s)-start)
	b = append(b, r.s[start:r.i]...)
	for r.i < len(r.s) {
		c := r.s[r.i]
		switch {
		case c == '"':
			r.i++
			return string(b), nil
		case c < 0x20:
			return "", errSyntax
		case c != '\\':
			b = append(b, c)
			r.i++
			continue
		}
		// Escape sequence.
		if r.i+1 >= len(r.s) {
			return "", errSyntax
		}
		e := r.s[r.i+1]
		r.i += 2
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r1, ok := r.hex4()
			if !ok {
				return "", errSyntax
			}
			if utf16.IsSurrogate(r1) {
				// Try to combine with a following \uXXXX low surrogate.
				save := r.i
				if strings.HasPrefix(r.s[r.i:], `\u`) {
					r.i += 2
					r2, ok := r.hex4()
					if !ok {
						return "", errSyntax
					}
					if dec := utf16.DecodeRune(r1, r2); dec != utf8.RuneError {
						b = utf8.AppendRune(b, dec)
						continue
					}
				}
				r.i = save
				r1 = utf8.RuneError
			}
			b = utf8.AppendRune(b, r1)
		default:
			return "", errSyntax
		}
	}
	return "", errSyntax
}

// hex4 reads four hex digits.
func (r *jsonReader) hex4() (rune, bool) {
	if r.i+4 > len(r.s) {
		return 0, false
	}
	var v rune
	for _, c := range []byte(r.s[r.i : r.i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		v = v<<4 | rune(c)
	}
	r.i += 4
	return v, true
}

// readNumber reads a JSON number and returns its text.
func (r *jsonReader) readNumber() (string, error) {
	r.skipWS()
	start := r.i
	s := r.s
	i := r.i
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
	default:
		return "", errSyntax
	}
	if i < len(s) && s[i] == '.' {
		i++
		d := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		if i == d {
			return "", errSyntax
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		d := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		if i == d {
			return "", errSyntax
		}
	}
	r.i = i
	return s[start:i], nil
}

// skipValue validates and skips any JSON value. depth is the nesting level
// of the value being skipped.
func (r *jsonReader) skipValue(depth int) error {
	switch r.peek() {
	case '"':
		_, err := r.readString()
		return err
	case '{':
		if depth >= maxDepth {
			return errSyntax
		}
		r.i++
		if r.consume('}') {
			return nil
		}
		var names nameSet
		for {
			name, err := r.readString()
			if err != nil {
				return err
			}
			if !names.add(name) {
				return errDuplicate
			}
			if !r.consume(':') {
				return errSyntax
			}
			if err := r.skipValue(depth + 1); err != nil {
				return err
			}
			if r.consume(',') {
				continue
			}
			if r.consume('}') {
				return nil
			}
			return errSyntax
		}
	case '[':
		if depth >= maxDepth {
			return errSyntax
		}
		r.i++
		if r.consume(']') {
			return nil
		}
		for {
			if err := r.skipValue(depth + 1); err != nil {
				return err
			}
			if r.consume(',') {
				continue
			}
			if r.consume(']') {
				return nil
			}
			return errSyntax
		}
	case 't':
		return r.literal("true")
	case 'f':
		return r.literal("false")
	case 'n':
		return r.literal("null")
	default:
		_, err := r.readNumber()
		return err
	}
}

// isNull consumes a null literal if one is next.
func (r *jsonReader) isNull() bool {
	if r.peek() == 'n' && strings.HasPrefix(r.s[r.i:], "null") {
		r.i += 4
		return true
	}
	return false
}

// readObject calls field for each member of the object at the current
// position. field must consume the member's value. An object that names
// a member twice is refused (errDuplicate).
func (r *jsonReader) readObject(field func(name string) error) error {
	if !r.consume('{') {
		return errSyntax
	}
	if r.consume('}') {
		return nil
	}
	var names nameSet
	for {
		name, err := r.readString()
		if err != nil {
			return err
		}
		if !names.add(name) {
			return errDuplicate
		}
		if !r.consume(':') {
			return errSyntax
		}
		if err := field(name); err != nil {
			return err
		}
		if r.consume(',') {
			continue
		}
		if r.consume('}') {
			return nil
		}
		return errSyntax
	}
}

// end requires that only whitespace remains.
func (r *jsonReader) end() error {
	r.skipWS()
	if r.i != len(r.s) {
		return errSyntax
	}
	return nil
}

// readStringOrNull reads a string; null yields "".
func (r *jsonReader) readStringOrNull() (string, error) {
	if r.isNull() {
		return "", nil
	}
	return r.readString()
}

// readStrings reads an array of strings; null yields nil.
func (r *jsonReader) readStrings() ([]string, error) {
	if r.isNull() {
		return nil, nil
	}
	if !r.consume('[') {
		return nil, errSyntax
	}
	out := make([]string, 0, 4)
	if r.consume(']') {
		return out, nil
	}
	for {
		s, err := r.readString()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		if r.consume(',') {
			continue
		}
		if r.consume(']') {
			return out, nil
		}
		return nil, errSyntax
	}
}

// validJSON reports whether s is one valid JSON value with no object
// naming a member twice (used by tests and fuzzing to compare this reader
// with encoding/json and a reference duplicate check).
func validJSON(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	r := jsonReader{s: s}
	if err := r.skipValue(0); err != nil {
		return false
	}
	return r.end() == nil
}

// numericDate bounds: 0 to 9999-12-31T23:59:59Z.
const maxNumericDate = 253402300799

// readNumericDate reads a JSON number holding seconds since the Unix epoch
// (RFC 7519 NumericDate) and returns it in nanoseconds split as sec, nsec.
// null yields ok=false.
func (r *jsonReader) readNumericDate() (sec, nsec int64, present bool, err error) {
	if r.isNull() {
		return 0, 0, false, nil
	}
	text, err := r.readNumber()
	if err != nil {
		return 0, 0, false, err
	}
	// Fast path: plain non-negative integer of at most 12 digits.
	if len(text) <= 12 && text[0] != '-' {
		var v int64
		isInt := true
		for i := 0; i < len(text); i++ {
			c := text[i]
			if c < '0' || c > '9' {
				isInt = false
				break
			}
			v = v*10 + int64(c-'0')
		}
		if isInt {
			if v > maxNumericDate {
				return 0, 0, false, errSyntax
			}
			return v, 0, true, nil
		}
	}
	f, perr := strconv.ParseFloat(text, 64)
	if perr != nil || f < 0 || f > maxNumericDate || f != f {
		return 0, 0, false, errSyntax
	}
	sec = int64(f)
	nsec = int64((f - float64(sec)) * 1e9)
	return sec, nsec, true, nil
}

// readInt reads a JSON number that must be an integer in int32 range.
func (r *jsonReader) readInt() (int, error) {
	if r.isNull() {
		return 0, nil
	}
	text, err := r.readNumber()
	if err != nil {
		return 0, err
	}
	f, perr := strconv.ParseFloat(text, 64)
	if perr != nil || f != float64(int32(f)) {
		return 0, errSyntax
	}
	return int(f), nil
}
