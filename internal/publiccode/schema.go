package publiccode

// This file lists the keys of the standard and where each one goes in
// Software. Keys of every version are known here; decoder.versionChecks
// warns about keys that are deprecated or too new for the declared version.

func (d *decoder) software(root *node) Software {
	var s Software
	top := map[string]fieldFunc{
		"publiccodeYmlVersion":    func(*node, string) {}, // read by Parse
		"publiccode-yaml-version": func(*node, string) {},
		"name":                    d.setStr(&s.Name),
		"applicationSuite":        d.setStr(&s.ApplicationSuite),
		"url":                     d.setStr(&s.URL),
		"landingURL":              d.setStr(&s.LandingURL),
		"isBasedOn":               d.setList(&s.IsBasedOn, true),
		"softwareVersion":         d.setStr(&s.SoftwareVersion),
		"releaseDate":             d.setStr(&s.ReleaseDate),
		"logo":                    d.setStr(&s.Logo),
		"monochromeLogo":          d.setStr(&s.MonochromeLogo),
		"inputTypes":              d.setList(&s.InputTypes, false),
		"outputTypes":             d.setList(&s.OutputTypes, false),
		"platforms":               d.setList(&s.Platforms, true),
		"categories":              d.setList(&s.Categories, false),
		"usedBy":                  d.setList(&s.UsedBy, false),
		"roadmap":                 d.setStr(&s.Roadmap),
		"developmentStatus":       d.setStr(&s.DevelopmentStatus),
		"softwareType":            d.setStr(&s.SoftwareType),
		"fundedBy": func(n *node, p string) {
			d.list(n, p, func(n *node, p string) { s.FundedBy = append(s.FundedBy, d.organisation(n, p)) })
		},
		"organisation": func(n *node, p string) {
			if n != nil && n.kind == mappingNode {
				o := d.organisation(n, p)
				s.Organisation = &o
				return
			}
			d.expect(n, mappingNode, p)
		},
		"supports": func(n *node, p string) {
			d.list(n, p, func(n *node, p string) {
				var id string
				d.fields(n, p, "supports", map[string]fieldFunc{"id": d.setStr(&id)})
				s.Supports = append(s.Supports, id)
			})
		},
		"intendedAudience": func(n *node, p string) {
			a := &s.IntendedAudience
			d.fields(n, p, p, map[string]fieldFunc{
				"countries":            d.setList(&a.Countries, false),
				"unsupportedCountries": d.setList(&a.UnsupportedCountries, false),
				"scope":                d.setList(&a.Scope, false),
				"onlyFor":              d.keep,
			})
		},
		"description": func(n *node, p string) {
			if !d.expect(n, mappingNode, p) {
				return
			}
			s.Description = map[string]Description{}
			for _, e := range n.entries {
				lp := join(p, e.key)
				d.pos[lp] = position{e.line, e.column}
				if desc, ok := d.description(e.value, lp); ok {
					s.Description[e.key] = desc
				}
			}
		},
		"legal": func(n *node, p string) {
			l := &s.Legal
			d.fields(n, p, p, map[string]fieldFunc{
				"license":            d.setStr(&l.License),
				"mainCopyrightOwner": d.setStr(&l.MainCopyrightOwner),
				"repoOwner":          d.setStr(&l.RepoOwner),
				"authorsFile":        d.setStr(&l.AuthorsFile),
			})
		},
		"maintenance":  func(n *node, p string) { s.Maintenance = d.maintenance(n, p) },
		"localisation": func(n *node, p string) { s.Localisation = d.localisation(n, p) },
		"dependsOn": func(n *node, p string) {
			do := &s.DependsOn
			d.fields(n, p, p, map[string]fieldFunc{
				"open":        func(n *node, p string) { do.Open = d.dependencies(n, p) },
				"proprietary": func(n *node, p string) { do.Proprietary = d.dependencies(n, p) },
				"hardware":    func(n *node, p string) { do.Hardware = d.dependencies(n, p) },
			})
		},
		"tags":     d.keep,
		"freeTags": d.keep,
	}
	// Country sections are any two-letter country key; they are kept as
	// they are. Registering them per file keeps unknown-key warnings for the rest.
	for _, e := range root.entries {
		if _, known := top[e.key]; !known && isCountryKey(e.key) {
			top[e.key] = func(n *node, p string) {
				if s.Countries == nil {
					s.Countries = map[string]any{}
				}
				s.Countries[p] = toAny(n)
			}
		}
	}
	d.fields(root, "", "", top)
	return s
}

func (d *decoder) organisation(n *node, p string) Organisation {
	var o Organisation
	d.fields(n, p, "organisation", map[string]fieldFunc{
		"uri":  d.setStr(&o.URI),
		"name": d.setStr(&o.Name),
	})
	return o
}

func (d *decoder) description(n *node, p string) (Description, bool) {
	var desc Description
	ok := d.fields(n, p, "description.*", map[string]fieldFunc{
		"localisedName":    d.setStr(&desc.LocalisedName),
		"genericName":      d.setStr(&desc.GenericName),
		"shortDescription": d.setStr(&desc.ShortDescription),
		"longDescription":  d.setStr(&desc.LongDescription),
		"documentation":    d.setStr(&desc.Documentation),
		"apiDocumentation": d.setStr(&desc.APIDocumentation),
		"features":         d.setList(&desc.Features, false),
		"screenshots":      d.setList(&desc.Screenshots, false),
		"videos":           d.setList(&desc.Videos, false),
		"awards":           d.setList(&desc.Awards, false),
	})
	return desc, ok
}

func (d *decoder) maintenance(n *node, p string) Maintenance {
	var m Maintenance
	d.fields(n, p, p, map[string]fieldFunc{
		"type": d.setStr(&m.Type),
		"contractors": func(n *node, p string) {
			d.list(n, p, func(n *node, p string) {
				var c Contractor
				d.fields(n, p, "maintenance.contractors", map[string]fieldFunc{
					"name":    d.setStr(&c.Name),
					"until":   d.setStr(&c.Until),
					"email":   d.setStr(&c.Email),
					"website": d.setStr(&c.Website),
				})
				m.Contractors = append(m.Contractors, c)
			})
		},
		"contacts": func(n *node, p string) {
			d.list(n, p, func(n *node, p string) {
				var c Contact
				d.fields(n, p, "maintenance.contacts", map[string]fieldFunc{
					"name":        d.setStr(&c.Name),
					"email":       d.setStr(&c.Email),
					"phone":       d.setStr(&c.Phone),
					"affiliation": d.setStr(&c.Affiliation),
				})
				m.Contacts = append(m.Contacts, c)
			})
		},
	})
	return m
}

func (d *decoder) localisation(n *node, p string) Localisation {
	var l Localisation
	d.fields(n, p, p, map[string]fieldFunc{
		"localisationReady":  func(n *node, p string) { l.LocalisationReady = d.boolean(n, p) },
		"availableLanguages": d.setList(&l.AvailableLanguages, false),
	})
	return l
}

func (d *decoder) dependencies(n *node, p string) []Dependency {
	var out []Dependency
	d.list(n, p, func(n *node, p string) {
		var dep Dependency
		d.fields(n, p, "dependsOn.*", map[string]fieldFunc{
			"name":       d.setStr(&dep.Name),
			"versionMin": d.setStr(&dep.VersionMin),
			"versionMax": d.setStr(&dep.VersionMax),
			"version":    d.setStr(&dep.Version),
			"optional":   func(n *node, p string) { dep.Optional = d.boolean(n, p) },
		})
		out = append(out, dep)
	})
	return out
}
