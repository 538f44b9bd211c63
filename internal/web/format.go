package web

import (
	"math"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Berlin must load on machines without a zoneinfo database
)

// berlin is the time zone in which the platform shows all times; the
// database stores UTC.
var berlin = mustLoadLocation("Europe/Berlin")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("web: " + err.Error()) // cannot happen: time/tzdata is embedded
	}
	return loc
}

// separators returns the thousands and decimal separators of lang.
func separators(lang string) (group, decimal string) {
	if lang == "en" {
		return ",", "."
	}
	return ".", ","
}

func formatInt(v int64, lang string) string {
	group, _ := separators(lang)
	s := strconv.FormatInt(v, 10)
	if v < 0 {
		return "-" + groupDigits(s[1:], group)
	}
	return groupDigits(s, group)
}

func formatDec(v float64, digits int, lang string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	if digits < 0 {
		digits = 0
	}
	group, decimal := separators(lang)
	// strconv rounds an exact half to even (1234.5 → "1234"); people expect
	// it rounded away from zero, as on paper.
	if scale := math.Pow10(digits); math.Abs(v)*scale < 1<<53 {
		v = math.Round(v*scale) / scale
	}
	s := strconv.FormatFloat(v, 'f', digits, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
		if strings.Trim(s, "0.") == "" {
			sign = "" // -0,00 reads as an error
		}
	}
	intPart, frac, _ := strings.Cut(s, ".")
	out := sign + groupDigits(intPart, group)
	if frac != "" {
		out += decimal + frac
	}
	return out
}

// groupDigits inserts sep between groups of three digits of an unsigned
// decimal string.
func groupDigits(s, sep string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	head := len(s) % 3
	if head > 0 {
		b.WriteString(s[:head])
	}
	for i := head; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

func formatDate(t time.Time, lang string) string {
	t = t.In(berlin)
	if lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02.01.2006")
}

func formatDateTime(t time.Time, lang string) string {
	t = t.In(berlin)
	if lang == "en" {
		return t.Format("2 Jan 2006, 15:04")
	}
	return t.Format("02.01.2006, 15:04 Uhr")
}
