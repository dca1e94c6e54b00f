// Package store keeps all of waconsole's state in one bbolt file: sessions,
// their event logs and their outboxes. It knows nothing of the rest of
// waconsole.
//
// # Layout
//
// containerd style: a root bucket per schema generation, a nested bucket
// per object, one key per field. Sequence keys are 8-byte big-endian
// NextSequence values, so byte order is time order.
//
//	v1
//	|-- version : uvarint              schema version (migrate.go)
//	|-- meta
//	|   |-- app : "waconsole"          tells our file from other v1 files
//	|   |-- created : time             when the file was initialised
//	|   |-- starts : varint            processes that ran the sessions (process.go)
//	|   |-- uncleanstarts : varint     of them, those after a process that did not stop cleanly
//	|   `-- running : 0x01             set while a process runs; left set by a kill
//	|-- sessions
//	|   `-- <id>
//	|       |-- pairmethod : "qr" | "link"
//	|       |-- pairphone : string
//	|       |-- autostart : 0x01
//	|       |-- created : time
//	|       |-- state : string
//	|       |-- statesince : time
//	|       |-- reason : string
//	|       |-- lasterror : string
//	|       |-- account : string       phone of the paired account
//	|       |-- paused : 0x01
//	|       |-- holdreason : string    why the outbox is paused
//	|       |-- replyfirst : varint    ns; a send to a chat silent that long is held (absent: off)
//	|       |-- alerting               alert thresholds; a key only for what the operator set
//	|       |   |-- disconnected : varint   ns
//	|       |   |-- sendfailures : varint   failed attempts ...
//	|       |   |-- sendwindow : varint     ... within ns
//	|       |   |-- restarts : varint       browser restarts ...
//	|       |   `-- restartwindow : varint  ... within ns
//	|       |-- inbox                  since version 3; a key only for what differs from the default
//	|       |   |-- keepown : 0x01     own messages not filtered
//	|       |   |-- keepstatus : 0x01  status@broadcast not filtered
//	|       |   |-- keepsystem : 0x01  system and notification messages not filtered
//	|       |   |-- mentionsonly : 0x01  in groups, only messages that mention the account
//	|       |   `-- retention : varint nanoseconds
//	|       |-- pacing                 a key only for what the operator set, 0 included
//	|       |   |-- mingap : varint    nanoseconds
//	|       |   |-- jittermin : varint nanoseconds
//	|       |   |-- jitter : varint    nanoseconds
//	|       |   |-- chatgap : varint   nanoseconds
//	|       |   `-- bulklimit : varint
//	|       `-- browser                no key: waconsole's own setting
//	|           |-- proxy : string     URL, credentials included (a backup's copy: no password)
//	|           |-- useragent : string
//	|           `-- flags : JSON list  extra Chromium flags
//	|-- events
//	|   `-- <session>
//	|       `-- <seq> : Event JSON     newest EventLimit kept
//	|-- outbox
//	|   `-- <session>
//	|       `-- <seq> : Job JSON       reply_to: the inbound message id it answers, when set
//	|-- msgids                         since version 2
//	|   `-- <session>
//	|       `-- <msgid> : <seq>        8-byte big-endian
//	|-- inbound                        since version 3
//	|   `-- <session>
//	|       `-- <received><msgid> : Inbound JSON   received: 8-byte big-endian unix ns
//	|-- inboundids                     since version 3
//	|   `-- <session>
//	|       `-- <msgid> : <inbound key>  one entry per raw message id
//	|-- inboundtext                    since version 8: the search index
//	|   `-- <session>
//	|       `-- <inbound key> : text   a kept message's text or caption, lower case
//	|-- inboundstats                   since version 3
//	|   `-- <session>
//	|       |-- stored : varint        messages under inbound/<session>
//	|       |-- bytes : varint         their approximate size
//	|       `-- filtered
//	|           `-- <reason> : varint  filtered messages ever captured, per reason
//	|-- webhooks                       since version 4
//	|   `-- <session>
//	|       `-- <name> : Webhook JSON  where the secret comes from, never the secret; disabled: when it answered 410
//	|-- deliveries                     since version 4
//	|   `-- <seq> : Delivery JSON      one event to one endpoint, every session; swept once delivered 7 days, or dead with its endpoint removed
//	|-- webhookqueue                   since version 4
//	|   `-- <seq> : ""                 deliveries still pending or delivering
//	|-- drains                         since version 5
//	|   `-- <session>
//	|       |-- drain : Drain JSON     state and rate of the unread drain
//	|       |-- items
//	|       |   `-- <seq> : DrainItem JSON  oldest message first; done once handed on
//	|       `-- ids
//	|           `-- <msgid> : <seq>    one item per message id
//	|-- alerts                         since version 6
//	|   `-- <seq> : Alert JSON         raised, acked, resolved; newest AlertHistory kept
//	|-- alertsopen                     since version 6
//	|   `-- <session>\x00<kind> : <seq>  the open alert of a cause: one at most
//	`-- apikeys                        since version 7
//	    `-- <name> : APIKey JSON       role, sessions, created, last_used, SHA-256 of the key (never the key)
//
// A field whose value is zero has no key, except in pacing (an unset
// field has no key there, a set zero has one). Times are time.Time.MarshalBinary.
// Files written before the browser bucket existed read as "nothing set":
// no migration is needed.
//
// # Opening
//
// Open waits at most Options.Timeout (1 s) for bbolt's file lock, so a
// second process gets ErrLocked naming the file instead of hanging. It
// validates an existing file read-only before writing anything
// (validate.go): bbolt trusts the file and faults on a bad offset, so its
// structure is first walked with bounds-checked reads (format.go). A
// missing file, a zero-length file (nothing to lose: what a crash during
// the very first initialisation leaves) and a valid bbolt file without any
// bucket are initialised. Anything else that is not ours, damaged or
// truncated gets ErrNotDatabase, a newer schema ErrNewerSchema, and the file
// is left byte-for-byte as it was. Older schemas are migrated in the one
// transaction that Open makes.
//
// # Writing
//
// Every write is its own fsynced transaction, except Enqueue and
// EnqueueDeliveries: concurrent callers share one commit through db.Batch
// (bench_test.go measures it). EnqueueDeliveriesTx adds deliveries inside
// a caller's own write transaction, so a fact and the webhook deliveries it
// causes commit together.
// RaiseAlert and ResolveAlert queue the Alert hook's deliveries in their
// own transaction; an alert of no session goes to every session's
// endpoints that want it.
// SaveInbound: concurrent callers share one commit through db.Batch
// (bench_test.go measures it).
//
// # Backups
//
// Backup streams tx.WriteTo's copy as it is. BackupWithoutSecrets removes
// the proxy passwords from such a copy and compacts it, so that no freed
// page keeps one; the archives of package backup hold that copy.
package store
