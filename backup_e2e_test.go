package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/backup"
	"github.com/waconsole/waconsole/backup/backuptest"
	"github.com/waconsole/waconsole/internal/authproxy"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/store"
)

// unpackStore checks a backup archive and returns the path of the store
// unpacked from it.
func unpackStore(t *testing.T, archive string) string {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dir := t.TempDir()
	if _, err := backup.Unpack(f, dir, false); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, backup.StoreName)
}

// A session paired in data dir A, backed up while it runs and restored
// into an empty data dir B, is READY on B against the same stand-in
// without pairing: no QR code shown.
func TestBackupRestoreComesBackReadyWithoutPairing(t *testing.T) {
	url, sim := startSim(t, 0.05)
	dirA := t.TempDir()
	srvA := startServe(t, dirA, url)
	cli(t, "session", "add", "shop", "--data-dir", dirA)
	pairByCLI(t, dirA, "shop", "15552220031", sim)

	archive := filepath.Join(t.TempDir(), "shop.tar.gz")
	out, errOut, code := cli(t, "backup", archive, "--data-dir", dirA)
	if code != 0 || !strings.Contains(out, "ok, every checksum matches") || !strings.Contains(out, "session shop") {
		t.Fatalf("backup: exit %d\n%s%s", code, out, errOut)
	}
	if info, err := os.Stat(archive); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the archive: %v, %v; want mode 0600", info, err)
	}
	data, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	names := backuptest.Names(t, data)
	if names[0] != backup.ManifestName || names[1] != backup.StoreName {
		t.Fatalf("the archive starts with %q", names[:2])
	}
	hasIDB := slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, "profiles/shop/Default/IndexedDB/") })
	caches := slices.ContainsFunc(names, func(n string) bool {
		return strings.Contains(n, "Cache") || strings.Contains(n, "Singleton") || strings.HasSuffix(n, "/LOCK")
	})
	if !hasIDB || caches {
		t.Fatalf("the archive holds %q: want the IndexedDB login and no cache or lock", names)
	}
	checkVerifyRefusesDamage(t, data)

	srvA.signal(syscall.SIGTERM)
	if code := srvA.wait(t, 15*time.Second); code != 0 {
		t.Fatalf("serve A exited %d", code)
	}
	if _, errOut, code := cli(t, "restore", archive, "--data-dir", dirA); code != 1 || !strings.Contains(errOut, "not empty") || !strings.Contains(errOut, "waconsole.db") {
		t.Fatalf("restore into the used data dir A: exit %d %s", code, errOut)
	}

	dirB := filepath.Join(t.TempDir(), "b")
	if out, errOut, code := cli(t, "restore", archive, "--data-dir", dirB); code != 0 || !strings.Contains(out, "restored into "+dirB) {
		t.Fatalf("restore into an empty data dir: exit %d\n%s%s", code, out, errOut)
	}
	restored := time.Now()
	startServe(t, dirB, url)
	waitFor(t, 60*time.Second, "the restored session READY", func() bool {
		st, code := status(t, dirB)
		return code == 0 && st.Sessions[0].State == string(session.Ready)
	})
	events, err := api.NewClient(dirB).Events(context.Background(), "shop", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Time.After(restored) && (e.To == string(session.QR) || e.To == string(session.LinkCode) || strings.Contains(e.Kind, "qr")) {
			t.Fatalf("the restored session asked for pairing: %+v", e)
		}
	}
}

// checkVerifyRefusesDamage runs `backup --verify` on the archive, intact,
// with a flipped byte, cut short and without one of its files.
func checkVerifyRefusesDamage(t *testing.T, archive []byte) {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if out, errOut, code := cli(t, "backup", "--verify", write("good.tar.gz", archive)); code != 0 || !strings.Contains(out, "schema version") {
		t.Fatalf("--verify of an intact archive: exit %d\n%s%s", code, out, errOut)
	}
	flipped := bytes.Clone(archive)
	flipped[len(flipped)/2] ^= 0x10
	var dropped string
	missing := backuptest.Repack(t, archive, func(name string, data []byte) ([]byte, bool) {
		if dropped == "" && strings.HasPrefix(name, "profiles/") {
			dropped = name
			return nil, false
		}
		return data, true
	})
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"flipped.tar.gz": {flipped, "use another backup"},
		"cut.tar.gz":     {archive[:len(archive)*2/3], "cut short"},
		"missing.tar.gz": {missing, "lacks files its manifest lists (" + dropped},
	} {
		if _, errOut, code := cli(t, "backup", "--verify", write(name, c.data)); code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("--verify of %s: exit %d, %q; want exit 1 saying %q", name, code, errOut, c.want)
		}
	}
	fresh := filepath.Join(dir, "never")
	if _, errOut, code := cli(t, "restore", write("flipped2.tar.gz", flipped), "--data-dir", fresh); code != 1 {
		t.Errorf("restore of a damaged archive: exit %d %s", code, errOut)
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("a refused restore left %s: %v", fresh, err)
	}
}

