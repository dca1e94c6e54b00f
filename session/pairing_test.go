package session

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

func history(t *testing.T, m *Manager, id string) string {
	t.Helper()
	evs, err := m.History(id, 200)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
	}
	return " " + strings.Join(kinds, " ") + " "
}

func TestQRPairingSurvivesRestart(t *testing.T) { eachBuild(t, testQRPairingSurvivesRestart) }

func testQRPairingSurvivesRestart(t *testing.T, e *testEnv) {
	s := e.pairQR("alpha", "15551230001")
	if s.Account != "15551230001" {
		t.Fatalf("account = %q, want the phone that scanned", s.Account)
	}
	h := history(t, e.m, "alpha")
	for _, kind := range []string{"qr-shown", "paired", "state"} {
		if !strings.Contains(h, " "+kind+" ") {
			t.Errorf("event log lacks %s: %s", kind, h)
		}
	}

	e.close()
	if n := e.browsers(); n != 0 {
		t.Fatalf("%d Chromium processes after a clean close", n)
	}
	e.open(t)
	got, err := e.m.Get("alpha")
	if err != nil || got.State != Stopped || got.Account != "15551230001" {
		t.Fatalf("after reopening: %+v %v", got, err)
	}
	e.m.StartAuto(context.Background())
	sawQR := false
	e.wait("alpha", "READY without pairing", 30*time.Second, func(s Snapshot) bool {
		sawQR = sawQR || s.State == QR || s.QR.Payload != ""
		return s.State == Ready
	})
	if sawQR {
		t.Fatal("the restarted session showed a QR code: the login did not survive in the profile")
	}
}

func TestLinkCodePairing(t *testing.T) { eachBuild(t, testLinkCodePairing) }

