package awsjson

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"
)

// referenceTree is what parseTree replaces: encoding/json's Decoder with
// UseNumber, one value and then nothing.
func referenceTree(data []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return v, true
}

var treeSamples = []string{
	`{}`, `{"a":1}`, ` {"a" : [1, 2.5, -0, 1e5, 1E-3, -12.0e+7]} `, `{"a":"b","a":"c"}`, `[]`, `[[]]`, `"s"`, `1`, `-`, `01`, `1.`, `.5`, `1e`, `+1`,
	`true`, `false`, `null`, `nul`, `tru`, `{"a":true,"b":false,"c":null}`, `{"a":}`, `{"a" 1}`, `{,}`, `{"a":1,}`, `[1,]`, `[,1]`,
	`{"a":1}{}`, `{"a":1} x`, `{"a":1}` + "\n\t\r ", `{"\u00e9\ud83d\ude00":"\ud800"}`, `"\udc00\ud800\udc00"`, `"\ud800\u0041"`,
	`"\ud800\ud800"`, `"\u12"`, `"\u12G4"`, `"\x"`, `"tab	in"`, "\"nl\nin\"", "\"\xff\xfe\"", "\"\xed\xa0\x80\"", "\"é\"", `"\/\b\f\n\r\t\"\\"`,
	"\xef\xbb\xbf{}", `{"a":[{"b":[{"c":{}}]}]}`, `"unterminated`, `"\`, `{"a`, `[1`, `{"a":1`, strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001), `{"UserPoolId":"us-east-1_abc","MaxResults":50}`, "\u00a0{}", `{"a":-0.0e-0}`,
}

// TestParseTreeIsEncodingJSON: on every sample, parseTree accepts what
// encoding/json accepts and builds the same tree.
func TestParseTreeIsEncodingJSON(t *testing.T) {
	for _, s := range treeSamples {
		checkTree(t, []byte(s))
	}
}

func checkTree(t *testing.T, data []byte) {
	t.Helper()
	want, wantOK := referenceTree(data)
	got, err := parseTree(data)
	if (err == nil) != wantOK || (wantOK && !reflect.DeepEqual(got, want)) {
		t.Fatalf("parseTree(%.80q) = %#v, %v; encoding/json: %#v, ok %v", data, got, err, want, wantOK)
	}
}

// FuzzParseTree compares parseTree with encoding/json on random bodies.
func FuzzParseTree(f *testing.F) {
	for _, s := range treeSamples {
		if len(s) < 1000 {
			f.Add([]byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkTree(t, data) })
}

// BenchmarkDecodeTree is one small request body's decoding: parseTree
// against the encoding/json decoding it replaced.
func BenchmarkDecodeTree(b *testing.B) {
	body := []byte(`{"UserPoolId":"us-east-1_AbCdEf123","Identifier":"com.example.photos"}`)
	b.Run("parseTree", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := parseTree(body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := referenceTree(body); !ok {
				b.Fatal("refused")
			}
		}
	})
}
