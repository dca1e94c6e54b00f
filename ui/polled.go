package ui

import tea "charm.land/bubbletea/v2"

// polled is the load state of a screen that re-reads its data every
// second: one read in flight at a time, and an error reported once, not at
// every read that repeats it.
type polled struct {
	ready    bool // data arrived at least once
	inFlight bool
	err      error
}

// begin marks a read as sent; false when one is still in flight.
func (p *polled) begin() bool {
	if p.inFlight {
		return false
	}
	p.inFlight = true
	return true
}

// settle takes the outcome of a read. It reports whether the read brought
// data to keep, and a flash for an error not reported yet.
func (p *polled) settle(err error, format string, args ...any) (tea.Cmd, bool) {
	p.inFlight = false
	was := p.err
	p.err = err
	if err == nil {
		p.ready = true
		return nil, true
	}
	if was == nil || was.Error() != err.Error() {
		return report(failed(err, format, args...)), false
	}
	return nil, false
}
