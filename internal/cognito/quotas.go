package cognito

import (
	"context"
	"errors"
	"maps"
	"strings"
)

// Cognito groups its user-pool operations into request-rate quota
// categories, each a number of requests per second for one account in one
// region across all its pools (developer guide, "Quotas in Amazon
// Cognito": "The category quota is enforced for each AWS account across
// all user pools in an account and region"). These are the categories
// and their default rates as that page lists them.
const (
	QuotaUserAuthentication     = "UserAuthentication"
	QuotaUserCreation           = "UserCreation"
	QuotaUserFederation         = "UserFederation"
	QuotaUserAccountRecovery    = "UserAccountRecovery"
	QuotaUserRead               = "UserRead"
	QuotaUserUpdate             = "UserUpdate"
	QuotaUserResourceRead       = "UserResourceRead"
	QuotaUserResourceUpdate     = "UserResourceUpdate"
	QuotaUserList               = "UserList"
	QuotaUserPoolRead           = "UserPoolRead"
	QuotaUserPoolUpdate         = "UserPoolUpdate"
	QuotaUserPoolResourceRead   = "UserPoolResourceRead"
	QuotaUserPoolResourceUpdate = "UserPoolResourceUpdate"
	QuotaUserPoolClientRead     = "UserPoolClientRead"
	QuotaUserPoolClientUpdate   = "UserPoolClientUpdate"
	QuotaUserToken              = "UserToken"
	// QuotaClientAuthentication is the token endpoint's
	// client_credentials grant.
	QuotaClientAuthentication = "ClientAuthentication"
)

// DefaultQuotas are Cognito's default rates in requests per second.
var DefaultQuotas = map[string]float64{
	QuotaUserAuthentication:     120,
	QuotaUserCreation:           50,
	QuotaUserFederation:         25,
	QuotaUserAccountRecovery:    30,
	QuotaUserRead:               120,
	QuotaUserUpdate:             25,
	QuotaUserResourceRead:       50,
	QuotaUserResourceUpdate:     25,
	QuotaUserList:               30,
	QuotaUserPoolRead:           15,
	QuotaUserPoolUpdate:         15,
	QuotaUserPoolResourceRead:   20,
	QuotaUserPoolResourceUpdate: 15,
	QuotaUserPoolClientRead:     15,
	QuotaUserPoolClientUpdate:   15,
	QuotaUserToken:              120,
	QuotaClientAuthentication:   150,
}

// Buckets that are not categories of their own but follow one's rate.
const (
	// quotaChallenges: "The matching RespondToAuthChallenge and
	// AdminRespondToAuthChallenge operations are subject to a separate
	// quota that is three times the UserAuthentication category limit
	// ... Beyond [it], the excess rate will be counted towards the
	// UserAuthentication category limit."
	quotaChallenges = QuotaUserAuthentication + ".Challenges"
	// quotaCodeGrant: the token endpoint's authorization_code grant "has
	// the same limits as UserAuthentication category but does not
	// consume that category limits" (AWS re:Post, "cognito token endpoint
	// quotas").
	quotaCodeGrant = QuotaUserAuthentication + ".AuthorizationCode"
)

// QuotaRates returns the rate of every quota bucket: the defaults, with
// overrides (category to requests per second; 0 lifts that category's
// limit) applied, and the derived buckets following their category.
func QuotaRates(overrides map[string]float64) map[string]float64 {
	r := maps.Clone(DefaultQuotas)
	maps.Copy(r, overrides)
	r[quotaChallenges] = 3 * r[QuotaUserAuthentication]
	r[quotaCodeGrant] = r[QuotaUserAuthentication]
	return r
}

// IsQuotaCategory reports whether name is one of Cognito's categories.
func IsQuotaCategory(name string) bool {
	_, ok := DefaultQuotas[name]
	return ok
}

