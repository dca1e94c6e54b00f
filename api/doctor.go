package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/waconsole/waconsole/session"
)

// DoctorInfo describes the data dir and the browser of the server.
type DoctorInfo struct {
	DataDir     string   `json:"dataDir"`
	Store       string   `json:"store"`     // the store file
	StoreSize   int64    `json:"storeSize"` // bytes
	SearchOrder []string `json:"searchOrder"`
	Browser     string   `json:"browser"` // the executable found on PATH (or given with --chrome)
	Binary      string   `json:"binary"`  // the real binary behind a launcher script
	Version     string   `json:"version,omitempty"`
	Go          string   `json:"go"`
	OS          string   `json:"os"`
}

// BrowserCheck is what doctor found for one session's browser.
type BrowserCheck struct {
	Session       string   `json:"session,omitempty"` // absent: no session exists, waconsole's own settings were checked
	Flags         []string `json:"flags"`             // the command line after the executable
	Proxy         string   `json:"proxy,omitempty"`   // the password shown as ***
	UserAgent     string   `json:"userAgent"`         // the one in effect
	Profile       string   `json:"profile,omitempty"`
	ProfileExists bool     `json:"profileExists"`
	ProfileSize   int64    `json:"profileSize"` // bytes
	OK            bool     `json:"ok"`
	Took          Duration `json:"took"`            // to start, open about:blank and close
	Error         string   `json:"error,omitempty"` // what happened and what to do
}

// DoctorLine is one line of the doctor stream (newline-delimited JSON).
type DoctorLine struct {
	Info  *DoctorInfo   `json:"info,omitempty"`  // the first line
	Check *BrowserCheck `json:"check,omitempty"` // a line per session as its check completes
	Done  bool          `json:"done,omitempty"`  // the last line
	OK    bool          `json:"ok,omitempty"`    // on the last line: every check passed
}

// FromDoctorInfo converts the doctor's info to the wire; the CLI uses it
// too when no server runs.
func FromDoctorInfo(i session.DoctorInfo) DoctorInfo {
	return DoctorInfo{DataDir: i.DataDir, Store: i.Store, StoreSize: i.StoreSize, SearchOrder: convert(i.SearchOrder, same),
		Browser: i.Browser, Binary: i.Binary, Version: i.Version, Go: i.Go, OS: i.OS}
}

// FromBrowserCheck converts a check to the wire, as FromDoctorInfo; the
// proxy is masked again, whatever the check holds.
func FromBrowserCheck(c session.BrowserCheck) BrowserCheck {
	return BrowserCheck{Session: c.Session, Flags: convert(c.Flags, same), Proxy: session.MaskProxy(c.Proxy), UserAgent: c.UserAgent,
		Profile: c.Profile, ProfileExists: c.ProfileExists, ProfileSize: c.ProfileSize, OK: c.OK, Took: Duration(c.Took), Error: c.Error}
}

func same[T any](v T) T { return v }

// doctor streams the doctor's info, then each session's browser check as
// it completes, then whether all passed.
func (s *server) doctor(w http.ResponseWriter, r *http.Request) {
	info, checks, err := s.b.Doctor(r.Context(), r.URL.Query().Get("session"))
	if err != nil {
		fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	flusher, _ := w.(http.Flusher)
	send := func(l DoctorLine) {
		_ = enc.Encode(l)
		if flusher != nil {
			flusher.Flush()
		}
	}
	wi := FromDoctorInfo(info)
	send(DoctorLine{Info: &wi})
	ok := true
	for c := range checks {
		wc := FromBrowserCheck(c)
		ok = ok && c.OK
		send(DoctorLine{Check: &wc})
	}
	if r.Context().Err() == nil {
		send(DoctorLine{Done: true, OK: ok})
	}
}

// Doctor runs the server's doctor on every session (or id alone), calling
// fn for every line of its stream until the last.
func (c *Client) Doctor(ctx context.Context, id string, fn func(DoctorLine) error) error {
	path := "/v1/doctor"
	if id != "" {
		path += "?session=" + url.QueryEscape(id)
	}
	resp, err := c.request(ctx, "GET", path, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return readLines(ctx, resp.Body, "the doctor stream", fn, func(l DoctorLine) bool { return l.Done })
}
