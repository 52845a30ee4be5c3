package awsjson

import (
	"errors"
	"sort"
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
)

// FuzzDecode feeds arbitrary bodies to every operation's decoder: the
// answer must be nil or a SerializationException or
// InvalidParameterException, never a panic; a body that passes must also
// decode into the operation's typed input.
func FuzzDecode(f *testing.F) {
	names := make([]string, 0, len(operations))
	for n := range operations {
		names = append(names, n)
	}
	sort.Strings(names)
	seeds := []string{
		`{}`, ``, `null`, `[]`, `"x"`, `{"UserPoolId":"us-east-1_abcdefghi"}`,
		`{"UserPoolId":"us-east-1_abcdefghi","Identifier":"com.example.photos","Name":"Photo Server","Scopes":[{"ScopeName":"read","ScopeDescription":"view your photos"}]}`,
		`{"UserPoolId":"us-east-1_abcdefghi","Identifier":"a b","Name":"","Scopes":[{"ScopeName":"r/w"}]}`,
		`{"PoolName":"p","Policies":{"PasswordPolicy":{"MinimumLength":5}},"UserPoolTags":{"a":"b"}}`,
		`{"MaxResults":1e400}`, `{"MaxResults":"10"}`, `{"MaxResults":-1}`, `{"MaxResults":9999999999999}`,
		`{"UserPoolId":"us-east-1_abcdefghi","ClientName":"c","AllowedOAuthFlows":["code","bogus"],"CallbackURLs":[1]}`,
		`{"UserPoolId":{"a":1}}`, `{"Schema":[{"Name":null},{}]}`, `{"LambdaConfig":"x"}`, "{\"PoolName\":\"\xff\xfe\"}",
		`{"UserPoolId":"us-east-1_a"} trailing`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, pick uint8, body []byte) {
		name := names[int(pick)%len(names)]
		err := checkInput(name, body)
		if err == nil {
			if _, decErr := operations[name].decode(body); decErr != nil {
				t.Fatalf("%s: body passed the model check but not the typed decode: %q", name, body)
			}
			return
		}
		var ce *cognito.Error
		if !errors.As(err, &ce) {
			t.Fatalf("%s: got %T %v, want *cognito.Error", name, err, err)
		}
		if ce.Type != "SerializationException" && ce.Type != "InvalidParameterException" {
			t.Fatalf("%s: got %s, want SerializationException or InvalidParameterException", name, ce.Type)
		}
	})
}
