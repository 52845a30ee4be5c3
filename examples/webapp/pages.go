package main

import (
	"bytes"
	"html/template"
	"net/http"
)

// pages are the app's HTML pages; html/template escapes every value,
// including the error descriptions that arrive in the callback URL.
var pages = template.Must(template.New("").Parse(`
{{define "top"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cognitod web app</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5 }
code { background: #f2f2f2; padding: 0 .25em }
.yes { color: #16662a } .no { color: #a61b1b }
form { display: inline-block; margin-right: .5rem }
</style></head><body>
<h1>cognitod web app</h1>
{{end}}

{{define "home"}}{{template "top"}}
{{if .}}
<p>Signed in as <strong>{{.Username}}</strong>{{with .Email}} ({{.}}){{end}}.</p>
<p>The access token (valid until {{.Expires.Format "15:04:05 MST"}}) has these scopes:</p>
<ul>{{range .Scopes}}<li><code>{{.}}</code></li>{{end}}</ul>
{{if .HasPhotosRead}}<p class="yes">✓ <code>{{.PhotosScope}}</code> is granted: this token can read photos.</p>
{{else}}<p class="no">✗ <code>{{.PhotosScope}}</code> is not granted.</p>{{end}}
<form method="post" action="/refresh"><input type="hidden" name="csrf" value="{{.CSRF}}"><button>Refresh tokens</button></form>
<form method="post" action="/logout"><input type="hidden" name="csrf" value="{{.CSRF}}"><button>Sign out</button></form>
{{else}}
<p>You are signed out.</p>
<p><a href="/login">Sign in</a></p>
{{end}}
</body></html>
{{end}}

{{define "error"}}{{template "top"}}
<h2>{{.Title}}</h2>
{{with .Detail}}<p>{{.}}</p>{{end}}
<p><a href="/">Back to the start page</a></p>
</body></html>
{{end}}
`))

// render writes the named page. The page is executed into a buffer first,
// so that a template error does not leave half a page behind.
func render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// fail writes an error page.
func fail(w http.ResponseWriter, status int, title, detail string) {
	render(w, status, "error", map[string]string{"Title": title, "Detail": detail})
}
