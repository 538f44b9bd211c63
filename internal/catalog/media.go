package catalog

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/media"
)

// Limits of an entry's pictures.
const (
	MaxScreenshots = 8
	MaxAlt         = 250 // characters of a screenshot's alternative text
	// MaxPendingMedia bounds the uploads of a solution that no version
	// refers to yet: enough to prepare a logo and every screenshot
	// through the API, too few to fill the database.
	MaxPendingMedia = 20
	// OrphanAge is how long an upload may stay unreferenced before the
	// sweep deletes it.
	OrphanAge = 24 * time.Hour
)

// Medium is an uploaded picture of a solution, checked and re-encoded.
// A stored medium never changes; a new picture is a new medium, so its
// address can be cached for good.
type Medium struct {
	ID            string
	SolutionID    string
	Kind          string // media.Logo or media.Screenshot
	ContentType   string // media.PNG or media.JPEG
	Width, Height int
	SHA256        string // hex; the strong ETag
	// Alt is the uploader's alternative text of a screenshot, taken for
	// an entry that names the screenshot without one.
	Alt       string
	Data      []byte // nil in lists
	CreatedBy string
	Created   time.Time
}

// File is the medium's file name: its id with the extension of its type.
func (m Medium) File() string { return m.ID + media.Ext(m.ContentType) }

// File is the screenshot's file name.
func (sc Screenshot) File() string { return sc.ID + media.Ext(sc.ContentType) }

// LogoFile is the logo's file name (logos are PNG), "" for none.
func (e Entry) LogoFile() string {
	if e.Logo == "" {
		return ""
	}
	return e.Logo + media.Ext(media.PNG)
}

// Box is the size at which a picture is shown: its width and height
// attributes, so that the page reserves the space before it loads.
type Box struct{ Width, Height int }

// fitBox scales w×h down (never up) to fit a side×side square.
func fitBox(w, h, side int) Box {
	if w <= 0 || h <= 0 {
		return Box{side, side}
	}
	if w <= side && h <= side {
		return Box{w, h}
	}
	if w >= h {
		return Box{side, max(1, h*side/w)}
	}
	return Box{max(1, w*side/h), side}
}

// LogoBox is the size of the logo shown in a side×side square.
func (e Entry) LogoBox(side int) Box { return fitBox(e.LogoWidth, e.LogoHeight, side) }

// Box is the size of the screenshot shown in a side×side square.
func (sc Screenshot) Box(side int) Box { return fitBox(sc.Width, sc.Height, side) }

// ImageLimits are the limits of pictures, for the hints of the forms.
type ImageLimits struct{ Screenshots, Alt, MB, Side int }

// ImageLimits returns the limits of pictures (templates cannot read
// constants).
func (Entry) ImageLimits() ImageLimits {
	return ImageLimits{Screenshots: MaxScreenshots, Alt: MaxAlt, MB: media.MaxBytes >> 20, Side: media.MaxSide}
}

// ScreenshotsFull reports whether the entry has as many screenshots as
// it may.
func (e Entry) ScreenshotsFull() bool { return len(e.Screenshots) >= MaxScreenshots }

// Refers reports whether the entry shows the medium id.
func (e Entry) Refers(id string) bool {
	return id != "" && (e.Logo == id || slices.ContainsFunc(e.Screenshots, func(sc Screenshot) bool { return sc.ID == id }))
}

// MediaPath is the address of a medium's file below its solution's page.
func MediaPath(slug, file string) string { return "/loesungen/" + slug + "/medien/" + file }

// logoURL is the logo's absolute address, pageURL being the solution's
// page; "" for none.
func (e Entry) logoURL(pageURL string) string {
	if e.Logo == "" {
		return ""
	}
	return pageURL + "/medien/" + e.LogoFile()
}

// screenshotURLs are the absolute addresses of the screenshots.
func (e Entry) screenshotURLs(pageURL string) []string {
	var out []string
	for _, sc := range e.Screenshots {
		out = append(out, pageURL+"/medien/"+sc.File())
	}
	return out
}

// MediaStore keeps the media of solutions. The database that holds
// solutions holds their media too (store.DB), so that backups and
// several app instances need nothing besides it.
type MediaStore interface {
	// AddMedium stores a medium with its audit entry in one transaction;
	// apperr.TooMany ("media.error.pending") when the solution already
	// has MaxPendingMedia media that no version refers to.
	AddMedium(ctx context.Context, m Medium, audit account.AuditEntry) error
	// Medium returns a medium with its bytes; apperr.NotFound when there
	// is none.
	Medium(ctx context.Context, id string) (Medium, error)
	// MediaOf returns a solution's media without their bytes, oldest first.
	MediaOf(ctx context.Context, solutionID string) ([]Medium, error)
	// DeleteOrphanMedia deletes the media created before before that no
	// version of their solution refers to, and returns how many.
	DeleteOrphanMedia(ctx context.Context, before time.Time) (int, error)
}

