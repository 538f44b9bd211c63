package region

// Band is a population band used to compare municipalities of similar size.
type Band string

// The bands, smallest first.
const (
	BandUnder5k   Band = "lt5k"
	Band5kTo20k   Band = "5k-20k"
	Band20kTo100k Band = "20k-100k"
	BandOver100k  Band = "gt100k"
)

// Bands lists all bands in ascending order.
var Bands = []Band{BandUnder5k, Band5kTo20k, Band20kTo100k, BandOver100k}

// Range returns the band's inclusive lower and exclusive upper population
// bound; max is 0 for the open top band.
func (b Band) Range() (min, max int64) {
	switch b {
	case BandUnder5k:
		return 0, 5_000
	case Band5kTo20k:
		return 5_000, 20_000
	case Band20kTo100k:
		return 20_000, 100_000
	case BandOver100k:
		return 100_000, 0
	}
	return 0, 0
}

// Valid reports whether b is one of Bands.
func (b Band) Valid() bool {
	for _, x := range Bands {
		if b == x {
			return true
		}
	}
	return false
}

// BandOf returns the band of a population.
func BandOf(population int64) Band {
	for _, b := range Bands {
		if _, max := b.Range(); max == 0 || population < max {
			return b
		}
	}
	return BandOver100k
}
