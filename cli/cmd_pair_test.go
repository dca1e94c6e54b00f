package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/internal/qrscan"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/termtext"
)

func TestPairPrintsTheQRInTheStyleAskedFor(t *testing.T) {
	payload := "2@" + strings.Repeat("AbCd", 54) + ",1"
	// Off a terminal there is no size to go by: auto draws half blocks.
	for _, c := range []struct {
		style   termtext.QRStyle
		sextant bool
	}{{termtext.QRAuto, false}, {termtext.QRHalf, false}, {termtext.QRSextant, true}} {
		var out bytes.Buffer
		p := &pairPrinter{w: &out, id: "ops", style: c.style}
		ev := api.PairingEvent{Snapshot: api.Session{ID: "ops", State: string(session.QR), Reason: "waiting for the QR code to be scanned",
			QR: api.QR{Payload: payload, Index: 1, Total: 6, Expires: time.Now().Add(time.Minute)}}}
		if err := p.show(ev); err != nil {
			t.Fatal(err)
		}
		got, err := qrscan.FromScreen(out.String())
		if err != nil || got != payload {
			t.Fatalf("%s: the printed QR decodes to %q, %v:\n%s", c.style, got, err, out.String())
		}
		if strings.Contains(out.String(), termtext.SextantNote) != c.sextant || !strings.Contains(out.String(), "Scan with WhatsApp") {
			t.Fatalf("%s: sextant note expected %v:\n%s", c.style, c.sextant, out.String())
		}
	}
}
