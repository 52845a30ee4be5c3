package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// TestRedirectURLSchemes: a callback or sign-out URL is https, loopback
// http or an app scheme; a scheme a browser would run or read locally is
// refused on create and on update, in any case.
func TestRedirectURLSchemes(t *testing.T) {
	p := newWebPool(t, nil, "")
	ctx := context.Background()
	bad := []string{
		"javascript:alert(1)", "JavaScript:alert(document.cookie)", "javascript://example.com/%0aalert(1)",
		"data:text/html,<script>alert(1)</script>", "DATA:text/html;base64,PHNjcmlwdD4=",
		"file:///etc/passwd", "File://host/share", "vbscript:msgbox(1)", "VBScript:x",
	}
	for _, u := range bad {
		scheme := strings.ToUpper(u[:strings.IndexByte(u, ':')])
		want := u + " cannot use the " + scheme + " protocol."
		_, err := p.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientName: aws.String("bad"), CallbackURLs: []string{"https://example.com/cb", u}})
		wantAPIError(t, err, "InvalidParameterException", want)
		_, err = p.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientName: aws.String("bad"), LogoutURLs: []string{u}})
		wantAPIError(t, err, "InvalidParameterException", want)
		_, err = p.c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientId: aws.String(p.clientID), LogoutURLs: []string{u}})
		wantAPIError(t, err, "InvalidParameterException", want)
		_, err = p.c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientId: aws.String(p.clientID), CallbackURLs: []string{u}})
		wantAPIError(t, err, "InvalidParameterException", want)
	}
	ok := []string{"https://example.com/bye", "http://localhost:3000/", "http://127.0.0.1/bye", "http://[::1]:8080/", "myapp://signed-out", "com.example.app:/logout"}
	if _, err := p.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(p.poolID), ClientName: aws.String("good"), CallbackURLs: ok, LogoutURLs: ok}); err != nil {
		t.Fatalf("allowed URLs refused: %v", err)
	}
}

// TestLogoutRedirectsOnlyToRegistered: /logout follows logout_uri only
// when it is one of the client's sign-out URLs, so a javascript: or data:
// URL (which cannot be registered) is never a redirect target.
func TestLogoutRedirectsOnlyToRegistered(t *testing.T) {
	p := newWebPool(t, nil, "")
	b := newBrowserless(t)
	for _, u := range []string{"javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "vbscript:msgbox(1)", "https://evil.example/", "http://localhost:8081/other"} {
		resp, _ := b.get(p.issuer() + "/logout?client_id=" + p.clientID + "&logout_uri=" + url.QueryEscape(u))
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
			t.Errorf("logout_uri %q: status %d Location %q, want 400 and no redirect", u, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, _ := b.get(p.issuer() + "/logout?client_id=" + p.clientID + "&logout_uri=" + url.QueryEscape("http://localhost:8081/"))
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "http://localhost:8081/" {
		t.Errorf("registered logout_uri: status %d Location %q, want 302 to it", resp.StatusCode, resp.Header.Get("Location"))
	}
}
