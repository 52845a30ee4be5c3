package bench

import (
	"context"
	"os/exec"
	"testing"
	"time"
)

// openssl 3.0's `speed -seconds 1 -multi 2 rsa2048` output, tail.
const opensslOutput = `Got: +F2:2:2048:428.712871:10518.000000 from 1
version: 3.0.19
built on: Fri Apr  3 12:29:32 2026 UTC
options: bn(64,64)
CPUINFO: OPENSSL_ia32cap=0xfffa32034f8bffff:0x1a415f46f1bf2ffb
                  sign    verify    sign/s verify/s
rsa 2048 bits 0.000949s 0.000045s   1053.5  21990.0
`

func TestParseOpenSSLSpeed(t *testing.T) {
	got, err := parseOpenSSLSpeed([]byte(opensslOutput))
	if err != nil || got != 1053.5 {
		t.Errorf("parseOpenSSLSpeed = %v, %v; want 1053.5", got, err)
	}
	for _, bad := range []string{"", "rsa 2048 bits 0.1s 0.1s nan 1\n", "rsa 4096 bits 0.000949s 0.000045s 1053.5 21990.0\n"} {
		if v, err := parseOpenSSLSpeed([]byte(bad)); err == nil {
			t.Errorf("parseOpenSSLSpeed(%q) = %v, want an error", bad, v)
		}
	}
}

// TestOpenSSLSignRate runs the real openssl, when there is one.
func TestOpenSSLSignRate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs openssl speed for a second")
	}
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("no openssl binary on PATH")
	}
	r, err := OpenSSLSignRate(context.Background(), time.Second)
	if err != nil || r.Before <= 0 || r.SignPerSec() != r.Before || r.After != 0 || r.Processes <= 0 || r.Source == "" {
		t.Fatalf("OpenSSLSignRate = %+v, %v", r, err)
	}
	// Measured again after a run, the ratio's rate is the mean of both.
	before := r.Before
	r.measureAfter(context.Background(), time.Second)
	if r.After <= 0 || r.Before != before || r.SignPerSec() != (r.Before+r.After)/2 {
		t.Errorf("after measureAfter: %+v", r)
	}
	var none *OpenSSLRate
	none.measureAfter(context.Background(), time.Second) // no rate measured: nothing to do
}
