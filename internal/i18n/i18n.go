// Package i18n holds the user interface texts in German and English and
// chooses the language of a request.
//
// Messages live in locales/<lang>.json, and for larger areas of the
// product in locales/<area>.<lang>.json, with flat dotted keys
// ("nav.municipalities"). A value is either a string or, for texts that
// depend on a number, an object with the plural forms "one" and "other".
// Values are Go text/template strings: T("de", "list.total", "Count", 3)
// fills {{.Count}}.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Supported lists the languages of the user interface; the first is the
// default and the fallback for any text missing in another language.
var Supported = []string{"de", "en"}

// Default is the language used when nothing else matches.
const Default = "de"

//go:embed locales/*.json
var locales embed.FS

// Bundle translates message keys. It is safe for concurrent use.
type Bundle struct {
	localizers map[string]*goi18n.Localizer
	keys       map[string]bool // message keys of the default language
	missing    sync.Map        // "lang\x00key" → struct{}; each missing key is logged once
}

// Load parses the embedded message files of all supported languages.
func Load() (*Bundle, error) {
	b := goi18n.NewBundle(language.MustParse(Default))
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	bundle := &Bundle{localizers: make(map[string]*goi18n.Localizer, len(Supported)), keys: map[string]bool{}}
	for _, lang := range Supported {
		files, err := localeFiles(lang)
		if err != nil {
			return nil, err
		}
		for _, name := range files {
			mf, err := b.LoadMessageFileFS(locales, name)
			if err != nil {
				return nil, fmt.Errorf("i18n: load %s: %w", name, err)
			}
			if lang == Default {
				for _, m := range mf.Messages {
					if bundle.keys[m.ID] {
						return nil, fmt.Errorf("i18n: %s: key %q is defined twice", name, m.ID)
					}
					bundle.keys[m.ID] = true
				}
			}
		}
		bundle.localizers[lang] = goi18n.NewLocalizer(b, lang)
	}
	return bundle, nil
}

// localeFiles lists the message files of lang: locales/<lang>.json first,
// then locales/<area>.<lang>.json in name order.
func localeFiles(lang string) ([]string, error) {
	areas, err := fs.Glob(locales, "locales/*."+lang+".json")
	if err != nil {
		return nil, fmt.Errorf("i18n: list %s: %w", lang, err)
	}
	return append([]string{"locales/" + lang + ".json"}, areas...), nil
}

// T returns the text for key in lang. kv are pairs of template data names
// and values; a "Count" pair also selects the plural form. An unsupported
// lang falls back to the default language. A missing key returns the key
// itself, so a gap is visible on the page without breaking it, and is logged
// once.
func (b *Bundle) T(lang, key string, kv ...any) string {
	loc, ok := b.localizers[lang]
	if !ok {
		lang = Default
		loc = b.localizers[Default]
	}
	cfg := &goi18n.LocalizeConfig{MessageID: key}
	if len(kv) > 0 {
		data := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			name, ok := kv[i].(string)
			if !ok {
				continue
			}
			data[name] = kv[i+1]
		}
		cfg.TemplateData = data
		if n, ok := data["Count"]; ok {
			cfg.PluralCount = n
		}
	}
	msg, err := loc.Localize(cfg)
	if err != nil {
		if _, seen := b.missing.LoadOrStore(lang+"\x00"+key, struct{}{}); !seen {
			slog.Warn("i18n: message not translated", "lang", lang, "key", key, "err", err)
		}
		if msg == "" {
			return key
		}
	}
	return msg
}

// Has reports whether key has a text, for keys made from data (such as
// audit log actions) that may have none.
func (b *Bundle) Has(key string) bool { return b.keys[key] }

// IsSupported reports whether lang is one of Supported.
func IsSupported(lang string) bool {
	for _, l := range Supported {
		if l == lang {
			return true
		}
	}
	return false
}
