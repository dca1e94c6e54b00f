package ui

import (
	"fmt"
	"regexp"
	"strings"
)

// matcher turns a k9s-style filter into a predicate: a case-insensitive
// regular expression, or a plain substring when the term is not one; a
// leading '!' inverts it. Any of the fields may match.
func matcher(term string) func(fields ...string) bool {
	invert := strings.HasPrefix(term, "!")
	term = strings.TrimPrefix(term, "!")
	match := func(s string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(term)) }
	if re, err := regexp.Compile("(?i)" + term); err == nil {
		match = re.MatchString
	}
	return func(fields ...string) bool {
		for _, f := range fields {
			if match(f) {
				return !invert
			}
		}
		return invert
	}
}

// filterNote is the line that says a list is filtered.
func filterNote(filter string, shown, total int) string {
	if filter == "" {
		return ""
	}
	return styles.Hint.Render(fmt.Sprintf("  filter /%s/ shows %d of %d (esc clears)", filter, shown, total))
}
