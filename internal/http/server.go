// Package http serves the platform's pages and JSON API over the domain
// services. Handlers are thin: they read the request, call a service and
// render the result; errors go to one adapter (errors.go).
package http

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/advice"
	"github.com/smartregions/smartregions/internal/alert"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/centre"
	"github.com/smartregions/smartregions/internal/config"
	"github.com/smartregions/smartregions/internal/contact"
	"github.com/smartregions/smartregions/internal/decision"
	"github.com/smartregions/smartregions/internal/event"
	"github.com/smartregions/smartregions/internal/exploration"
	"github.com/smartregions/smartregions/internal/feedback"
	"github.com/smartregions/smartregions/internal/fundcheck"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/knowledge"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/need"
	"github.com/smartregions/smartregions/internal/notify"
	"github.com/smartregions/smartregions/internal/offer"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/practice"
	"github.com/smartregions/smartregions/internal/procurement"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/sso"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/web"
)

// Deps are the services a Server serves.
type Deps struct {
	Config   config.Config
	Log      *slog.Logger
	DB       *store.DB
	Regions  *region.Service
	Feedback *feedback.Service
	Accounts *account.Service
	Orgs     *org.Service
	Fields   *catalog.Fields
	// Solutions is the catalogue of solutions.
	Solutions *catalog.Solutions
	Harvest   *catalog.Harvester // publiccode.yml from git repositories: import and harvesting
	Usage     *catalog.Usage
	Events    *event.Service // trainings and information events; nil switches them off
	Search    *search.Service
	SSO       *sso.Client // nil when no OpenID provider is configured
	Mail      *mail.Service
	Bundle    *i18n.Bundle
	Renderer  *web.Renderer
	Version   string

	// Alerts holds the saved searches; New builds it from DB, Search and
	// Mail when nil.
	Alerts *alert.Service

	// Synonyms is the curators' editing of the search synonyms; New
	// builds it from DB and Search when nil.
	Synonyms *search.Synonyms

	// Similar finds similar solutions and what comparable municipalities
	// use (similar.go); New builds it from DB and Regions when nil.
	Similar *search.Similarity

	// Procurement holds the procurement thresholds and computes the
	// orientation (procurement.go); New builds it from DB when nil.
	Procurement *procurement.Service

	// Contacts are the regional contacts (contact_pages.go); New builds
	// them from DB, Fields and Regions when nil.
	Contacts *contact.Service

	// Notify is the notification centre (notify_pages.go); New builds it
	// from DB and Mail when nil.
	Notify *notify.Service

	// Needs holds the municipal needs and their matching (need_*.go);
	// New builds it from DB, Regions, Fields and Search when nil.
	Needs *need.Service

	// Advice holds the advice requests to the competence centre
	// (advice_pages.go); New builds it from DB, Mail and Bundle when nil.
	Advice *advice.Service

	// Offers holds providers' offers on needs and the clarifying
	// questions (offer_*.go); New builds it from DB, Needs and Notify
	// when nil.
	Offers *offer.Service

	// Knowledge is the knowledge base of the competence centre
	// (knowledge_pages.go); New builds it from DB, Mail and Bundle when nil.
	Knowledge *knowledge.Service

	// Explorations holds the market explorations (exploration_*.go); New
	// builds it from DB, Needs, Search, Notify and Bundle when nil.
	Explorations *exploration.Service

	// Practice holds the practice examples (practice_pages.go); New
	// builds it from DB, Regions and Fields when nil.
	Practice *practice.Service

	// FundChecks is "check before you fund" (fundcheck_pages.go); New
	// builds it from DB, Fields and Search when nil.
	FundChecks *fundcheck.Service

	// Decisions is the open-source-or-licence decision aid
	// (decision_pages.go); New builds it from DB, Solutions and Search
	// when nil.
	Decisions *decision.Service

	// Centre is the full-text search of the competence centre
	// (centre_search_pages.go); New builds it from DB and Fields when nil
	// and indexes what is published but not yet indexed.
	Centre *centre.Service
}

// Server is the platform's HTTP server.
type Server struct {
	Deps
	csrfKey []byte
	metrics *metrics
	cache   *pageCache
	handler http.Handler
}

