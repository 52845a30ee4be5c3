package cognito

import (
	"bytes"
	"context"
	"errors"
	"strconv"
)

// SetUICustomizationInput is SetUICustomizationRequest. ImageFile is the
// logo, base64 on the wire.
type SetUICustomizationInput struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	ClientId   string `json:"ClientId,omitempty"`
	CSS        string `json:"CSS,omitempty"`
	ImageFile  []byte `json:"ImageFile,omitempty"`
}

// GetUICustomizationInput is GetUICustomizationRequest.
type GetUICustomizationInput struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	ClientId   string `json:"ClientId,omitempty"`
}

// UICustomizationType is UICustomizationType.
type UICustomizationType struct {
	UserPoolId       string     `json:"UserPoolId,omitempty"`
	ClientId         string     `json:"ClientId,omitempty"`
	ImageUrl         string     `json:"ImageUrl,omitempty"`
	CSS              string     `json:"CSS,omitempty"`
	CSSVersion       string     `json:"CSSVersion,omitempty"`
	LastModifiedDate *Timestamp `json:"LastModifiedDate,omitempty"`
	CreationDate     *Timestamp `json:"CreationDate,omitempty"`
}

// UICustomizationOutput is SetUICustomizationResponse and
// GetUICustomizationResponse.
type UICustomizationOutput struct {
	UICustomization *UICustomizationType `json:"UICustomization"`
}

// MaxLogoBytes is the largest logo SetUICustomization takes: Cognito's
// 100 KB ("Customizing hosted UI (classic) branding").
const MaxLogoBytes = 100 << 10

// sniffImage returns the media type of a PNG or JPEG image, from its
// first bytes; "" for anything else.
func sniffImage(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	}
	return ""
}

// uiClientID is the stored client ID a request names: the client's, or
// UICustomizationAll for none or "ALL". A named client must be one of
// the pool's.
func (s *Service) uiClientID(ctx context.Context, r Reader, poolID, clientID string) (string, error) {
	if clientID == "" || clientID == UICustomizationAll {
		_, err := s.getPool(ctx, r, poolID)
		return UICustomizationAll, err
	}
	_, err := s.getClient(ctx, r, poolID, clientID)
	return clientID, err
}

// SetUICustomization sets the hosted-UI CSS and logo of an app client,
// or the pool's default (ClientId ALL or none). CSS and logo are set
// together, as in Cognito: a request without a logo removes it.
func (s *Service) SetUICustomization(ctx context.Context, in *SetUICustomizationInput) (*UICustomizationOutput, error) {
	if err := s.validate(ctx, "SetUICustomization", in); err != nil {
		return nil, err
	}
	if _, err := ParseHostedCSS(in.CSS); err != nil {
		return nil, err
	}
	var imageType string
	if len(in.ImageFile) > 0 {
		if len(in.ImageFile) > MaxLogoBytes {
			return nil, ErrInvalidParameter.WithMessagef(msgLogoTooLarge, MaxLogoBytes/1024)
		}
		if imageType = sniffImage(in.ImageFile); imageType == "" {
			return nil, ErrInvalidParameter.WithMessage(msgLogoNotImage)
		}
	}
	var out *UICustomization
	err := s.updateUncached(ctx, func(tx Tx) error {
		clientID, err := s.uiClientID(ctx, tx, in.UserPoolId, in.ClientId)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		c := &UICustomization{UserPoolID: in.UserPoolId, ClientID: clientID, CSS: in.CSS, Image: in.ImageFile, ImageType: imageType,
			CreationDate: now, LastModifiedDate: now}
		if old, err := tx.GetUICustomization(ctx, in.UserPoolId, clientID); err == nil {
			c.CreationDate = old.CreationDate
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		out = c
		return tx.PutUICustomization(ctx, c)
	})
	if err != nil {
		return nil, err
	}
	return &UICustomizationOutput{UICustomization: s.uiCustomizationType(ctx, out)}, nil
}

// GetUICustomization returns the customization that applies to an app
// client (its own, else the pool's default), or the pool's default.
func (s *Service) GetUICustomization(ctx context.Context, in *GetUICustomizationInput) (*UICustomizationOutput, error) {
	if err := s.validate(ctx, "GetUICustomization", in); err != nil {
		return nil, err
	}
	clientID, err := s.uiClientID(ctx, s.store, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	c, err := s.EffectiveUICustomization(ctx, in.UserPoolId, clientID)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return &UICustomizationOutput{UICustomization: &UICustomizationType{UserPoolId: in.UserPoolId, ClientId: clientID}}, nil
	}
	return &UICustomizationOutput{UICustomization: s.uiCustomizationType(ctx, c)}, nil
}

// EffectiveUICustomization is what the hosted pages of a client show:
// the client's own customization, else the pool's default, else nil.
func (s *Service) EffectiveUICustomization(ctx context.Context, poolID, clientID string) (*UICustomization, error) {
	for _, id := range []string{clientID, UICustomizationAll} {
		if id == "" {
			continue
		}
		c, err := s.store.GetUICustomization(ctx, poolID, id)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, asError(err)
		}
		if id == UICustomizationAll {
			break
		}
	}
	return nil, nil
}

// UICustomizationVersion names a customization's content, for cache
// busting in the hosted pages' URLs and as CSSVersion: its last
// modification, in milliseconds (every SetUICustomization sets both CSS
// and logo, and the time).
func UICustomizationVersion(c *UICustomization) string {
	return strconv.FormatInt(c.LastModifiedDate.UnixMilli(), 10)
}

func (s *Service) uiCustomizationType(ctx context.Context, c *UICustomization) *UICustomizationType {
	created, modified := Timestamp(c.CreationDate), Timestamp(c.LastModifiedDate)
	out := &UICustomizationType{UserPoolId: c.UserPoolID, ClientId: c.ClientID, CSS: c.CSS, CSSVersion: UICustomizationVersion(c),
		CreationDate: &created, LastModifiedDate: &modified}
	if len(c.Image) > 0 {
		// The logo is served by the hosted UI (internal/oauth): on the
		// pool's domain host, as Cognito's ImageUrl is a URL of its own.
		if d, err := s.PoolDomain(ctx, c.UserPoolID); err == nil && d != nil {
			out.ImageUrl = "https://" + s.DomainHost(d) + "/_static/logo?client_id=" + c.ClientID + "&v=" + out.CSSVersion
		}
	}
	return out
}
