package cognito

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/cognitod/cognitod/internal/iam"
)

// Access keys as an operator manages them (the CLI's `cognitod keys` and
// the console's Access keys page). Each key has a name, the IAM user name
// AccessDeniedException messages quote, and either the root flag (full
// rights, no policy) or an IAM-style policy; a non-root key without a
// policy is denied everything, as an IAM user without policies is.
//
// Rotation follows AWS practice for IAM users: RotateAccessKey makes a new
// key ID and secret with the same name, policy and root flag, and leaves
// the old key working until it is deleted, so that clients can move over
// without an outage.

// RootKeyName is the name of the root keys cognitod creates.
const RootKeyName = "root"

// MaxAccessKeys bounds how many access keys a store holds.
const MaxAccessKeys = 1000

// keyNamePattern is IAM's user-name pattern and length.
var keyNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

// AccessKeyInfo is an access key without its secret.
type AccessKeyInfo struct {
	AccessKeyID  string
	Name         string
	Root         bool
	Policy       string
	CreationDate time.Time
}

func keyInfo(k *AccessKey) AccessKeyInfo {
	return AccessKeyInfo{AccessKeyID: k.AccessKeyID, Name: k.Name, Root: k.Root, Policy: k.Policy, CreationDate: k.CreationDate}
}

// ParsePolicy parses and validates a policy for an access key: the iam
// package's checks, and every action pattern must name at least one
// cognito-idp operation, so that a misspelt action in a Deny statement is
// an error instead of a Deny that never applies.
func ParsePolicy(text string) (*iam.Policy, error) {
	p, err := iam.Parse(text)
	if err != nil {
		var pe *iam.ParseError
		if errors.As(err, &pe) {
			return nil, ErrMalformedPolicy.WithMessage(pe.Message)
		}
		return nil, ErrMalformedPolicy.WithMessage(err.Error())
	}
	for _, pat := range p.ActionPatterns() {
		if pat == "*" {
			continue
		}
		found := false
		for name := range model.ops {
			if iam.Match(pat, strings.ToLower(name)) {
				found = true
				break
			}
		}
		if !found {
			return nil, ErrMalformedPolicy.WithMessagef(msgPolicyUnknownAction, pat)
		}
	}
	return p, nil
}

// ErrMalformedPolicy is IAM's exception name for a policy it refuses.
var ErrMalformedPolicy = &Error{Type: "MalformedPolicyDocumentException"}

func checkKeyName(name string) error {
	if !keyNamePattern.MatchString(name) {
		return ErrInvalidParameter.WithMessage(msgKeyNameInvalid)
	}
	return nil
}

// CreateAccessKey creates a non-root access key called name with policy
// (JSON text; "" for none, which denies everything) and returns its ID and
// secret. The secret is shown this once: it is stored sealed.
func (s *Service) CreateAccessKey(ctx context.Context, name, policy string) (id, secret string, err error) {
	if err := checkKeyName(name); err != nil {
		return "", "", err
	}
	if name == RootKeyName {
		return "", "", ErrInvalidParameter.WithMessage(msgKeyNameRoot)
	}
	if policy != "" {
		if _, err := ParsePolicy(policy); err != nil {
			return "", "", err
		}
	}
	return s.createKey(ctx, AccessKey{Name: name, Policy: policy})
}

func (s *Service) createKey(ctx context.Context, tmpl AccessKey) (id, secret string, err error) {
	// A new key needs no cache invalidation (absent keys are not cached).
	err = s.updateUncached(ctx, func(tx Tx) error {
		n, err := tx.CountAccessKeys(ctx)
		if err != nil {
			return err
		}
		if n >= MaxAccessKeys {
			return ErrLimitExceeded.WithMessagef(msgTooManyKeys, MaxAccessKeys)
		}
		k := tmpl
		k.AccessKeyID, secret = NewAccessKeyID(), NewSecretAccessKey()
		k.SealedSecret = s.sealer.Seal(accessKeyPurpose(k.AccessKeyID), []byte(secret))
		k.CreationDate = s.now().UTC()
		id = k.AccessKeyID
		return tx.CreateAccessKey(ctx, &k)
	})
	if err != nil {
		return "", "", err
	}
	return id, secret, nil
}