func testLinkCodePairing(t *testing.T, e *testEnv) {
	const phone = "4915112345678"
	if _, err := e.m.Add(AddRequest{ID: "beta", PairMethod: PairLink, PairPhone: phone, Start: true}); err != nil {
		t.Fatal(err)
	}
	s := e.wait("beta", "a link code", 30*time.Second, func(s Snapshot) bool { return s.State == LinkCode && s.Code.Code != "" })
	if len(s.Code.Code) != 9 || s.Code.Code[4] != '-' || s.Code.Phone != phone {
		t.Fatalf("code = %+v, want XXXX-XXXX for %s", s.Code, phone)
	}
	for _, r := range strings.ReplaceAll(s.Code.Code, "-", "") {
		if !strings.ContainsRune("123456789ABCDEFGHJKLMNPQRSTVWXYZ", r) {
			t.Fatalf("code %s has %q, outside WhatsApp's alphabet", s.Code.Code, r)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.phone.Link(ctx, s.Code.Code, "4915199999999"); err == nil {
		t.Fatal("a code entered on another phone number was accepted")
	}
	if err := e.phone.Link(ctx, s.Code.Code, phone); err != nil {
		t.Fatal(err)
	}
	if r := e.waitState("beta", Ready, 30*time.Second); r.Account != phone {
		t.Fatalf("account = %q", r.Account)
	}
	if !strings.Contains(history(t, e.m, "beta"), " code-issued ") {
		t.Error("no code-issued event")
	}
}

func TestQRRotatesUntilExpiredThenRefreshes(t *testing.T) {
	eachBuild(t, testQRRotatesUntilExpiredThenRefreshes)
}

func testQRRotatesUntilExpiredThenRefreshes(t *testing.T, e *testEnv) {
	if _, err := e.m.Add(AddRequest{ID: "gamma", Start: true}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	s := e.wait("gamma", "the QR codes to run out", 40*time.Second, func(s Snapshot) bool {
		if s.QR.Payload != "" {
			seen[s.QR.Payload] = s.QR.Index
		}
		return s.QR.Expired
	})
	if s.State != QR || len(seen) != 6 {
		t.Fatalf("state %s after %d distinct QR codes, want QR after 6", s.State, len(seen))
	}
	for p, idx := range seen {
		if idx < 1 || idx > 6 || len(p) < 200 || !strings.HasPrefix(p, "2@") || strings.Count(p, ",") != 4 {
			t.Fatalf("QR %d has a payload of the wrong shape: %q", idx, p)
		}
	}
	if err := e.m.RefreshQR("gamma"); err != nil {
		t.Fatal(err)
	}
	fresh := e.wait("gamma", "a fresh QR", 10*time.Second, func(n Snapshot) bool {
		_, old := seen[n.QR.Payload]
		return !n.QR.Expired && n.QR.Payload != "" && !old
	})
	if fresh.QR.Index != 1 {
		t.Fatalf("a fresh batch starts at code %d, want 1", fresh.QR.Index)
	}
	if h := history(t, e.m, "gamma"); !strings.Contains(h, " qr-expired ") || !strings.Contains(h, " qr-rotated ") {
		t.Fatalf("event log: %s", h)
	}
}

func TestUnlinkFromPhoneLogsOut(t *testing.T) { eachBuild(t, testUnlinkFromPhoneLogsOut) }

func testUnlinkFromPhoneLogsOut(t *testing.T, e *testEnv) {
	const phone = "15551230002"
	e.pairQR("delta", phone)
	ctx := context.Background()
	if err := e.phone.Unlink(ctx, phone); err != nil {
		t.Fatal(err)
	}
	s := e.waitState("delta", LoggedOut, 30*time.Second)
	if s.Account != "" {
		t.Fatalf("account kept after logout: %q", s.Account)
	}
	if _, err := os.Stat(e.m.profileDir("delta")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("profile still there after logout: %v", err)
	}
	if n := e.browsers(); n != 0 {
		t.Fatalf("%d browser processes after logout", n)
	}
	// Starting again pairs afresh.
	if err := e.m.Start("delta"); err != nil {
		t.Fatal(err)
	}
	e.wait("delta", "a new QR code", 30*time.Second, func(s Snapshot) bool { return s.State == QR && s.QR.Payload != "" })
}

func TestConflictThenTakeover(t *testing.T) { eachBuild(t, testConflictThenTakeover) }

func testConflictThenTakeover(t *testing.T, e *testEnv) {
	const phone = "15551230003"
	e.pairQR("eps", phone)
	if err := e.phone.Conflict(context.Background(), phone); err != nil {
		t.Fatal(err)
	}
	e.waitState("eps", Conflict, 20*time.Second)
	if err := e.m.Restart("eps"); err != nil {
		t.Fatal(err)
	}
	e.waitState("eps", Ready, 30*time.Second)
}

func TestDropDisconnectsThenRecovers(t *testing.T) { eachBuild(t, testDropDisconnectsThenRecovers) }

func testDropDisconnectsThenRecovers(t *testing.T, e *testEnv) {
	const phone = "15551230004"
	e.pairQR("zeta", phone)
	if err := e.phone.Drop(context.Background(), phone, 1.5); err != nil {
		t.Fatal(err)
	}
	e.waitState("zeta", Disconnected, 15*time.Second)
	e.waitState("zeta", Ready, 20*time.Second)
}

func TestBrowserCrashIsRestarted(t *testing.T) { eachBuild(t, testBrowserCrashIsRestarted) }

func testBrowserCrashIsRestarted(t *testing.T, e *testEnv) {
	e.pairQR("eta", "15551230005")
	killProfileProcesses(e.m.profileDir("eta"))
	e.wait("eta", "the crash to be noticed", 15*time.Second, func(s Snapshot) bool { return s.State == Starting })
	e.waitState("eta", Ready, 40*time.Second)
	if h := history(t, e.m, "eta"); !strings.Contains(h, " browser-failed ") {
		t.Fatalf("no browser-failed event: %s", h)
	}
}

func TestPageThatNeverLoadsFails(t *testing.T) {
	blank := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html><body>not WhatsApp</body></html>"))
	}))
	defer blank.Close()
	e := newEnv(t)
	e.close()
	e.url = blank.URL
	e.open(t)
	e.m.cfg.Timing.LoadTimeout = 2 * time.Second
	if _, err := e.m.Add(AddRequest{ID: "theta", Start: true}); err != nil {
		t.Fatal(err)
	}
	s := e.waitState("theta", Failed, 30*time.Second)
	if !strings.Contains(s.Reason, "never loaded") {
		t.Fatalf("reason = %q", s.Reason)
	}
}

