package postgres

import (
	"context"
	"errors"
	"fmt"
	"github.com/jackc/pgx/v5"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/store/sqlstore"
)

func (r reader) GetUICustomization(ctx context.Context, poolID, clientID string) (*cognito.UICustomization, error) {
	c := cognito.UICustomization{UserPoolID: poolID, ClientID: clientID}
	var created, modified int64
	err := r.q.QueryRowContext(ctx, `SELECT css, image, image_type, created_ms, modified_ms FROM ui_customizations
		WHERE pool_id = ? AND client_id = ?`, poolID, clientID).Scan(&c.CSS, &c.Image, &c.ImageType, &created, &modified)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("UI customization", clientID)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get UI customization: %w", err)
	}
	if len(c.Image) == 0 {
		c.Image = nil
	}
	c.CreationDate, c.LastModifiedDate = sqlstore.FromMS(created), sqlstore.FromMS(modified)
	return &c, nil
}

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
