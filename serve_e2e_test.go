package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/internal/qrscan"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/simweb"
	"github.com/waconsole/waconsole/store"
)

// pairByCLI runs `waconsole pair`, scans the QR it draws with the phone,
// and waits for it to exit 0 once the session is READY.
// pairByCLI pairs session id with phone through `waconsole pair`, scanning
// the QR it draws, and returns the QR payload the phone scanned.
func pairByCLI(t *testing.T, dir, id, phone string, sim *simweb.Client) string {
	t.Helper()
	p := start(t, "pair", id, "--data-dir", dir)
	var scanned, payload string
	waitFor(t, 30*time.Second, "a QR code drawn by `waconsole pair` to be scanned", func() bool {
		block := lastQR(p.stdout.String())
		if block == "" || block == scanned {
			return false
		}
		var err error
		payload, err = qrscan.FromScreen(block)
		if err != nil {
			t.Fatalf("the drawn QR does not decode: %v\n%s", err, block)
		}
		scanned = block
		// A stale ref (it rotated meanwhile) is refused; the next drawing is scanned.
		err = sim.Scan(context.Background(), payload, phone)
		if err != nil && !errors.Is(err, simweb.ErrStale) {
			t.Fatal(err)
		}
		return err == nil
	})
	if code := p.wait(t, 30*time.Second); code != 0 {
		t.Fatalf("pair exited %d:\n%s\n%s", code, p.stdout.String(), p.stderr.String())
	}
	if !strings.Contains(p.stdout.String(), "READY: session "+id+" is paired with +"+phone) {
		t.Fatalf("pair did not say it was paired:\n%s", p.stdout.String())
	}
	return payload
}

type statusJSON struct {
	Healthy  bool          `json:"healthy"`
	Sessions []api.Session `json:"sessions"`
}

func status(t *testing.T, dir string) (statusJSON, int) {
	t.Helper()
	out, errOut, code := cli(t, "status", "--json", "--data-dir", dir)
	var st statusJSON
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json printed %q (%s): %v", out, errOut, err)
	}
	return st, code
}

