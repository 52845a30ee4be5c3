package oauth

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestHandlersDoNotWriteErrors: handlers return errors and writeError
// renders them. Outside the renderers, no code of the package writes a
// status (WriteHeader, http.Error), shows the error page, sends an error
// back to a redirect URI, or reads the wall clock instead of Config.Now.
func TestHandlersDoNotWriteErrors(t *testing.T) {
	// The functions allowed each kind of call, and why.
	allowed := map[string][]string{
		// jsonError and writeNotFound are the JSON renderers; render
		// writes every HTML page, the sign-in form's re-display with its
		// message included.
		"WriteHeader": {"jsonError", "writeNotFound", "render"},
		"http.Error":  {},
		// The error page is shown by its renderer only.
		`render "error"`: {"errorPage"},
		// redirectTo: a completed sign-in, or redirectError.
		"redirectTo": {"complete", "redirectError"},
		// The default clock.
		"time.Now": {"New"},
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	seen := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				var what string
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if x, ok := n.X.(*ast.Ident); ok && x.Name == "time" && n.Sel.Name == "Now" {
						what = "time.Now"
					}
				case *ast.CallExpr:
					switch fun := n.Fun.(type) {
					case *ast.SelectorExpr:
						x, _ := fun.X.(*ast.Ident)
						switch {
						case fun.Sel.Name == "WriteHeader":
							what = "WriteHeader"
						case x != nil && x.Name == "http" && fun.Sel.Name == "Error":
							what = "http.Error"
						case fun.Sel.Name == "render" && len(n.Args) > 2:
							if lit, ok := n.Args[2].(*ast.BasicLit); ok && lit.Value == `"error"` {
								what = `render "error"`
							}
						}
					case *ast.Ident:
						if fun.Name == "redirectTo" {
							what = "redirectTo"
						}
					}
				}
				if what == "" {
					return true
				}
				seen[what+" in "+fn.Name.Name] = true
				ok := false
				for _, a := range allowed[what] {
					ok = ok || a == fn.Name.Name
				}
				if !ok {
					t.Errorf("%s: %s calls %s; return an error for writeError instead", fset.Position(n.Pos()), fn.Name.Name, what)
				}
				return true
			})
		}
	}
	// The test must look where the calls are: each allowed use exists.
	for what, fns := range allowed {
		for _, fn := range fns {
			if !seen[what+" in "+fn] {
				t.Errorf("no %s in %s: the test no longer sees the renderers", what, fn)
			}
		}
	}
}

// TestEveryRouteHasAKind: the browser endpoints, and only they, may
// answer errors with a redirect or a page; the token and revocation
// endpoints count failed client authentications.
func TestEveryRouteHasAKind(t *testing.T) {
	want := map[string]kind{
		"GET /.well-known/jwks.json": kindJSON, "GET /.well-known/openid-configuration": kindJSON, "GET /_static/login.css": kindJSON,
		"POST /oauth2/token": kindClient, "POST /oauth2/revoke": kindClient,
		"GET /oauth2/userInfo": kindBearer, "POST /oauth2/userInfo": kindBearer,
		"GET /oauth2/authorize": kindBrowser, "GET /login": kindBrowser, "POST /login": kindBrowser, "GET /logout": kindBrowser,
		"GET /_static/custom.css": kindJSON, "GET /_static/logo": kindJSON,
		"GET /signup": kindBrowser, "POST /signup": kindBrowser, "GET /confirm": kindBrowser, "POST /confirm": kindBrowser,
		"GET /forgotPassword": kindBrowser, "POST /forgotPassword": kindBrowser,
		"GET /confirmForgotPassword": kindBrowser, "POST /confirmForgotPassword": kindBrowser,
		"GET /mfa": kindBrowser, "POST /mfa": kindBrowser, "GET /mfa_setup": kindBrowser, "POST /mfa_setup": kindBrowser,
	}
	h := &Handler{}
	got := h.routes()
	if len(got) != len(want) {
		t.Errorf("%d routes, the test knows %d", len(got), len(want))
	}
	for _, rt := range got {
		if k, ok := want[rt.pattern]; !ok || k != rt.k {
			t.Errorf("%s answers errors as kind %d", rt.pattern, rt.k)
		}
	}
}
