package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/session/sessiontest"
)

// tcpAPI serves a fake with sessions shop and support over TCP, with keys
// of every role and one limited to shop, and webhook endpoints in memory.
type tcpAPI struct {
	fake  *sessiontest.Fake
	srv   *httptest.Server
	keys  *memKeys
	guard *KeyGuard
	hooks *fakeHooks
}

const (
	readKey    = "wac_readKey000000000000000000000000"
	operateKey = "wac_operateKey0000000000000000000000"
	adminKey   = "wac_adminKey00000000000000000000000"
	shopKey    = "wac_shopKey000000000000000000000000"
	revokedKey = "wac_revokedKey0000000000000000000000"
)

func newTCPAPI(t *testing.T) *tcpAPI {
	t.Helper()
	keys := &memKeys{}
	keys.addKey(t, readKey, "reader", RoleRead)
	keys.addKey(t, operateKey, "worker", RoleOperate)
	keys.addKey(t, adminKey, "admin", RoleAdmin)
	keys.addKey(t, shopKey, "shop-worker", RoleOperate, "shop")
	keys.addKey(t, revokedKey, "old", RoleAdmin)
	if err := keys.RevokeKey("old"); err != nil {
		t.Fatal(err)
	}
	f := newFake("shop", "support")
	hooks := &fakeHooks{hooks: map[string][]Webhook{}}
	g := RequireKey(Handler(f, testInfo, Options{Keys: keys, Webhooks: hooks}), keys, testLogger(t))
	g.every = time.Nanosecond // tests of the limit set their own
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return &tcpAPI{fake: f, srv: srv, keys: keys, guard: g, hooks: hooks}
}

func (a *tcpAPI) do(t *testing.T, key, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	return roundTrip(t, a.srv.Client(), a.srv.URL, key, method, path, body)
}

func TestTCPKeys(t *testing.T) {
	a := newTCPAPI(t)
	send := `{"to":"12025550108","text":"hi"}`
	for _, c := range []struct {
		name, key, method, path, body string
		status                        int
		code, word                    string
	}{
		{"no key", "", "GET", "/v1/sessions", "", 401, CodeUnauthorized, "Authorization: Bearer"},
		{"wrong key", "wac_wrong", "GET", "/v1/sessions", "", 401, CodeUnauthorized, "wrong or revoked"},
		{"revoked key", revokedKey, "GET", "/v1/sessions", "", 401, CodeUnauthorized, "wrong or revoked"},
		{"read key sends", readKey, "POST", "/v1/sessions/shop/messages", send, 403, CodeForbidden, "needs role operate"},
		{"read key stops", readKey, "POST", "/v1/sessions/shop/stop", "", 403, CodeForbidden, "role read"},
		{"read key follows pairing", readKey, "GET", "/v1/sessions/shop/pairing", "", 403, CodeForbidden, "needs role operate"},
		{"operate key deletes", operateKey, "DELETE", "/v1/sessions/shop", "", 403, CodeForbidden, "needs role admin"},
		{"operate key logs out", operateKey, "POST", "/v1/sessions/shop/logout", "", 403, CodeForbidden, "needs role admin"},
		{"operate key makes keys", operateKey, "POST", "/v1/apikeys", `{"name":"x","role":"admin"}`, 403, CodeForbidden, "needs role admin"},
		{"shop key on support", shopKey, "POST", "/v1/sessions/support/messages", send, 403, CodeForbidden, "not made for that session"},
		{"shop key on the doctor", shopKey, "GET", "/v1/doctor", "", 403, CodeForbidden, "needs a key of every session"},
		{"shop key makes keys", shopKey, "POST", "/v1/apikeys", `{"name":"x","role":"admin"}`, 403, CodeForbidden, "needs role admin"},
		{"unknown route", readKey, "GET", "/v2/info", "", 404, CodeNotFound, "no route"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, a.do(t, c.key, c.method, c.path, c.body), c.status, c.code, c.word)
		})
	}
	var snap Session
	ok(t, a.do(t, readKey, "GET", "/v1/sessions/support", ""), http.StatusOK, &snap)
	lower := httptest.NewRequest("GET", "/", nil)
	lower.Header.Set("Authorization", "bearer "+readKey)
	if token, ok := bearer(lower); !ok || token != readKey {
		t.Errorf("the scheme bearer in lower case: %q, %v", token, ok)
	}
	var sent SendResponse
	ok(t, a.do(t, shopKey, "POST", "/v1/sessions/shop/messages", send), http.StatusAccepted, &sent)
	ok(t, a.do(t, operateKey, "POST", "/v1/sessions/support/start", ""), http.StatusOK, &snap)
	var deleted Deleted
	ok(t, a.do(t, adminKey, "DELETE", "/v1/sessions/support", ""), http.StatusOK, &deleted)
	if rec := a.do(t, "", "GET", "/v1/info", ""); rec.Header().Get("WWW-Authenticate") != "Bearer" {
		t.Errorf("a 401 without WWW-Authenticate: Bearer: %v", rec.Header())
	}
}

