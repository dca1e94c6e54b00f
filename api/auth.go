package api

import (
	"container/list"
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Error codes of the key check, which only TCP requests pass through.
const (
	CodeUnauthorized = "unauthorized" // 401: no key, or one that is wrong or revoked
	CodeForbidden    = "forbidden"    // 403: the key's role or sessions do not allow the request
	CodeRateLimited  = "rate_limited" // 429: too many failed requests from the address
)

// routeRoles is the least role a route needs over TCP where it is not the
// rule (a GET needs read, anything else operate). An action route is looked
// up with its action first.
var routeRoles = map[string]string{
	"GET /v1/backup":                           RoleAdmin,   // the whole store and the sessions' logins
	"GET /v1/doctor":                           RoleOperate, // starts a browser
	"GET /v1/sessions/{id}/pairing":            RoleOperate, // the pairing flow, as POST pair
	"POST /v1/sessions":                        RoleAdmin,
	"PATCH /v1/sessions/{id}":                  RoleAdmin,
	"DELETE /v1/sessions/{id}":                 RoleAdmin,
	"POST /v1/sessions/{id}/logout":            RoleAdmin, // the phone must pair again
	"POST /v1/sessions/{id}/webhooks":          RoleAdmin,
	"DELETE /v1/sessions/{id}/webhooks/{name}": RoleAdmin,
	"GET /v1/apikeys":                          RoleAdmin,
	"POST /v1/apikeys":                         RoleAdmin,
	"DELETE /v1/apikeys/{name}":                RoleAdmin,
}

// sessionFree are the routes without a session in the path that a key
// limited to some sessions may use; GET /v1/sessions and GET /v1/alerts
// then list only those, and an alert is acknowledged only of those.
var sessionFree = []string{"GET /v1/info", "GET /v1/sessions", "GET /v1/alerts", "POST /v1/alerts/{alert}/ack"}

// roleFor is the least role the request to route pattern needs.
func roleFor(method, pattern string, r *http.Request) string {
	if a := r.PathValue("action"); a != "" {
		if role, ok := routeRoles[method+" "+strings.Replace(pattern, "{action}", a, 1)]; ok {
			return role
		}
	}
	if role, ok := routeRoles[method+" "+pattern]; ok {
		return role
	}
	if method == http.MethodGet {
		return RoleRead
	}
	return RoleOperate
}

// principal is the key a TCP request came with; a request on the unix
// socket has none and may do everything, as its owner may.
type principal struct {
	key    APIKey
	denied func() // counts a 403
}

type principalKey struct{}

func principalOf(r *http.Request) *principal {
	p, _ := r.Context().Value(principalKey{}).(*principal)
	return p
}

// sessionDenied is the one answer to a key used on a session it is not
// made for, whether that session exists or not.
const sessionDenied = "this API key is not made for that session: use a key that lists it (waconsole apikey create NAME --sessions ID)"

// authorize answers 403 and returns false when the request's key may not
// use the route.
func authorize(w http.ResponseWriter, r *http.Request, method, pattern string) bool {
	p := principalOf(r)
	if p == nil {
		return true
	}
	if need := roleFor(method, pattern, r); slices.Index(Roles, p.key.Role) < slices.Index(Roles, need) {
		p.denied()
		writeError(w, http.StatusForbidden, CodeForbidden, fmt.Sprintf("an API key with role %s may not %s %s: it needs role %s", p.key.Role, method, pattern, need))
		return false
	}
	if len(p.key.Sessions) == 0 {
		return true
	}
	if strings.Contains(pattern, "{id}") && !slices.Contains(p.key.Sessions, r.PathValue("id")) {
		deny(w, r)
		return false
	}
	if !strings.Contains(pattern, "{id}") && !slices.Contains(sessionFree, method+" "+pattern) {
		p.denied()
		writeError(w, http.StatusForbidden, CodeForbidden, fmt.Sprintf("this API key is limited to some sessions: %s %s needs a key of every session", method, pattern))
		return false
	}
	return true
}

// deny answers a key used on a session it is not made for, and counts it
// as a failure of the address.
func deny(w http.ResponseWriter, r *http.Request) {
	principalOf(r).denied()
	writeError(w, http.StatusForbidden, CodeForbidden, sessionDenied)
}

// visible reports whether the request's key may see session id.
func visible(r *http.Request, id string) bool {
	return !limited(r) || slices.Contains(principalOf(r).key.Sessions, id)
}

// limited reports whether the request's key is limited to some sessions.
func limited(r *http.Request) bool {
	p := principalOf(r)
	return p != nil && len(p.key.Sessions) > 0
}

// readable hides from a read key what would let it pair a phone of its
// own to the session: the QR payload and the link code.
func readable(r *http.Request, s Session) Session {
	if p := principalOf(r); p != nil && p.key.Role == RoleRead {
		s.QR.Payload, s.Code.Code = "", ""
	}
	return s
}

// Failed requests an address may make before it must wait: failureBurst at
// once, then one every failureEvery (10 a minute).
const (
	failureBurst = 10
	failureEvery = 6 * time.Second
	// touchEvery bounds how often a key's last use is written.
	touchEvery = time.Minute
	// maxTracked addresses are remembered; the one that failed longest ago
	// is forgotten first.
	maxTracked = 4096
)

// KeyGuard lets through only requests with a valid key
// (Authorization: Bearer), slows down addresses that fail too often and
// counts the failures by reason.
type KeyGuard struct {
	next  http.Handler
	keys  Keys
	log   *slog.Logger
	every time.Duration

	mu       sync.Mutex
	limits   map[string]*list.Element // of *tracked, in order
	order    list.List                // front: the latest failure
	touched  map[string]time.Time
	failures map[string]uint64
}

// tracked is the allowance of an address that failed.
type tracked struct {
	addr string
	lim  *rate.Limiter
}

// RequireKey guards next, the API handler served over TCP, with the keys.
func RequireKey(next http.Handler, keys Keys, log *slog.Logger) *KeyGuard {
	return &KeyGuard{next: next, keys: keys, log: log, every: failureEvery,
		limits: map[string]*list.Element{}, touched: map[string]time.Time{}, failures: map[string]uint64{}}
}

// Failures returns the failed requests so far by reason: missing, invalid,
// forbidden, rate_limited.
func (g *KeyGuard) Failures() map[string]uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return maps.Clone(g.failures)
}

