package cognito

// Every message text cognitod sends for a Cognito exception, in one place.
// Sources are in ../shared/reference/cognito-behaviour.md; "(unconfirmed)"
// marks our choice where no capture of real Cognito settles the text.
const (
	msgPoolNotFound           = "User pool %s does not exist."
	msgClientNotFound         = "User pool client %s does not exist."
	msgResourceServerNotFound = "Resource server %s does not exist."        // (unconfirmed; moto)
	msgResourceServerExists   = "%s already exists in user pool %s."        // (unconfirmed; moto)
	msgDuplicateScopeName     = "Duplicate scope names are not allowed: %s" // (unconfirmed)
	msgInvalidNextToken       = "Invalid pagination token."                 // (unconfirmed)
	msgDeletionProtected      = "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first."
	msgPoolHasDomainOnDelete  = "User pool cannot be deleted. It has a domain configured that should be deleted first."

	msgLimitUserPools       = "The maximum number of user pools (%d) has been reached for this account in this region." // (unconfirmed)
	msgLimitAppClients      = "The maximum number of app clients (%d) has been reached for this user pool."             // (unconfirmed)
	msgLimitResourceServers = "The maximum number of resource servers (%d) has been reached for this user pool."        // (unconfirmed)
	msgLimitScopes          = "The maximum number of scopes (%d) has been reached for this resource server."            // (unconfirmed)

	msgOAuthNeedsFlowsAndScopes = "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows."
	msgClientCredentialsSecret  = "client_credentials flow can not be selected if client does not have a client secret."
	msgClientCredentialsAlone   = "client_credentials flow can not be selected along with code flow or implicit flow."
	msgClientCredentialsBuiltin = "%s is not supported with client_credentials flow"
	msgCallbackURLsRequired     = "CallbackUrls can not be empty when code flow or implicit flow is selected"
	msgInvalidScope             = "Invalid scope requested: %s"
	msgURLNoHTTP                = "%s cannot use the HTTP protocol."
	msgURLUnsafeScheme          = "%s cannot use the %s protocol."                             // cognitod's own, shaped like the HTTP message
	msgURLFragment              = "%s cannot contain a fragment."                              // (unconfirmed)
	msgURLInvalid               = "%s is not a valid URL."                                     // (unconfirmed)
	msgDefaultRedirectNotInList = "DefaultRedirectURI must be one of the CallbackURLs."        // (unconfirmed)
	msgTokenValidityRange       = "Invalid range for token validity."                          // (unconfirmed)
	msgRefreshShorterThanTokens = "Invalid range for token validity."                          // (unconfirmed: no capture; the range message is the likeliest)
	msgUnknownIdentityProvider  = "The provider %s does not exist for User Pool %s"            // (unconfirmed)
	msgInvalidReadAttributes    = "Invalid read attributes specified while creating a client"  // (unconfirmed)
	msgInvalidWriteAttributes   = "Invalid write attributes specified while creating a client" // (unconfirmed)
	msgMixedExplicitAuthFlows   = "ExplicitAuthFlows can not have both legacy and new values." // (unconfirmed)
	msgRefreshAlwaysAllowed     = "REFRESH_TOKEN_AUTH should always be allowed."
	msgSecretWithoutGenerate    = "ClientSecret can only be set when GenerateSecret is true or omitted." // (unconfirmed)

	msgDomainTaken             = "Domain already associated with another user pool."
	msgPoolHasDomain           = "User pool already has a domain configured."                         // (aws/aws-cdk#10062)
	msgDomainReservedWord      = "Domain cannot contain reserved word: %s"                            // (unconfirmed)
	msgCustomDomainUnsupported = "Custom domains are not supported by cognitod; use a prefix domain." // cognitod's own
	msgDomainNotOfPool         = "No such domain or user pool exists."                                // (unconfirmed)

	// Cognito words the password policy failure differently per operation.
	msgPasswordPolicySignUp    = "Password did not conform with policy: "
	msgPasswordPolicyTemporary = "Password did not conform with password policy: "
	msgPasswordPolicyChange    = "Password does not conform to policy: " // (app code only)

	msgUserExists            = "User account already exists"
	msgUsernameNotEmail      = "Username should be an email."
	msgUsernameNotPhone      = "Username should be a phone number."
	msgAttributeReadOnly     = "Cannot modify the non-mutable attribute %s"                            // (unconfirmed)
	msgResendConfirmed       = "Resend not possible. The user is not in FORCE_CHANGE_PASSWORD status." // (unconfirmed)
	msgCannotConfirm         = "User cannot be confirmed. Current status is %s"
	msgAliasExists           = "An account with the given email already exists."
	msgInvalidFilter         = "Error while parsing filter."
	msgSignUpExists          = "User already exists"
	msgUnauthorizedAttribute = "A client attempted to write unauthorized attribute"
	msgConfirmAttempts       = "Attempt limit exceeded, please try after some time."
	msgRefreshSecretHash     = "SecretHash does not match for the client: %s"

	msgIncorrectPassword        = "Incorrect username or password."
	msgUserDisabled             = "User is disabled."
	msgPasswordAttempts         = "Password attempts exceeded"
	msgUserPasswordAuthOff      = "USER_PASSWORD_AUTH flow not enabled for this client"
	msgAuthFlowOff              = "Auth flow not enabled for this client"
	msgAuthFlowUnsupported      = "Auth flow %s is not supported by cognitod."      // cognitod's own
	msgMissingAuthParams        = "Missing required parameter USERNAME or PASSWORD" // (unconfirmed)
	msgSecretHashMissing        = "Client %s is configured with secret but SECRET_HASH was not received"
	msgSecretHashWrong          = "Unable to verify secret hash for client %s"
	msgSignUpNotAllowed         = "SignUp is not permitted for this user pool" // (unconfirmed)
	msgInvalidSession           = "Invalid session for the user."
	msgSessionExpired           = "Invalid session for the user, session is expired."
	msgChallengeUnsupported     = "Challenge %s is not supported by cognitod."                            // cognitod's own
	msgMissingNewPassword       = "Missing required parameter NEW_PASSWORD"                               // (unconfirmed)
	msgTemporaryPasswordExpired = "Temporary password has expired and must be reset by an administrator." // (unconfirmed)
	msgInvalidRefreshToken      = "Invalid Refresh Token."
	msgRefreshRevoked           = "Refresh Token has been revoked"
	msgRefreshExpired           = "Refresh Token has expired"
	msgInvalidAccessToken       = "Invalid Access Token"
	msgAccessTokenExpired       = "Access Token has expired"
	msgAccessTokenRevoked       = "Access Token has been revoked"
	msgAccessTokenScopes        = "Access Token does not have required scopes"
	msgRevokeBadClient          = "Invalid client for the token."                        // (unconfirmed)
	msgRevocationDisabled       = "Token revocation is not enabled for this app client." // (unconfirmed)

	msgCustomAttributeRequired = "Required custom attributes are not supported currently." // (unconfirmed)

	// SRP, choice-based and admin sign-in.
	msgSRPAuthOff          = "USER_SRP_AUTH is not enabled for the client."
	msgUserAuthOff         = "USER_AUTH flow not enabled for this client" // (unconfirmed)
	msgInitiateAuthMethod  = "Initiate Auth method not supported."
	msgMissingParameter    = "Missing required parameter %s" // (unconfirmed)
	msgInvalidSRPA         = "SRP_A is invalid."             // (unconfirmed)
	msgSRPTimestamp        = "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."
	msgPasswordUserChanged = "The user changed while the password was being set; try again."                  // cognitod's own
	msgFactorUnsupported   = "%s sign-in is not supported by cognitod yet."                                   // cognitod's own
	msgFactorNotAllowed    = "The sign-in factor %s is not allowed for this user pool."                       // (unconfirmed)
	msgPreferredChallenge  = "Invalid value for PREFERRED_CHALLENGE: %s"                                      // (unconfirmed)
	msgSelectAnswer        = "Invalid value for ANSWER: %s"                                                   // (unconfirmed)
	msgFactorsNotServed    = "AllowedFirstAuthFactors %s is not supported by cognitod yet; only PASSWORD is." // cognitod's own
	msgServerBusy          = "Too many requests are waiting for password checks; try again shortly."          // cognitod's own

	// Groups, tags and domains.
	msgGroupExists        = "A group with the name %s already exists."                                          // (unconfirmed: aws-amplify/amplify-backend#1781 quotes it without the name)
	msgGroupNotFound      = "Group not found."                                                                  // (AdminAddUserToGroup: aws-amplify/amplify-cli#2214; unconfirmed for the other operations)
	msgLimitGroups        = "The maximum number of groups (%d) has been reached for this user pool."            // (unconfirmed)
	msgLimitGroupsPerUser = "The user cannot be added to more than %d groups."                                  // (unconfirmed)
	msgInvalidResourceARN = "Invalid resource ARN: %s"                                                          // (unconfirmed)
	msgLimitTags          = "The maximum number of tags (%d) has been reached for this resource."               // (unconfirmed)
	msgTagReservedPrefix  = "Tag keys cannot start with aws:."                                                  // (unconfirmed)
	msgTagCharacters      = "Tag keys and values can contain only letters, digits, spaces and _ . : / = + - @." // (unconfirmed; the characters are the developer guide's, "Tagging resources")
	msgLoginVersion       = "ManagedLoginVersion must be 1 or 2."                                               // (unconfirmed)

	// Pool schema and user attributes.
	msgAttributeDataTypeMissing = "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."
	msgAttributeExists          = "%s: Existing attribute already has name %s."
	msgStandardAttributeType    = "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute %s" // (unconfirmed; moto)
	msgInvalidConstraint        = "Invalid %s for schema attribute %s"                                                                  // (unconfirmed; moto)
	msgStringLengthTooLong      = "user.%s: String attributes cannot have a length of more than 2048"                                   // (unconfirmed; moto)
	msgMinLengthAboveMax        = "user.%s: Max length cannot be less than min length."                                                 // (unconfirmed; moto)
	msgMinValueAboveMax         = "user.%s: Max value cannot be less than min value."                                                   // (unconfirmed; moto)
	msgDuplicateSchemaAttribute = "Duplicate attribute name in schema: %s"                                                              // (unconfirmed)
	msgLimitCustomAttributes    = "The maximum number of custom attributes (%d) has been reached for this user pool."                   // (unconfirmed)
	msgSubSchemaFixed           = "The sub attribute is always required and immutable."                                                 // cognitod's own

	// Attribute values: Cognito lists every problem, one "<name>: <problem>\n"
	// line each, after msgSchemaNonConforming at creation (SignUp, captured)
	// and prefixed "user." on updates (UpdateUserAttributes, captured).
	// AdminCreateUser and AdminUpdateUserAttributes use the same forms
	// (unconfirmed), as does NEW_PASSWORD_REQUIRED (unconfirmed).
	msgSchemaNonConforming          = "Attributes did not conform to the schema: "
	msgProblemNotInSchema           = "Attribute does not exist in the schema."
	msgProblemRequired              = "The attribute is required"
	msgProblemImmutable             = "Attribute cannot be updated."
	msgProblemNotNumber             = "Number attribute value is not a valid number."  // (unconfirmed)
	msgProblemNumberTooSmall        = "Number must be no smaller than %s"              // (unconfirmed)
	msgProblemNumberTooLarge        = "Number must be no larger than %s"               // (unconfirmed)
	msgProblemNotBoolean            = "Boolean attribute value must be true or false." // (unconfirmed)
	msgProblemNotDateTime           = "DateTime attribute value is not a valid date."  // (unconfirmed)
	msgProblemStringTooShort        = "String must be at least %s characters"          // (unconfirmed)
	msgProblemStringTooLong         = "String must be no longer than %s characters"    // (unconfirmed)
	msgInvalidEmail                 = "Invalid email address format."
	msgInvalidPhone                 = "Invalid phone number format."
	msgRequiredAttributeGiven       = "Invalid attributes given, %s is missing"
	msgInvalidUserAttributes        = "Invalid user attributes: "
	msgProblemRequiredDelete        = "Required attribute cannot be deleted."
	msgProblemImmutableDelete       = "Attribute cannot be deleted."                              // (unconfirmed)
	msgInvalidReadAttributesUpdate  = "Invalid read attributes specified while updating a client" // (unconfirmed: the write text is confirmed)
	msgInvalidWriteAttributesUpdate = "Invalid write attributes specified while updating a client"
	msgAttributesToGetUnknown       = "Invalid attributes to get: %s" // (unconfirmed)

	// Attribute verification.
	msgNotVerifiable             = "Invalid attribute name. Only phone_number and email can be verified."
	msgVerifyBeforeUpdateNotAuto = "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes"
	msgUpdateSettingsShape       = "UserAttributeUpdateSettings does not match its shape" // cognitod's own
	msgNoAttributeToVerify       = "User has no %s to verify."                            // (unconfirmed)

	// Account recovery and self-service.
	msgNoRecoveryDestination = "Cannot reset password for the user as there is no registered/verified email or phone_number"
	msgAdminOnlyRecovery     = "Contact administrator to reset password."            // (unconfirmed; moto)
	msgCannotResetState      = "User password cannot be reset in the current state." // FORCE_CHANGE_PASSWORD and UNCONFIRMED (unconfirmed for UNCONFIRMED via AdminResetUserPassword)
	msgPasswordResetRequired = "Password reset required for the user"
	msgAlreadyConfirmed      = "User is already confirmed."       // (unconfirmed)
	msgAutoVerifyOff         = "Auto verification not turned on." // (unconfirmed)
	msgChangePasswordLocked  = "Attempt limit exceeded, please try after some time."

	// Token refresh and settings cognitod refuses.
	msgClientSecretMissing     = "Client %s is configured with secret but ClientSecret was not received"               // (unconfirmed)
	msgClientSecretWrong       = "Unable to verify secret for client %s"                                               // (unconfirmed)
	msgClientHasNoSecret       = "Client %s is not configured with a secret"                                           // (unconfirmed)
	msgRefreshFlowWithRotation = "REFRESH_TOKEN_AUTH flow is not allowed for clients with refresh token rotation"      // (unconfirmed)
	msgRefreshTokenReused      = "Refresh token has been used."                                                        // (unconfirmed)
	msgLambdaRefused           = "LambdaConfig %s is not supported: cognitod does not invoke this Lambda trigger yet." // cognitod's own
	msgUnenforcedRefused       = "%s is not supported: cognitod does not enforce it yet."                              // cognitod's own

	// Request-rate quotas and per-source limits (quotas.go).
	MsgRateExceeded = "Rate exceeded"
)

