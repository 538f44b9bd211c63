package http

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/media"
)

// maxUploadBody bounds the body of an upload route: one file plus the
// few form fields around it.
const maxUploadBody = media.MaxBytes + 64<<10

// uploadRoutes are the routes whose bodies may reach maxUploadBody; the
// body limit is set before the router runs, so it matches them itself.
var uploadRoutes = func() *http.ServeMux {
	mux := http.NewServeMux()
	for _, p := range []string{"POST /loesungen/{slug}/medien", "POST /api/v1/solutions/{slug}/media"} {
		mux.Handle(p, http.NotFoundHandler())
	}
	return mux
}()

// bodyLimit is the largest request body r may send.
func bodyLimit(r *http.Request) int64 {
	if r.Method != http.MethodPost {
		return maxBody
	}
	if _, pattern := uploadRoutes.Handler(r); pattern != "" {
		return maxUploadBody
	}
	if _, pattern := adviceUploadRoutes.Handler(r); pattern != "" { // advice_pages.go
		return maxAdviceBody
	}
	if _, pattern := knowledgeUploadRoutes.Handler(r); pattern != "" { // knowledge_write.go
		return maxKnowledgeBody
	}
	if _, pattern := offerUploadRoutes.Handler(r); pattern != "" { // offer_pages.go
		return maxOfferBody
	}
	return maxBody
}

// upload is a multipart upload: its form fields and its file.
type upload struct {
	fields url.Values
	data   []byte
	file   bool // a file was sent (it may still be empty)
	tooBig bool // the file, or the whole body, exceeded the limit
}

// maxFieldBytes bounds each text field of an upload.
const maxFieldBytes = 16 << 10

// readUpload reads a multipart/form-data body part by part: text fields
// into r.PostForm (so that the CSRF token is read as for other forms)
// and the part named "file" into memory, at most media.MaxBytes of it.
// The file's name and Content-Type are ignored: the content decides.
// A body that is no multipart form is read as an ordinary form, so that
// the caller can still check its token and rights before refusing it.
func readUpload(r *http.Request) (upload, error) {
	up := upload{fields: url.Values{}}
	mr, err := r.MultipartReader()
	if errors.Is(err, http.ErrNotMultipart) {
		if err := r.ParseForm(); err != nil {
			return up, apperr.Wrap(err, apperr.Invalid, "error.form")
		}
		return up, nil
	}
	if err != nil {
		return up, apperr.Wrap(err, apperr.Invalid, "error.form")
	}
	defer func() { r.PostForm, r.Form = up.fields, up.fields }()
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return up, nil
		}
		if err != nil {
			return up, uploadReadError(&up, err)
		}
		name := part.FormName()
		if name == media.Field {
			up.file = true
			up.data, err = io.ReadAll(io.LimitReader(part, media.MaxBytes+1))
			if err != nil {
				return up, uploadReadError(&up, err)
			}
			if len(up.data) > media.MaxBytes {
				up.tooBig, up.data = true, nil
				return up, nil
			}
			continue
		}
		value, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
		if err != nil {
			return up, uploadReadError(&up, err)
		}
		if len(value) > maxFieldBytes || name == "" {
			return up, apperr.New(apperr.Invalid, "error.form")
		}
		up.fields.Add(name, string(value))
	}
}

// uploadReadError tells a body over the limit (which is the file's fault)
// from a malformed one.
func uploadReadError(up *upload, err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		up.tooBig, up.data = true, nil
		return nil
	}
	return apperr.Wrap(err, apperr.Invalid, "error.form")
}

// fileProblem is the message about an upload's file before it is
// checked: too big or missing.
func (up upload) fileProblem() error {
	var v apperr.Validation
	switch {
	case up.tooBig:
		v.Add(media.Field, "media.error.too_big", "Max", media.MaxBytes>>20)
	case !up.file:
		v.Add(media.Field, "media.error.no_file")
	}
	return v.Err()
}

// handleSolutionMedium serves a logo or screenshot. The content type is
// the stored one (the image was re-encoded on upload) and the browser
// must not guess another. A medium never changes, so its answer is
// cached for a year and revalidated by its hash; a medium that only
// drafts show is cached privately, in the browser of the member or
// curator who may see it.
func (s *Server) handleSolutionMedium(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	id, ext, _ := strings.Cut(r.PathValue("file"), ".")
	med, public, err := s.Solutions.Medium(r.Context(), optionalUser(r), r.PathValue("slug"), id)
	if err != nil {
		return err
	}
	if "."+ext != media.Ext(med.ContentType) {
		return apperr.New(apperr.NotFound, "media.error.not_found")
	}
	h := w.Header()
	h.Set("Content-Type", med.ContentType)
	h.Set("Content-Disposition", `inline; filename="`+med.File()+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("ETag", `"`+med.SHA256+`"`)
	h.Del("Content-Language")
	if public {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Del("Vary") // the same picture for every language and visitor
	} else {
		h.Set("Cache-Control", "private, max-age=31536000, immutable")
	}
	http.ServeContent(w, r, "", med.Created, bytes.NewReader(med.Data))
	return nil
}

// uploadFields names the messages of the edit page's upload forms after
// their controls: both forms have a file, so each gets its own id.
func uploadFields(err error, kind string) error {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return err
	}
	for i, f := range e.Fields {
		switch f.Field {
		case media.Field, "kind":
			e.Fields[i].Field = kind + "_file"
		case "alt":
			e.Fields[i].Field = "screenshot_alt"
		}
	}
	return e
}

