package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestConsoleGroups: a pool's groups (list, create, delete) and a user's
// groups (shown, added, removed), through the console's forms.
func TestConsoleGroups(t *testing.T) {
	ts := newTestServer(t, cognito.Limits{})
	ctx := context.Background()
	api := ts.client("us-east-1")
	poolID := createPool(t, api, "people")
	suppressedUser(t, api, poolID, "alice")
	c := newConsoleClient(t, ts)
	c.signIn(testSecret)
	groups := "/console/pools/" + poolID + "/groups"
	_, body := c.get(groups)
	if !strings.Contains(body, "No groups yet") {
		t.Error("empty state missing")
	}
	resp, _ := c.post(groups, url.Values{"name": {"admins"}, "description": {"<b>Admins</b>"}, "precedence": {"0"}, "role_arn": {"arn:aws:iam::123456789012:role/Admins"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create group: %d", resp.StatusCode)
	}
	_, body = c.get(groups)
	if !strings.Contains(body, "Group admins created.") || !strings.Contains(body, "&lt;b&gt;Admins&lt;/b&gt;") || !strings.Contains(body, "<td>0</td>") ||
		!strings.Contains(body, "arn:aws:iam::123456789012:role/Admins") {
		t.Errorf("groups page after create: %.2000s", body)
	}
	resp, body = c.post(groups, url.Values{"name": {"admins"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "GroupExistsException: A group with the name admins already exists.") ||
		!strings.Contains(body, `value="admins"`) {
		t.Errorf("duplicate group: %d, the API's message or the form missing", resp.StatusCode)
	}
	if resp, body := c.post(groups, url.Values{"name": {"x"}, "precedence": {"-3"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Precedence must be") {
		t.Errorf("negative precedence: %d", resp.StatusCode)
	}
	c.post(groups, url.Values{"name": {"staff"}})

	// A user's groups.
	user := "/console/pools/" + poolID + "/user?username=alice"
	_, body = c.get(user)
	if !strings.Contains(body, "Not in any group.") || !strings.Contains(body, `<option value="staff">`) {
		t.Errorf("user page without groups: %.2000s", body)
	}
	if resp, _ := c.post("/console/pools/"+poolID+"/user/groups?username=alice", url.Values{"group": {"admins"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add to group: %d", resp.StatusCode)
	}
	lg, err := api.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(poolID), Username: aws.String("alice")})
	if err != nil || !slices.Equal(groupNamesOf(lg.Groups), []string{"admins"}) {
		t.Fatalf("after adding in the console: %v, %v", groupNamesOf(lg.Groups), err)
	}
	_, body = c.get(user)
	if !strings.Contains(body, "Added to admins.") || !strings.Contains(body, "<code>admins</code>") || strings.Contains(body, `<option value="admins">`) {
		t.Errorf("user page after add: %.2000s", body)
	}
	if resp, body := c.post("/console/pools/"+poolID+"/user/groups?username=alice", url.Values{"group": {"nobody"}}); resp.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, "ResourceNotFoundException: Group not found.") {
		t.Errorf("adding to a missing group: %d", resp.StatusCode)
	}
	// Without the CSRF token the console refuses, and nothing changes.
	if resp, _ := c.do(http.MethodPost, "/console/pools/"+poolID+"/user/groups/remove?username=alice&group=admins", url.Values{"_csrf": {"wrong"}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("remove without CSRF: %d", resp.StatusCode)
	}
	if resp, _ := c.do(http.MethodPost, groups+"/delete?group=admins", url.Values{"_csrf": {c.csrf}}, map[string]string{"Origin": "https://evil.example"}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("delete from another origin: %d", resp.StatusCode)
	}
	if resp, _ := c.post("/console/pools/"+poolID+"/user/groups/remove?username=alice&group=admins", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove from group: %d", resp.StatusCode)
	}
	lg, _ = api.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: aws.String(poolID), Username: aws.String("alice")})
	if len(lg.Groups) != 0 {
		t.Errorf("after removing in the console: %v", groupNamesOf(lg.Groups))
	}
	if resp, _ := c.get("/console/pools/" + poolID + "/user?username=nobody"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("page of a missing user: %d", resp.StatusCode)
	}
	_, body = c.get("/console/pools/" + poolID + "/users")
	if !strings.Contains(body, `href="/console/pools/`+poolID+`/user?username=alice"`) {
		t.Error("users page does not link to the user page")
	}

	if resp, _ := c.post(groups+"/delete?group=admins", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete group: %d", resp.StatusCode)
	}
	_, err = api.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("admins")})
	wantAPIError(t, err, "ResourceNotFoundException", "Group not found.")
	// Signed out, the pages send the browser to sign in.
	anon := newConsoleClient(t, ts)
	if resp, _ := anon.get("/console/pools/" + poolID + "/groups"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/console/signin") {
		t.Errorf("groups page without a session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}
