package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/i18n"
)

func TestLegalDefaults(t *testing.T) {
	r := mustRenderer(t, Options{})
	for _, doc := range LegalDocs {
		for _, lang := range i18n.Supported {
			h, err := r.Legal(doc, lang)
			if err != nil {
				t.Fatalf("%s.%s: %v", doc, lang, err)
			}
			s := string(h)
			if !strings.Contains(s, "<h2") {
				t.Errorf("%s.%s: no sections", doc, lang)
			}
			if strings.Contains(s, "<h1") {
				t.Errorf("%s.%s: has its own <h1>; the page sets it", doc, lang)
			}
			if strings.Contains(s, "<!--") {
				t.Errorf("%s.%s: operator comment reached the page", doc, lang)
			}
		}
	}
	de, _ := r.Legal("impressum", "de")
	if !strings.Contains(string(de), "[Betreiber eintragen") {
		t.Error("German Impressum has no marked operator placeholder")
	}
	a11y, _ := r.Legal("barrierefreiheit", "de")
	for _, s := range []string{"Stand der Vereinbarkeit", "Nicht barrierefreie Inhalte", "Erstellung dieser Erklärung", "Feedback und Kontakt", "Schlichtungsverfahren", `href="#rueckmeldung"`, "schlichtungsstelle-bgg.de"} {
		if !strings.Contains(string(a11y), s) {
			t.Errorf("Erklärung zur Barrierefreiheit lacks %q", s)
		}
	}
}

func TestLegalContentDir(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("impressum.de.md", "## Stadt Musterhausen\n\nRathausplatz 1\n\n<script>alert(1)</script>\n\n<a href=\"javascript:alert(2)\" onclick=\"x()\">Link</a> <abbr title=\"Amtlicher Gemeindeschlüssel\">AGS</abbr>\n")
	write("datenschutz.en.md", "## Privacy of Musterhausen\n")
	r := mustRenderer(t, Options{ContentDir: dir})

	h, err := r.Legal("impressum", "de")
	if err != nil {
		t.Fatal(err)
	}
	s := string(h)
	if !strings.Contains(s, "Stadt Musterhausen") || strings.Contains(s, "Betreiber eintragen") {
		t.Errorf("override not used: %s", s)
	}
	for _, bad := range []string{"<script", "alert(1)", "javascript:", "onclick"} {
		if strings.Contains(s, bad) {
			t.Errorf("unsafe %q survived sanitising: %s", bad, s)
		}
	}
	if !strings.Contains(s, "<abbr") {
		t.Errorf("harmless HTML removed: %s", s)
	}

	// English without its own file: the operator's German text, not the template.
	if h, _ := r.Legal("impressum", "en"); !strings.Contains(string(h), "Stadt Musterhausen") {
		t.Errorf("en falls back to the embedded template instead of the operator's German text: %s", h)
	}
	if h, _ := r.Legal("datenschutz", "en"); !strings.Contains(string(h), "Privacy of Musterhausen") {
		t.Errorf("datenschutz.en override not used: %s", h)
	}
	// Nothing in the directory: embedded default.
	if h, _ := r.Legal("datenschutz", "de"); !strings.Contains(string(h), "Verantwortliche Stelle") {
		t.Errorf("datenschutz.de: embedded default not used: %s", h)
	}
	if h, _ := r.Legal("barrierefreiheit", "xx"); !strings.Contains(string(h), "Schlichtungsverfahren") {
		t.Error("unsupported language does not fall back to German")
	}
}

func TestLegalUnknownDoc(t *testing.T) {
	r := mustRenderer(t, Options{ContentDir: t.TempDir()})
	for _, doc := range []string{"", "agb", "../impressum", "impressum.de"} {
		if _, err := r.Legal(doc, "de"); err == nil {
			t.Errorf("Legal(%q): no error", doc)
		}
	}
}
