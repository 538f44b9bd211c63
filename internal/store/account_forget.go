package store

import (
	"context"
	"fmt"

	"github.com/smartregions/smartregions/internal/account"
)

// forgetAuthorLabels replaces the name or address a deleted user left on
// records that outlive the account — checks before funding, market
// explorations and the reports issued of them — by account.DeletedLabel.
// The records stay (they belong to a funding application or a
// procurement file); files issued before keep what they said then, and
// their recorded hashes stay valid.
func (tx *Tx) forgetAuthorLabels(ctx context.Context, userID string) error {
	for _, q := range []string{
		`UPDATE fund_checks SET author_label = ? WHERE author_id = ?`,
		`UPDATE explorations SET created_label = ? WHERE created_by = ?`,
		`UPDATE exploration_reports SET issued_label = ? WHERE issued_by = ?`,
	} {
		if _, err := tx.exec(ctx, q, account.DeletedLabel, userID); err != nil {
			return fmt.Errorf("store: forget author labels: %w", err)
		}
	}
	return nil
}