// A key limited to a session learns nothing of the others: the same answer
// for one that exists and one that does not, and lists show only its own.
func TestTCPSessionKeyLearnsNothing(t *testing.T) {
	a := newTCPAPI(t)
	for _, path := range []string{"/v1/sessions/%s", "/v1/sessions/%s/outbox", "/v1/sessions/%s/stop"} {
		method := "GET"
		if strings.HasSuffix(path, "stop") {
			method = "POST"
		}
		exists := a.do(t, shopKey, method, strings.Replace(path, "%s", "support", 1), "")
		missing := a.do(t, shopKey, method, strings.Replace(path, "%s", "nope", 1), "")
		if exists.Code != 403 || missing.Code != 403 || exists.Body.String() != missing.Body.String() {
			t.Errorf("%s %s: %d %s for an existing session, %d %s for a missing one; want the same 403", method, path, exists.Code, exists.Body, missing.Code, missing.Body)
		}
	}
	var list SessionList
	ok(t, a.do(t, shopKey, "GET", "/v1/sessions", ""), http.StatusOK, &list)
	if len(list.Sessions) != 1 || list.Sessions[0].ID != "shop" {
		t.Errorf("the shop key lists %+v, want shop alone", list.Sessions)
	}
	ok(t, a.do(t, readKey, "GET", "/v1/sessions", ""), http.StatusOK, &list)
	if len(list.Sessions) != 2 {
		t.Errorf("an unlimited key lists %d sessions, want 2", len(list.Sessions))
	}
}

// Keys are made, listed without the key, and revoked through the API; two
// live at once, so workers move to a new key before the old one goes.
func TestTCPKeyRotation(t *testing.T) {
	a := newTCPAPI(t)
	var made NewAPIKey
	ok(t, a.do(t, adminKey, "POST", "/v1/apikeys", `{"name":"worker-2","role":"operate","sessions":["shop","shop"]}`), http.StatusCreated, &made)
	if !strings.HasPrefix(made.Key, KeyPrefix) || len(made.Key) != len(KeyPrefix)+keyLen || made.Role != RoleOperate || len(made.Sessions) != 1 {
		t.Fatalf("made %+v, want an operate key of shop", made)
	}
	var snap Session
	ok(t, a.do(t, made.Key, "GET", "/v1/sessions/shop", ""), http.StatusOK, &snap)
	ok(t, a.do(t, shopKey, "GET", "/v1/sessions/shop", ""), http.StatusOK, &snap)
	rec := a.do(t, adminKey, "GET", "/v1/apikeys", "")
	if strings.Contains(rec.Body.String(), made.Key) || strings.Contains(rec.Body.String(), "hash") {
		t.Fatalf("the key list shows a key or its hash: %s", rec.Body)
	}
	var list APIKeyList
	ok(t, rec, http.StatusOK, &list)
	if len(list.Keys) != 5 || list.Keys[4].Name != "worker-2" || list.Keys[3].LastUsed.IsZero() {
		t.Fatalf("keys %+v, want 5 ending in worker-2, shop-worker used", list.Keys)
	}
	var revoked Revoked
	ok(t, a.do(t, adminKey, "DELETE", "/v1/apikeys/shop-worker", ""), http.StatusOK, &revoked)
	wantError(t, a.do(t, shopKey, "GET", "/v1/sessions/shop", ""), 401, CodeUnauthorized, "revoked")
	ok(t, a.do(t, made.Key, "GET", "/v1/sessions/shop", ""), http.StatusOK, &snap)
	wantError(t, a.do(t, adminKey, "DELETE", "/v1/apikeys/shop-worker", ""), 404, CodeNotFound, "shop-worker")
	wantError(t, a.do(t, adminKey, "POST", "/v1/apikeys", `{"name":"worker-2","role":"read"}`), 409, CodeExists, "worker-2")
	wantError(t, a.do(t, adminKey, "POST", "/v1/apikeys", `{"name":"x","role":"root"}`), 422, CodeInvalid, "read, operate or admin")
	wantError(t, a.do(t, adminKey, "POST", "/v1/apikeys", `{"name":"Bad Name","role":"read"}`), 422, CodeInvalid, "key name")
	wantError(t, a.do(t, adminKey, "POST", "/v1/apikeys", `{"name":"x","role":"read","sessions":["Shop!"]}`), 422, CodeInvalid, "session id")
}