// A session whose proxy has a password is backed up: the archive holds
// that password nowhere and its manifest says so; backup, --verify and
// restore say how to set it again; the live store keeps it. Restored, the
// session fails at its start saying the same, and comes back once it is set.
func TestBackupKeepsNoProxyPassword(t *testing.T) {
	url, _ := startSim(t, 0.05)
	const password = "Pr0xy-b4ckup-s3cret"
	px, err := authproxy.Start("ops", password)
	if err != nil {
		t.Fatal(err)
	}
	defer px.Close()
	setAgain := "waconsole session set shop --proxy http://ops:PASSWORD@" + px.Addr()
	stateOf := func(dir string) api.Session {
		st, _ := status(t, dir)
		if len(st.Sessions) != 1 {
			return api.Session{}
		}
		return st.Sessions[0]
	}

	dirA := t.TempDir()
	srvA := startServe(t, dirA, url)
	if out, errOut, code := cli(t, "session", "add", "shop", "--proxy", px.URL("ops", password), "--start", "--data-dir", dirA); code != 0 {
		t.Fatalf("session add: exit %d\n%s%s", code, out, errOut)
	}
	waitFor(t, 30*time.Second, "shop to show a QR code through the proxy", func() bool {
		return stateOf(dirA).State == string(session.QR) && len(px.Seen()) > 0
	})
	archive := filepath.Join(t.TempDir(), "shop.tar.gz")
	out, errOut, code := cli(t, "backup", archive, "--data-dir", dirA)
	if code != 0 || !strings.Contains(out, setAgain) {
		t.Fatalf("backup: exit %d, want it to say %q\n%s%s", code, setAgain, out, errOut)
	}
	data, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	tarBytes := backuptest.Tar(t, data)
	if !slices.ContainsFunc(backuptest.Names(t, data), func(n string) bool { return strings.HasPrefix(n, "profiles/shop/") }) {
		t.Fatal("the archive holds no login file of shop: its search below would miss the profile")
	}
	if bytes.Contains(tarBytes, []byte(password)) {
		t.Fatal("the archive holds the proxy password")
	}
	if !bytes.Contains(tarBytes, []byte(`"proxyPasswordRemoved": true`)) {
		t.Fatal(`the manifest lacks "proxyPasswordRemoved": true`)
	}
	if out, errOut, code := cli(t, "backup", "--verify", archive); code != 0 || !strings.Contains(out, setAgain) {
		t.Fatalf("--verify: exit %d, want it to say %q\n%s%s", code, setAgain, out, errOut)
	}

	srvA.signal(syscall.SIGTERM)
	if code := srvA.wait(t, 15*time.Second); code != 0 {
		t.Fatalf("serve A exited %d", code)
	}
	live, err := store.Open(filepath.Join(dirA, backup.StoreName), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := live.GetSession("shop")
	live.Close()
	if err != nil || s.Browser.Proxy != px.URL("ops", password) {
		t.Fatalf("the live store's proxy after the backup: %v; want it with its password", err)
	}

	dirB := filepath.Join(t.TempDir(), "b")
	if out, errOut, code := cli(t, "restore", archive, "--data-dir", dirB); code != 0 || !strings.Contains(out, setAgain) {
		t.Fatalf("restore: exit %d, want it to say %q\n%s%s", code, setAgain, out, errOut)
	}
	startServe(t, dirB, url)
	waitFor(t, 30*time.Second, "the restored shop to fail on its proxy", func() bool {
		return stateOf(dirB).State == string(session.Failed)
	})
	if msg := stateOf(dirB).LastError; !strings.Contains(msg, "proxy http://ops@"+px.Addr()) || !strings.Contains(msg, setAgain) {
		t.Fatalf("the restored shop failed with %q, want it to name the proxy and say %q", msg, setAgain)
	}
	for _, args := range [][]string{{"session", "set", "shop", "--proxy", px.URL("ops", password)}, {"session", "restart", "shop"}} {
		if out, errOut, code := cli(t, append(args, "--data-dir", dirB)...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	waitFor(t, 30*time.Second, "the restored shop to show a QR code once its password is set", func() bool {
		return stateOf(dirB).State == string(session.QR)
	})
}
