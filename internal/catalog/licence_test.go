package catalog

import "testing"

func TestLicence(t *testing.T) {
	for _, tc := range []struct {
		expr       string
		valid, oss bool
	}{
		{"EUPL-1.2", true, true},
		{"MIT OR Apache-2.0", true, true},
		{"AGPL-3.0-or-later", true, true},
		{"GPL-2.0-only WITH Classpath-exception-2.0", true, true},
		{"MIT AND LicenseRef-Proprietaer", true, false},
		{"MIT OR LicenseRef-Proprietaer", true, true},
		{"LicenseRef-Kommerziell", true, false},
		{"CC-BY-4.0", true, false}, // a content licence, not OSI-approved
		{"MIT OR", false, false},
		{"Open Source", false, false},
		{"", false, false},
		{"GPL", false, false},
	} {
		valid, _ := CheckLicence(tc.expr)
		if valid != tc.valid || OpenSource(tc.expr) != tc.oss {
			t.Errorf("%q: valid %v open source %v, want %v %v", tc.expr, valid, OpenSource(tc.expr), tc.valid, tc.oss)
		}
	}
	if len(osiApproved) < 100 {
		t.Errorf("only %d OSI-approved licences loaded", len(osiApproved))
	}
}
