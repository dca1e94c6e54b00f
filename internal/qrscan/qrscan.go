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

// halfBlock maps a QR cell to its two modules, top then bottom; true is
// dark. RenderQR draws a light foreground on a dark background.
var halfBlock = map[rune][2]bool{
	' ': {true, true},
	'█': {false, false},
	'▀': {false, true},
	'▄': {true, false},
}

// FromScreen finds the QR code drawn by ui.RenderQR in a screen (with or
// without ANSI codes, among other text), reads its cells back into modules
// and decodes it.
func FromScreen(screen string) (string, error) {
	var grid [][]rune
	for _, l := range strings.Split(ansi.Strip(screen), "\n") {
		grid = append(grid, cells(l))
	}
	top, left, width := -1, 0, 0
	for y, row := range grid { // the quiet zone on top is the first long run of full blocks
		if x, n := longestRun(row, '█'); n >= 21 {
			top, left, width = y, x, n
			break
		}
	}
	if top < 0 {
		return "", errors.New("no QR code on the screen")
	}
	var modules [][]bool
	for y := top; y < len(grid); y++ {
		row := grid[y]
		if len(row) < left+width {
			break
		}
		upper, lower := make([]bool, width), make([]bool, width)
		ok, blank := true, true
		for x, r := range row[left : left+width] {
			px, known := halfBlock[r]
			ok = ok && known
			blank = blank && r == ' '
			upper[x], lower[x] = px[0], px[1]
		}
		if !ok || blank {
			break
		}
		modules = append(modules, upper, lower)
	}
	for len(modules) > 0 && allDark(modules[len(modules)-1]) { // the bottom edge's lower half
		modules = modules[:len(modules)-1]
	}
	return decodeModules(modules)
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

func longestRun(row []rune, r rune) (start, n int) {
	for i := 0; i < len(row); {
		j := i
		for j < len(row) && row[j] == r {
			j++
		}
		if j-i > n {
			start, n = i, j-i
		}
		i = max(j, i+1)
	}
	return start, n
}

func allDark(row []bool) bool {
	for _, d := range row {
		if !d {
			return false
		}
	}
	return true
}

// decodeModules scales the modules up on a white margin and decodes them.
func decodeModules(modules [][]bool) (string, error) {
	if len(modules) == 0 {
		return "", errors.New("empty QR code")
	}
	const scale, margin = 4, 16
	w, h := len(modules[0])*scale+2*margin, len(modules)*scale+2*margin
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetGray(x, y, color.Gray{Y: 255})
		}
	}
	for my, row := range modules {
		for mx, dark := range row {
			if !dark {
				continue
			}
			for dy := range scale {
				for dx := range scale {
					img.SetGray(margin+mx*scale+dx, margin+my*scale+dy, color.Gray{})
				}
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
