package store

import (
	"encoding/binary"

	bolt "go.etcd.io/bbolt"
)

// Bucket and key names; doc.go draws how they nest.
var (
	bucketV1       = []byte("v1")
	keyVersion     = []byte("version")
	bucketMeta     = []byte("meta")
	keyApp         = []byte("app")
	keyCreated     = []byte("created")
	bucketSessions = []byte("sessions")
	bucketPacing   = []byte("pacing")
	bucketBrowser  = []byte("browser")
	bucketEvents   = []byte("events")
	bucketOutbox   = []byte("outbox")
	bucketMsgIDs   = []byte("msgids")

	bucketWebhooks     = []byte("webhooks")
	bucketDeliveries   = []byte("deliveries")
	bucketWebhookQueue = []byte("webhookqueue")
	bucketInbound      = []byte("inbound")
	bucketInboundIDs   = []byte("inboundids")
	bucketInboundStats = []byte("inboundstats")
	bucketInboundText  = []byte("inboundtext")
	bucketInbox        = []byte("inbox")

	bucketDrains = []byte("drains")

	bucketAPIKeys    = []byte("apikeys")
	bucketAlerts     = []byte("alerts")
	bucketAlertsOpen = []byte("alertsopen")
	bucketAlerting   = []byte("alerting")
)

// appMarker under v1/meta/app tells our files from other programs' bbolt
// files that also have a v1 root (containerd's, for one).
var appMarker = []byte("waconsole")

func metaPath() [][]byte                 { return [][]byte{bucketV1, bucketMeta} }
func sessionsPath() [][]byte             { return [][]byte{bucketV1, bucketSessions} }
func sessionPath(id string) [][]byte     { return [][]byte{bucketV1, bucketSessions, []byte(id)} }
func eventsPath(session string) [][]byte { return [][]byte{bucketV1, bucketEvents, []byte(session)} }
func outboxPath(session string) [][]byte { return [][]byte{bucketV1, bucketOutbox, []byte(session)} }
func msgIDsPath(session string) [][]byte { return [][]byte{bucketV1, bucketMsgIDs, []byte(session)} }
func webhooksPath(session string) [][]byte {
	return [][]byte{bucketV1, bucketWebhooks, []byte(session)}
}

// getBucket follows path from the root; nil if any step is missing.
func getBucket(tx *bolt.Tx, path ...[]byte) *bolt.Bucket {
	b := tx.Bucket(path[0])
	for _, name := range path[1:] {
		if b == nil {
			return nil
		}
		b = b.Bucket(name)
	}
	return b
}

// createBucketIfNotExists creates every missing bucket along path.
func createBucketIfNotExists(tx *bolt.Tx, path ...[]byte) (*bolt.Bucket, error) {
	b, err := tx.CreateBucketIfNotExists(path[0])
	for _, name := range path[1:] {
		if err != nil {
			return nil, err
		}
		b, err = b.CreateBucketIfNotExists(name)
	}
	return b, err
}

// deleteBucket removes the last bucket of path if it exists.
func deleteBucket(tx *bolt.Tx, path ...[]byte) error {
	parent := getBucket(tx, path[:len(path)-1]...)
	if parent == nil || parent.Bucket(path[len(path)-1]) == nil {
		return nil
	}
	return parent.DeleteBucket(path[len(path)-1])
}

// itob encodes a sequence big-endian so that byte order is numeric order.
func itob(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func btoi(b []byte) (uint64, bool) {
	if len(b) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(b), true
}
