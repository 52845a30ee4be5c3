package bench

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// The machines these figures come from are often virtual and shared: the
// hypervisor can give part of their CPU time to other guests ("steal",
// the eighth figure of /proc/stat's cpu line). A run with steal measured
// less than the server can do; the reports say how much there was, so
// that runs can be compared for what they are.

// cpuTimes are /proc/stat's machine-wide CPU times (user, nice, system,
// idle, iowait, irq, softirq, steal), in clock ticks.
type cpuTimes [8]uint64

// readCPUTimes reads them; ok is false where there is no /proc/stat.
func readCPUTimes() (cpuTimes, bool) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return cpuTimes{}, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return cpuTimes{}, false
	}
	return parseCPULine(sc.Text())
}

// parseCPULine parses /proc/stat's first line, "cpu  <user> <nice> …".
func parseCPULine(line string) (cpuTimes, bool) {
	fields := strings.Fields(line)
	var t cpuTimes
	if len(fields) < 1+len(t) || fields[0] != "cpu" {
		return cpuTimes{}, false
	}
	for i := range t {
		v, err := strconv.ParseUint(fields[1+i], 10, 64)
		if err != nil {
			return cpuTimes{}, false
		}
		t[i] = v
	}
	return t, true
}

// stealSince is the share of the machine's CPU time from before to t
// that the hypervisor gave elsewhere; ok is false when no time passed.
func (t cpuTimes) stealSince(before cpuTimes) (share float64, ok bool) {
	var total uint64
	for i := range t {
		if t[i] < before[i] {
			return 0, false
		}
		total += t[i] - before[i]
	}
	if total == 0 {
		return 0, false
	}
	return float64(t[7]-before[7]) / float64(total), true
}