// New builds the server and its routes. The CSRF key is kept in the
// database so that every instance accepts the forms of every other.
func New(ctx context.Context, d Deps) (*Server, error) {
	key, err := d.DB.Setting(ctx, "csrf_key", func() (string, error) {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		return hex.EncodeToString(b), nil
	})
	if err != nil {
		return nil, fmt.Errorf("http: csrf key: %w", err)
	}
	k, err := hex.DecodeString(key)
	if err != nil || len(k) < 32 {
		return nil, fmt.Errorf("http: csrf key in settings is malformed")
	}
	s := &Server{Deps: d, csrfKey: k}
	if s.Similar == nil {
		var st search.SimilarityStore = d.DB
		if d.Search != nil { // peer groups counted in the search's memory
			st = search.WithMemoryPeers(d.DB, d.Search)
		}
		s.Similar = search.NewSimilarity(st, d.Regions)
	}
	if s.Procurement == nil {
		s.Procurement = procurement.NewService(d.DB)
	}
	if s.Synonyms == nil && d.Search != nil {
		s.Synonyms = search.NewSynonyms(d.DB, d.Search) // synonyms.go
	}
	if d.Orgs != nil && d.Accounts != nil {
		d.Accounts.AddExporter(d.Orgs.Export) // memberships belong to the user's data
	}
	if d.Usage != nil && d.Accounts != nil {
		d.Accounts.AddExporter(d.Usage.Export) // declarations, reports, flags, contact requests
	}
	if s.Alerts == nil && d.Search != nil && d.Mail != nil {
		s.Alerts = alert.NewService(d.DB, d.Search, d.Mail, d.Bundle, d.Config.BaseURL, d.Log)
	}
	if s.Alerts != nil && d.Accounts != nil {
		d.Accounts.AddExporter(s.Alerts.Export) // saved searches
	}
	if d.Events != nil && d.Accounts != nil {
		d.Accounts.AddExporter(d.Events.Export) // registrations for events
	}
	if s.Advice == nil && d.Mail != nil && d.Bundle != nil {
		s.Advice = advice.NewService(d.DB, d.DB, d.Mail, d.Bundle, d.Config.BaseURL)
		if d.Fields != nil {
			s.Advice.WithFields(d.Fields)
		}
	}
	if s.Advice != nil && d.Accounts != nil {
		d.Accounts.AddExporter(s.Advice.Export) // messages to the competence centre
	}
	if s.Knowledge == nil && d.Mail != nil && d.Bundle != nil {
		s.Knowledge = knowledge.NewService(d.DB, d.DB, d.Mail, d.Bundle, d.Config.BaseURL)
		if d.Fields != nil {
			s.Knowledge.WithFields(d.Fields)
		}
		if days := d.Config.KnowledgeOutdatedDays; days > 0 {
			s.Knowledge.OutdatedAfter = time.Duration(days) * 24 * time.Hour
		}
	}
	if s.Knowledge != nil && d.Accounts != nil {
		d.Accounts.AddExporter(s.Knowledge.Export) // votes and correction suggestions
	}
	if s.Practice == nil {
		s.Practice = practice.NewService(d.DB, d.Regions, d.Fields)
	}
	if s.Needs == nil && d.Search != nil {
		s.Needs = need.NewService(d.DB, d.Regions, d.Fields, d.Search)
	}
	if s.Centre == nil {
		if s.Centre, err = newCentreSearch(ctx, d); err != nil { // centre_search_pages.go
			return nil, err
		}
	}
	if s.FundChecks == nil && d.Search != nil {
		s.FundChecks = fundcheck.NewService(d.DB, d.Fields, d.Search)
		if s.Practice != nil {
			s.FundChecks.WithPractices(fundCheckPractices{s.Practice}) // fundcheck_practice.go
		}
	}
	if s.Decisions == nil && d.Solutions != nil {
		var uses decision.Uses
		if d.Search != nil {
			uses = d.Search
		}
		s.Decisions = decision.NewService(d.DB, d.Solutions, uses)
	}
	s.metrics = newMetrics(prometheus.NewRegistry(), d.DB)
	if s.Contacts == nil {
		s.Contacts = contact.NewService(d.DB, d.DB, d.Fields, d.Regions)
	}
	if d.Accounts != nil {
		d.Accounts.AddExporter(s.Contacts.Export) // the contact profile of an advisor
	}
	if s.Notify == nil && d.Mail != nil {
		s.Notify = notify.NewService(d.DB, d.Mail, d.Bundle, d.Config.BaseURL, d.Log)
	}
	if s.Notify != nil && d.Accounts != nil {
		d.Accounts.AddExporter(s.Notify.Export) // notifications and mail choices
	}
	if s.Notify != nil && d.Solutions != nil {
		d.Solutions.WithNotifier(s.Notify) // curators' decisions reach the provider's members
	}
	if s.Notify != nil && s.Practice != nil {
		s.Practice.WithNotifier(s.Notify, d.Log) // curators' decisions reach the authors
	}
	if s.Offers == nil && s.Needs != nil {
		var notes offer.Notifier
		if s.Notify != nil {
			notes = s.Notify
		}
		s.Offers = offer.NewService(d.DB, s.Needs, notes, d.Log) // offer_pages.go, offer_api.go
	}
	if s.Explorations == nil && d.Bundle != nil {
		s.Explorations = s.newExplorations(d) // exploration_pages.go
	}
	// Municipality pages show the regional contacts: their version is part of the data version.
	s.cache = newPageCache(defaultCacheBytes, 2*time.Second, s.pageVersion(s.practiceVersion(d.Regions.DataVersion)))
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// ListenAndServe serves on addr until ctx is cancelled, then lets
// in-flight requests finish within the configured shutdown timeout.
func (s *Server) ListenAndServe(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http: serve: %w", err)
	case <-ctx.Done():
	}
	s.Log.Info("shutting down, letting requests finish", "timeout", s.Config.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.Config.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("http: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http: serve: %w", err)
	}
	return nil
}
