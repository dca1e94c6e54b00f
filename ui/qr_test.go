package ui

import (
	"github.com/waconsole/waconsole/internal/qrscan"

	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestRenderQRRoundTrip(t *testing.T) {
	payload := qrPayload(1)
	if len(payload) != 219 {
		t.Fatalf("payload has %d characters, want a realistic 219", len(payload))
	}
	block, w, h := RenderQR(payload)
	lines := strings.Split(block, "\n")
	if len(lines) != h {
		t.Fatalf("RenderQR says %d rows, drew %d", h, len(lines))
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("row %d is %d cells wide, RenderQR says %d", i, got, w)
		}
		// Explicit colours on every row: light foreground on black, so the
		// terminal theme never inverts the code.
		if !strings.Contains(l, "38;2;245;245;245") || !strings.Contains(l, "48;2;0;0;0") {
			t.Fatalf("row %d lacks the explicit QR colours: %q", i, l)
		}
	}
	if sw, sh := QRSize(payload); sw != w || sh != h {
		t.Fatalf("QRSize = %d×%d, RenderQR drew %d×%d", sw, sh, w, h)
	}
	got, err := qrscan.FromScreen(block)
	if err != nil {
		t.Fatal(err)
	}
	if got != payload {
		t.Fatalf("decoded %q, want %q", got, payload)
	}
}

func TestQRFits(t *testing.T) {
	p := qrPayload(1)
	w, h := QRSize(p)
	if w != 57 || h != 29 {
		t.Fatalf("a 219-character payload draws %d×%d, want 57×29 (version 9, quiet zone 2)", w, h)
	}
	for _, c := range []struct {
		w, h int
		fits bool
	}{{57, 29, true}, {200, 60, true}, {56, 29, false}, {57, 28, false}} {
		if got := QRFits(p, c.w, c.h); got != c.fits {
			t.Errorf("QRFits(%d, %d) = %v", c.w, c.h, got)
		}
	}
}

func TestPairingScreenQRDecodes(t *testing.T) {
	f := newFake(fixedNow)
	fixture(f)
	m, _ := newTestModel(t, f, 120, 40, Options{})
	m.table.selected = "bravo"
	press(t, m, "enter")
	got, err := qrscan.FromScreen(m.View().Content)
	if err != nil {
		t.Fatal(err)
	}
	if got != qrPayload(1) {
		t.Fatalf("the pairing screen's QR decodes to %q", got)
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
