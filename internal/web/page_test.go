package web

import (
	"math"
	"net/url"
	"testing"
	"time"
)

func TestLangURL(t *testing.T) {
	tests := []struct {
		url, lang, want string
	}{
		{"/", "en", "/?lang=en"},
		{"", "en", "/?lang=en"},
		{"/kommunen", "de", "/kommunen?lang=de"},
		{"/kommunen?q=M%C3%BCnchen&page=2", "en", "/kommunen?lang=en&page=2&q=M%C3%BCnchen"},
		{"/kommunen?lang=de&land=09", "en", "/kommunen?land=09&lang=en"},
		{"/kommunen?lang=en&lang=de", "de", "/kommunen?lang=de"},
		{"/pfad%2Fmit%20leer", "en", "/pfad%2Fmit%20leer?lang=en"},
	}
	for _, tt := range tests {
		p := &Page{URL: mustURL(t, tt.url)}
		if got := p.LangURL(tt.lang); got != tt.want {
			t.Errorf("LangURL(%q) on %q = %q; want %q", tt.lang, tt.url, got, tt.want)
		}
	}
	if got := (&Page{}).LangURL("en"); got != "/?lang=en" {
		t.Errorf("LangURL without URL = %q", got)
	}
}

func TestIsCurrent(t *testing.T) {
	tests := []struct {
		path, href string
		want       bool
	}{
		{"/", "/", true},
		{"/kommunen", "/", false},
		{"/kommunen", "/kommunen", true},
		{"/kommunen/09162000", "/kommunen", true},
		{"/kommunenliste", "/kommunen", false},
		{"/", "/kommunen", false},
	}
	for _, tt := range tests {
		p := &Page{URL: &url.URL{Path: tt.path}}
		if got := p.IsCurrent(tt.href); got != tt.want {
			t.Errorf("IsCurrent(%q) on %q = %v", tt.href, tt.path, got)
		}
	}
	if (&Page{}).IsCurrent("/") {
		t.Error("IsCurrent without URL = true")
	}
}

func TestErrorList(t *testing.T) {
	p := &Page{FieldErrors: map[string]string{"z": "Z", "message": "M", "a": "A", "email": "E"}}
	got := p.ErrorList("name", "email", "message")
	want := []FieldError{{"email", "E"}, {"message", "M"}, {"a", "A"}, {"z", "Z"}}
	if len(got) != len(want) {
		t.Fatalf("ErrorList = %v; want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("ErrorList[%d] = %v; want %v", i, got[i], want[i])
		}
	}
}

func TestNum(t *testing.T) {
	tests := []struct {
		v      int64
		de, en string
	}{
		{0, "0", "0"},
		{7, "7", "7"},
		{999, "999", "999"},
		{1000, "1.000", "1,000"},
		{10800, "10.800", "10,800"},
		{1505005, "1.505.005", "1,505,005"},
		{-1234567, "-1.234.567", "-1,234,567"},
		{math.MinInt64, "-9.223.372.036.854.775.808", "-9,223,372,036,854,775,808"},
	}
	for _, tt := range tests {
		if got := (&Page{Lang: "de"}).Num(tt.v); got != tt.de {
			t.Errorf("de Num(%d) = %q; want %q", tt.v, got, tt.de)
		}
		if got := (&Page{Lang: "en"}).Num(tt.v); got != tt.en {
			t.Errorf("en Num(%d) = %q; want %q", tt.v, got, tt.en)
		}
	}
}

func TestDec(t *testing.T) {
	tests := []struct {
		v      float64
		digits int
		de, en string
	}{
		{357683.88, 2, "357.683,88", "357,683.88"},
		{357683.875, 1, "357.683,9", "357,683.9"},
		{0.5, 2, "0,50", "0.50"},
		{1234.5, 0, "1.235", "1,235"},
		{-1234.56, 2, "-1.234,56", "-1,234.56"},
		{-0.001, 2, "0,00", "0.00"},
		{1e6, 3, "1.000.000,000", "1,000,000.000"},
		{12.3, -1, "12", "12"},
		{math.NaN(), 2, "NaN", "NaN"},
	}
	for _, tt := range tests {
		if got := (&Page{Lang: "de"}).Dec(tt.v, tt.digits); got != tt.de {
			t.Errorf("de Dec(%v, %d) = %q; want %q", tt.v, tt.digits, got, tt.de)
		}
		if got := (&Page{Lang: "en"}).Dec(tt.v, tt.digits); got != tt.en {
			t.Errorf("en Dec(%v, %d) = %q; want %q", tt.v, tt.digits, got, tt.en)
		}
	}
}

func TestDate(t *testing.T) {
	if berlin.String() != "Europe/Berlin" {
		t.Fatalf("time zone %s; want Europe/Berlin", berlin)
	}
	tests := []struct {
		utc    string
		de, en string
	}{
		{"2025-08-31T12:00:00Z", "31.08.2025", "31 Aug 2025"},
		// Berlin is UTC+1 here: just past midnight local time.
		{"2025-03-29T23:30:00Z", "30.03.2025", "30 Mar 2025"},
		// The DST switch night (02:00 CET → 03:00 CEST): still 30 March in Berlin.
		{"2025-03-30T00:30:00Z", "30.03.2025", "30 Mar 2025"},
		{"2025-03-30T21:59:59Z", "30.03.2025", "30 Mar 2025"},
		{"2025-03-30T22:00:00Z", "31.03.2025", "31 Mar 2025"},
		// Late on 31 December UTC is already New Year in Berlin.
		{"2025-12-31T23:30:00Z", "01.01.2026", "1 Jan 2026"},
	}
	for _, tt := range tests {
		ts, err := time.Parse(time.RFC3339, tt.utc)
		if err != nil {
			t.Fatal(err)
		}
		if got := (&Page{Lang: "de"}).Date(ts); got != tt.de {
			t.Errorf("de Date(%s) = %q; want %q", tt.utc, got, tt.de)
		}
		if got := (&Page{Lang: "en"}).Date(ts); got != tt.en {
			t.Errorf("en Date(%s) = %q; want %q", tt.utc, got, tt.en)
		}
	}
	// Zone offset on both sides of the switch, to show it is really Berlin.
	before := time.Date(2025, 3, 30, 0, 30, 0, 0, time.UTC).In(berlin)
	after := time.Date(2025, 3, 30, 1, 30, 0, 0, time.UTC).In(berlin)
	if _, off := before.Zone(); off != 3600 {
		t.Errorf("offset before the switch %d; want 3600", off)
	}
	if _, off := after.Zone(); off != 7200 {
		t.Errorf("offset after the switch %d; want 7200", off)
	}
}
