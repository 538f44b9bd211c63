package publiccode

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// checker applies the value rules of the standard to a decoded Software.
// Rules that differ between versions ask c.v.
type checker struct {
	v        version
	pos      map[string]position
	problems []Problem
}

// validate checks s as decoded by d and returns the problems found.
func validate(s *Software, d *decoder) []Problem {
	c := &checker{v: d.v, pos: d.pos}
	c.top(s)
	c.audience(&s.IntendedAudience)
	c.descriptions(s.Description)
	c.legal(&s.Legal)
	c.maintenance(&s.Maintenance)
	c.localisation(&s.Localisation)
	for kind, deps := range map[string][]Dependency{"open": s.DependsOn.Open, "proprietary": s.DependsOn.Proprietary, "hardware": s.DependsOn.Hardware} {
		for i, dep := range deps {
			c.required(index("dependsOn."+kind, i)+".name", dep.Name)
		}
	}
	return c.problems
}

// at finds where path (or its nearest written parent) is in the file, so
// that a missing key is reported at the section that should hold it.
func (c *checker) at(path string) (int, int) {
	for path != "" {
		if p, ok := c.pos[path]; ok {
			return p.line, p.column
		}
		cut := strings.LastIndexAny(path, ".[")
		if cut < 0 {
			break
		}
		path = path[:cut]
	}
	return 1, 1
}

func (c *checker) add(path string, sev Severity, code Code, args ...string) {
	line, col := c.at(path)
	c.problems = append(c.problems, Problem{Line: line, Column: col, Path: path, Severity: sev, Code: code, Args: args})
}

// present reports whether a key was written with a value of the right type.
func (c *checker) present(path string) bool {
	_, ok := c.pos[path]
	return ok
}

// required reports a missing or empty value and returns whether it is set.
func (c *checker) required(path, value string) bool {
	if strings.TrimSpace(value) == "" {
		c.add(path, Error, CodeRequired, path)
		return false
	}
	return true
}

func (c *checker) requiredList(path string, values []string) bool {
	if len(values) > 0 {
		return true
	}
	if c.present(path) {
		c.add(path, Error, CodeEmptyList)
	} else {
		c.add(path, Error, CodeRequired, path)
	}
	return false
}

func (c *checker) enum(path, value string, allowed []string) {
	if value != "" && !contains(allowed, value) {
		c.add(path, Error, CodeNotAllowed, value, listText(allowed))
	}
}

func (c *checker) top(s *Software) {
	c.required("name", s.Name)
	if c.required("url", s.URL) {
		c.url("url", s.URL, false)
	}
	c.url("landingURL", s.LandingURL, true)
	c.url("roadmap", s.Roadmap, true)
	for i, u := range s.IsBasedOn {
		c.url(index("isBasedOn", i), u, false)
	}
	if c.v.minor < 4 {
		c.required("releaseDate", s.ReleaseDate)
	}
	c.date("releaseDate", s.ReleaseDate)
	c.fileType("logo", s.Logo, ".svg", ".svgz", ".png")
	c.requiredList("platforms", s.Platforms)
	c.categories(s.Categories)
	if c.required("developmentStatus", s.DevelopmentStatus) {
		c.enum("developmentStatus", s.DevelopmentStatus, developmentStatuses)
	}
	if c.required("softwareType", s.SoftwareType) {
		c.softwareType(s.SoftwareType)
	}
	for i, id := range s.Supports {
		c.support(index("supports", i)+".id", id)
	}
	if s.Organisation != nil {
		c.uri("organisation.uri", s.Organisation.URI)
	}
	for i, o := range s.FundedBy {
		c.uri(index("fundedBy", i)+".uri", o.URI)
	}
	for i, t := range s.InputTypes {
		c.mediaType(index("inputTypes", i), t)
	}
	for i, t := range s.OutputTypes {
		c.mediaType(index("outputTypes", i), t)
	}
}

func (c *checker) categories(list []string) {
	if c.v.minor < 5 && !c.present("tags") {
		c.requiredList("categories", list)
	}
	for i, cat := range list {
		p := index("categories", i)
		added, ok := categories[cat]
		switch {
		case !ok:
			c.add(p, Error, CodeNotAllowed, cat, "the category list of the standard")
		case added > c.v.minor:
			c.add(p, Warning, CodeNewerValue, cat, since(added), c.v.name)
		}
	}
}

