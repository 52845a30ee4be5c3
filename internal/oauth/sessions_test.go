package oauth

import (
	"fmt"
	"testing"
	"time"
)

// TestEndedSessionsSweep: ended sessions are remembered until their
// cookie would have expired, and expired ones are dropped as the set
// grows, so it does not keep every logout ever made.
func TestEndedSessionsSweep(t *testing.T) {
	var e endedSessions
	past, future := time.Now().Add(-time.Minute), time.Now().Add(time.Hour)
	for i := range 5000 {
		e.end(fmt.Sprint("old-", i), past)
	}
	e.end("live", future)
	if !e.ended("live") {
		t.Error("a session ended an hour before its cookie expires is not remembered")
	}
	if n := len(e.ids); n > 2048 {
		t.Errorf("%d ended sessions kept after 5,000 expired ones, want expired ones swept", n)
	}
}
