package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Pacing overrides a session's send pacing. A nil field is unset and takes
// the default, which the caller decides; a set zero is a setting like any
// other. Stored one key per field: an absent key is unset.
type Pacing struct {
	MinGap    *time.Duration
	JitterMin *time.Duration // the random extra wait is between JitterMin and Jitter
	Jitter    *time.Duration
	ChatGap   *time.Duration
	BulkLimit *int
}

// String lists the values set, as "minGap=0s bulkLimit=5"; "" when none is.
func (p Pacing) String() string {
	var parts []string
	for _, f := range []struct {
		name string
		v    *time.Duration
	}{{"minGap", p.MinGap}, {"jitterMin", p.JitterMin}, {"jitter", p.Jitter}, {"chatGap", p.ChatGap}} {
		if f.v != nil {
			parts = append(parts, f.name+"="+f.v.String())
		}
	}
	if p.BulkLimit != nil {
		parts = append(parts, fmt.Sprintf("bulkLimit=%d", *p.BulkLimit))
	}
	return strings.Join(parts, " ")
}

// Browser is how a session's browser is configured. The zero value is
// waconsole's own configuration: no proxy, the default user agent, no
// extra flags. Stored in the session's browser bucket, one key per field.
type Browser struct {
	Proxy     string   // scheme://[user:password@]host:port; the password is kept here in clear
	UserAgent string   // empty: the default
	Flags     []string // extra Chromium flags, appended to waconsole's own
}

// Session is one WhatsApp Web session as persisted.
type Session struct {
	ID         string
	PairMethod string // "qr" or "link"
	PairPhone  string
	AutoStart  bool
	Created    time.Time
	State      string
	StateSince time.Time
	Reason     string
	LastError  string
	Account    string // phone digits of the paired account
	Paused     bool
	HoldReason string        // why the outbox is paused
	ReplyFirst time.Duration // hold sends to chats that have not written within this; 0: off
	Pacing     Pacing
	Browser    Browser
}

// One key per field (containerd style), so a field can be added without
// rewriting a blob. An absent key is the zero value.
var (
	fieldPairMethod = []byte("pairmethod")
	fieldPairPhone  = []byte("pairphone")
	fieldAutoStart  = []byte("autostart")
	fieldCreated    = []byte("created")
	fieldState      = []byte("state")
	fieldStateSince = []byte("statesince")
	fieldReason     = []byte("reason")
	fieldLastError  = []byte("lasterror")
	fieldAccount    = []byte("account")
	fieldPaused     = []byte("paused")
	fieldHoldReason = []byte("holdreason")
	fieldReplyFirst = []byte("replyfirst")
	fieldJitterMin  = []byte("jittermin")
	fieldMinGap     = []byte("mingap")
	fieldJitter     = []byte("jitter")
	fieldChatGap    = []byte("chatgap")
	fieldBulkLimit  = []byte("bulklimit")
	fieldProxy      = []byte("proxy")
	fieldUserAgent  = []byte("useragent")
	fieldFlags      = []byte("flags")
)

// CreateSession stores a new session; Created defaults to now.
func (db *DB) CreateSession(s Session) error {
	if s.ID == "" {
		return errors.New("create session: the id is empty")
	}
	if s.Created.IsZero() {
		s.Created = time.Now()
	}
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		sessions := getBucket(tx, sessionsPath()...)
		if sessions.Bucket([]byte(s.ID)) != nil {
			return ErrExists
		}
		b, err := sessions.CreateBucket([]byte(s.ID))
		if err != nil {
			return err
		}
		return writeSession(b, s)
	})
	if err != nil {
		return fmt.Errorf("create session %q: %w", s.ID, err)
	}
	return nil
}

// GetSession returns the session id, or ErrNotFound.
func (db *DB) GetSession(id string) (Session, error) {
	var s Session
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		s, err = getSession(tx, id)
		return err
	})
	if err != nil {
		return Session{}, fmt.Errorf("session %q: %w", id, err)
	}
	return s, nil
}

