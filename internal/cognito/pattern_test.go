package cognito

import (
	"regexp"
	"sort"
	"strings"
	"testing"
)

// modelPatterns returns the model's distinct patterns, sorted.
func modelPatterns() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range model.shapes {
		if s.Pattern != "" && !seen[s.Pattern] {
			seen[s.Pattern] = true
			out = append(out, s.Pattern)
		}
	}
	sort.Strings(out)
	return out
}

var patternSamples = []string{
	"", "a", "us-east-1_AbC123", "us-east-1_", "_abc", "a_b_c", "eu-west-1_x_y", "us-east-1_ab-c", "com.example.photos",
	"https://api.example.com", "has space", " lead", "trail ", "tab\tin", "new\nline", "\x00", "\x7f", "quote\"d",
	"back\\slash", "é", "日本語", "emoji😀", "\xff", "a\xffb", "\xed\xa0\x80", "{####}", "x{####}y", "{##a##}", "*", "_",
	"12345", "0x1F", "import-abc", "cognito:english", "arn:aws:lambda:us-east-1:000000000000:function:f",
	"123e4567-e89b-42d3-a456-426614174000", "\u00a0nbsp", "\u2028", "+=,.@-", "a b", "A\u0301",
}

// TestPatternMatchers: for every pattern of the model, the matcher used
// answers as the regexp of the pattern, applied to the whole value, on
// every sample; and the shapes the fast matchers are meant for get one.
func TestPatternMatchers(t *testing.T) {
	fast := 0
	for _, p := range modelPatterns() {
		re := regexp.MustCompile(`^(?:` + p + `)$`)
		m := patternMatcher(p)
		if fastMatcher(p) != nil {
			fast++
		}
		for _, s := range patternSamples {
			if got, want := m(s), re.MatchString(s); got != want {
				t.Errorf("pattern %q on %q: %v, regexp says %v", p, s, got, want)
			}
		}
	}
	for _, p := range []string{`[\w-]+_[0-9a-zA-Z]+`, `[\x21\x23-\x5B\x5D-\x7E]+`, `[\S]+`, `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`, `^[0-9a-fA-F]+$`} {
		if fastMatcher(p) == nil {
			t.Errorf("pattern %q has no fast matcher", p)
		}
	}
	t.Logf("%d of %d patterns matched without regexp", fast, len(modelPatterns()))
}

// FuzzPatternMatchers compares each fast matcher with its regexp on
// random values.
func FuzzPatternMatchers(f *testing.F) {
	patterns := modelPatterns()
	for i := range patterns {
		for _, s := range patternSamples {
			f.Add(uint8(i), s)
		}
	}
	res := make([]*regexp.Regexp, len(patterns))
	for i, p := range patterns {
		res[i] = regexp.MustCompile(`^(?:` + p + `)$`)
	}
	f.Fuzz(func(t *testing.T, i uint8, s string) {
		n := int(i) % len(patterns)
		m := fastMatcher(patterns[n])
		if m == nil {
			return
		}
		if got, want := m(s), res[n].MatchString(s); got != want {
			t.Fatalf("pattern %q on %q: %v, regexp says %v", patterns[n], s, got, want)
		}
	})
}

// TestValidRegionIsThePattern: ValidRegion answers as regionPattern (with
// its 32-byte bound) on samples; FuzzValidRegion on random strings.
func TestValidRegionIsThePattern(t *testing.T) {
	for _, s := range []string{"us-east-1", "us-gov-west-1", "eu-central-2", "cn-north-1", "ap-southeast-3", "us-east-12", "us-east-123",
		"us-east", "us-1", "u-east-1", "use-east-1", "us--east-1", "us-east-1-", "-us-east-1", "US-east-1", "us-east-a", "us-e4st-1",
		"us-east-", "", "us", "ab-cd-ef-1", strings.Repeat("a", 40), "aa-" + strings.Repeat("b", 26) + "-1", "aa-" + strings.Repeat("b", 27) + "-1"} {
		if got, want := ValidRegion(s), len(s) <= 32 && regionPattern.MatchString(s); got != want {
			t.Errorf("ValidRegion(%q) = %v, the pattern says %v", s, got, want)
		}
	}
}

func FuzzValidRegion(f *testing.F) {
	for _, s := range []string{"us-east-1", "us-gov-west-1", "a-b-1", "us-east-12", "us--1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidRegion(s), len(s) <= 32 && regionPattern.MatchString(s); got != want {
			t.Fatalf("ValidRegion(%q) = %v, the pattern says %v", s, got, want)
		}
	})
}
