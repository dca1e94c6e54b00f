package simweb

import (
	"net/http"
	"time"
)

// serveStream is the page's connection: it says hello with its device id,
// its public keys, its token if it has one, and whether it has synced
// before; the server answers with the state to show and pushes from then on.
func (s *Server) serveStream(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id, token := q.Get("device"), q.Get("token")
	if !deviceIDRe.MatchString(id) || !validKey(q.Get("noise")) || !validKey(q.Get("identity")) || !validKey(q.Get("adv")) {
		writeErr(w, errorf(http.StatusBadRequest, "stream needs device, noise, identity and adv"))
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		writeErr(w, errorf(http.StatusServiceUnavailable, "server closed"))
		return
	}
	if a := s.accountByToken(token); a != nil && a.dropped(time.Now()) {
		s.mu.Unlock()
		writeErr(w, errorf(http.StatusServiceUnavailable, "connection dropped by the phone's network"))
		return
	}
	d := s.devices[id]
	if d == nil {
		d = &device{ID: id, state: stUnlaunched}
		s.devices[id] = d
		s.order = append(s.order, id)
		s.logf("simweb: new device %s", id)
	}
	d.Noise, d.Identity, d.ADV = q.Get("noise"), q.Get("identity"), q.Get("adv")
	st := newStream()
	s.attach(d, st, token, q.Get("synced") == "1")
	s.dirty()
	s.mu.Unlock()

	st.serve(w, r, s.done)

	s.mu.Lock()
	if d.stream == st {
		s.detach(d)
	}
	s.mu.Unlock()
}

// attach makes st the device's connection. A page already connected with
// the same profile is told it was opened elsewhere, as WhatsApp does.
func (s *Server) attach(d *device, st *stream, token string, synced bool) {
	if old := d.stream; old != nil {
		old.push(event{Type: "conflict"})
		old.close()
	}
	s.stopRefs(d)
	// A page that connects starts out showing QR codes.
	d.stream, d.live, d.conflict, d.byCode = st, false, false, false
	if token == "" {
		s.forget(d)
		s.startBatch(d, "hello")
		return
	}
	a := s.accountByToken(token)
	if a == nil {
		// Revoked while the page was away: it must show itself logged out.
		s.forget(d)
		d.state = stOpening
		st.push(event{Type: "hello", LoggedOut: true})
		return
	}
	if d.Phone != a.Phone || d.Token != token {
		s.forget(d)
		d.Phone, d.Token = a.Phone, token
		a.Tokens[token] = d.ID
	}
	d.state = stConnected
	st.push(event{Type: "hello", State: stConnected, Phone: a.Phone, LID: a.LID})
	if !synced {
		s.scheduleSync(d)
	}
}

// detach notes that the device's page went away.
func (s *Server) detach(d *device) {
	s.stopRefs(d)
	d.stream, d.live = nil, false
	switch {
	case d.conflict:
	case d.Phone != "":
		d.state = stOpening
	default:
		d.state, d.refs, d.link = stUnlaunched, nil, nil
	}
}

// forget unpairs the device: its token is revoked and what it had not
// received yet is dropped.
func (s *Server) forget(d *device) {
	if a := s.accounts[d.Phone]; a != nil && a.Tokens[d.Token] == d.ID {
		delete(a.Tokens, d.Token)
	}
	d.Phone, d.Token, d.Pending, d.pendingAcks, d.live = "", "", nil, nil, false
}

func (s *Server) stopRefs(d *device) {
	d.gen++
	if d.refTimer != nil {
		d.refTimer.Stop()
		d.refTimer = nil
	}
}

// startBatch shows a fresh batch of QR refs; the first lives FirstRef, the
// others NextRef, then the device goes UNPAIRED_IDLE. The event type is
// "hello" on connect and "ref" on a refresh.
func (s *Server) startBatch(d *device, typ string) {
	s.stopRefs(d)
	d.refs = make([]string, s.t.Refs)
	for i := range d.refs {
		d.refs[i] = newRef()
	}
	d.refIdx, d.state = 0, stUnpaired
	d.stream.push(event{Type: typ, State: stUnpaired, Ref: d.refs[0]})
	s.scheduleRef(d, s.t.FirstRef)
}

func (s *Server) scheduleRef(d *device, after time.Duration) {
	gen := d.gen
	d.refTimer = s.after(after, func() {
		if d.gen != gen || d.stream == nil {
			return
		}
		d.refIdx++
		if d.refIdx >= len(d.refs) {
			d.state, d.refTimer = stIdle, nil
			d.stream.push(event{Type: "state", State: stIdle})
			return
		}
		d.stream.push(event{Type: "ref", Ref: d.refs[d.refIdx]})
		s.scheduleRef(d, s.t.NextRef)
	})
}

// pair links the device to the phone: PAIRING now, CONNECTED with a token
// after PairDelay, synced after SyncDelay.
func (s *Server) pair(d *device, phone string) {
	s.stopRefs(d)
	d.refs, d.link, d.state = nil, nil, stPairing
	d.stream.push(event{Type: "state", State: stPairing})
	gen := d.gen
	s.after(s.t.PairDelay, func() {
		if d.gen != gen || d.stream == nil {
			return
		}
		a := s.accounts[phone]
		if a == nil {
			a = newAccount(phone)
			a.seed(time.Now())
			if s.withShowcase {
				if _, err := s.seedShowcase(a, time.Now()); err != nil {
					s.logf("simweb: seeding the showcase: %v", err)
				}
			}
			if s.build.LID {
				a.moveToLID()
			}
			s.accounts[phone] = a
		}
		d.Phone, d.Token = phone, newToken()
		a.Tokens[d.Token] = d.ID
		d.state = stConnected
		d.stream.push(event{Type: "paired", Token: d.Token, Phone: phone, LID: a.LID})
		s.scheduleSync(d)
		s.dirty()
		s.logf("simweb: device %s paired with %s", d.ID, phone)
	})
}

func (s *Server) scheduleSync(d *device) {
	gen := d.gen
	s.after(s.t.SyncDelay, func() {
		if d.gen == gen && d.stream != nil {
			d.stream.push(event{Type: "synced"})
		}
	})
}

func (s *Server) accountByToken(token string) *account {
	if token == "" {
		return nil
	}
	for _, a := range s.accounts {
		if _, ok := a.Tokens[token]; ok {
			return a
		}
	}
	return nil
}

// devicesOf lists the devices paired with the account.
func (s *Server) devicesOf(a *account) []*device {
	var ds []*device
	for _, id := range s.order {
		if d := s.devices[id]; d.Phone == a.Phone && d.Token != "" {
			ds = append(ds, d)
		}
	}
	return ds
}

// linkCodeFor gives the device a link code for phone, replacing any earlier.
func (s *Server) linkCodeFor(d *device, phone string) (string, error) {
	if d.stream == nil || (d.state != stUnpaired && d.state != stIdle) {
		return "", errorf(http.StatusConflict, "a link code needs an unpaired device, this one is %s", d.state)
	}
	d.link = &linkCode{code: newLinkCode(), phone: phone, expires: time.Now().Add(s.t.LinkCodeTTL)}
	return d.link.code, nil
}
