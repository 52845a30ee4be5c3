package cognito

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// A Deployment is the portable document of a whole deployment, written by
// `cognitod export` and read by `cognitod import`: every access key, user
// pool (settings and tags), app client, resource server and its scopes,
// domain, group and its members, user, and signing key, with their IDs
// exactly as stored, so a deployment moves between backends (SQLite,
// PostgreSQL) and a team can seed CI from a file with pinned IDs.
//
// Secrets stay sealed as stored (access-key and client secrets, signing
// keys, SRP verifiers) and password hashes stay hashes: the document is
// sensitive, and its sealed values open only under the master key it was
// made with. KeyCheck proves which key that was without revealing it, and
// import refuses a document whose KeyCheck does not match before it writes
// anything.
//
// Transient state is not exported: refresh tokens, authorization codes,
// pending confirmation and verification codes, sign-in failure counters
// and lockouts, console and hosted-login sessions. After a move users sign
// in again; access and ID tokens issued before it keep verifying, since the
// signing keys move with their kids.
type Deployment struct {
	// Format is always PortableFormat; Version is PortableVersion.
	Format     string
	Version    int
	ExportedAt time.Time
	// KeyCheck is an HMAC, under a key derived from the master key for
	// this purpose only, of a fixed string (base64).
	KeyCheck   string
	AccessKeys []PortableAccessKey
	UserPools  []PortablePool
}

// PortableFormat and PortableVersion name the document's format; a reader
// refuses any other version rather than guess.
const (
	PortableFormat  = "cognitod-deployment"
	PortableVersion = 1
)

// MaxPortableDocument bounds a document before it is decoded.
const MaxPortableDocument = 1 << 30

// PortableAccessKey is an access key as stored.
type PortableAccessKey struct {
	AccessKeyID  string
	SealedSecret []byte
	CreationDate time.Time
	Name         string
	Root         bool
	Policy       string
}

// PortablePool is a user pool and everything under it.
type PortablePool struct {
	ID               string
	Name             string
	CreationDate     time.Time
	LastModifiedDate time.Time
	Settings         PoolSettings
	AppClients       []PortableClient
	ResourceServers  []PortableResourceServer
	Domain           *PortableDomain `json:",omitempty"`
	Groups           []PortableGroup
	Users            []PortableUser
	SigningKeys      []PortableSigningKey
	// UICustomizations are the hosted-UI branding (SetUICustomization)
	// of the pool (ClientID ALL) and of its app clients.
	UICustomizations []PortableUICustomization `json:",omitempty"`
}

// PortableUICustomization is a UICustomization as stored: the CSS as the
// caller sent it, the logo and its sniffed media type.
type PortableUICustomization struct {
	ClientID         string
	CSS              string `json:",omitempty"`
	Image            []byte `json:",omitempty"`
	ImageType        string `json:",omitempty"`
	CreationDate     time.Time
	LastModifiedDate time.Time
}

// PortableClient is an app client; its secret stays sealed.
type PortableClient struct {
	ClientID         string
	SealedSecret     []byte `json:",omitempty"`
	CreationDate     time.Time
	LastModifiedDate time.Time
	Settings         ClientSettings
}

// PortableResourceServer is a resource server and its scopes.
type PortableResourceServer struct {
	Identifier string
	Name       string
	Scopes     []ResourceServerScope
}

// PortableDomain is a pool's prefix domain.
type PortableDomain struct {
	Domain              string
	CreationDate        time.Time
	ManagedLoginVersion int32
}

// PortableGroup is a group and the subs of its members.
type PortableGroup struct {
	Name             string
	Description      string
	RoleArn          string
	Precedence       *int32 `json:",omitempty"`
	CreationDate     time.Time
	LastModifiedDate time.Time
	Members          []string
}

// PortableUser is a user's lasting state: no pending codes, no failure
// counters.
type PortableUser struct {
	Username         string
	UsernameKey      string
	Sub              string
	Attributes       []Attribute
	PasswordHash     string
	SRPVerifier      []byte `json:",omitempty"`
	Status           string
	Enabled          bool
	CreationDate     time.Time
	LastModifiedDate time.Time
	PasswordExpires  time.Time
	SignedOutAt      time.Time
	// MFA is the user's lasting MFA state (a pending, unverified secret
	// is not): without it, a user of a pool that requires MFA would be
	// asked to set up a new token after a move, by whoever knows the
	// password.
	MFA *PortableMFA `json:",omitempty"`
}

// PortableMFA is UserMFA without its pending secret; the verified secret
// stays sealed (bound to the pool and sub, which move unchanged).
type PortableMFA struct {
	TOTPSecret   []byte `json:",omitempty"`
	TOTPLastStep int64  `json:",omitempty"`
	TOTPEnabled  bool   `json:",omitempty"`
	SMSEnabled   bool   `json:",omitempty"`
	EmailEnabled bool   `json:",omitempty"`
	Preferred    string `json:",omitempty"`
}

