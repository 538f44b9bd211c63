// Package media checks uploaded images and re-encodes them, so that the
// platform only ever stores and serves pictures it has drawn itself.
//
// The type is taken from the content, never from the file name or the
// client's Content-Type: http.DetectContentType plus a real decode. PNG,
// JPEG, GIF (its first frame) and WebP are accepted; SVG is refused
// because it can carry scripts. The declared dimensions are read before
// decoding, so a small file that claims to be huge (a decompression
// bomb) is refused without allocating its pixels. Re-encoding drops
// everything but the pixels: EXIF (with GPS positions), comments, colour
// profiles, trailing data.
package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strings"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"github.com/smartregions/smartregions/internal/apperr"
)

// Kinds of media.
const (
	Logo       = "logo"
	Screenshot = "screenshot"
)

// Kinds lists the kinds of media in form order.
var Kinds = []string{Logo, Screenshot}

// Limits of an upload. MaxPixels bounds the memory a decode takes (a
// 16-bit RGBA picture of 24 megapixels holds 192 MB); MaxSide refuses
// absurd strips that stay under it.
const (
	MaxBytes  = 5 << 20
	MaxSide   = 6000
	MaxPixels = 24_000_000
)

// Output sizes: logos are shown small, screenshots at most full width of
// the page; larger pictures are scaled down before they are stored.
const (
	LogoMaxSide        = 1024
	ScreenshotMaxWidth = 1920
	// JPEGQuality is the quality of re-encoded opaque screenshots.
	JPEGQuality = 85
)

// Content types of stored media.
const (
	PNG  = "image/png"
	JPEG = "image/jpeg"
)

// Field is the form and API field of the file, named in the messages.
const Field = "file"

// Image is a checked and re-encoded picture.
type Image struct {
	Data          []byte
	ContentType   string // PNG or JPEG
	Width, Height int
	SHA256        string // hex of Data: the strong ETag
}

// Ext returns the file name extension of a stored content type.
func Ext(contentType string) string {
	if contentType == JPEG {
		return ".jpg"
	}
	return ".png"
}

// decoding bounds how many uploads are decoded at once: each may take
// up to a few hundred megabytes while it is in memory.
var decoding = make(chan struct{}, 2)

