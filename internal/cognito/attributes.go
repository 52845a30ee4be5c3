package cognito

import (
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// attributeWrite says which operation writes a user's attributes: Cognito
// words its complaints differently at creation and on updates, and only
// creation may set immutable attributes.
type attributeWrite int

const (
	writeSignUp      attributeWrite = iota // SignUp
	writeAdminCreate                       // AdminCreateUser
	writeUpdate                            // AdminUpdateUserAttributes, UpdateUserAttributes
	writeChallenge                         // NEW_PASSWORD_REQUIRED's userAttributes.*
)

func (w attributeWrite) creates() bool { return w == writeSignUp || w == writeAdminCreate }

// The attributes Cognito manages itself: callers cannot set them.
var readOnlyAttributes = []string{"sub", "identities"}

var (
	emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	// phonePattern is E.164: a plus, then up to 15 digits, the first not 0.
	phonePattern  = regexp.MustCompile(`^\+[1-9][0-9]{4,14}$`)
	numberPattern = regexp.MustCompile(`^-?[0-9]{1,64}(\.[0-9]{1,64})?$`)
)

// problems gathers what is wrong with a write, one line per attribute, as
// Cognito reports them all at once.
type problems struct {
	prefix string
	lines  []string
}

func (p *problems) add(name, format string, args ...any) {
	p.lines = append(p.lines, p.prefix+name+": "+fmt.Sprintf(format, args...)+"\n")
}

func (p *problems) err(head string) error {
	if len(p.lines) == 0 {
		return nil
	}
	return ErrInvalidParameter.WithMessage(head + strings.Join(p.lines, ""))
}

// checkUserAttributes checks a write of attrs against the pool's schema: a
// known name, a value of the attribute's type within its constraints, no
// change to an immutable attribute after creation, the required
// attributes present at sign-up, and email and phone number formats. u is
// the user being changed (nil at creation). An empty value on an update
// deletes the attribute, which a required attribute refuses.
func checkUserAttributes(pool *UserPool, u *User, attrs []Attribute, w attributeWrite) error {
	schema := pool.Settings.SchemaAttributes
	p := &problems{}
	head := msgSchemaNonConforming
	if !w.creates() {
		p.prefix, head = "user.", ""
	}
	for _, a := range attrs {
		if w.creates() && slices.Contains(readOnlyAttributes, a.Name) {
			return ErrInvalidParameter.WithMessagef(msgAttributeReadOnly, a.Name)
		}
		sa := schemaAttribute(schema, a.Name)
		if sa == nil {
			p.add(a.Name, msgProblemNotInSchema)
			continue
		}
		if !w.creates() && !isMutable(sa) {
			if cur, ok := attr(u, a.Name); ok && cur == a.Value {
				continue // unchanged: nothing is updated
			}
			p.add(a.Name, msgProblemImmutable)
			continue
		}
		if a.Value == "" && !w.creates() {
			if isRequired(sa) {
				return ErrInvalidParameter.WithMessage(msgInvalidUserAttributes + a.Name + ": " + msgProblemRequiredDelete)
			}
			continue // a deletion
		}
		checkAttributeValue(p, sa, a.Value)
	}
	if w == writeSignUp {
		for i := range schema {
			sa := &schema[i]
			if isRequired(sa) && sa.Name != "sub" && attributeValue(attrs, sa.Name) == "" {
				p.add(sa.Name, msgProblemRequired)
			}
		}
	}
	if err := p.err(head); err != nil {
		return err
	}
	for _, a := range attrs {
		if a.Value == "" {
			continue
		}
		if a.Name == "email" && !emailPattern.MatchString(a.Value) {
			return ErrInvalidParameter.WithMessage(msgInvalidEmail)
		}
		if a.Name == "phone_number" && !phonePattern.MatchString(a.Value) {
			return ErrInvalidParameter.WithMessage(msgInvalidPhone)
		}
	}
	return nil
}

// checkAttributeValue checks one value against its schema attribute's type and
// constraints.
func checkAttributeValue(p *problems, sa *SchemaAttribute, v string) {
	switch sa.AttributeDataType {
	case TypeString:
		n := utf8.RuneCountInString(v)
		c := sa.StringAttributeConstraints
		if c != nil && c.MinLength != nil {
			if lo, _, _ := bound(c.MinLength, false); int64(n) < lo {
				p.add(sa.Name, msgProblemStringTooShort, *c.MinLength)
			}
		}
		hi := fmt.Sprint(maxStringAttributeLength)
		if c != nil && c.MaxLength != nil {
			hi = *c.MaxLength
		}
		if lim, _, _ := bound(&hi, false); int64(n) > lim {
			p.add(sa.Name, msgProblemStringTooLong, hi)
		}
	case TypeNumber:
		if !numberPattern.MatchString(v) {
			p.add(sa.Name, msgProblemNotNumber)
			return
		}
		x, _ := new(big.Rat).SetString(v)
		if c := sa.NumberAttributeConstraints; c != nil {
			if c.MinValue != nil {
				if lo, ok := new(big.Rat).SetString(*c.MinValue); ok && x.Cmp(lo) < 0 {
					p.add(sa.Name, msgProblemNumberTooSmall, *c.MinValue)
				}
			}
			if c.MaxValue != nil {
				if hi, ok := new(big.Rat).SetString(*c.MaxValue); ok && x.Cmp(hi) > 0 {
					p.add(sa.Name, msgProblemNumberTooLarge, *c.MaxValue)
				}
			}
		}
	case TypeBoolean:
		if v != "true" && v != "false" {
			p.add(sa.Name, msgProblemNotBoolean)
		}
	case TypeDateTime:
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			p.add(sa.Name, msgProblemNotDateTime)
		}
	}
}

