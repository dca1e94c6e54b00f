package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupAndRestoreRefuseBadArguments(t *testing.T) {
	dir := t.TempDir()
	notArchive := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notArchive, []byte("not an archive"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args  []string
		errTo string
	}{
		{[]string{"restore", "--data-dir", dir}, "usage: waconsole restore FILE --data-dir DIR"},
		{[]string{"backup", "--verify"}, "usage: waconsole backup FILE, or waconsole backup --verify FILE"},
		{[]string{"backup", "--verify", notArchive}, "archive " + notArchive + ": not a waconsole backup"},
		{[]string{"restore", notArchive, "--data-dir", filepath.Join(dir, "new")}, "not a waconsole backup"},
	} {
		var stdout, stderr bytes.Buffer
		if code := Main(c.args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), c.errTo) {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 saying %q", c.args, code, stderr.String(), c.errTo)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "new")); !os.IsNotExist(err) {
		t.Errorf("a refused restore left its data dir behind: %v", err)
	}
}
