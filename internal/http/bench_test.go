//go:build linux

package http

import (
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/store/storetest"
)

// benchRoutes are the requests measured through the real router and
// middleware over the whole register. /hello is the baseline: the same
// middleware chain with no database and no template behind it. want is a
// text the answer must contain, so that a benchmark never quietly
// measures an error page.
var benchRoutes = []struct {
	name, target, want string
}{
	{"hello", "/hello", "hello"},
	{"list", "/kommunen", "1 bis 50 von 10.751 Kommunen"},
	{"search", "/kommunen?q=Muenchen", "München, Landeshauptstadt"},
	{"filter_page3", "/kommunen?state=09&band=5k-20k&page=3", "101 bis 150"},
	{"view", "/kommunen/09162000", "1.505.005"},
	{"api_search", "/api/v1/municipalities?q=berg&limit=50", `"items"`},
}

// benchParallel names the routes also measured with b.RunParallel, where
// the database pool and any shared lock are under contention.
var benchParallel = map[string]bool{"hello": true, "list": true, "search": true, "api_search": true}

const benchLang = "Accept-Language: de"

// BenchmarkRoutes measures one request at a time per route and backend.
// Speed is never asserted; the figures go into docs/performance.md.
// Besides ns/op it reports cpu-ns/op, this process's user and system CPU
// time per request (getrusage, hence linux only), which a busy shared
// machine disturbs far less than wall time; for PostgreSQL it leaves out
// the database server's work.
//
// Each route runs twice: "rendered" with the page cache off (every request
// queries and renders), and "cached" as served (pagecache.go).
func BenchmarkRoutes(b *testing.B) {
	benchEachServer(b, func(b *testing.B, s *Server) {
		for _, rt := range benchRoutes {
			b.Run(rt.name, func(b *testing.B) {
				checkBenchRoute(b, s, rt.target, rt.want)
				b.ReportAllocs()
				b.ResetTimer()
				c0 := benchCPUTime()
				for i := 0; i < b.N; i++ {
					if rec := get(b, s, rt.target, benchLang); rec.Code != http.StatusOK {
						b.Fatalf("%s: status %d", rt.target, rec.Code)
					}
				}
				benchReportCPU(b, benchCPUTime()-c0)
			})
		}
	})
}

// BenchmarkRoutesParallel measures the same routes with GOMAXPROCS
// goroutines sending requests at once.
func BenchmarkRoutesParallel(b *testing.B) {
	benchEachServer(b, func(b *testing.B, s *Server) {
		for _, rt := range benchRoutes {
			if !benchParallel[rt.name] {
				continue
			}
			b.Run(rt.name, func(b *testing.B) {
				checkBenchRoute(b, s, rt.target, rt.want)
				b.ReportAllocs()
				b.ResetTimer()
				c0 := benchCPUTime()
				defer func() { benchReportCPU(b, benchCPUTime()-c0) }()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						// Errorf, not Fatalf: only the benchmark's own
						// goroutine may stop it.
						if rec := get(b, s, rt.target, benchLang); rec.Code != http.StatusOK {
							b.Errorf("%s: status %d", rt.target, rec.Code)
							return
						}
					}
				})
			})
		}
	})
}

// benchEachServer runs fn per backend, with the page cache off
// ("rendered") and on ("cached").
func benchEachServer(b *testing.B, fn func(b *testing.B, s *Server)) {
	modes := []struct {
		name     string
		maxBytes int
	}{{"rendered", 0}, {"cached", defaultCacheBytes}}
	for _, d := range storetest.Backends() {
		for _, m := range modes {
			b.Run(string(d)+"/"+m.name, func(b *testing.B) {
				s := newTestServer(b, d)
				s.cache.maxBytes = m.maxBytes
				fn(b, s)
			})
		}
	}
}

// checkBenchRoute makes sure target answers 200 with want in the body
// before it is timed.
func checkBenchRoute(b *testing.B, h http.Handler, target, want string) {
	b.Helper()
	rec := get(b, h, target, benchLang)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s: status %d: %.300s", target, rec.Code, rec.Body.String())
	}
	if !strings.Contains(rec.Body.String(), want) {
		b.Fatalf("%s: body lacks %q", target, want)
	}
}

// benchCPUTime returns the user and system CPU time this process has used.
func benchCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchReportCPU(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}
