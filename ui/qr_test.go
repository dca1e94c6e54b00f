package ui

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/waconsole/waconsole/internal/qrscan"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/termtext"
)

func TestPairingScreenQRDecodes(t *testing.T) {
	// Half blocks where they fit, sextants where not (80×24, with the note
	// on what they need), and either when asked for: every drawing decodes
	// from the screen to the exact payload.
	for _, c := range []struct {
		w, h      int
		style     termtext.QRStyle
		want      termtext.QRStyle
		sextantOK bool
		linkKey   string // how the screen offers the link code
	}{
		{120, 40, "", termtext.QRHalf, false, "Press l to pair with a link code"},
		{80, 24, "", termtext.QRSextant, true, "Press l to pair with a link code"},
		{80, 24, termtext.QRSextant, termtext.QRSextant, true, "Press l to pair with a link code"},
		{120, 40, termtext.QRSextant, termtext.QRSextant, true, "Press l to pair with a link code"},
		{40, 24, "", termtext.QRSextant, true, "l link code · expires"},            // alone on the screen
		{64, 31, termtext.QRHalf, termtext.QRHalf, false, "l link code · expires"}, // alone on the screen
	} {
		t.Run(fmt.Sprintf("%dx%d-%s", c.w, c.h, c.style), func(t *testing.T) {
			f := newFake(fixedNow)
			fixture(f)
			m, _ := newTestModel(t, f, c.w, c.h, Options{QRStyle: c.style})
			m.table.selected = "bravo"
			press(t, m, "enter")
			screen := m.View().Content
			got, err := qrscan.FromScreen(screen)
			if err != nil || got != qrPayload(1) {
				t.Fatalf("the pairing screen's QR decodes to %q, %v:\n%s", got, err, ansi.Strip(screen))
			}
			if p := paneOf[*pairingView](t, m); p.qr.Style != c.want {
				t.Fatalf("drew %s, want %s", p.qr.Style, c.want)
			}
			plain := strings.Join(strings.Fields(ansi.Strip(screen)), " ")
			if hasNote := strings.Contains(plain, "Sextant characters:"); hasNote != c.sextantOK {
				t.Fatalf("sextant note shown: %v, want %v:\n%s", hasNote, c.sextantOK, ansi.Strip(screen))
			}
			if !strings.Contains(plain, c.linkKey) {
				t.Fatalf("the link code is not offered:\n%s", ansi.Strip(screen))
			}
		})
	}
}

func TestPairingScreenSaysWhenAPayloadCannotBeDrawn(t *testing.T) {
	f := newFake(fixedNow)
	f.put(session.Snapshot{ID: "huge", State: session.QR, Reason: "waiting for the QR code to be scanned",
		QR: session.QRInfo{Payload: strings.Repeat("x", 4000), Index: 1, Total: 6, Expires: t0.Add(time.Minute)}})
	m, _ := newTestModel(t, f, 120, 40, Options{Pairing: "huge"})
	requireContains(t, strings.Join(strings.Fields(screen(m)), " "),
		"the QR payload (4000 bytes) cannot be drawn", "Press l to pair with a link code instead")
}

func TestGoldenPairingQRDecodes(t *testing.T) {
	// What the 80×24 golden shows is a code a phone can scan.
	golden, err := os.ReadFile("testdata/TestGoldenPairingQR/80x24.golden")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := qrscan.FromScreen(string(golden)); err != nil || got != qrPayload(1) {
		t.Fatalf("the 80x24 golden's QR decodes to %q, %v", got, err)
	}
}

func TestBigCodeCoversTheCodeAlphabet(t *testing.T) {
	for _, r := range "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-" {
		if _, ok := bigText(string(r)); !ok {
			t.Fatalf("no glyph for %q", r)
		}
	}
	big, ok := bigText("abcd-1234")
	if !ok || strings.Count(big, "\n") != 4 {
		t.Fatalf("bigText drew %d rows (ok=%v)", strings.Count(big, "\n")+1, ok)
	}
	if _, ok := bigText("AB?D"); ok {
		t.Fatal("bigText accepted a character it has no glyph for")
	}
}
