// Package e2e holds the browser tests: they start the real platform on a
// random localhost port, drive Debian's chromium through chromedp along the
// journeys a person takes (search, language switch, the same without
// JavaScript, the accessibility feedback form) and check every page with
// axe-core against WCAG 2.1 A and AA.
//
// The tests skip when /usr/bin/chromium is missing, except under CI=true,
// where they fail, so that CI can never pass them silently.
package e2e
