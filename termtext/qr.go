package termtext

import (
	"fmt"
	"strings"

	"github.com/mdp/qrterminal/v3"
	"rsc.io/qr"
)

// qrQuietZone is the light margin around the code, in modules. Scanners
// want some; more than 2 costs rows the terminal rarely has.
const qrQuietZone = 2

// QRStyle is how modules are packed into terminal cells.
type QRStyle string

const (
	// QRAuto draws half blocks where they fit, else sextants.
	QRAuto QRStyle = "auto"
	// QRHalf draws 1×2 modules a cell with half blocks, which every
	// terminal font has: a 219-character payload takes 57×29 cells.
	QRHalf QRStyle = "half"
	// QRSextant draws 2×3 modules a cell with the sextants of Unicode 13
	// (Symbols for Legacy Computing): the same payload takes 29×19 cells,
	// which fits 80×24, but not every font has them.
	QRSextant QRStyle = "sextant"
)

// SextantNote is what the console and `pair` say with a sextant QR; one
// line of an 80-column terminal.
const SextantNote = "Sextant characters: if the QR looks broken, use a terminal or font with them"

// ParseQRStyle reads a --qr-style value; empty means auto.
func ParseQRStyle(s string) (QRStyle, error) {
	switch st := QRStyle(s); st {
	case "":
		return QRAuto, nil
	case QRAuto, QRHalf, QRSextant:
		return st, nil
	}
	return "", fmt.Errorf("--qr-style %q is not a QR style: use auto (half blocks where they fit, else sextants), half or sextant", s)
}

// PickQRStyle resolves auto: half blocks (the drawing half) when fits
// accepts their size, sextants otherwise. A forced style is kept whether it
// fits or not.
func PickQRStyle(want QRStyle, half QR, fits func(width, height int) bool) QRStyle {
	switch {
	case want == QRHalf, want == QRSextant:
		return want
	case fits(half.Width, half.Height):
		return QRHalf
	}
	return QRSextant
}

// QR is a drawn QR code.
type QR struct {
	Block         string // the rows, joined by "\n", in explicit colours
	Width, Height int    // in cells
	Style         QRStyle
}

// RenderQR draws payload as a QR code in explicit colours (dark modules on
// a light quiet zone, whatever the terminal's theme). Auto means half
// blocks. It fails only for a payload longer than a QR code holds.
func RenderQR(payload string, style QRStyle) (QR, error) {
	code, err := qr.Encode(payload, qr.L)
	if err != nil {
		return QR{}, fmt.Errorf("the QR payload (%d bytes) cannot be drawn: %w", len(payload), err)
	}
	var lines []string
	if style == QRSextant {
		lines = sextantLines(code)
	} else {
		style = QRHalf
		lines = halfBlockLines(payload)
	}
	q := QR{Width: len([]rune(lines[0])), Height: len(lines), Style: style}
	for i, l := range lines {
		lines[i] = qrColours.Render(l)
	}
	q.Block = strings.Join(lines, "\n")
	return q, nil
}

// halfBlockLines draws payload with half blocks, two modules per row. The
// glyphs assume a light foreground on a dark background, which RenderQR
// sets explicitly: " " is two dark modules, "█" two light ones, "▀" light
// over dark, "▄" dark over light.
func halfBlockLines(payload string) []string {
	var b strings.Builder
	qrterminal.GenerateWithConfig(payload, qrterminal.Config{
		Level:          qrterminal.L,
		Writer:         &b,
		HalfBlocks:     true,
		BlackChar:      " ",
		WhiteChar:      "█",
		WhiteBlackChar: "▀",
		BlackWhiteChar: "▄",
		QuietZone:      qrQuietZone,
	})
	return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
}
