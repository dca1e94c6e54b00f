package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/waconsole/waconsole/simweb"
)

func TestSimListBuilds(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run([]string{"sim", "--list-builds"}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	all := simweb.Builds()
	if len(lines) != len(all) {
		t.Fatalf("--list-builds printed %d lines for %d builds:\n%s", len(lines), len(all), out.String())
	}
	for i, b := range all {
		if !strings.HasPrefix(lines[i], b.Name) || !strings.Contains(lines[i], b.Summary) {
			t.Errorf("line %d = %q, want build %s and its summary", i, lines[i], b.Name)
		}
	}
	if !strings.Contains(lines[len(lines)-1], "("+simweb.CurrentBuild+")") {
		t.Errorf("the newest build is not marked current: %q", lines[len(lines)-1])
	}
}

func TestSimRefusesAnUnknownBuild(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run([]string{"sim", "--build", "1999-01", "--listen", "127.0.0.1:0"}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "--list-builds") {
		t.Fatalf("err = %v, want one that points at --list-builds", err)
	}
}
