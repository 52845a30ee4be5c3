package cognito

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
)

// UserType is a user as the API returns it.
type UserType struct {
	Username             string      `json:"Username"`
	Attributes           []Attribute `json:"Attributes,omitempty"`
	UserCreateDate       Timestamp   `json:"UserCreateDate"`
	UserLastModifiedDate Timestamp   `json:"UserLastModifiedDate"`
	Enabled              bool        `json:"Enabled"`
	UserStatus           string      `json:"UserStatus"`
	userMFASettings                  // mfa_user.go
}

// AdminCreateUserInput is AdminCreateUserRequest.
type AdminCreateUserInput struct {
	UserPoolId        string      `json:"UserPoolId,omitempty"`
	Username          string      `json:"Username,omitempty"`
	UserAttributes    []Attribute `json:"UserAttributes,omitempty"`
	TemporaryPassword *string     `json:"TemporaryPassword,omitempty"`
	MessageAction     string      `json:"MessageAction,omitempty"`
	// ValidationData and ClientMetadata go to the pre sign-up trigger.
	ValidationData []Attribute       `json:"ValidationData,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// AdminCreateUserOutput is AdminCreateUserResponse.
type AdminCreateUserOutput struct {
	User *UserType `json:"User"`
}

// AdminUserInput names one user of a pool.
type AdminUserInput struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Username   string `json:"Username,omitempty"`
}

// AdminGetUserOutput is AdminGetUserResponse.
type AdminGetUserOutput struct {
	Username             string      `json:"Username"`
	UserAttributes       []Attribute `json:"UserAttributes,omitempty"`
	UserCreateDate       Timestamp   `json:"UserCreateDate"`
	UserLastModifiedDate Timestamp   `json:"UserLastModifiedDate"`
	Enabled              bool        `json:"Enabled"`
	UserStatus           string      `json:"UserStatus"`
	userMFASettings                  // mfa_user.go
}

// AdminSetUserPasswordInput is AdminSetUserPasswordRequest.
type AdminSetUserPasswordInput struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Username   string `json:"Username,omitempty"`
	Password   string `json:"Password,omitempty"`
	Permanent  bool   `json:"Permanent,omitempty"`
}

// AdminUpdateUserAttributesInput is AdminUpdateUserAttributesRequest.
type AdminUpdateUserAttributesInput struct {
	UserPoolId     string      `json:"UserPoolId,omitempty"`
	Username       string      `json:"Username,omitempty"`
	UserAttributes []Attribute `json:"UserAttributes,omitempty"`
}

// ListUsersInput is ListUsersRequest.
type ListUsersInput struct {
	UserPoolId      string   `json:"UserPoolId,omitempty"`
	AttributesToGet []string `json:"AttributesToGet,omitempty"`
	Limit           *int32   `json:"Limit,omitempty"`
	PaginationToken string   `json:"PaginationToken,omitempty"`
	Filter          string   `json:"Filter,omitempty"`
}

// ListUsersOutput is ListUsersResponse.
type ListUsersOutput struct {
	Users           []UserType `json:"Users"`
	PaginationToken *string    `json:"PaginationToken,omitempty"`
}

func describeUser(u *User) *UserType {
	return &UserType{Username: u.Username, Attributes: u.Attributes, UserCreateDate: Timestamp(u.CreationDate),
		UserLastModifiedDate: Timestamp(u.LastModifiedDate), Enabled: u.Enabled, UserStatus: u.Status}
}

func attr(u *User, name string) (string, bool) {
	for _, a := range u.Attributes {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

func setAttr(attrs []Attribute, name, value string) []Attribute {
	for i := range attrs {
		if attrs[i].Name == name {
			attrs[i].Value = value
			return attrs
		}
	}
	return append(attrs, Attribute{Name: name, Value: value})
}

// signInKey is the key a name is looked up by in pool: the name folded to
// lower case unless the pool is case-sensitive (the API's default).
func signInKey(pool *UserPool, name string) string {
	if cs := pool.Settings.UsernameConfiguration; cs != nil && cs.CaseSensitive != nil && !*cs.CaseSensitive {
		return strings.ToLower(name)
	}
	if slices.Contains(pool.Settings.UsernameAttributes, "email") && strings.Contains(name, "@") {
		return strings.ToLower(name) // email addresses sign in case-insensitively
	}
	return name
}

// newUserIdentity applies the pool's UsernameAttributes to a requested
// username: with email (or phone number) as the username, the user is
// named by their sub and signs in with the address.
func newUserIdentity(pool *UserPool, requested string, attrs []Attribute) (username, key, sub string, out []Attribute, err error) {
	sub = NewUUID()
	out = append([]Attribute{{Name: "sub", Value: sub}}, attrs...)
	ua := pool.Settings.UsernameAttributes
	switch {
	case len(ua) == 0:
		return requested, signInKey(pool, requested), sub, out, nil
	case slices.Contains(ua, "email") && emailPattern.MatchString(requested):
		return sub, strings.ToLower(requested), sub, setAttr(out, "email", requested), nil
	case slices.Contains(ua, "phone_number") && phonePattern.MatchString(requested):
		return sub, requested, sub, setAttr(out, "phone_number", requested), nil
	case slices.Contains(ua, "email"):
		return "", "", "", nil, ErrInvalidParameter.WithMessage(msgUsernameNotEmail)
	default:
		return "", "", "", nil, ErrInvalidParameter.WithMessage(msgUsernameNotPhone)
	}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// subTaken reports whether name is another user's sub: users are also
// found by sub, so a username equal to someone's sub would shadow them.
func (s *Service) subTaken(ctx context.Context, r Reader, poolID, name string) bool {
	if !uuidPattern.MatchString(name) {
		return false
	}
	_, err := r.GetUserBySub(ctx, poolID, name)
	return err == nil
}

// maxUsernameLength is UsernameType's max in the service model: Cognito
// counts it as Java does, in UTF-16 code units (utf16Len).
const maxUsernameLength = 128

// findUser finds a user by sign-in name (username, or the email or phone
// number a pool signs in with) or by sub.
func (s *Service) findUser(ctx context.Context, r Reader, pool *UserPool, name string) (*User, error) {
	// No user has a name longer than the model's UsernameType allows, but
	// AuthParameters and ChallengeResponses carry USERNAME as a map value,
	// which the model bounds only at 131,072 characters: such a name is
	// answered as the unknown name it is, before any lookup. Checked on
	// bytes first, so that a long name costs nothing to refuse.
	if len(name) > maxUsernameLength && (len(name) > 4*maxUsernameLength || utf16Len(name) > maxUsernameLength) {
		return nil, ErrUserNotFound
	}
	u, err := r.GetUser(ctx, pool.ID, signInKey(pool, name))
	if errors.Is(err, ErrNotFound) {
		u, err = r.GetUserBySub(ctx, pool.ID, name)
	}
	if errors.Is(err, ErrNotFound) {
		return nil, ErrUserNotFound
	}
	return u, asError(err)
}

// getUser returns a pool the caller sees and a user of it, as findUser
// finds them.
func (s *Service) getUser(ctx context.Context, r Reader, poolID, name string) (*UserPool, *User, error) {
	pool, err := s.getPool(ctx, r, poolID)
	if err != nil {
		return nil, nil, err
	}
	u, err := s.findUser(ctx, r, pool, name)
	if err != nil {
		return nil, nil, err
	}
	return pool, u, nil
}

func temporaryPasswordDays(pool *UserPool) int {
	if pp := pool.Settings.Policies; pp != nil && pp.PasswordPolicy != nil && pp.PasswordPolicy.TemporaryPasswordValidityDays != nil {
		return int(*pp.PasswordPolicy.TemporaryPasswordValidityDays)
	}
	return 7
}

func passwordPolicy(pool *UserPool) *PasswordPolicy {
	if pool.Settings.Policies == nil {
		return nil
	}
	return pool.Settings.Policies.PasswordPolicy
}

// AdminCreateUser creates a user who must choose a new password at first
// sign-in. No message is sent: a generated temporary password goes to the
// server log, marked as such (unless MessageAction is SUPPRESS).
func (s *Service) AdminCreateUser(ctx context.Context, in *AdminCreateUserInput) (*AdminCreateUserOutput, error) {
	if err := s.validate(ctx, "AdminCreateUser", in); err != nil {
		return nil, err
	}
	pool, err := s.getPool(ctx, s.store, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if in.MessageAction == "RESEND" {
		return s.resendInvitation(ctx, pool, in)
	}
	if err := checkUserAttributes(pool, nil, in.UserAttributes, writeAdminCreate); err != nil {
		return nil, err
	}
	password, generated := "", false
	if in.TemporaryPassword != nil && *in.TemporaryPassword != "" {
		password = *in.TemporaryPassword
		if err := checkPasswordPolicy(passwordPolicy(pool), password, msgPasswordPolicyTemporary); err != nil {
			return nil, err
		}
	} else {
		password, generated = generatePassword(passwordPolicy(pool)), true
	}
	username, key, sub, attrs, err := newUserIdentity(pool, in.Username, in.UserAttributes)
	if err != nil {
		return nil, err
	}
	trigger, err := s.preSignUp(ctx, pool, "", sourcePreSignUpAdminCreate, username, in.UserAttributes, in.ValidationData, in.ClientMetadata) // triggers_signup.go
	if err != nil {
		return nil, err
	}
	secret, err := s.DerivePassword(ctx, pool.ID, username, sub, password)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	u := &User{UserPoolID: pool.ID, Username: username, UsernameKey: key, Sub: sub, Attributes: attrs,
		Status: StatusForceChangePassword, Enabled: true,
		CreationDate: now, LastModifiedDate: now, PasswordExpires: now.AddDate(0, 0, temporaryPasswordDays(pool))}
	if err := secret.Set(u); err != nil {
		return nil, err
	}
	trigger.apply(u, false)
	err = s.updateUncached(ctx, func(tx Tx) error {
		if s.subTaken(ctx, tx, pool.ID, key) {
			return ErrUsernameExists.WithMessage(msgUserExists)
		}
		err := tx.CreateUser(ctx, u)
		if errors.Is(err, ErrAlreadyExists) {
			return ErrUsernameExists.WithMessage(msgUserExists)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if generated && in.MessageAction != "SUPPRESS" {
		s.deliver(ctx, pool, u, Delivery{Kind: DeliverInvitation, Code: password})
	}
	return &AdminCreateUserOutput{User: describeUser(u)}, nil
}

func (s *Service) resendInvitation(ctx context.Context, pool *UserPool, in *AdminCreateUserInput) (*AdminCreateUserOutput, error) {
	password := generatePassword(passwordPolicy(pool))
	// The password is derived for the user found now, outside the
	// transaction (it is slow); Set refuses it if the name has changed
	// hands since.
	found, err := s.findUser(ctx, s.store, pool, in.Username)
	if err != nil {
		return nil, err
	}
	secret, err := s.DerivePassword(ctx, pool.ID, found.Username, found.Sub, password)
	if err != nil {
		return nil, err
	}
	var u *User
	err = s.updateUncached(ctx, func(tx Tx) error {
		var err error
		if u, err = s.findUser(ctx, tx, pool, in.Username); err != nil {
			return err
		}
		if u.Status != StatusForceChangePassword {
			return ErrUnsupportedUserState.WithMessage(msgResendConfirmed)
		}
		if err := secret.Set(u); err != nil {
			return err
		}
		u.LastModifiedDate = s.now().UTC()
		u.PasswordExpires = u.LastModifiedDate.AddDate(0, 0, temporaryPasswordDays(pool))
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	s.deliver(ctx, pool, u, Delivery{Kind: DeliverInvitation, Code: password})
	return &AdminCreateUserOutput{User: describeUser(u)}, nil
}

// changePoolUser runs fn on a user of pool in one transaction; the public
// operations use it, having found the pool through their app client.
func (s *Service) changePoolUser(ctx context.Context, pool *UserPool, username string, fn func(u *User) error) error {
	return s.updateUncached(ctx, func(tx Tx) error {
		u, err := s.findUser(ctx, tx, pool, username)
		if err != nil {
			return err
		}
		if err := fn(u); err != nil {
			return err
		}
		u.LastModifiedDate = s.now().UTC()
		return tx.UpdateUser(ctx, u)
	})
}

// withUser runs fn in one transaction on a user of a pool the caller
// sees.
func (s *Service) withUser(ctx context.Context, poolID, username string, fn func(tx Tx, pool *UserPool, u *User) error) error {
	return s.updateUncached(ctx, func(tx Tx) error {
		pool, u, err := s.getUser(ctx, tx, poolID, username)
		if err != nil {
			return err
		}
		return fn(tx, pool, u)
	})
}

// changeUser runs fn on a pool's user in one transaction and saves the
// user.
func (s *Service) changeUser(ctx context.Context, poolID, username string, fn func(pool *UserPool, u *User) error) error {
	return s.withUser(ctx, poolID, username, func(tx Tx, pool *UserPool, u *User) error {
		if err := fn(pool, u); err != nil {
			return err
		}
		u.LastModifiedDate = s.now().UTC()
		return tx.UpdateUser(ctx, u)
	})
}

// AdminGetUser returns a user.
func (s *Service) AdminGetUser(ctx context.Context, in *AdminUserInput) (*AdminGetUserOutput, error) {
	if err := s.validate(ctx, "AdminGetUser", in); err != nil {
		return nil, err
	}
	_, u, err := s.getUser(ctx, s.store, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	mfa, err := s.mfaSettingsOf(ctx, u)
	if err != nil {
		return nil, err
	}
	return &AdminGetUserOutput{Username: u.Username, UserAttributes: u.Attributes, UserCreateDate: Timestamp(u.CreationDate),
		UserLastModifiedDate: Timestamp(u.LastModifiedDate), Enabled: u.Enabled, UserStatus: u.Status, userMFASettings: mfa}, nil
}

// AdminSetUserPassword sets a user's password, permanent or temporary.
func (s *Service) AdminSetUserPassword(ctx context.Context, in *AdminSetUserPasswordInput) (*Empty, error) {
	if err := s.validate(ctx, "AdminSetUserPassword", in); err != nil {
		return nil, err
	}
	// The user and the policy are checked before the hash, and the hash
	// made before the transaction: it is slow and memory-hard, and the
	// store has one writer. The transaction checks both again.
	pool, found, err := s.getUser(ctx, s.store, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if err := checkPasswordPolicy(passwordPolicy(pool), in.Password, msgPasswordPolicyChange); err != nil {
		return nil, err
	}
	secret, err := s.DerivePassword(ctx, pool.ID, found.Username, found.Sub, in.Password)
	if err != nil {
		return nil, err
	}
	err = s.changeUser(ctx, in.UserPoolId, in.Username, func(pool *UserPool, u *User) error {
		if err := checkPasswordPolicy(passwordPolicy(pool), in.Password, msgPasswordPolicyChange); err != nil {
			return err
		}
		if err := secret.Set(u); err != nil {
			return err
		}
		u.FailedSignIns, u.LockedUntil = 0, time.Time{}
		if in.Permanent {
			u.Status, u.PasswordExpires = StatusConfirmed, time.Time{}
		} else {
			u.Status = StatusForceChangePassword
			u.PasswordExpires = s.now().UTC().AddDate(0, 0, temporaryPasswordDays(pool))
		}
		return nil
	})
	return empty(err)
}

// AdminDeleteUser deletes a user.
func (s *Service) AdminDeleteUser(ctx context.Context, in *AdminUserInput) (*Empty, error) {
	if err := s.validate(ctx, "AdminDeleteUser", in); err != nil {
		return nil, err
	}
	err := s.withUser(ctx, in.UserPoolId, in.Username, func(tx Tx, pool *UserPool, u *User) error {
		return tx.DeleteUser(ctx, pool.ID, u.Sub)
	})
	return empty(err)
}

// AdminDisableUser stops a user from signing in and refreshing tokens.
func (s *Service) AdminDisableUser(ctx context.Context, in *AdminUserInput) (*Empty, error) {
	if err := s.validate(ctx, "AdminDisableUser", in); err != nil {
		return nil, err
	}
	// Disabling a user also revokes their tokens, as in Cognito.
	err := s.withUser(ctx, in.UserPoolId, in.Username, func(tx Tx, _ *UserPool, u *User) error {
		u.Enabled, u.LastModifiedDate = false, s.now().UTC()
		return s.signOut(ctx, tx, u)
	})
	return empty(err)
}

// adminUserChange validates an Admin* request naming one user and applies
// fn to that user in one transaction.
func (s *Service) adminUserChange(ctx context.Context, operation string, in *AdminUserInput, fn func(*UserPool, *User) error) (*Empty, error) {
	if err := Validate(operation, in); err != nil {
		return nil, err
	}
	return empty(s.changeUser(ctx, in.UserPoolId, in.Username, fn))
}

// AdminEnableUser lets a disabled user sign in again.
func (s *Service) AdminEnableUser(ctx context.Context, in *AdminUserInput) (*Empty, error) {
	return s.adminUserChange(ctx, "AdminEnableUser", in, func(_ *UserPool, u *User) error { u.Enabled = true; return nil })
}

// AdminConfirmSignUp confirms a user who signed up, without the code.
func (s *Service) AdminConfirmSignUp(ctx context.Context, in *AdminUserInput) (*Empty, error) {
	var pool *UserPool
	var confirmed *User
	if _, err := s.adminUserChange(ctx, "AdminConfirmSignUp", in, func(p *UserPool, u *User) error {
		if u.Status != StatusUnconfirmed {
			return ErrNotAuthorized.WithMessagef(msgCannotConfirm, u.Status)
		}
		u.Status, u.CodeHash, u.CodeExpires = StatusConfirmed, "", time.Time{}
		pool, confirmed = p, u
		return nil
	}); err != nil {
		return nil, err
	}
	return empty(s.postConfirmation(ctx, pool, "", sourcePostConfirmSignUp, confirmed, nil)) // triggers_signup.go
}

// AdminUpdateUserAttributes sets attributes; a changed email or phone
// number is no longer verified unless the request says so.
func (s *Service) AdminUpdateUserAttributes(ctx context.Context, in *AdminUpdateUserAttributesInput) (*Empty, error) {
	if err := s.validate(ctx, "AdminUpdateUserAttributes", in); err != nil {
		return nil, err
	}
	err := s.changeUser(ctx, in.UserPoolId, in.Username, func(pool *UserPool, u *User) error {
		if err := checkUserAttributes(pool, u, in.UserAttributes, writeUpdate); err != nil {
			return err
		}
		applyAttributes(u, in.UserAttributes)
		// A pool that signs in with email follows the address.
		followSignInAttributes(pool, u, in.UserAttributes)
		return nil
	})
	if errors.Is(err, ErrAlreadyExists) {
		return nil, ErrInvalidParameter.WithMessage(msgAliasExists)
	}
	return empty(err)
}

// ListUsers lists a pool's users, optionally filtered with Cognito's
// filter syntax: `attribute = "value"` or `attribute ^= "prefix"`.
func (s *Service) ListUsers(ctx context.Context, in *ListUsersInput) (*ListUsersOutput, error) {
	if err := s.validate(ctx, "ListUsers", in); err != nil {
		return nil, err
	}
	pool, err := s.getPool(ctx, s.store, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	match, err := parseUserFilter(in.Filter)
	if err != nil {
		return nil, err
	}
	if err := checkAttributesToGet(pool, in.AttributesToGet); err != nil {
		return nil, err
	}
	limit := clampMaxResults(in.Limit, 60)
	// Filtering happens after reading, so a page is filled from as many
	// store pages as it takes; the token resumes after the last user
	// examined.
	var users []*User
	var after int64
	if in.PaginationToken != "" {
		var ok bool
		if after, ok = s.sealer.parsePageToken("users:"+pool.ID, in.PaginationToken); !ok {
			return nil, ErrInvalidParameter.WithMessage(msgInvalidNextToken)
		}
	}
	var next *string
	for len(users) < limit {
		page, err := s.store.ListUsers(ctx, pool.ID, after, 100)
		if err != nil {
			return nil, asError(err)
		}
		for i, u := range page {
			after = u.Seq
			if match(u) {
				users = append(users, u)
				if len(users) == limit {
					if i < len(page)-1 || len(page) == 100 {
						tok := s.sealer.pageToken("users:"+pool.ID, after)
						next = &tok
					}
					break
				}
			}
		}
		if len(page) < 100 {
			break
		}
	}
	out := &ListUsersOutput{Users: make([]UserType, len(users)), PaginationToken: next}
	for i, u := range users {
		ut := describeUser(u)
		ut.Attributes = keepAttributes(ut.Attributes, in.AttributesToGet)
		out.Users[i] = *ut
	}
	return out, nil
}

var filterPattern = regexp.MustCompile(`^\s*([a-z_:]+)\s*(=|\^=)\s*"((?:[^"\\]|\\.)*)"\s*$`)

// filterAttributes are the attributes ListUsers can filter on.
var filterAttributes = []string{"username", "email", "phone_number", "name", "given_name", "family_name",
	"preferred_username", "cognito:user_status", "status", "sub"}

func parseUserFilter(filter string) (func(*User) bool, error) {
	if strings.TrimSpace(filter) == "" {
		return func(*User) bool { return true }, nil
	}
	m := filterPattern.FindStringSubmatch(filter)
	if m == nil || !slices.Contains(filterAttributes, m[1]) {
		return nil, ErrInvalidParameter.WithMessage(msgInvalidFilter)
	}
	name, op, want := m[1], m[2], strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(m[3])
	return func(u *User) bool {
		want := want
		var got string
		switch name {
		case "username":
			got = u.Username
		case "cognito:user_status":
			// Matched case-insensitively, unlike the other attributes.
			got, want = u.Status, strings.ToUpper(want)
		case "status":
			got = "Disabled"
			if u.Enabled {
				got = "Enabled"
			}
		default:
			got, _ = attr(u, name)
		}
		if op == "^=" {
			return strings.HasPrefix(got, want)
		}
		return got == want
	}, nil
}
