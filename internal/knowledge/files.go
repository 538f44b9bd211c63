package knowledge

import "github.com/smartregions/smartregions/internal/attachment"

// Limits of attachments.
const (
	MaxFileSize = attachment.MaxSize // bytes per file
	MaxFiles    = 10                 // per article
)

// File is an uploaded file before it is checked.
type File = attachment.File

// CheckFile returns the type of f, or the message key that refuses it.
func CheckFile(f File) (typ, msg string) {
	typ, why := attachment.Check(f)
	if why != "" {
		return "", "knowledge.error.file_" + why
	}
	return typ, ""
}

// CleanName keeps the base name of an upload (attachment.CleanName).
func CleanName(name string) string { return attachment.CleanName(name) }

// Sniff returns the type of a file from its content and name
// (attachment.Sniff).
func Sniff(name string, data []byte) string { return attachment.Sniff(name, data) }
