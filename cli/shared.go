package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/term"
)

// clientTimeout bounds a plain API call of the CLI.
const clientTimeout = 15 * time.Second

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// confirm asks on the terminal; without one it refuses, so scripts must
// say --yes.
func confirm(question string) error {
	if !isTerminal(os.Stdin) {
		return errors.New("refusing without confirmation: add --yes")
	}
	fmt.Fprintf(os.Stderr, "%s [y/N] ", question)
	answer, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
		return errors.New("cancelled")
	}
	return nil
}

// oneLine shortens s to one line of at most n runes, its control
// characters made visible (see printable).
func oneLine(s string, n int) string {
	s = printable(strings.Join(strings.Fields(s), " "))
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// printable writes each control character of s (C0, DEL, C1) and each
// byte that is not UTF-8 as a visible escape such as \x1b. Message bodies,
// chat names and message ids come from outsiders: printed raw, an escape
// sequence in one would drive the operator's terminal (OSC 52 writes to
// the clipboard).
func printable(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
