package cli

import (
	"fmt"
	"io"
	"regexp"
	"sync"
	"time"
)

// longNumber finds phone numbers in log lines.
var longNumber = regexp.MustCompile(`\d{7,15}`)

// maskNumbers hides all but the first three and last two digits of any
// phone-length number: logs must not carry numbers.
func maskNumbers(s string) string {
	return longNumber.ReplaceAllStringFunc(s, func(n string) string {
		return n[:3] + "…" + n[len(n)-2:]
	})
}

// lifecycleLog writes one time-stamped line per call, numbers masked.
func lifecycleLog(w io.Writer) func(string, ...any) {
	var mu sync.Mutex
	return func(format string, args ...any) {
		line := maskNumbers(fmt.Sprintf(format, args...))
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "%s %s\n", time.Now().UTC().Format(time.RFC3339), line)
	}
}
