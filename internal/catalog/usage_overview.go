package catalog

import (
	"cmp"
	"context"
	"slices"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/org"
)

// StateCount is how many municipalities of a state use a solution.
type StateCount struct {
	Key, Name string
	Count     int
}

// Ratings are the averages of the visible reports.
type Ratings struct {
	Reports     int     // number of visible reports
	Usability   float64 // averages 1–5, 0 without reports
	Support     float64
	Integration float64
	Value       float64
	Again       int // reports that would choose it again
}

// Summary is the map-free picture of who uses a solution: verified
// declarations only.
type Summary struct {
	Municipalities int          // verified, in use or piloting
	Piloting       int          // of which piloting
	Stopped        int          // verified declarations of municipalities that stopped
	States         []StateCount // of the current users, most first
	Smallest       *UsingOrg    // current users by population; nil without register data
	Largest        *UsingOrg
	Ratings        Ratings
}

// Summarize computes the summary of verified declarations and visible
// reports; others are ignored.
func Summarize(decls []Declaration, reports []Report) Summary {
	var s Summary
	states := map[string]*StateCount{}
	for _, d := range decls {
		if !d.Verified {
			continue
		}
		if !d.Current() {
			s.Stopped++
			continue
		}
		s.Municipalities++
		if d.Status == Piloting {
			s.Piloting++
		}
		if d.Org.StateKey != "" {
			if states[d.Org.StateKey] == nil {
				states[d.Org.StateKey] = &StateCount{Key: d.Org.StateKey, Name: d.Org.StateName}
			}
			states[d.Org.StateKey].Count++
		}
		if d.Org.Population > 0 {
			o := d.Org
			if s.Smallest == nil || o.Population < s.Smallest.Population {
				s.Smallest = &o
			}
			if s.Largest == nil || o.Population > s.Largest.Population {
				s.Largest = &o
			}
		}
	}
	for _, c := range states {
		s.States = append(s.States, *c)
	}
	slices.SortFunc(s.States, func(a, b StateCount) int { return cmp.Or(b.Count-a.Count, cmp.Compare(a.Name, b.Name)) })
	var sum [4]int
	for _, r := range reports {
		if !r.Visible() {
			continue
		}
		s.Ratings.Reports++
		sum[0], sum[1], sum[2], sum[3] = sum[0]+r.Usability, sum[1]+r.Support, sum[2]+r.Integration, sum[3]+r.Value
		if r.Again {
			s.Ratings.Again++
		}
	}
	if n := float64(s.Ratings.Reports); n > 0 {
		s.Ratings.Usability, s.Ratings.Support = float64(sum[0])/n, float64(sum[1])/n
		s.Ratings.Integration, s.Ratings.Value = float64(sum[2])/n, float64(sum[3])/n
	}
	return s
}

// Overview is the use of a solution as a viewer sees it.
type Overview struct {
	Summary      Summary
	Declarations []Declaration // verified ones: in use, piloting, then stopped; by name
	Reports      []Report      // visible ones, newest first
	// For a signed-in viewer: the municipalities they are members of,
	// with their declarations (verified or not) and reports (also hidden
	// ones, so they learn why).
	Municipalities []org.Membership
	Own            []Declaration
	OwnReports     []Report
	// Provider: the viewer belongs to the providing organisation and may
	// answer reports.
	Provider bool
}

var statusOrder = map[string]int{InUse: 0, Piloting: 1, Stopped: 2}

// Overview returns the use of sol for viewer (nil for a visitor);
// provider is viewer's membership in the providing organisation.
func (s *Usage) Overview(ctx context.Context, viewer *account.User, sol Solution, provider *org.Membership) (Overview, error) {
	decls, err := s.store.Uses(ctx, sol.ID)
	if err != nil {
		return Overview{}, err
	}
	reports, err := s.store.Reports(ctx, sol.ID)
	if err != nil {
		return Overview{}, err
	}
	ov := Overview{Summary: Summarize(decls, reports), Provider: CanUse(viewer, UseAnswer, nil, provider)}
	mine := map[string]bool{}
	if viewer != nil {
		if ov.Municipalities, err = s.Municipalities(ctx, *viewer); err != nil {
			return Overview{}, err
		}
		for _, m := range ov.Municipalities {
			mine[m.OrgID] = true
		}
	}
	for _, d := range decls {
		if d.Verified {
			ov.Declarations = append(ov.Declarations, d)
		}
		if mine[d.Org.ID] {
			ov.Own = append(ov.Own, d)
		}
	}
	slices.SortStableFunc(ov.Declarations, func(a, b Declaration) int { return statusOrder[a.Status] - statusOrder[b.Status] })
	for _, r := range reports {
		if r.Visible() {
			ov.Reports = append(ov.Reports, r)
		}
		if mine[r.Org.ID] {
			ov.OwnReports = append(ov.OwnReports, r)
		}
	}
	return ov, nil
}

// OwnReport returns the report of the municipality orgID among the
// viewer's own, nil when there is none.
func (o Overview) OwnReport(orgID string) *Report {
	for i := range o.OwnReports {
		if o.OwnReports[i].Org.ID == orgID {
			return &o.OwnReports[i]
		}
	}
	return nil
}
