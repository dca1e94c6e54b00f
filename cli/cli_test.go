package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestMainExitCodesAndMessages(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args       []string
		code       int
		out, errTo string
	}{
		{[]string{"version"}, 0, "waconsole " + version, ""},
		{[]string{"frobnicate"}, 1, "", `unknown command "frobnicate"`},
		{[]string{"status", "--data-dir", dir}, 1, "", "no waconsole is running on data dir " + dir},
		{[]string{"pair", "--data-dir", dir}, 1, "", "usage: waconsole pair SESSION"},
		{[]string{"pair", "ops", "--qr-style", "quadrant", "--data-dir", dir}, 1, "", `--qr-style "quadrant" is not a QR style: use auto`},
		{[]string{"--qr-style", "tiny", "--data-dir", dir}, 1, "", `--qr-style "tiny" is not a QR style`},
	} {
		var stdout, stderr bytes.Buffer
		code := Main(c.args, &stdout, &stderr)
		if code != c.code || !strings.Contains(stdout.String(), c.out) || !strings.Contains(stderr.String(), c.errTo) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d with %q / %q", c.args, code, stdout.String(), stderr.String(), c.code, c.out, c.errTo)
		}
	}
}

func TestMaskNumbers(t *testing.T) {
	got := maskNumbers("paired with 4915112345678, job 42")
	if got != "paired with 491…78, job 42" {
		t.Fatalf("maskNumbers = %q", got)
	}
}

func TestParseInterleaved(t *testing.T) {
	fs := newFlagSet("pair", "")
	var f flags
	f.client(fs)
	pos, err := parseInterleaved(fs, []string{"demo", "--data-dir", "/d", "extra"})
	if err != nil || len(pos) != 2 || pos[0] != "demo" || pos[1] != "extra" || f.dataDir != "/d" {
		t.Fatalf("positional %v, data dir %q, err %v", pos, f.dataDir, err)
	}
}