// Access keys and their policies (issue 11).
const (
	msgKeyNameInvalid      = "The key name must be 1 to 64 characters: letters, digits and + = , . @ _ -" // cognitod's own
	msgKeyNameRoot         = "The name root is kept for root keys."                                       // cognitod's own
	msgTooManyKeys         = "An instance holds at most %d access keys."                                  // cognitod's own
	msgKeyNotFound         = "Access key %s does not exist."                                              // cognitod's own
	msgLastRootKey         = "The last root access key cannot be deleted."                                // cognitod's own
	msgRootKeyPolicy       = "A root access key has full rights and no policy."                           // cognitod's own
	msgPolicyUnknownAction = "Action cognito-idp:%s matches no cognito-idp operation."                    // cognitod's own
	// AWS's AccessDeniedException texts for identity-based policies
	// (cognito-behaviour.md; the explicit-deny form as AWS services send it).
	msgAccessDeniedImplicit = "User: %s is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action"
	msgAccessDeniedExplicit = "User: %s is not authorized to perform: %s on resource: %s with an explicit deny in an identity-based policy"
)

// Hosted UI customization (SetUICustomization). Cognito's own texts for
// these refusals are not documented.
const (
	msgLogoTooLarge = "The logo image is larger than %d KB."       // cognitod's own
	msgLogoNotImage = "The logo image must be a PNG or JPEG file." // cognitod's own
	msgCSSInvalid   = "There is an error in the CSS provided: %s"  // cognitod's own
)

