package sshconsole

import "sync"

// refusals holds, for each connection still authenticating, the keys
// refused on it, so that a connection ending without an accepted key is
// logged once with the keys it offered, not once per key (an agent offers
// all of its keys).
type refusals struct {
	mu    sync.Mutex
	conns map[string]refused // by remote address
}

type refused struct {
	user   string
	keyFPs []string
}

func (r *refusals) add(remote, user, fp string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.conns == nil {
		r.conns = map[string]refused{}
	}
	e := r.conns[remote]
	e.user, e.keyFPs = user, append(e.keyFPs, fp)
	r.conns[remote] = e
}

// take forgets a connection's refusals and returns them.
func (r *refusals) take(remote string) (refused, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.conns[remote]
	delete(r.conns, remote)
	return e, ok
}
