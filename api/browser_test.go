package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/session/sessiontest"
)

// Browser settings go in with a session or a PATCH; every answer shows the
// proxy with its password masked, and a refused value changes nothing.
func TestBrowserSettingsRoutes(t *testing.T) {
	f := newFake()
	var s Session
	ok(t, serve(t, f, "POST", "/v1/sessions", `{"id":"shop","browser":{"proxy":"http://ops:s3cret@10.0.0.1:3128","flags":["--lang=de"]}}`), http.StatusCreated, &s)
	if s.Browser.Proxy != "http://ops:***@10.0.0.1:3128" || s.Browser.UserAgent != "" || strings.Join(s.Browser.Flags, " ") != "--lang=de" {
		t.Fatalf("added with browser %+v", s.Browser)
	}
	s = Session{}
	ok(t, serve(t, f, "PATCH", "/v1/sessions/shop", `{"browser":{"userAgent":"UA/1"}}`), http.StatusOK, &s)
	if s.Browser.Proxy != "http://ops:***@10.0.0.1:3128" || s.Browser.UserAgent != "UA/1" || len(s.Browser.Flags) != 1 {
		t.Fatalf("a PATCH of the user agent left browser %+v", s.Browser)
	}
	for body, word := range map[string]string{
		`{"browser":{"proxy":"gopher://ops:s3cret@10.0.0.1:70"}}`: "not supported",
		`{"browser":{"flags":["--remote-debugging-port=9222"]}}`:  "debugging pipe",
		`{"browser":{"flags":["lang=de"]}}`:                       "must start with --",
		`{"browser":{"userAgent":"UA\r\nX-Evil: 1"}}`:             "printable ASCII",
	} {
		rec := serve(t, f, "PATCH", "/v1/sessions/shop", body)
		wantError(t, rec, http.StatusUnprocessableEntity, CodeInvalid, word)
		if strings.Contains(rec.Body.String(), "s3cret") {
			t.Errorf("the error to %s shows the password: %s", body, rec.Body)
		}
	}
	s = Session{} // a fresh value: decoding leaves the fields the answer omits as they were
	ok(t, serve(t, f, "PATCH", "/v1/sessions/shop", `{"browser":{"proxy":"","userAgent":"","flags":[]}}`), http.StatusOK, &s)
	if s.Browser.Proxy != "" || s.Browser.UserAgent != "" || s.Browser.Flags == nil || len(s.Browser.Flags) != 0 {
		t.Fatalf("cleared browser %+v, want nothing set and flags []", s.Browser)
	}
	for _, path := range []string{"/v1/sessions", "/v1/sessions/shop", "/v1/sessions/shop/events"} {
		if body := serve(t, f, "GET", path, "").Body.String(); strings.Contains(body, "s3cret") {
			t.Errorf("GET %s shows the password: %s", path, body)
		}
	}
}

// The doctor stream: the info first, a check per session with the proxy
// masked, then done with ok; through the client as the CLI reads it.
func TestDoctorStream(t *testing.T) {
	f := newFake("alpha")
	if _, err := f.Add(session.AddRequest{ID: "shop", Browser: session.BrowserSettings{Proxy: "http://ops:s3cret@10.0.0.1:3128"}}); err != nil {
		t.Fatal(err)
	}
	c, _ := startServer(t, Handler(f, testInfo))
	var lines []DoctorLine
	err := c.Doctor(context.Background(), "", func(l DoctorLine) error { lines = append(lines, l); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 4 || lines[0].Info == nil || lines[1].Check == nil || lines[2].Check == nil || !lines[3].Done || !lines[3].OK {
		t.Fatalf("lines %+v, want info, two checks, done ok", lines)
	}
	if lines[0].Info.Binary == "" || lines[1].Check.Session != "alpha" || lines[2].Check.Session != "shop" ||
		lines[2].Check.Proxy != "http://ops:***@10.0.0.1:3128" || lines[2].Check.Took != Duration(sessiontest.DoctorTook) {
		t.Errorf("info %+v, checks %+v %+v", lines[0].Info, lines[1].Check, lines[2].Check)
	}
	lines = nil
	if err := c.Doctor(context.Background(), "shop", func(l DoctorLine) error { lines = append(lines, l); return nil }); err != nil || len(lines) != 3 {
		t.Fatalf("doctor of shop alone: %d lines, %v", len(lines), err)
	}
	rec := serve(t, f, "GET", "/v1/doctor", "")
	if ct := rec.Header().Get("Content-Type"); ct != "application/x-ndjson" || strings.Contains(rec.Body.String(), "s3cret") {
		t.Errorf("Content-Type %q; body %s", ct, rec.Body)
	}
	wantError(t, serve(t, f, "GET", "/v1/doctor?session=nope", ""), http.StatusNotFound, CodeUnknownSession, "nope")
}
