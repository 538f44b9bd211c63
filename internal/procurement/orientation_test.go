package procurement

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
)

func day(s string) time.Time {
	t, ok := ParseDate(s)
	if !ok {
		panic(s)
	}
	return t
}

func asErr(err error, e **apperr.Error) bool { return errors.As(err, e) }

func dayPtr(s string) *time.Time { t := day(s); return &t }

// fixture: the 2026 values for supplies/services of sub-central
// authorities, the older value that ended on 31.12.2025, works, and the
// federal and one state's direct-award limits.
func fixture() []Threshold {
	return []Threshold{
		{ID: "old", Scope: ScopeEU, Jurisdiction: "EU", ContractType: SuppliesServices, AuthorityType: SubCentral, AmountNet: 22100000,
			ValidFrom: day("2024-01-01"), ValidUntil: dayPtr("2025-12-31"), SourceText: "2023/2497"},
		{ID: "eu-ss", Scope: ScopeEU, Jurisdiction: "EU", ContractType: SuppliesServices, AuthorityType: SubCentral, AmountNet: 21600000,
			ValidFrom: day("2026-01-01"), ValidUntil: dayPtr("2027-12-31"), SourceText: "2025/2152"},
		{ID: "eu-central", Scope: ScopeEU, Jurisdiction: "EU", ContractType: SuppliesServices, AuthorityType: Central, AmountNet: 14000000,
			ValidFrom: day("2026-01-01"), ValidUntil: dayPtr("2027-12-31"), SourceText: "2025/2152"},
		{ID: "eu-works", Scope: ScopeEU, Jurisdiction: "EU", ContractType: Works, AuthorityType: SubCentral, AmountNet: 540400000,
			ValidFrom: day("2026-01-01"), ValidUntil: dayPtr("2027-12-31"), SourceText: "2025/2152"},
		{ID: "eu-conc", Scope: ScopeEU, Jurisdiction: "EU", ContractType: Concessions, AuthorityType: SubCentral, AmountNet: 540400000,
			ValidFrom: day("2026-01-01"), SourceText: "x"},
		{ID: "de-direct", Scope: ScopeNational, Jurisdiction: "DE", ContractType: SuppliesServices, Procedure: DirectAward, AmountNet: 100000,
			ValidFrom: day("2017-09-02"), SourceText: "§ 14 UVgO"},
		{ID: "09-direct", Scope: ScopeNational, Jurisdiction: "09", ContractType: SuppliesServices, Procedure: DirectAward, AmountNet: 500000,
			ValidFrom: day("2026-01-01"), SourceText: "state rule"},
		{ID: "09-negotiated", Scope: ScopeNational, Jurisdiction: "09", ContractType: SuppliesServices, Procedure: NegotiatedWithoutCompetition,
			AmountNet: 10000000, ValidFrom: day("2026-01-01"), SourceText: "state rule"},
	}
}

func procedures(r Result) []Procedure {
	var out []Procedure
	for _, o := range r.Options {
		out = append(out, o.Procedure)
	}
	return out
}