// operationQuotas maps each operation to the category it counts
// against. The page's operation lists were not in the stored copy found
// (its markdown source elides them); UserCreation's four operations are
// quoted in its text, the rest follow the category descriptions ("read
// your user pools", "update user resource information, such as group",
// ...) and compatibility.md lists them as cognitod's reading.
var operationQuotas = map[string]string{
	"AdminInitiateAuth": QuotaUserAuthentication,
	"InitiateAuth":      QuotaUserAuthentication,
	// A refresh through the API is a sign-in as a refresh_token grant is.
	"GetTokensFromRefreshToken": QuotaUserAuthentication,

	"SignUp":             QuotaUserCreation,
	"ConfirmSignUp":      QuotaUserCreation,
	"AdminCreateUser":    QuotaUserCreation,
	"AdminConfirmSignUp": QuotaUserCreation,

	"ForgotPassword":         QuotaUserAccountRecovery,
	"ConfirmForgotPassword":  QuotaUserAccountRecovery,
	"ChangePassword":         QuotaUserAccountRecovery,
	"AdminResetUserPassword": QuotaUserAccountRecovery,
	"AdminSetUserPassword":   QuotaUserAccountRecovery,

	"AdminGetUser": QuotaUserRead,
	"GetUser":      QuotaUserRead,

	"AdminDeleteUser":                  QuotaUserUpdate,
	"AdminDeleteUserAttributes":        QuotaUserUpdate,
	"AdminDisableUser":                 QuotaUserUpdate,
	"AdminEnableUser":                  QuotaUserUpdate,
	"AdminUpdateUserAttributes":        QuotaUserUpdate,
	"AdminUserGlobalSignOut":           QuotaUserUpdate,
	"AdminLinkProviderForUser":         QuotaUserUpdate,
	"AdminDisableProviderForUser":      QuotaUserUpdate,
	"AdminSetUserMFAPreference":        QuotaUserUpdate,
	"AdminSetUserSettings":             QuotaUserUpdate,
	"AdminUpdateAuthEventFeedback":     QuotaUserUpdate,
	"DeleteUser":                       QuotaUserUpdate,
	"DeleteUserAttributes":             QuotaUserUpdate,
	"GetUserAttributeVerificationCode": QuotaUserUpdate,
	"GlobalSignOut":                    QuotaUserUpdate,
	"ResendConfirmationCode":           QuotaUserUpdate,
	"SetUserMFAPreference":             QuotaUserUpdate,
	"SetUserSettings":                  QuotaUserUpdate,
	"UpdateAuthEventFeedback":          QuotaUserUpdate,
	"UpdateUserAttributes":             QuotaUserUpdate,
	"VerifyUserAttribute":              QuotaUserUpdate,

	"AdminGetDevice":          QuotaUserResourceRead,
	"AdminListDevices":        QuotaUserResourceRead,
	"AdminListGroupsForUser":  QuotaUserResourceRead,
	"AdminListUserAuthEvents": QuotaUserResourceRead,
	"GetDevice":               QuotaUserResourceRead,
	"ListDevices":             QuotaUserResourceRead,

	"AdminAddUserToGroup":      QuotaUserResourceUpdate,
	"AdminRemoveUserFromGroup": QuotaUserResourceUpdate,
	"AdminForgetDevice":        QuotaUserResourceUpdate,
	"AdminUpdateDeviceStatus":  QuotaUserResourceUpdate,
	"AssociateSoftwareToken":   QuotaUserResourceUpdate,
	"ConfirmDevice":            QuotaUserResourceUpdate,
	"ForgetDevice":             QuotaUserResourceUpdate,
	"UpdateDeviceStatus":       QuotaUserResourceUpdate,
	"VerifySoftwareToken":      QuotaUserResourceUpdate,

	"ListUsers":        QuotaUserList,
	"ListUsersInGroup": QuotaUserList,

	"DescribeUserPool":     QuotaUserPoolRead,
	"ListUserPools":        QuotaUserPoolRead,
	"GetUserPoolMfaConfig": QuotaUserPoolRead,

	"CreateUserPool":       QuotaUserPoolUpdate,
	"UpdateUserPool":       QuotaUserPoolUpdate,
	"DeleteUserPool":       QuotaUserPoolUpdate,
	"AddCustomAttributes":  QuotaUserPoolUpdate,
	"SetUserPoolMfaConfig": QuotaUserPoolUpdate,

	"DescribeIdentityProvider":        QuotaUserPoolResourceRead,
	"DescribeResourceServer":          QuotaUserPoolResourceRead,
	"DescribeRiskConfiguration":       QuotaUserPoolResourceRead,
	"DescribeUserImportJob":           QuotaUserPoolResourceRead,
	"DescribeUserPoolDomain":          QuotaUserPoolResourceRead,
	"GetCSVHeader":                    QuotaUserPoolResourceRead,
	"GetGroup":                        QuotaUserPoolResourceRead,
	"GetIdentityProviderByIdentifier": QuotaUserPoolResourceRead,
	"GetLogDeliveryConfiguration":     QuotaUserPoolResourceRead,
	"GetSigningCertificate":           QuotaUserPoolResourceRead,
	"GetUICustomization":              QuotaUserPoolResourceRead,
	"ListGroups":                      QuotaUserPoolResourceRead,
	"ListIdentityProviders":           QuotaUserPoolResourceRead,
	"ListResourceServers":             QuotaUserPoolResourceRead,
	"ListTagsForResource":             QuotaUserPoolResourceRead,
	"ListUserImportJobs":              QuotaUserPoolResourceRead,
	"CreateGroup":                     QuotaUserPoolResourceUpdate,
	"CreateIdentityProvider":          QuotaUserPoolResourceUpdate,
	"CreateResourceServer":            QuotaUserPoolResourceUpdate,
	"CreateUserImportJob":             QuotaUserPoolResourceUpdate,
	"CreateUserPoolDomain":            QuotaUserPoolResourceUpdate,
	"DeleteGroup":                     QuotaUserPoolResourceUpdate,
	"DeleteIdentityProvider":          QuotaUserPoolResourceUpdate,
	"DeleteResourceServer":            QuotaUserPoolResourceUpdate,
	"DeleteUserPoolDomain":            QuotaUserPoolResourceUpdate,
	"SetLogDeliveryConfiguration":     QuotaUserPoolResourceUpdate,
	"SetRiskConfiguration":            QuotaUserPoolResourceUpdate,
	"SetUICustomization":              QuotaUserPoolResourceUpdate,
	"StartUserImportJob":              QuotaUserPoolResourceUpdate,
	"StopUserImportJob":               QuotaUserPoolResourceUpdate,
	"TagResource":                     QuotaUserPoolResourceUpdate,
	"UntagResource":                   QuotaUserPoolResourceUpdate,
	"UpdateGroup":                     QuotaUserPoolResourceUpdate,
	"UpdateIdentityProvider":          QuotaUserPoolResourceUpdate,
	"UpdateResourceServer":            QuotaUserPoolResourceUpdate,
	"UpdateUserPoolDomain":            QuotaUserPoolResourceUpdate,
	"DescribeUserPoolClient":          QuotaUserPoolClientRead,
	"ListUserPoolClients":             QuotaUserPoolClientRead,
	"CreateUserPoolClient":            QuotaUserPoolClientUpdate,
	"UpdateUserPoolClient":            QuotaUserPoolClientUpdate,
	"DeleteUserPoolClient":            QuotaUserPoolClientUpdate,
	"RevokeToken":                     QuotaUserToken,
}

