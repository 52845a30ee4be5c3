package cognito

import (
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the generated parts of docs/compatibility.md")

const compatDoc = "../../docs/compatibility.md"

// TestCompatibilityListsMessages keeps docs/compatibility.md honest: its
// table of messages between the markers is exactly the messages.go texts
// marked "(unconfirmed" or "cognitod's own". Run with -update-docs after
// changing messages.go.
func TestCompatibilityListsMessages(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "messages.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ name, text, note string }
	var rows []row
	cmap := ast.NewCommentMap(fset, f, f.Comments)
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Values) != 1 {
			return true
		}
		lit, ok := vs.Values[0].(*ast.BasicLit)
		if !ok {
			return true
		}
		text, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatal(err)
		}
		var note string
		if vs.Comment != nil {
			note = strings.TrimSpace(vs.Comment.Text())
		}
		for _, g := range cmap[vs] {
			if g != vs.Comment && note == "" {
				note = strings.TrimSpace(g.Text())
			}
		}
		if strings.Contains(note, "(unconfirmed") || strings.Contains(note, "cognitod's own") {
			rows = append(rows, row{vs.Names[0].Name, text, note})
		}
		return true
	})
	if len(rows) < 10 {
		t.Fatalf("found only %d marked messages in messages.go: the walk is broken", len(rows))
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].text < rows[j].text })
	var b strings.Builder
	b.WriteString("| message | why it is marked |\n|---|---|\n")
	for _, r := range rows {
		b.WriteString("| `" + strings.ReplaceAll(r.text, "|", `\|`) + "` | " + strings.ReplaceAll(r.note, "|", `\|`) + " |\n")
	}
	want := b.String()

	doc, err := os.ReadFile(compatDoc)
	if err != nil {
		t.Fatal(err)
	}
	const start, end = "<!-- messages:start -->\n", "<!-- messages:end -->"
	s := string(doc)
	i, j := strings.Index(s, start), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no %q ... %q markers", compatDoc, start, end)
	}
	got := s[i+len(start) : j]
	if got == want {
		return
	}
	if *updateDocs {
		if err := os.WriteFile(compatDoc, []byte(s[:i+len(start)]+want+s[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("docs/compatibility.md's message table is out of date with messages.go: run go test ./internal/cognito -run TestCompatibilityListsMessages -update-docs")
}
