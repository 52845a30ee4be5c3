package cognito

import (
	"context"
	"errors"
	"sort"
)

// The user migration trigger's sources (developer guide, "Migrate user
// Lambda trigger").
const (
	triggerUserMigration  = "UserMigration"
	sourceMigrationSignIn = "UserMigration_Authentication"
	sourceMigrationForgot = "UserMigration_ForgotPassword"
)

// migrationRequest is the request of a user migration event; password
// only when the user signs in.
type migrationRequest struct {
	Password       string            `json:"password,omitempty"`
	ValidationData map[string]string `json:"validationData"`
	ClientMetadata map[string]string `json:"clientMetadata"`
}

// migrationResponse is what the function says of the user it found
// elsewhere: "userAttributes ... finalUserStatus: CONFIRMED or
// RESET_REQUIRED ... messageAction: SUPPRESS ... desiredDeliveryMediums ...
// forceAliasCreation" (developer guide).
type migrationResponse struct {
	UserAttributes         map[string]string `json:"userAttributes"`
	FinalUserStatus        string            `json:"finalUserStatus"`
	MessageAction          string            `json:"messageAction"`
	DesiredDeliveryMediums []string          `json:"desiredDeliveryMediums"`
	ForceAliasCreation     bool              `json:"forceAliasCreation"`
}

// migrateUser asks the pool's user migration function about a name that
// has no user, and creates the user it describes. password is the one the
// user signs in with ("" for a forgotten password, where the user must
// reset it). It returns ErrUserNotFound when the pool has no migration
// function, or the function does not know the user (it answered with an
// error or without attributes): the caller's own not-found path follows,
// so a migration cannot tell names apart either.
func (s *Service) migrateUser(ctx context.Context, pool *UserPool, client *AppClient, name, password string, meta map[string]string) (*User, error) {
	arn := triggerARN(pool, triggerUserMigration)
	if arn == "" || name == "" {
		return nil, ErrUserNotFound
	}
	source := sourceMigrationSignIn
	if password == "" {
		source = sourceMigrationForgot
	}
	ev := &triggerEvent{TriggerSource: source, UserPoolID: pool.ID, UserName: name,
		CallerContext: callerContext{ClientID: client.ClientID},
		Request:       migrationRequest{Password: password, ValidationData: map[string]string{}, ClientMetadata: nonNil(meta)},
		// Nothing decided yet: every member null, as Cognito sends it.
		Response: map[string]any{"userAttributes": nil, "finalUserStatus": nil, "messageAction": nil,
			"desiredDeliveryMediums": nil, "forceAliasCreation": nil, "enableSMSMFA": nil}}
	var r migrationResponse
	err := s.invokeTrigger(ctx, triggerUserMigration, arn, ev, &r)
	if errors.Is(err, ErrUserLambdaValidation) || err == nil && len(r.UserAttributes) == 0 {
		return nil, ErrUserNotFound
	}
	if err != nil {
		return nil, err
	}
	status := StatusConfirmed
	switch {
	case password == "" || r.FinalUserStatus == string(StatusResetRequired):
		// "If you set it to RESET_REQUIRED, the user must change his or
		// her password": always so when the password is not known.
		status = StatusResetRequired
	case r.FinalUserStatus != "" && r.FinalUserStatus != string(StatusConfirmed):
		return nil, ErrInvalidLambdaResp
	}
	attrs := make([]Attribute, 0, len(r.UserAttributes))
	for k, v := range r.UserAttributes {
		if k != "sub" && k != "cognito:user_status" && k != "cognito:username" {
			attrs = append(attrs, Attribute{Name: k, Value: v})
		}
	}
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].Name < attrs[j].Name })
	if err := checkUserAttributes(pool, nil, attrs, writeAdminCreate); err != nil {
		return nil, err
	}
	username, key, sub, all, err := newUserIdentity(pool, name, attrs)
	if err != nil {
		return nil, err
	}
	if password == "" {
		password = generatePassword(passwordPolicy(pool)) // never told anyone: the user resets it
	}
	secret, err := s.DerivePassword(ctx, pool.ID, username, sub, password)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	u := &User{UserPoolID: pool.ID, Username: username, UsernameKey: key, Sub: sub, Attributes: all,
		Status: status, Enabled: true, CreationDate: now, LastModifiedDate: now}
	if err := secret.Set(u); err != nil {
		return nil, err
	}
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
	s.logger.InfoContext(ctx, "user migrated by the pool's user migration trigger", "pool", pool.ID, "source", source)
	return u, nil
}
