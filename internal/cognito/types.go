package cognito

import (
	"encoding/json"
	"strconv"
	"time"
)

// Timestamp is a time the AWS JSON protocol sends as epoch seconds with a
// millisecond fraction, as Cognito does (1.697127588458E9).
type Timestamp time.Time

// MarshalJSON writes epoch seconds.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)), nil
}

// UnmarshalJSON reads epoch seconds.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*t = Timestamp(time.UnixMilli(int64(f * 1000)).UTC())
	return nil
}

// UserPool is a user pool as stored. Settings holds every member the
// caller chose, echoed back by DescribeUserPool.
type UserPool struct {
	ID               string
	Name             string
	CreationDate     time.Time
	LastModifiedDate time.Time
	Settings         PoolSettings
	// Seq orders listings; the store assigns it on create.
	Seq int64
}

// Region is the AWS region the pool lives in, the part of its ID before
// the underscore: a pool is visible only from its own region.
func (p *UserPool) Region() string { return RegionOfPoolID(p.ID) }

// PoolSettings are the user pool members a caller sets with CreateUserPool
// and UpdateUserPool. Members cognitod does not interpret are kept as raw
// JSON and echoed back unchanged.
type PoolSettings struct {
	Policies                    *UserPoolPolicy        `json:"Policies,omitempty"`
	DeletionProtection          string                 `json:"DeletionProtection,omitempty"`
	LambdaConfig                json.RawMessage        `json:"LambdaConfig,omitempty"`
	AutoVerifiedAttributes      []string               `json:"AutoVerifiedAttributes,omitempty"`
	AliasAttributes             []string               `json:"AliasAttributes,omitempty"`
	UsernameAttributes          []string               `json:"UsernameAttributes,omitempty"`
	SmsVerificationMessage      string                 `json:"SmsVerificationMessage,omitempty"`
	EmailVerificationMessage    string                 `json:"EmailVerificationMessage,omitempty"`
	EmailVerificationSubject    string                 `json:"EmailVerificationSubject,omitempty"`
	VerificationMessageTemplate json.RawMessage        `json:"VerificationMessageTemplate,omitempty"`
	SmsAuthenticationMessage    string                 `json:"SmsAuthenticationMessage,omitempty"`
	UserAttributeUpdateSettings json.RawMessage        `json:"UserAttributeUpdateSettings,omitempty"`
	MfaConfiguration            string                 `json:"MfaConfiguration,omitempty"`
	DeviceConfiguration         json.RawMessage        `json:"DeviceConfiguration,omitempty"`
	EmailConfiguration          json.RawMessage        `json:"EmailConfiguration,omitempty"`
	SmsConfiguration            json.RawMessage        `json:"SmsConfiguration,omitempty"`
	UserPoolTags                map[string]string      `json:"UserPoolTags,omitempty"`
	AdminCreateUserConfig       *AdminCreateUserConfig `json:"AdminCreateUserConfig,omitempty"`
	SchemaAttributes            []SchemaAttribute      `json:"SchemaAttributes,omitempty"`
	UserPoolAddOns              json.RawMessage        `json:"UserPoolAddOns,omitempty"`
	UsernameConfiguration       *UsernameConfiguration `json:"UsernameConfiguration,omitempty"`
	AccountRecoverySetting      json.RawMessage        `json:"AccountRecoverySetting,omitempty"`
	UserPoolTier                string                 `json:"UserPoolTier,omitempty"`
	// MFA is the pool's second factors (mfa_config.go). It is not a
	// UserPoolType member: DescribeUserPool leaves it out.
	MFA *PoolMFA `json:"CognitodMFA,omitempty"`
}

// UserPoolPolicy is UserPoolPolicyType.
type UserPoolPolicy struct {
	PasswordPolicy *PasswordPolicy `json:"PasswordPolicy,omitempty"`
	SignInPolicy   json.RawMessage `json:"SignInPolicy,omitempty"`
}

// PasswordPolicy is PasswordPolicyType.
type PasswordPolicy struct {
	MinimumLength                 *int32 `json:"MinimumLength,omitempty"`
	RequireUppercase              bool   `json:"RequireUppercase"`
	RequireLowercase              bool   `json:"RequireLowercase"`
	RequireNumbers                bool   `json:"RequireNumbers"`
	RequireSymbols                bool   `json:"RequireSymbols"`
	PasswordHistorySize           *int32 `json:"PasswordHistorySize,omitempty"`
	TemporaryPasswordValidityDays *int32 `json:"TemporaryPasswordValidityDays,omitempty"`
}

// AdminCreateUserConfig is AdminCreateUserConfigType.
type AdminCreateUserConfig struct {
	AllowAdminCreateUserOnly  bool            `json:"AllowAdminCreateUserOnly"`
	UnusedAccountValidityDays *int32          `json:"UnusedAccountValidityDays,omitempty"`
	InviteMessageTemplate     json.RawMessage `json:"InviteMessageTemplate,omitempty"`
}

