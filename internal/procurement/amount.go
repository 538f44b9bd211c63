package procurement

import (
	"strconv"
	"strings"
)

// ParseAmount reads an amount in euros as people type it and returns it
// in cents. Dots and commas are read the same in German and English, so
// that a bookmarked result means the same in both languages: when both
// occur, the last one starts the cents ("1.234,50", "1,234.50"); a single
// one followed by exactly three digits groups thousands ("216.000",
// "216,000"), followed by one or two digits it starts the cents ("1,5",
// "1.50"); a separator that occurs more than once groups thousands.
// Spaces, "€" and "EUR" are ignored. ok is false for anything else; a
// negative amount returns -1 and an amount beyond MaxAmount returns
// MaxAmount+1, both with ok, for the caller to report the range.
func ParseAmount(s string) (cents int64, ok bool) {
	s = strings.Join(strings.Fields(s), "")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "€"), "EUR")
	if rest, neg := strings.CutPrefix(s, "-"); neg {
		if _, ok := ParseAmount(rest); ok {
			return -1, true
		}
		return 0, false
	}
	whole, frac, hasFrac := s, "", false
	dot, comma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	switch {
	case dot >= 0 && comma >= 0:
		dec := max(dot, comma)
		whole, frac, hasFrac = s[:dec], s[dec+1:], true
		if strings.ContainsAny(frac, ".,") || strings.Contains(whole, s[dec:dec+1]) {
			return 0, false
		}
	case dot >= 0 || comma >= 0:
		i := max(dot, comma)
		if strings.Count(s, s[i:i+1]) == 1 && len(s)-i-1 != 3 {
			whole, frac, hasFrac = s[:i], s[i+1:], true
		}
	}
	if whole == "" || hasFrac && (frac == "" || len(frac) > 2) {
		return 0, false
	}
	if strings.ContainsAny(whole, ".,") {
		// Groups of three digits after the first: "1.000.000".
		sep := ","
		if strings.Contains(whole, ".") {
			sep = "."
		}
		parts := strings.Split(whole, sep)
		if len(parts[0]) == 0 || len(parts[0]) > 3 {
			return 0, false
		}
		for _, p := range parts[1:] {
			if len(p) != 3 {
				return 0, false
			}
		}
		whole = strings.Join(parts, "")
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	if len(whole) > 15 {
		return MaxAmount + 1, true
	}
	euros, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	c := int64(0)
	if frac != "" {
		if len(frac) == 1 {
			frac += "0"
		}
		c, _ = strconv.ParseInt(frac, 10, 64)
	}
	return euros*100 + c, true
}