// Lambda triggers called as webhooks (triggers*.go, issue 13).
const (
	// InvalidLambdaResponseException, as Cognito words it for output it
	// cannot read (developer forums and SDK issues quote it).
	msgLambdaUnrecognizable = "Unrecognizable lambda output"
	// UserLambdaValidationException: "PreSignUp failed with error
	// Registration from this domain is not allowed.." (the function's
	// message and a period, as quoted in aws-amplify/amplify-ui-android#314).
	msgLambdaFailed = "%s failed with error %s."
	// UnexpectedLambdaException for a function that did not answer in time
	// (quoted in furaiev/amazon-cognito-identity-dart-2#204).
	msgLambdaTimeout     = "%s invocation failed due to error Socket timeout while invoking Lambda function."
	msgLambdaNotFound    = "%s invocation failed due to error ResourceNotFoundException." // (unconfirmed)
	msgLambdaUnavailable = "%s invocation failed due to error ServiceException."          // (unconfirmed)
	// InitiateAuth CUSTOM_AUTH in a pool without a define auth challenge
	// function.
	msgCustomAuthNotConfigured = "Custom auth lambda trigger is not configured for the user pool."
	msgLambdaNoWebhooks        = "LambdaConfig %s is not supported: cognitod calls Lambda triggers as webhooks, and no --trigger or --triggers-file is configured." // cognitod's own
	msgLambdaNotMapped         = "LambdaConfig %s names %s, which no --trigger or --triggers-file maps to a webhook."                                               // cognitod's own
)

