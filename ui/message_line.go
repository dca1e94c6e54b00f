package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/waconsole/waconsole/session"
)

// msgParts is what one message shows, by its type: the quoted line above
// it, its text, and lines under it (a poll's options, reactions).
type msgParts struct {
	quote  string
	text   string
	under  []string
	notice bool // a system notification: drawn dimmed, its author in the text
}

// mediaLabels name the media types; their file is described, not fetched.
var mediaLabels = map[string]string{"image": "image", "video": "video", "audio": "audio", "ptt": "voice note",
	"document": "document", "sticker": "sticker"}

// noticeTypes are WhatsApp's types of system notifications.
var noticeTypes = []string{"notification", "notification_template", "gp2", "e2e_notification", "protocol", "call_log", "broadcast_notification"}

// noticeVerbs say what a notification's subtype means.
var noticeVerbs = map[string]string{
	"add": "joined", "invite": "joined with the invite link", "leave": "left", "remove": "was removed",
	"create": "created the group", "subject": "changed the subject", "description": "changed the description",
	"picture": "changed the group picture", "promote": "became an admin", "demote": "is no longer an admin",
}

// describe draws a message for what it is; a type the console does not
// know shows as [type] with whatever text it has, never dropped.
func describe(mm session.Message, p people) msgParts {
	var out msgParts
	if q := mm.Quoted; q != nil {
		out.quote = "│ " + p.quoted(*q) + ": " + cmp.Or(oneLine(q.Body), "["+q.Type+"]")
	}
	switch {
	case mm.Revoked || mm.Type == "revoked":
		out.text = styles.Subtle.Render("This message was deleted")
		return out
	case mm.Notice || slices.Contains(noticeTypes, mm.Type):
		out.notice = true
		out.text = noticeText(mm)
	case mediaLabels[mm.Type] != "":
		out.text = withText(styles.Label.Render("["+mediaText(mm)+"]"), mm.Body)
	case mm.Location != nil:
		l := mm.Location
		place := joinNonEmpty(" ", joinNonEmpty(", ", l.Name, l.Address), fmt.Sprintf("(%.5f, %.5f)", l.Lat, l.Lng))
		out.text = withText(styles.Label.Render("[location]")+" "+place,
			strings.TrimSpace(strings.TrimPrefix(mm.Body, l.Name)))
	case len(mm.Contacts) > 0:
		out.text = styles.Label.Render(contactsLabel(len(mm.Contacts))) + " " + contactsText(mm.Contacts, p.readOnly)
	case mm.Poll != nil:
		out.text, out.under = pollText(*mm.Poll)
	case mm.Type == "" || mm.Type == "chat":
		out.text = mm.Body
	default:
		out.text = withText(styles.Label.Render("["+mm.Type+"]"), mm.Body)
	}
	if !mm.Edited.IsZero() {
		out.text += " " + styles.Subtle.Render("(edited)")
	}
	if r := reactionsText(mm.Reactions); r != "" {
		out.under = append(out.under, r)
	}
	return out
}

// withText puts a message's own text (a caption) after its label.
func withText(label, text string) string { return joinNonEmpty(" ", label, text) }

// mediaText describes a file: kind, name, pages, duration, size.
func mediaText(mm session.Message) string {
	parts := []string{mediaLabels[mm.Type]}
	if f := mm.File; f != nil {
		parts = append(parts, f.Filename)
		if f.Pages > 0 {
			parts = append(parts, plural(f.Pages, "page"))
		}
		if f.Duration > 0 {
			parts = append(parts, fmt.Sprintf("%d:%02d", f.Duration/60, f.Duration%60))
		}
		if f.Size > 0 {
			parts = append(parts, humanSize(f.Size))
		}
	}
	return joinNonEmpty(" · ", parts...)
}

// humanSize is a file size in binary units, as phones show them.
func humanSize(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, unit := float64(n)/1024, "KB"
	for _, u := range []string{"MB", "GB"} {
		if v < 1024 {
			break
		}
		v, unit = v/1024, u
	}
	if v < 10 {
		return fmt.Sprintf("%.1f %s", v, unit)
	}
	return fmt.Sprintf("%.0f %s", v, unit)
}

func contactsLabel(n int) string {
	if n == 1 {
		return "[contact]"
	}
	return "[" + plural(n, "contact") + "]"
}

// contactsText lists shared contacts with their numbers, masked read-only.
func contactsText(cards []session.ContactCard, readOnly bool) string {
	parts := make([]string, len(cards))
	for i, c := range cards {
		parts[i] = c.Name
		if c.Number != "" {
			parts[i] += " (" + numberOf(strings.TrimPrefix(c.Number, "+"), readOnly) + ")"
		}
	}
	return strings.Join(parts, ", ")
}

// pollText is a poll's question, and its options with their votes.
func pollText(p session.Poll) (string, []string) {
	label := "[poll]"
	if p.Multiple {
		label = "[poll, several answers]"
	}
	opts := make([]string, len(p.Options))
	for i, o := range p.Options {
		opts[i] = "○ " + o.Name + "  " + styles.Subtle.Render(plural(o.Votes, "vote"))
	}
	return styles.Label.Render(label) + " " + p.Name, opts
}

// noticeText says what a system notification reports.
func noticeText(mm session.Message) string {
	verb, ok := noticeVerbs[mm.Subtype]
	switch {
	case !ok && mm.Body != "":
		return mm.Body
	case !ok:
		return "[" + joinNonEmpty(" ", cmp.Or(mm.Type, "notification"), mm.Subtype) + "]"
	case mm.Body != "":
		return verb + ": " + mm.Body
	}
	return verb
}

// reactionsText counts the reactions by emoji, in the order first seen.
func reactionsText(rs []session.Reaction) string {
	var order []string
	count := map[string]int{}
	for _, r := range rs {
		if count[r.Emoji] == 0 {
			order = append(order, r.Emoji)
		}
		count[r.Emoji]++
	}
	parts := make([]string, len(order))
	for i, e := range order {
		parts[i] = e + " " + strconv.Itoa(count[e])
	}
	return strings.Join(parts, "  ")
}