// mediaStore returns the store of media: the solution store, which keeps
// them next to the versions that refer to them.
func (s *Solutions) mediaStore() (MediaStore, error) {
	ms, ok := s.store.(MediaStore)
	if !ok {
		return nil, errors.New("catalog: the solution store keeps no media")
	}
	return ms, nil
}

// attachMedia checks that the entry's logo and screenshots are media of
// the solution id ("" for a new one, which has none yet) of the right
// kind, and copies their type and size into the entry, and the
// uploader's alternative text where the entry gives none. extra are
// media about to be stored with the entry. It runs before Check, which
// then finds the alternative texts in place.
func (s *Solutions) attachMedia(ctx context.Context, id string, e *Entry, extra ...Medium) error {
	e.Logo = strings.TrimSpace(e.Logo)
	for i := range e.Screenshots {
		e.Screenshots[i].ID = strings.TrimSpace(e.Screenshots[i].ID)
	}
	if e.Logo == "" && len(e.Screenshots) == 0 {
		e.LogoWidth, e.LogoHeight = 0, 0
		return nil
	}
	known := map[string]Medium{}
	if id != "" {
		ms, err := s.mediaStore()
		if err != nil {
			return err
		}
		list, err := ms.MediaOf(ctx, id)
		if err != nil {
			return err
		}
		for _, m := range list {
			known[m.ID] = m
		}
	}
	for _, m := range extra {
		known[m.ID] = m
	}
	var v apperr.Validation
	e.LogoWidth, e.LogoHeight = 0, 0
	if m, ok := known[e.Logo]; ok && m.Kind == media.Logo {
		e.LogoWidth, e.LogoHeight = m.Width, m.Height
	} else if e.Logo != "" && validID(e.Logo) {
		v.Add("logo", "media.error.unknown")
	}
	for i := range e.Screenshots {
		sc := &e.Screenshots[i]
		m, ok := known[sc.ID]
		if !ok || m.Kind != media.Screenshot {
			if validID(sc.ID) {
				v.Add(fmt.Sprintf("screenshots.%d.id", i), "media.error.unknown")
			}
			continue
		}
		sc.ContentType, sc.Width, sc.Height = m.ContentType, m.Width, m.Height
		if strings.TrimSpace(sc.Alt) == "" {
			sc.Alt = m.Alt
		}
	}
	return v.Err()
}

// validID reports whether id has the form of a medium's id; Check
// reports those that do not.
func validID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil
}

// joinInvalid combines the field messages of two checks into one
// validation error; any other error wins.
func joinInvalid(a, b error) error {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	var ea, eb *apperr.Error
	if !errors.As(a, &ea) || ea.Code != apperr.Invalid {
		return a
	}
	if !errors.As(b, &eb) || eb.Code != apperr.Invalid {
		return b
	}
	var v apperr.Validation
	for _, f := range append(slices.Clip(ea.Fields), eb.Fields...) {
		v.Add(f.Field, f.Key, f.Args...)
	}
	return v.Err()
}

// Upload checks and re-encodes an image (see media.Process) and stores
// it as a medium of kind of the solution slug, which u must be allowed
// to edit. alt, for a screenshot, is the alternative text an entry
// takes when it names the screenshot without one. No version shows the
// medium until an entry that refers to it is saved; unreferenced
// uploads are deleted after OrphanAge.
func (s *Solutions) Upload(ctx context.Context, u account.User, slug, kind, alt string, data []byte, m account.Meta) (Medium, error) {
	sol, err := s.authorize(ctx, u, slug, ActEdit)
	if err != nil {
		return Medium{}, err
	}
	alt = strings.Join(strings.Fields(alt), " ")
	var v apperr.Validation
	switch kind {
	case media.Logo:
		if alt != "" {
			v.Add("alt", "media.error.alt_logo")
		}
	case media.Screenshot:
		v.Text("alt", alt, MaxAlt, false)
	default:
		v.Add("kind", "media.error.kind")
	}
	if err := v.Err(); err != nil {
		return Medium{}, err
	}
	med, err := s.newMedium(ctx, u, sol, kind, data)
	if err != nil {
		return Medium{}, err
	}
	med.Alt = alt
	return med, s.storeMedium(ctx, u, med, m)
}

