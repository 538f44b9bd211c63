// Package e2e holds the browser tests: they start the real platform on a
// random localhost port, drive Debian's chromium through chromedp along the
// journeys a person takes (search, language switch, the same without
// JavaScript, the accessibility feedback form, registration with the
// confirmation mail, single sign-on) and check every page with axe-core
// against WCAG 2.1 A and AA.
//
// The platform runs as serve runs it: mail is delivered by a River job
// over SMTP to a server started in the test (package mailtest), and single
// sign-on goes to a real OpenID provider started in the test (package
// ssotest).
//
// The tests skip when /usr/bin/chromium is missing, except under CI=true,
// where they fail, so that CI can never pass them silently.
package e2e
