package data

import "embed"

// PublicCode holds real publiccode.yml files from public repositories,
// imported on first start as clearly marked demo entries of the catalogue
// (and the test input of the publiccode.yml reader). Each file belongs to
// its repository (data/publiccode/INDEX.tsv) under that repository's
// licence.
//
//go:embed publiccode/files/*.yml publiccode/INDEX.tsv
var PublicCode embed.FS

// PublicCodeDir is the directory of the files inside PublicCode.
const PublicCodeDir = "publiccode/files"
