package advice

import (
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/attachment"
)

// Limits of attachments.
const (
	MaxFileSize = attachment.MaxSize // bytes per file
	MaxFiles    = 5                  // per message
)

// File is an uploaded file before it is checked.
type File = attachment.File

// CheckFile returns the type of f, or the message key that refuses it.
func CheckFile(f File) (typ, msg string) {
	typ, why := attachment.Check(f)
	if why != "" {
		return "", "advice.error.file_" + why
	}
	return typ, ""
}

// checkFiles adds the field messages of files to v (field "files").
func checkFiles(v *apperr.Validation, files []File) {
	if len(files) > MaxFiles {
		v.Add("files", "advice.error.files", "Max", MaxFiles)
		return
	}
	for _, f := range files {
		if _, msg := CheckFile(f); msg != "" {
			v.Add("files", msg, "File", cleanName(f.Name), "MaxMB", MaxFileSize>>20)
			return
		}
	}
}

// cleanName keeps the base name of an upload (attachment.CleanName).
func cleanName(name string) string { return attachment.CleanName(name) }

// attachments turns checked files into attachments of a message.
func attachments(files []File, newID func() string, msgID, reqID string) []Attachment {
	out := make([]Attachment, 0, len(files))
	for _, f := range files {
		typ, _ := CheckFile(f)
		out = append(out, Attachment{ID: newID(), MessageID: msgID, RequestID: reqID, Name: cleanName(f.Name), Type: typ,
			Size: int64(len(f.Data)), Data: f.Data})
	}
	return out
}
