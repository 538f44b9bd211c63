package publiccode

import "sort"

// descriptions checks the per-language texts. shortDescription is needed in
// every language, longDescription and features in at least one.
func (c *checker) descriptions(m map[string]Description) {
	if len(m) == 0 {
		c.add("description", Error, CodeRequired, "description")
		return
	}
	langs := make([]string, 0, len(m))
	for lang := range m {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	hasLong, hasFeatures := false, false
	for _, lang := range langs {
		d := m[lang]
		p := "description." + lang
		c.language(p, lang)
		if c.required(p+".shortDescription", d.ShortDescription) {
			c.length(p+".shortDescription", d.ShortDescription, 0, 150)
		}
		c.length(p+".longDescription", d.LongDescription, 150, 10000)
		c.length(p+".genericName", d.GenericName, 0, 35)
		hasLong = hasLong || d.LongDescription != ""
		hasFeatures = hasFeatures || len(d.Features) > 0
		c.url(p+".documentation", d.Documentation, true)
		c.url(p+".apiDocumentation", d.APIDocumentation, true)
		for i, s := range d.Screenshots {
			c.fileType(index(p+".screenshots", i), s, ".png", ".jpg", ".jpeg")
		}
		for i, v := range d.Videos {
			c.url(index(p+".videos", i), v, true)
		}
	}
	if !hasLong {
		c.add("description", Error, CodeRequiredOneLanguage, "longDescription")
	}
	if !hasFeatures {
		c.add("description", Error, CodeRequiredOneLanguage, "features")
	}
}
