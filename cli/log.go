package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
)

// longNumber finds phone numbers, and the digits of chat ids however short
// (12345@lid), in log text.
var longNumber = regexp.MustCompile(`\d+@(?:c\.us|g\.us|lid|s\.whatsapp\.net)|\d{7,}`)

// urlUser and webhookSecret find credentials that an error may quote.
var (
	urlUser       = regexp.MustCompile(`(\w+://)[^/@\s"]+@`)
	webhookSecret = regexp.MustCompile(`whsec_[A-Za-z0-9+/=]+`)
)

// maskNumbers hides all but the first three and last two digits of any
// phone-length number, and most digits of a chat id: logs must not carry
// numbers. A digit run inside a word (a hex message id) is left whole, so
// ids stay searchable.
func maskNumbers(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range longNumber.FindAllStringIndex(s, -1) {
		start, end := m[0], m[1]
		digits, domain, isID := strings.Cut(s[start:end], "@")
		if !isID && (start > 0 && isLetter(s[start-1]) || end < len(s) && isLetter(s[end])) {
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString(maskDigits(digits))
		if isID {
			b.WriteString("@" + domain)
		}
		last = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// maskDigits keeps 3+2 digits of a long number, 1+1 of a short one.
func maskDigits(d string) string {
	switch {
	case len(d) >= 7:
		return d[:3] + "…" + d[len(d)-2:]
	case len(d) >= 3:
		return d[:1] + "…" + d[len(d)-1:]
	}
	return "…"
}

// maskText is everything a log line's text goes through.
func maskText(s string) string {
	s = urlUser.ReplaceAllString(s, "$1…@")
	s = webhookSecret.ReplaceAllString(s, "whsec_…")
	return maskNumbers(s)
}

// secretAttrs are attributes never written, whoever logs them.
var secretAttrs = map[string]bool{"body": true, "text": true, "secret": true, "key": true, "token": true, "password": true, "qr": true, "code": true}

// maskHandler is the one place logs are masked: every message and string
// attribute (errors included, as text) has its numbers masked, and the
// secret attributes are dropped.
type maskHandler struct{ next slog.Handler }

func (h maskHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h maskHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, maskText(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		if a, ok := maskAttr(a); ok {
			out.AddAttrs(a)
		}
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h maskHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	var kept []slog.Attr
	for _, a := range attrs {
		if a, ok := maskAttr(a); ok {
			kept = append(kept, a)
		}
	}
	return maskHandler{h.next.WithAttrs(kept)}
}

func (h maskHandler) WithGroup(name string) slog.Handler { return maskHandler{h.next.WithGroup(name)} }

// maskAttr masks one attribute; false drops it.
func maskAttr(a slog.Attr) (slog.Attr, bool) {
	if secretAttrs[strings.ToLower(a.Key)] {
		return a, false
	}
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, maskText(v.String())), true
	case slog.KindGroup:
		var kept []any
		for _, g := range v.Group() {
			if g, ok := maskAttr(g); ok {
				kept = append(kept, g)
			}
		}
		return slog.Group(a.Key, kept...), true
	case slog.KindAny:
		// Errors, Stringers and anything else are written as masked text:
		// a value's fields are never trusted to be free of numbers.
		return slog.String(a.Key, maskText(fmt.Sprint(v.Any()))), true
	}
	return slog.Attr{Key: a.Key, Value: v}, true
}

// Log formats and levels, as --log-format and --log-level take them.
const (
	logText = "text"
	logJSON = "json"
)

var logLevels = map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}

// newLogger writes masked logs to w in format at level and above, times in
// UTC and durations as text (1.5s), the same in both formats.
func newLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		switch {
		case a.Key == slog.TimeKey && len(groups) == 0:
			a.Value = slog.TimeValue(a.Value.Time().UTC())
		case a.Value.Kind() == slog.KindDuration:
			a.Value = slog.StringValue(a.Value.Duration().String())
		}
		return a
	}}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if format == logJSON {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(maskHandler{h})
}

// printf adapts a logger to code that logs formatted lines (the stand-in).
func printf(l *slog.Logger) func(string, ...any) {
	return func(format string, args ...any) { l.Info(fmt.Sprintf(format, args...)) }
}
