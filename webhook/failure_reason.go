package webhook

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/waconsole/waconsole/store"
)

// failureReason says, for the session's event log, what became of d after
// a failed attempt: the endpoint by name, what went wrong, the attempt and
// what comes next. Never the URL, the secret or the body.
func failureReason(d store.Delivery, attempts, status int, err error, wait time.Duration) string {
	head := fmt.Sprintf("%s: %s on attempt %d of %d", d.Endpoint, failureText(status, err), d.Attempts, attempts)
	if status == 0 && !errors.As(err, new(*url.Error)) && !errors.As(err, new(noAnswer)) {
		// Ours, before any request: the secret's source or the signing.
		head = fmt.Sprintf("%s: attempt %d of %d not sent: %v", d.Endpoint, d.Attempts, attempts, err)
	}
	switch {
	case d.State != store.DeliveryDead:
		return fmt.Sprintf("%s, next in %s", head, roundWait(wait))
	case permanent(status):
		return fmt.Sprintf("%s, dead (a 4xx is not retried); fix the receiver, then: waconsole webhook retry %s %d", head, d.Session, d.Seq)
	}
	return fmt.Sprintf("%s, dead; once the receiver is back: waconsole webhook retry %s %d", head, d.Session, d.Seq)
}

// failureText names what went wrong in a request without the error's own
// text, which quotes the URL.
func failureText(status int, err error) string {
	var timeout noAnswer
	var dns *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var record tls.RecordHeaderError
	switch {
	case status > 0:
		return fmt.Sprintf("HTTP %d", status)
	case errors.As(err, &timeout):
		return err.Error()
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(err, &dns):
		return "host not found"
	case errors.As(err, &unknownCA), errors.As(err, &hostname), errors.As(err, &invalid), errors.As(err, &record):
		return "TLS handshake failed"
	}
	return "network error"
}

// logError is what the log says of a failed attempt: a request's own error
// quotes the URL, whose path or query may hold a token, so it is named by its
// kind; the others (an answer's status and body, the secret's source) carry
// no URL.
func logError(status int, err error) string {
	if errors.As(err, new(*url.Error)) {
		return failureText(status, err)
	}
	return err.Error()
}

// withoutURL is err's text without the URL a request's error quotes, for
// the delivery's record: what failed stays, a token in the URL does not.
func withoutURL(err error) string {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err.Error()
	}
	return strings.Replace(err.Error(), fmt.Sprintf(" %q", ue.URL), "", 1)
}

// roundWait shows a wait to the second, or to the millisecond when shorter.
func roundWait(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}
