package http

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/attachment"
)

// readUploadForm parses a form that may carry documents in its field
// "files" (multipart) and checks its CSRF token; it returns the files,
// each read up to one byte over attachment.MaxSize so that the check
// sees a file too large. A body over max (the route's body limit) is the
// message tooLarge at the files field.
func (s *Server) readUploadForm(r *http.Request, tooLarge string, max int64) ([]attachment.File, error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return nil, s.readForm(r)
	}
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			var v apperr.Validation
			v.Add("files", tooLarge, "MaxMB", max>>20)
			return nil, v.Err()
		}
		return nil, apperr.Wrap(err, apperr.Invalid, "error.form")
	}
	if err := s.checkCSRF(r); err != nil {
		return nil, err
	}
	var files []attachment.File
	for _, fh := range r.MultipartForm.File["files"] {
		if fh.Filename == "" && fh.Size == 0 { // an empty file field
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "error.form")
		}
		data, err := io.ReadAll(io.LimitReader(f, attachment.MaxSize+1))
		f.Close()
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "error.form")
		}
		files = append(files, attachment.File{Name: fh.Filename, Data: data})
	}
	return files, nil
}