func (g *KeyGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The key comes first: a valid key is never held back, so an address
	// many clients share (a TLS proxy in front) is not locked out by one
	// of them failing.
	addr := remoteIP(r)
	token, ok := bearer(r)
	var key *APIKey
	if ok {
		var err error
		if key, err = g.find(token); err != nil {
			fail(w, err)
			return
		}
	}
	if key == nil && g.heldBack(w, addr) {
		return
	}
	if !ok {
		g.fail(addr, "missing")
		w.Header().Set("WWW-Authenticate", "Bearer")
		writeError(w, http.StatusUnauthorized, CodeUnauthorized, `this API needs a key over TCP: send "Authorization: Bearer <key>"; an admin makes one with waconsole apikey create`)
		return
	}
	if key == nil {
		g.fail(addr, "invalid")
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeError(w, http.StatusUnauthorized, CodeUnauthorized, "the API key is wrong or revoked: ask an admin for a current one (waconsole apikey list)")
		return
	}
	g.touch(key.Name)
	// A 403 of a valid key is counted but does not hold the address back:
	// it guesses no key, and would only lock out others behind a proxy.
	p := &principal{key: *key, denied: func() { g.count("forbidden") }}
	g.next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
}

// heldBack answers 429 and returns true while addr must wait.
func (g *KeyGuard) heldBack(w http.ResponseWriter, addr string) bool {
	wait := g.wait(addr)
	if wait <= 0 {
		return false
	}
	g.count("rate_limited")
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeError(w, http.StatusTooManyRequests, CodeRateLimited, fmt.Sprintf("too many failed requests from %s: wait %d s, and check the API key", addr, secs))
	return true
}

// count counts a failed request by reason.
func (g *KeyGuard) count(reason string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failures[reason]++
}

// find returns the key whose hash token has, comparing every stored hash
// in constant time.
func (g *KeyGuard) find(token string) (*APIKey, error) {
	keys, err := g.keys.Keys()
	if err != nil {
		return nil, err
	}
	h := hashKey(token)
	var found *APIKey
	for i := range keys {
		if subtle.ConstantTimeCompare(keys[i].Hash, h) == 1 {
			found = &keys[i].APIKey
		}
	}
	return found, nil
}

// wait is how long addr must wait before it is heard again.
func (g *KeyGuard) wait(addr string) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	e := g.limits[addr]
	if e == nil {
		return 0
	}
	if t := e.Value.(*tracked).lim.Tokens(); t < 1 {
		return time.Duration((1 - t) * float64(g.every))
	}
	return 0
}

// fail counts a failed request of addr.
func (g *KeyGuard) fail(addr, reason string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failures[reason]++
	var lim *rate.Limiter
	if e := g.limits[addr]; e != nil {
		g.order.MoveToFront(e)
		lim = e.Value.(*tracked).lim
	} else {
		if len(g.limits) >= maxTracked {
			delete(g.limits, g.order.Remove(g.order.Back()).(*tracked).addr)
		}
		lim = rate.NewLimiter(rate.Every(g.every), failureBurst)
		g.limits[addr] = g.order.PushFront(&tracked{addr: addr, lim: lim})
	}
	if lim.Allow() && lim.Tokens() < 1 {
		g.log.Warn("API address held back after too many failed requests", "remote", addr, "for", g.every)
	}
}

// touch records a key's use, at most once every touchEvery: not a store
// write per request.
func (g *KeyGuard) touch(name string) {
	now := time.Now()
	g.mu.Lock()
	if now.Sub(g.touched[name]) < touchEvery {
		g.mu.Unlock()
		return
	}
	g.touched[name] = now
	g.mu.Unlock()
	if err := g.keys.TouchKey(name, now.UTC()); err != nil {
		g.log.Error("recording the last use of an API key failed", "key_name", name, "err", err)
	}
}

// bearer is the token of an "Authorization: Bearer <token>" header; the
// scheme is case-insensitive (RFC 9110).
func bearer(r *http.Request) (string, bool) {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	return token, strings.EqualFold(scheme, "Bearer") && token != ""
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