// Multi-factor authentication (issue 13). Sources: aws-amplify/amplify-js#3066
// and #11069 (CodeMismatchException), aws-samples/aws-amplify-auth-starters#15
// (EnableSoftwareTokenMFAException), dg:user-pool-settings-mfa-totp and
// amazon-archives/amazon-cognito-identity-js#630 (SoftwareTokenMFANotFound),
// aws/aws-sdk-js-v3#4645 (delivery config), go-to-k/cdkd#1923 and
// lgallard/terraform-aws-cognito-user-pool#74 (OFF with a factor),
// anomalyco/sst#5177 (no factor), aws/aws-cdk#12075 (SMS configuration).
const (
	msgMfaOffWithFactor       = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
	msgMfaNoFactor            = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration."
	msgMfaNeedsSMS            = "SMS configuration and Auto verification for phone_number are required when MFA is required/optional"
	msgSmsMfaNeedsConfig      = "SMS configuration is required to turn on SMS MFA."                                                               // (unconfirmed)
	msgEmailMfaNeedsDeveloper = "To turn on email MFA, the user pool must send email with its own configuration (EmailSendingAccount DEVELOPER)." // (unconfirmed)
	msgEmailMfaNeedsTier      = "Email MFA is not available for user pools in the Lite tier."                                                     // (unconfirmed)
	msgWebAuthnRefused        = "WebAuthnConfiguration is not supported: cognitod does not serve passkey sign-in yet."                            // cognitod's own
	msgMfaCodeMismatch        = "Invalid code or auth state for the user."
	msgTOTPVerifyMismatch     = "Code mismatch and fail enable Software Token MFA"
	msgTOTPPoolOff            = "Software Token MFA has not been enabled by the userPool."
	msgTOTPNotForUser         = "Software Token MFA does not exist for the user."
	msgNoDeliveryConfig       = "User does not have delivery config set to turn on %s"
	msgTokenOrSession         = "Exactly one of AccessToken and Session must be given."                                                 // (unconfirmed)
	msgFactorNotOffered       = "%s is not enabled for this user pool."                                                                 // (unconfirmed)
	msgOnePreferredMfa        = "Only one MFA factor can be the preferred one."                                                         // (unconfirmed)
	msgCannotDisableRequired  = "You can't turn off every MFA factor of a user when MFA is required in the user pool."                  // (unconfirmed)
	msgMfaNoFactorForUser     = "The user has no MFA factor the user pool offers, and the pool offers no software token to set one up." // cognitod's own
	msgMfaSetupNotVerified    = "The software token is not verified yet: call VerifySoftwareToken with this session first."             // cognitod's own
)
