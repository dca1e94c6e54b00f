package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/backup"
	"github.com/waconsole/waconsole/store"
)

// The store is unpacked beside the archive, not in the temporary dir (often
// a small tmpfs), and nothing of it is left there afterwards.
func TestVerifyUnpacksBesideTheArchive(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "waconsole.db"), store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	stage, err := backup.NewStage(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer stage.Remove()
	m := backup.Manifest{Version: "test", Created: time.Now().UTC(), DataDir: "/var/lib/waconsole", WAURL: "https://web.whatsapp.com/"}
	if m.Store, _, err = stage.AddStore(db); err != nil {
		t.Fatal(err)
	}
	var archive bytes.Buffer
	if _, err := backup.Write(&archive, m, stage); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "waconsole.tar.gz")
	if err := os.WriteFile(path, archive.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	// A temporary dir that cannot be used: only beside the archive works.
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))

	var stdout, stderr bytes.Buffer
	if code := Main([]string{"backup", "--verify", path}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "every checksum matches") {
		t.Fatalf("backup --verify: exit %d, %s %s", code, stdout.String(), stderr.String())
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "waconsole.tar.gz" {
		t.Errorf("beside the archive after the check: %v, want the archive alone", entries)
	}
}
