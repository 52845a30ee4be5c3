package cognitod_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackageDocs: every package says what it owns in exactly one doc
// comment, attached to its package clause.
func TestPackageDocs(t *testing.T) {
	docs := map[string][]string{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		if isBuildIgnored(f.Comments) {
			return nil // generators and other ignored files
		}
		dir := filepath.Dir(path)
		if _, ok := docs[dir]; !ok {
			docs[dir] = nil
		}
		if f.Doc != nil {
			docs[dir] = append(docs[dir], path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The walk must have found the project's packages (cmd, internal/*,
	// verify, examples), or the checks below prove nothing.
	for _, dir := range []string{"cmd/cognitod", "internal/cognito", "internal/oauth", "internal/token", "verify"} {
		if _, ok := docs[filepath.FromSlash(dir)]; !ok {
			t.Errorf("the walk did not find package %s", dir)
		}
	}
	for dir, files := range docs {
		switch len(files) {
		case 0:
			t.Errorf("package %s has no package doc", dir)
		case 1:
		default:
			t.Errorf("package %s has a package doc in several files: %v", dir, files)
		}
	}
}

func isBuildIgnored(comments []*ast.CommentGroup) bool {
	for _, c := range comments {
		if strings.HasPrefix(c.List[0].Text, "//go:build ignore") {
			return true
		}
	}
	return false
}