var (
	challengeBuckets = []string{quotaChallenges, QuotaUserAuthentication}
	codeGrantBuckets = []string{quotaCodeGrant}
	bucketsByName    = func() map[string][]string {
		m := make(map[string][]string, len(DefaultQuotas))
		for c := range DefaultQuotas {
			m[c] = []string{c}
		}
		return m
	}()
)

// OperationQuota returns the quota buckets an API operation draws from,
// in order (a call is admitted by the first with a token), or nil for an
// operation with no category.
func OperationQuota(operation string) []string {
	switch operation {
	case "RespondToAuthChallenge", "AdminRespondToAuthChallenge":
		return challengeBuckets
	}
	return bucketsByName[operationQuotas[operation]]
}

// The OAuth endpoints' quota buckets. Client-credentials tokens are
// ClientAuthentication; "Hosted UI sign-in ... consumes UserAuthentication
// category limits", as does "/oauth2/token endpoint for refresh_token
// grant"; the authorization_code grant has a bucket of UserAuthentication's
// rate of its own (AWS re:Post, "cognito token endpoint quotas").
var (
	QuotaClientCredentialsGrant = bucketsByName[QuotaClientAuthentication]
	QuotaRefreshTokenGrant      = bucketsByName[QuotaUserAuthentication]
	QuotaHostedSignIn           = bucketsByName[QuotaUserAuthentication]
	QuotaAuthorizationCodeGrant = codeGrantBuckets
)

