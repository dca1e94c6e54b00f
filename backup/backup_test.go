package backup

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/backup/backuptest"
	"github.com/waconsole/waconsole/store"
)

// profileFile is a login file of session "shop" in the test archives.
const profileFile = "profiles/shop/Default/IndexedDB/https_web.whatsapp.com_0.indexeddb.leveldb/000003.log"

// proxyPassword is the password of session "shop"'s proxy in the test
// stores.
const proxyPassword = "s3cret-Pw-4d1c"

// testStore opens a real store holding session "shop", whose proxy has a
// password.
func testStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "waconsole.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.CreateSession(store.Session{ID: "shop", Browser: store.Browser{Proxy: "http://ops:" + proxyPassword + "@proxy.example:3128"}}); err != nil {
		t.Fatal(err)
	}
	return db
}

// testArchive writes an archive of testStore's store and one login file.
func testArchive(t *testing.T) []byte {
	t.Helper()
	return archiveOf(t, testStore(t))
}

// archiveOf writes an archive of db, whose session "shop" has one login
// file, as the runtime writes one.
func archiveOf(t *testing.T, db *store.DB) []byte {
	t.Helper()
	stage, err := NewStage(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer stage.Remove()
	m := Manifest{Version: "test", Created: time.Now().UTC(), DataDir: "/var/lib/waconsole", WAURL: "https://web.whatsapp.com/"}
	var removed map[string]string
	if m.Store, removed, err = stage.AddStore(db); err != nil {
		t.Fatal(err)
	}
	login, err := stage.Add(profileFile, func(w io.Writer) error { _, err := io.WriteString(w, "the login"); return err })
	if err != nil {
		t.Fatal(err)
	}
	proxy, ok := removed["shop"]
	m.Sessions = []Session{{ID: "shop", State: "READY", Files: []File{login}, ProxyPasswordRemoved: ok, Proxy: proxy}}
	var buf bytes.Buffer
	n, err := Write(&buf, m, stage)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("Write = %d, %v; wrote %d", n, err, buf.Len())
	}
	return buf.Bytes()
}

// The archive of a store whose session has a proxy password holds that
// password nowhere, its manifest says it was removed, the restored session
// keeps its proxy without it, and the live store still has it.
func TestArchiveHoldsNoProxyPassword(t *testing.T) {
	db := testStore(t)
	archive := archiveOf(t, db)
	tarBytes := backuptest.Tar(t, archive)
	if !bytes.Contains(tarBytes, []byte("the login")) {
		t.Fatal("the decompressed archive does not hold the login file's content: the search below would find nothing anyway")
	}
	if bytes.Contains(tarBytes, []byte(proxyPassword)) {
		t.Fatal("the archive holds the proxy password")
	}
	var manifest []byte
	backuptest.Repack(t, archive, func(name string, data []byte) ([]byte, bool) {
		if name == ManifestName {
			manifest = data
		}
		return data, true
	})
	if !bytes.Contains(manifest, []byte(`"proxyPasswordRemoved": true`)) || !bytes.Contains(manifest, []byte(`"proxy": "http://ops@proxy.example:3128"`)) {
		t.Fatalf("the manifest does not say the proxy password was removed:\n%s", manifest)
	}

	dir := filepath.Join(t.TempDir(), "data")
	sum, err := Restore(bytes.NewReader(archive), dir)
	if err != nil {
		t.Fatal(err)
	}
	if s := sum.Sessions[0]; !s.ProxyPasswordRemoved || s.Proxy != "http://ops@proxy.example:3128" {
		t.Fatalf("the summary's session %+v", s)
	}
	restored, err := store.Open(filepath.Join(dir, StoreName), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if s, err := restored.GetSession("shop"); err != nil || s.Browser.Proxy != "http://ops@proxy.example:3128" {
		t.Fatalf("the restored session's proxy is %q (%v), want it without the password", s.Browser.Proxy, err)
	}
	if s, err := db.GetSession("shop"); err != nil || s.Browser.Proxy != "http://ops:"+proxyPassword+"@proxy.example:3128" {
		t.Fatalf("the live store's proxy after the backup is %q (%v), want it with its password", s.Browser.Proxy, err)
	}
}

func TestArchiveStartsWithTheManifest(t *testing.T) {
	names := backuptest.Names(t, testArchive(t))
	want := []string{ManifestName, StoreName, profileFile}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("entries %q, want %q", names, want)
	}
}

func TestRestoreIntoANewDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	sum, err := Restore(bytes.NewReader(testArchive(t)), dir)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Schema == 0 || len(sum.Sessions) != 1 || sum.Sessions[0].ID != "shop" || sum.Sessions[0].Bytes() != int64(len("the login")) || sum.Version != "test" {
		t.Fatalf("summary %+v", sum)
	}
	got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(profileFile)))
	if err != nil || string(got) != "the login" {
		t.Fatalf("restored login file: %q %v", got, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("the data dir holds %v, want the store and profiles alone", entries)
	}
	for _, p := range []string{dir, filepath.Join(dir, "profiles", "shop"), filepath.Join(dir, StoreName), filepath.Join(dir, filepath.FromSlash(profileFile))} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if want := os.FileMode(0o600); info.IsDir() {
			want = 0o700
			if info.Mode().Perm() != want {
				t.Errorf("%s has mode %v, want %v", p, info.Mode().Perm(), want)
			}
		} else if info.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", p, info.Mode().Perm(), want)
		}
	}
	db, err := store.Open(filepath.Join(dir, StoreName), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if list, err := db.ListSessions(); err != nil || len(list) != 1 || list[0].ID != "shop" {
		t.Fatalf("sessions in the restored store: %+v %v", list, err)
	}
}

func TestRestoreRefusesANonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Restore(bytes.NewReader(testArchive(t)), dir)
	if !errors.Is(err, ErrNotEmpty) || !strings.Contains(err.Error(), "notes.txt") || !strings.Contains(err.Error(), "empty or new directory") {
		t.Fatalf("Restore into a non-empty dir: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("the refused dir now holds %v", entries)
	}
}

func TestRestoreOfADamagedArchiveWritesNothing(t *testing.T) {
	bad := backuptest.Repack(t, testArchive(t), func(name string, data []byte) ([]byte, bool) {
		if name == profileFile {
			data = bytes.Clone(data)
			data[0] ^= 1
		}
		return data, true
	})
	dir := t.TempDir()
	if _, err := Restore(bytes.NewReader(bad), dir); err == nil || !strings.Contains(err.Error(), "SHA-256") {
		t.Fatalf("Restore of a damaged archive: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a refused restore left %v", entries)
	}
	fresh := filepath.Join(t.TempDir(), "new")
	if _, err := Restore(bytes.NewReader(bad), fresh); err == nil {
		t.Fatal("Restore of a damaged archive into a new dir succeeded")
	}
	if _, err := os.Stat(fresh); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused restore left the dir it made: %v", err)
	}
}

func TestUnpackFindsWhatIsWrong(t *testing.T) {
	good := testArchive(t)
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	cases := map[string]struct {
		archive []byte
		want    string
	}{
		"a flipped byte":    {flipped, "use another backup"},
		"cut short":         {good[:len(good)-40], "damaged or cut short"},
		"a missing file":    {backuptest.Repack(t, good, func(name string, data []byte) ([]byte, bool) { return data, name != profileFile }), "lacks files its manifest lists (" + profileFile + ")"},
		"an added file":     {backuptest.Repack(t, good, backuptest.KeepAll, "profiles/shop/Default/extra"), `holds "profiles/shop/Default/extra", which its manifest does not list`},
		"a file twice":      {backuptest.Repack(t, good, backuptest.KeepAll, StoreName), `holds "waconsole.db", which its manifest does not list (twice`},
		"intact, repacked":  {backuptest.Repack(t, good, backuptest.KeepAll), ""},
		"no manifest first": {backuptest.Repack(t, good, func(name string, data []byte) ([]byte, bool) { return data, name != ManifestName }), "its first entry is \"waconsole.db\""},
		"an unknown format": {backuptest.Repack(t, good, func(name string, data []byte) ([]byte, bool) {
			if name == ManifestName {
				return bytes.Replace(data, []byte(`"format": 1`), []byte(`"format": 9`), 1), true
			}
			return data, true
		}), "archive format 9 is not known"},
		"a path out of its profile": {backuptest.Repack(t, good, func(name string, data []byte) ([]byte, bool) {
			if name == ManifestName {
				return bytes.Replace(data, []byte(profileFile), []byte("profiles/shop/../../../etc/passwd"), 1), true
			}
			return data, true
		}), "outside profiles/shop/"},
		"not an archive": {[]byte("hello"), "not a waconsole backup"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Unpack(bytes.NewReader(c.archive), t.TempDir(), false)
			if c.want == "" {
				if err != nil {
					t.Fatalf("Unpack of an intact archive: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Unpack = %v, want an error saying %q", err, c.want)
			}
		})
	}
}
