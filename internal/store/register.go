package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/fold"
	"github.com/smartregions/smartregions/internal/region"
)

// batchRows bounds the rows of one multi-row INSERT, far below SQLite's and
// PostgreSQL's parameter limits.
const batchRows = 400

// ApplyRegister stores a whole register in one transaction: it adds new
// municipalities, updates changed ones, and marks those that the register
// no longer lists as dissolved (historical) instead of deleting them, so
// that data linked to them survives. Applying the same register twice
// changes nothing.
func (db *DB) ApplyRegister(ctx context.Context, d region.RegisterData, onlyIfEmpty bool) (region.ImportReport, bool, error) {
	var (
		rep     region.ImportReport
		applied bool
	)
	err := db.inTx(ctx, func(tx *Tx) error {
		if err := tx.lockRegister(ctx); err != nil {
			return err
		}
		if onlyIfEmpty {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM municipalities`).Scan(&n); err != nil {
				return fmt.Errorf("store: count municipalities: %w", err)
			}
			if n > 0 {
				return nil
			}
		}
		// Not MAX(): SQLite would return the aggregate as text, not time.
		var last time.Time
		err := tx.queryRow(ctx, `SELECT register_date FROM register_imports ORDER BY register_date DESC LIMIT 1`).Scan(&last)
		switch {
		case err == nil && d.Date.Before(last):
			return apperr.New(apperr.Conflict, "register.error.older",
				"Date", d.Date.Format("2006-01-02"), "Last", last.UTC().Format("2006-01-02"))
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("store: last register: %w", err)
		}
		rep, err = tx.applyRegister(ctx, d)
		applied = err == nil
		if err == nil && len(rep.Changed)+len(rep.Dissolved) > 0 {
			// populations decide the size bands of verified use
			err = tx.searchChanged(ctx, "") // search_changes.go
		}
		return err
	})
	if err != nil {
		return region.ImportReport{}, false, err
	}
	return rep, applied, nil
}

func (tx *Tx) applyRegister(ctx context.Context, d region.RegisterData) (region.ImportReport, error) {
	rep := region.ImportReport{ID: uuid.Must(uuid.NewV7()).String(), ImportedAt: tx.now,
		RegisterDate: d.Date, Source: d.Source, SHA256: d.SHA256}
	if err := tx.upsertUnits(ctx, d); err != nil {
		return rep, err
	}
	old, err := tx.currentMunicipalities(ctx)
	if err != nil {
		return rep, err
	}
	var added []region.Municipality
	seen := make(map[string]bool, len(d.Municipalities))
	for _, m := range d.Municipalities {
		seen[m.AGS] = true
		prev, ok := old[m.AGS]
		if !ok {
			added = append(added, m)
			rep.Added = append(rep.Added, region.Change{AGS: m.AGS, Name: m.Name})
			continue
		}
		fields := changedFields(prev, m)
		if len(fields) == 0 {
			rep.Unchanged++
			continue
		}
		if err := tx.updateMunicipality(ctx, m); err != nil {
			return rep, err
		}
		rep.Changed = append(rep.Changed, region.Change{AGS: m.AGS, Name: m.Name, Fields: fields})
	}
	if err := tx.insertMunicipalities(ctx, added); err != nil {
		return rep, err
	}
	for ags, prev := range old {
		if seen[ags] || prev.Dissolved != nil {
			continue
		}
		if _, err := tx.exec(ctx, `UPDATE municipalities SET dissolved_at = ?, updated_at = ? WHERE ags = ?`, d.Date, tx.now, ags); err != nil {
			return rep, fmt.Errorf("store: dissolve municipality %s: %w", ags, err)
		}
		rep.Dissolved = append(rep.Dissolved, region.Change{AGS: ags, Name: prev.Name})
	}
	if _, err := tx.exec(ctx, `UPDATE municipalities SET register_date = ? WHERE dissolved_at IS NULL AND register_date <> ?`, d.Date, d.Date); err != nil {
		return rep, fmt.Errorf("store: register date: %w", err)
	}
	return rep, tx.insertImport(ctx, rep)
}

// upsertUnits writes states, districts and associations, and marks the
// districts and associations that the register no longer lists as dissolved.
func (tx *Tx) upsertUnits(ctx context.Context, d region.RegisterData) error {
	var rows [][]any
	for _, s := range d.States {
		rows = append(rows, []any{s.Key, s.Name, s.Seat, tx.now})
	}
	if err := tx.upsert(ctx, "states", []string{"key", "name", "seat", "updated_at"}, "key", 1, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, di := range d.Districts {
		rows = append(rows, []any{di.Key, di.StateKey, di.Name, di.Seat, di.Type, nil, tx.now})
	}
	if err := tx.upsert(ctx, "districts", []string{"key", "state_key", "name", "seat", "type", "dissolved_at", "updated_at"}, "key", 1, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, a := range d.Associations {
		rows = append(rows, []any{a.DistrictKey, a.Code, a.Name, a.Seat, a.Type, nil, tx.now})
	}
	if err := tx.upsert(ctx, "associations", []string{"district_key", "code", "name", "seat", "type", "dissolved_at", "updated_at"}, "district_key, code", 2, rows); err != nil {
		return err
	}
	// Units the register touched carry this transaction's time or kept
	// their values; the rest are no longer listed.
	present := map[string]bool{}
	for _, di := range d.Districts {
		present[di.Key] = true
	}
	keys, err := tx.strings(ctx, `SELECT key FROM districts WHERE dissolved_at IS NULL`)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if !present[k] {
			if _, err := tx.exec(ctx, `UPDATE districts SET dissolved_at = ?, updated_at = ? WHERE key = ?`, d.Date, tx.now, k); err != nil {
				return fmt.Errorf("store: dissolve district %s: %w", k, err)
			}
		}
	}
	for _, a := range d.Associations {
		present[a.DistrictKey+"/"+a.Code] = true
	}
	keys, err = tx.strings(ctx, `SELECT district_key || '/' || code FROM associations WHERE dissolved_at IS NULL`)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if !present[k] {
			if _, err := tx.exec(ctx, `UPDATE associations SET dissolved_at = ?, updated_at = ? WHERE district_key || '/' || code = ?`, d.Date, tx.now, k); err != nil {
				return fmt.Errorf("store: dissolve association %s: %w", k, err)
			}
		}
	}
	return nil
}

// upsert inserts rows and updates those whose key exists and whose values
// differ (the last column, updated_at, is not compared). keyCols is the
// number of leading key columns.
func (tx *Tx) upsert(ctx context.Context, table string, cols []string, conflict string, keyCols int, rows [][]any) error {
	set, differ := "", ""
	for i, c := range cols[keyCols:] {
		if i > 0 {
			set += ", "
		}
		set += c + " = excluded." + c
		if c == "updated_at" {
			continue
		}
		if differ != "" {
			differ += " OR "
		}
		differ += table + "." + c + " IS DISTINCT FROM excluded." + c
	}
	for start := 0; start < len(rows); start += batchRows {
		batch := rows[start:min(start+batchRows, len(rows))]
		args := make([]any, 0, len(batch)*len(cols))
		for _, r := range batch {
			args = append(args, r...)
		}
		q := fmt.Sprintf(`INSERT INTO %s (%s) VALUES %s ON CONFLICT (%s) DO UPDATE SET %s WHERE %s`,
			table, strings.Join(cols, ", "), placeholders(len(batch), len(cols)), conflict, set, differ)
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("store: upsert %s: %w", table, err)
		}
	}
	return nil
}

func (tx *Tx) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

var municipalityWriteCols = []string{"ags", "name", "name_sort", "name_search", "type", "state_key", "district_key",
	"association_code", "area_ha", "population", "population_male", "postcode", "multiple_postcodes",
	"lat", "lon", "urbanisation", "extra_source", "register_date", "dissolved_at", "updated_at"}

func (tx *Tx) municipalityRow(m region.Municipality) []any {
	var district any
	if m.DistrictKey != "" {
		district = m.DistrictKey
	}
	return []any{m.AGS, m.Name, fold.Key(m.Name), fold.SearchKey(m.Name), m.Type, m.StateKey, district,
		m.AssociationCode, m.AreaHa, m.Population, m.PopulationMale, m.Postcode, m.MultiplePostcode,
		nullFloat(m.Lat), nullFloat(m.Lon), int(m.Urbanisation), m.ExtraSource, m.RegisterDate, nil, tx.now}
}

func (tx *Tx) insertMunicipalities(ctx context.Context, ms []region.Municipality) error {
	cols := strings.Join(municipalityWriteCols, ", ")
	for start := 0; start < len(ms); start += batchRows {
		batch := ms[start:min(start+batchRows, len(ms))]
		args := make([]any, 0, len(batch)*len(municipalityWriteCols))
		for _, m := range batch {
			args = append(args, tx.municipalityRow(m)...)
		}
		q := `INSERT INTO municipalities (` + cols + `) VALUES ` + placeholders(len(batch), len(municipalityWriteCols))
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("store: insert municipalities: %w", err)
		}
	}
	return nil
}

func (tx *Tx) updateMunicipality(ctx context.Context, m region.Municipality) error {
	set := ""
	for i, c := range municipalityWriteCols[1:] {
		if i > 0 {
			set += ", "
		}
		set += c + " = ?"
	}
	row := tx.municipalityRow(m)
	if _, err := tx.exec(ctx, `UPDATE municipalities SET `+set+` WHERE ags = ?`, append(row[1:], m.AGS)...); err != nil {
		return fmt.Errorf("store: update municipality %s: %w", m.AGS, err)
	}
	return nil
}

func (tx *Tx) currentMunicipalities(ctx context.Context) (map[string]region.Municipality, error) {
	rows, err := tx.query(ctx, `SELECT ags, name, type, COALESCE(district_key, ''), association_code, area_ha, population,
		population_male, postcode, multiple_postcodes, lat, lon, urbanisation, extra_source, dissolved_at FROM municipalities`)
	if err != nil {
		return nil, fmt.Errorf("store: read municipalities: %w", err)
	}
	defer rows.Close()
	out := map[string]region.Municipality{}
	for rows.Next() {
		var (
			m         region.Municipality
			lat, lon  sql.NullFloat64
			dissolved nullTime
		)
		if err := rows.Scan(&m.AGS, &m.Name, &m.Type, &m.DistrictKey, &m.AssociationCode, &m.AreaHa, &m.Population,
			&m.PopulationMale, &m.Postcode, &m.MultiplePostcode, &lat, &lon, &m.Urbanisation, &m.ExtraSource, &dissolved); err != nil {
			return nil, fmt.Errorf("store: read municipalities: %w", err)
		}
		if lat.Valid && lon.Valid {
			m.Lat, m.Lon = &lat.Float64, &lon.Float64
		}
		m.Dissolved = dissolved.ptr()
		out[m.AGS] = m
	}
	return out, rows.Err()
}

// changedFields names the fields in which a stored municipality differs
// from the register's.
func changedFields(old, m region.Municipality) []string {
	var f []string
	add := func(changed bool, name string) {
		if changed {
			f = append(f, name)
		}
	}
	add(old.Dissolved != nil, "restored")
	add(old.Name != m.Name, "name")
	add(old.Type != m.Type, "type")
	add(old.DistrictKey != m.DistrictKey, "district")
	add(old.AssociationCode != m.AssociationCode, "association")
	add(old.AreaHa != m.AreaHa, "area")
	add(old.Population != m.Population, "population")
	add(old.PopulationMale != m.PopulationMale, "population_male")
	add(old.Postcode != m.Postcode || old.MultiplePostcode != m.MultiplePostcode, "postcode")
	add(!sameFloat(old.Lat, m.Lat) || !sameFloat(old.Lon, m.Lon), "coordinates")
	add(old.Urbanisation != m.Urbanisation, "urbanisation")
	return f
}

func sameFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

type importDetails struct {
	Added     []region.Change `json:"added"`
	Changed   []region.Change `json:"changed"`
	Dissolved []region.Change `json:"dissolved"`
}

func (tx *Tx) insertImport(ctx context.Context, rep region.ImportReport) error {
	details, err := json.Marshal(importDetails{rep.Added, rep.Changed, rep.Dissolved})
	if err != nil {
		return fmt.Errorf("store: import details: %w", err)
	}
	_, err = tx.exec(ctx, `INSERT INTO register_imports (id, imported_at, register_date, source, sha256, added, changed, dissolved, unchanged, details)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, rep.ID, rep.ImportedAt, rep.RegisterDate, rep.Source, rep.SHA256,
		len(rep.Added), len(rep.Changed), len(rep.Dissolved), rep.Unchanged, string(details))
	if err != nil {
		return fmt.Errorf("store: record import: %w", err)
	}
	return nil
}

// DataVersion returns the id of the newest register import, "" before the first.
func (db *DB) DataVersion(ctx context.Context) (string, error) {
	var id string
	err := db.queryRow(ctx, `SELECT id FROM register_imports ORDER BY imported_at DESC, id DESC LIMIT 1`).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: data version: %w", err)
	}
	return id, nil
}

// LastImport returns the newest register import with its details.
func (db *DB) LastImport(ctx context.Context) (region.ImportReport, error) {
	var (
		rep     region.ImportReport
		n       [4]int
		details string
	)
	err := db.queryRow(ctx, `SELECT id, imported_at, register_date, source, sha256, added, changed, dissolved, unchanged, details
		FROM register_imports ORDER BY imported_at DESC, id DESC LIMIT 1`).Scan(&rep.ID, &rep.ImportedAt, &rep.RegisterDate,
		&rep.Source, &rep.SHA256, &n[0], &n[1], &n[2], &rep.Unchanged, &details)
	if err != nil {
		if apperr.Is(mapError(err), apperr.NotFound) {
			return rep, apperr.Wrap(err, apperr.NotFound, "error.no_import")
		}
		return rep, fmt.Errorf("store: last import: %w", err)
	}
	var det importDetails
	if err := json.Unmarshal([]byte(details), &det); err != nil {
		return rep, fmt.Errorf("store: last import details: %w", err)
	}
	rep.Added, rep.Changed, rep.Dissolved = det.Added, det.Changed, det.Dissolved
	rep.ImportedAt, rep.RegisterDate = rep.ImportedAt.UTC(), rep.RegisterDate.UTC()
	return rep, nil
}
