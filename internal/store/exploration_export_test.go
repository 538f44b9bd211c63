package store

import "context"

// TamperSnapshot flips one byte of an exploration's stored snapshot, as
// an attacker with database access would, so that a test can show that
// verification notices.
func (db *DB) TamperSnapshot(ctx context.Context, id string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var s string
		if err := tx.queryRow(ctx, `SELECT snapshot FROM explorations WHERE id = ?`, id).Scan(&s); err != nil {
			return err
		}
		b := []byte(s)
		i := len(b) / 2
		if b[i] == 'a' {
			b[i] = 'b'
		} else {
			b[i] = 'a'
		}
		_, err := tx.exec(ctx, `UPDATE explorations SET snapshot = ? WHERE id = ?`, string(b), id)
		return err
	})
}
