package store

import "context"

// PutCentreDoc puts a document into the centre's index in a transaction
// of its own, for tests of documents whose writers live elsewhere.
func (db *DB) PutCentreDoc(ctx context.Context, d CentreDoc) error {
	return db.inTx(ctx, func(tx *Tx) error { return tx.putCentreDoc(ctx, d) })
}

// DeleteCentreDoc takes a document out of the centre's index.
func (db *DB) DeleteCentreDoc(ctx context.Context, kind, id string) error {
	return db.inTx(ctx, func(tx *Tx) error { return tx.deleteCentreDoc(ctx, kind, id) })
}

// ClearCentreIndex empties the centre's index, as a database from before
// the index has it.
func (db *DB) ClearCentreIndex(ctx context.Context) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if tx.db.dialect != Postgres {
			if _, err := tx.exec(ctx, `DELETE FROM centre_fts`); err != nil {
				return err
			}
		}
		_, err := tx.exec(ctx, `DELETE FROM centre_docs`)
		return err
	})
}
