package catalog

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/publiccode"
)

func TestEntryCheckImages(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	known := fieldsOf(t)
	id1, id2 := uuid.NewString(), uuid.NewString()
	shots := func(n int) []Screenshot {
		var out []Screenshot
		for range n {
			out = append(out, Screenshot{ID: uuid.NewString(), Alt: "Bild"})
		}
		return out
	}
	tests := []struct {
		name        string
		logo        string
		screenshots []Screenshot
		want        string // fieldsOfErr
	}{
		{"none", "", nil, "<nil>"},
		{"logo and screenshots", id1, []Screenshot{{ID: id2, Alt: "  Startseite   mit Karte "}}, "<nil>"},
		{"eight screenshots", "", shots(MaxScreenshots), "<nil>"},
		{"nine screenshots", "", shots(MaxScreenshots + 1), "screenshots=media.error.too_many"},
		{"logo id malformed", "../../etc/passwd", nil, "logo=media.error.unknown"},
		{"screenshot id malformed", "", []Screenshot{{ID: "x", Alt: "Bild"}}, "screenshots.0.id=media.error.unknown"},
		{"alt missing", "", []Screenshot{{ID: id1, Alt: " \n "}}, "screenshots.0.alt=form.error.required"},
		{"alt too long", "", []Screenshot{{ID: id1, Alt: strings.Repeat("ä", MaxAlt+1)}}, "screenshots.0.alt=form.error.too_long"},
		{"alt at the limit", "", []Screenshot{{ID: id1, Alt: strings.Repeat("ä", MaxAlt)}}, "<nil>"},
		{"screenshot twice", "", []Screenshot{{ID: id1, Alt: "a"}, {ID: id1, Alt: "b"}}, "screenshots.1.id=media.error.repeated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEntry()
			e.Logo, e.Screenshots = tt.logo, tt.screenshots
			if got := fieldsOfErr(e.Check(known, now)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			if tt.name == "logo and screenshots" && e.Screenshots[0].Alt != "Startseite mit Karte" {
				t.Errorf("alt not normalised: %q", e.Screenshots[0].Alt)
			}
		})
	}
}

func TestJoinInvalid(t *testing.T) {
	var a, b apperr.Validation
	a.Add("name", "form.error.required")
	b.Add("logo", "media.error.unknown")
	internal := apperr.New(apperr.Internal, "error.internal")
	tests := []struct {
		name string
		x, y error
		want string
	}{
		{"both nil", nil, nil, "<nil>"},
		{"first", a.Err(), nil, "name=form.error.required"},
		{"second", nil, b.Err(), "logo=media.error.unknown"},
		{"both", a.Err(), b.Err(), "name=form.error.required logo=media.error.unknown"},
	}
	for _, tt := range tests {
		if got := fieldsOfErr(joinInvalid(tt.x, tt.y)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	if err := joinInvalid(a.Err(), internal); err != internal {
		t.Errorf("an internal error is lost: %v", err)
	}
}

func TestDiffImages(t *testing.T) {
	a, b := validEntry(), validEntry()
	b.Logo = "0190b6a2-0000-7000-8000-00003f9a2c1d"
	b.Screenshots = []Screenshot{{ID: "0190b6a2-0000-7000-8000-0000aaaabbbb", Alt: "Karte"}}
	d := Diff(a, b)
	if len(d) != 2 || d[0].Field != "logo" || d[0].New != "…3f9a2c1d" || d[1].Field != "screenshots" || d[1].New != "Karte (…aaaabbbb)" {
		t.Errorf("diff %+v", d)
	}
}

// TestToPublicCodeImages: the logo and screenshots become absolute
// addresses below the solution's page with the extensions the standard
// asks for, and the export stays a valid publiccode.yml.
func TestToPublicCodeImages(t *testing.T) {
	e := validEntry()
	if err := e.Check(fieldsOf(t), time.Now()); err != nil {
		t.Fatal(err)
	}
	logo, png, jpg := uuid.NewString(), uuid.NewString(), uuid.NewString()
	e.Logo = logo
	e.Screenshots = []Screenshot{{ID: png, Alt: "Übersicht", ContentType: "image/png", Width: 800, Height: 600},
		{ID: jpg, Alt: "Foto", ContentType: "image/jpeg", Width: 1920, Height: 1080}}
	page := "https://smartregions.example/loesungen/x"
	sw := ToPublicCode(Solution{Slug: "x", OrgName: "Anbieter", Published: &Version{Number: 1, Entry: e}}, page, nil)
	if sw.Logo != page+"/medien/"+logo+".png" {
		t.Errorf("logo %q", sw.Logo)
	}
	got := sw.Description["de"].Screenshots
	if len(got) != 2 || got[0] != page+"/medien/"+png+".png" || got[1] != page+"/medien/"+jpg+".jpg" {
		t.Errorf("screenshots %q", got)
	}
	out, err := publiccode.Write(sw)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	f, problems := publiccode.Parse(out)
	if f == nil || publiccode.HasErrors(problems) {
		t.Fatalf("export does not validate: %v\n%s", problems, out)
	}
	if f.Software.Logo != sw.Logo || len(f.Software.Description["de"].Screenshots) != 2 {
		t.Errorf("read back: logo %q, screenshots %q", f.Software.Logo, f.Software.Description["de"].Screenshots)
	}
	// An entry without pictures exports none.
	e.Logo, e.Screenshots = "", nil
	sw = ToPublicCode(Solution{Slug: "x", Published: &Version{Number: 1, Entry: e}}, page, nil)
	if sw.Logo != "" || sw.Description["de"].Screenshots != nil {
		t.Errorf("pictures out of nothing: %q %q", sw.Logo, sw.Description["de"].Screenshots)
	}
	if e.LogoFile() != "" || (Screenshot{ID: "a", ContentType: "image/jpeg"}).File() != "a.jpg" || MediaPath("x", "a.png") != "/loesungen/x/medien/a.png" {
		t.Error("file names")
	}
}

func TestBox(t *testing.T) {
	tests := []struct {
		w, h, side int
		want       Box
	}{
		{1024, 256, 96, Box{96, 24}},
		{256, 1024, 96, Box{24, 96}},
		{50, 40, 96, Box{50, 40}},
		{1920, 1080, 640, Box{640, 360}},
		{5000, 1, 96, Box{96, 1}},
		{0, 0, 96, Box{96, 96}}, // unknown size: a square
	}
	for _, tt := range tests {
		if got := fitBox(tt.w, tt.h, tt.side); got != tt.want {
			t.Errorf("fitBox(%d, %d, %d) = %v, want %v", tt.w, tt.h, tt.side, got, tt.want)
		}
	}
	e := Entry{Logo: "x", LogoWidth: 300, LogoHeight: 100}
	if e.LogoBox(48) != (Box{48, 16}) || (Screenshot{Width: 800, Height: 600}).Box(400) != (Box{400, 300}) {
		t.Error("LogoBox or Box")
	}
}
