package cognito

import (
	"errors"
	"fmt"
	"slices"
)

// validate checks what is cheap to check before a transaction starts: the
// shapes of IDs as the service model allows them, statuses from their
// sets, references that resolve within the document, and the model's
// length bounds. The store enforces uniqueness again inside the write.
func (d *Deployment) validate() error {
	if !portableTime(d.ExportedAt) {
		return errors.New("ExportedAt is out of range")
	}
	keyIDs := map[string]bool{}
	for i, k := range d.AccessKeys {
		if k.AccessKeyID == "" || len(k.AccessKeyID) > 128 || keyIDs[k.AccessKeyID] {
			return fmt.Errorf("AccessKeys[%d]: missing, overlong or repeated AccessKeyID", i)
		}
		keyIDs[k.AccessKeyID] = true
		if len(k.SealedSecret) == 0 || len(k.SealedSecret) > 1024 || len(k.Name) > 128 || len(k.Policy) > maxPortablePolicy ||
			!portableTime(k.CreationDate) || (k.Root && k.Policy != "") {
			return fmt.Errorf("access key %s: invalid secret, name, policy or date", k.AccessKeyID)
		}
	}
	poolIDs, clientIDs, domains := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i := range d.UserPools {
		p := &d.UserPools[i]
		if !poolIDPattern.MatchString(p.ID) || !ValidRegion(RegionOfPoolID(p.ID)) || poolIDs[p.ID] {
			return fmt.Errorf("UserPools[%d]: invalid or repeated pool ID %q", i, truncate(p.ID))
		}
		poolIDs[p.ID] = true
		if err := p.validate(clientIDs, domains); err != nil {
			return fmt.Errorf("user pool %s: %w", p.ID, err)
		}
	}
	return nil
}

// maxPortablePolicy bounds a key's policy (IAM's own limit is 6,144
// characters without white space; the policy is kept as written).
const maxPortablePolicy = 64 << 10

