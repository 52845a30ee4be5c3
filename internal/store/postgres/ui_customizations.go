package postgres

import (
	"context"
	"fmt"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

func (t *tx) PutUICustomization(ctx context.Context, c *cognito.UICustomization) error {
	image := c.Image
	if image == nil {
		image = []byte{}
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO ui_customizations (pool_id, client_id, css, image, image_type, created_ms, modified_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (pool_id, client_id) DO UPDATE SET css = excluded.css, image = excluded.image, image_type = excluded.image_type,
			modified_ms = excluded.modified_ms`,
		c.UserPoolID, c.ClientID, c.CSS, image, c.ImageType, sqlstore.ToMS(c.CreationDate), sqlstore.ToMS(c.LastModifiedDate))
	if err != nil {
		return writeErr("put UI customization", err)
	}
	return nil
}

func (t *tx) DeleteUICustomization(ctx context.Context, poolID, clientID string) error {
	if _, err := t.q.ExecContext(ctx, `DELETE FROM ui_customizations WHERE pool_id = ? AND client_id = ?`, poolID, clientID); err != nil {
		return fmt.Errorf("postgres: delete UI customization: %w", err)
	}
	return nil
}