// isMutable and isRequired read a schema attribute's flags; a pool stored
// without them has Cognito's defaults (mutable, optional).
func isMutable(sa *SchemaAttribute) bool  { return sa.Mutable == nil || *sa.Mutable }
func isRequired(sa *SchemaAttribute) bool { return sa.Required != nil && *sa.Required }

// updatingClient rewords the attribute-list refusals of clientSettings for
// UpdateUserPoolClient, as Cognito words them.
func updatingClient(err error) error {
	var ce *Error
	if errors.As(err, &ce) {
		switch ce.Message {
		case msgInvalidReadAttributes:
			return ce.WithMessage(msgInvalidReadAttributesUpdate)
		case msgInvalidWriteAttributes:
			return ce.WithMessage(msgInvalidWriteAttributesUpdate)
		}
	}
	return err
}

func attributeValue(attrs []Attribute, name string) string {
	for _, a := range attrs {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// missingRequired lists the required attributes u has no value for, in
// schema order: NEW_PASSWORD_REQUIRED asks for them.
func missingRequired(pool *UserPool, u *User) []string {
	var out []string
	for i := range pool.Settings.SchemaAttributes {
		sa := &pool.Settings.SchemaAttributes[i]
		if isRequired(sa) && sa.Name != "sub" {
			if v, _ := attr(u, sa.Name); v == "" {
				out = append(out, sa.Name)
			}
		}
	}
	return out
}

// checkClientWrite refuses attributes an end user may not set through
// client: the verified flags (only Cognito and administrators set those),
// developer-only attributes (administrators only), and anything outside
// the client's WriteAttributes, when it names some.
func checkClientWrite(c *AppClient, names []string) error {
	for _, n := range names {
		if isVerifiedFlag(n) || strings.HasPrefix(n, "dev:") ||
			(len(c.Settings.WriteAttributes) > 0 && !slices.Contains(c.Settings.WriteAttributes, n)) {
			return ErrNotAuthorized.WithMessage(msgUnauthorizedAttribute)
		}
	}
	return nil
}

func attributeNames(attrs []Attribute) []string {
	out := make([]string, len(attrs))
	for i, a := range attrs {
		out[i] = a.Name
	}
	return out
}

// clientReads reports whether client may read attribute name: every
// attribute when its ReadAttributes names none.
func clientReads(c *AppClient, name string) bool {
	return len(c.Settings.ReadAttributes) == 0 || slices.Contains(c.Settings.ReadAttributes, name)
}

// applyAttributes sets attrs on u; an empty value deletes the attribute.
// A changed email or phone number is no longer verified, unless attrs
// also say whether it is.
//
// The verified flags attrs name are looked up once: attrs come from the
// caller, as many as a request body holds, and a scan of them per
// attribute would make one request cost seconds of CPU.
func applyAttributes(u *User, attrs []Attribute) {
	setsVerified := map[string]bool{}
	for _, a := range attrs {
		if isVerifiedFlag(a.Name) {
			setsVerified[a.Name] = true
		}
	}
	for _, a := range attrs {
		if a.Value == "" {
			removeAttributes(u, a.Name)
			continue
		}
		old, had := attr(u, a.Name)
		u.Attributes = setAttr(u.Attributes, a.Name, a.Value)
		if a.Name == "email" || a.Name == "phone_number" {
			// A value set outright voids a verification pending for the
			// attribute: its code must not bring back an older value.
			voidVerification(u, a.Name)
		}
		if (a.Name == "email" || a.Name == "phone_number") && (!had || old != a.Value) && !setsVerified[a.Name+"_verified"] {
			u.Attributes = setAttr(u.Attributes, a.Name+"_verified", "false")
		}
	}
}

// removeAttributes deletes attributes from u; deleting an email or phone
// number deletes its verified flag and voids any pending verification.
func removeAttributes(u *User, names ...string) {
	u.Attributes = slices.DeleteFunc(u.Attributes, func(a Attribute) bool {
		for _, n := range names {
			if a.Name == n || ((n == "email" || n == "phone_number") && a.Name == n+"_verified") {
				return true
			}
		}
		return false
	})
	for _, n := range names {
		voidVerification(u, n)
	}
	if len(u.Attributes) == 0 {
		u.Attributes = nil
	}
}

func namesAttribute(attrs []Attribute, name string) bool {
	return slices.ContainsFunc(attrs, func(a Attribute) bool { return a.Name == name })
}