// handleSolutionImageAdd takes the edit page's upload of a logo or a
// screenshot and puts it into the working version at once; the page's
// other changes are saved by its own form.
func (s *Server) handleSolutionImageAdd(w http.ResponseWriter, r *http.Request) error {
	up, err := readUpload(r)
	if err != nil {
		return err
	}
	if err := s.checkCSRF(r); err != nil {
		return err
	}
	sol, err := s.ownSolution(r, catalog.ActEdit)
	if err != nil {
		return err
	}
	kind := r.PostForm.Get("kind")
	if kind != media.Screenshot {
		kind = media.Logo // the unknown kind is named at the logo's file
	}
	err = up.fileProblem()
	if err == nil {
		_, err = s.Solutions.AddImage(r.Context(), userOf(r).user, sol.Slug, lockOf(r), r.PostForm.Get("kind"),
			r.PostForm.Get("screenshot_alt"), up.data, s.meta(r))
	}
	if err != nil {
		return s.imageRetry(w, r, sol, uploadFields(err, kind))
	}
	http.Redirect(w, r, "/loesungen/"+sol.Slug+"?erledigt=gespeichert", http.StatusSeeOther)
	return nil
}

// imageRetry shows the edit page again with the upload's messages; the
// entry form shows the stored entry, which the upload did not change.
func (s *Server) imageRetry(w http.ResponseWriter, r *http.Request, sol catalog.Solution, err error) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) {
		return err
	}
	if fresh, _, gerr := s.Solutions.Get(r.Context(), optionalUser(r), sol.Slug); gerr == nil {
		sol = fresh // after a conflict, the form starts from what is stored now
	}
	form := entryForm(sol.Current().Entry)
	form.Set("lock", strconv.Itoa(sol.Lock))
	form.Set("screenshot_alt", r.PostForm.Get("screenshot_alt"))
	v := EntryFormView{Action: "/loesungen/" + sol.Slug + "/bearbeiten", Solution: &sol, Alert: alert}
	return s.renderEntryForm(w, r, statusOf[apperr.CodeOf(err)], v, form, fields)
}

// apiMedium is an uploaded picture as the API describes it.
type apiMedium struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	URL         string `json:"url"`
	ContentType string `json:"content_type"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	Alt         string `json:"alt"`
}

// handleAPISolutionMediaCreate uploads a logo or screenshot of a
// solution (multipart/form-data: file, kind, alt). The answer names the
// medium's id, which the entry's logo or screenshots then refer to.
func (s *Server) handleAPISolutionMediaCreate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	sol, err := s.ownSolution(r, catalog.ActEdit)
	if err != nil {
		return err
	}
	if err := requireMultipart(r); err != nil {
		return err
	}
	up, err := readUpload(r)
	if err != nil {
		return err
	}
	if err := up.fileProblem(); err != nil {
		return err
	}
	med, err := s.Solutions.Upload(r.Context(), userOf(r).user, sol.Slug, r.PostForm.Get("kind"), r.PostForm.Get("alt"), up.data, s.meta(r))
	if err != nil {
		return err
	}
	u := s.Config.BaseURL + catalog.MediaPath(sol.Slug, med.File())
	w.Header().Set("Location", u)
	writeJSON(w, http.StatusCreated, "application/json", apiMedium{ID: med.ID, Kind: med.Kind, URL: u, ContentType: med.ContentType,
		Width: med.Width, Height: med.Height, Alt: med.Alt})
	return nil
}

// requireMultipart refuses an API body that is no multipart form with
// a message that says what is expected.
func requireMultipart(r *http.Request) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		var v apperr.Validation
		v.Add("body", "media.error.multipart")
		return v.Err()
	}
	return nil
}

// entryImagesFromForm reads the logo and screenshots the entry form
// keeps ("logo", "screenshots.2.alt"), without those marked for removal;
// index maps the entry's screenshot positions back to the form's rows.
func entryImagesFromForm(f url.Values, e *catalog.Entry, index map[string]string) {
	if f.Get("logo.remove") != "1" {
		e.Logo = f.Get("logo")
	}
	for i := range catalog.MaxScreenshots {
		p := "screenshots." + strconv.Itoa(i) + "."
		id := f.Get(p + "id")
		if id == "" || f.Get(p+"remove") == "1" {
			continue
		}
		index["screenshots."+strconv.Itoa(len(e.Screenshots))+"."] = p
		e.Screenshots = append(e.Screenshots, catalog.Screenshot{ID: id, Alt: f.Get(p + "alt")})
	}
}

// entryImagesForm writes the logo and screenshots into form values, the
// inverse of entryImagesFromForm.
func entryImagesForm(e catalog.Entry, f url.Values) {
	if e.Logo != "" {
		f.Set("logo", e.Logo)
	}
	for i, sc := range e.Screenshots {
		p := "screenshots." + strconv.Itoa(i) + "."
		f.Set(p+"id", sc.ID)
		f.Set(p+"alt", sc.Alt)
	}
}
