package console

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestAPIAuthorizesEachOperation: every api method named after a
// cognito-idp operation is exactly
// `return authorized(ctx, a.svc, "<Name>", (*cognito.Service).<Name>, in)`,
// so the console cannot call an operation under another operation's
// authorization or none; and no console file other than api.go calls the
// *cognito.Service.
func TestAPIAuthorizesEachOperation(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "api.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil {
			continue
		}
		name := fn.Name.Name
		if _, isOp := cognito.LookupOperation(name); !isOp {
			continue
		}
		checked++
		ok = false
		if len(fn.Body.List) == 1 {
			if ret, isRet := fn.Body.List[0].(*ast.ReturnStmt); isRet && len(ret.Results) == 1 {
				if call, isCall := ret.Results[0].(*ast.CallExpr); isCall && len(call.Args) == 5 {
					id, _ := call.Fun.(*ast.Ident)
					lit, _ := call.Args[2].(*ast.BasicLit)
					sel, _ := call.Args[3].(*ast.SelectorExpr)
					if id != nil && id.Name == "authorized" && lit != nil && sel != nil {
						s, _ := strconv.Unquote(lit.Value)
						ok = s == name && sel.Sel.Name == name
					}
				}
			}
		}
		if !ok {
			t.Errorf("api.%s does not authorize as %s: it must be return authorized(ctx, a.svc, %q, (*cognito.Service).%s, in)", name, name, name, name)
		}
	}
	if checked < 20 {
		t.Errorf("checked %d operation methods, want the console's 20 and more", checked)
	}
	files, _ := filepath.Glob("*.go")
	for _, file := range files {
		if file == "api.go" || strings.HasSuffix(file, "_test.go") {
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, bypass := range []string{"(*cognito.Service).", ".svc.svc", "cfg.Service."} {
			if strings.Contains(string(b), bypass) {
				t.Errorf("%s calls the *cognito.Service directly (%s): go through api", file, bypass)
			}
		}
	}
}
