package server

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/chromedp/chromedp"

	"github.com/cognitod/cognitod/internal/cognito"
)

// spaPage is a single-page app on its own origin: it loads
// amazon-cognito-identity-js's browser bundle from that origin, signs the
// user in against cognitod with the library's default flow (USER_SRP_AUTH,
// its own SRP code running in the browser), shows the ID token's payload
// and its cognito:groups, then tries a SigV4-signed admin call (signed by
// the test, so it would succeed if the browser let it through). A wrapper
// around fetch, installed before the library loads, lists the operations
// the page sent with the flow or challenge each names.
var spaPage = template.Must(template.New("spa").Parse(`<!doctype html>
<meta charset="utf-8"><title>spa</title>
<script>
const calls = [];
const realFetch = window.fetch;
window.fetch = (url, init = {}) => {
  const op = (new Headers(init.headers).get('x-amz-target') || '').replace('AWSCognitoIdentityProviderService.', '');
  let detail = '';
  try { const b = JSON.parse(init.body); detail = b.AuthFlow || b.ChallengeName || ''; } catch (e) {}
  calls.push(detail ? op + ' ' + detail : op);
  return realFetch(url, init);
};
</script>
<script src="/amazon-cognito-identity.min.js"></script>
<pre id="claims"></pre><pre id="groups"></pre><pre id="admin"></pre><pre id="error"></pre><pre id="calls"></pre>
<script>
const cfg = {{.}};
const show = (id, v) => { document.getElementById(id).textContent = v; };
function adminCall() {
  fetch(cfg.endpoint + '/', { method: 'POST', headers: cfg.adminHeaders, body: cfg.adminBody })
    .then(r => show('admin', 'allowed ' + r.status))
    .catch(e => show('admin', 'blocked ' + e.name))
    .finally(() => show('calls', JSON.stringify(calls)));
}
const pool = new AmazonCognitoIdentity.CognitoUserPool({ UserPoolId: cfg.poolId, ClientId: cfg.clientId, endpoint: cfg.endpoint + '/' });
const user = new AmazonCognitoIdentity.CognitoUser({ Username: cfg.username, Pool: pool });
user.authenticateUser(new AmazonCognitoIdentity.AuthenticationDetails({ Username: cfg.username, Password: cfg.password }), {
  onSuccess: (session) => {
    const payload = session.getIdToken().decodePayload();
    show('groups', JSON.stringify(payload['cognito:groups'] || null));
    show('claims', JSON.stringify(payload));
    adminCall();
  },
  onFailure: (err) => { show('error', (err.code || err.name) + ': ' + err.message); adminCall(); },
});
</script>`))

// TestCrossOriginSignInInBrowser: Chromium loads a page from another
// origin (a second server on another port), which signs a user in with
// amazon-cognito-identity-js through CORS, with SRP (the client allows no
// other sign-in flow), and shows the ID token's cognito:groups in
// precedence order; the same page's SigV4-signed admin call is blocked by
// the browser, though the very same request succeeds outside it.
func TestCrossOriginSignInInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	jsDir(t)
	ctx := browser(t)
	ts := newTestServer(t, cognito.Limits{})
	c := ts.client("us-east-1")
	bctx := context.Background()
	poolID := createPool(t, c, "spa")
	clientID := srpOnlyClient(t, c, poolID)
	if _, err := c.AdminCreateUser(bctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(poolID), Username: aws.String("sara"),
		MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminSetUserPassword(bctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolID), Username: aws.String("sara"),
		Password: aws.String("Spa-pass-1"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	// Created and joined against precedence order: the token must sort them
	// (lower precedence first).
	groupOf(t, c, poolID, "readers", "", aws.Int32(20))
	groupOf(t, c, poolID, "editors", "", aws.Int32(3))
	join(t, c, poolID, "sara", "readers", "editors")
	wantGroups := []string{"editors", "readers"}

	// The admin request, signed as the SDK signs; outside a browser it
	// succeeds, so only CORS can stop it in the page.
	adminBody := `{"MaxResults":10}`
	adminReq := signedRequest(t, ts, "ListUserPools", adminBody)
	if r := do(t, signedRequest(t, ts, "ListUserPools", adminBody)); r.Status != 200 {
		t.Fatalf("the signed admin call outside the browser: %d %v", r.Status, r.Body)
	}
	adminHeaders := map[string]string{}
	for _, k := range []string{"Content-Type", "X-Amz-Target", "X-Amz-Date", "Authorization"} {
		adminHeaders[k] = adminReq.Header.Get(k)
	}

	bundle := filepath.Join(jsDir(t), "node_modules", "amazon-cognito-identity-js", "dist", "amazon-cognito-identity.min.js")
	spa := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/amazon-cognito-identity.min.js":
			http.ServeFile(w, r, bundle)
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			spaPage.Execute(w, map[string]any{"endpoint": ts.URL, "poolId": poolID, "clientId": clientID,
				"username": "sara", "password": "Spa-pass-1", "adminHeaders": adminHeaders, "adminBody": adminBody})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(spa.Close)
	if spa.URL == ts.URL {
		t.Fatal("the page must come from another origin")
	}

	run(t, ctx, "cross-origin sign-in", chromedp.Navigate(spa.URL+"/"), chromedp.WaitVisible(css(`#calls:not(:empty)`)))
	if e := text(t, ctx, "#error"); e != "" {
		t.Fatalf("sign-in in the page failed: %s", e)
	}
	var calls []string
	if err := json.Unmarshal([]byte(text(t, ctx, "#calls")), &calls); err != nil {
		t.Fatalf("calls: %v", err)
	}
	wantCalls(t, "the page", calls, srpSignIn, []string{"ListUserPools"})
	var claims map[string]any
	if err := json.Unmarshal([]byte(text(t, ctx, "#claims")), &claims); err != nil {
		t.Fatalf("claims: %v", err)
	}
	if claims["cognito:username"] != "sara" || claims["token_use"] != "id" || claims["aud"] != clientID {
		t.Errorf("ID token payload in the page: %v", claims)
	}
	var groups []string
	if err := json.Unmarshal([]byte(text(t, ctx, "#groups")), &groups); err != nil {
		t.Fatalf("groups: %v", err)
	}
	if !slices.Equal(groups, wantGroups) {
		t.Errorf("cognito:groups in the page: %v, want %v", groups, wantGroups)
	}
	if got := text(t, ctx, "#admin"); !strings.HasPrefix(got, "blocked TypeError") {
		t.Errorf("signed admin call from the page: %q, want blocked by the browser", got)
	}
}
