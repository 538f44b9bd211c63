package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/apperr"
)

// The WebP sample testdata/blue-purple-pink.lossy.webp is copied from
// golang.org/x/image v0.47.0 (testdata/), Copyright 2009 The Go Authors,
// BSD-3-Clause licence (https://go.dev/LICENSE); there is no WebP
// encoder in Go to make one here.

// gradient is a w×h picture; with alpha its left half is transparent.
func gradient(w, h int, alpha bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(255)
			if alpha && x < w/2 {
				a = 0
			}
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x * 255 / max(1, w-1)), G: uint8(y * 255 / max(1, h-1)), B: 128, A: a})
		}
	}
	return img
}

func pngOf(t testing.TB, w, h int, alpha bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, gradient(w, h, alpha)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegOf(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, gradient(w, h, false), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// secret is what the EXIF segment of jpegWithExif carries; no output may.
const secret = "GPS 52.5200N 13.4050E Kamera Musterfon"

// jpegWithExif is a photo with an APP1 (EXIF) segment right after the
// start-of-image marker, as cameras write it.
func jpegWithExif(t testing.TB) []byte {
	t.Helper()
	plain := jpegOf(t, 64, 48)
	payload := append([]byte("Exif\x00\x00"), secret...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, plain[:2]...)
	out = append(out, seg...)
	return append(out, plain[2:]...)
}

// gifOf is an animated GIF of two frames; only the first is kept.
func gifOf(t testing.TB) []byte {
	t.Helper()
	var frames []*image.Paletted
	for i := range 2 {
		p := image.NewPaletted(image.Rect(0, 0, 40, 30), palette.Plan9)
		for y := range 30 {
			for x := range 40 {
				p.SetColorIndex(x, y, uint8(i*100+x))
			}
		}
		frames = append(frames, p)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, &gif.GIF{Image: frames, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngHeader is a PNG signature with a valid IHDR chunk declaring w×h
// pixels and nothing else: a decompression bomb's announcement.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8 bits, RGBA
	chunk := func(typ string, data []byte) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		b = append(b, typ...)
		b = append(b, data...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, chunk("IHDR", ihdr)...)
	return append(out, chunk("IEND", nil)...)
}

func webpSample(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// refusal returns the message key of a refused upload, "" for nil.
func refusal(err error) string {
	var e *apperr.Error
	if err == nil {
		return ""
	}
	if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != Field {
		return "unexpected: " + err.Error()
	}
	return e.Fields[0].Key
}

func TestProcess(t *testing.T) {
	ctx := context.Background()
	big := pngOf(t, 2400, 1200, false)
	tests := []struct {
		name   string
		data   []byte
		kind   string
		refuse string // message key; "" when accepted
		ct     string
		w, h   int
	}{
		{"PNG logo", pngOf(t, 300, 200, true), Logo, "", PNG, 300, 200},
		{"opaque PNG screenshot becomes JPEG", pngOf(t, 800, 600, false), Screenshot, "", JPEG, 800, 600},
		{"transparent screenshot stays PNG", pngOf(t, 800, 600, true), Screenshot, "", PNG, 800, 600},
		{"wide screenshot is scaled to 1920", big, Screenshot, "", JPEG, 1920, 960},
		{"large logo is scaled to 1024", big, Logo, "", PNG, 1024, 512},
		{"JPEG photo with EXIF", jpegWithExif(t), Screenshot, "", JPEG, 64, 48},
		{"JPEG logo becomes PNG", jpegOf(t, 120, 80), Logo, "", PNG, 120, 80},
		{"GIF: first frame", gifOf(t), Logo, "", PNG, 40, 30},
		{"WebP", webpSample(t), Screenshot, "", JPEG, 150, 100},
		{"empty", nil, Logo, "media.error.empty", "", 0, 0},
		{"SVG with XML declaration", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), Logo, "media.error.svg", "", 0, 0},
		{"SVG without declaration", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), Logo, "media.error.svg", "", 0, 0},
		{"HTML named logo.png", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), Logo, "media.error.not_image", "", 0, 0},
		{"PDF", []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"), Screenshot, "media.error.not_image", "", 0, 0},
		{"PNG declaring 100000×100000", pngHeader(100000, 100000), Logo, "media.error.dimensions", "", 0, 0},
		{"PNG declaring 7000×10", pngHeader(7000, 10), Screenshot, "media.error.dimensions", "", 0, 0},
		{"PNG declaring 5000×5000 (25 megapixels)", pngHeader(5000, 5000), Screenshot, "media.error.dimensions", "", 0, 0},
		{"PNG header without pixels", pngHeader(10, 10), Logo, "media.error.damaged", "", 0, 0},
		{"truncated PNG", big[:len(big)/2], Screenshot, "media.error.damaged", "", 0, 0},
		{"truncated JPEG", jpegOf(t, 200, 200)[:300], Screenshot, "media.error.damaged", "", 0, 0},
		{"too big", append(pngOf(t, 4, 4, false), make([]byte, MaxBytes)...), Logo, "media.error.too_big", "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := Process(ctx, tt.data, tt.kind)
			if got := refusal(err); got != tt.refuse {
				t.Fatalf("refusal %q, want %q", got, tt.refuse)
			}
			if tt.refuse != "" {
				return
			}
			if img.ContentType != tt.ct || img.Width != tt.w || img.Height != tt.h {
				t.Fatalf("got %s %d×%d, want %s %d×%d", img.ContentType, img.Width, img.Height, tt.ct, tt.w, tt.h)
			}
			// The output is what it says: the decoder of its type reads it
			// with the stated size.
			var cfg image.Config
			if img.ContentType == PNG {
				cfg, err = png.DecodeConfig(bytes.NewReader(img.Data))
			} else {
				cfg, err = jpeg.DecodeConfig(bytes.NewReader(img.Data))
			}
			if err != nil || cfg.Width != img.Width || cfg.Height != img.Height {
				t.Fatalf("output does not decode as %s %d×%d: %v %+v", img.ContentType, img.Width, img.Height, err, cfg)
			}
			if _, _, err := image.Decode(bytes.NewReader(img.Data)); err != nil {
				t.Fatalf("output does not decode: %v", err)
			}
			if bytes.Contains(img.Data, []byte("Exif")) || bytes.Contains(img.Data, []byte(secret)) {
				t.Error("the output keeps the EXIF data")
			}
			if len(img.SHA256) != 64 {
				t.Errorf("sha256 %q", img.SHA256)
			}
		})
	}
}

// TestProcessCancelled: a request that gives up while others decode does
// not wait for its turn.
func TestProcessCancelled(t *testing.T) {
	for range cap(decoding) {
		decoding <- struct{}{}
	}
	defer func() {
		for range cap(decoding) {
			<-decoding
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Process(ctx, pngOf(t, 4, 4, false), Logo); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestSniffKeepsTheContentOverTheName(t *testing.T) {
	// The same PNG bytes are a PNG whatever the client calls them; the
	// check never sees a name or a Content-Type.
	if f, err := Sniff(pngOf(t, 2, 2, false)); err != nil || f != "png" {
		t.Fatalf("sniff png: %q %v", f, err)
	}
	if !strings.HasPrefix(Ext(JPEG), ".jp") || Ext(PNG) != ".png" {
		t.Errorf("Ext: %s %s", Ext(JPEG), Ext(PNG))
	}
}

// FuzzCheckImage feeds arbitrary bytes to the upload check: it may
// refuse them, but it never panics, and what it accepts is a PNG or JPEG
// of the stated size within the limits.
func FuzzCheckImage(f *testing.F) {
	f.Add(pngOf(f, 3, 2, true))
	f.Add(jpegWithExif(f))
	f.Add(gifOf(f))
	f.Add(webpSample(f))
	f.Add(pngHeader(100000, 100000))
	f.Add(pngHeader(10, 10))
	f.Add([]byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8X"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, kind := range Kinds {
			img, err := Process(context.Background(), data, kind)
			if err != nil {
				if refusal(err) == "" || strings.HasPrefix(refusal(err), "unexpected") {
					t.Fatalf("error that is no refusal: %v", err)
				}
				continue
			}
			if img.Width <= 0 || img.Height <= 0 || img.Width > MaxSide || img.Height > MaxSide {
				t.Fatalf("accepted %d×%d", img.Width, img.Height)
			}
			if _, _, err := image.Decode(bytes.NewReader(img.Data)); err != nil {
				t.Fatalf("accepted output does not decode: %v", err)
			}
		}
	})
}
