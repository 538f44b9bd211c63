package publiccode

// Code identifies the kind of a Problem; it is stable and meant for
// programs (filters, statistics, tests).
type Code string

// Problem codes. The texts live in messages below.
const (
	CodeTooLarge              Code = "too_large"
	CodeNotUTF8               Code = "not_utf8"
	CodeEmpty                 Code = "empty"
	CodeSyntax                Code = "yaml_syntax"
	CodeTooDeep               Code = "too_deep"
	CodeTooComplex            Code = "too_complex"
	CodeRootNotMapping        Code = "root_not_mapping"
	CodeMultipleDocuments     Code = "multiple_documents"
	CodeWrongType             Code = "wrong_type"
	CodeNotString             Code = "not_string"
	CodeUnknownKey            Code = "unknown_key"
	CodeRequired              Code = "required"
	CodeRequiredOneLanguage   Code = "required_one_language"
	CodeEmptyList             Code = "empty_list"
	CodeVersionUnknown        Code = "version_unknown"
	CodeVersionNotString      Code = "version_not_string"
	CodeVersionOutdated       Code = "version_outdated"
	CodeDeprecated            Code = "deprecated"
	CodeNewerKey              Code = "newer_key"
	CodeNotAllowed            Code = "not_allowed"
	CodeDeprecatedValue       Code = "deprecated_value"
	CodeNewerValue            Code = "newer_value"
	CodeInvalidURL            Code = "invalid_url"
	CodeInvalidURI            Code = "invalid_uri"
	CodeInvalidDate           Code = "invalid_date"
	CodeInvalidLicense        Code = "invalid_license"
	CodeDeprecatedLicense     Code = "deprecated_license"
	CodeInvalidLanguage       Code = "invalid_language"
	CodeLanguageNotShortest   Code = "language_not_shortest"
	CodeInvalidCountry        Code = "invalid_country"
	CodeCountryLowercase      Code = "country_lowercase"
	CodeTooLong               Code = "too_long"
	CodeTooShort              Code = "too_short"
	CodeInvalidEmail          Code = "invalid_email"
	CodeFileType              Code = "file_type"
	CodeContractorsRequired   Code = "contractors_required"
	CodeContractorsNotAllowed Code = "contractors_not_allowed"
	CodeContactsRequired      Code = "contacts_required"
	CodeUnknownAlias          Code = "unknown_alias"
	CodeYAML11Bool            Code = "yaml11_bool"
)

