package termtext

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/waconsole/waconsole/internal/qrscan"
)

// payload is a QR payload of the real shape: a 2@ ref, three Base64 keys,
// the platform; 219 characters.
const payload = "2@gsHygVQmYLEzXg6lNYOyWz4GSneumiRXddwkv2T9ijO9uJf4aLPMf5Dy19bCk/FQJmd78WLex3vRB/7q," +
	"uo13kycyZ/e8w2M3axID/gr+hzN2RO3PrABzkHxlb7U=,NZaCGKSQvsi/UCCGiiuRvJ24EWETDR1CB6kAChDu6/s=," +
	"yySRFuyAbNeO/h7oKzcmJrdTABlCqu8L/UxNWZVaMNI=,1"

func TestRenderQRRoundTrip(t *testing.T) {
	if len(payload) != 219 {
		t.Fatalf("payload has %d characters, want a realistic 219", len(payload))
	}
	// Version 9 (53 modules) with a quiet zone of 2: 57 modules a side.
	for _, c := range []struct {
		style QRStyle
		w, h  int
	}{{QRHalf, 57, 29}, {QRSextant, 29, 19}} {
		t.Run(string(c.style), func(t *testing.T) {
			q, err := RenderQR(payload, c.style)
			if err != nil {
				t.Fatal(err)
			}
			if q.Style != c.style || q.Width != c.w || q.Height != c.h {
				t.Fatalf("drew %s %d×%d, want %s %d×%d", q.Style, q.Width, q.Height, c.style, c.w, c.h)
			}
			lines := strings.Split(q.Block, "\n")
			if len(lines) != q.Height {
				t.Fatalf("RenderQR says %d rows, drew %d", q.Height, len(lines))
			}
			for i, l := range lines {
				if got := ansi.StringWidth(l); got != q.Width {
					t.Fatalf("row %d is %d cells wide, RenderQR says %d", i, got, q.Width)
				}
				// Explicit colours on every row: light foreground on black, so
				// the terminal theme never inverts the code.
				if !strings.Contains(l, "38;2;245;245;245") || !strings.Contains(l, "48;2;0;0;0") {
					t.Fatalf("row %d lacks the explicit QR colours: %q", i, l)
				}
			}
			got, err := qrscan.FromScreen(q.Block)
			if err != nil {
				t.Fatal(err)
			}
			if got != payload {
				t.Fatalf("decoded %q, want %q", got, payload)
			}
		})
	}
}

func TestRenderQRAmongText(t *testing.T) {
	// As on a screen: text before, beside and after the code.
	q, err := RenderQR(payload, QRSextant)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("Pairing demo  QR · waiting\n")
	for i, l := range strings.Split(q.Block, "\n") {
		b.WriteString(l + "   Scan with WhatsApp, line " + string(rune('a'+i)) + "\n")
	}
	b.WriteString("r fresh QR • l use link code")
	if got, err := qrscan.FromScreen(b.String()); err != nil || got != payload {
		t.Fatalf("decoded %q, %v", got, err)
	}
}

func TestRenderQRRefusesAnOversizedPayload(t *testing.T) {
	_, err := RenderQR(strings.Repeat("x", 4000), QRSextant)
	if err == nil || !strings.Contains(err.Error(), "cannot be drawn") {
		t.Fatalf("err = %v", err)
	}
}

func TestSextantCodePoints(t *testing.T) {
	// From the Unicode names: BLOCK SEXTANT-1 is U+1FB00, SEXTANT-235
	// U+1FB14 (after the gap of ▌), SEXTANT-1246 U+1FB28 (after ▐),
	// SEXTANT-23456 U+1FB3B.
	for bits, want := range map[uint8]rune{
		0: ' ', 0b000001: 0x1FB00, 0b010100: 0x1FB13, 0b010110: 0x1FB14, 0b010101: '▌',
		0b101011: 0x1FB28, 0b101010: '▐', 0b111110: 0x1FB3B, 0b111111: '█',
	} {
		if got := sextant(bits); got != want {
			t.Errorf("sextant(%06b) = %U, want %U", bits, got, want)
		}
	}
	seen := map[rune]bool{}
	for bits := range uint8(64) {
		r := sextant(bits)
		if seen[r] || ansi.StringWidth(string(r)) != 1 {
			t.Fatalf("sextant(%06b) = %U is taken twice or not one cell wide", bits, r)
		}
		seen[r] = true
	}
}

func TestPickQRStyle(t *testing.T) {
	half, err := RenderQR(payload, QRHalf)
	if err != nil {
		t.Fatal(err)
	}
	fits := func(cols, rows int) func(int, int) bool {
		return func(w, h int) bool { return w <= cols && h <= rows }
	}
	for _, c := range []struct {
		want       QRStyle
		cols, rows int
		got        QRStyle
	}{
		{QRAuto, 120, 40, QRHalf}, {QRAuto, 57, 29, QRHalf}, {QRAuto, 80, 20, QRSextant}, {QRAuto, 56, 29, QRSextant},
		{QRHalf, 80, 20, QRHalf}, {QRSextant, 200, 60, QRSextant},
	} {
		if got := PickQRStyle(c.want, half, fits(c.cols, c.rows)); got != c.got {
			t.Errorf("PickQRStyle(%s) in %d×%d = %s, want %s", c.want, c.cols, c.rows, got, c.got)
		}
	}
}

func TestParseQRStyle(t *testing.T) {
	for in, want := range map[string]QRStyle{"": QRAuto, "auto": QRAuto, "half": QRHalf, "sextant": QRSextant} {
		if got, err := ParseQRStyle(in); err != nil || got != want {
			t.Errorf("ParseQRStyle(%q) = %s, %v", in, got, err)
		}
	}
	if _, err := ParseQRStyle("quadrant"); err == nil || !strings.Contains(err.Error(), "use auto") {
		t.Fatalf("ParseQRStyle(quadrant): %v", err)
	}
}

// A sextant code that gozxing's finder search misses at the cell's 1:2
// shape (one code in about 300 does) still reads back.
func TestRenderQRSextantTheFinderSearchMisses(t *testing.T) {
	const p = "2@l3xjikWuReDgY0QB3GFcCJUAD+GJ1B9Umo33JM3p4BdMM2z++4tF8z84/4qWuYQCzCWD+DD9oc9ya7KLOQ8JOa5aHeOKKqEE3wY/ReL5+SC4sAEtvS7MqgiwZF45Sc3tfASvcv8D36ri/Y83Mn7470xDkZ/J/TCvvyY+gN6zTNLBBcxbjhkML3pf+wDv/M3DgVSLU/pv21aN7qEYCBsSEc6QS"
	q, err := RenderQR(p, QRSextant)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := qrscan.FromScreen(q.Block); err != nil || got != p {
		t.Fatalf("decoded %q, %v", got, err)
	}
}
