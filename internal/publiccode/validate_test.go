package publiccode

import (
	"strings"
	"testing"
)

// validYAML is a small, invented file of the current version with no
// problems at all; the cases below change one thing each.
const validYAML = `publiccodeYmlVersion: "0.7"
name: Mängelmelder
url: https://example.org/git/maengelmelder.git
landingURL: https://example.org/maengelmelder
releaseDate: "2025-03-01"
softwareVersion: "1.4.0"
logo: img/logo.svg
platforms:
  - web
categories:
  - feedback-and-reviews-management
developmentStatus: stable
softwareType: standalone/web
organisation:
  uri: https://www.example-kommune.de
  name: Beispielkommune
intendedAudience:
  countries:
    - DE
  scope:
    - local-authorities
description:
  de:
    shortDescription: Bürgerinnen und Bürger melden Schäden im öffentlichen Raum.
    longDescription: >
      Der Mängelmelder nimmt Meldungen über Schlaglöcher, defekte Laternen und wilden Müll
      entgegen, leitet sie an die zuständige Stelle weiter und informiert über den Stand.
    features:
      - Meldung mit Foto und Ort
    screenshots:
      - img/karte.png
legal:
  license: EUPL-1.2
maintenance:
  type: internal
  contacts:
    - name: Erika Mustermann
      email: erika@example.org
      phone: "+49 30 1234567"
localisation:
  localisationReady: true
  availableLanguages:
    - de
`

func TestValidBase(t *testing.T) {
	f, ps := Parse([]byte(validYAML))
	if len(ps) != 0 {
		t.Fatalf("want no problems, got %v", ps)
	}
	s := f.Software
	if s.Name != "Mängelmelder" || s.Description["de"].Features[0] != "Meldung mit Foto und Ort" ||
		s.Maintenance.Contacts[0].Phone != "+49 30 1234567" || !s.Localisation.LocalisationReady ||
		s.Organisation.URI != "https://www.example-kommune.de" || f.Version != "0.7" {
		t.Errorf("mapped wrongly: %+v", s)
	}
}

