package cognito

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// apimodel.json holds the input shapes of the operations cognitod serves,
// trimmed by gen_model.go from AWS's cognito-idp service model: every
// length, range, pattern, enum and required member Cognito checks lives
// there as data, not as code.
//
//go:generate go run gen_model.go -in ../../../shared/reference/cognito-idp-2016-04-18.json
//go:embed apimodel.json
var apiModelJSON []byte

type shapeRef struct {
	Shape string `json:"shape"`
}

type shape struct {
	Type      string              `json:"type"`
	Required  []string            `json:"required"`
	Members   map[string]shapeRef `json:"members"`
	Member    *shapeRef           `json:"member"`
	Key       *shapeRef           `json:"key"`
	Value     *shapeRef           `json:"value"`
	Min       *float64            `json:"min"`
	Max       *float64            `json:"max"`
	Pattern   string              `json:"pattern"`
	Enum      []string            `json:"enum"`
	Sensitive bool                `json:"sensitive"`
	Order     []string            `json:"order"`

	match    func(string) bool // the pattern, applied to the whole value (pattern.go)
	required map[string]bool
	enumText string
}

// OperationInfo describes one cognito-idp operation from the model.
type OperationInfo struct {
	Name string
	// Unsigned operations are called without SigV4 (the model's
	// authtype "none"), such as SignUp and InitiateAuth.
	Unsigned bool
	input    *shape
}

type apiModel struct {
	ops    map[string]*OperationInfo
	shapes map[string]*shape
}

var model = loadModel(apiModelJSON)

