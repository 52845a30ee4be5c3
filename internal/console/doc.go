// Package console is cognitod's web console at /console: user pools,
// resource servers and their custom scopes, app clients and domains, in
// server-rendered pages.
//
// It owns the console's pages (html/template and embedded CSS and
// JavaScript, no build step, nothing from a CDN), its sign-in with an
// access key, its sessions and its CSRF protection. It changes nothing
// itself: every action goes through [cognito.Service], the same methods
// and rules as the cognito-idp API, so the console cannot write what the
// API would reject and shows the API's own error messages. The API lives
// in internal/awsjson, the OAuth endpoints in internal/oauth.
package console