func TestTCPFailuresAreSlowedDownAndCounted(t *testing.T) {
	a := newTCPAPI(t)
	a.guard.every = time.Hour // nothing refills during the test
	log := &syncLog{}
	a.guard.log = log.logger()
	for range failureBurst {
		wantError(t, a.do(t, "wac_guess", "GET", "/v1/sessions", ""), 401, CodeUnauthorized, "wrong")
	}
	rec := a.do(t, "wac_guess", "GET", "/v1/sessions", "")
	wantError(t, rec, 429, CodeRateLimited, "too many failed requests")
	if ra := rec.Header().Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After %q, want seconds to wait", ra)
	}
	wantError(t, a.do(t, "", "GET", "/v1/sessions", ""), 429, CodeRateLimited, "too many failed requests")
	if !log.has(`msg="API address held back after too many failed requests" remote=127.0.0.1 for=1h0m0s`) {
		t.Errorf("the hold is not logged: %q", log.lines)
	}
	// A valid key from the same address (workers behind one proxy) is
	// never held back, not even when its role does not allow the request.
	var list SessionList
	ok(t, a.do(t, adminKey, "GET", "/v1/sessions", ""), http.StatusOK, &list)
	wantError(t, a.do(t, readKey, "POST", "/v1/sessions/shop/stop", ""), 403, CodeForbidden, "needs role operate")
	got := a.guard.Failures()
	if got["invalid"] != failureBurst || got["rate_limited"] != 2 || got["forbidden"] != 1 {
		t.Errorf("failures %v, want %d invalid, 2 rate_limited and 1 forbidden", got, failureBurst)
	}
}

// A valid key's 403s are counted but hold no address back: they guess no
// key.
func TestTCPForbiddenDoesNotHoldBack(t *testing.T) {
	a := newTCPAPI(t)
	a.guard.every = time.Hour
	for range failureBurst + 1 {
		wantError(t, a.do(t, shopKey, "GET", "/v1/sessions/support", ""), 403, CodeForbidden, "not made for that session")
	}
	wantError(t, a.do(t, "wac_guess", "GET", "/v1/sessions", ""), 401, CodeUnauthorized, "wrong")
	if got := a.guard.Failures(); got["forbidden"] != failureBurst+1 || got["rate_limited"] != 0 {
		t.Errorf("failures %v, want %d forbidden and none rate_limited", got, failureBurst+1)
	}
}

// The last use is written at most once a minute per key, not per request.
func TestTCPLastUsedWrittenOnceAMinute(t *testing.T) {
	a := newTCPAPI(t)
	for range 5 {
		var snap Session
		ok(t, a.do(t, readKey, "GET", "/v1/sessions/shop", ""), http.StatusOK, &snap)
	}
	if a.keys.touches != 1 {
		t.Errorf("%d writes of the last use for 5 requests, want 1", a.keys.touches)
	}
}

// Over the socket no key is asked for, and every route is open.
func TestSocketNeedsNoKey(t *testing.T) {
	f := newFake("shop")
	keys := &memKeys{}
	c, _ := startServer(t, Handler(f, testInfo, Options{Keys: keys}))
	k, err := c.CreateKey(t.Context(), APIKeyRequest{Name: "w", Role: RoleRead})
	if err != nil || !strings.HasPrefix(k.Key, KeyPrefix) {
		t.Fatalf("CreateKey = %+v, %v", k, err)
	}
	if err := c.Delete(t.Context(), "shop"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Get("shop"); err == nil {
		t.Error("the socket's delete did not delete")
	}
}

// A read key sees that a session waits for a scan, not the code to scan.
func TestTCPReadKeySeesNoQR(t *testing.T) {
	a := newTCPAPI(t)
	snap := a.fake.Snapshots["shop"]
	snap.State, snap.QR = session.QR, session.QRInfo{Payload: "2@payload,of,the,qr", Index: 1, Total: 6}
	a.fake.Put(snap)
	for key, want := range map[string]string{readKey: "", operateKey: "2@payload,of,the,qr"} {
		var snap Session
		ok(t, a.do(t, key, "GET", "/v1/sessions/shop", ""), http.StatusOK, &snap)
		var list SessionList
		ok(t, a.do(t, key, "GET", "/v1/sessions", ""), http.StatusOK, &list)
		if snap.State != "QR" || snap.QR.Payload != want || list.Sessions[0].QR.Payload != want {
			t.Errorf("key %s: %s QR %+v, listed %+v; want the payload %q", key[:8], snap.State, snap.QR, list.Sessions[0].QR, want)
		}
	}
}

// However many addresses fail, at most maxTracked are remembered, and the
// one that failed longest ago is forgotten first.
func TestTCPTrackedAddressesAreBounded(t *testing.T) {
	a := newTCPAPI(t)
	a.guard.every = time.Hour // nothing refills: every address stays limited
	g := a.guard
	for i := range maxTracked * 2 {
		g.fail(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), "invalid")
		if i%100 == 0 {
			g.fail("192.0.2.1", "invalid") // fails all along: never the oldest
		}
		if len(g.limits) > maxTracked || g.order.Len() != len(g.limits) {
			t.Fatalf("after %d addresses %d tracked (%d in order), want at most %d", i+1, len(g.limits), g.order.Len(), maxTracked)
		}
	}
	if _, ok := g.limits["10.0.0.0"]; ok {
		t.Error("the address that failed first is still tracked")
	}
	for _, addr := range []string{"192.0.2.1", fmt.Sprintf("10.0.%d.%d", (maxTracked*2-1)>>8&255, (maxTracked*2-1)&255)} {
		if _, ok := g.limits[addr]; !ok {
			t.Errorf("%s failed lately and is forgotten", addr)
		}
	}
}
