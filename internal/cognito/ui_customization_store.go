package cognito

import (
	"context"
	"time"
)

// UICustomizationAll is the client ID of a pool's default hosted-UI
// customization, which every app client without its own uses.
const UICustomizationAll = "ALL"

// UICustomization is a pool's or an app client's hosted-UI branding
// (SetUICustomization) as stored: the CSS as the caller sent it (checked
// by ParseHostedCSS on the way in) and the logo image.
type UICustomization struct {
	UserPoolID string
	// ClientID is an app client's ID, or UICustomizationAll.
	ClientID string
	CSS      string
	// Image is the logo, ImageType its media type (image/png or
	// image/jpeg, sniffed from its bytes); both empty when there is none.
	Image            []byte
	ImageType        string
	CreationDate     time.Time
	LastModifiedDate time.Time
}

// UICustomizationReader holds the read of hosted-UI customizations;
// Reader embeds it.
type UICustomizationReader interface {
	// GetUICustomization returns the customization stored for exactly
	// (poolID, clientID), or ErrNotFound.
	GetUICustomization(ctx context.Context, poolID, clientID string) (*UICustomization, error)
}

// UICustomizationWriter holds the writes; Tx embeds it. Deleting a pool
// deletes its customizations.
type UICustomizationWriter interface {
	// PutUICustomization inserts or replaces c (CreationDate is kept from
	// the row it replaces); a missing pool is ErrNotFound.
	PutUICustomization(ctx context.Context, c *UICustomization) error
	// DeleteUICustomization deletes the customization of (poolID,
	// clientID); deleting one that does not exist is not an error.
	DeleteUICustomization(ctx context.Context, poolID, clientID string) error
}
