package awsjson

import (
	"encoding/json"
	"errors"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// parseTree decodes one JSON value, with only white space around it, into
// what encoding/json's Decoder with UseNumber makes of it for an `any`:
// objects as map[string]any (the last of repeated names wins), arrays as
// []any, numbers as json.Number with the text as sent, strings with
// invalid UTF-8 and unpaired surrogates replaced by U+FFFD, and nesting
// refused past encoding/json's 10,000 levels. It exists because every
// request body goes through it, and encoding/json's reflection-driven
// `any` decoding was the largest share of a signed read's validation;
// FuzzParseTree holds it to encoding/json on random input.
func parseTree(data []byte) (any, error) {
	p := treeParser{data: data, text: string(data)}
	p.space()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.data) {
		return nil, errSyntax
	}
	return v, nil
}

var errSyntax = errors.New("awsjson: malformed JSON")

// maxNesting is encoding/json's bound on nested arrays and objects.
const maxNesting = 10000

type treeParser struct {
	data []byte
	// text is data as one string, made once: a plain string value is a
	// slice of it rather than an allocation of its own.
	text string
	i    int
}

func (p *treeParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *treeParser) value(depth int) (any, error) {
	if p.i >= len(p.data) {
		return nil, errSyntax
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case p.literal("true"):
		return true, nil
	case p.literal("false"):
		return false, nil
	case p.literal("null"):
		return nil, nil
	}
	return nil, errSyntax
}

func (p *treeParser) literal(word string) bool {
	if len(p.data)-p.i >= len(word) && string(p.data[p.i:p.i+len(word)]) == word {
		p.i += len(word)
		return true
	}
	return false
}

func (p *treeParser) object(depth int) (any, error) {
	if depth > maxNesting {
		return nil, errSyntax
	}
	p.i++ // {
	obj := map[string]any{}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return obj, nil
	}
	for {
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return nil, errSyntax
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return nil, errSyntax
		}
		p.i++
		p.space()
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		obj[k.(string)] = v
		p.space()
		if p.i >= len(p.data) {
			return nil, errSyntax
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			p.space()
		case '}':
			p.i++
			return obj, nil
		default:
			return nil, errSyntax
		}
	}
}

func (p *treeParser) array(depth int) (any, error) {
	if depth > maxNesting {
		return nil, errSyntax
	}
	p.i++ // [
	arr := []any{}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return arr, nil
	}
	for {
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		p.space()
		if p.i >= len(p.data) {
			return nil, errSyntax
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			p.space()
		case ']':
			p.i++
			return arr, nil
		default:
			return nil, errSyntax
		}
	}
}

// number accepts JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *treeParser) number() (any, error) {
	start := p.i
	digits := func() int {
		n := 0
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.data[p.i] == '-' {
		p.i++
	}
	if p.i < len(p.data) && p.data[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return nil, errSyntax
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, errSyntax
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, errSyntax
		}
	}
	return json.Number(p.data[start:p.i]), nil
}

// str reads a quoted string at p.i.
func (p *treeParser) str() (any, error) {
	p.i++ // "
	start := p.i
	// The common case: no escapes and valid UTF-8, taken as it is.
	plain := true
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			s := p.data[start:p.i]
			p.i++
			if plain && utf8.Valid(s) {
				return p.text[start : p.i-1], nil
			}
			return unquote(s), nil
		case c == '\\':
			plain = false
			p.i++
			if p.i >= len(p.data) {
				return nil, errSyntax
			}
			switch p.data[p.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i++
			case 'u':
				if len(p.data)-p.i < 5 || hex4(p.data[p.i+1:p.i+5]) < 0 {
					return nil, errSyntax
				}
				p.i += 5
			default:
				return nil, errSyntax
			}
		case c < 0x20:
			return nil, errSyntax
		default:
			p.i++
		}
	}
	return nil, errSyntax
}

// hex4 is the value of four hex digits, -1 if they are not.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// unquote decodes the body of a string the scan in str has checked:
// escapes resolved, a surrogate pair joined, anything else that is not a
// valid character replaced by U+FFFD, as encoding/json does.
func unquote(s []byte) string {
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			if c < utf8.RuneSelf {
				b = append(b, c)
				i++
				continue
			}
			r, size := utf8.DecodeRune(s[i:])
			i += size
			b = utf8.AppendRune(b, r) // RuneError for an invalid byte
			continue
		}
		e := s[i+1]
		i += 2
		switch e {
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
			r := hex4(s[i:])
			i += 4
			if utf16.IsSurrogate(r) {
				if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if r2 := hex4(s[i+2:]); r2 >= 0 {
						if d := utf16.DecodeRune(r, r2); d != unicode.ReplacementChar {
							i += 6
							b = utf8.AppendRune(b, d)
							continue
						}
					}
				}
				r = unicode.ReplacementChar
			}
			b = utf8.AppendRune(b, r)
		default: // '"', '\\', '/'
			b = append(b, e)
		}
	}
	return string(b)
}