// TestRules runs one rule per case. Each case replaces text in validYAML
// (or gives a whole file) and expects a problem with code, path and line.
func TestRules(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // replacement in validYAML
		yaml     string // whole file instead of a replacement
		code     Code
		path     string
		line     int
		severity Severity
	}{
		{name: "version as number", old: `"0.7"`, new: `0.7`, code: CodeVersionNotString, path: "publiccodeYmlVersion", line: 1, severity: Warning},
		{name: "unknown version", old: `"0.7"`, new: `"1.0"`, code: CodeVersionUnknown, path: "publiccodeYmlVersion", line: 1},
		{name: "old version", old: `"0.7"`, new: `"0.6"`, code: CodeVersionOutdated, path: "publiccodeYmlVersion", line: 1, severity: Warning},
		{name: "missing version", old: "publiccodeYmlVersion: \"0.7\"\n", new: "", code: CodeRequired, path: "publiccodeYmlVersion", line: 1},
		{name: "missing name", old: "name: Mängelmelder\n", new: "", code: CodeRequired, path: "name", line: 1},
		{name: "url not a URL", old: "url: https://example.org/git/maengelmelder.git", new: "url: maengelmelder", code: CodeInvalidURL, path: "url", line: 3},
		{name: "landingURL not http", old: "landingURL: https://", new: "landingURL: ftp://", code: CodeInvalidURL, path: "landingURL", line: 4},
		{name: "bad date", old: `"2025-03-01"`, new: `"01.03.2025"`, code: CodeInvalidDate, path: "releaseDate", line: 5},
		{name: "releaseDate required before 0.4", yaml: strings.NewReplacer(`"0.7"`, `"0.3"`, "releaseDate: \"2025-03-01\"\n", "").Replace(validYAML), code: CodeRequired, path: "releaseDate", line: 1},
		{name: "releaseDate optional since 0.4", old: "releaseDate: \"2025-03-01\"\n", new: ""},
		{name: "logo type", old: "img/logo.svg", new: "img/logo.jpg", code: CodeFileType, path: "logo", line: 7},
		{name: "platforms empty", old: "platforms:\n  - web\n", new: "platforms: []\n", code: CodeEmptyList, path: "platforms", line: 8},
		{name: "unknown category", old: "feedback-and-reviews-management", new: "government", code: CodeNotAllowed, path: "categories[0]", line: 11},
		{name: "category newer than version", yaml: strings.NewReplacer(`"0.7"`, `"0.4"`, "feedback-and-reviews-management", "other").Replace(validYAML), code: CodeNewerValue, path: "categories[0]", line: 11, severity: Warning},
		{name: "developmentStatus enum", old: "developmentStatus: stable", new: "developmentStatus: production", code: CodeNotAllowed, path: "developmentStatus", line: 12},
		{name: "softwareType enum", old: "standalone/web", new: "standalone/utility", code: CodeNotAllowed, path: "softwareType", line: 13},
		{name: "plain standalone deprecated", old: "standalone/web", new: "standalone", code: CodeDeprecatedValue, path: "softwareType", line: 13, severity: Warning},
		{name: "organisation uri", old: "uri: https://www.example-kommune.de", new: "uri: Beispielkommune", code: CodeInvalidURI, path: "organisation.uri", line: 15},
		{name: "country code", old: "    - DE\n", new: "    - Germany\n", code: CodeInvalidCountry, path: "intendedAudience.countries[0]", line: 19},
		{name: "country lower case", old: "    - DE\n", new: "    - de\n", code: CodeCountryLowercase, path: "intendedAudience.countries[0]", line: 19, severity: Warning},
		{name: "scope enum", old: "local-authorities", new: "government", code: CodeNotAllowed, path: "intendedAudience.scope[0]", line: 21},
		{name: "language key", old: "  de:\n    short", new: "  deutsch-land:\n    short", code: CodeInvalidLanguage, path: "description.deutsch-land", line: 23},
		{name: "shortDescription too long", old: "Bürgerinnen und Bürger melden Schäden im öffentlichen Raum.", new: strings.Repeat("ä", 151), code: CodeTooLong, path: "description.de.shortDescription", line: 24},
		{name: "shortDescription 150 is fine", old: "Bürgerinnen und Bürger melden Schäden im öffentlichen Raum.", new: strings.Repeat("ä", 150)},
		{name: "longDescription too short", old: "Der Mängelmelder nimmt Meldungen über Schlaglöcher, defekte Laternen und wilden Müll\n", new: "", code: CodeTooShort, path: "description.de.longDescription", line: 25},
		{name: "features missing", old: "    features:\n      - Meldung mit Foto und Ort\n", new: "", code: CodeRequiredOneLanguage, path: "description", line: 22},
		{name: "features wrong type", old: "    features:\n      - Meldung mit Foto und Ort\n", new: "    features: Meldung\n", code: CodeWrongType, path: "description.de.features", line: 28},
		{name: "screenshot type", old: "img/karte.png", new: "img/karte.gif", code: CodeFileType, path: "description.de.screenshots[0]", line: 31},
		{name: "licence", old: "EUPL-1.2", new: "EUPL 1.2", code: CodeInvalidLicense, path: "legal.license", line: 33},
		{name: "licence expression", old: "EUPL-1.2", new: "MIT OR Apache-2.0"},
		{name: "deprecated licence", old: "EUPL-1.2", new: "GPL-3.0", code: CodeDeprecatedLicense, path: "legal.license", line: 33, severity: Warning},
		{name: "maintenance type", old: "type: internal", new: "type: commercial", code: CodeNotAllowed, path: "maintenance.type", line: 35},
		{name: "contacts required", old: "    - name: Erika Mustermann\n      email: erika@example.org\n      phone: \"+49 30 1234567\"\n", new: "", code: CodeContactsRequired, path: "maintenance.contacts", line: 36},
		{name: "contractors required", old: "type: internal", new: "type: contract", code: CodeContractorsRequired, path: "maintenance.contractors", line: 34},
		{name: "contractors forbidden", old: "  contacts:\n", new: "  contractors:\n    - name: Firma\n      until: \"2030-01-01\"\n  contacts:\n", code: CodeContractorsNotAllowed, path: "maintenance.contractors", line: 36},
		{name: "contractor until", old: "type: internal\n  contacts:\n", new: "type: contract\n  contractors:\n    - name: Firma\n      until: 2030\n  contacts:\n", code: CodeInvalidDate, path: "maintenance.contractors[0].until", line: 38},
		{name: "email", old: "erika@example.org", new: "erika at example.org", code: CodeInvalidEmail, path: "maintenance.contacts[0].email", line: 38},
		{name: "phone as number", old: `"+49 30 1234567"`, new: `4930123`, code: CodeNotString, path: "maintenance.contacts[0].phone", line: 39, severity: Warning},
		{name: "localisationReady yes", old: "localisationReady: true", new: "localisationReady: yes", code: CodeYAML11Bool, path: "localisation.localisationReady", line: 41, severity: Warning},
		{name: "localisationReady text", old: "localisationReady: true", new: "localisationReady: maybe", code: CodeWrongType, path: "localisation.localisationReady", line: 41},
		{name: "localisationReady missing", old: "  localisationReady: true\n", new: "", code: CodeRequired, path: "localisation.localisationReady", line: 40},
		{name: "availableLanguages tag", old: "    - de\n", new: "    - deutsch\n", code: CodeInvalidLanguage, path: "localisation.availableLanguages[0]", line: 43},
		{name: "missing section", old: "legal:\n  license: EUPL-1.2\n", new: "", code: CodeRequired, path: "legal", line: 1},
		{name: "unknown key", old: "platforms:", new: "colour: blue\nplatforms:", code: CodeUnknownKey, path: "colour", line: 8, severity: Warning},
		{name: "country section kept", old: "platforms:", new: "nl:\n  commonground:\n    layerType: integration\nplatforms:"},
		{name: "it deprecated in 0.7", old: "platforms:", new: "it:\n  countryExtensionVersion: \"1.0\"\nplatforms:", code: CodeDeprecated, path: "it", line: 8, severity: Warning},
		{name: "genericName deprecated", old: "    shortDescription:", new: "    genericName: Meldesystem\n    shortDescription:", code: CodeDeprecated, path: "description.de.genericName", line: 24, severity: Warning},
		{name: "supports alias", old: "platforms:", new: "supports:\n  - id: alias:gdpr\n  - id: alias:ozg\nplatforms:", code: CodeUnknownAlias, path: "supports[1].id", line: 10},
		{name: "categories required before 0.5", yaml: strings.NewReplacer(`"0.7"`, `"0.4"`, "categories:\n  - feedback-and-reviews-management\n", "").Replace(validYAML), code: CodeRequired, path: "categories", line: 1},
		{name: "supports too new", yaml: strings.NewReplacer(`"0.7"`, `"0.5"`, "platforms:", "supports:\n  - id: alias:gdpr\nplatforms:").Replace(validYAML), code: CodeNewerKey, path: "supports", line: 8, severity: Warning},
		{name: "organisation too new", old: `"0.7"`, new: `"0.4"`, code: CodeNewerKey, path: "organisation", line: 14, severity: Warning},
		{name: "dependency name", old: "localisation:", new: "dependsOn:\n  open:\n    - versionMin: \"1.0\"\nlocalisation:", code: CodeRequired, path: "dependsOn.open[0].name", line: 42},
		{name: "duplicate key", old: "platforms:", new: "name: Zweiter Name\nplatforms:", code: CodeSyntax, line: 8},
		{name: "syntax", yaml: "name: [unclosed\nurl: x\n", code: CodeSyntax, line: 2},
		{name: "root is a list", yaml: "- a\n- b\n", code: CodeRootNotMapping, line: 1},
		{name: "root is text", yaml: "just text\n", code: CodeRootNotMapping, line: 1},
		{name: "empty", yaml: "  \n# only a comment\n", code: CodeEmpty},
		{name: "not UTF-8", yaml: "name: M\xe4ngel\n", code: CodeNotUTF8, line: 1},
		{name: "0.1 key and ISO 639-2", yaml: strings.Replace(strings.Replace(validYAML, `publiccodeYmlVersion: "0.7"`, `publiccode-yaml-version: "0.1"`, 1), "  de:\n", "  deu:\n", 1)},
		{name: "ISO 639-2 after 0.1", old: "  de:\n    short", new: "  deu:\n    short", code: CodeLanguageNotShortest, path: "description.deu", line: 23, severity: Warning},
		{name: "too deep", yaml: "a: " + strings.Repeat("[", 100), code: CodeTooDeep, line: 1},
		{name: "alias bomb", yaml: aliasBomb(), code: CodeTooComplex},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.yaml
			if src == "" {
				if !strings.Contains(validYAML, tt.old) {
					t.Fatalf("validYAML does not contain %q", tt.old)
				}
				src = strings.Replace(validYAML, tt.old, tt.new, 1)
			}
			_, ps := Parse([]byte(src))
			if tt.code == "" {
				if HasErrors(ps) {
					t.Fatalf("want no errors, got %v", ps)
				}
				return
			}
			for _, p := range ps {
				if p.Code == tt.code && (tt.path == "" || p.Path == tt.path) {
					if tt.line != 0 && p.Line != tt.line {
						t.Errorf("line %d, want %d: %s", p.Line, tt.line, p)
					}
					if p.Severity != tt.severity {
						t.Errorf("severity %s, want %s", p.Severity, tt.severity)
					}
					return
				}
			}
			t.Errorf("want %s at %q, got %v", tt.code, tt.path, ps)
		})
	}
}

func aliasBomb() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func TestProblemText(t *testing.T) {
	p := Problem{Line: 3, Column: 1, Path: "maintenance.type", Code: CodeNotAllowed, Args: []string{"commercial", "internal, contract"}}
	if got := p.Text("de"); got != `"commercial" ist kein zulässiger Wert. Zulässig: internal, contract.` {
		t.Errorf("de: %s", got)
	}
	if got := p.Text("en"); got != `"commercial" is not an allowed value. Allowed: internal, contract.` {
		t.Errorf("en: %s", got)
	}
	for code, m := range messages {
		if m.en == "" || m.de == "" {
			t.Errorf("%s lacks a text", code)
		}
	}
}