func TestOrient(t *testing.T) {
	base := Input{ContractType: SuppliesServices, AuthorityType: SubCentral, Date: day("2026-03-01")}
	with := func(f func(*Input)) Input { in := base; f(&in); return in }
	tests := []struct {
		name      string
		in        Input
		euID      string // "" when no EU value is found
		applies   bool
		regime    string
		want      []Procedure
		national  string
		wantNotes []string
	}{
		{name: "ExactlyAtThreshold", in: with(func(in *Input) { in.ValueNet = 21600000 }), euID: "eu-ss", applies: true, regime: "vgv",
			want: []Procedure{Open, Restricted, NegotiatedWithCompetition, CompetitiveDialogue, InnovationPartnership}},
		{name: "OneCentBelow", in: with(func(in *Input) { in.ValueNet = 21599999 }), euID: "eu-ss", regime: "uvgo",
			want: []Procedure{Open, Restricted}, national: "DE"},
		{name: "CentralAuthority", in: with(func(in *Input) { in.ValueNet = 15000000; in.AuthorityType = Central }), euID: "eu-central",
			applies: true, regime: "vgv", want: []Procedure{Open, Restricted, NegotiatedWithCompetition, CompetitiveDialogue, InnovationPartnership}},
		{name: "OldValueOnLastDay", in: with(func(in *Input) { in.ValueNet = 21800000; in.Date = day("2025-12-31") }), euID: "old",
			regime: "uvgo", want: []Procedure{Open, Restricted}, national: "DE"},
		{name: "OldValueNotOnNewYear", in: with(func(in *Input) { in.ValueNet = 21800000; in.Date = day("2026-01-01") }), euID: "eu-ss",
			applies: true, regime: "vgv", want: []Procedure{Open, Restricted, NegotiatedWithCompetition, CompetitiveDialogue, InnovationPartnership}},
		{name: "NoValueAfterValidity", in: with(func(in *Input) { in.ValueNet = 30000000; in.Date = day("2028-01-01") }), regime: "uvgo",
			want: []Procedure{Open, Restricted}, national: "DE", wantNotes: []string{"procurement.note.no_eu_value"}},
		{name: "FederalDirectAwardAtLimit", in: with(func(in *Input) { in.ValueNet = 100000 }), euID: "eu-ss", regime: "uvgo",
			want: []Procedure{Open, Restricted, DirectAward}, national: "DE"},
		{name: "FederalDirectAwardAbove", in: with(func(in *Input) { in.ValueNet = 100001 }), euID: "eu-ss", regime: "uvgo",
			want: []Procedure{Open, Restricted}, national: "DE"},
		{name: "StateValues", in: with(func(in *Input) { in.ValueNet = 400000; in.State = "09" }), euID: "eu-ss", regime: "uvgo",
			want: []Procedure{Open, Restricted, DirectAward, NegotiatedWithoutCompetition}, national: "09"},
		{name: "StateWithoutValues", in: with(func(in *Input) { in.ValueNet = 50000; in.State = "05" }), euID: "eu-ss", regime: "uvgo",
			want: []Procedure{Open, Restricted, DirectAward}, national: "DE", wantNotes: []string{"procurement.note.no_state_values"}},
		{name: "StateValuesNotYetValid", in: with(func(in *Input) { in.ValueNet = 400000; in.State = "09"; in.Date = day("2025-12-31") }),
			euID: "old", regime: "uvgo", want: []Procedure{Open, Restricted}, national: "DE"},
		{name: "WorksBelow", in: with(func(in *Input) { in.ValueNet = 540399999; in.ContractType = Works }), euID: "eu-works", regime: "vob_a",
			want: []Procedure{Open, Restricted}, national: "DE"},
		{name: "WorksAt", in: with(func(in *Input) { in.ValueNet = 540400000; in.ContractType = Works }), euID: "eu-works", applies: true,
			regime: "vob_a_eu", want: []Procedure{Open, Restricted, NegotiatedWithCompetition, CompetitiveDialogue, InnovationPartnership}},
		{name: "ConcessionBelow", in: with(func(in *Input) { in.ValueNet = 100; in.ContractType = Concessions }), euID: "eu-conc",
			regime: "budget", wantNotes: []string{"procurement.note.concession_below"}},
		{name: "ConcessionAbove", in: with(func(in *Input) { in.ValueNet = 600000000; in.ContractType = Concessions }), euID: "eu-conc",
			applies: true, regime: "konzvgv", want: []Procedure{NegotiatedWithCompetition}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Orient(tt.in, fixture())
			if err != nil {
				t.Fatal(err)
			}
			gotID := ""
			if r.EU != nil {
				gotID = r.EU.ID
			}
			if gotID != tt.euID || r.EUApplies != tt.applies || r.Regime != tt.regime {
				t.Errorf("EU %q applies %v regime %q, want %q %v %q", gotID, r.EUApplies, r.Regime, tt.euID, tt.applies, tt.regime)
			}
			if got := procedures(r); !slices.Equal(got, tt.want) {
				t.Errorf("procedures %v, want %v", got, tt.want)
			}
			if !tt.applies && tt.national != "" && r.NationalFrom != tt.national {
				t.Errorf("national values from %q, want %q", r.NationalFrom, tt.national)
			}
			for _, n := range tt.wantNotes {
				if !slices.Contains(r.Notes, n) {
					t.Errorf("notes %v lack %s", r.Notes, n)
				}
			}
			if !slices.Equal(r.Routes, Routes) {
				t.Errorf("routes %v", r.Routes)
			}
			for _, o := range r.Options {
				if len(o.Docs) == 0 {
					t.Errorf("%s without documentation", o.Procedure)
				}
			}
		})
	}
}

