// Package qrscan reads back a QR code drawn in a terminal screen, as a
// phone camera would: tests use it to prove that what the console and
// `waconsole pair` draw is scannable and carries the exact payload.
package qrscan

import (
	"errors"
	"image"
	"image/color"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// A terminal cell as the camera sees it: twice as tall as wide. Each cell
// becomes cellW × cellH pixels, so a half block's module is square and a
// sextant's is 6 × 8, as on the screen.
const cellW, cellH = 12, 24

// glyph is how a character divides its cell: cols × rows sub-cells, row by
// row, true where it is lit. The QR is drawn light on dark, so lit means a
// light module.
type glyph struct {
	cols, rows int
	lit        []bool
}

// glyphOf reads the half blocks and the sextants (U+1FB00..U+1FB3B and
// the four older characters that complete the set).
func glyphOf(r rune) (glyph, bool) {
	switch r {
	case ' ':
		return glyph{1, 1, []bool{false}}, true
	case '█':
		return glyph{1, 1, []bool{true}}, true
	case '▀':
		return glyph{1, 2, []bool{true, false}}, true
	case '▄':
		return glyph{1, 2, []bool{false, true}}, true
	case '▌':
		return glyph{2, 1, []bool{true, false}}, true
	case '▐':
		return glyph{2, 1, []bool{false, true}}, true
	}
	if r < 0x1FB00 || r > 0x1FB3B {
		return glyph{}, false
	}
	// "BLOCK SEXTANT-n…" in code point order, skipping the patterns of
	// ▌ (sextants 1, 3, 5) and ▐ (2, 4, 6); sextant n is bit n-1, counted
	// left to right, top to bottom.
	v := int(r-0x1FB00) + 1
	if v >= 0b010101 {
		v++
	}
	if v >= 0b101010 {
		v++
	}
	g := glyph{2, 3, make([]bool, 6)}
	for i := range g.lit {
		g.lit[i] = v&(1<<i) != 0
	}
	return g, true
}

// FromScreen finds the QR code drawn by termtext.RenderQR, in half blocks
// or sextants, in a screen (with or without ANSI codes, among other text),
// draws its cells as the terminal shows them and decodes the picture.
func FromScreen(screen string) (string, error) {
	var grid [][]rune
	for _, l := range strings.Split(ansi.Strip(screen), "\n") {
		grid = append(grid, cells(l))
	}
	at := func(x, y int) rune {
		if y < 0 || y >= len(grid) || x >= len(grid[y]) {
			return 0
		}
		return grid[y][x]
	}
	// The left quiet zone is a column of full blocks from the top row of
	// the code down, in both styles.
	top, left, h := -1, 0, 0
	for y := 0; y < len(grid) && top < 0; y++ {
		for x := range grid[y] {
			if at(x, y) != '█' || at(x, y-1) == '█' {
				continue
			}
			n := 0
			for at(x, y+n) == '█' {
				n++
			}
			if n >= 8 {
				top, left, h = y, x, n
				break
			}
		}
	}
	if top < 0 {
		return "", errors.New("no QR code on the screen")
	}
	// A cell belongs to the code when it is a QR glyph; a column or row of
	// blanks is outside, as the quiet zone is light.
	part := func(x0, y0, dx, dy, n int) bool {
		blank := true
		for i := range n {
			r := at(x0+i*dx, y0+i*dy)
			if _, ok := glyphOf(r); !ok {
				return false
			}
			blank = blank && r == ' '
		}
		return !blank
	}
	w := 0
	for part(left+w, top, 0, 1, h) {
		w++
	}
	for part(left, top+h, 1, 0, w) {
		h++
	}
	return decode(grid, left, top, w, h)
}

// decode draws the w × h cells at (left, top) as the terminal shows them
// and reads the QR code in the picture. gozxing's finder search misses now
// and then on a sextant's 6 × 8 modules (about one code in 300); then the
// same cells are read again with square modules before giving up.
func decode(grid [][]rune, left, top, w, h int) (string, error) {
	text, err := read(draw(grid, left, top, w, h, cellW))
	if err != nil && hasSextants(grid, left, top, w, h) {
		if again, aerr := read(draw(grid, left, top, w, h, cellH*2/3)); aerr == nil {
			return again, nil
		}
	}
	return text, err
}

// draw paints the cells, each cw × cellH pixels, on a white margin.
func draw(grid [][]rune, left, top, w, h, cw int) *image.Gray {
	const margin = 2 * cellH
	img := image.NewGray(image.Rect(0, 0, w*cw+2*margin, h*cellH+2*margin))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for cy := range h {
		for cx := range w {
			g, _ := glyphOf(grid[top+cy][left+cx])
			for py := range cellH {
				for px := range cw {
					if !g.lit[py*g.rows/cellH*g.cols+px*g.cols/cw] {
						img.SetGray(margin+cx*cw+px, margin+cy*cellH+py, color.Gray{})
					}
				}
			}
		}
	}
	lightenDarkLines(img, image.Rect(margin, margin, margin+w*cw, margin+h*cellH))
	return img
}

// hasSextants reports whether the code is drawn in sextants.
func hasSextants(grid [][]rune, left, top, w, h int) bool {
	for cy := range h {
		for cx := range w {
			if g, _ := glyphOf(grid[top+cy][left+cx]); g.rows == 3 {
				return true
			}
		}
	}
	return false
}

// read finds the QR code in img.
func read(img *image.Gray) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		// The finder-pattern search is fooled now and then by data that
		// looks like a finder; the picture holds the code alone, so read
		// it as a pure code before giving up.
		pure, perr := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
		if perr != nil {
			return "", err
		}
		res = pure
	}
	return res.GetText(), nil
}

// lightenDarkLines whitens the pixel rows and columns of r with no light
// at all: they lie outside the code, past its quiet zone (the lower half of
// a half-block row that ends it), and would spoil a pure read.
func lightenDarkLines(img *image.Gray, r image.Rectangle) {
	dark := func(x0, y0, dx, dy, n int) bool {
		for i := range n {
			if img.GrayAt(x0+i*dx, y0+i*dy).Y != 0 {
				return false
			}
		}
		return true
	}
	var rows, cols []int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		if dark(r.Min.X, y, 1, 0, r.Dx()) {
			rows = append(rows, y)
		}
	}
	for x := r.Min.X; x < r.Max.X; x++ {
		if dark(x, r.Min.Y, 0, 1, r.Dy()) {
			cols = append(cols, x)
		}
	}
	for _, y := range rows {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetGray(x, y, color.Gray{Y: 255})
		}
	}
	for _, x := range cols {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			img.SetGray(x, y, color.Gray{Y: 255})
		}
	}
}

// cells splits a line into terminal cells, a wide rune taking two.
func cells(line string) []rune {
	var out []rune
	for _, r := range line {
		out = append(out, r)
		if ansi.StringWidth(string(r)) == 2 {
			out = append(out, 0)
		}
	}
	return out
}
