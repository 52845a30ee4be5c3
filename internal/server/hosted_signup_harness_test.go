package server

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/oauth2"

	"github.com/cognitod/cognitod/internal/cognito"
)

// hostedSite is a pool for the hosted sign-up and reset pages: email
// verified automatically, a public code-flow client with the callback,
// and one with a secret.
type hostedSite struct {
	t                *testing.T
	ts               *testServer
	c                *cip.Client
	poolID, clientID string
	secretID, secret string
	callback         string
}

func newHostedSite(t *testing.T, ts *testServer, in *cip.CreateUserPoolInput, callbackURL string) *hostedSite {
	t.Helper()
	ctx := context.Background()
	c := ts.client("us-east-1")
	if in == nil {
		in = &cip.CreateUserPoolInput{}
	}
	in.PoolName = aws.String("hosted")
	if in.AutoVerifiedAttributes == nil {
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
	}
	pool, err := c.CreateUserPool(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	s := &hostedSite{t: t, ts: ts, c: c, poolID: *pool.UserPool.Id, callback: callbackURL}
	client := func(name string, secret bool) *types.UserPoolClientType {
		out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(s.poolID), ClientName: aws.String(name),
			GenerateSecret: secret, AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthFlowsUserPoolClient: true,
			AllowedOAuthScopes: []string{"openid", "email"}, CallbackURLs: []string{callbackURL},
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
		if err != nil {
			t.Fatal(err)
		}
		return out.UserPoolClient
	}
	pub, sec := client("web", false), client("backend", true)
	s.clientID, s.secretID, s.secret = *pub.ClientId, *sec.ClientId, *sec.ClientSecret
	return s
}

// query is the authorize parameters the pages carry, for clientID.
func (s *hostedSite) query(clientID, state string) url.Values {
	return url.Values{"client_id": {clientID}, "response_type": {"code"}, "scope": {"openid email"}, "redirect_uri": {s.callback}, "state": {state}}
}

// page is a hosted page's URL on the issuer path.
func (s *hostedSite) page(path string, q url.Values) string {
	return s.ts.URL + "/" + s.poolID + path + "?" + q.Encode()
}

// oauth is the x/oauth2 config of a client, for exchanging codes.
func (s *hostedSite) oauth(clientID, secret string) *oauth2.Config {
	style := oauth2.AuthStyleInParams
	if secret != "" {
		style = oauth2.AuthStyleInHeader
	}
	issuer := s.ts.URL + "/" + s.poolID
	return &oauth2.Config{ClientID: clientID, ClientSecret: secret, RedirectURL: s.callback, Scopes: []string{"openid", "email"},
		Endpoint: oauth2.Endpoint{AuthURL: issuer + "/oauth2/authorize", TokenURL: issuer + "/oauth2/token", AuthStyle: style}}
}

// confirmedUser creates a confirmed user with a verified email.
func (s *hostedSite) confirmedUser(name, password string) {
	s.t.Helper()
	ctx := context.Background()
	if _, err := s.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(s.poolID), Username: aws.String(name),
		MessageAction: types.MessageActionTypeSuppress, UserAttributes: []types.AttributeType{
			{Name: aws.String("email"), Value: aws.String(name + "@example.com")}, {Name: aws.String("email_verified"), Value: aws.String("true")}}}); err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(s.poolID), Username: aws.String(name),
		Password: aws.String(password), Permanent: true}); err != nil {
		s.t.Fatal(err)
	}
}

func (s *hostedSite) status(name string) types.UserStatusType {
	s.t.Helper()
	u, err := s.c.AdminGetUser(context.Background(), &cip.AdminGetUserInput{UserPoolId: aws.String(s.poolID), Username: aws.String(name)})
	if err != nil {
		s.t.Fatal(err)
	}
	return u.UserStatus
}

// hostedForm is a fetched hosted form: where it posts, and its hidden
// fields.
type hostedForm struct {
	action string
	hidden url.Values
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

func readForm(t *testing.T, base, page string) hostedForm {
	t.Helper()
	m := formAction.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form on the page: %.400s", page)
	}
	f := hostedForm{action: base + html.UnescapeString(m[1]), hidden: url.Values{}}
	for _, h := range hiddenInput.FindAllStringSubmatch(page, -1) {
		f.hidden.Set(h[1], html.UnescapeString(h[2]))
	}
	return f
}

// submit posts the form with fields added to its hidden ones.
func (b *browserless) submit(f hostedForm, fields url.Values) (*http.Response, string) {
	b.t.Helper()
	v := url.Values{}
	for k, vs := range f.hidden {
		v[k] = vs
	}
	for k, vs := range fields {
		v[k] = vs
	}
	return b.post(f.action, v)
}

// open fetches a hosted page that must answer 200 and returns its form.
func (b *browserless) open(s *hostedSite, u string) (hostedForm, string) {
	b.t.Helper()
	resp, page := b.get(u)
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s: %d %.300s", u, resp.StatusCode, page)
	}
	return readForm(b.t, s.ts.URL, page), page
}

var pageError = regexp.MustCompile(`<p class="error[^"]*" role="alert"[^>]*>([^<]*)</p>`)

// errorText is a page's error message, "" for none.
func errorText(page string) string {
	if m := pageError.FindStringSubmatch(page); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// wantRedirectWithCode checks a 302 to the callback with a code and the
// state, and returns the code.
func wantRedirectWithCode(t *testing.T, resp *http.Response, page, callbackURL, state string) string {
	t.Helper()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("want a redirect to the callback, got %d %q %.300s", resp.StatusCode, errorText(page), page)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), callbackURL+"?") || loc.Query().Get("code") == "" || loc.Query().Get("state") != state {
		t.Fatalf("redirect %s, want %s?code=...&state=%s", resp.Header.Get("Location"), callbackURL, state)
	}
	return loc.Query().Get("code")
}

// lastDelivered is lastCode for the sign-up and reset codes.
func lastDelivered(t *testing.T, ts *testServer, kind cognito.DeliveryKind, username string) string {
	t.Helper()
	code, _ := lastCode(t, ts, kind, username)
	return code
}

// BenchmarkHostedSignUpPage: GET /signup of a client whose pool has a
// customization (the authorize check, a CSRF token, the branding read,
// the template), over HTTP.
func BenchmarkHostedSignUpPage(b *testing.B) {
	ts := newMessagingServer(b, nil, nil)
	ctx := context.Background()
	c := ts.client("us-east-1")
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("bench"), AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	if err != nil {
		b.Fatal(err)
	}
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("web"),
		AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthScopes: []string{"openid"}, CallbackURLs: []string{callback}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.SetUICustomization(ctx, &cip.SetUICustomizationInput{UserPoolId: pool.UserPool.Id, CSS: aws.String(".label-customizable { font-weight: 700; }"), ImageFile: testPNG(b)}); err != nil {
		b.Fatal(err)
	}
	u := ts.URL + "/" + *pool.UserPool.Id + "/signup?" + url.Values{"client_id": {*cl.UserPoolClient.ClientId}, "response_type": {"code"}, "redirect_uri": {callback}}.Encode()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := http.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatal(resp.StatusCode)
		}
	}
}
