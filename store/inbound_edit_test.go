package store

import (
	"slices"
	"testing"
)

// An edit replaces the stored body and what search finds; the stats follow
// the size; an unknown id or the same text changes nothing.
func TestEditInbound(t *testing.T) {
	db := inboundDB(t)
	save(t, db, Inbound{ID: "A", Chat: "4915@c.us", Body: "Meeting moved to 3 pm"}, Inbound{ID: "B", Chat: "4915@c.us", Body: "see you"})
	before, err := db.InboundStats("s")
	if err != nil {
		t.Fatal(err)
	}
	if changed, err := db.EditInbound("s", "A", "Meeting moved to 4 pm, room 12"); err != nil || !changed {
		t.Fatalf("EditInbound: changed %v, %v; want a change", changed, err)
	}
	m, err := db.InboundByID("s", "A")
	if err != nil || m.Body != "Meeting moved to 4 pm, room 12" {
		t.Fatalf("after the edit the inbox keeps %+v, %v", m, err)
	}
	if got := searchIDs(t, db, SearchQuery{Words: []string{"room 12"}, Limit: 10}); !slices.Equal(got, []string{"A"}) {
		t.Errorf("a search for the edited text finds %v, want A", got)
	}
	if got := searchIDs(t, db, SearchQuery{Words: []string{"3 pm"}, Limit: 10}); len(got) != 0 {
		t.Errorf("a search for the text before the edit finds %v, want nothing", got)
	}
	after, _ := db.InboundStats("s")
	if after.Bytes != before.Bytes+int64(len(", room 12")+len("4")-len("3")) || after.Stored != before.Stored {
		t.Errorf("stats after the edit %+v, before %+v: want the size grown by the new text, the count kept", after, before)
	}
	for _, id := range []string{"A", "nope"} {
		if changed, err := db.EditInbound("s", id, "Meeting moved to 4 pm, room 12"); err != nil || changed {
			t.Errorf("EditInbound of %s with the same text or unknown: changed %v, %v; want no change", id, changed, err)
		}
	}
}
