package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/fold"
	"github.com/smartregions/smartregions/internal/region"
)

const municipalityColumns = `m.ags, m.name, m.type, m.state_key, s.name, COALESCE(m.district_key, ''), COALESCE(d.name, ''),
	m.association_code, COALESCE(a.name, ''), COALESCE(a.type, 0), m.area_ha, m.population,
	m.population_male, m.postcode, m.multiple_postcodes, m.lat, m.lon, m.urbanisation,
	m.extra_source, m.register_date, m.dissolved_at`

const municipalityFrom = ` FROM municipalities m
	JOIN states s ON s.key = m.state_key
	LEFT JOIN districts d ON d.key = m.district_key
	LEFT JOIN associations a ON a.district_key = SUBSTR(m.ags, 1, 5) AND a.code = m.association_code`

// political excludes the gemeindefreie Gebiete (Textkennzeichen 65, 66).
const political = `m.type NOT IN (65, 66)`

// scanMunicipality reads the municipalityColumns and then extra columns.
func scanMunicipality(sc interface{ Scan(...any) error }, extra ...any) (region.Municipality, error) {
	var (
		m         region.Municipality
		lat, lon  sql.NullFloat64
		dissolved nullTime
	)
	dest := append([]any{&m.AGS, &m.Name, &m.Type, &m.StateKey, &m.StateName, &m.DistrictKey, &m.DistrictName,
		&m.AssociationCode, &m.AssociationName, &m.AssociationType, &m.AreaHa, &m.Population,
		&m.PopulationMale, &m.Postcode, &m.MultiplePostcode, &lat, &lon, &m.Urbanisation,
		&m.ExtraSource, &m.RegisterDate, &dissolved}, extra...)
	err := sc.Scan(dest...)
	if err != nil {
		return m, err
	}
	if lat.Valid && lon.Valid {
		m.Lat, m.Lon = &lat.Float64, &lon.Float64
	}
	m.Dissolved = dissolved.ptr()
	m.RegisterDate = m.RegisterDate.UTC()
	return m, nil
}

// Municipality returns one municipality by AGS.
func (db *DB) Municipality(ctx context.Context, ags string) (region.Municipality, error) {
	row := db.queryRow(ctx, `SELECT `+municipalityColumns+municipalityFrom+` WHERE m.ags = ?`, ags)
	m, err := scanMunicipality(row)
	if err != nil {
		if apperr.Is(mapError(err), apperr.NotFound) {
			return m, apperr.Wrap(err, apperr.NotFound, "error.municipality_not_found", "AGS", ags)
		}
		return m, fmt.Errorf("store: municipality %s: %w", ags, err)
	}
	return m, nil
}