// PortableSigningKey is a signing key, sealed, with its kid and state, so
// tokens keep verifying after a move.
type PortableSigningKey struct {
	KID              string
	SealedPrivateKey []byte
	Status           string
	CreationDate     time.Time
	RetiredAt        time.Time
}

// KeyCheck is the check value of the sealer's master key.
func (s *Sealer) KeyCheck() string {
	m := hmac.New(sha256.New, s.MACKey("cognitod export key check v1"))
	m.Write([]byte("cognitod-deployment key check"))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// ErrWrongMasterKey is the import of a document made under another master
// key.
var ErrWrongMasterKey = errors.New("the document was exported under a different master key: its sealed secrets would not open here (set COGNITOD_MASTER_KEY, or copy master.key, from the source deployment)")

// DecodeDeployment reads a document strictly: at most MaxPortableDocument
// bytes, one JSON value, no unknown members, and the format and version
// this build writes.
func DecodeDeployment(r io.Reader) (*Deployment, error) {
	return decodeDeployment(r, MaxPortableDocument)
}

func decodeDeployment(r io.Reader, max int64) (*Deployment, error) {
	lr := &io.LimitedReader{R: r, N: max + 1}
	dec := json.NewDecoder(lr)
	dec.DisallowUnknownFields()
	var d Deployment
	if err := dec.Decode(&d); err != nil {
		if lr.N <= 0 {
			return nil, fmt.Errorf("document is larger than %d bytes", max)
		}
		return nil, fmt.Errorf("document is not valid: %w", err)
	}
	_, err := dec.Token()
	if lr.N <= 0 {
		return nil, fmt.Errorf("document is larger than %d bytes", max)
	}
	if err != io.EOF {
		return nil, errors.New("document is not valid: data after the JSON document")
	}
	if d.Format != PortableFormat {
		return nil, fmt.Errorf("document is not valid: Format is %q, want %q", d.Format, PortableFormat)
	}
	if d.Version != PortableVersion {
		return nil, fmt.Errorf("document is version %d; this cognitod reads version %d", d.Version, PortableVersion)
	}
	if err := d.validate(); err != nil {
		return nil, fmt.Errorf("document is not valid: %w", err)
	}
	return &d, nil
}

// EncodeDeployment writes d as indented JSON.
func EncodeDeployment(w io.Writer, d *Deployment) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// exportPage is how many rows one listing call returns.
const exportPage = 500

// ExportDeployment reads the whole deployment from r, the pools of the
// given regions (the store lists pools by region; see ExportRegions).
func ExportDeployment(ctx context.Context, r Reader, sealer *Sealer, regions []string, now time.Time) (*Deployment, error) {
	d := &Deployment{Format: PortableFormat, Version: PortableVersion, ExportedAt: now.UTC(), KeyCheck: sealer.KeyCheck(),
		AccessKeys: []PortableAccessKey{}, UserPools: []PortablePool{}}
	keys, err := r.ListAccessKeys(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		d.AccessKeys = append(d.AccessKeys, PortableAccessKey{AccessKeyID: k.AccessKeyID, SealedSecret: k.SealedSecret,
			CreationDate: k.CreationDate, Name: k.Name, Root: k.Root, Policy: k.Policy})
	}
	for _, region := range regions {
		if err := pages(func(after int64) (int64, int, error) {
			pools, err := r.ListUserPools(ctx, region, after, exportPage)
			for _, p := range pools {
				pp, err := exportPool(ctx, r, p)
				if err != nil {
					return 0, 0, err
				}
				d.UserPools = append(d.UserPools, *pp)
				after = p.Seq
			}
			return after, len(pools), err
		}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// pages calls list with the last Seq seen until a page comes back short.
func pages(list func(after int64) (last int64, n int, err error)) error {
	var after int64
	for {
		last, n, err := list(after)
		if err != nil {
			return err
		}
		if n < exportPage {
			return nil
		}
		after = last
	}
}

func exportPool(ctx context.Context, r Reader, p *UserPool) (*PortablePool, error) {
	pp := &PortablePool{ID: p.ID, Name: p.Name, CreationDate: p.CreationDate, LastModifiedDate: p.LastModifiedDate, Settings: p.Settings,
		AppClients: []PortableClient{}, ResourceServers: []PortableResourceServer{}, Groups: []PortableGroup{}, Users: []PortableUser{}, SigningKeys: []PortableSigningKey{}}
	err := pages(func(after int64) (int64, int, error) {
		cs, err := r.ListAppClients(ctx, p.ID, after, exportPage)
		for _, c := range cs {
			pp.AppClients = append(pp.AppClients, PortableClient{ClientID: c.ClientID, SealedSecret: c.SealedSecret,
				CreationDate: c.CreationDate, LastModifiedDate: c.LastModifiedDate, Settings: c.Settings})
			after = c.Seq
		}
		return after, len(cs), err
	})
	if err == nil {
		err = pages(func(after int64) (int64, int, error) {
			rss, err := r.ListResourceServers(ctx, p.ID, after, exportPage)
			for _, rs := range rss {
				pp.ResourceServers = append(pp.ResourceServers, PortableResourceServer{Identifier: rs.Identifier, Name: rs.Name, Scopes: rs.Scopes})
				after = rs.Seq
			}
			return after, len(rss), err
		})
	}
	if err == nil {
		var dom *Domain
		dom, err = r.GetDomainByPool(ctx, p.ID)
		if err == nil {
			pp.Domain = &PortableDomain{Domain: dom.Domain, CreationDate: dom.CreationDate, ManagedLoginVersion: dom.ManagedLoginVersion}
		} else if errors.Is(err, ErrNotFound) {
			err = nil
		}
	}
	if err == nil {
		err = pages(func(after int64) (int64, int, error) {
			gs, err := r.ListGroups(ctx, p.ID, after, exportPage)
			for _, g := range gs {
				pg := PortableGroup{Name: g.Name, Description: g.Description, RoleArn: g.RoleArn, Precedence: g.Precedence,
					CreationDate: g.CreationDate, LastModifiedDate: g.LastModifiedDate, Members: []string{}}
				if err := pages(func(after int64) (int64, int, error) {
					us, err := r.ListGroupMembers(ctx, p.ID, g.Name, after, exportPage)
					for _, u := range us {
						pg.Members = append(pg.Members, u.Sub)
						after = u.Seq
					}
					return after, len(us), err
				}); err != nil {
					return 0, 0, err
				}
				pp.Groups = append(pp.Groups, pg)
				after = g.Seq
			}
			return after, len(gs), err
		})
	}
	if err == nil {
		err = pages(func(after int64) (int64, int, error) {
			us, err := r.ListUsers(ctx, p.ID, after, exportPage)
			for _, u := range us {
				pu := PortableUser{Username: u.Username, UsernameKey: u.UsernameKey, Sub: u.Sub,
					Attributes: u.Attributes, PasswordHash: u.PasswordHash, SRPVerifier: u.SRPVerifier, Status: u.Status,
					Enabled: u.Enabled, CreationDate: u.CreationDate, LastModifiedDate: u.LastModifiedDate,
					PasswordExpires: u.PasswordExpires, SignedOutAt: u.SignedOutAt}
				m, mErr := r.GetUserMFA(ctx, p.ID, u.Sub)
				switch {
				case mErr == nil && (len(m.TOTPSecret) > 0 || m.SMSEnabled || m.EmailEnabled):
					pu.MFA = &PortableMFA{TOTPSecret: m.TOTPSecret, TOTPLastStep: m.TOTPLastStep, TOTPEnabled: m.TOTPEnabled,
						SMSEnabled: m.SMSEnabled, EmailEnabled: m.EmailEnabled, Preferred: m.Preferred}
				case mErr != nil && !errors.Is(mErr, ErrNotFound):
					return after, len(us), mErr
				}
				pp.Users = append(pp.Users, pu)
				after = u.Seq
			}
			return after, len(us), err
		})
	}
	if err == nil {
		err = exportUICustomizations(ctx, r, pp)
	}
	if err != nil {
		return nil, fmt.Errorf("export pool %s: %w", p.ID, err)
	}
	sks, err := r.ListSigningKeys(ctx, p.ID)
	if err != nil {
		return nil, fmt.Errorf("export pool %s: %w", p.ID, err)
	}
	for _, k := range sks {
		pp.SigningKeys = append(pp.SigningKeys, PortableSigningKey{KID: k.KID, SealedPrivateKey: k.SealedPrivateKey,
			Status: k.Status, CreationDate: k.CreationDate, RetiredAt: k.RetiredAt})
	}
	return pp, nil
}

// exportUICustomizations adds the pool's and each app client's hosted-UI
// customization to pp (whose AppClients are read).
func exportUICustomizations(ctx context.Context, r Reader, pp *PortablePool) error {
	ids := []string{UICustomizationAll}
	for _, c := range pp.AppClients {
		ids = append(ids, c.ClientID)
	}
	for _, id := range ids {
		c, err := r.GetUICustomization(ctx, pp.ID, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		pp.UICustomizations = append(pp.UICustomizations, PortableUICustomization{ClientID: id, CSS: c.CSS, Image: c.Image,
			ImageType: c.ImageType, CreationDate: c.CreationDate, LastModifiedDate: c.LastModifiedDate})
	}
	return nil
}
