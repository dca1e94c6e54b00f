package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMaskTextHidesNumbersAndChatIDs(t *testing.T) {
	for in, want := range map[string]string{
		"chat 15550123456@c.us":                         "chat 155…56@c.us",
		"lid 12345@lid and 99@lid":                      "lid 1…5@lid and …@lid",
		"group 120363041234567890@g.us":                 "group 120…90@g.us",
		"key false_4915112345678@c.us_3EB0A1":           "key false_491…78@c.us_3EB0A1",
		"+4915112345678 wrote":                          "+491…78 wrote",
		"message 3EB0A1234567890BCDEF12 stays":          "message 3EB0A1234567890BCDEF12 stays",
		"job 42 of 7 at 2026-11-30":                     "job 42 of 7 at 2026-11-30",
		"proxy http://ann:hunter2@10.0.0.1:3128 said":   "proxy http://…@10.0.0.1:3128 said",
		"secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw": "secret whsec_…",
	} {
		if got := maskText(in); got != want {
			t.Errorf("maskText(%q) = %q; want %q", in, got, want)
		}
	}
}

// logLines decodes what a JSON logger wrote, one object a line.
func logLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON line: %q: %v", l, err)
		}
		lines = append(lines, m)
	}
	return lines
}

func TestMaskHandlerMasksAttributesAndDropsSecrets(t *testing.T) {
	var buf bytes.Buffer
	log := newLogger(&buf, logJSON, slog.LevelDebug).With("chat", "15550123456@c.us", "token", "tok-1")
	log.Info("sent to 15550123456",
		"err", errors.New("no chat 15559990000@c.us"),
		"body", "hello there", "text", "t", "secret", "s", "Key", "k", "password", "p", "qr", "2@abc", "code", "ABCD-1234",
		"peer", slog.GroupValue(slog.String("lid", "54321@lid"), slog.String("token", "tok-2")),
		"job", 7, "trace", "3EB0A1234567890BCDEF12", "next_in", 1500*time.Millisecond)
	log.Debug("debug lines pass at debug")

	lines := logLines(t, buf.String())
	if len(lines) != 2 {
		t.Fatalf("%d lines; want 2:\n%s", len(lines), buf.String())
	}
	m := lines[0]
	for key, want := range map[string]any{
		"msg": "sent to 155…56", "chat": "155…56@c.us", "err": "no chat 155…00@c.us", "job": 7.0, "trace": "3EB0A1234567890BCDEF12",
		"level": "INFO", "next_in": "1.5s",
	} {
		if m[key] != want {
			t.Errorf("%s = %v; want %v", key, m[key], want)
		}
	}
	if peer, _ := m["peer"].(map[string]any); peer["lid"] != "5…1@lid" || len(peer) != 1 {
		t.Errorf("group peer = %v; want only lid, masked", m["peer"])
	}
	for _, k := range []string{"body", "text", "secret", "Key", "password", "qr", "code", "token"} {
		if _, ok := m[k]; ok {
			t.Errorf("attribute %q was written", k)
		}
	}
	for _, leak := range []string{"15550123456", "15559990000", "54321", "hello", "tok-", "ABCD", "2@abc"} {
		if strings.Contains(buf.String(), leak) {
			t.Errorf("%q leaks into the log:\n%s", leak, buf.String())
		}
	}
	if ts, _ := m["time"].(string); !strings.HasSuffix(ts, "Z") {
		t.Errorf("time %q is not UTC", ts)
	}
}

func TestLoggerLevelAndTextFormat(t *testing.T) {
	var buf bytes.Buffer
	log := newLogger(&buf, logText, slog.LevelWarn)
	log.Info("not written")
	log.Warn("disconnected", "session", "shop", "chat", "15550123456@c.us")
	got := buf.String()
	if strings.Contains(got, "not written") || !strings.Contains(got, "level=WARN msg=disconnected session=shop chat=155…56@c.us") {
		t.Fatalf("text log at warn:\n%s", got)
	}
}

func TestLogFlags(t *testing.T) {
	for _, c := range []struct {
		format, level, def string
		wantFormat         string
		wantLevel          slog.Level
		err                string
	}{
		{"", "info", logJSON, logJSON, slog.LevelInfo, ""},
		{"", "info", logText, logText, slog.LevelInfo, ""},
		{"json", "debug", logText, logJSON, slog.LevelDebug, ""},
		{"text", "error", logJSON, logText, slog.LevelError, ""},
		{"text", "warn", logJSON, logText, slog.LevelWarn, ""},
		{"xml", "info", logJSON, "", 0, `--log-format "xml" is not known: use text or json`},
		{"json", "verbose", logJSON, "", 0, `--log-level "verbose" is not known: use debug, info, warn or error`},
	} {
		f := flags{logFormat: c.format, logLevel: c.level}
		format, level, err := f.logSettings(c.def)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%+v: err %v; want %q", c, err, c.err)
			}
			continue
		}
		if err != nil || format != c.wantFormat || level != c.wantLevel {
			t.Errorf("%+v: %q %v %v; want %q %v", c, format, level, err, c.wantFormat, c.wantLevel)
		}
	}
	// Bad values stop serve and the console before anything starts.
	dir := t.TempDir()
	for _, args := range [][]string{
		{"serve", "--log-format", "yaml", "--data-dir", dir},
		{"serve", "--log-level", "trace", "--data-dir", dir},
		{"--log-level", "loud", "--data-dir", dir},
	} {
		var stdout, stderr bytes.Buffer
		if code := Main(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "is not known: use") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr.String())
		}
	}
}

func TestLogFileRotatesAndKeepsThreeOldFiles(t *testing.T) {
	dir := t.TempDir()
	f, err := openLogFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if fi, err := os.Stat(logFilePath(dir)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("log file: %v, %v; want it there with mode 0600", fi, err)
	}
	f.MaxSize = 1 // MB: the production size, 10, takes longer to fill
	line := []byte(strings.Repeat("x", 1023) + "\n")
	for range 5 * 1024 {
		if _, err := f.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.Write([]byte("last\n")); err != nil {
		t.Fatal(err)
	}
	old := func() []string {
		m, _ := filepath.Glob(filepath.Join(dir, "waconsole-*.log"))
		return m
	}
	// Old files beyond the third are removed in the background.
	deadline := time.Now().Add(10 * time.Second)
	for len(old()) != logBackups {
		if time.Now().After(deadline) {
			t.Fatalf("old log files %v; want %d", old(), logBackups)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cur, err := os.ReadFile(logFilePath(dir))
	if err != nil || len(cur) > 1<<20 || !strings.HasSuffix(string(cur), "last\n") {
		t.Fatalf("current log file: %d bytes, %v; want at most 1 MiB ending with the last line", len(cur), err)
	}
}