// AddImage uploads an image and puts it into the working version of the
// solution slug in one step, for the edit page: a logo replaces the
// previous one, a screenshot with its alternative text is added at the
// end. Like every change, it shows publicly only once a curator has
// published the version.
func (s *Solutions) AddImage(ctx context.Context, u account.User, slug string, lock int, kind, alt string, data []byte, m account.Meta) (Medium, error) {
	sol, err := s.authorize(ctx, u, slug, ActEdit)
	if err != nil {
		return Medium{}, err
	}
	if sol.Working != nil && sol.Working.State == Submitted {
		return Medium{}, apperr.New(apperr.Conflict, "catalog.error.in_review")
	}
	if lock != sol.Lock {
		return Medium{}, apperr.New(apperr.Conflict, "catalog.error.stale")
	}
	e := sol.Current().Entry
	e.Screenshots = slices.Clone(e.Screenshots)
	var v apperr.Validation
	switch kind {
	case media.Logo:
	case media.Screenshot:
		alt = strings.Join(strings.Fields(alt), " ")
		v.Text("alt", alt, MaxAlt, true)
		if len(e.Screenshots) >= MaxScreenshots {
			v.Add(media.Field, "media.error.too_many", "Max", MaxScreenshots)
		}
	default:
		v.Add("kind", "media.error.kind")
	}
	if err := v.Err(); err != nil {
		return Medium{}, err
	}
	med, err := s.newMedium(ctx, u, sol, kind, data)
	if err != nil {
		return Medium{}, err
	}
	if kind == media.Logo {
		e.Logo = med.ID
	} else {
		med.Alt = alt
		e.Screenshots = append(e.Screenshots, Screenshot{ID: med.ID, Alt: alt})
	}
	// The whole entry is checked before anything is stored, so that a
	// draft that no longer passes (an evidence date gone by) keeps no
	// stray upload.
	if err := joinInvalid(s.attachMedia(ctx, sol.ID, &e, med), s.check(ctx, &e)); err != nil {
		return Medium{}, err
	}
	if err := s.storeMedium(ctx, u, med, m); err != nil {
		return Medium{}, err
	}
	// A write in between makes this a conflict; the medium then stays
	// unreferenced until the sweep.
	return med, s.store.SaveWorking(ctx, sol.ID, lock, e, u.ID,
		solutionAudit(u, "catalog.solution_updated", sol.ID, m, map[string]any{"medium": med.ID, "kind": kind}))
}

// newMedium checks and re-encodes data into a medium of sol.
func (s *Solutions) newMedium(ctx context.Context, u account.User, sol Solution, kind string, data []byte) (Medium, error) {
	img, err := media.Process(ctx, data, kind)
	if err != nil {
		return Medium{}, err
	}
	return Medium{ID: uuid.Must(uuid.NewV7()).String(), SolutionID: sol.ID, Kind: kind, ContentType: img.ContentType,
		Width: img.Width, Height: img.Height, SHA256: img.SHA256, Data: img.Data, CreatedBy: u.ID, Created: s.Now().UTC()}, nil
}

func (s *Solutions) storeMedium(ctx context.Context, u account.User, med Medium, m account.Meta) error {
	ms, err := s.mediaStore()
	if err != nil {
		return err
	}
	return ms.AddMedium(ctx, med, solutionAudit(u, "catalog.medium_uploaded", med.SolutionID, m, map[string]any{"medium": med.ID,
		"kind": med.Kind, "content_type": med.ContentType, "width": med.Width, "height": med.Height, "bytes": len(med.Data), "sha256": med.SHA256}))
}

// Medium returns the medium id of the solution slug with its bytes for
// u (nil for a visitor). Everyone may see the media of the published
// version of a solution in the catalogue (public is then true); the
// others only those who may see its drafts: members of the providing
// organisation and curators. Anything else is not found, so that
// nobody learns which drafts exist.
func (s *Solutions) Medium(ctx context.Context, u *account.User, slug, id string) (med Medium, public bool, err error) {
	notFound := apperr.New(apperr.NotFound, "media.error.not_found")
	if !validID(id) {
		return Medium{}, false, notFound
	}
	sol, mp, err := s.Get(ctx, u, slug)
	if err != nil {
		return Medium{}, false, err
	}
	ms, err := s.mediaStore()
	if err != nil {
		return Medium{}, false, err
	}
	med, err = ms.Medium(ctx, id)
	if apperr.Is(err, apperr.NotFound) || err == nil && med.SolutionID != sol.ID {
		return Medium{}, false, notFound
	}
	if err != nil {
		return Medium{}, false, err
	}
	public = sol.Archived == nil && sol.Published != nil && sol.Published.Entry.Refers(id)
	if !public && mp == nil && !Can(u, ActReview, sol, mp) {
		return Medium{}, false, notFound
	}
	return med, public, nil
}
