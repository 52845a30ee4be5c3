package awsjson

import (
	"context"
	"encoding/json"

	"github.com/cognitod/cognitod/internal/cognito"
)

// operation decodes a validated body into the operation's typed input and
// calls the service with it.
type operation struct {
	decode func(body []byte) (any, error)
	call   func(ctx context.Context, svc *cognito.Service, in any) (any, error)
}

// handle adapts a Service method to an operation.
func handle[In, Out any](method func(*cognito.Service, context.Context, *In) (Out, error)) operation {
	return operation{
		decode: func(body []byte) (any, error) {
			in := new(In)
			if len(body) > 0 {
				if err := json.Unmarshal(body, in); err != nil {
					return nil, cognito.ErrSerialization.WithMessage("Request body does not match the operation's input shape")
				}
			}
			return in, nil
		},
		call: func(ctx context.Context, svc *cognito.Service, in any) (any, error) {
			return method(svc, ctx, in.(*In))
		},
	}
}

// operations is the dispatch table: X-Amz-Target operation name to
// Service method.
var operations = map[string]operation{
	"CreateUserPool":   handle((*cognito.Service).CreateUserPool),
	"DescribeUserPool": handle((*cognito.Service).DescribeUserPool),
	"ListUserPools":    handle((*cognito.Service).ListUserPools),
	"UpdateUserPool":   handle((*cognito.Service).UpdateUserPool),
	"DeleteUserPool":   handle((*cognito.Service).DeleteUserPool),

	"CreateUserPoolClient":   handle((*cognito.Service).CreateUserPoolClient),
	"DescribeUserPoolClient": handle((*cognito.Service).DescribeUserPoolClient),
	"UpdateUserPoolClient":   handle((*cognito.Service).UpdateUserPoolClient),
	"ListUserPoolClients":    handle((*cognito.Service).ListUserPoolClients),
	"DeleteUserPoolClient":   handle((*cognito.Service).DeleteUserPoolClient),

	"CreateUserPoolDomain":   handle((*cognito.Service).CreateUserPoolDomain),
	"DescribeUserPoolDomain": handle((*cognito.Service).DescribeUserPoolDomain),
	"DeleteUserPoolDomain":   handle((*cognito.Service).DeleteUserPoolDomain),

	"CreateResourceServer":   handle((*cognito.Service).CreateResourceServer),
	"DescribeResourceServer": handle((*cognito.Service).DescribeResourceServer),
	"ListResourceServers":    handle((*cognito.Service).ListResourceServers),
	"UpdateResourceServer":   handle((*cognito.Service).UpdateResourceServer),
	"DeleteResourceServer":   handle((*cognito.Service).DeleteResourceServer),

	"AdminCreateUser":           handle((*cognito.Service).AdminCreateUser),
	"AdminGetUser":              handle((*cognito.Service).AdminGetUser),
	"AdminSetUserPassword":      handle((*cognito.Service).AdminSetUserPassword),
	"AdminDeleteUser":           handle((*cognito.Service).AdminDeleteUser),
	"AdminDisableUser":          handle((*cognito.Service).AdminDisableUser),
	"AdminEnableUser":           handle((*cognito.Service).AdminEnableUser),
	"AdminConfirmSignUp":        handle((*cognito.Service).AdminConfirmSignUp),
	"AdminUpdateUserAttributes": handle((*cognito.Service).AdminUpdateUserAttributes),
	"ListUsers":                 handle((*cognito.Service).ListUsers),

	// Public operations: called without SigV4, they name an app client.
	"SignUp":                 handle((*cognito.Service).SignUp),
	"ConfirmSignUp":          handle((*cognito.Service).ConfirmSignUp),
	"InitiateAuth":           handle((*cognito.Service).InitiateAuth),
	"RespondToAuthChallenge": handle((*cognito.Service).RespondToAuthChallenge),
	"GetUser":                handle((*cognito.Service).GetUser),
	"GlobalSignOut":          handle((*cognito.Service).GlobalSignOut),
	"RevokeToken":            handle((*cognito.Service).RevokeToken),

	// SRP, choice-based and admin sign-in.
	"AdminInitiateAuth":           handle((*cognito.Service).AdminInitiateAuth),
	"AdminRespondToAuthChallenge": handle((*cognito.Service).AdminRespondToAuthChallenge),

	// Groups, tags and domains.
	"CreateGroup":              handle((*cognito.Service).CreateGroup),
	"GetGroup":                 handle((*cognito.Service).GetGroup),
	"UpdateGroup":              handle((*cognito.Service).UpdateGroup),
	"DeleteGroup":              handle((*cognito.Service).DeleteGroup),
	"ListGroups":               handle((*cognito.Service).ListGroups),
	"AdminAddUserToGroup":      handle((*cognito.Service).AdminAddUserToGroup),
	"AdminRemoveUserFromGroup": handle((*cognito.Service).AdminRemoveUserFromGroup),
	"AdminListGroupsForUser":   handle((*cognito.Service).AdminListGroupsForUser),
	"ListUsersInGroup":         handle((*cognito.Service).ListUsersInGroup),
	"UpdateUserPoolDomain":     handle((*cognito.Service).UpdateUserPoolDomain),
	"TagResource":              handle((*cognito.Service).TagResource),
	"UntagResource":            handle((*cognito.Service).UntagResource),
	"ListTagsForResource":      handle((*cognito.Service).ListTagsForResource),

	// Pool schema and user attributes.
	"AddCustomAttributes":              handle((*cognito.Service).AddCustomAttributes),
	"UpdateUserAttributes":             handle((*cognito.Service).UpdateUserAttributes),
	"GetUserAttributeVerificationCode": handle((*cognito.Service).GetUserAttributeVerificationCode),
	"VerifyUserAttribute":              handle((*cognito.Service).VerifyUserAttribute),
	"DeleteUserAttributes":             handle((*cognito.Service).DeleteUserAttributes),
	"AdminDeleteUserAttributes":        handle((*cognito.Service).AdminDeleteUserAttributes),

	// Account recovery and self-service.
	"ForgotPassword":         handle((*cognito.Service).ForgotPassword),
	"ConfirmForgotPassword":  handle((*cognito.Service).ConfirmForgotPassword),
	"ChangePassword":         handle((*cognito.Service).ChangePassword),
	"ResendConfirmationCode": handle((*cognito.Service).ResendConfirmationCode),
	"DeleteUser":             handle((*cognito.Service).DeleteUser),
	"AdminResetUserPassword": handle((*cognito.Service).AdminResetUserPassword),
	"AdminUserGlobalSignOut": handle((*cognito.Service).AdminUserGlobalSignOut),

	// Token refresh.
	"GetTokensFromRefreshToken": handle((*cognito.Service).GetTokensFromRefreshToken),

	// Hosted UI customization (issue 13).
	"SetUICustomization": handle((*cognito.Service).SetUICustomization),
	"GetUICustomization": handle((*cognito.Service).GetUICustomization),
	// Multi-factor authentication (issue 13).
	"SetUserPoolMfaConfig":      handle((*cognito.Service).SetUserPoolMfaConfig),
	"GetUserPoolMfaConfig":      handle((*cognito.Service).GetUserPoolMfaConfig),
	"AssociateSoftwareToken":    handle((*cognito.Service).AssociateSoftwareToken),
	"VerifySoftwareToken":       handle((*cognito.Service).VerifySoftwareToken),
	"SetUserMFAPreference":      handle((*cognito.Service).SetUserMFAPreference),
	"AdminSetUserMFAPreference": handle((*cognito.Service).AdminSetUserMFAPreference),
}