// Process checks data as an upload of kind and returns it re-encoded:
// logos as PNG at most LogoMaxSide pixels on each side, screenshots at
// most ScreenshotMaxWidth wide, as PNG when they are transparent and as
// JPEG otherwise. Refusals are apperr.Invalid with a message for
// Field: media.error.empty, too_big, svg, not_image, dimensions or
// damaged.
func Process(ctx context.Context, data []byte, kind string) (Image, error) {
	format, err := Sniff(data)
	if err != nil {
		return Image{}, err
	}
	cfg, err := decodeConfig(format, data)
	if err != nil {
		return Image{}, refuse(err, "media.error.damaged")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxSide || cfg.Height > MaxSide || cfg.Width*cfg.Height > MaxPixels {
		return Image{}, refuse(nil, "media.error.dimensions", "Width", cfg.Width, "Height", cfg.Height, "Max", MaxSide,
			"Megapixels", MaxPixels/1_000_000)
	}
	select {
	case decoding <- struct{}{}:
		defer func() { <-decoding }()
	case <-ctx.Done():
		return Image{}, fmt.Errorf("media: wait to decode: %w", ctx.Err())
	}
	img, err := decode(format, data)
	if err != nil {
		return Image{}, refuse(err, "media.error.damaged")
	}
	return encode(img, kind)
}

// Sniff returns the format of data ("png", "jpeg", "gif", "webp") from
// its first bytes, or the refusal: empty, too big, SVG or not an image.
func Sniff(data []byte) (string, error) {
	switch {
	case len(data) == 0:
		return "", refuse(nil, "media.error.empty")
	case len(data) > MaxBytes:
		return "", refuse(nil, "media.error.too_big", "Max", MaxBytes>>20)
	}
	switch ct := http.DetectContentType(data); ct {
	case "image/png":
		return "png", nil
	case "image/jpeg":
		return "jpeg", nil
	case "image/gif":
		return "gif", nil
	case "image/webp":
		return "webp", nil
	default:
		if isSVG(ct, data) {
			return "", refuse(nil, "media.error.svg")
		}
		return "", refuse(nil, "media.error.not_image")
	}
}

// isSVG reports whether data looks like an SVG document: text or XML,
// as DetectContentType sees it, with an <svg element near its start.
func isSVG(ct string, data []byte) bool {
	if !strings.HasPrefix(ct, "text/plain") && !strings.HasPrefix(ct, "text/xml") {
		return false
	}
	head := data[:min(len(data), 4096)]
	return bytes.Contains(bytes.ToLower(head), []byte("<svg"))
}

func decodeConfig(format string, data []byte) (image.Config, error) {
	r := bytes.NewReader(data)
	switch format {
	case "png":
		return png.DecodeConfig(r)
	case "jpeg":
		return jpeg.DecodeConfig(r)
	case "gif":
		return gif.DecodeConfig(r)
	case "webp":
		return webp.DecodeConfig(r)
	}
	return image.Config{}, fmt.Errorf("media: unknown format %q", format)
}

// decode decodes the whole picture (of a GIF, the first frame). A
// decoder that panics on a malformed file is a damaged image to the
// user, not a failed request.
func decode(format string, data []byte) (img image.Image, err error) {
	defer func() {
		if v := recover(); v != nil {
			img, err = nil, fmt.Errorf("media: %s decoder panicked: %v", format, v)
		}
	}()
	var r io.Reader = bytes.NewReader(data)
	switch format {
	case "png":
		return png.Decode(r)
	case "jpeg":
		return jpeg.Decode(r)
	case "gif":
		return gif.Decode(r)
	case "webp":
		return webp.Decode(r)
	}
	return nil, fmt.Errorf("media: unknown format %q", format)
}

// encode scales img down to the kind's size and writes it anew.
func encode(img image.Image, kind string) (Image, error) {
	var maxW, maxH int
	switch kind {
	case Logo:
		maxW, maxH = LogoMaxSide, LogoMaxSide
	case Screenshot:
		maxW, maxH = ScreenshotMaxWidth, MaxSide
	default:
		return Image{}, apperr.New(apperr.Invalid, "error.invalid")
	}
	img = fit(img, maxW, maxH)
	var buf bytes.Buffer
	ct := PNG
	if kind == Screenshot && opaque(img) {
		ct = JPEG
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: JPEGQuality}); err != nil {
			return Image{}, fmt.Errorf("media: encode jpeg: %w", err)
		}
	} else if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
		return Image{}, fmt.Errorf("media: encode png: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	b := img.Bounds()
	return Image{Data: buf.Bytes(), ContentType: ct, Width: b.Dx(), Height: b.Dy(), SHA256: hex.EncodeToString(sum[:])}, nil
}

// fit scales img down, keeping its proportions, until it fits into
// maxW × maxH; a picture that fits is returned as it is.
func fit(img image.Image, maxW, maxH int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= maxW && h <= maxH {
		return img
	}
	scale := min(float64(maxW)/float64(w), float64(maxH)/float64(h))
	nw, nh := max(1, int(float64(w)*scale+0.5)), max(1, int(float64(h)*scale+0.5))
	dst := image.NewNRGBA(image.Rect(0, 0, nw, nh))
	draw.BiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// opaque reports whether img has no transparent pixel. Images that
// cannot say are treated as transparent, which keeps them lossless.
func opaque(img image.Image) bool {
	o, ok := img.(interface{ Opaque() bool })
	return ok && o.Opaque()
}

// refuse is a validation error of the file field with cause err (for
// the log).
func refuse(err error, key string, args ...any) error {
	var v apperr.Validation
	v.Add(Field, key, args...)
	e := v.Err().(*apperr.Error)
	e.Err = err
	return e
}

// IsKind reports whether kind names a kind of media.
func IsKind(kind string) bool { return kind == Logo || kind == Screenshot }
