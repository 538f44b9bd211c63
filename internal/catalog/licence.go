package catalog

import (
	_ "embed"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/github/go-spdx/v2/spdxexp"
)

//go:embed osi-approved.txt
var osiApprovedTxt string

// osiApproved lists the SPDX identifiers the Open Source Initiative approved.
var osiApproved = func() []string {
	var ids []string
	for _, l := range strings.Split(osiApprovedTxt, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			ids = append(ids, l)
		}
	}
	return ids
}()

var reException = regexp.MustCompile(`(?i)\s+WITH\s+[A-Za-z0-9.+-]+`)

// maxLicence bounds an expression, so that parsing stays cheap.
const maxLicence = 300

// CheckLicence reports whether expr is a valid SPDX licence expression
// ("EUPL-1.2", "MIT OR Apache-2.0", "LicenseRef-…" for proprietary terms)
// and returns the identifiers it names that are not on the SPDX list.
func CheckLicence(expr string) (ok bool, unknown []string) {
	expr = strings.TrimSpace(expr)
	if expr == "" || len(expr) > maxLicence {
		return false, nil
	}
	ids, err := spdxexp.ExtractLicenses(expr)
	if err != nil || len(ids) == 0 {
		return false, nil
	}
	var custom []string
	for _, id := range ids {
		if !strings.HasPrefix(id, "LicenseRef-") {
			custom = append(custom, id)
		}
	}
	if valid, bad := spdxexp.ValidateLicenses(custom); !valid {
		return false, bad
	}
	return true, nil
}

// OpenSource reports whether a valid expression can be used under
// OSI-approved licences only: one of the alternatives of an OR, all parts
// of an AND. Proprietary terms (LicenseRef-…) are not open source.
func OpenSource(expr string) bool {
	if v, ok := openSourceCache.Load(expr); ok {
		return v.(bool)
	}
	oss := openSource(expr)
	// Few distinct expressions exist; the bound only guards memory
	// against a flood of invented ones.
	if openSourceCacheSize.Add(1) <= 10000 {
		openSourceCache.Store(expr, oss)
	}
	return oss
}

// openSourceCache remembers OpenSource: deciding it compares licence
// ranges and costs up to a millisecond, and every list of solutions asks.
var (
	openSourceCache     sync.Map
	openSourceCacheSize atomic.Int64
)

func openSource(expr string) bool {
	if ok, _ := CheckLicence(expr); !ok {
		return false
	}
	// An exception (WITH …) only adds permissions; the licence it
	// belongs to decides.
	sat, err := spdxexp.Satisfies(reException.ReplaceAllString(expr, ""), osiApproved)
	return err == nil && sat
}
