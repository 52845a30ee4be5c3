package awsjson

import (
	"encoding/json"
	"flag"
	"os"
	"sort"
	"strings"
	"testing"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the generated parts of docs/compatibility.md")

const compatDoc = "../../docs/compatibility.md"

// TestUnimplementedOperationsListed keeps docs/compatibility.md's list of
// operations not implemented equal to the service model's operations less
// the dispatch table. Run with -update-docs after adding operations.
func TestUnimplementedOperationsListed(t *testing.T) {
	// Every operation name of the cognito-idp service model (2016-04-18).
	raw, err := os.ReadFile("testdata/cognito-idp-operations.txt")
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]bool{}
	for _, name := range strings.Fields(string(raw)) {
		all[name] = true
	}
	if len(all) != 122 {
		t.Fatalf("the model lists %d operations, want 122", len(all))
	}
	var missing []string
	for name := range all {
		if _, ok := operations[name]; !ok {
			missing = append(missing, name)
		}
	}
	for name := range operations {
		if !all[name] {
			t.Errorf("dispatch table has %s, which the model does not", name)
		}
	}
	sort.Strings(missing)
	want := "Implemented: " + itoa(len(operations)) + " of " + itoa(len(all)) + ". Not implemented (" + itoa(len(missing)) + "):\n\n"
	for _, m := range missing {
		want += "- " + m + "\n"
	}
	updateDoc(t, compatDoc, "<!-- unimplemented:start -->\n", "<!-- unimplemented:end -->", want)
	// The README says the same in one paragraph.
	updateDoc(t, "../../README.md", "<!-- readme-unimplemented:start -->\n", "<!-- readme-unimplemented:end -->",
		itoa(len(operations))+" of Cognito's "+itoa(len(all))+" operations are served; these "+itoa(len(missing))+" are not: "+strings.Join(missing, ", ")+".\n")
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// updateDoc compares the text between start and end in file with want,
// rewriting it under -update-docs.
func updateDoc(t *testing.T, file, start, end, want string) {
	t.Helper()
	doc, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	i, j := strings.Index(s, start), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no %q ... %q markers", file, start, end)
	}
	if s[i+len(start):j] == want {
		return
	}
	if *updateDocs {
		if err := os.WriteFile(file, []byte(s[:i+len(start)]+want+s[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is out of date: run go test ./internal/awsjson -run TestUnimplementedOperationsListed -update-docs", file)
}

// TestREADMEListsEveryOperation: the README's "What the API covers" table
// names exactly the operations the dispatch table serves.
func TestREADMEListsEveryOperation(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "## What the API covers")
	if i < 0 {
		t.Fatal(`README.md has no "## What the API covers"`)
	}
	s = s[i:]
	if j := strings.Index(s, "\nSign-in flows:"); j > 0 {
		s = s[:j]
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(s, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.HasPrefix(line, "| ") {
			continue
		}
		for _, name := range strings.Split(cells[2], ",") {
			if f := strings.Fields(name); len(f) > 0 && f[0] != "---" {
				listed[f[0]] = true
			}
		}
	}
	for name := range operations {
		if !listed[name] {
			t.Errorf("README's operations table lacks %s", name)
		}
	}
	for name := range listed {
		if _, ok := operations[name]; !ok {
			t.Errorf("README's operations table lists %s, which is not served", name)
		}
	}
}
