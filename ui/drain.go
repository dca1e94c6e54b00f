package ui

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/termtext"
)

// drainView is one session's unread drain: the chats of its snapshot,
// oldest unread first, which the operator picks and drains with an action,
// and the drain's progress, polled every second.
type drainView struct {
	id     string
	info   session.DrainInfo
	picked map[string]bool
	cur    cursor
	bar    progress.Model
	polled
}

type drainMsg struct {
	id   string
	info session.DrainInfo
	err  error
	// flash is said once the answer is in: what an action did.
	flash *flashMsg
}

// openDrain shows the drain of session id, taking a fresh snapshot of its
// unread messages when it is READY.
func (m *Model) openDrain(id string) tea.Cmd {
	d := &drainView{id: id, picked: map[string]bool{}, bar: progress.New(progress.WithoutPercentage(), progress.WithFillCharacters('█', '░'))}
	m.push(d)
	return d.snapshot(m.b)
}

func (d *drainView) crumb() string     { return "drain" }
func (d *drainView) sessionID() string { return d.id }

func (d *drainView) shortKeys(m *Model) []key.Binding {
	k := m.km.Drain
	return []key.Binding{k.Pick, k.All, k.Deliver, k.Read, k.Skip, k.Pause, k.Cancel}
}

func (d *drainView) allKeys(m *Model) []key.Binding { return m.km.Drain.Bindings() }

func (d *drainView) poll(m *Model) tea.Cmd {
	if !d.begin() {
		return nil
	}
	b, id := m.b, d.id
	return func() tea.Msg {
		info, err := b.Drain(id)
		return drainMsg{id: id, info: info, err: err}
	}
}

// snapshot lists the unread messages again; a session that is not READY
// shows the drain it has.
func (d *drainView) snapshot(b session.Runtime) tea.Cmd {
	d.inFlight = true
	id := d.id
	return func() tea.Msg {
		ctx, cancel := pageCtx()
		defer cancel()
		info, err := b.UnreadSnapshot(ctx, id)
		if errors.Is(err, session.ErrNotReady) {
			info, err = b.Drain(id)
			f := warn("%s is not READY: showing its last snapshot", id)
			return drainMsg{id: id, info: info, err: err, flash: &f}
		}
		return drainMsg{id: id, info: info, err: err}
	}
}

func (d *drainView) receive(_ *Model, msg tea.Msg) (tea.Cmd, bool) {
	r, ok := msg.(drainMsg)
	if !ok || r.id != d.id {
		return nil, false
	}
	cmd, ok := d.settle(r.err, "could not read the drain of %s", d.id)
	if !ok {
		return cmd, true
	}
	d.info = r.info
	d.info.Chats = slices.Clone(r.info.Chats) // sorted here, never in the runtime's copy
	slices.SortStableFunc(d.info.Chats, func(a, b session.DrainChat) int { return a.Oldest.Compare(b.Oldest) })
	if r.flash != nil {
		return report(*r.flash), true
	}
	return nil, true
}