// ListSessions returns every session, sorted by id.
func (db *DB) ListSessions() ([]Session, error) {
	var list []Session
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return getBucket(tx, sessionsPath()...).ForEachBucket(func(id []byte) error {
			s, err := getSession(tx, string(id))
			if err != nil {
				return fmt.Errorf("session %q: %w", id, err)
			}
			list = append(list, s)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	return list, nil
}

// UpdateSession reads session id, lets fn change it and writes it back, all
// in one transaction; fn's error aborts it. The id cannot change.
func (db *DB) UpdateSession(id string, fn func(*Session) error) (Session, error) {
	var s Session
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		if s, err = getSession(tx, id); err != nil {
			return err
		}
		if err := fn(&s); err != nil {
			return err
		}
		if s.ID != id {
			return fmt.Errorf("the id cannot change (to %q)", s.ID)
		}
		return writeSession(getBucket(tx, sessionPath(id)...), s)
	})
	if err != nil {
		return Session{}, fmt.Errorf("update session %q: %w", id, err)
	}
	return s, nil
}

// DeleteSession removes the session with its events, outbox, index and
// webhook endpoints (its queued deliveries go dead when their turn comes) and its
// inbound messages.
func (db *DB) DeleteSession(id string) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if err := getBucket(tx, sessionsPath()...).DeleteBucket([]byte(id)); err != nil {
			if errors.Is(err, berrors.ErrBucketNotFound) {
				return ErrNotFound
			}
			return err
		}
		for _, path := range [][][]byte{eventsPath(id), outboxPath(id), msgIDsPath(id), webhooksPath(id),
			{bucketV1, bucketInbound, []byte(id)}, {bucketV1, bucketInboundIDs, []byte(id)}, {bucketV1, bucketInboundStats, []byte(id)}, searchPath(id), drainPath(id)} {
			if err := deleteBucket(tx, path...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete session %q: %w", id, err)
	}
	return nil
}

// requireSession fails with ErrNotFound unless session exists, so that
// nothing is written for a session that was deleted meanwhile.
func requireSession(tx *bolt.Tx, id string) error {
	if getBucket(tx, sessionPath(id)...) == nil {
		return fmt.Errorf("session %q: %w", id, ErrNotFound)
	}
	return nil
}

func getSession(tx *bolt.Tx, id string) (Session, error) {
	b := getBucket(tx, sessionPath(id)...)
	if b == nil {
		return Session{}, ErrNotFound
	}
	s := Session{
		ID:         id,
		PairMethod: string(b.Get(fieldPairMethod)),
		PairPhone:  string(b.Get(fieldPairPhone)),
		State:      string(b.Get(fieldState)),
		Reason:     string(b.Get(fieldReason)),
		LastError:  string(b.Get(fieldLastError)),
		Account:    string(b.Get(fieldAccount)),
		HoldReason: string(b.Get(fieldHoldReason)),
	}
	r := fieldReader{b: b}
	s.AutoStart = r.bool(fieldAutoStart)
	s.Paused = r.bool(fieldPaused)
	s.Created = r.time(fieldCreated)
	s.StateSince = r.time(fieldStateSince)
	s.ReplyFirst = time.Duration(r.int(fieldReplyFirst))
	if p := b.Bucket(bucketPacing); p != nil {
		r.b = p
		s.Pacing = Pacing{
			MinGap:    optional[time.Duration](&r, fieldMinGap),
			JitterMin: optional[time.Duration](&r, fieldJitterMin),
			Jitter:    optional[time.Duration](&r, fieldJitter),
			ChatGap:   optional[time.Duration](&r, fieldChatGap),
			BulkLimit: optional[int](&r, fieldBulkLimit),
		}
	}
	if br := b.Bucket(bucketBrowser); br != nil {
		r.b = br
		s.Browser = Browser{Proxy: string(br.Get(fieldProxy)), UserAgent: string(br.Get(fieldUserAgent)), Flags: r.strings(fieldFlags)}
	}
	if r.err != nil {
		return Session{}, r.err
	}
	return s, nil
}

