// Command searchload measures the catalogue search under concurrent load:
// it starts a smartregions binary on a given database (normally one filled
// by `smartregions seed --solutions 100000`), waits for /readyz, and then
// sends a fixed mix of realistic searches (internal/search/searchtest:
// words, phrases, typos, exclusions, facet selections, sort orders) to the search page
// /loesungen and the API /api/v1/search from -c concurrent connections for
// -d. It reports requests/s, p50/p95/p99/max latency, errors, and the
// server's peak resident memory (VmHWM). Only 127.0.0.1 is targeted.
//
//	go build -o /tmp/smartregions ./cmd/smartregions
//	go run ./scripts/searchload -bin /tmp/smartregions -db /tmp/seed-bench.db
//
// See docs/performance.md.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/search/searchtest"
)

func main() {
	bin := flag.String("bin", "", "the smartregions binary to start")
	db := flag.String("db", "", "database of the server (SQLite file or postgres:// URL)")
	conns := flag.Int("c", 50, "concurrent connections")
	dur := flag.Duration("d", 20*time.Second, "duration of each measured run")
	warm := flag.Duration("warmup", 3*time.Second, "warm-up before each run")
	targets := flag.String("targets", "page,api", "what to load: page, api (comma-separated)")
	flag.Parse()
	if *bin == "" || *db == "" {
		fmt.Fprintln(os.Stderr, "searchload: -bin and -db are required")
		os.Exit(2)
	}
	if err := run(*bin, *db, *conns, *dur, *warm, strings.Split(*targets, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "searchload:", err)
		os.Exit(1)
	}
}

// query is one search of the mix: the page's and the API's form of it.
type query struct{ page, api string }

// queries returns the mix (internal/search/searchtest) in both forms.
func queries() ([]query, error) {
	mix, err := searchtest.Mix()
	if err != nil {
		return nil, err
	}
	out := make([]query, 0, len(mix))
	for _, m := range mix {
		out = append(out, query{page: "/loesungen?" + search.PageQuery(m.Query).Encode(), api: "/api/v1/search?limit=20&" + m.API})
	}
	return out, nil
}

func run(bin, db string, conns int, dur, warm time.Duration, targets []string) error {
	queries, err := queries()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve", "--addr", "127.0.0.1:0", "--db", db)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	cmd.Stdout = cmd.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start server: %w", err)
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	base, err := serverURL(stderr, 5*time.Minute)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}, Timeout: 30 * time.Second}
	if err := waitReady(client, base, 5*time.Minute); err != nil {
		return err
	}
	for _, q := range queries { // every query must work before anything is measured
		for _, target := range []string{q.page, q.api} {
			if code, err := fetch(client, base+target); err != nil || code != http.StatusOK {
				return fmt.Errorf("%s: status %d, %v", target, code, err)
			}
		}
	}
	fmt.Printf("== %d searches in the mix, %d connections, %s per run (after %s warm-up), server pid %d\n", len(queries), conns, dur, warm, cmd.Process.Pid)
	fmt.Printf("== machine: load average %s\n", loadAvg())
	for _, t := range targets {
		urls := make([]string, len(queries))
		for i, q := range queries {
			urls[i] = base + map[string]string{"page": q.page, "api": q.api}[t]
		}
		if urls[0] == base {
			return fmt.Errorf("unknown target %q", t)
		}
		load(client, urls, conns, warm)
		r := load(client, urls, conns, dur)
		fmt.Printf("%-5s %8.1f req/s  p50 %7s  p95 %7s  p99 %7s  max %7s  requests %d  errors %d\n", t, float64(r.n)/dur.Seconds(),
			r.pct(50), r.pct(95), r.pct(99), r.pct(100), r.n, r.errors)
	}
	fmt.Printf("server peak memory (VmHWM): %s\n", peakMemory(cmd.Process.Pid))
	return nil
}

var listening = regexp.MustCompile(`url=(http://127\.0\.0\.1:[0-9]+)`)

// serverURL reads the server's log until it names its address, and
// copies the rest of the log to stderr's void (it must be drained).
func serverURL(log io.Reader, deadline time.Duration) (string, error) {
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(log)
		sent := false
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			return "", errors.New("server exited before listening")
		}
		return u, nil
	case <-time.After(deadline):
		return "", errors.New("server did not report its address in time")
	}
}

func waitReady(c *http.Client, base string, deadline time.Duration) error {
	end := time.Now().Add(deadline)
	for time.Now().Before(end) {
		if code, err := fetch(c, base+"/readyz"); err == nil && code == http.StatusOK {
			return nil
		}
		time.Sleep(200 * time.Millisecond) // polling a starting server, not waiting for a result
	}
	return errors.New("server not ready in time")
}

func fetch(c *http.Client, target string) (int, error) {
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept-Language", "de")
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// result holds the latencies of one run.
type result struct {
	lat    []time.Duration
	n      int
	errors int
}

func (r result) pct(p int) string {
	if len(r.lat) == 0 {
		return "-"
	}
	i := min(len(r.lat)-1, (len(r.lat)*p+99)/100-1)
	return r.lat[max(i, 0)].Round(10 * time.Microsecond).String()
}

// load sends the urls round-robin from conns workers for d.
func load(c *http.Client, urls []string, conns int, d time.Duration) result {
	var (
		next atomic.Int64
		mu   sync.Mutex
		res  result
		wg   sync.WaitGroup
	)
	end := time.Now().Add(d)
	for range conns {
		wg.Go(func() {
			var lat []time.Duration
			errs := 0
			for time.Now().Before(end) {
				u := urls[int(next.Add(1))%len(urls)]
				start := time.Now()
				code, err := fetch(c, u)
				if err != nil || code != http.StatusOK {
					errs++
					continue
				}
				lat = append(lat, time.Since(start))
			}
			mu.Lock()
			res.lat, res.errors = append(res.lat, lat...), res.errors+errs
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(res.lat)
	res.n = len(res.lat)
	return res
}

func peakMemory(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