// UsernameConfiguration is UsernameConfigurationType.
type UsernameConfiguration struct {
	CaseSensitive *bool `json:"CaseSensitive,omitempty"`
}

// SchemaAttribute is SchemaAttributeType.
type SchemaAttribute struct {
	Name                       string                `json:"Name,omitempty"`
	AttributeDataType          string                `json:"AttributeDataType,omitempty"`
	DeveloperOnlyAttribute     *bool                 `json:"DeveloperOnlyAttribute,omitempty"`
	Mutable                    *bool                 `json:"Mutable,omitempty"`
	Required                   *bool                 `json:"Required,omitempty"`
	NumberAttributeConstraints *AttributeConstraints `json:"NumberAttributeConstraints,omitempty"`
	StringAttributeConstraints *AttributeConstraints `json:"StringAttributeConstraints,omitempty"`
}

// AttributeConstraints holds NumberAttributeConstraintsType or
// StringAttributeConstraintsType; the model sends both as strings.
type AttributeConstraints struct {
	MinValue  *string `json:"MinValue,omitempty"`
	MaxValue  *string `json:"MaxValue,omitempty"`
	MinLength *string `json:"MinLength,omitempty"`
	MaxLength *string `json:"MaxLength,omitempty"`
}

// AppClient is an app client as stored. The secret is kept sealed; the
// store never sees it in the clear.
type AppClient struct {
	UserPoolID       string
	ClientID         string
	SealedSecret     []byte
	CreationDate     time.Time
	LastModifiedDate time.Time
	Settings         ClientSettings
	Seq              int64
}

// HasSecret reports whether the client was created with a secret.
func (c *AppClient) HasSecret() bool { return len(c.SealedSecret) > 0 }

// ClientSettings are the app client members a caller sets.
type ClientSettings struct {
	ClientName                               string                `json:"ClientName,omitempty"`
	RefreshTokenValidity                     int32                 `json:"RefreshTokenValidity"`
	AccessTokenValidity                      *int32                `json:"AccessTokenValidity,omitempty"`
	IdTokenValidity                          *int32                `json:"IdTokenValidity,omitempty"`
	TokenValidityUnits                       *TokenValidityUnits   `json:"TokenValidityUnits,omitempty"`
	ReadAttributes                           []string              `json:"ReadAttributes,omitempty"`
	WriteAttributes                          []string              `json:"WriteAttributes,omitempty"`
	ExplicitAuthFlows                        []string              `json:"ExplicitAuthFlows,omitempty"`
	SupportedIdentityProviders               []string              `json:"SupportedIdentityProviders,omitempty"`
	CallbackURLs                             []string              `json:"CallbackURLs,omitempty"`
	LogoutURLs                               []string              `json:"LogoutURLs,omitempty"`
	DefaultRedirectURI                       string                `json:"DefaultRedirectURI,omitempty"`
	AllowedOAuthFlows                        []string              `json:"AllowedOAuthFlows,omitempty"`
	AllowedOAuthScopes                       []string              `json:"AllowedOAuthScopes,omitempty"`
	AllowedOAuthFlowsUserPoolClient          bool                  `json:"AllowedOAuthFlowsUserPoolClient"`
	AnalyticsConfiguration                   json.RawMessage       `json:"AnalyticsConfiguration,omitempty"`
	PreventUserExistenceErrors               string                `json:"PreventUserExistenceErrors,omitempty"`
	EnableTokenRevocation                    bool                  `json:"EnableTokenRevocation"`
	EnablePropagateAdditionalUserContextData bool                  `json:"EnablePropagateAdditionalUserContextData"`
	AuthSessionValidity                      int32                 `json:"AuthSessionValidity,omitempty"`
	RefreshTokenRotation                     *RefreshTokenRotation `json:"RefreshTokenRotation,omitempty"`
}

// TokenValidityUnits is TokenValidityUnitsType.
type TokenValidityUnits struct {
	AccessToken  string `json:"AccessToken,omitempty"`
	IdToken      string `json:"IdToken,omitempty"`
	RefreshToken string `json:"RefreshToken,omitempty"`
}

// ResourceServer is a resource server and its custom scopes.
type ResourceServer struct {
	UserPoolID string
	Identifier string
	Name       string
	Scopes     []ResourceServerScope
	Seq        int64
}

// ResourceServerScope is ResourceServerScopeType.
type ResourceServerScope struct {
	ScopeName        string `json:"ScopeName"`
	ScopeDescription string `json:"ScopeDescription"`
}