// messages holds the English and German text of every code. Placeholders
// are filled from Problem.Args with %[n]s. The texts are kept here rather than
// in the platform's locale files so that the package stands alone.
var messages = map[Code]struct{ en, de string }{
	CodeTooLarge: {
		"The file is larger than %[1]s bytes and was not read.",
		"Die Datei ist größer als %[1]s Bytes und wurde nicht gelesen."},
	CodeNotUTF8: {
		"The file is not UTF-8 encoded (invalid bytes at byte offset %[1]s, line %[2]s). Save it as UTF-8.",
		"Die Datei ist nicht in UTF-8 kodiert (ungültige Bytes ab Byte %[1]s, Zeile %[2]s). Bitte als UTF-8 speichern."},
	CodeEmpty: {
		"The file is empty.",
		"Die Datei ist leer."},
	CodeSyntax: {
		"The file is not valid YAML: %[1]s.",
		"Die Datei ist kein gültiges YAML: %[1]s."},
	CodeTooDeep: {
		"The file is nested more than %[1]s levels deep.",
		"Die Datei ist tiefer als %[1]s Ebenen verschachtelt."},
	CodeTooComplex: {
		"The file expands to too many values through YAML aliases (more than %[1]s).",
		"Die Datei ergibt über YAML-Aliase zu viele Werte (mehr als %[1]s)."},
	CodeRootNotMapping: {
		"The file must be a YAML mapping of keys such as name, url and description.",
		"Die Datei muss eine YAML-Zuordnung mit Schlüsseln wie name, url und description sein."},
	CodeMultipleDocuments: {
		"The file holds more than one YAML document; only the first one is read.",
		"Die Datei enthält mehr als ein YAML-Dokument; nur das erste wird gelesen."},
	CodeWrongType: {
		"Expected %[1]s here, found %[2]s.",
		"Erwartet wird hier %[1]s, gefunden wurde %[2]s."},
	CodeNotString: {
		"This value is read as %[1]s; write it in quotes so that it is text, e.g. \"%[2]s\".",
		"Dieser Wert wird als %[1]s gelesen; bitte in Anführungszeichen setzen, damit er Text ist, z. B. \"%[2]s\"."},
	CodeUnknownKey: {
		"The key %[1]s is not part of the standard and is ignored.",
		"Der Schlüssel %[1]s gehört nicht zum Standard und wird ignoriert."},
	CodeRequired: {
		"The key %[1]s is required but missing or empty.",
		"Der Schlüssel %[1]s ist Pflicht, fehlt aber oder ist leer."},
	CodeRequiredOneLanguage: {
		"At least one language in description must have %[1]s.",
		"Mindestens eine Sprache unter description muss %[1]s enthalten."},
	CodeEmptyList: {
		"The list must have at least one entry.",
		"Die Liste muss mindestens einen Eintrag haben."},
	CodeVersionUnknown: {
		"publiccodeYmlVersion %[1]q is not a published version of the standard (known: %[2]s); the file is checked against version %[3]s.",
		"publiccodeYmlVersion %[1]q ist keine veröffentlichte Version des Standards (bekannt: %[2]s); die Datei wird nach Version %[3]s geprüft."},
	CodeVersionNotString: {
		"publiccodeYmlVersion is written as a number; write it in quotes, e.g. \"%[1]s\".",
		"publiccodeYmlVersion ist als Zahl geschrieben; bitte in Anführungszeichen setzen, z. B. \"%[1]s\"."},
	CodeVersionOutdated: {
		"The file follows version %[1]s of the standard; the current version is %[2]s.",
		"Die Datei folgt Version %[1]s des Standards; aktuell ist Version %[2]s."},
	CodeDeprecated: {
		"The key %[1]s is deprecated since version %[2]s. %[3]s",
		"Der Schlüssel %[1]s ist seit Version %[2]s veraltet. %[3]s"},
	CodeNewerKey: {
		"The key %[1]s exists only since version %[2]s, but the file declares version %[3]s.",
		"Den Schlüssel %[1]s gibt es erst seit Version %[2]s, die Datei gibt aber Version %[3]s an."},
	CodeNotAllowed: {
		"%[1]q is not an allowed value. Allowed: %[2]s.",
		"%[1]q ist kein zulässiger Wert. Zulässig: %[2]s."},
	CodeDeprecatedValue: {
		"The value %[1]q is deprecated; use %[2]s.",
		"Der Wert %[1]q ist veraltet; bitte %[2]s verwenden."},
	CodeNewerValue: {
		"The value %[1]q exists only since version %[2]s, but the file declares version %[3]s.",
		"Den Wert %[1]q gibt es erst seit Version %[2]s, die Datei gibt aber Version %[3]s an."},
	CodeInvalidURL: {
		"%[1]q is not a valid %[2]s URL.",
		"%[1]q ist keine gültige %[2]s-URL."},
	CodeInvalidURI: {
		"%[1]q is not a valid URI (it needs a scheme such as https: or urn:).",
		"%[1]q ist keine gültige URI (sie braucht ein Schema wie https: oder urn:)."},
	CodeInvalidDate: {
		"%[1]q is not a date in the form YYYY-MM-DD.",
		"%[1]q ist kein Datum der Form JJJJ-MM-TT."},
	CodeInvalidLicense: {
		"%[1]q is not a valid SPDX licence expression (e.g. AGPL-3.0-or-later, MIT OR Apache-2.0).",
		"%[1]q ist kein gültiger SPDX-Lizenzausdruck (z. B. AGPL-3.0-or-later, MIT OR Apache-2.0)."},
	CodeDeprecatedLicense: {
		"%[1]q uses a deprecated SPDX licence identifier; use the -only or -or-later form.",
		"%[1]q verwendet einen veralteten SPDX-Lizenzbezeichner; bitte die Form -only oder -or-later verwenden."},
	CodeInvalidLanguage: {
		"%[1]q is not a valid language tag (BCP 47, e.g. de, en, pt-BR).",
		"%[1]q ist kein gültiges Sprachkürzel (BCP 47, z. B. de, en, pt-BR)."},
	CodeLanguageNotShortest: {
		"The language tag %[1]q should be written as %[2]q.",
		"Das Sprachkürzel %[1]q sollte als %[2]q geschrieben werden."},
	CodeInvalidCountry: {
		"%[1]q is not an ISO 3166-1 alpha-2 country code (e.g. DE, IT).",
		"%[1]q ist kein Ländercode nach ISO 3166-1 alpha-2 (z. B. DE, IT)."},
	CodeCountryLowercase: {
		"Country codes should be upper case since version 0.5: write %[1]q.",
		"Ländercodes sollen seit Version 0.5 großgeschrieben werden: %[1]q."},
	CodeTooLong: {
		"The text has %[2]s characters; at most %[1]s are allowed.",
		"Der Text hat %[2]s Zeichen; höchstens %[1]s sind erlaubt."},
	CodeTooShort: {
		"The text has %[2]s characters; at least %[1]s are required.",
		"Der Text hat %[2]s Zeichen; mindestens %[1]s sind nötig."},
	CodeInvalidEmail: {
		"%[1]q is not a valid e-mail address.",
		"%[1]q ist keine gültige E-Mail-Adresse."},
	CodeFileType: {
		"%[1]q has the wrong file type; allowed: %[2]s.",
		"%[1]q hat den falschen Dateityp; erlaubt: %[2]s."},
	CodeContractorsRequired: {
		"maintenance.type is contract, so maintenance.contractors must list at least one contractor.",
		"maintenance.type ist contract, daher muss maintenance.contractors mindestens einen Auftragnehmer nennen."},
	CodeContractorsNotAllowed: {
		"maintenance.contractors is only allowed when maintenance.type is contract.",
		"maintenance.contractors ist nur erlaubt, wenn maintenance.type contract ist."},
	CodeContactsRequired: {
		"maintenance.type is %[1]s, so maintenance.contacts must list at least one person.",
		"maintenance.type ist %[1]s, daher muss maintenance.contacts mindestens eine Person nennen."},
	CodeYAML11Bool: {
		"%[1]q is a boolean only in YAML 1.1; write %[2]s.",
		"%[1]q ist nur in YAML 1.1 ein Wahrheitswert; bitte %[2]s schreiben."},
	CodeUnknownAlias: {
		"%[1]q is not a known alias; known: %[2]s.",
		"%[1]q ist kein bekannter Alias; bekannt: %[2]s."},
}
