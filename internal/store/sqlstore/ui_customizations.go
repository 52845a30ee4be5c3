package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/cognitod/cognitod/internal/cognito"
)

func (r Reader) GetUICustomization(ctx context.Context, poolID, clientID string) (*cognito.UICustomization, error) {
	c := cognito.UICustomization{UserPoolID: poolID, ClientID: clientID}
	var created, modified int64
	err := r.Q.QueryRow(ctx, `SELECT css, image, image_type, created_ms, modified_ms FROM ui_customizations
		WHERE pool_id = ? AND client_id = ?`, poolID, clientID).Scan(&c.CSS, &c.Image, &c.ImageType, &created, &modified)
	if errors.Is(err, r.NoRows) {
		return nil, r.notFound("UI customization", clientID)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: get UI customization: %w", r.Name, err)
	}
	if len(c.Image) == 0 {
		c.Image = nil
	}
	c.CreationDate, c.LastModifiedDate = fromMS(created), fromMS(modified)
	return &c, nil
}