func writeSession(b *bolt.Bucket, s Session) error {
	created, err := timeValue(s.Created)
	if err != nil {
		return err
	}
	since, err := timeValue(s.StateSince)
	if err != nil {
		return err
	}
	p, err := b.CreateBucketIfNotExists(bucketPacing)
	if err != nil {
		return err
	}
	br, err := b.CreateBucketIfNotExists(bucketBrowser)
	if err != nil {
		return err
	}
	flags, err := stringsValue(s.Browser.Flags)
	if err != nil {
		return err
	}
	return putFields(
		field{b, fieldPairMethod, []byte(s.PairMethod)},
		field{b, fieldPairPhone, []byte(s.PairPhone)},
		field{b, fieldAutoStart, boolValue(s.AutoStart)},
		field{b, fieldCreated, created},
		field{b, fieldState, []byte(s.State)},
		field{b, fieldStateSince, since},
		field{b, fieldReason, []byte(s.Reason)},
		field{b, fieldLastError, []byte(s.LastError)},
		field{b, fieldAccount, []byte(s.Account)},
		field{b, fieldPaused, boolValue(s.Paused)},
		field{b, fieldHoldReason, []byte(s.HoldReason)},
		field{b, fieldReplyFirst, intValue(int64(s.ReplyFirst))},
		field{p, fieldMinGap, optionalValue(s.Pacing.MinGap)},
		field{p, fieldJitterMin, optionalValue(s.Pacing.JitterMin)},
		field{p, fieldJitter, optionalValue(s.Pacing.Jitter)},
		field{p, fieldChatGap, optionalValue(s.Pacing.ChatGap)},
		field{p, fieldBulkLimit, optionalValue(s.Pacing.BulkLimit)},
		field{br, fieldProxy, []byte(s.Browser.Proxy)},
		field{br, fieldUserAgent, []byte(s.Browser.UserAgent)},
		field{br, fieldFlags, flags},
	)
}

type field struct {
	b          *bolt.Bucket
	key, value []byte
}

// putFields writes each field, deleting the key of a zero value.
func putFields(fields ...field) error {
	for _, f := range fields {
		var err error
		if len(f.value) == 0 {
			err = f.b.Delete(f.key)
		} else {
			err = f.b.Put(f.key, f.value)
		}
		if err != nil {
			return fmt.Errorf("field %s: %w", f.key, err)
		}
	}
	return nil
}

func boolValue(v bool) []byte {
	if !v {
		return nil
	}
	return []byte{1}
}

func intValue(v int64) []byte {
	if v == 0 {
		return nil
	}
	return binary.AppendVarint(nil, v)
}

// optionalValue encodes a set number, zero included (a one-byte varint); an
// unset one has no key.
func optionalValue[T ~int | ~int64](v *T) []byte {
	if v == nil {
		return nil
	}
	return binary.AppendVarint(nil, int64(*v))
}

// stringsValue encodes a list as a JSON array; an empty list has no key.
func stringsValue(list []string) ([]byte, error) {
	if len(list) == 0 {
		return nil, nil
	}
	return json.Marshal(list)
}

func timeValue(t time.Time) ([]byte, error) {
	if t.IsZero() {
		return nil, nil
	}
	return t.MarshalBinary()
}

// fieldReader decodes fields of one bucket, keeping the first error.
type fieldReader struct {
	b   *bolt.Bucket
	err error
}

func (r *fieldReader) fail(key []byte) {
	if r.err == nil {
		r.err = fmt.Errorf("field %s holds a damaged value", key)
	}
}

func (r *fieldReader) bool(key []byte) bool {
	v := r.b.Get(key)
	if v != nil && (len(v) != 1 || v[0] != 1) {
		r.fail(key)
	}
	return v != nil
}

func (r *fieldReader) int(key []byte) int64 {
	v := r.b.Get(key)
	if v == nil {
		return 0
	}
	n, size := binary.Varint(v)
	if size != len(v) {
		r.fail(key)
	}
	return n
}

// optional reads a number written by optionalValue: nil when the key is absent.
func optional[T ~int | ~int64](r *fieldReader, key []byte) *T {
	if r.b.Get(key) == nil {
		return nil
	}
	v := T(r.int(key))
	return &v
}

// strings reads a list written by stringsValue: nil when the key is absent.
func (r *fieldReader) strings(key []byte) []string {
	v := r.b.Get(key)
	if v == nil {
		return nil
	}
	var list []string
	if json.Unmarshal(v, &list) != nil {
		r.fail(key)
	}
	return list
}

func (r *fieldReader) time(key []byte) time.Time {
	var t time.Time
	if v := r.b.Get(key); v != nil && t.UnmarshalBinary(v) != nil {
		r.fail(key)
	}
	return t
}