// Domain is a user pool's prefix domain.
type Domain struct {
	Domain       string
	UserPoolID   string
	CreationDate time.Time
	// ManagedLoginVersion is 1 (classic hosted UI) or 2 (managed login).
	ManagedLoginVersion int32
}

// AccessKey is an API credential: SigV4 needs the secret itself, so it is
// sealed rather than hashed.
type AccessKey struct {
	AccessKeyID  string
	SealedSecret []byte
	CreationDate time.Time
	// Name names the key's holder: it is the IAM user name in the ARN an
	// AccessDeniedException quotes. Rotated keys share their name.
	Name string
	// Root keys have full rights and no policy.
	Root bool
	// Policy is the key's IAM-style policy document as its owner wrote
	// it; "" is no policy, which for a non-root key denies everything.
	Policy string
}

// Signing key states. A pool has one active key, which signs, and one
// next key, published in the JWKS ahead of rotation so that verifiers
// already know it when it starts signing. A retired key no longer signs
// but stays published until every token it signed has expired.
const (
	KeyActive  = "active"
	KeyNext    = "next"
	KeyRetired = "retired"
)

// SigningKey is one of a pool's RSA signing keys. The private key (PKCS #8
// DER) is sealed; the store never sees it in the clear.
type SigningKey struct {
	UserPoolID       string
	KID              string
	SealedPrivateKey []byte
	Status           string
	CreationDate     time.Time
	// RetiredAt is when the key stopped signing (zero unless retired).
	RetiredAt time.Time
}

// User statuses (UserStatusType).
const (
	StatusUnconfirmed         = "UNCONFIRMED"
	StatusConfirmed           = "CONFIRMED"
	StatusForceChangePassword = "FORCE_CHANGE_PASSWORD"
	StatusResetRequired       = "RESET_REQUIRED"
)

// User is a user of a pool as stored. The password is kept as an argon2id
// hash; confirmation codes as SHA-256 hashes.
type User struct {
	UserPoolID string
	// Username is the name the user was created with; when the pool signs
	// in with email or phone number it is the user's sub.
	Username string
	// UsernameKey is the unique key sign-in looks up: the username (or
	// email or phone number, per the pool's UsernameAttributes), folded
	// to lower case in a case-insensitive pool.
	UsernameKey  string
	Sub          string
	Attributes   []Attribute
	PasswordHash string
	// SRPVerifier is the user's SRP salt and verifier, sealed (see
	// DerivePassword); empty for a user from before SRP until their next
	// password sign-in.
	SRPVerifier      []byte
	Status           string
	Enabled          bool
	CreationDate     time.Time
	LastModifiedDate time.Time
	// PasswordExpires bounds a temporary password (zero: no bound).
	PasswordExpires time.Time
	// CodeHash and CodeExpires hold a pending sign-up confirmation code.
	CodeHash    string
	CodeExpires time.Time
	// FailedSignIns and LockedUntil throttle password guessing.
	FailedSignIns int
	LockedUntil   time.Time
	// SignedOutAt revokes every token issued before it (GlobalSignOut).
	SignedOutAt time.Time
	// Verifications are the pending codes of attribute verification
	// (VerifyUserAttribute), one per attribute at most.
	Verifications []AttributeVerification
	Seq           int64
}

// Attribute is AttributeType: one user attribute.
type Attribute struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// RefreshToken is an issued refresh token. The token itself is never
// stored: Hash is its SHA-256, hex-encoded.
type RefreshToken struct {
	Hash       string
	UserPoolID string
	ClientID   string
	Sub        string
	Scopes     []string
	// OriginJTI ties the token to the access and ID tokens issued with it
	// and from it, so that revoking it revokes them.
	OriginJTI    string
	AuthTime     time.Time
	CreationDate time.Time
	Expires      time.Time
	// RevokedAt is when it was revoked (zero: not revoked).
	RevokedAt time.Time
	// RotatedAt is when refresh token rotation exchanged it for its
	// successor (zero: it is the current token of its family). The family
	// shares OriginJTI.
	RotatedAt time.Time
	// SealedSuccessor is the successor token, sealed, kept so that a retry
	// inside the grace period answers with the same successor.
	SealedSuccessor []byte
}

// AuthCode is an authorization code, stored as its SHA-256. It is good
// once, for five minutes, for the client and redirect URI it was issued
// to, and, with PKCE, for the holder of the code verifier.
type AuthCode struct {
	Hash          string
	UserPoolID    string
	ClientID      string
	RedirectURI   string
	Sub           string
	Scopes        []string
	Nonce         string
	CodeChallenge string
	AuthTime      time.Time
	CreationDate  time.Time
	Expires       time.Time
	// UsedAt is when the code was redeemed (zero: not yet); OriginJTI
	// names the tokens it was redeemed for, revoked if it is replayed.
	UsedAt    time.Time
	OriginJTI string
}
