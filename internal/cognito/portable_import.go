package cognito

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"slices"
	"time"
)

// ExportRegions are the regions `cognitod export` lists pools in by
// default: every AWS region with Cognito user pools and the ones a local
// set-up tends to use. The store lists pools one region at a time, so a
// pool in a region not named here is exported only when its region is
// given (--region).
var ExportRegions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2",
	"af-south-1", "ap-east-1", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
	"ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
	"eu-south-1", "eu-south-2", "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "mx-central-1",
	"sa-east-1", "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
}

// ImportSummary counts what an import wrote.
type ImportSummary struct {
	AccessKeys, UserPools, AppClients, ResourceServers, Domains, Groups, Members, Users, SigningKeys int
	// SkippedRootKeys are root keys of the document that the target
	// already holds under the same ID (a root key given by environment).
	SkippedRootKeys []string
}

// ErrNotEmpty is an import into a deployment that already has user pools
// or non-root access keys.
var ErrNotEmpty = errors.New("the target deployment is not empty (it has user pools or non-root access keys): import only into a fresh data directory or database")

// ImportDeployment writes d into st in one transaction. It refuses, before
// writing anything, a document made under another master key (d's
// KeyCheck, then every sealed secret it can open) and a target that has
// user pools or non-root access keys. A root key of the document whose ID
// the target already has is skipped: the target's own stays.
func ImportDeployment(ctx context.Context, st Store, sealer *Sealer, d *Deployment) (*ImportSummary, error) {
	if err := d.CheckKey(sealer); err != nil {
		return nil, err
	}
	if err := d.validate(); err != nil {
		return nil, fmt.Errorf("document is not valid: %w", err)
	}
	var sum *ImportSummary
	err := st.Update(ctx, func(tx Tx) error {
		sum = &ImportSummary{}
		if err := importTx(ctx, tx, d, sum); err != nil {
			return err
		}
		return tx.BumpGeneration(ctx)
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}

func importTx(ctx context.Context, tx Tx, d *Deployment, sum *ImportSummary) error {
	existing, err := tx.ListAccessKeys(ctx)
	if err != nil {
		return err
	}
	roots := map[string]bool{}
	for _, k := range existing {
		if !k.Root {
			return ErrNotEmpty
		}
		roots[k.AccessKeyID] = true
	}
	regions := slices.Clone(ExportRegions)
	for _, p := range d.UserPools {
		if r := RegionOfPoolID(p.ID); !slices.Contains(regions, r) {
			regions = append(regions, r)
		}
	}
	for _, r := range regions {
		if n, err := tx.CountUserPools(ctx, r); err != nil {
			return err
		} else if n > 0 {
			return ErrNotEmpty
		}
	}
	for _, k := range d.AccessKeys {
		if roots[k.AccessKeyID] {
			if !k.Root {
				return fmt.Errorf("access key %s is a root key here and not in the document", k.AccessKeyID)
			}
			sum.SkippedRootKeys = append(sum.SkippedRootKeys, k.AccessKeyID)
			continue
		}
		if err := tx.CreateAccessKey(ctx, &AccessKey{AccessKeyID: k.AccessKeyID, SealedSecret: k.SealedSecret,
			CreationDate: k.CreationDate, Name: k.Name, Root: k.Root, Policy: k.Policy}); err != nil {
			return fmt.Errorf("access key %s: %w", k.AccessKeyID, err)
		}
		sum.AccessKeys++
	}
	for i := range d.UserPools {
		if err := importPool(ctx, tx, &d.UserPools[i], sum); err != nil {
			return fmt.Errorf("user pool %s: %w", d.UserPools[i].ID, err)
		}
	}
	return nil
}

func importPool(ctx context.Context, tx Tx, p *PortablePool, sum *ImportSummary) error {
	if err := tx.CreateUserPool(ctx, &UserPool{ID: p.ID, Name: p.Name, CreationDate: p.CreationDate,
		LastModifiedDate: p.LastModifiedDate, Settings: p.Settings}); err != nil {
		return err
	}
	sum.UserPools++
	for _, c := range p.AppClients {
		if err := tx.CreateAppClient(ctx, &AppClient{UserPoolID: p.ID, ClientID: c.ClientID, SealedSecret: c.SealedSecret,
			CreationDate: c.CreationDate, LastModifiedDate: c.LastModifiedDate, Settings: c.Settings}); err != nil {
			return fmt.Errorf("app client %s: %w", c.ClientID, err)
		}
		sum.AppClients++
	}
	for _, c := range p.UICustomizations {
		if err := tx.PutUICustomization(ctx, &UICustomization{UserPoolID: p.ID, ClientID: c.ClientID, CSS: c.CSS, Image: c.Image,
			ImageType: c.ImageType, CreationDate: c.CreationDate, LastModifiedDate: c.LastModifiedDate}); err != nil {
			return fmt.Errorf("UI customization %s: %w", c.ClientID, err)
		}
	}
	for _, rs := range p.ResourceServers {
		if err := tx.CreateResourceServer(ctx, &ResourceServer{UserPoolID: p.ID, Identifier: rs.Identifier, Name: rs.Name, Scopes: rs.Scopes}); err != nil {
			return fmt.Errorf("resource server %s: %w", rs.Identifier, err)
		}
		sum.ResourceServers++
	}
	if p.Domain != nil {
		if err := tx.CreateDomain(ctx, &Domain{Domain: p.Domain.Domain, UserPoolID: p.ID, CreationDate: p.Domain.CreationDate,
			ManagedLoginVersion: p.Domain.ManagedLoginVersion}); err != nil {
			return fmt.Errorf("domain %s: %w", p.Domain.Domain, err)
		}
		sum.Domains++
	}
	for _, k := range p.SigningKeys {
		if err := tx.CreateSigningKey(ctx, &SigningKey{UserPoolID: p.ID, KID: k.KID, SealedPrivateKey: k.SealedPrivateKey,
			Status: k.Status, CreationDate: k.CreationDate, RetiredAt: k.RetiredAt}); err != nil {
			return fmt.Errorf("signing key %s: %w", k.KID, err)
		}
		sum.SigningKeys++
	}
	for _, u := range p.Users {
		if err := tx.CreateUser(ctx, &User{UserPoolID: p.ID, Username: u.Username, UsernameKey: u.UsernameKey, Sub: u.Sub,
			Attributes: u.Attributes, PasswordHash: u.PasswordHash, SRPVerifier: u.SRPVerifier, Status: u.Status, Enabled: u.Enabled,
			CreationDate: u.CreationDate, LastModifiedDate: u.LastModifiedDate, PasswordExpires: u.PasswordExpires,
			SignedOutAt: u.SignedOutAt}); err != nil {
			return fmt.Errorf("user %s: %w", u.Username, err)
		}
		if m := u.MFA; m != nil {
			if err := tx.PutUserMFA(ctx, &UserMFA{UserPoolID: p.ID, Sub: u.Sub, TOTPSecret: m.TOTPSecret, TOTPLastStep: m.TOTPLastStep,
				TOTPEnabled: m.TOTPEnabled, SMSEnabled: m.SMSEnabled, EmailEnabled: m.EmailEnabled, Preferred: m.Preferred}); err != nil {
				return fmt.Errorf("user %s MFA: %w", u.Username, err)
			}
		}
		sum.Users++
	}
	for _, g := range p.Groups {
		if err := tx.CreateGroup(ctx, &Group{UserPoolID: p.ID, Name: g.Name, NameKey: groupNameKey(g.Name), Description: g.Description,
			RoleArn: g.RoleArn, Precedence: g.Precedence, CreationDate: g.CreationDate, LastModifiedDate: g.LastModifiedDate}); err != nil {
			return fmt.Errorf("group %s: %w", g.Name, err)
		}
		sum.Groups++
		for _, sub := range g.Members {
			if err := tx.AddGroupMember(ctx, p.ID, g.Name, sub); err != nil {
				return fmt.Errorf("group %s member %s: %w", g.Name, sub, err)
			}
			sum.Members++
		}
	}
	return nil
}

// CheckKey refuses a document made under another master key than
// sealer's: its KeyCheck, then every sealed secret it can open.
func (d *Deployment) CheckKey(sealer *Sealer) error {
	if !hmac.Equal([]byte(d.KeyCheck), []byte(sealer.KeyCheck())) {
		return ErrWrongMasterKey
	}
	return d.openSealed(sealer)
}

// openSealed opens every sealed value the domain owns the purpose of, so
// that a document whose KeyCheck was copied from elsewhere, or whose
// secrets were moved between rows, is refused before anything is written.
// (Signing keys are sealed by the token package and checked when used.)
func (d *Deployment) openSealed(s *Sealer) error {
	for _, k := range d.AccessKeys {
		if _, err := s.Open(accessKeyPurpose(k.AccessKeyID), k.SealedSecret); err != nil {
			return fmt.Errorf("access key %s: %w", k.AccessKeyID, ErrWrongMasterKey)
		}
	}
	for _, p := range d.UserPools {
		for _, c := range p.AppClients {
			if len(c.SealedSecret) == 0 {
				continue
			}
			if _, err := s.Open(clientSecretPurpose(c.ClientID), c.SealedSecret); err != nil {
				return fmt.Errorf("app client %s: %w", c.ClientID, ErrWrongMasterKey)
			}
		}
		for _, u := range p.Users {
			if u.MFA != nil && len(u.MFA.TOTPSecret) > 0 {
				if _, err := s.Open(totpPurpose(&User{UserPoolID: p.ID, Sub: u.Sub}), u.MFA.TOTPSecret); err != nil {
					return fmt.Errorf("user %s MFA: %w", u.Sub, ErrWrongMasterKey)
				}
			}
			if len(u.SRPVerifier) == 0 {
				continue
			}
			if _, err := s.Open(srpVerifierPurpose(p.ID, u.Sub), u.SRPVerifier); err != nil {
				return fmt.Errorf("user %s: %w", u.Sub, ErrWrongMasterKey)
			}
		}
	}
	return nil
}

// portableTime bounds dates to what every backend stores (milliseconds
// since 1970 in 64 bits, and the zero time for "none").
func portableTime(t time.Time) bool {
	return t.IsZero() || (t.Year() >= 1970 && t.Year() <= 9999)
}
