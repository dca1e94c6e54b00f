package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSSHFlagsRefuseWhatCannotWork(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "authorized_keys")
	for _, cmd := range [][]string{{"serve"}, {}} { // serve and the console
		for flags, want := range map[string]string{
			"--ssh-listen :2222":                              "--ssh-listen needs --ssh-authorized-keys FILE",
			"--ssh-authorized-keys " + keys:                   "--ssh-authorized-keys needs --ssh-listen ADDR",
			"--ssh-listen 2222 --ssh-authorized-keys " + keys: `--ssh-listen "2222" is not a host:port address; give one such as 127.0.0.1:2222`,
		} {
			var stdout, stderr bytes.Buffer
			args := append(append(cmd, strings.Fields(flags)...), "--data-dir", t.TempDir())
			if code := Main(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), want) {
				t.Errorf("%q: exit %d, %s", args, code, stderr.String())
			}
		}
	}
}

func TestServeRefusesABrokenAuthorizedKeysFile(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "authorized_keys")
	if err := os.WriteFile(keys, []byte("# ops\nssh-ed25519 AAAA-cut-short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := Main([]string{"serve", "--ssh-listen", "127.0.0.1:0", "--ssh-authorized-keys", keys, "--data-dir", t.TempDir()}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "--ssh-authorized-keys "+keys+": line 2 is not a public key") {
		t.Fatalf("exit %d, %s", code, stderr.String())
	}
}
