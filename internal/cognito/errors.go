package cognito

import (
	"errors"
	"fmt"
)

// Error is a Cognito exception: Type is the exception name that becomes
// `__type` on the wire, Message the text the client sees. The HTTP status is
// decided once, by the protocol layer, from Type.
type Error struct {
	Type    string
	Message string
	// Cause is logged, never sent to the client.
	Cause error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return e.Type + ": " + e.Message + ": " + e.Cause.Error()
	}
	return e.Type + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Cause }

// Is reports whether target is an *Error of the same Type, so that
// errors.Is(err, ErrResourceNotFound) matches whatever the message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Type == e.Type
}

// WithMessage returns a copy of e carrying msg.
func (e *Error) WithMessage(msg string) *Error {
	c := *e
	c.Message = msg
	return &c
}

// WithMessagef returns a copy of e carrying a formatted message.
func (e *Error) WithMessagef(format string, args ...any) *Error {
	return e.WithMessage(fmt.Sprintf(format, args...))
}

// Exceptions cognitod raises, named after the Cognito exception each becomes.
var (
	ErrInvalidParameter     = &Error{Type: "InvalidParameterException"}
	ErrResourceNotFound     = &Error{Type: "ResourceNotFoundException"}
	ErrLimitExceeded        = &Error{Type: "LimitExceededException"}
	ErrInvalidOAuthFlow     = &Error{Type: "InvalidOAuthFlowException"}
	ErrScopeDoesNotExist    = &Error{Type: "ScopeDoesNotExistException"}
	ErrNotAuthorized        = &Error{Type: "NotAuthorizedException"}
	ErrTooManyRequests      = &Error{Type: "TooManyRequestsException"}
	ErrInternal             = &Error{Type: "InternalErrorException", Message: "Internal error"}
	ErrConcurrentModif      = &Error{Type: "ConcurrentModificationException"}
	ErrUserPoolTagging      = &Error{Type: "UserPoolTaggingException"}
	ErrUnsupportedOperation = &Error{Type: "UnsupportedOperationException"}
	ErrInvalidPassword      = &Error{Type: "InvalidPasswordException"}
	ErrUserNotFound         = &Error{Type: "UserNotFoundException", Message: "User does not exist."}
	ErrUsernameExists       = &Error{Type: "UsernameExistsException"}
	ErrUserNotConfirmed     = &Error{Type: "UserNotConfirmedException", Message: "User is not confirmed."}
	ErrCodeMismatch         = &Error{Type: "CodeMismatchException", Message: "Invalid verification code provided, please try again."}
	ErrExpiredCode          = &Error{Type: "ExpiredCodeException", Message: "Invalid code provided, please request a code again."}
	ErrUnsupportedUserState = &Error{Type: "UnsupportedUserStateException"}
	ErrUnauthorized         = &Error{Type: "UnauthorizedException"}
	ErrUnsupportedTokenType = &Error{Type: "UnsupportedTokenTypeException"}
	// ErrSerialization is the AWS JSON protocol's answer to a body that
	// is not JSON or a member of the wrong type.
	ErrSerialization = &Error{Type: "SerializationException"}
)

// Storage sentinels: backends return these (wrapped or not) and the domain
// turns them into exceptions.
var (
	ErrNotFound      = errors.New("cognito: not found")
	ErrAlreadyExists = errors.New("cognito: already exists")
	// ErrStoreUnavailable marks a failure to reach the storage at all
	// (no connection, a dropped one, a server shutting down, a bound
	// such as a statement or lock timeout hit), as opposed to an answer
	// the storage gave. Backends wrap such errors in it so that the
	// protocol layers can answer "try again" (InternalErrorException,
	// temporarily_unavailable) and caches can keep serving what they
	// hold.
	ErrStoreUnavailable = errors.New("cognito: store unavailable")
)

// asError returns err as a Cognito exception, wrapping anything unexpected
// as InternalErrorException so that no storage detail reaches a client.
func asError(err error) error {
	if err == nil {
		return nil
	}
	var ce *Error
	if errors.As(err, &ce) {
		return err
	}
	return &Error{Type: ErrInternal.Type, Message: ErrInternal.Message, Cause: err}
}
