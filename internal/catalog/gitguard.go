package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/plumbing/transport/client"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// The guard of git's network access: only public addresses, and a limit
// on what one fetch may receive.

// nonPublic lists the special-purpose ranges beyond those netip
// classifies (RFC 6890): shared address space, benchmarking,
// documentation, IETF protocol assignments, reserved, NAT64.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.18.0.0/15"), netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"), netip.MustParsePrefix("240.0.0.0/4"), netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// publicAddr reports whether ip is a public unicast address.
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// transferKey carries a fetch's transferLimit in the request context to
// the guarded transport.
type transferKey struct{}

// transferLimit counts what one fetch received and remembers whether the
// transport refused an address or cut a response.
type transferLimit struct {
	mu       sync.Mutex
	max      int64
	read     int64
	over     bool
	internal bool
}

func (l *transferLimit) add(n int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.read += int64(n)
	if l.read > l.max {
		l.over = true
	}
	return !l.over
}

func (l *transferLimit) exceeded() bool { l.mu.Lock(); defer l.mu.Unlock(); return l.over }
func (l *transferLimit) refused() bool  { l.mu.Lock(); defer l.mu.Unlock(); return l.internal }
func (l *transferLimit) refuse()        { l.mu.Lock(); defer l.mu.Unlock(); l.internal = true }

var (
	errTransferTooLarge = errors.New("repository larger than the transfer limit")
	errInternalAddress  = errors.New("connection to a non-public address refused")
)

// limitedBody cuts a response body once the fetch has received more than
// its limit.
type limitedBody struct {
	io.ReadCloser
	limit *transferLimit
}

func (b limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if !b.limit.add(n) {
		return n, errTransferTooLarge
	}
	return n, err
}

// guardedTransport applies a fetch's transfer limit to every response.
type guardedTransport struct{ next http.RoundTripper }

func (t guardedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if l, ok := req.Context().Value(transferKey{}).(*transferLimit); ok {
		res.Body = limitedBody{res.Body, l}
	}
	return res, nil
}

// refuseInternal is the dialer's check of the address it is about to
// connect to, after name resolution.
func refuseInternal(ctx context.Context, network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !publicAddr(ip) {
		if l, ok := ctx.Value(transferKey{}).(*transferLimit); ok {
			l.refuse()
		}
		return fmt.Errorf("%w: %s", errInternalAddress, address)
	}
	return nil
}

var guardOnce sync.Once

// installGuardedHTTP replaces go-git's http and https transports, which
// are process-wide, by one that connects only to public addresses and
// applies the transfer limit. The platform uses git only here.
func installGuardedHTTP() {
	guardOnce.Do(func() {
		dialer := &net.Dialer{Timeout: 15 * time.Second, ControlContext: refuseInternal}
		tr := &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: 15 * time.Second, ResponseHeaderTimeout: 30 * time.Second,
			MaxResponseHeaderBytes: 64 << 10, ForceAttemptHTTP2: true, IdleConnTimeout: 60 * time.Second, MaxIdleConns: 10}
		c := githttp.NewClient(&http.Client{Transport: guardedTransport{tr}})
		client.InstallProtocol("https", c)
		client.InstallProtocol("http", c)
	})
}
