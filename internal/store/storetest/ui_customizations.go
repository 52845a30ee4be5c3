package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
)

func uiCustomizationCases() []testCase {
	return []testCase{
		{"ui-customizations/put-get-replace-delete", func(t *testing.T, e *env) {
			p := samplePool(t, e)
			_, err := e.s.GetUICustomization(e.ctx, p.ID, cognito.UICustomizationAll)
			wantNotFound(t, "GetUICustomization before any", err)

			at := t0.UTC().Truncate(time.Millisecond)
			all := &cognito.UICustomization{UserPoolID: p.ID, ClientID: cognito.UICustomizationAll, CSS: ".label-customizable { font-weight: 400; }",
				Image: []byte("\x89PNG\r\n\x1a\nlogo\x00bytes"), ImageType: "image/png", CreationDate: at, LastModifiedDate: at}
			client := &cognito.UICustomization{UserPoolID: p.ID, ClientID: "client1", CSS: "", CreationDate: at, LastModifiedDate: at}
			update(t, e, func(tx cognito.Tx) error {
				if err := tx.PutUICustomization(e.ctx, all); err != nil {
					return err
				}
				return tx.PutUICustomization(e.ctx, client)
			})
			got, err := e.s.GetUICustomization(e.ctx, p.ID, cognito.UICustomizationAll)
			wantNoError(t, "GetUICustomization ALL", err)
			wantEqual(t, "GetUICustomization ALL", got, all)
			got, err = e.s.GetUICustomization(e.ctx, p.ID, "client1")
			wantNoError(t, "GetUICustomization client", err)
			wantEqual(t, "GetUICustomization client (no image reads back as nil)", got, client)

			// A put replaces CSS and image (both at once, as Cognito sets
			// them) and keeps the creation date of the row.
			later := at.Add(time.Hour)
			repl := &cognito.UICustomization{UserPoolID: p.ID, ClientID: cognito.UICustomizationAll, CSS: "", CreationDate: later, LastModifiedDate: later}
			update(t, e, func(tx cognito.Tx) error { return tx.PutUICustomization(e.ctx, repl) })
			got, err = e.s.GetUICustomization(e.ctx, p.ID, cognito.UICustomizationAll)
			wantNoError(t, "GetUICustomization after replace", err)
			want := *repl
			want.CreationDate = at
			wantEqual(t, "GetUICustomization after replace", got, &want)

			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUICustomization(e.ctx, p.ID, "client1") })
			_, err = e.s.GetUICustomization(e.ctx, p.ID, "client1")
			wantNotFound(t, "GetUICustomization after delete", err)
			// Deleting one that does not exist is not an error.
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUICustomization(e.ctx, p.ID, "client1") })
			if _, err := e.s.GetUICustomization(e.ctx, p.ID, cognito.UICustomizationAll); err != nil {
				t.Fatalf("deleting a client's customization deleted the pool's: %v", err)
			}
		}},
		{"ui-customizations/missing-pool-and-cascade", func(t *testing.T, e *env) {
			err := e.s.Update(e.ctx, func(tx cognito.Tx) error {
				return tx.PutUICustomization(e.ctx, &cognito.UICustomization{UserPoolID: "us-east-1_nopool", ClientID: cognito.UICustomizationAll, CreationDate: t0, LastModifiedDate: t0})
			})
			if !errors.Is(err, cognito.ErrNotFound) {
				t.Fatalf("PutUICustomization for a missing pool: %v, want ErrNotFound", err)
			}
			p := samplePool(t, e)
			update(t, e, func(tx cognito.Tx) error {
				return tx.PutUICustomization(e.ctx, &cognito.UICustomization{UserPoolID: p.ID, ClientID: cognito.UICustomizationAll, CSS: "x", CreationDate: t0, LastModifiedDate: t0})
			})
			update(t, e, func(tx cognito.Tx) error { return tx.DeleteUserPool(e.ctx, p.ID) })
			_, err = e.s.GetUICustomization(e.ctx, p.ID, cognito.UICustomizationAll)
			wantNotFound(t, "customization of a deleted pool", err)
		}},
	}
}
