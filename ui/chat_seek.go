package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/waconsole/waconsole/session"
)

// firstUnread selects the oldest of the chat's unread messages, fetching
// older pages when they are not loaded yet.
func (c *chatView) firstUnread(m *Model) tea.Cmd {
	if c.unread == 0 {
		if c.markedUnread {
			return m.setFlash(info("%s is marked unread but holds no unread messages", c.name))
		}
		return m.setFlash(info("no unread messages in %s", c.name))
	}
	c.filter = "" // the unread may be what the filter hides
	c.seekUnread, c.seekPages = true, 0
	if c.noNewer { // unread messages count back from the newest
		return c.showNewest(m.b)
	}
	return c.trySeek(m.b)
}

// firstUnreadID counts the chat's unread messages back from the newest:
// the messages others wrote. "" while older pages may still hold it.
func (c *chatView) firstUnreadID() string {
	n := 0
	for i := len(c.lines) - 1; i >= 0; i-- {
		mm := c.lines[i].msg
		if mm.FromMe || describe(mm, c.people).notice {
			continue
		}
		if n++; n == c.unread {
			return mm.ID
		}
	}
	if c.noOlder && len(c.lines) > 0 {
		return c.lines[0].msg.ID
	}
	return ""
}

// trySeek selects the message sought once it is loaded, else fetches the
// page before the oldest loaded one, at most seekPages of them.
func (c *chatView) trySeek(b session.Runtime) tea.Cmd {
	if (c.seek == "" && !c.seekUnread) || c.loading {
		return nil
	}
	target := c.seek
	if c.seekUnread {
		target = c.firstUnreadID()
	}
	if target != "" && c.known[target] {
		c.seek, c.seekUnread = "", false
		c.rebuild()
		for k, i := range c.shown {
			if c.lines[i].msg.ID == target {
				c.selectAt(k)
			}
		}
		return nil
	}
	switch {
	case c.noOlder || len(c.lines) == 0:
		c.seek, c.seekUnread = "", false
		return report(warn("the message is not among the %d newest of %s: it may have been deleted", len(c.lines), c.name))
	case c.seekUnread && len(c.lines) >= chatLimit:
		// counting unread back from the newest needs them all loaded
		c.seekUnread = false
		return report(warn("the first unread message of %s is older than the %d messages the console keeps", c.name, chatLimit))
	case c.seekPages >= seekPages:
		c.seek, c.seekUnread = "", false
		return report(warn("the message is older than the %d messages the console keeps of %s: `waconsole search` finds it", chatLimit, c.name))
	}
	c.seekPages++
	return c.loadBefore(b, c.lines[0].msg.ID)
}
