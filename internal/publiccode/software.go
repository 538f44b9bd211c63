package publiccode

// Software is the neutral, typed content of a publiccode.yml file, independent
// of the version of the standard it was written in. Empty strings and nil
// slices mean "not given".
type Software struct {
	Name              string
	ApplicationSuite  string
	URL               string // source repository; identifies the software
	LandingURL        string
	IsBasedOn         []string
	SoftwareVersion   string
	ReleaseDate       string // YYYY-MM-DD
	Logo              string
	MonochromeLogo    string // deprecated since 0.3
	Platforms         []string
	Categories        []string
	UsedBy            []string
	FundedBy          []Organisation
	Roadmap           string
	DevelopmentStatus string
	SoftwareType      string
	Supports          []string // ids: "alias:<name>" or a URI
	Organisation      *Organisation
	IntendedAudience  IntendedAudience
	InputTypes        []string // deprecated since 0.3
	OutputTypes       []string // deprecated since 0.3

	// Description maps a BCP 47 language tag, as written in the file, to the
	// texts in that language.
	Description  map[string]Description
	Legal        Legal
	Maintenance  Maintenance
	Localisation Localisation
	DependsOn    DependsOn

	// Countries keeps country sections (it, IT, nl, de …) as generic values:
	// map[string]any, []any, string, int64, uint64, float64, bool or nil.
	Countries map[string]any
}

// Organisation is a publishing or funding body.
type Organisation struct {
	URI  string
	Name string
}

// IntendedAudience says where and for what the software is meant to be used.
type IntendedAudience struct {
	Countries            []string
	UnsupportedCountries []string
	Scope                []string
}

// Description holds the texts of one language.
type Description struct {
	LocalisedName    string
	GenericName      string // deprecated since 0.3
	ShortDescription string
	LongDescription  string
	Documentation    string
	APIDocumentation string
	Features         []string
	Screenshots      []string
	Videos           []string
	Awards           []string
}

// Legal holds the licence and ownership information.
type Legal struct {
	License            string // SPDX expression
	MainCopyrightOwner string
	RepoOwner          string // deprecated since 0.5
	AuthorsFile        string // deprecated since 0.4
}

// Maintenance says who maintains the software and how.
type Maintenance struct {
	Type        string // internal, contract, community or none
	Contractors []Contractor
	Contacts    []Contact
}

// Contractor is a company paid to maintain the software until a date.
type Contractor struct {
	Name    string
	Until   string // YYYY-MM-DD
	Email   string
	Website string
}

// Contact is a person who maintains the software.
type Contact struct {
	Name        string
	Email       string
	Phone       string
	Affiliation string
}

// Localisation says whether and in which languages the software is available.
type Localisation struct {
	LocalisationReady  bool
	AvailableLanguages []string
}

// DependsOn lists runtime and system dependencies by kind.
type DependsOn struct {
	Open        []Dependency
	Proprietary []Dependency
	Hardware    []Dependency
}

// Dependency is one runtime or system dependency.
type Dependency struct {
	Name       string
	VersionMin string
	VersionMax string
	Version    string
	Optional   bool
}

// File is the result of parsing a publiccode.yml file.
type File struct {
	// Version is publiccodeYmlVersion as written (a bare number is kept as
	// its source text); empty when the key is missing.
	Version string
	// Software is what could be mapped. Parse returns a nil *File when the
	// input is not YAML at all.
	Software Software
	// Unmapped lists keys that were kept out of Software: unknown keys and
	// keys of old versions that have no place in the current model.
	Unmapped []Field
}

// Field names a place in the file.
type Field struct {
	Path   string
	Line   int
	Column int
}
