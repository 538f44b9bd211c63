package gv100ad

import "strings"

// EnrichStats says how Register.Enrich matched the register's
// municipalities with the extract.
type EnrichStats struct {
	ByAGS      int      // matched by identical AGS
	ByName     int      // matched to a predecessor by name
	Missing    int      // not matched at all
	MissingAGS []string // AGS of the unmatched municipalities, in register order
}

// Enrich copies coordinates and the degree of urbanisation from the extract
// ex (see ParseExtract) into every municipality of r, replacing what an
// earlier call filled in. Nothing else is taken from the extract; in
// particular population and area stay those of the register.
//
// A municipality is matched by its AGS first (ExtraSource "ags"). Without
// an AGS match, Enrich looks for a predecessor: an extract entry in the same
// Land whose AGS no longer exists in r and whose name equals the
// municipality's after normalisation (case-insensitive, ignoring everything
// from the first comma, such as ", Stadt"). It is used only if exactly one
// such entry exists (ExtraSource "name:<old AGS>"). Municipalities matched
// neither way keep zero values and are listed in the returned stats.
func (r *Register) Enrich(ex map[string]Extra) EnrichStats {
	current := make(map[string]struct{}, len(r.Municipalities))
	for _, m := range r.Municipalities {
		current[m.AGS] = struct{}{}
	}
	// Extract entries whose AGS is gone, by Land and normalised name.
	gone := make(map[string][]string)
	for ags, e := range ex {
		if _, ok := current[ags]; !ok && len(ags) >= 2 {
			k := ags[:2] + "\x00" + normName(e.Name)
			gone[k] = append(gone[k], ags)
		}
	}
	var st EnrichStats
	for i := range r.Municipalities {
		m := &r.Municipalities[i]
		m.Lat, m.Lon, m.HasCoordinates, m.Urbanisation, m.ExtraSource = 0, 0, false, 0, ""
		if e, ok := ex[m.AGS]; ok {
			m.apply(e, "ags")
			st.ByAGS++
			continue
		}
		if c := gone[m.StateKey()+"\x00"+normName(m.Name)]; len(c) == 1 {
			m.apply(ex[c[0]], "name:"+c[0])
			st.ByName++
			continue
		}
		st.Missing++
		st.MissingAGS = append(st.MissingAGS, m.AGS)
	}
	return st
}

// apply copies the enrichment fields of e into m.
func (m *Municipality) apply(e Extra, source string) {
	m.Lat, m.Lon, m.HasCoordinates = e.Lat, e.Lon, e.HasCoordinates
	m.Urbanisation = e.Urbanisation
	m.ExtraSource = source
}

// normName returns name in lower case, without anything from the first
// comma on and without surrounding blanks: "Eisenach, Stadt" → "eisenach".
func normName(name string) string {
	name, _, _ = strings.Cut(name, ",")
	return strings.ToLower(strings.TrimSpace(name))
}