// ListAccessKeys returns every access key, oldest first, without secrets.
func (s *Service) ListAccessKeys(ctx context.Context) ([]AccessKeyInfo, error) {
	ks, err := s.store.ListAccessKeys(ctx)
	if err != nil {
		return nil, asError(err)
	}
	out := make([]AccessKeyInfo, 0, len(ks))
	for _, k := range ks {
		out = append(out, keyInfo(k))
	}
	return out, nil
}

// GetAccessKey returns one access key without its secret.
func (s *Service) GetAccessKey(ctx context.Context, id string) (AccessKeyInfo, error) {
	k, err := s.store.GetAccessKey(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return AccessKeyInfo{}, ErrResourceNotFound.WithMessagef(msgKeyNotFound, truncateForMessage(id))
	}
	if err != nil {
		return AccessKeyInfo{}, asError(err)
	}
	return keyInfo(k), nil
}

func truncateForMessage(s string) string {
	if len(s) > 128 {
		return strings.ToValidUTF8(s[:128], "") + "..."
	}
	return s
}

func getKeyTx(ctx context.Context, tx Tx, id string) (*AccessKey, error) {
	k, err := tx.GetAccessKey(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrResourceNotFound.WithMessagef(msgKeyNotFound, truncateForMessage(id))
	}
	return k, err
}

// DeleteAccessKey deletes a key. The last root key cannot be deleted:
// without it nobody could manage the keys.
func (s *Service) DeleteAccessKey(ctx context.Context, id string) error {
	return s.update(ctx, func(tx Tx) error {
		k, err := getKeyTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if k.Root {
			ks, err := tx.ListAccessKeys(ctx)
			if err != nil {
				return err
			}
			roots := 0
			for _, o := range ks {
				if o.Root {
					roots++
				}
			}
			if roots <= 1 {
				return ErrInvalidParameter.WithMessage(msgLastRootKey)
			}
		}
		return tx.DeleteAccessKey(ctx, id)
	})
}

// RotateAccessKey makes a new key with the old one's name, policy and
// root flag and returns its ID and secret; the old key keeps working until
// DeleteAccessKey removes it.
func (s *Service) RotateAccessKey(ctx context.Context, id string) (newID, secret string, err error) {
	k, err := s.store.GetAccessKey(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return "", "", ErrResourceNotFound.WithMessagef(msgKeyNotFound, truncateForMessage(id))
	}
	if err != nil {
		return "", "", asError(err)
	}
	return s.createKey(ctx, AccessKey{Name: k.Name, Root: k.Root, Policy: k.Policy})
}

// SetAccessKeyPolicy replaces a non-root key's policy ("" removes it,
// which denies the key everything). It takes effect on the key's next
// request.
func (s *Service) SetAccessKeyPolicy(ctx context.Context, id, policy string) error {
	if policy != "" {
		if _, err := ParsePolicy(policy); err != nil {
			return err
		}
	}
	return s.update(ctx, func(tx Tx) error {
		k, err := getKeyTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if k.Root {
			return ErrInvalidParameter.WithMessage(msgRootKeyPolicy)
		}
		k.Policy = policy
		return tx.UpdateAccessKey(ctx, k)
	})
}

// PolicySummary describes a key's rights in a few words, for listings:
// "full rights (root)", "none: denied everything", or its statements
// ("Allow cognito-idp:Describe*,cognito-idp:List* on arn:...; Deny ...").
func PolicySummary(k AccessKeyInfo) string {
	if k.Root {
		return "full rights (root)"
	}
	if k.Policy == "" {
		return "none: denied everything"
	}
	p, err := iam.Parse(k.Policy)
	if err != nil {
		return "unreadable policy: denied everything"
	}
	var parts []string
	for _, st := range p.Statements {
		eff := "Allow"
		if st.Effect == iam.Deny {
			eff = "Deny"
		}
		act, res := "", ""
		if st.NotAction {
			act = "all but "
		}
		if st.NotResource {
			res = "all but "
		}
		s := eff + " " + act + strings.Join(st.ActionText, ",") + " on " + res + strings.Join(st.Resources, ",")
		if len(st.Conditions) > 0 {
			s += " (with conditions)"
		}
		parts = append(parts, s)
	}
	out := strings.Join(parts, "; ")
	if len(out) > 160 {
		out = out[:157] + "..."
	}
	return out
}
