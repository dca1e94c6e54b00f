package webhook

import (
	"net/http"
	"testing"
	"time"
)

func TestPermanent(t *testing.T) {
	for status, want := range map[int]bool{400: true, 401: true, 404: true, 410: true, 408: false, 429: false, 500: false, 503: false, 302: false} {
		if permanent(status) != want {
			t.Errorf("permanent(%d) = %v, want %v", status, !want, want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC)
	resp := func(status int, v string) *http.Response {
		r := &http.Response{StatusCode: status, Header: http.Header{}}
		if v != "" {
			r.Header.Set("Retry-After", v)
		}
		return r
	}
	for _, tc := range []struct {
		r    *http.Response
		want time.Duration
	}{
		{resp(429, "120"), 2 * time.Minute},
		{resp(503, now.Add(90*time.Second).Format(http.TimeFormat)), 90 * time.Second},
		{resp(503, "999999999"), 24 * time.Hour},
		{resp(500, "120"), 0},
		{resp(429, "soon"), 0},
		{resp(429, ""), 0},
	} {
		if got := retryAfter(tc.r, now); got != tc.want {
			t.Errorf("%d Retry-After %q: %s, want %s", tc.r.StatusCode, tc.r.Header.Get("Retry-After"), got, tc.want)
		}
	}
}

func TestJitterStaysWithinATenth(t *testing.T) {
	for range 100 {
		if got := jitter(time.Minute); got < time.Minute || got > time.Minute+6*time.Second {
			t.Fatalf("jitter(1m) = %s", got)
		}
	}
	if jitter(0) != 0 {
		t.Error("an immediate attempt got a delay")
	}
}
