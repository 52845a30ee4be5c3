package bench

import (
	"runtime"
	"testing"
)

// TestCPULine: /proc/stat's cpu line gives the eight times, and the steal
// share between two readings is steal's part of all the time that passed;
// anything else is refused.
func TestCPULine(t *testing.T) {
	a, ok := parseCPULine("cpu  100 0 50 800 10 0 5 35 0 0")
	if !ok || a != (cpuTimes{100, 0, 50, 800, 10, 0, 5, 35}) {
		t.Fatalf("parse: %v %v", a, ok)
	}
	b, _ := parseCPULine("cpu  160 0 70 900 10 0 10 55 0 0")
	if share, ok := b.stealSince(a); !ok || share != 20.0/205 {
		t.Errorf("steal share %v %v, want %v", share, ok, 20.0/205)
	}
	if _, ok := a.stealSince(a); ok {
		t.Error("a share over no time")
	}
	if _, ok := a.stealSince(b); ok {
		t.Error("a share over time that went backwards")
	}
	for _, bad := range []string{"", "cpu0 1 2 3 4 5 6 7 8", "cpu 1 2 3", "cpu 1 2 3 4 5 6 7 x"} {
		if _, ok := parseCPULine(bad); ok {
			t.Errorf("parsed %q", bad)
		}
	}
	if _, ok := readCPUTimes(); !ok && runtime.GOOS == "linux" {
		t.Error("no CPU times from /proc/stat on Linux")
	}
}
