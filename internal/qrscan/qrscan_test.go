package qrscan

import (
	"os"
	"strings"
	"testing"
)

func TestFromScreenWithoutACode(t *testing.T) {
	for _, screen := range []string{
		"",
		"sessions > demo > pairing\nThe QR code does not fit: it needs 57 columns × 29 rows",
		strings.Repeat("█", 40) + "\n" + strings.Repeat("▀▄", 20), // blocks, but no quiet-zone column
	} {
		if got, err := FromScreen(screen); err == nil {
			t.Errorf("FromScreen(%q) decoded %q", screen, got)
		}
	}
}

func TestGlyphsOfTheSextantBlock(t *testing.T) {
	// U+1FB00 is BLOCK SEXTANT-1, U+1FB14 SEXTANT-235 (after ▌'s gap),
	// U+1FB3B SEXTANT-23456: sextant n lit is bit n-1.
	for r, want := range map[rune]string{0x1FB00: "100000", 0x1FB14: "011010", 0x1FB3B: "011111", '▌': "101010"} {
		g, ok := glyphOf(r)
		if !ok || g.cols != 2 {
			t.Fatalf("%U is not read as a sextant", r)
		}
		var got strings.Builder
		for i := range 6 {
			// Sextant i is column i%2, row i/2 of a 2×3 grid.
			if g.lit[i/2*g.rows/3*g.cols+i%2*g.cols/2] {
				got.WriteByte('1')
			} else {
				got.WriteByte('0')
			}
		}
		if got.String() != want {
			t.Errorf("%U lights %s, want %s", r, got.String(), want)
		}
	}
	if _, ok := glyphOf('x'); ok {
		t.Fatal("a letter is read as a QR glyph")
	}
}

// A code whose data fools the finder-pattern search (as drawn by
// `waconsole pair` in a CI run) still decodes.
func TestFromScreenFinderLookalike(t *testing.T) {
	screen, err := os.ReadFile("testdata/finder-lookalike.txt")
	if err != nil {
		t.Fatal(err)
	}
	got, err := FromScreen(string(screen))
	if err != nil || !strings.HasPrefix(got, "2@k5ipeFdJOjGzSdMN") || !strings.HasSuffix(got, "oG4=,1") {
		t.Fatalf("decoded %q, %v", got, err)
	}
}
