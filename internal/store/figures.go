package store

import (
	"context"
	"fmt"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/region"
)

// figuresSelect aggregates current municipalities per group. Population and
// area count every register record (the inhabited gemeindefreie Gebiete
// too, as the official totals do); the counts are of political
// municipalities only.
const figuresSelect = `SELECT %s,
	SUM(CASE WHEN ` + political + ` THEN 1 ELSE 0 END),
	CAST(SUM(m.population) AS BIGINT), CAST(SUM(m.area_ha) AS BIGINT),
	SUM(CASE WHEN ` + political + ` AND m.population < 5000 THEN 1 ELSE 0 END),
	SUM(CASE WHEN ` + political + ` AND m.population >= 5000 AND m.population < 20000 THEN 1 ELSE 0 END),
	SUM(CASE WHEN ` + political + ` AND m.population >= 20000 AND m.population < 100000 THEN 1 ELSE 0 END),
	SUM(CASE WHEN ` + political + ` AND m.population >= 100000 THEN 1 ELSE 0 END),
	SUM(CASE WHEN ` + political + ` AND m.urbanisation = 1 THEN 1 ELSE 0 END),
	SUM(CASE WHEN ` + political + ` AND m.urbanisation = 2 THEN 1 ELSE 0 END),
	SUM(CASE WHEN ` + political + ` AND m.urbanisation = 3 THEN 1 ELSE 0 END),
	SUM(CASE WHEN ` + political + ` AND m.urbanisation = 0 THEN 1 ELSE 0 END)
	FROM municipalities m WHERE m.dissolved_at IS NULL %s GROUP BY %s`

// figures returns the figures grouped by column col ("m.state_key" or
// "m.district_key"), optionally restricted by an extra condition.
func (db *DB) figures(ctx context.Context, col, cond string, args ...any) (map[string]region.Figures, error) {
	if cond != "" {
		cond = "AND " + cond
	}
	rows, err := db.query(ctx, fmt.Sprintf(figuresSelect, col, cond, col), args...)
	if err != nil {
		return nil, fmt.Errorf("store: figures by %s: %w", col, err)
	}
	defer rows.Close()
	out := map[string]region.Figures{}
	for rows.Next() {
		var (
			key            string
			f              region.Figures
			b1, b2, b3, b4 int64
			u1, u2, u3, u0 int64
		)
		if err := rows.Scan(&key, &f.Municipalities, &f.Population, &f.AreaHa, &b1, &b2, &b3, &b4, &u1, &u2, &u3, &u0); err != nil {
			return nil, fmt.Errorf("store: figures by %s: %w", col, err)
		}
		f.ByBand = map[region.Band]int64{region.BandUnder5k: b1, region.Band5kTo20k: b2, region.Band20kTo100k: b3, region.BandOver100k: b4}
		f.ByUrbanisation = map[region.Urbanisation]int64{region.Urban: u1, region.Intermediate: u2, region.Rural: u3, region.UrbanisationUnknown: u0}
		out[key] = f
	}
	return out, rows.Err()
}

// States returns all states in key order with their figures.
func (db *DB) States(ctx context.Context) ([]region.State, error) {
	figs, err := db.figures(ctx, "m.state_key", "")
	if err != nil {
		return nil, err
	}
	out, err := db.StateNames(ctx)
	for i := range out {
		out[i].Figures = figs[out[i].Key]
	}
	return out, err
}

// StateNames returns all states in key order without figures.
func (db *DB) StateNames(ctx context.Context) ([]region.State, error) {
	rows, err := db.query(ctx, `SELECT key, name, seat FROM states ORDER BY key`)
	if err != nil {
		return nil, fmt.Errorf("store: states: %w", err)
	}
	defer rows.Close()
	var out []region.State
	for rows.Next() {
		var s region.State
		if err := rows.Scan(&s.Key, &s.Name, &s.Seat); err != nil {
			return nil, fmt.Errorf("store: states: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// State returns one state with its figures.
func (db *DB) State(ctx context.Context, key string) (region.State, error) {
	var s region.State
	err := db.queryRow(ctx, `SELECT key, name, seat FROM states WHERE key = ?`, key).Scan(&s.Key, &s.Name, &s.Seat)
	if err != nil {
		if apperr.Is(mapError(err), apperr.NotFound) {
			return s, apperr.Wrap(err, apperr.NotFound, "error.state_not_found", "Key", key)
		}
		return s, fmt.Errorf("store: state %s: %w", key, err)
	}
	figs, err := db.figures(ctx, "m.state_key", "m.state_key = ?", key)
	if err != nil {
		return s, err
	}
	s.Figures = figs[key]
	return s, nil
}

const districtSelect = `SELECT d.key, d.state_key, s.name, d.name, d.seat, d.type, d.dissolved_at
	FROM districts d JOIN states s ON s.key = d.state_key`

func scanDistrict(sc interface{ Scan(...any) error }) (region.District, error) {
	var (
		d         region.District
		dissolved nullTime
	)
	if err := sc.Scan(&d.Key, &d.StateKey, &d.StateName, &d.Name, &d.Seat, &d.Type, &dissolved); err != nil {
		return d, err
	}
	d.Dissolved = dissolved.ptr()
	return d, nil
}

// District returns one district with its figures.
func (db *DB) District(ctx context.Context, key string) (region.District, error) {
	d, err := scanDistrict(db.queryRow(ctx, districtSelect+` WHERE d.key = ?`, key))
	if err != nil {
		if apperr.Is(mapError(err), apperr.NotFound) {
			return d, apperr.Wrap(err, apperr.NotFound, "error.district_not_found", "Key", key)
		}
		return d, fmt.Errorf("store: district %s: %w", key, err)
	}
	figs, err := db.figures(ctx, "m.district_key", "m.district_key = ?", key)
	if err != nil {
		return d, err
	}
	d.Figures = figs[key]
	return d, nil
}

// Districts returns one page of current districts in key order.
func (db *DB) Districts(ctx context.Context, q region.DistrictQuery) (region.DistrictPage, error) {
	var page region.DistrictPage
	where, args := "d.dissolved_at IS NULL", []any{}
	if q.Dissolved {
		where = "d.dissolved_at IS NOT NULL"
	}
	if q.StateKey != "" {
		where += " AND d.state_key = ?"
		args = append(args, q.StateKey)
	}
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM districts d WHERE `+where, args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("store: count districts: %w", err)
	}
	if q.After != "" {
		where += " AND d.key > ?"
		args = append(args, q.After)
	}
	rows, err := db.query(ctx, districtSelect+` WHERE `+where+` ORDER BY d.key LIMIT ?`, append(args, q.Limit+1)...)
	if err != nil {
		return page, fmt.Errorf("store: districts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanDistrict(rows)
		if err != nil {
			return page, fmt.Errorf("store: districts: %w", err)
		}
		page.Items = append(page.Items, d)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("store: districts: %w", err)
	}
	if len(page.Items) > q.Limit {
		page.Items = page.Items[:q.Limit]
		page.Next = page.Items[q.Limit-1].Key
	}
	if len(page.Items) == 0 {
		return page, nil
	}
	cond, cargs := "m.district_key >= ? AND m.district_key <= ?", []any{page.Items[0].Key, page.Items[len(page.Items)-1].Key}
	figs, err := db.figures(ctx, "m.district_key", cond, cargs...)
	if err != nil {
		return page, err
	}
	for i := range page.Items {
		page.Items[i].Figures = figs[page.Items[i].Key]
	}
	return page, nil
}
