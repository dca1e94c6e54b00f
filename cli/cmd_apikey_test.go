package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// Without a server nor a store, list and revoke create nothing; create
// makes the store, so keys exist before the first start.
func TestAPIKeyCommandWithoutServer(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args      []string
		code      int
		out, errs string
	}{
		{[]string{"apikey", "list"}, 0, "", ""},
		{[]string{"apikey", "list", "--json"}, 0, `{"keys":[]}`, ""},
		{[]string{"apikey", "revoke", "old", "--yes"}, 1, "", `no API key named "old": data dir ` + dir + " has no store yet"},
		{[]string{"apikey", "create", "w"}, 1, "", "role \"\" is not known: use read, operate or admin"},
		{[]string{"apikey"}, 1, "", "waconsole apikey create NAME --role"},
	} {
		var stdout, stderr bytes.Buffer
		code := Main(append(c.args, "--data-dir", dir), &stdout, &stderr)
		if code != c.code || strings.TrimSpace(stdout.String()) != c.out || !strings.Contains(stderr.String(), c.errs) {
			t.Errorf("%v: exit %d, %q %q; want %d, %q, %q", c.args, code, stdout.String(), stderr.String(), c.code, c.out, c.errs)
		}
		if _, err := os.Stat(storePath(dir)); !os.IsNotExist(err) {
			t.Fatalf("%v created the store", c.args)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"apikey", "create", "w", "--role", "read", "--json", "--data-dir", dir}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), `"key":"wac_`) {
		t.Fatalf("create: exit %d, %q %q", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	if code := Main([]string{"apikey", "revoke", "w", "--yes", "--data-dir", dir}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "API key w revoked") {
		t.Fatalf("revoke: exit %d, %q %q", code, stdout.String(), stderr.String())
	}
}