func TestServePairStatusAndCleanStop(t *testing.T) {
	url, sim := startSim(t, 0.05)
	dir := t.TempDir()
	srv := startServe(t, dir, url)
	if out, errOut, code := cli(t, "session", "add", "ops", "--data-dir", dir); code != 0 || !strings.Contains(out, "ops: STOPPED") {
		t.Fatalf("session add: %d %s %s", code, out, errOut)
	}
	if st, code := status(t, dir); code != 1 || st.Healthy || st.Sessions[0].State != string(session.Stopped) {
		t.Fatalf("status before pairing: exit %d %+v", code, st)
	}
	pairByCLI(t, dir, "ops", "15552220001", sim)
	st, code := status(t, dir)
	if code != 0 || !st.Healthy || len(st.Sessions) != 1 || st.Sessions[0].State != string(session.Ready) || st.Sessions[0].Account != "15552220001" {
		t.Fatalf("status after pairing: exit %d %+v", code, st)
	}
	table, _, _ := cli(t, "status", "--data-dir", dir)
	if !strings.Contains(table, "ops") || !strings.Contains(table, "READY") || strings.Contains(table, "\x1b[") {
		t.Fatalf("status table (no colour off a terminal):\n%s", table)
	}

	// A hot backup of the store opens as a store with the session in it.
	archive := filepath.Join(t.TempDir(), "copy.tar.gz")
	if out, errOut, code := cli(t, "backup", archive, "--data-dir", dir); code != 0 || !strings.Contains(out, "wrote") {
		t.Fatalf("backup: exit %d %s %s", code, out, errOut)
	}
	copyDB, err := store.Open(unpackStore(t, archive), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	list, err := copyDB.ListSessions()
	copyDB.Close()
	if err != nil || len(list) != 1 || list[0].ID != "ops" || list[0].Account != "15552220001" {
		t.Fatalf("sessions in the backup: %+v %v", list, err)
	}

	began := time.Now()
	srv.signal(syscall.SIGTERM)
	if code := srv.wait(t, 12*time.Second); code != 0 {
		t.Fatalf("serve exited %d on SIGTERM:\n%s", code, srv.stderr.String())
	}
	if took := time.Since(began); took > 10*time.Second {
		t.Fatalf("a clean stop took %s", took)
	}
	if n := browsers(dir); n != 0 {
		t.Fatalf("%d Chromium processes after a clean stop", n)
	}
	log := srv.stderr.String()
	for _, want := range []string{`"msg":"stopped cleanly"`, `"from":"QR","to":"SYNCING"`, `"to":"READY"`} {
		if !strings.Contains(log, want) {
			t.Errorf("the serve log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "15552220001") {
		t.Errorf("the serve log shows the phone number unmasked:\n%s", log)
	}
	if _, err := os.Stat(api.SocketPath(dir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the socket is left after a clean stop: %v", err)
	}
}

func TestServeKilledComesBackWithoutPairing(t *testing.T) {
	url, sim := startSim(t, 0.05)
	dir := t.TempDir()
	srv := startServe(t, dir, url)
	cli(t, "session", "add", "night", "--data-dir", dir)
	pairByCLI(t, dir, "night", "15552220002", sim)

	srv.signal(syscall.SIGKILL)
	srv.wait(t, 5*time.Second)
	waitFor(t, 5*time.Second, "Chromium to die with the killed server", func() bool { return browsers(dir) == 0 })
	if _, err := os.Stat(api.SocketPath(dir)); err != nil {
		t.Fatalf("the killed server's socket should be left behind (stale): %v", err)
	}
	// Nothing answers on the stale socket: clients say so.
	if _, errOut, code := cli(t, "status", "--data-dir", dir); code != 1 || !strings.Contains(errOut, "no waconsole is running") {
		t.Fatalf("status on a stale socket: %d %s", code, errOut)
	}

	startServe(t, dir, url)
	waitFor(t, 30*time.Second, "the session READY again without pairing", func() bool {
		st, code := status(t, dir)
		return code == 0 && st.Sessions[0].State == string(session.Ready)
	})
	if n := mainBrowsers(dir); n != 1 {
		t.Fatalf("%d browsers for one session after the restart", n)
	}
}

func TestPairByLinkCode(t *testing.T) {
	url, sim := startSim(t, 0.05)
	dir := t.TempDir()
	startServe(t, dir, url)
	const phone = "4915112340001"
	cli(t, "session", "add", "link", "--data-dir", dir)
	p := start(t, "pair", "link", "--link-code", phone, "--data-dir", dir)
	var code string
	waitFor(t, 30*time.Second, "pair to show a link code", func() bool {
		out := p.stdout.String()
		i := strings.Index(out, "Link code for +"+phone)
		if i < 0 {
			return false
		}
		f := strings.Fields(out[i:])
		code = f[len(strings.Fields("Link code for +X (valid until 00:00:00):"))]
		return true
	})
	if len(code) != 9 || code[4] != '-' {
		t.Fatalf("link code %q is not XXXX-XXXX:\n%s", code, p.stdout.String())
	}
	if err := sim.Link(context.Background(), code, phone); err != nil {
		t.Fatal(err)
	}
	if c := p.wait(t, 30*time.Second); c != 0 || !strings.Contains(p.stdout.String(), "READY") {
		t.Fatalf("pair exited %d:\n%s", c, p.stdout.String())
	}

	// Destructive commands want a confirmation; a script says --yes.
	if _, errOut, code := cli(t, "session", "delete", "link", "--data-dir", dir); code == 0 || !strings.Contains(errOut, "--yes") {
		t.Fatalf("delete without a terminal or --yes: exit %d: %s", code, errOut)
	}
	if st, _ := status(t, dir); len(st.Sessions) != 1 {
		t.Fatal("the refused delete deleted")
	}
	if out, errOut, code := cli(t, "session", "delete", "link", "--yes", "--data-dir", dir); code != 0 || !strings.Contains(out, "deleted session link") {
		t.Fatalf("delete --yes: exit %d: %s %s", code, out, errOut)
	}
	waitFor(t, 5*time.Second, "the deleted session's browser to go", func() bool { return browsers(dir) == 0 })
	if st, _ := status(t, dir); len(st.Sessions) != 0 {
		t.Fatalf("sessions after the delete: %+v", st.Sessions)
	}
}

func TestPairExitsNonZeroWhenTheQRExpires(t *testing.T) {
	url, _ := startSim(t, 0.01) // the six codes expire in under 2 s
	dir := t.TempDir()
	startServe(t, dir, url)
	cli(t, "session", "add", "late", "--data-dir", dir)
	p := start(t, "pair", "late", "--data-dir", dir)
	if code := p.wait(t, 60*time.Second); code == 0 || !strings.Contains(p.stderr.String(), "expired") {
		t.Fatalf("pair exited %d when the QR codes expired:\n%s", code, p.stderr.String())
	}
}

func TestSecondProcessIsRefused(t *testing.T) {
	url, _ := startSim(t, 0.05)
	dir := t.TempDir()
	first := startServe(t, dir, url)
	began := time.Now()
	_, errOut, code := cli(t, "serve", "--data-dir", dir, "--wa-url", url)
	if code == 0 || time.Since(began) > 2*time.Second {
		t.Fatalf("a second serve exited %d after %s", code, time.Since(began))
	}
	for _, want := range []string{dir, "pid " + strconv.Itoa(first.cmd.Process.Pid), "in use"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the refusal does not say %q:\n%s", want, errOut)
		}
	}

	// Only the store's lock held (no socket): the newcomer still says who to look for.
	other := t.TempDir()
	db, err := store.Open(filepath.Join(other, "waconsole.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	began = time.Now()
	_, errOut, code = cli(t, "serve", "--data-dir", other, "--wa-url", url)
	if code == 0 || time.Since(began) > 2*time.Second || !strings.Contains(errOut, "fuser -v "+filepath.Join(other, "waconsole.db")) {
		t.Fatalf("with the store locked: exit %d after %s:\n%s", code, time.Since(began), errOut)
	}
}

func TestCorruptStoreIsRefusedUntouched(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "waconsole.db")
	junk := []byte(strings.Repeat("not a database ", 1000))
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := cli(t, "serve", "--data-dir", dir)
	if code == 0 || !strings.Contains(errOut, path) {
		t.Fatalf("serve on a corrupt store: exit %d:\n%s", code, errOut)
	}
	if got, _ := os.ReadFile(path); string(got) != string(junk) {
		t.Fatal("the corrupt file was changed")
	}
}

func TestClientsWithoutAServer(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"status"}, {"pair", "x"}, {"session", "start", "x"}, {"send", "--session", "x", "--to", "15550001111", "--text", "hi"}} {
		_, errOut, code := cli(t, append(args, "--data-dir", dir)...)
		if code == 0 || !strings.Contains(errOut, "no waconsole is running on data dir "+dir) || !strings.Contains(errOut, "waconsole serve") {
			t.Errorf("%v without a server: exit %d:\n%s", args, code, errOut)
		}
	}
}

func TestNoChromiumSaysHowToInstall(t *testing.T) {
	_, errOut, code := cli(t, "serve", "--data-dir", t.TempDir(), "--chrome", "/nonexistent/chromium")
	if code == 0 || !strings.Contains(errOut, "/nonexistent/chromium") {
		t.Fatalf("serve with a missing --chrome: exit %d:\n%s", code, errOut)
	}
	cmd := startEnv(t, []string{"PATH=/nonexistent"}, "serve", "--data-dir", t.TempDir())
	if code := cmd.wait(t, 10*time.Second); code == 0 || !strings.Contains(cmd.stderr.String(), "apt-get install -y chromium") {
		t.Fatalf("serve without Chromium on PATH: exit %d:\n%s", code, cmd.stderr.String())
	}
}