func (p *PortablePool) validate(clientIDs, domains map[string]bool) error {
	if p.Name == "" || len(p.Name) > 128 || !portableTime(p.CreationDate) || !portableTime(p.LastModifiedDate) {
		return errors.New("invalid name or dates")
	}
	if len(p.Settings.UserPoolTags) > 50 {
		return errors.New("more than 50 tags")
	}
	for k, v := range p.Settings.UserPoolTags {
		if k == "" || len(k) > 128 || len(v) > 256 {
			return errors.New("invalid tag")
		}
	}
	for _, c := range p.AppClients {
		if !clientIDPattern.MatchString(c.ClientID) || clientIDs[c.ClientID] {
			return fmt.Errorf("invalid or repeated client ID %q", truncate(c.ClientID))
		}
		clientIDs[c.ClientID] = true
		if len(c.SealedSecret) > 1024 || !portableTime(c.CreationDate) || !portableTime(c.LastModifiedDate) {
			return fmt.Errorf("app client %s: invalid secret or dates", c.ClientID)
		}
	}
	if err := p.validateUICustomizations(); err != nil {
		return err
	}
	rsIDs := map[string]bool{}
	for _, rs := range p.ResourceServers {
		if rs.Identifier == "" || len(rs.Identifier) > 256 || rsIDs[rs.Identifier] || len(rs.Name) > 256 || len(rs.Scopes) > 100 {
			return fmt.Errorf("invalid or repeated resource server %q", truncate(rs.Identifier))
		}
		rsIDs[rs.Identifier] = true
	}
	if dom := p.Domain; dom != nil {
		key := RegionOfPoolID(p.ID) + " " + dom.Domain
		if dom.Domain == "" || len(dom.Domain) > 63 || domains[key] || !portableTime(dom.CreationDate) ||
			(dom.ManagedLoginVersion != 1 && dom.ManagedLoginVersion != 2) {
			return fmt.Errorf("invalid or repeated domain %q", truncate(dom.Domain))
		}
		domains[key] = true
	}
	kids := map[string]bool{}
	for _, k := range p.SigningKeys {
		if k.KID == "" || len(k.KID) > 128 || kids[k.KID] || len(k.SealedPrivateKey) == 0 || len(k.SealedPrivateKey) > 16<<10 ||
			(k.Status != KeyActive && k.Status != KeyNext && k.Status != KeyRetired) ||
			!portableTime(k.CreationDate) || !portableTime(k.RetiredAt) {
			return fmt.Errorf("invalid or repeated signing key %q", truncate(k.KID))
		}
		kids[k.KID] = true
	}
	subs, keys := map[string]bool{}, map[string]bool{}
	for _, u := range p.Users {
		if u.Sub == "" || len(u.Sub) > 128 || subs[u.Sub] || u.Username == "" || len(u.Username) > 128 ||
			u.UsernameKey == "" || len(u.UsernameKey) > 2048 || keys[u.UsernameKey] {
			return fmt.Errorf("invalid or repeated user %q", truncate(u.Username))
		}
		subs[u.Sub], keys[u.UsernameKey] = true, true
		switch u.Status {
		case StatusUnconfirmed, StatusConfirmed, StatusForceChangePassword, StatusResetRequired:
		default:
			return fmt.Errorf("user %s: unknown status %q", u.Sub, truncate(u.Status))
		}
		if len(u.Attributes) > 100 || len(u.PasswordHash) > 1024 || len(u.SRPVerifier) > 4096 || !portableTime(u.CreationDate) ||
			!portableTime(u.LastModifiedDate) || !portableTime(u.PasswordExpires) || !portableTime(u.SignedOutAt) {
			return fmt.Errorf("user %s: invalid attributes, password or dates", u.Sub)
		}
		for _, a := range u.Attributes {
			if a.Name == "" || len(a.Name) > 32 || len(a.Value) > 2048 {
				return fmt.Errorf("user %s: invalid attribute", u.Sub)
			}
		}
	}
	groups := map[string]bool{}
	for _, g := range p.Groups {
		nk := groupNameKey(g.Name)
		if g.Name == "" || len(g.Name) > 128 || groups[nk] || len(g.Description) > 2048 || len(g.RoleArn) > 2048 ||
			!portableTime(g.CreationDate) || !portableTime(g.LastModifiedDate) {
			return fmt.Errorf("invalid or repeated group %q", truncate(g.Name))
		}
		groups[nk] = true
		members := map[string]bool{}
		for _, sub := range g.Members {
			if !subs[sub] || members[sub] {
				return fmt.Errorf("group %s: member %q is not a user of the pool, or is repeated", g.Name, truncate(sub))
			}
			members[sub] = true
		}
	}
	return nil
}

// truncate keeps an error message about a bad value short.
func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// maxPortableCSS bounds a customization's CSS as SetUICustomization's
// model does (CSSType: at most 131,072 characters).
const maxPortableCSS = 131072

// validateUICustomizations applies SetUICustomization's rules to the
// pool's customizations: the pool's own (ALL) or one of its clients',
// each once; CSS that ParseHostedCSS reads; a PNG or JPEG logo of at most
// MaxLogoBytes whose media type is the one its bytes say.
func (p *PortablePool) validateUICustomizations() error {
	seen := map[string]bool{}
	for _, c := range p.UICustomizations {
		if seen[c.ClientID] || (c.ClientID != UICustomizationAll && !slices.ContainsFunc(p.AppClients, func(a PortableClient) bool { return a.ClientID == c.ClientID })) {
			return fmt.Errorf("UI customization of %q: not the pool's or one of its clients', or repeated", truncate(c.ClientID))
		}
		seen[c.ClientID] = true
		if len(c.CSS) > maxPortableCSS || len(c.Image) > MaxLogoBytes || sniffImage(c.Image) != c.ImageType ||
			!portableTime(c.CreationDate) || !portableTime(c.LastModifiedDate) {
			return fmt.Errorf("UI customization of %s: invalid CSS, logo or dates", c.ClientID)
		}
		if _, err := ParseHostedCSS(c.CSS); err != nil {
			return fmt.Errorf("UI customization of %s: %w", c.ClientID, err)
		}
	}
	return nil
}