func TestLinkCodeIsRefreshedBeforeItExpires(t *testing.T) {
	eachBuild(t, testLinkCodeIsRefreshedBeforeItExpires)
}

func testLinkCodeIsRefreshedBeforeItExpires(t *testing.T, e *testEnv) {
	e.m.cfg.Timing.LinkCodeRefresh = 1500 * time.Millisecond
	if _, err := e.m.Add(AddRequest{ID: "kappa", PairMethod: PairLink, PairPhone: "4915112345670", Start: true}); err != nil {
		t.Fatal(err)
	}
	first := e.wait("kappa", "a link code", 30*time.Second, func(s Snapshot) bool { return s.Code.Code != "" })
	second := e.wait("kappa", "a fresh link code", 10*time.Second, func(s Snapshot) bool {
		return s.Code.Code != "" && s.Code.Code != first.Code.Code
	})
	if second.State != LinkCode || !second.Code.Expires.After(first.Code.Expires) {
		t.Fatalf("after the refresh: %+v", second)
	}
	// The fresh code pairs; the old one does not.
	ctx := context.Background()
	if err := e.phone.Link(ctx, first.Code.Code, "4915112345670"); err == nil {
		t.Fatal("the replaced code still pairs")
	}
	if err := e.phone.Link(ctx, second.Code.Code, "4915112345670"); err != nil {
		t.Fatal(err)
	}
	e.waitState("kappa", Ready, 30*time.Second)
}

// Against the current page a companion_reg_refresh makes a new ADV secret
// under the same ref: the console must show the new code, and the old
// secret must no longer pair.
func TestQRFollowsANewADVSecret(t *testing.T) {
	e := newEnv(t)
	e.m.cfg.Timing.QRFirst = time.Minute
	if _, err := e.m.Add(AddRequest{ID: "adv", Start: true}); err != nil {
		t.Fatal(err)
	}
	old := e.wait("adv", "a QR code", 30*time.Second, func(s Snapshot) bool { return s.State == QR && s.QR.Payload != "" })
	ctx := context.Background()
	if err := e.phone.CompanionRefresh(ctx, ""); err != nil {
		t.Fatal(err)
	}
	advOf := func(p string) string { return strings.Split(p, ",")[3] }
	s := e.wait("adv", "a QR code with a new ADV secret", 10*time.Second, func(s Snapshot) bool {
		return strings.Count(s.QR.Payload, ",") == 4 && advOf(s.QR.Payload) != advOf(old.QR.Payload)
	})
	parts := strings.Split(s.QR.Payload, ",")
	parts[3] = advOf(old.QR.Payload)
	if err := e.phone.Scan(ctx, strings.Join(parts, ","), "15551240012"); err == nil {
		t.Fatal("a QR code drawn from the old ADV secret paired")
	}
	if !strings.Contains(history(t, e.m, "adv"), " qr-redrawn ") {
		t.Error("no qr-redrawn event")
	}
	e.pairShown("adv", "15551240012")
}

func TestLinkCodeThenBackToQR(t *testing.T) { eachBuild(t, testLinkCodeThenBackToQR) }

// Switching from a link code back to QR resets the page's pairing state:
// the QR code it then shows pairs.
func testLinkCodeThenBackToQR(t *testing.T, e *testEnv) {
	if _, err := e.m.Add(AddRequest{ID: "switch", PairMethod: PairLink, PairPhone: "4915112345671", Start: true}); err != nil {
		t.Fatal(err)
	}
	e.wait("switch", "a link code", 30*time.Second, func(s Snapshot) bool { return s.State == LinkCode && s.Code.Code != "" })
	if err := e.m.UseQR("switch"); err != nil {
		t.Fatal(err)
	}
	e.pairShown("switch", "4915112345671")
}
