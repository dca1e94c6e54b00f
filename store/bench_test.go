package store

import (
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// benchWriters is how many goroutines enqueue at once in "grouped".
const benchWriters = 256

func benchJob(i int64) Job {
	return Job{Session: "bench", ChatID: "4915100000000@c.us", Body: strings.Repeat("b", 100), MsgID: fmt.Sprintf("3EB0%016X", i)}
}

func benchDB(b *testing.B, opts Options) *DB {
	db := openTest(b, tempPath(b), opts)
	if err := db.CreateSession(Session{ID: "bench"}); err != nil {
		b.Fatal(err)
	}
	return db
}

func jobsPerSecond(b *testing.B) float64 {
	return float64(b.N) / b.Elapsed().Seconds()
}

// serialUpdates enqueues b.N jobs one plain db.Update (one commit) each.
func serialUpdates(b *testing.B, db *DB) {
	b.ResetTimer()
	for i := range b.N {
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			_, err := enqueueTx(tx, []Job{benchJob(int64(i))}, time.Now())
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnqueue compares durable enqueueing of one job per call by many
// goroutines, group-committed through Enqueue (db.Batch), against the raw
// limit of one fsynced transaction per job, and reports the ratio. The
// nosync case (not durable) shows the ceiling without fsync.
func BenchmarkEnqueue(b *testing.B) {
	var perJob, grouped float64
	b.Run("fsync-per-job", func(b *testing.B) {
		serialUpdates(b, benchDB(b, Options{}))
		perJob = jobsPerSecond(b)
		b.ReportMetric(perJob, "jobs/s")
	})
	b.Run("grouped", func(b *testing.B) {
		db := benchDB(b, Options{})
		var next atomic.Int64
		b.SetParallelism(max(1, benchWriters/runtime.GOMAXPROCS(0)))
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := db.Enqueue(benchJob(next.Add(1))); err != nil {
					b.Error(err)
					return
				}
			}
		})
		grouped = jobsPerSecond(b)
		b.ReportMetric(grouped, "jobs/s")
		if perJob > 0 {
			b.ReportMetric(grouped/perJob, "x-vs-fsync-per-job")
		}
	})
	b.Run("nosync-per-job", func(b *testing.B) {
		serialUpdates(b, benchDB(b, Options{NoSync: true}))
		b.ReportMetric(jobsPerSecond(b), "jobs/s")
	})
	if perJob > 0 && grouped > 0 {
		b.Logf("grouped %.0f jobs/s vs fsync-per-job %.0f jobs/s: %.1fx", grouped, perJob, grouped/perJob)
	}
}
