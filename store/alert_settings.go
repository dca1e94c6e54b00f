package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// AlertThresholds override when a session's alerts are raised. A nil field
// takes the default, which the caller decides; one key per set field.
type AlertThresholds struct {
	Disconnected  *time.Duration // DISCONNECTED this long raises an alert
	SendFailures  *int           // this many failed send attempts ...
	SendWindow    *time.Duration // ... within this window raise one
	Restarts      *int           // this many browser restarts ...
	RestartWindow *time.Duration // ... within this window raise one
}

var (
	fieldAlertDisconnected  = []byte("disconnected")
	fieldAlertSendFailures  = []byte("sendfailures")
	fieldAlertSendWindow    = []byte("sendwindow")
	fieldAlertRestarts      = []byte("restarts")
	fieldAlertRestartWindow = []byte("restartwindow")
)

// GetAlertThresholds returns what the operator set for session id.
func (db *DB) GetAlertThresholds(id string) (AlertThresholds, error) {
	var t AlertThresholds
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if err := requireSession(tx, id); err != nil {
			return err
		}
		b := getBucket(tx, append(sessionPath(id), bucketAlerting)...)
		if b == nil {
			return nil
		}
		r := fieldReader{b: b}
		t = AlertThresholds{
			Disconnected:  optional[time.Duration](&r, fieldAlertDisconnected),
			SendFailures:  optional[int](&r, fieldAlertSendFailures),
			SendWindow:    optional[time.Duration](&r, fieldAlertSendWindow),
			Restarts:      optional[int](&r, fieldAlertRestarts),
			RestartWindow: optional[time.Duration](&r, fieldAlertRestartWindow),
		}
		return r.err
	})
	if err != nil {
		return AlertThresholds{}, fmt.Errorf("alert thresholds of session %q: %w", id, err)
	}
	return t, nil
}

// SetAlertThresholds replaces session id's alert thresholds.
func (db *DB) SetAlertThresholds(id string, t AlertThresholds) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		if err := requireSession(tx, id); err != nil {
			return err
		}
		b, err := createBucketIfNotExists(tx, append(sessionPath(id), bucketAlerting)...)
		if err != nil {
			return err
		}
		return putFields(
			field{b, fieldAlertDisconnected, optionalValue(t.Disconnected)},
			field{b, fieldAlertSendFailures, optionalValue(t.SendFailures)},
			field{b, fieldAlertSendWindow, optionalValue(t.SendWindow)},
			field{b, fieldAlertRestarts, optionalValue(t.Restarts)},
			field{b, fieldAlertRestartWindow, optionalValue(t.RestartWindow)},
		)
	})
	if err != nil {
		return fmt.Errorf("alert thresholds of session %q: %w", id, err)
	}
	return nil
}