// Municipalities returns one page of the filtered municipality list.
func (db *DB) Municipalities(ctx context.Context, q region.MunicipalityQuery) (region.MunicipalityPage, error) {
	var page region.MunicipalityPage
	where, args := municipalityWhere(q.Filter)
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM municipalities m WHERE `+where, args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("store: count municipalities: %w", err)
	}
	o := municipalityOrder(q)
	if o.keyset != "" {
		where += " AND " + o.keyset
		args = append(args, o.keysetArgs...)
	}
	// The rank is selected so that the cursor can carry it; its
	// placeholders come first, before the WHERE clause's.
	query := `SELECT ` + municipalityColumns + `, ` + o.rank + municipalityFrom + ` WHERE ` + where + ` ORDER BY ` + o.order + ` LIMIT ?`
	args = append(append(o.rankArgs, args...), q.Limit+1)
	if q.After == nil && q.Offset > 0 {
		query += ` OFFSET ?`
		args = append(args, q.Offset)
	}
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return page, fmt.Errorf("store: list municipalities: %w", err)
	}
	defer rows.Close()
	var ranks []int
	for rows.Next() {
		var rank int
		m, err := scanMunicipality(rows, &rank)
		if err != nil {
			return page, fmt.Errorf("store: list municipalities: %w", err)
		}
		page.Items = append(page.Items, m)
		ranks = append(ranks, rank)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("store: list municipalities: %w", err)
	}
	if len(page.Items) > q.Limit {
		page.Items = page.Items[:q.Limit]
		last := page.Items[q.Limit-1]
		page.Next = &region.Cursor{Key: last.AGS}
		switch q.Sort {
		case region.SortName:
			page.Next.Name = fold.Key(last.Name)
		case region.SortPopulation:
			page.Next.Population = last.Population
		case region.SortRelevance:
			page.Next.Rank, page.Next.Population = ranks[q.Limit-1], last.Population
		}
	}
	return page, nil
}

func municipalityWhere(f region.MunicipalityFilter) (string, []any) {
	conds := []string{political}
	var args []any
	if f.Dissolved {
		conds = append(conds, "m.dissolved_at IS NOT NULL")
	} else {
		conds = append(conds, "m.dissolved_at IS NULL")
	}
	if f.StateKey != "" {
		conds = append(conds, "m.state_key = ?")
		args = append(args, f.StateKey)
	}
	if f.DistrictKey != "" {
		conds = append(conds, "m.district_key = ?")
		args = append(args, f.DistrictKey)
	}
	if f.Band != "" {
		min, max := f.Band.Range()
		conds = append(conds, "m.population >= ?")
		args = append(args, min)
		if max > 0 {
			conds = append(conds, "m.population < ?")
			args = append(args, max)
		}
	}
	if f.Urbanisation != nil {
		conds = append(conds, "m.urbanisation = ?")
		args = append(args, int(*f.Urbanisation))
	}
	if f.Query != "" {
		if k := fold.Key(f.Query); k == "" {
			conds = append(conds, "1 = 0") // only punctuation: nothing can match
		} else {
			conds = append(conds, `m.name_search LIKE ? ESCAPE '\'`)
			args = append(args, "%"+escapeLike(k)+"%")
		}
	}
	return strings.Join(conds, " AND "), args
}

// listOrder is the ORDER BY of a list, the rank column selected with it,
// and the keyset condition that continues after a cursor.
type listOrder struct {
	order      string
	rank       string
	rankArgs   []any
	keyset     string
	keysetArgs []any
}

func municipalityOrder(q region.MunicipalityQuery) listOrder {
	o := listOrder{rank: "0"}
	a := q.After
	switch q.Sort {
	case region.SortPopulation:
		o.order = "m.population DESC, m.ags"
		if a != nil {
			o.keyset = "(m.population < ? OR (m.population = ? AND m.ags > ?))"
			o.keysetArgs = []any{a.Population, a.Population, a.Key}
		}
	case region.SortRelevance:
		// Whole name first (also "München, Landeshauptstadt" for "München"),
		// then names that start with the query, then a later word that
		// does; within a rank the larger municipality first.
		k := escapeLike(fold.Key(q.Filter.Query))
		sep := fold.Separator
		o.rank = `CASE WHEN m.name_search = ? OR m.name_search LIKE ? ESCAPE '\' OR m.name_search LIKE ? ESCAPE '\'
				OR m.name_search LIKE ? ESCAPE '\' OR m.name_search LIKE ? ESCAPE '\' THEN 0
			WHEN m.name_search LIKE ? ESCAPE '\' OR m.name_search LIKE ? ESCAPE '\' THEN 1
			WHEN m.name_search LIKE ? ESCAPE '\' THEN 2 ELSE 3 END`
		o.rankArgs = []any{k, k + " %", k + sep + "%", "%" + sep + k, "%" + sep + k + " %",
			k + "%", "%" + sep + k + "%", "% " + k + "%"}
		o.order = "rank, m.population DESC, m.ags"
		if a != nil {
			o.keyset = "(" + o.rank + " > ? OR (" + o.rank + " = ? AND (m.population < ? OR (m.population = ? AND m.ags > ?))))"
			o.keysetArgs = append(append(append(append([]any{}, o.rankArgs...), a.Rank), o.rankArgs...), a.Rank, a.Population, a.Population, a.Key)
		}
	default:
		o.order = "m.name_sort, m.ags"
		if a != nil {
			o.keyset = "(m.name_sort > ? OR (m.name_sort = ? AND m.ags > ?))"
			o.keysetArgs = []any{a.Name, a.Name, a.Key}
		}
	}
	o.rank += " AS rank"
	return o
}

// escapeLike escapes LIKE's wildcards; fold.Key output has none, but the
// escape keeps the query safe if that ever changes.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
