package session

import (
	"errors"
	"testing"
	"time"
)

func TestChangeAlerting(t *testing.T) {
	set, err := ChangeAlerting(AlertSettings{}, &AlertSettings{Disconnected: ptr(90 * time.Second), Restarts: ptr(4), RestartWindow: ptr(time.Hour)}, AlertDefaults{})
	if err != nil {
		t.Fatal(err)
	}
	if got := EffectiveAlerting(set); got != (AlertThresholds{Disconnected: 90 * time.Second, SendFailures: 3, SendWindow: 5 * time.Minute, Restarts: 4, RestartWindow: time.Hour}) {
		t.Fatalf("in effect %+v", got)
	}
	back, err := ChangeAlerting(set, nil, AlertDefaults{Restarts: true})
	if err != nil || back.Restarts != nil || back.RestartWindow != nil || back.Disconnected == nil {
		t.Fatalf("restarts back to the default = %+v, %v", back, err)
	}
	if *set.Restarts != 4 {
		t.Fatal("the change wrote through to the settings it started from")
	}
	for name, c := range map[string]struct {
		c *AlertSettings
		d AlertDefaults
	}{
		"given and reset": {&AlertSettings{SendWindow: ptr(time.Minute)}, AlertDefaults{SendFailures: true}},
		"zero duration":   {&AlertSettings{Disconnected: ptr(time.Duration(0))}, AlertDefaults{}},
		"negative window": {&AlertSettings{SendWindow: ptr(-time.Minute)}, AlertDefaults{}},
		"zero count":      {&AlertSettings{SendFailures: ptr(0)}, AlertDefaults{}},
		"count over 1000": {&AlertSettings{Restarts: ptr(1001)}, AlertDefaults{}},
	} {
		if got, err := ChangeAlerting(set, c.c, c.d); !errors.Is(err, ErrInvalid) || got.Disconnected != set.Disconnected {
			t.Errorf("%s: %+v, %v; want ErrInvalid and the settings unchanged", name, got, err)
		}
	}
}
