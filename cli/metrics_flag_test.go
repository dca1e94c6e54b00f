package cli

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMetricsListenRefusesABadAddress(t *testing.T) {
	for _, cmd := range [][]string{{"serve"}, {}} { // serve and the console
		for _, addr := range []string{"9464", "localhost:http-alt", "127.0.0.1:99999"} {
			var stdout, stderr bytes.Buffer
			args := append(cmd, "--metrics-listen", addr, "--data-dir", t.TempDir())
			if code := Main(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "is not a host:port address; give one such as 127.0.0.1:9464") {
				t.Errorf("%q: exit %d, %s", args, code, stderr.String())
			}
		}
	}
}

func TestMetricsListenOnABusyPortChangesNothing(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := Main([]string{"serve", "--metrics-listen", busy.Addr().String(), "--data-dir", dir}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "--metrics-listen "+busy.Addr().String()+": ") || !strings.Contains(stderr.String(), "pick a free address") {
		t.Fatalf("busy port: exit %d, %s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "waconsole.db")); !os.IsNotExist(err) {
		t.Fatalf("the store was created although serve refused to start: %v", err)
	}
}