// QuotaTag is cognitod's own pool tag that lifts the request-rate quotas
// for one pool: with the value "off", calls that name the pool through
// an app client (the OAuth endpoints, the public sign-in operations) are
// not counted. Setting it takes TagResource on the pool, which only the
// pool's administrators may call; `cognitod bench` sets it on the pool
// it makes. The per-source limits still apply.
const QuotaTag = "cognitod:quotas"

// QuotasLifted reports whether a pool carries QuotaTag=off.
func QuotasLifted(p *UserPool) bool {
	return p != nil && p.Settings.UserPoolTags[QuotaTag] == "off"
}

// QuotaScopeOfClient returns the region a public operation naming
// clientID counts against (the region of the client's pool), and whether
// that pool has its quotas lifted. Both come from the service's caches,
// so asking costs no query once a client has been used; an unknown
// client counts against region "" (the call then fails as Cognito
// fails it).
func (s *Service) QuotaScopeOfClient(ctx context.Context, clientID string) (region string, lifted bool) {
	c, err := s.grants.client(ctx, s, clientID)
	if err != nil || c == nil || c.client == nil {
		return "", false
	}
	p, err := s.LookupPool(ctx, c.client.UserPoolID)
	if err != nil {
		return "", false
	}
	return RegionOfPoolID(p.ID), QuotasLifted(p)
}

// IsClientAuthFailure reports whether err is a failed authentication of
// an app client: a wrong or missing client secret at the OAuth endpoints,
// or a wrong or missing SECRET_HASH or ClientSecret in the API. These are
// what the per-source failure limit counts.
func IsClientAuthFailure(err error) bool {
	if errors.Is(err, ErrGrantInvalidClient) {
		return true
	}
	var ce *Error
	if !errors.As(err, &ce) || ce.Type != ErrNotAuthorized.Type {
		return false
	}
	for _, format := range []string{msgSecretHashMissing, msgSecretHashWrong, msgRefreshSecretHash, msgClientSecretMissing, msgClientSecretWrong} {
		before, after, _ := strings.Cut(format, "%s")
		if len(ce.Message) >= len(before)+len(after) && strings.HasPrefix(ce.Message, before) && strings.HasSuffix(ce.Message, after) {
			return true
		}
	}
	return false
}

// ErrGrantRateExceeded is the OAuth endpoints' answer over a quota or a
// per-source limit. Its code is cognitod's own: what Cognito's token
// endpoint sends when throttled was not found documented beyond HTTP 429
// with "Rate exceeded" seen at its hosted sign-in, so the oauth package
// answers 429 with this code (RFC 6749 section 5.2 lets a server define
// codes) and Retry-After.
var ErrGrantRateExceeded = &GrantError{Code: "too_many_requests", Reason: "rate exceeded"}