// chosen is the chats an action applies to: those picked, or every chat.
func (d *drainView) chosen() []string {
	var ids []string
	for _, c := range d.info.Chats {
		if d.picked[c.ID] {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// drainRows is how many chats fit under the progress.
func (m *Model) drainRows() int { return max(m.bodyHeight()-drainHead-1, 1) }

// drainHead is the number of lines above the chat table.
const drainHead = 5

func (d *drainView) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.km.Drain
	if d.cur.move(msg, m.km.Nav, len(d.info.Chats), m.drainRows()) {
		return nil, true
	}
	switch {
	case key.Matches(msg, k.Snapshot):
		if d.inFlight {
			return m.setFlash(warn("the drain of %s is loading", d.id)), true
		}
		return d.snapshot(m.b), true
	case key.Matches(msg, k.Pause):
		op, done := session.DrainPause, "paused (p resumes)"
		if d.info.State == session.DrainPaused {
			op, done = session.DrainResume, "resumed"
		}
		return d.control(m.b, op, "drain of "+d.id+" "+done), true
	case key.Matches(msg, k.Cancel):
		return d.control(m.b, session.DrainCancel, "drain of "+d.id+" cancelled: what is left stays listed"), true
	}
	if len(d.info.Chats) == 0 {
		if key.Matches(msg, k.Pick, k.All, k.Deliver, k.Read, k.Skip) {
			return m.setFlash(warn("no unread messages to drain: r takes a new snapshot")), true
		}
		return nil, false
	}
	switch {
	case key.Matches(msg, k.Pick):
		c := d.info.Chats[min(d.cur.idx, len(d.info.Chats)-1)]
		d.picked[c.ID] = !d.picked[c.ID]
		d.cur.move(keyDown, m.km.Nav, len(d.info.Chats), m.drainRows())
	case key.Matches(msg, k.All):
		all := len(d.chosen()) < len(d.info.Chats)
		for _, c := range d.info.Chats {
			d.picked[c.ID] = all
		}
	case key.Matches(msg, k.Deliver):
		return d.start(m.b, session.DrainDeliver, "delivering"), true
	case key.Matches(msg, k.Skip):
		return d.start(m.b, session.DrainSkip, "skipping"), true
	case key.Matches(msg, k.Read):
		chats := d.chosen()
		what := "every chat of the drain"
		if len(chats) > 0 {
			what = plural(len(chats), "picked chat")
		}
		m.dialog = newConfirm("Mark "+what+" read?",
			"WhatsApp sends read receipts to the senders: they see their messages were read.",
			d.start(m.b, session.DrainRead, "marking read"))
	default:
		return nil, false
	}
	return nil, true
}

// keyDown moves the cursor after a pick, as file managers do.
var keyDown = tea.KeyPressMsg{Code: tea.KeyDown}

func (d *drainView) start(b session.Runtime, action, doing string) tea.Cmd {
	id, chats := d.id, d.chosen()
	what := "every chat"
	if len(chats) > 0 {
		what = plural(len(chats), "chat")
	}
	return func() tea.Msg {
		got, err := b.StartDrain(id, session.DrainRequest{Chats: chats, Action: action})
		if err != nil {
			f := failed(err, "could not start the drain of %s", id)
			return drainMsg{id: id, err: err, flash: &f}
		}
		f := info("%s: %s %s at %s/s", id, doing, what, strconv.FormatFloat(got.Rate, 'g', 3, 64))
		return drainMsg{id: id, info: got, flash: &f}
	}
}

func (d *drainView) control(b session.Runtime, op session.DrainOp, done string) tea.Cmd {
	id := d.id
	return func() tea.Msg {
		got, err := b.ControlDrain(id, op)
		if err != nil {
			// The drain stands as it was: read it again rather than show nothing.
			got, _ = b.Drain(id)
			f := failed(err, "could not %s the drain of %s", op, id)
			return drainMsg{id: id, info: got, flash: &f}
		}
		f := info("%s", done)
		return drainMsg{id: id, info: got, flash: &f}
	}
}

func (d *drainView) view(m *Model, w, h int) string {
	in := d.info
	title := styles.Heading.Render("Unread drain of "+d.id) + "  " + drainStateText(in.State)
	if !d.ready {
		msg := "Taking a snapshot of the unread messages…"
		if d.err != nil {
			msg = styles.Error.Render("Could not read the drain: " + d.err.Error())
		}
		return title + "\n\n" + wrap(msg, w)
	}
	now := m.now()
	snap := "no snapshot yet"
	if !in.Snapshot.IsZero() {
		snap = "snapshot " + termtext.Age(now.Sub(in.Snapshot)) + " ago"
	}
	field := func(k, v string) string { return styles.Label.Render(cell(k, 9)) + v }
	pct := 0.0
	if in.Chosen > 0 {
		pct = float64(in.Done) / float64(in.Chosen)
	}
	d.bar.SetWidth(max(min(w-9-24, 50), 10))
	counts := fmt.Sprintf("%d/%d", in.Done, in.Chosen)
	speed := "-"
	if in.Speed > 0 {
		speed = fmt.Sprintf("%.1f/s", in.Speed)
	}
	eta := "-"
	if in.ETA > 0 {
		eta = in.ETA.String()
	}
	lines := []string{
		title,
		field("Unread", fmt.Sprintf("%s in %s · %s", plural(in.Total, "message"), plural(len(in.Chats), "chat"), snap)),
		field("Progress", d.bar.ViewAs(pct)+" "+counts),
		field("Done", fmt.Sprintf("delivered %d · read %d · skipped %d · before %d · %s · ETA %s", in.Delivered, in.Read, in.Skipped, in.Already, speed, eta)),
		"",
	}
	switch {
	case d.err != nil:
		lines[4] = styles.Error.Render("stale: " + d.err.Error())
	case in.LastError != "":
		lines[4] = styles.Error.Render("last error: " + in.LastError)
	}
	head := strings.Join(lines, "\n")
	if len(in.Chats) == 0 {
		return head + "\n" + styles.Hint.Render("no unread messages: r takes a new snapshot")
	}
	cols := []column{{"", 3}, {"CHAT", 24}, {"COUNT", 5}, {"LEFT", 5}, {"OLDEST", 7}, {"ACTION", 7}, {"PREVIEW", 0}}
	rows := make([][]string, len(in.Chats))
	for i, c := range in.Chats {
		mark := "[ ]"
		if d.picked[c.ID] {
			mark = "[x]"
		}
		name := c.Name
		if name == "" {
			name = c.ID
		}
		rows[i] = []string{mark, name, strconv.Itoa(c.Count), strconv.Itoa(c.Left), termtext.Age(now.Sub(c.Oldest)), c.Action, c.Preview}
	}
	d.cur.clamp(len(rows), m.drainRows())
	return head + "\n" + renderTable(cols, rows, d.cur, w, max(h-len(lines), 2))
}

// drainStateText says where the drain stands, coloured.
func drainStateText(s session.DrainState) string {
	switch s {
	case session.DrainRunning:
		return styles.Info.Render("RUNNING")
	case session.DrainPaused:
		return styles.Warn.Render("PAUSED (p resumes)")
	case session.DrainDone:
		return styles.Info.Render("DONE")
	case session.DrainCancelled:
		return styles.Warn.Render("CANCELLED")
	case session.DrainWaiting:
		return styles.Hint.Render("pick chats (space, a), then v deliver · m mark read · S skip")
	}
	return ""
}

// plural is "1 chat", "2 chats".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
