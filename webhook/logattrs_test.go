package webhook

import (
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/waconsole/waconsole/store"
)

func TestTraceOfAnEventBody(t *testing.T) {
	for body, want := range map[string]string{
		`{"type":"message.received","data":{"msgId":"3A01","trace":"3A01"}}`: "3A01",
		`{"type":"session.state","data":{"from":"READY"}}`:                   "",
		`not json`: "",
	} {
		if got := traceOf([]byte(body)); got != want {
			t.Errorf("traceOf(%s) = %q; want %q", body, got, want)
		}
	}
}

func TestErrTypeOfAnAttempt(t *testing.T) {
	refused := &url.Error{Op: "Post", URL: "http://127.0.0.1:1/wa", Err: errors.New("connection refused")}
	for _, c := range []struct {
		status int
		err    error
		want   string
	}{
		{503, errors.New("the endpoint answered 503"), "http_5xx"},
		{404, errors.New("the endpoint answered 404"), "http_4xx"},
		{302, errors.New("the endpoint answered 302"), "http_3xx"},
		{0, noAnswer(15 * time.Second), "timeout"},
		{0, fmt.Errorf("endpoint removed: %w", store.ErrNotFound), "endpoint_removed"},
		{0, refused, "network"},
		{0, errors.New("signing: bad key"), "delivery_error"},
	} {
		if got := errType(c.status, c.err); got != c.want {
			t.Errorf("errType(%d, %v) = %q; want %q", c.status, c.err, got, c.want)
		}
	}
	if noAnswer(15*time.Second).Error() != "no answer within 15s" {
		t.Errorf("the timeout says %q", noAnswer(15*time.Second))
	}
}
