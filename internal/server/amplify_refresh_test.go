package server

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestAmplifyForceRefresh: Amplify v6, unmodified, in Node, signs in with
// its default flow (USER_SRP_AUTH: the client allows no password flow)
// and fetchAuthSession({forceRefresh: true}) refreshes through
// GetTokensFromRefreshToken, with and without rotation.
func TestAmplifyForceRefresh(t *testing.T) {
	jsDir(t)
	for _, tt := range []struct {
		name     string
		rotation *types.RefreshTokenRotationType
	}{{"rotation off", nil}, {"rotation on", rotating(10)}} {
		t.Run(tt.name, func(t *testing.T) {
			e := newRotationEnv(t)
			flows := []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth}
			if tt.rotation == nil {
				flows = append(flows, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth)
			}
			id, _ := e.newClient(t, tt.rotation, false, flows...)
			var out struct {
				SignedIn        bool
				Step            string
				Calls           []string
				NewRefreshToken *bool
				AccessBefore    string
				AccessAfter     string
				IDAfter         map[string]any
			}
			runNode(t, "amplify_refresh.mjs", map[string]string{"COGNITO_ENDPOINT": e.ts.URL, "POOL_ID": e.poolID, "CLIENT_ID": id,
				"USERNAME": "rita", "PASSWORD": "Rotate-me-1"}, &out)
			if !out.SignedIn {
				t.Fatalf("Amplify signIn: next step %q, calls %v", out.Step, out.Calls)
			}
			want := []string{"InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER", "GetTokensFromRefreshToken"}
			if !slices.Equal(out.Calls, want) || out.NewRefreshToken == nil {
				t.Fatalf("Amplify calls %v: want %v, GetTokensFromRefreshToken succeeding", out.Calls, want)
			}
			if *out.NewRefreshToken != (tt.rotation != nil) {
				t.Errorf("GetTokensFromRefreshToken returned a new refresh token: %v, want %v", *out.NewRefreshToken, tt.rotation != nil)
			}
			if out.AccessAfter == "" || out.AccessAfter == out.AccessBefore || out.IDAfter["cognito:username"] != "rita" {
				t.Fatalf("after forceRefresh: access token changed %v, ID token %v", out.AccessAfter != out.AccessBefore, out.IDAfter)
			}
			// The new access token is good at cognitod.
			if _, err := e.c.GetUser(context.Background(), &cip.GetUserInput{AccessToken: aws.String(out.AccessAfter)}); err != nil {
				t.Fatalf("GetUser with Amplify's refreshed token: %v", err)
			}
		})
	}
}
