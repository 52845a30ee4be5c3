package cognito

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// The hosted UI's custom CSS (SetUICustomization) is not passed through:
// ParseHostedCSS reads it into rules of Cognito's customizable classes
// and their allowed properties, with values from a small grammar
// (keywords, numbers with units, hex colours, rgb()/hsl() colours), and
// the hosted pages are served only the CSS it writes back out. Anything
// else is refused when the customization is set: at-rules (@import,
// @media, ...), other selectors, other properties, url(), expression(),
// escapes, quotes, !important. So a customization can restyle the
// classes Cognito documents, and cannot load anything, reach outside
// those classes, or break out of the stylesheet.

// hostedCSSProperties is, per customizable class, the properties Cognito's
// developer guide lists for it ("Customizing hosted UI (classic)
// branding").
var hostedCSSProperties = map[string][]string{
	"background-customizable":             {"background-color"},
	"banner-customizable":                 {"padding", "background-color"},
	"errorMessage-customizable":           {"margin", "padding", "font-size", "width", "background", "border", "color", "box-sizing"},
	"idpButton-customizable":              {"height", "width", "text-align", "margin-bottom", "color", "background-color", "border-color"},
	"idpButton-customizable:hover":        {"color", "background-color"},
	"idpDescription-customizable":         {"padding-top", "padding-bottom", "display", "font-size"},
	"inputField-customizable":             {"width", "height", "color", "background-color", "border"},
	"inputField-customizable:focus":       {"border-color", "outline"},
	"label-customizable":                  {"font-weight"},
	"legalText-customizable":              {"color", "font-size"},
	"logo-customizable":                   {"max-width", "max-height"},
	"passwordCheck-notValid-customizable": {"color"},
	"passwordCheck-valid-customizable":    {"color"},
	"socialButton-customizable":           {"height", "text-align", "width", "margin-bottom"},
	"submitButton-customizable":           {"font-size", "font-weight", "margin", "width", "height", "color", "background-color"},
	"submitButton-customizable:hover":     {"color", "background-color"},
	"textDescription-customizable":        {"padding-top", "padding-bottom", "display", "font-size"},
}

// HostedCSSRule is one selector's declarations, in the order given.
type HostedCSSRule struct {
	Class string
	Decls [][2]string
}

var (
	cssKeyword  = regexp.MustCompile(`^[a-zA-Z][a-zA-Z-]*$`)
	cssNumber   = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]+)?|\.[0-9]+)(px|em|rem|%|pt|vh|vw|ex|ch)?$`)
	cssHex      = regexp.MustCompile(`^#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$`)
	cssColorFun = regexp.MustCompile(`^(rgb|rgba|hsl|hsla)\([0-9., %+-]{1,64}\)$`)
)

// maxHostedCSSValue bounds one declaration's value.
const maxHostedCSSValue = 256

func cssError(format string, args ...any) error {
	return ErrInvalidParameter.WithMessagef(msgCSSInvalid, fmt.Sprintf(format, args...))
}

// ParseHostedCSS checks a customization's CSS and returns its rules.
func ParseHostedCSS(css string) ([]HostedCSSRule, error) {
	// Comments go first; one left open is refused.
	var b strings.Builder
	for rest := css; rest != ""; {
		i := strings.Index(rest, "/*")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		j := strings.Index(rest[i+2:], "*/")
		if j < 0 {
			return nil, cssError("unterminated comment")
		}
		b.WriteByte(' ')
		rest = rest[i+2+j+2:]
	}
	src := b.String()
	for _, r := range src {
		if r == '\\' || r == '"' || r == '\'' || r == '<' || r == '@' || r == '!' || r > 0x7e || (r < 0x20 && r != '\n' && r != '\r' && r != '\t') {
			return nil, cssError("character %q is not allowed", r)
		}
	}
	var rules []HostedCSSRule
	for {
		src = strings.TrimSpace(src)
		if src == "" {
			return rules, nil
		}
		open := strings.IndexByte(src, '{')
		if open < 0 {
			return nil, cssError("expected '{' after %q", clip(src))
		}
		end := strings.IndexByte(src[open:], '}')
		if end < 0 {
			return nil, cssError("unterminated block")
		}
		selectors, body := src[:open], src[open+1:open+end]
		src = src[open+end+1:]
		if strings.ContainsAny(body, "{") {
			return nil, cssError("nested blocks are not allowed")
		}
		decls, err := parseCSSDecls(body)
		if err != nil {
			return nil, err
		}
		for _, sel := range strings.Split(selectors, ",") {
			sel = strings.TrimSpace(sel)
			class, ok := strings.CutPrefix(sel, ".")
			allowed, known := hostedCSSProperties[class]
			if !ok || !known {
				return nil, cssError("selector %q is not one of the customizable classes", clip(sel))
			}
			for _, d := range decls {
				if !slices.Contains(allowed, d[0]) {
					return nil, cssError("property %q is not customizable for .%s", d[0], class)
				}
			}
			rules = append(rules, HostedCSSRule{Class: class, Decls: decls})
		}
	}
}

func parseCSSDecls(body string) ([][2]string, error) {
	var out [][2]string
	for _, d := range strings.Split(body, ";") {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		prop, value, ok := strings.Cut(d, ":")
		prop, value = strings.ToLower(strings.TrimSpace(prop)), strings.Join(strings.Fields(value), " ")
		if !ok || !cssKeyword.MatchString(prop) || value == "" {
			return nil, cssError("declaration %q is not property: value", clip(d))
		}
		if len(value) > maxHostedCSSValue || !cssValueOK(value) {
			return nil, cssError("value %q of %s is not allowed", clip(value), prop)
		}
		out = append(out, [2]string{prop, value})
	}
	return out, nil
}

// cssValueOK accepts a value made of keywords, numbers, hex colours and
// colour functions, separated by spaces or commas.
func cssValueOK(v string) bool {
	for v != "" {
		v = strings.TrimLeft(v, " ,")
		if v == "" {
			break
		}
		var tok string
		if i := strings.IndexByte(v, '('); i >= 0 && i < strings.IndexAny(v+" ,", " ,") {
			j := strings.IndexByte(v, ')')
			if j < 0 {
				return false
			}
			tok, v = v[:j+1], v[j+1:]
			if !cssColorFun.MatchString(strings.ToLower(tok)) {
				return false
			}
			continue
		}
		n := strings.IndexAny(v, " ,")
		if n < 0 {
			n = len(v)
		}
		tok, v = v[:n], v[n:]
		if !cssKeyword.MatchString(tok) && !cssNumber.MatchString(tok) && !cssHex.MatchString(tok) {
			return false
		}
	}
	return true
}

// HostedCSS writes rules back out as the stylesheet the hosted pages get.
func HostedCSS(rules []HostedCSSRule) string {
	var b strings.Builder
	for _, r := range rules {
		b.WriteString("." + r.Class + " {")
		for _, d := range r.Decls {
			b.WriteString(" " + d[0] + ": " + d[1] + ";")
		}
		b.WriteString(" }\n")
	}
	return b.String()
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
