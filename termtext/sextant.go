package termtext

import (
	"strings"

	"rsc.io/qr"
)

// sextantLines draws code with two columns by three rows of modules a
// cell. On a cell twice as tall as wide a module is then 1/2 wide by 2/3
// tall, close to square. As with half blocks the foreground is the light
// module; cells past the edge are light, widening the quiet zone.
func sextantLines(code *qr.Code) []string {
	n := code.Size + 2*qrQuietZone
	light := func(x, y int) bool {
		x, y = x-qrQuietZone, y-qrQuietZone
		return x < 0 || y < 0 || x >= code.Size || y >= code.Size || !code.Black(x, y)
	}
	lines := make([]string, 0, (n+2)/3)
	for y := 0; y < n; y += 3 {
		var b strings.Builder
		for x := 0; x < n; x += 2 {
			var bits uint8
			for i := range 6 {
				if light(x+i%2, y+i/2) {
					bits |= 1 << i
				}
			}
			b.WriteRune(sextant(bits))
		}
		lines = append(lines, b.String())
	}
	return lines
}

// sextant is the character that lights the sixths of a cell set in bits:
// bit 0 top left, 1 top right, 2 middle left, 3 middle right, 4 bottom
// left, 5 bottom right. Unicode 13 has U+1FB00..U+1FB3B for all but four
// patterns, which older blocks already had.
func sextant(bits uint8) rune {
	bits &= 0b111111
	switch bits {
	case 0:
		return ' '
	case 0b010101:
		return '▌'
	case 0b101010:
		return '▐'
	case 0b111111:
		return '█'
	}
	r := 0x1FB00 + rune(bits) - 1
	if bits > 0b010101 {
		r--
	}
	if bits > 0b101010 {
		r--
	}
	return r
}
