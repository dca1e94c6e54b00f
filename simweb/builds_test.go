package simweb

import (
	"strings"
	"testing"
)

func TestLookupBuild(t *testing.T) {
	all := Builds()
	newest := all[len(all)-1]
	for _, name := range []string{"", CurrentBuild, newest.Name} {
		b, err := LookupBuild(name)
		if err != nil || b.Name != newest.Name {
			t.Errorf("LookupBuild(%q) = %q, %v; want %q", name, b.Name, err, newest.Name)
		}
	}
	for _, b := range all {
		if got, err := LookupBuild(b.Name); err != nil || got.Name != b.Name {
			t.Errorf("LookupBuild(%q) = %q, %v", b.Name, got.Name, err)
		}
		if b.Summary == "" || b.Version == "" {
			t.Errorf("build %q lacks a summary or a version", b.Name)
		}
	}
	_, err := LookupBuild("2019-01")
	if err == nil || !strings.Contains(err.Error(), "--list-builds") {
		t.Fatalf("unknown build: %v, want an error that points at --list-builds", err)
	}
	if _, err := New(Options{Build: "2019-01"}); err == nil {
		t.Fatal("New accepted an unknown build")
	}
}
