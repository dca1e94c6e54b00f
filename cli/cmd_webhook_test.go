package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestWebhookCommandWithoutServer(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"webhook", "secret"}, &stdout, &stderr); code != 0 || !strings.HasPrefix(stdout.String(), "whsec_") {
		t.Errorf("webhook secret: exit %d, %q %q", code, stdout.String(), stderr.String())
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"webhook"}, "waconsole webhook add SESSION URL"},
		{[]string{"webhook", "list", "ops", "--data-dir", dir}, "no waconsole is running on data dir " + dir},
		{[]string{"webhook", "retry", "ops", "x", "--data-dir", dir}, `delivery "x" is not a delivery number`},
	} {
		stdout.Reset()
		stderr.Reset()
		if code := Main(c.args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", c.args, code, stderr.String(), c.want)
		}
	}
}