func TestOrientInvalid(t *testing.T) {
	ok := Input{ValueNet: 1, ContractType: Works, AuthorityType: SubCentral, Date: day("2026-01-01")}
	tests := []struct {
		name  string
		f     func(*Input)
		field string
	}{
		{"Zero", func(in *Input) { in.ValueNet = 0 }, "value"},
		{"Negative", func(in *Input) { in.ValueNet = -5 }, "value"},
		{"TooLarge", func(in *Input) { in.ValueNet = MaxAmount + 1 }, "value"},
		{"ContractType", func(in *Input) { in.ContractType = "bananas" }, "contract_type"},
		{"AuthorityType", func(in *Input) { in.AuthorityType = "" }, "authority_type"},
		{"UnknownState", func(in *Input) { in.State = "17" }, "state"},
		{"EUIsNoState", func(in *Input) { in.State = "EU" }, "state"},
		{"NoDate", func(in *Input) { in.Date = time.Time{} }, "date"},
	}
	if _, err := Orient(ok, nil); err != nil {
		t.Fatalf("valid input: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			tt.f(&in)
			_, err := Orient(in, fixture())
			var e *apperr.Error
			if !apperr.Is(err, apperr.Invalid) || !asErr(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != tt.field {
				t.Fatalf("err %v, want a message on %s", err, tt.field)
			}
		})
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in     string
		want   int64
		wantOK bool
	}{
		{"216000", 21600000, true},
		{"216.000", 21600000, true},
		{"216,000", 21600000, true},
		{"216.000,5", 21600050, true},
		{"216,000.50", 21600050, true},
		{"1.234.567,89 €", 123456789, true},
		{"1,234,567", 123456700, true},
		{"216000.99", 21600099, true},
		{"1,5", 150, true},
		{"1.50", 150, true},
		{"21.60", 2160, true},
		{" 12 000 EUR", 1200000, true},
		{"-5", -1, true},
		{"abc", 0, false},
		{"12a", 0, false},
		{"1,2,3", 0, false},
		{"1.2345", 0, false},
		{"1.234,5.6", 0, false},
		{"1.234.5", 0, false},
		{"1,234,50.00", 0, false},
		{"216.", 0, false},
		{".5", 0, false},
		{"1.000,", 0, false},
		{"", 0, false},
		{"-", 0, false},
		{"1000000000000000", MaxAmount + 1, true},
	}
	for _, tt := range tests {
		got, ok := ParseAmount(tt.in)
		if ok != tt.wantOK || ok && got != tt.want {
			t.Errorf("ParseAmount(%q) = %d %v, want %d %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

// FuzzParseAmount: any text either fails or gives an amount that reads
// back the same when written with two decimals.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"216.000", "1,5", "1.234.567,89 €", "-3", "9999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := ParseAmount(s)
		if !ok || c < 0 || c > MaxAmount {
			return
		}
		if back, ok := ParseAmount(FormatEuro(c)); !ok || back != c {
			t.Fatalf("%q → %d → %q → %d %v", s, c, FormatEuro(c), back, ok)
		}
	})
}

func TestThresholdValidate(t *testing.T) {
	ok := Threshold{Scope: ScopeNational, Jurisdiction: "09", ContractType: SuppliesServices, Procedure: DirectAward, AmountNet: 500000,
		ValidFrom: day("2026-01-01"), SourceText: "VV"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		f     func(*Threshold)
		field string
	}{
		{"EUJurisdictionForNational", func(t *Threshold) { t.Jurisdiction = "EU" }, "jurisdiction"},
		{"NationalWithoutProcedure", func(t *Threshold) { t.Procedure = "" }, "procedure"},
		{"EUWithProcedure", func(t *Threshold) { t.Scope, t.Jurisdiction, t.AuthorityType = ScopeEU, "EU", SubCentral }, "procedure"},
		{"Amount", func(t *Threshold) { t.AmountNet = 0 }, "amount"},
		{"UntilBeforeFrom", func(t *Threshold) { t.ValidUntil = dayPtr("2025-12-31") }, "valid_until"},
		{"NoSource", func(t *Threshold) { t.SourceText = "" }, "source_text"},
		{"BadURL", func(t *Threshold) { t.SourceURL = "javascript:alert(1)" }, "source_url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := ok
			tt.f(&th)
			var e *apperr.Error
			if err := th.Validate(); !asErr(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != tt.field {
				t.Fatalf("err %v, want a message on %s", err, tt.field)
			}
		})
	}
}
