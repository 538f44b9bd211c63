// Package data embeds the official data sets that the platform ships and
// imports on first start. Their sources and licences are listed in NOTICE
// and data/register/README.md.
package data

import "embed"

// Register holds the Destatis municipality register (GV100AD) and the older
// GV-ISys extract that supplies coordinates and the degree of urbanisation.
//
//go:embed register/GV100AD_31082025.txt register/AuszugGV4QAktuell.csv
var Register embed.FS

// Paths of the embedded register files inside Register.
const (
	RegisterFile = "register/GV100AD_31082025.txt"
	ExtractFile  = "register/AuszugGV4QAktuell.csv"
)
