package ui

import (
	"strings"

	"github.com/mdp/qrterminal/v3"
)

// qrQuietZone is the light margin around the code, in modules. Scanners
// want some; more than 2 costs rows the terminal rarely has.
const qrQuietZone = 2

// qrLines draws payload with half blocks, two modules per row. The glyphs
// assume a light foreground on a dark background, which RenderQR sets
// explicitly: " " is two dark modules, "█" two light ones, "▀" light over
// dark, "▄" dark over light.
func qrLines(payload string) []string {
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

// RenderQR draws payload as a QR code in explicit colours (dark modules on
// a light quiet zone, whatever the terminal's theme) and returns its size
// in cells.
func RenderQR(payload string) (block string, width, height int) {
	lines := qrLines(payload)
	width, height = len([]rune(lines[0])), len(lines)
	for i, l := range lines {
		lines[i] = styles.QR.Render(l)
	}
	return strings.Join(lines, "\n"), width, height
}

// QRSize is how many cells RenderQR needs for payload.
func QRSize(payload string) (width, height int) {
	lines := qrLines(payload)
	return len([]rune(lines[0])), len(lines)
}

// QRFits reports whether the QR of payload fits in width × height cells.
func QRFits(payload string, width, height int) bool {
	w, h := QRSize(payload)
	return w <= width && h <= height
}
