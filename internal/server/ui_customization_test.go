package server

import (
	"bytes"
	"context"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// testPNG is a small real PNG logo.
func testPNG(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		for y := range 20 {
			img.Set(x, y, color.RGBA{R: 200, G: 30, B: 30, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func fetch(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestUICustomizationAPI: SetUICustomization and GetUICustomization with
// the SDK: the pool's default (ALL), a client's own over it, CSS and logo
// set together, Cognito's exceptions for CSS outside its customizable
// classes, an oversized or non-image logo, an unknown client or pool;
// deleting a client deletes its customization.
func TestUICustomizationAPI(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	s := newHostedSite(t, ts, nil, callback)
	ctx := context.Background()
	logo := testPNG(t)
	css := "/* brand */ .submitButton-customizable { background-color: #c81e1e; }"
	set, err := s.c.SetUICustomization(ctx, &cip.SetUICustomizationInput{UserPoolId: aws.String(s.poolID), ClientId: aws.String("ALL"), CSS: aws.String(css), ImageFile: logo})
	if err != nil {
		t.Fatal(err)
	}
	u := set.UICustomization
	if aws.ToString(u.ClientId) != "ALL" || aws.ToString(u.CSS) != css || aws.ToString(u.CSSVersion) == "" || u.CreationDate == nil || u.LastModifiedDate == nil {
		t.Errorf("SetUICustomization answered %+v", u)
	}
	if u.ImageUrl != nil {
		t.Errorf("ImageUrl %q without a domain", *u.ImageUrl)
	}
	// A client without its own gets the default.
	got, err := s.c.GetUICustomization(ctx, &cip.GetUICustomizationInput{UserPoolId: aws.String(s.poolID), ClientId: aws.String(s.clientID)})
	if err != nil || aws.ToString(got.UICustomization.ClientId) != "ALL" || aws.ToString(got.UICustomization.CSS) != css {
		t.Fatalf("client without its own: %+v %v", got, err)
	}
	// A client's own replaces it, logo and all.
	own := ".label-customizable { font-weight: 700; }"
	if _, err := s.c.SetUICustomization(ctx, &cip.SetUICustomizationInput{UserPoolId: aws.String(s.poolID), ClientId: aws.String(s.clientID), CSS: aws.String(own)}); err != nil {
		t.Fatal(err)
	}
	got, err = s.c.GetUICustomization(ctx, &cip.GetUICustomizationInput{UserPoolId: aws.String(s.poolID), ClientId: aws.String(s.clientID)})
	if err != nil || aws.ToString(got.UICustomization.ClientId) != s.clientID || aws.ToString(got.UICustomization.CSS) != own {
		t.Fatalf("client's own: %+v %v", got, err)
	}
	// With a domain, ImageUrl is the logo on the domain host.
	if _, err := s.c.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(s.poolID), Domain: aws.String("brand-test")}); err != nil {
		t.Fatal(err)
	}
	got, err = s.c.GetUICustomization(ctx, &cip.GetUICustomizationInput{UserPoolId: aws.String(s.poolID)})
	if err != nil || !strings.HasPrefix(aws.ToString(got.UICustomization.ImageUrl), "https://brand-test.auth.us-east-1.localhost/_static/logo?client_id=ALL&v=") {
		t.Errorf("ImageUrl with a domain: %+v %v", got.UICustomization, err)
	}

	// 100 KB exactly is taken (base64 makes it 136 KB on the wire).
	limit := append(append([]byte{}, logo...), make([]byte, 100<<10-len(logo))...)
	if _, err := s.c.SetUICustomization(ctx, &cip.SetUICustomizationInput{UserPoolId: aws.String(s.poolID), ClientId: aws.String(s.secretID), ImageFile: limit}); err != nil {
		t.Errorf("a 100 KB logo: %v", err)
	}
	big := append(append([]byte{}, logo...), make([]byte, 100<<10)...)
	for name, in := range map[string]*cip.SetUICustomizationInput{
		"@import":          {CSS: aws.String(`@import url(https://evil.example/x.css);`)},
		"url()":            {CSS: aws.String(`.background-customizable { background-color: url(https://evil.example/t); }`)},
		"other selector":   {CSS: aws.String(`body { display: none; }`)},
		"other property":   {CSS: aws.String(`.label-customizable { position: fixed; }`)},
		"style breakout":   {CSS: aws.String(`.label-customizable { font-weight: 400; } </style><script>alert(1)</script>`)},
		"logo over 100 KB": {ImageFile: big},
		"GIF logo":         {ImageFile: []byte("GIF89a\x01\x00\x01\x00")},
		"HTML as logo":     {ImageFile: []byte("<html><script>alert(1)</script>")},
	} {
		in.UserPoolId = aws.String(s.poolID)
		_, err := s.c.SetUICustomization(ctx, in)
		if code, _ := apiError(t, err); code != "InvalidParameterException" {
			t.Errorf("%s: %v, want InvalidParameterException", name, err)
		}
	}
	_, err = s.c.SetUICustomization(ctx, &cip.SetUICustomizationInput{UserPoolId: aws.String(s.poolID), ClientId: aws.String("nosuchclient0000000000000")})
	wantAPIError(t, err, "ResourceNotFoundException", "User pool client nosuchclient0000000000000 does not exist.")
	_, err = s.c.GetUICustomization(ctx, &cip.GetUICustomizationInput{UserPoolId: aws.String("us-east-1_nopool123")})
	if code, _ := apiError(t, err); code != "ResourceNotFoundException" {
		t.Errorf("unknown pool: %v", err)
	}
	// The refused requests changed nothing.
	got, _ = s.c.GetUICustomization(ctx, &cip.GetUICustomizationInput{UserPoolId: aws.String(s.poolID), ClientId: aws.String("ALL")})
	if aws.ToString(got.UICustomization.CSS) != css {
		t.Errorf("after refusals: %+v", got.UICustomization)
	}

	if _, err := s.c.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(s.poolID), ClientId: aws.String(s.clientID)}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.svc.Store().GetUICustomization(ctx, s.poolID, s.clientID); err == nil {
		t.Error("a deleted client's customization is still stored")
	}
}

// TestUICustomizationOnPages: every hosted page of a client links the
// client's customization (its own over the pool's), served from our own
// routes: the CSS as cognitod writes it back out (comments and all else
// gone), the logo with its sniffed type and nosniff; the page's CSP lets
// only our own origin's styles and images in.
func TestUICustomizationOnPages(t *testing.T) {
	ts := newMessagingServer(t, nil, nil)
	s := newHostedSite(t, ts, nil, callback)
	ctx := context.Background()
	logo := testPNG(t)
	css := "/* </style><script>alert(1)</script> */\n.submitButton-customizable { background-color: rgb(200, 30, 30); }\n.label-customizable{font-weight:700}"
	if _, err := s.c.SetUICustomization(ctx, &cip.SetUICustomizationInput{UserPoolId: aws.String(s.poolID), CSS: aws.String(css), ImageFile: logo}); err != nil {
		t.Fatal(err)
	}
	own := ".background-customizable { background-color: #eeeeee; }"
	if _, err := s.c.SetUICustomization(ctx, &cip.SetUICustomizationInput{UserPoolId: aws.String(s.poolID), ClientId: aws.String(s.secretID), CSS: aws.String(own)}); err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`<link rel="stylesheet" href="([^"]*custom\.css[^"]*)">`)
	img := regexp.MustCompile(`<img class="logo-customizable" src="([^"]+)"`)
	for _, path := range []string{"/login", "/signup", "/confirm", "/forgotPassword", "/confirmForgotPassword"} {
		resp, page := newBrowserless(t).get(s.page(path, s.query(s.clientID, "b")))
		csp := resp.Header.Get("Content-Security-Policy")
		l, i := link.FindStringSubmatch(page), img.FindStringSubmatch(page)
		if resp.StatusCode != 200 || l == nil || i == nil || !strings.Contains(l[1], "client_id=ALL") || strings.Contains(page, "<script>") ||
			!strings.Contains(csp, "style-src 'self'") || !strings.Contains(csp, "img-src 'self'") {
			t.Fatalf("%s: %d %q %.600s", path, resp.StatusCode, csp, page)
		}
		if path != "/login" {
			continue
		}
		resp, body := fetch(t, ts.URL+html.UnescapeString(l[1]))
		want := ".submitButton-customizable { background-color: rgb(200, 30, 30); }\n.label-customizable { font-weight: 700; }\n"
		if resp.StatusCode != 200 || body != want || resp.Header.Get("Content-Type") != "text/css; charset=utf-8" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("custom CSS: %d %q %v", resp.StatusCode, body, resp.Header)
		}
		resp, body = fetch(t, ts.URL+html.UnescapeString(i[1]))
		if resp.StatusCode != 200 || body != string(logo) || resp.Header.Get("Content-Type") != "image/png" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("logo: %d %v", resp.StatusCode, resp.Header)
		}
	}
	// The secret client's own CSS, and no logo (set together).
	_, page := newBrowserless(t).get(s.page("/login", s.query(s.secretID, "b")))
	l := link.FindStringSubmatch(page)
	if l == nil || !strings.Contains(l[1], "client_id="+s.secretID) || img.MatchString(page) {
		t.Fatalf("secret client's page: %.600s", page)
	}
	if _, body := fetch(t, ts.URL+html.UnescapeString(l[1])); body != ".background-customizable { background-color: #eeeeee; }\n" {
		t.Errorf("client CSS %q", body)
	}
	for _, u := range []string{"/_static/custom.css", "/_static/logo?client_id=" + s.secretID, "/_static/logo?client_id=" + strings.Repeat("x", 200)} {
		if resp, _ := fetch(t, ts.URL+"/"+s.poolID+u); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", u, resp.StatusCode)
		}
	}
}