func loadModel(raw []byte) *apiModel {
	var doc struct {
		Operations map[string]struct {
			Input    string `json:"input"`
			Unsigned bool   `json:"unsigned"`
		} `json:"operations"`
		Shapes map[string]*shape `json:"shapes"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		panic("cognito: bad apimodel.json: " + err.Error())
	}
	m := &apiModel{ops: map[string]*OperationInfo{}, shapes: doc.Shapes}
	for _, s := range doc.Shapes {
		if s.Pattern != "" {
			// AWS applies a pattern to the whole value.
			s.match = patternMatcher(s.Pattern) // pattern.go
		}
		s.required = map[string]bool{}
		for _, r := range s.Required {
			s.required[r] = true
		}
		if len(s.Enum) > 0 {
			s.enumText = "[" + strings.Join(javaHashSetOrder(s.Enum), ", ") + "]"
		}
	}
	for name, op := range doc.Operations {
		in, ok := doc.Shapes[op.Input]
		if !ok {
			panic("cognito: apimodel.json: no shape " + op.Input)
		}
		m.ops[name] = &OperationInfo{Name: name, Unsigned: op.Unsigned, input: in}
	}
	return m
}

// LookupOperation returns the operation called name, if cognitod knows it.
func LookupOperation(name string) (*OperationInfo, bool) {
	op, ok := model.ops[name]
	return op, ok
}

// Validate checks input, the operation's request value (a struct with the
// AWS member names as JSON names, or already-decoded JSON), against every
// constraint the service model declares, and returns the
// InvalidParameterException AWS sends, listing each failed constraint as
// "Value '...' at 'path' failed to satisfy constraint: ...".
func Validate(operation string, input any) error {
	op, ok := model.ops[operation]
	if !ok {
		return fmt.Errorf("cognito: no operation %q in the model", operation)
	}
	var tree any
	switch v := input.(type) {
	case map[string]any:
		tree = v
	default:
		b, err := json.Marshal(input)
		if err != nil {
			return asError(err)
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.UseNumber()
		if err := dec.Decode(&tree); err != nil {
			return asError(err)
		}
	}
	if err := checkTypes(op.input, tree, ""); err != nil {
		return err
	}
	var problems []string
	checkValue(op.input, tree, "", &problems)
	if len(problems) == 0 {
		return nil
	}
	return validationError(problems)
}

func validationError(problems []string) *Error {
	noun := "error"
	if len(problems) > 1 {
		noun = "errors"
	}
	return ErrInvalidParameter.WithMessagef("%d validation %s detected: %s", len(problems), noun, strings.Join(problems, "; "))
}

// checkValue appends to problems every constraint v breaks; path is the
// member path as AWS prints it (first letter of each member lowered).
func checkValue(s *shape, v any, path string, problems *[]string) {
	switch s.Type {
	case "structure":
		obj, _ := v.(map[string]any)
		for _, name := range s.Order {
			mv, present := obj[name]
			ms := model.shapes[s.Members[name].Shape]
			if !present || mv == nil {
				if s.required[name] {
					*problems = append(*problems, failure(ms, nil, true, memberPath(path, name), "Member must not be null"))
				}
				continue
			}
			switch ms.Type {
			case "structure", "list", "map":
				checkValue(ms, mv, memberPath(path, name), problems)
			default:
				// The path is built only for a member that fails: most
				// requests break nothing.
				if fs := scalarFailures(ms, mv); len(fs) > 0 {
					mpath := memberPath(path, name)
					for _, c := range fs {
						*problems = append(*problems, failure(ms, mv, false, mpath, c))
					}
				}
			}
		}
	case "list":
		items, _ := v.([]any)
		for _, c := range lengthFailures(s, len(items)) {
			*problems = append(*problems, failure(s, v, false, path, c))
		}
		es := model.shapes[s.Member.Shape]
		if es.Type == "structure" || es.Type == "list" || es.Type == "map" {
			for i, it := range items {
				checkValue(es, it, fmt.Sprintf("%s.%d.member", path, i+1), problems)
			}
			return
		}
		// Lists of scalars are reported once, at the list, with every
		// element constraint that some element breaks.
		var broken []string
		for _, it := range items {
			broken = appendNew(broken, scalarFailures(es, it))
		}
		if len(broken) > 0 {
			*problems = append(*problems, failure(es, v, false, path, "Member must satisfy constraint: ["+strings.Join(broken, ", ")+"]"))
		}
	case "map":
		obj, _ := v.(map[string]any)
		for _, c := range lengthFailures(s, len(obj)) {
			*problems = append(*problems, failure(s, v, false, path, c))
		}
		ks, vs := model.shapes[s.Key.Shape], model.shapes[s.Value.Shape]
		var keyBroken, valBroken []string
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			keyBroken = appendNew(keyBroken, scalarFailures(ks, k))
			valBroken = appendNew(valBroken, scalarFailures(vs, obj[k]))
		}
		if len(keyBroken) > 0 {
			*problems = append(*problems, failure(s, v, false, path, "Map keys must satisfy constraint: ["+strings.Join(keyBroken, ", ")+"]"))
		}
		if len(valBroken) > 0 {
			*problems = append(*problems, failure(s, v, false, path, "Map value must satisfy constraint: ["+strings.Join(valBroken, ", ")+"]"))
		}
	default:
		for _, c := range scalarFailures(s, v) {
			*problems = append(*problems, failure(s, v, false, path, c))
		}
	}
}

func appendNew(dst, src []string) []string {
outer:
	for _, s := range src {
		for _, d := range dst {
			if d == s {
				continue outer
			}
		}
		dst = append(dst, s)
	}
	return dst
}

// scalarFailures lists the constraints a string, number or boolean breaks,
// in the order AWS reports them: length or range, then pattern or enum.
func scalarFailures(s *shape, v any) []string {
	var out []string
	switch s.Type {
	case "string":
		str, _ := v.(string)
		out = append(out, lengthFailures(s, utf16Len(str))...)
		if s.match != nil && !s.match(str) {
			out = append(out, "Member must satisfy regular expression pattern: "+s.Pattern)
		}
		if len(s.Enum) > 0 {
			found := false
			for _, e := range s.Enum {
				if e == str {
					found = true
					break
				}
			}
			if !found {
				out = append(out, "Member must satisfy enum value set: "+s.enumText)
			}
		}
	case "integer", "long":
		var f float64
		switch n := v.(type) {
		case json.Number:
			f, _ = n.Float64()
		case float64:
			f = n
		}
		if s.Min != nil && f < *s.Min {
			out = append(out, fmt.Sprintf("Member must have value greater than or equal to %s", num(*s.Min)))
		}
		if s.Max != nil && f > *s.Max {
			out = append(out, fmt.Sprintf("Member must have value less than or equal to %s", num(*s.Max)))
		}
	}
	return out
}

func lengthFailures(s *shape, n int) []string {
	var out []string
	if s.Min != nil && float64(n) < *s.Min {
		out = append(out, fmt.Sprintf("Member must have length greater than or equal to %s", num(*s.Min)))
	}
	if s.Max != nil && float64(n) > *s.Max {
		out = append(out, fmt.Sprintf("Member must have length less than or equal to %s", num(*s.Max)))
	}
	return out
}

func num(f float64) string { return fmt.Sprintf("%d", int64(f)) }

// failure formats one entry as AWS does. Sensitive members (secrets,
// passwords, client IDs) never have their value echoed.
func failure(s *shape, v any, isNull bool, path, constraint string) string {
	if s.Sensitive {
		return fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", path, constraint)
	}
	if isNull {
		return fmt.Sprintf("Value null at '%s' failed to satisfy constraint: %s", path, constraint)
	}
	return fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", javaString(v), path, constraint)
}

// javaString prints a value the way AWS's Java stack does in validation
// messages: lists as [a, b], maps as {k=v}.
func javaString(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		if t {
			return "true"
		}
		return "false"
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = javaString(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + javaString(t[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	default:
		return fmt.Sprint(t)
	}
}

func memberPath(parent, member string) string {
	name := strings.ToLower(member[:1]) + member[1:]
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// utf16Len counts a string's length as Java does, in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// javaHashSetOrder returns the strings in the order a java.util.HashSet
// holding them iterates, the order AWS prints enum value sets in
// ("[implicit, client_credentials, code]").
func javaHashSetOrder(items []string) []string {
	capacity := 16
	for float64(len(items)) > float64(capacity)*0.75 {
		capacity *= 2
	}
	type entry struct {
		bucket uint32
		idx    int
		s      string
	}
	entries := make([]entry, len(items))
	for i, s := range items {
		var h uint32
		for _, u := range utf16.Encode([]rune(s)) {
			h = 31*h + uint32(u)
		}
		entries[i] = entry{bucket: (h ^ (h >> 16)) & uint32(capacity-1), idx: i, s: s}
	}
	sort.SliceStable(entries, func(a, b int) bool { return entries[a].bucket < entries[b].bucket })
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.s
	}
	return out
}

// checkTypes finds the first member whose JSON type is not the one the
// model declares: AWS rejects such a request with SerializationException
// before any constraint is checked. Scalar members are checked in their
// container's loop, so that a member path is built only for a member
// that fails or holds more members: most requests break nothing.
func checkTypes(s *shape, v any, path string) error {
	if v == nil {
		return nil
	}
	ok := true
	switch s.Type {
	case "structure":
		obj, isObj := v.(map[string]any)
		if !isObj {
			ok = false
			break
		}
		for name, mv := range obj {
			ref, known := s.Members[name]
			if !known {
				continue // AWS ignores members it does not know
			}
			ms := model.shapes[ref.Shape]
			if !isContainer(ms) && scalarTypeOK(ms, mv) {
				continue
			}
			if err := checkTypes(ms, mv, memberPath(path, name)); err != nil {
				return err
			}
		}
	case "list":
		items, isList := v.([]any)
		if !isList {
			ok = false
			break
		}
		es := model.shapes[s.Member.Shape]
		for i, it := range items {
			if !isContainer(es) && scalarTypeOK(es, it) {
				continue
			}
			if err := checkTypes(es, it, fmt.Sprintf("%s.%d.member", path, i+1)); err != nil {
				return err
			}
		}
	case "map":
		obj, isObj := v.(map[string]any)
		if !isObj {
			ok = false
			break
		}
		vs := model.shapes[s.Value.Shape]
		for k, mv := range obj {
			if !isContainer(vs) && scalarTypeOK(vs, mv) {
				continue
			}
			if err := checkTypes(vs, mv, path+"."+k); err != nil {
				return err
			}
		}
	default:
		ok = scalarTypeOK(s, v)
	}
	if !ok {
		return ErrSerialization.WithMessagef("Unexpected value type for '%s': expected %s", path, s.Type)
	}
	return nil
}

func isContainer(s *shape) bool {
	return s.Type == "structure" || s.Type == "list" || s.Type == "map"
}

// scalarTypeOK reports whether v, decoded from JSON, is of scalar shape
// s's type (null always is).
func scalarTypeOK(s *shape, v any) bool {
	if v == nil {
		return true
	}
	switch s.Type {
	case "string", "blob":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "integer", "long":
		n, isNum := v.(json.Number)
		if !isNum {
			return false
		}
		bits := 32
		if s.Type == "long" {
			bits = 64
		}
		_, err := strconv.ParseInt(n.String(), 10, bits)
		return err == nil
	case "timestamp", "double", "float":
		_, ok := v.(json.Number)
		return ok
	}
	return true
}

// validatedKey marks a context whose operation input was validated from
// the JSON the client sent (WithValidatedInput).
type validatedKey struct{}

// WithValidatedInput returns ctx saying that operation's input has been
// checked by Validate against the JSON body it was decoded from, as the
// API handler does before it decodes, so that the Service does not check
// it a second time from the decoded struct (which costs a marshal and a
// decode). Callers without a JSON body (the console) do not set it, and
// the Service validates their input itself.
func WithValidatedInput(ctx context.Context, operation string) context.Context {
	return context.WithValue(ctx, validatedKey{}, operation)
}

// validate is Validate, unless ctx says the request's JSON was already
// validated for this very operation.
func (s *Service) validate(ctx context.Context, operation string, input any) error {
	if op, _ := ctx.Value(validatedKey{}).(string); op == operation {
		return nil
	}
	return Validate(operation, input)
}
