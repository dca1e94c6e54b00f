package session

import (
	"os"
	"path/filepath"
	"testing"
)

// A launcher script known to run a browser without exec is skipped for the
// browser it runs, given as --chrome or found on PATH; without that browser
// the script itself is used.
func TestFindChromeStartsTheBrowserBehindALauncher(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "chromium-headless-shell")
	bin := filepath.Join(dir, "lib", "chromium-headless-shell")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{script, bin} {
		if err := os.WriteFile(f, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	launchers[script] = bin
	defer delete(launchers, script)
	t.Setenv("PATH", dir)

	for _, arg := range []string{"", script} {
		if got, err := FindChrome(arg); err != nil || got != bin {
			t.Errorf("FindChrome(%q) = %q, %v; want %q", arg, got, err, bin)
		}
	}
	if err := os.Remove(bin); err != nil {
		t.Fatal(err)
	}
	if got, err := FindChrome(""); err != nil || got != script {
		t.Errorf("without the browser, FindChrome = %q, %v; want the launcher %q", got, err, script)
	}
}
