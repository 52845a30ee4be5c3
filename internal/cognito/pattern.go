package cognito

import (
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
)

// Every string member of a request is matched against its shape's
// pattern, and most of the model's patterns are one character class
// repeated ([\S]+, [\p{L}\p{M}\p{S}\p{N}\p{P}]+, ...) or two joined by a
// separator ([\w-]+_[0-9a-zA-Z]+, the user pool ID). Those are matched
// here by a walk over the runes, without the regexp engine (whose
// backtracker was a measurable share of a signed read); any other pattern
// goes to regexp. TestPatternMatchers and FuzzPatternMatchers hold each
// fast matcher to the regexp it replaces.

// patternMatcher returns the matcher of a model pattern, applied to the
// whole value as AWS applies it.
func patternMatcher(pattern string) func(string) bool {
	if m := fastMatcher(pattern); m != nil {
		return m
	}
	return regexp.MustCompile(`^(?:` + pattern + `)$`).MatchString
}

// fastMatcher returns a rune-walking matcher for pattern when it has one
// of the two shapes above, nil otherwise.
func fastMatcher(pattern string) func(string) bool {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	parts := []*syntax.Regexp{re.Simplify()}
	if parts[0].Op == syntax.OpConcat {
		parts = parts[0].Sub
	}
	// Anchors are implied: the value is matched whole.
	for len(parts) > 0 && parts[0].Op == syntax.OpBeginText {
		parts = parts[1:]
	}
	for len(parts) > 0 && parts[len(parts)-1].Op == syntax.OpEndText {
		parts = parts[:len(parts)-1]
	}
	switch len(parts) {
	case 1:
		c, min, ok := repeatedClass(parts[0])
		if !ok {
			return nil
		}
		return func(s string) bool { return len(s) >= min && c.all(s) }
	case 3:
		a, minA, okA := repeatedClass(parts[0])
		b, minB, okB := repeatedClass(parts[2])
		sep := parts[1]
		if !okA || !okB || minA != 1 || minB != 1 || sep.Op != syntax.OpLiteral || len(sep.Rune) != 1 ||
			sep.Flags&syntax.FoldCase != 0 || b.has(sep.Rune[0]) || sep.Rune[0] >= 0x80 {
			return nil
		}
		// The separator is not in the second class, so a match splits at
		// its last occurrence: the prefix before it is all the first
		// class and the suffix after it all the second.
		c := byte(sep.Rune[0])
		return func(s string) bool {
			i := strings.LastIndexByte(s, c)
			return i > 0 && i < len(s)-1 && a.all(s[:i]) && b.all(s[i+1:])
		}
	}
	return nil
}

// repeatedClass recognizes class+ (min 1) and class* (min 0).
func repeatedClass(re *syntax.Regexp) (runeClass, int, bool) {
	min := 0
	switch re.Op {
	case syntax.OpPlus:
		min = 1
	case syntax.OpStar:
	default:
		return runeClass{}, 0, false
	}
	if re.Flags&syntax.NonGreedy != 0 || len(re.Sub) != 1 {
		return runeClass{}, 0, false
	}
	sub := re.Sub[0]
	switch sub.Op {
	case syntax.OpCharClass:
		return newRuneClass(sub.Rune), min, true
	case syntax.OpAnyChar:
		return newRuneClass([]rune{0, 0x10FFFF}), min, true
	case syntax.OpAnyCharNotNL:
		return newRuneClass([]rune{0, '\n' - 1, '\n' + 1, 0x10FFFF}), min, true
	}
	return runeClass{}, 0, false
}

// runeClass is a character class: a table for ASCII, sorted ranges for
// the rest.
type runeClass struct {
	ascii  *[128]bool
	ranges []rune // lo, hi pairs, sorted
}

func newRuneClass(pairs []rune) runeClass {
	c := runeClass{ascii: new([128]bool), ranges: append([]rune(nil), pairs...)}
	for i := 0; i+1 < len(pairs); i += 2 {
		for r := pairs[i]; r <= pairs[i+1] && r < 128; r++ {
			c.ascii[r] = true
		}
	}
	return c
}

func (c runeClass) has(r rune) bool {
	if r < 128 {
		return r >= 0 && c.ascii[r]
	}
	// The first range whose hi is at least r.
	n := len(c.ranges) / 2
	i := sort.Search(n, func(i int) bool { return c.ranges[2*i+1] >= r })
	return i < n && c.ranges[2*i] <= r
}

// all reports whether every rune of s is in the class; a byte that is not
// valid UTF-8 counts as U+FFFD, as regexp reads it.
func (c runeClass) all(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 128 {
			if !c.ascii[b] {
				return false
			}
			continue
		}
		for _, r := range s[i:] {
			if !c.has(r) {
				return false
			}
		}
		return true
	}
	return true
}