func (c *checker) softwareType(t string) {
	if t == "standalone" {
		if c.v.minor >= 2 {
			c.add("softwareType", Warning, CodeDeprecatedValue, t, "standalone/web, standalone/desktop, standalone/backend …")
		}
		return
	}
	c.enum("softwareType", t, softwareTypes)
}

func (c *checker) support(path, id string) {
	if !c.required(path, id) {
		return
	}
	if alias, ok := strings.CutPrefix(id, "alias:"); ok {
		if !contains(supportAliases, alias) {
			c.add(path, Error, CodeUnknownAlias, id, "alias:"+strings.Join(supportAliases, ", alias:"))
		}
		return
	}
	c.uri(path, id)
}

func (c *checker) audience(a *IntendedAudience) {
	for i, cc := range a.Countries {
		c.country(index("intendedAudience.countries", i), cc)
	}
	for i, cc := range a.UnsupportedCountries {
		c.country(index("intendedAudience.unsupportedCountries", i), cc)
	}
	for i, sc := range a.Scope {
		c.enum(index("intendedAudience.scope", i), sc, scopes)
	}
}

func (c *checker) country(path, cc string) {
	if !isCountryKey(cc) {
		c.add(path, Error, CodeInvalidCountry, cc)
		return
	}
	if c.v.minor >= 5 && cc != strings.ToUpper(cc) {
		c.add(path, Warning, CodeCountryLowercase, strings.ToUpper(cc))
	}
}

// section reports a missing top-level section once, instead of every key
// that it should hold.
func (c *checker) section(name string) bool {
	if c.present(name) {
		return true
	}
	c.add(name, Error, CodeRequired, name)
	return false
}

func (c *checker) legal(l *Legal) {
	if !c.section("legal") {
		return
	}
	if c.required("legal.license", l.License) {
		c.license("legal.license", l.License)
	}
}

func (c *checker) maintenance(m *Maintenance) {
	if !c.section("maintenance") {
		return
	}
	if c.required("maintenance.type", m.Type) {
		c.enum("maintenance.type", m.Type, maintenanceTypes)
	}
	switch {
	case m.Type == "contract" && len(m.Contractors) == 0:
		c.add("maintenance.contractors", Error, CodeContractorsRequired)
	case m.Type != "contract" && len(m.Contractors) > 0:
		c.add("maintenance.contractors", Error, CodeContractorsNotAllowed)
	}
	if (m.Type == "internal" || m.Type == "community") && len(m.Contacts) == 0 {
		c.add("maintenance.contacts", Error, CodeContactsRequired, m.Type)
	}
	for i, k := range m.Contractors {
		p := index("maintenance.contractors", i)
		c.required(p+".name", k.Name)
		if c.required(p+".until", k.Until) {
			c.date(p+".until", k.Until)
		}
		c.email(p+".email", k.Email)
		c.url(p+".website", k.Website, true)
	}
	for i, k := range m.Contacts {
		p := index("maintenance.contacts", i)
		c.required(p+".name", k.Name)
		c.email(p+".email", k.Email)
	}
}

func (c *checker) localisation(l *Localisation) {
	if !c.section("localisation") {
		return
	}
	if !c.present("localisation.localisationReady") {
		c.add("localisation.localisationReady", Error, CodeRequired, "localisation.localisationReady")
	}
	if c.requiredList("localisation.availableLanguages", l.AvailableLanguages) {
		for i, tag := range l.AvailableLanguages {
			c.language(index("localisation.availableLanguages", i), tag)
		}
	}
}

// length checks the number of characters; Unicode code points stand in
// for grapheme clusters, which differ only for combining sequences.
func (c *checker) length(path, s string, lo, hi int) {
	if s == "" && !c.present(path) {
		return
	}
	n := utf8.RuneCountInString(strings.TrimRight(s, "\n"))
	switch {
	case hi > 0 && n > hi:
		c.add(path, Error, CodeTooLong, strconv.Itoa(hi), strconv.Itoa(n))
	case n < lo:
		c.add(path, Error, CodeTooShort, strconv.Itoa(lo), strconv.Itoa(n))
	}
}
