package decision

// Years is the span of the total cost of ownership.
const Years = 5

// Cost lines of an option, in form order. Recurring lines are paid every
// year and rise by the yearly price increase; one-off lines are paid
// once: exit at the end of year five, the others in year one.
const (
	LineLicence        = "licence"        // licence or subscription per year
	LineHosting        = "hosting"        // hosting per year
	LineSupport        = "support"        // support and maintenance per year
	LineImplementation = "implementation" // one-off
	LineAdaptation     = "adaptation"     // one-off
	LineTraining       = "training"       // one-off
	LineExit           = "exit"           // one-off, at the end
)

// Lines lists the cost lines in form order.
var Lines = []string{LineLicence, LineHosting, LineSupport, LineImplementation, LineAdaptation, LineTraining, LineExit}

// Recurring reports whether line is paid every year.
func Recurring(line string) bool {
	return line == LineLicence || line == LineHosting || line == LineSupport
}

// Limits of the numbers.
const (
	MaxCents       = 100_000_000_000 // one billion euros per line
	MaxIncreaseBP  = 5000            // 50 % a year, in basis points
	MaxOptions     = 4
	MinOptions     = 1
	MaxName        = 200
	MaxTitle       = 200
	MaxSolutionRef = 200
)

// TCO is the cost of one option per year and over the five years, in
// cents, with the amount of every line per year.
type TCO struct {
	ByLine map[string][Years]int64
	Year   [Years]int64
	Total  int64
}

// raise returns amount raised by bp basis points, rounded half up to
// the cent. Amounts are never negative.
func raise(amount int64, bp int) int64 {
	return (amount*int64(10000+bp) + 5000) / 10000
}

// Compute returns the five-year cost of costs (cents per line) with a
// yearly price increase of bp basis points: a recurring line costs its
// amount in year one, and each later year the previous year's amount
// raised by the increase, rounded to the cent; implementation,
// adaptation and training fall in year one, exit costs in year five.
func Compute(costs map[string]int64, bp int) TCO {
	t := TCO{ByLine: map[string][Years]int64{}}
	for _, line := range Lines {
		var row [Years]int64
		a := costs[line]
		switch {
		case Recurring(line):
			for y := range Years {
				if y > 0 {
					a = raise(a, bp)
				}
				row[y] = a
			}
		case line == LineExit:
			row[Years-1] = a
		default:
			row[0] = a
		}
		t.ByLine[line] = row
		for y := range Years {
			t.Year[y] += row[y]
			t.Total += row[y]
		}
	}
	return t
}
