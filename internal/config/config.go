// Package config reads the platform's configuration from command-line
// flags with environment variables as fallback. The result is one Config
// value that main passes down through constructors.
package config

import (
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Config is the configuration of one platform instance.
type Config struct {
	// Addr is the listen address of the HTTP server.
	Addr string
	// BaseURL is the platform's public address, used in links that mails
	// carry; default http://<Addr>.
	BaseURL string
	// DB is a SQLite file path or a postgres:// URL.
	DB string
	// ContentDir holds the operator's Markdown for the legal pages.
	ContentDir string
	// LogFormat is "text" or "json".
	LogFormat string
	// TrustProxy makes the server believe X-Forwarded-Proto and
	// X-Forwarded-For from a reverse proxy in front of it.
	TrustProxy bool
	// ShutdownTimeout bounds how long in-flight requests may take after SIGTERM.
	ShutdownTimeout time.Duration
	// MetricsToken, when set, is required as Bearer token for /metrics;
	// without it /metrics answers only requests from the loopback interface.
	MetricsToken string
	// SMTP delivers mail; without a host, mails stay in the outbox that
	// operators read at /betrieb/postausgang. Environment only (secrets).
	SMTP SMTP
	// SSOProviders is the JSON list of OpenID providers (see package sso).
	// Environment only (client secrets).
	SSOProviders string
	// ImportRegister imports the shipped municipality register on start
	// when the database has none.
	ImportRegister bool
	// ImportDemo imports the shipped publiccode.yml sample as demo entries
	// of the catalogue on first start.
	ImportDemo bool
	// KnowledgeOutdatedDays is how many days after its last check an
	// article of the knowledge base counts as possibly outdated.
	KnowledgeOutdatedDays int
}

// SMTP is the mail server's configuration.
type SMTP struct {
	Host, Username, Password, From, TLS string
	Port                                int
}

// Defaults are the safe values for a fresh machine.
var Defaults = Config{
	Addr:            "127.0.0.1:8080",
	DB:              "smartregions.db",
	LogFormat:       "text",
	ShutdownTimeout: 20 * time.Second,
	ImportRegister:  true,
	ImportDemo:      true,

	KnowledgeOutdatedDays: 365,
}

// Environment variables that back the flags.
const (
	EnvAddr       = "SMARTREGIONS_ADDR"
	EnvBaseURL    = "SMARTREGIONS_BASE_URL"
	EnvDB         = "SMARTREGIONS_DB"
	EnvContentDir = "SMARTREGIONS_CONTENT_DIR"
	EnvLogFormat  = "SMARTREGIONS_LOG_FORMAT"
	EnvTrustProxy = "SMARTREGIONS_TRUST_PROXY"
	// EnvMetricsToken has no flag, so the secret stays out of process listings.
	EnvMetricsToken = "SMARTREGIONS_METRICS_TOKEN"
	// Mail server: host, port, user, password, sender address, TLS mode
	// (starttls, tls, none).
	EnvSMTPHost     = "SMARTREGIONS_SMTP_HOST"
	EnvSMTPPort     = "SMARTREGIONS_SMTP_PORT"
	EnvSMTPUser     = "SMARTREGIONS_SMTP_USERNAME"
	EnvSMTPPassword = "SMARTREGIONS_SMTP_PASSWORD"
	EnvSMTPFrom     = "SMARTREGIONS_SMTP_FROM"
	EnvSMTPTLS      = "SMARTREGIONS_SMTP_TLS"
	// EnvSSOProviders holds the OpenID providers as a JSON array.
	EnvSSOProviders = "SMARTREGIONS_SSO_PROVIDERS"
	// EnvKnowledgeOutdatedDays: days until a knowledge article counts as
	// possibly outdated.
	EnvKnowledgeOutdatedDays = "SMARTREGIONS_KNOWLEDGE_OUTDATED_DAYS"
)

// Register adds the flags of the fields a subcommand uses to fs, each
// defaulting to its environment variable or else to Defaults. server adds
// the flags only serve needs.
func Register(fs *flag.FlagSet, getenv func(string) string, server bool) (*Config, func() error) {
	c := Defaults
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.DB, "db", env(EnvDB, c.DB), "SQLite file or postgres:// URL (env "+EnvDB+")")
	fs.StringVar(&c.LogFormat, "log-format", env(EnvLogFormat, c.LogFormat), "log format: text or json (env "+EnvLogFormat+")")
	trust := env(EnvTrustProxy, "false")
	if server {
		fs.StringVar(&c.Addr, "addr", env(EnvAddr, c.Addr), "listen address (env "+EnvAddr+")")
		fs.StringVar(&c.BaseURL, "base-url", env(EnvBaseURL, ""), "public address of the platform, for links in mails (env "+EnvBaseURL+"; default http://ADDR)")
		fs.StringVar(&c.ContentDir, "content-dir", env(EnvContentDir, ""), "directory with Markdown for Impressum, Datenschutz, Barrierefreiheit (env "+EnvContentDir+")")
		fs.StringVar(&trust, "trust-proxy", trust, "trust X-Forwarded-* headers of a reverse proxy (env "+EnvTrustProxy+")")
		fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "time in-flight requests get on shutdown")
		c.MetricsToken = getenv(EnvMetricsToken)
		c.SSOProviders = getenv(EnvSSOProviders)
		c.SMTP = SMTP{Host: getenv(EnvSMTPHost), Username: getenv(EnvSMTPUser), Password: getenv(EnvSMTPPassword),
			From: getenv(EnvSMTPFrom), TLS: getenv(EnvSMTPTLS)}
		fs.BoolVar(&c.ImportRegister, "import-register", c.ImportRegister, "import the shipped municipality register on first start")
		fs.IntVar(&c.KnowledgeOutdatedDays, "knowledge-outdated-days", envInt(getenv, EnvKnowledgeOutdatedDays, c.KnowledgeOutdatedDays),
			"days after its last check an article of the knowledge base counts as possibly outdated (env "+EnvKnowledgeOutdatedDays+")")
		fs.BoolVar(&c.ImportDemo, "import-demo", c.ImportDemo, "import the shipped publiccode.yml sample as marked demo entries of the catalogue on first start")
	}
	validate := func() error {
		b, err := strconv.ParseBool(trust)
		if err != nil {
			return fmt.Errorf("config: trust-proxy %q: not a boolean", trust)
		}
		c.TrustProxy = b
		if c.LogFormat != "text" && c.LogFormat != "json" {
			return fmt.Errorf("config: log-format %q: want text or json", c.LogFormat)
		}
		if p := getenv(EnvSMTPPort); p != "" && server {
			n, err := strconv.Atoi(p)
			if err != nil || n < 1 || n > 65535 {
				return fmt.Errorf("config: %s %q: want a port number", EnvSMTPPort, p)
			}
			c.SMTP.Port = n
		}
		if c.BaseURL == "" {
			c.BaseURL = "http://" + c.Addr
		}
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: base-url %q: want http(s)://host[:port]", c.BaseURL)
		}
		if c.DB == "" {
			return fmt.Errorf("config: db is empty")
		}
		if c.KnowledgeOutdatedDays < 1 {
			return fmt.Errorf("config: knowledge-outdated-days %d: want at least 1", c.KnowledgeOutdatedDays)
		}
		return nil
	}
	return &c, validate
}

// envInt returns the number in the environment variable key, or def when
// it is unset or not a number (the flag's validation reports it then).
func envInt(getenv func(string) string, key string, def int) int {
	if v := getenv(key); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
		return 0
	}
	return def
}
